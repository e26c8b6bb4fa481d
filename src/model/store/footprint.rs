//! Where a loaded store's memory goes, part by part: for the filter bench's report (issue 23's
//! memory target), so a change is measured against the part it means to shrink.

use super::Store;
use crate::model::event::{Event, Resource};
use std::collections::HashSet;
use std::mem::size_of;

/// Heap bytes held by each part of a store, allocator overhead not counted.
#[derive(Debug, Default, Clone, Copy)]
pub struct Footprint {
    /// The `Event` array itself (its capacity).
    pub events: usize,
    /// What events point to: resources, IDs that are not UUIDs.
    pub event_heap: usize,
    /// The hot fields again, column by column (`Columns`).
    pub columns: usize,
    /// Time order, its times and its inverse.
    pub order: usize,
    /// The re-delivery check's hash set.
    pub dedup: usize,
    /// The pivot indexes' lists.
    pub indexes: usize,
    /// Raw records in compressed blocks, with their record offsets.
    pub raw_packed: usize,
    /// The blocks' trigram filters.
    pub raw_filters: usize,
    /// Raw records held as plain text.
    pub raw_plain: usize,
    /// Interned strings.
    pub strings: usize,
    /// Which rules each event raised (`Hits`).
    pub findings: usize,
}

impl Footprint {
    pub fn total(&self) -> usize {
        self.parts().iter().map(|&(_, bytes)| bytes).sum()
    }

    /// The parts by name, largest first.
    pub fn parts(&self) -> Vec<(&'static str, usize)> {
        let mut parts = vec![
            ("events", self.events),
            ("event heap", self.event_heap),
            ("columns", self.columns),
            ("time order", self.order),
            ("dedup set", self.dedup),
            ("indexes", self.indexes),
            ("raw, packed", self.raw_packed),
            ("raw, trigram filters", self.raw_filters),
            ("raw, plain", self.raw_plain),
            ("interned strings", self.strings),
            ("findings", self.findings),
        ];
        parts.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        parts
    }
}

impl Store {
    /// Heap bytes by part (walks every event: for reports, not for the UI).
    pub fn footprint(&self) -> Footprint {
        let mut f = Footprint {
            events: self.events.capacity() * size_of::<Event>(),
            columns: self.columns.heap_bytes(),
            order: self.order.capacity() * 4
                + self.order_times.capacity() * 8
                + self.rank.capacity() * 4,
            // hashbrown: a value and a control byte per bucket.
            dedup: self.seen.capacity() * 9,
            strings: self.interner.heap_bytes(),
            findings: self.hits.heap_bytes(),
            ..Footprint::default()
        };
        for index in [
            &self.by_access_key,
            &self.by_source_ip,
            &self.by_principal,
            &self.by_event_name,
            &self.by_portal_session,
        ] {
            f.indexes += index.capacity() * (size_of::<(u32, Vec<u32>)>() + 1);
            f.indexes += index.values().map(|v| v.capacity() * 4).sum::<usize>();
        }
        let mut blocks = HashSet::new();
        for e in self.events.iter() {
            f.event_heap += e.resources.len() * size_of::<Resource>()
                + e.event_id.as_ref().map_or(0, |i| i.heap_bytes())
                + e.request_id.as_ref().map_or(0, |i| i.heap_bytes());
            match e.raw.block_footprint() {
                Some((block, packed, filter)) => {
                    if blocks.insert(block) {
                        f.raw_packed += packed;
                        f.raw_filters += filter;
                    }
                }
                None => f.raw_plain += e.raw.text().len(),
            }
        }
        f
    }
}
