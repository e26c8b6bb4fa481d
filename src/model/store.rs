//! The in-memory store: events deduplicated, kept in time order, indexed by the fields
//! pivots jump on.

use super::chunked::Chunked;
use super::columns::Columns;
use super::event::{Event, Identity, Resource};
use super::id::Id;
use super::intern::{Interner, Sym};
use super::principal;
use super::record::{IdentityRecord, Record};
use super::time::EventTime;
// foldhash, not SipHash: no attacker can choose which events we hash against each other
// in a way that matters more than a slow load (a flood of colliding keys only slows one map).
use foldhash::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher};

mod footprint;
pub use footprint::Footprint;

/// What AWS writes for a name it will not show (a mistyped user name at sign-in).
const HIDDEN: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// Position of an event in `Store::events` (insertion order, stable).
pub type EventIdx = u32;

#[derive(Default, Debug)]
pub struct Store {
    pub interner: Interner,
    /// In chunks: a `Vec` of millions of events doubled into a copy, a load's peak memory.
    events: Chunked<Event>,
    /// The same hot fields by column, for filter scans.
    pub columns: Columns,
    /// Indices into `events`, oldest first; unknown times sort first.
    order: Vec<EventIdx>,
    /// `order`'s times, side by side: merging and searching read these sequentially instead
    /// of jumping into `events` (208 bytes apart) once per comparison.
    order_times: Vec<EventTime>,
    /// Inverse of `order`: where each event stands in time order. Lets a scan read events in
    /// storage order (sequential memory) and still produce its result in time order.
    rank: Vec<u32>,
    seen: HashSet<u64>,
    duplicates: usize,
    by_access_key: HashMap<Sym, Vec<EventIdx>>,
    by_source_ip: HashMap<Sym, Vec<EventIdx>>,
    by_principal: HashMap<Sym, Vec<EventIdx>>,
    by_event_name: HashMap<Sym, Vec<EventIdx>>,
    /// `userIdentity.credentialId`: an access-portal session (only Identity Center events
    /// carry one, so the map stays small).
    by_portal_session: HashMap<Sym, Vec<EventIdx>>,
    /// Names learned for Identity Center users, by principal key (see `principal_name`).
    learned_names: HashMap<Sym, Sym>,
    /// The detection rules each event raised (written by `detect::Detector`).
    pub hits: super::hits::Hits,
}

/// Which index a pivot uses.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum IndexedField {
    AccessKey,
    SourceIp,
    Principal,
    EventName,
    PortalSession,
}

#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsertStats {
    pub added: usize,
    pub duplicates: usize,
}

impl Store {
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    pub fn duplicates(&self) -> usize {
        self.duplicates
    }

    pub fn event(&self, idx: EventIdx) -> &Event {
        &self.events[idx as usize]
    }

    /// All events, oldest first.
    pub fn time_order(&self) -> &[EventIdx] {
        &self.order
    }

    /// Position of each event (by index) in `time_order()`.
    pub fn time_rank(&self) -> &[u32] {
        &self.rank
    }

    /// An event's time from the time order's own copy: a scan in storage order reads `rank`
    /// sequentially and `order_times` nearly so, where `event(idx).time` jumps 208 bytes.
    #[inline]
    pub fn time_of(&self, idx: EventIdx) -> EventTime {
        let at = self.rank.get(idx as usize).copied().unwrap_or(u32::MAX);
        self.order_times
            .get(at as usize)
            .copied()
            .unwrap_or(EventTime::UNKNOWN)
    }

    /// Where an event stands in time order (binary search: `order` is sorted by time, index).
    pub fn position(&self, idx: EventIdx) -> Option<usize> {
        let key = (self.events.get(idx as usize)?.time, idx);
        let pos = self.partition(key);
        (self.order.get(pos) == Some(&idx)).then_some(pos)
    }

    /// First position in `order` whose (time, index) is not below `key`.
    fn partition(&self, key: (EventTime, EventIdx)) -> usize {
        // Binary search on the times first, then on indices among equal times.
        let lo = self.order_times.partition_point(|&t| t < key.0);
        let hi = self.order_times.partition_point(|&t| t <= key.0);
        lo + self.order[lo..hi].partition_point(|&i| i < key.1)
    }

    pub fn text(&self, sym: Option<Sym>) -> &str {
        sym.map(|s| self.interner.resolve(s)).unwrap_or("")
    }

    /// Events with `value` in the indexed field, in insertion order.
    pub fn lookup(&self, field: IndexedField, value: &str) -> &[EventIdx] {
        let Some(sym) = self.interner.get(value) else {
            return &[];
        };
        let index = match field {
            IndexedField::AccessKey => &self.by_access_key,
            IndexedField::SourceIp => &self.by_source_ip,
            IndexedField::Principal => &self.by_principal,
            IndexedField::EventName => &self.by_event_name,
            IndexedField::PortalSession => &self.by_portal_session,
        };
        index.get(&sym).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The name to show for who did `e`. Since 2025 AWS records an Identity Center user's name
    /// only on their sign-in steps (`additionalEventData.UserName`); their portal calls carry
    /// the user's ID alone. The first name a user signed in with is shown for all their events,
    /// so one person reads as one name. Exports keep each record's own (`e.principal_name`).
    pub fn principal_name(&self, e: &Event) -> Sym {
        self.learned_names
            .get(&e.principal)
            .copied()
            .unwrap_or(e.principal_name)
    }

    /// How many names have been learned: it only grows, so a change tells a filter on
    /// principals that earlier events may now match.
    pub fn names_learned(&self) -> usize {
        self.learned_names.len()
    }

    /// Every learned name with its principal key.
    pub(crate) fn learned_names(&self) -> impl Iterator<Item = (Sym, Sym)> + '_ {
        self.learned_names.iter().map(|(&k, &n)| (k, n))
    }

    fn learn_name(&mut self, e: &Event) {
        let signed_in = e
            .identity
            .sign_in_name
            .map(|s| self.interner.resolve(s))
            .is_some_and(|n| !n.is_empty() && n != HIDDEN);
        if signed_in
            && self
                .interner
                .resolve(e.principal)
                .starts_with(principal::IDC_PREFIX)
        {
            self.learned_names
                .entry(e.principal)
                .or_insert(e.principal_name);
        }
    }

    /// Every principal with its events: for matching by the shape of an ARN, which no
    /// exact lookup can do (Identity Center sessions, see `lineage::sso`).
    pub(crate) fn principals(&self) -> impl Iterator<Item = (&str, &[EventIdx])> {
        self.by_principal
            .iter()
            .map(|(&sym, rows)| (self.interner.resolve(sym), rows.as_slice()))
    }

    /// Adds a batch, dropping re-deliveries of events already held, and keeps time order.
    pub fn insert_batch(&mut self, records: Vec<Record>) -> InsertStats {
        let mut stats = InsertStats::default();
        let first_new = self.events.len();
        for record in records {
            if !self.seen.insert(dedup_key(&record)) {
                stats.duplicates += 1;
                continue;
            }
            let event = self.intern_record(record);
            self.learn_name(&event);
            let idx = EventIdx::try_from(self.events.len()).unwrap_or(EventIdx::MAX);
            self.index(idx, &event);
            self.columns.push(&event);
            self.events.push(event);
            stats.added += 1;
        }
        self.duplicates += stats.duplicates;
        self.merge_new_into_order(first_new);
        stats
    }

    fn merge_new_into_order(&mut self, first_new: usize) {
        let mut fresh: Vec<(EventTime, EventIdx)> = (first_new..self.events.len())
            .map(|i| (self.events[i].time, i as EventIdx))
            .collect();
        let Some(&first) = fresh.iter().min() else {
            return;
        };
        fresh.sort_unstable();
        // Only the part of `order` later than the batch's oldest event moves; loads arrive
        // roughly in time order, so that part is usually short.
        let from = self.partition(first);
        let tail: Vec<(EventTime, EventIdx)> = self.order_times[from..]
            .iter()
            .copied()
            .zip(self.order[from..].iter().copied())
            .collect();
        self.order.truncate(from);
        self.order_times.truncate(from);
        let (mut a, mut b) = (tail.into_iter().peekable(), fresh.into_iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x <= y => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            if let Some((t, i)) = next {
                self.order_times.push(t);
                self.order.push(i);
            }
        }
        self.rank.resize(self.events.len(), 0);
        for (p, &i) in self.order.iter().enumerate().skip(from) {
            self.rank[i as usize] = p as u32;
        }
    }

    fn index(&mut self, idx: EventIdx, event: &Event) {
        if let Some(k) = event.identity.access_key_id {
            self.by_access_key.entry(k).or_default().push(idx);
        }
        if let Some(ip) = event.source_ip {
            self.by_source_ip.entry(ip).or_default().push(idx);
        }
        self.by_principal
            .entry(event.principal)
            .or_default()
            .push(idx);
        if let Some(n) = event.name {
            self.by_event_name.entry(n).or_default().push(idx);
        }
        if let Some(c) = event.identity.credential_id {
            self.by_portal_session.entry(c).or_default().push(idx);
        }
    }

    fn intern_record(&mut self, r: Record) -> Event {
        let who = principal::resolve(r.identity.as_ref(), r.source.as_deref());
        let i = &mut self.interner;
        Event {
            time: r.time,
            name: i.intern_opt(r.name.as_deref()),
            source: i.intern_opt(r.source.as_deref()),
            region: i.intern_opt(r.region.as_deref()),
            account: i.intern_opt(r.account.as_deref()),
            source_ip: i.intern_opt(r.source_ip.as_deref()),
            user_agent: i.intern_opt(r.user_agent.as_deref()),
            error_code: i.intern_opt(r.error_code.as_deref()),
            event_type: i.intern_opt(r.event_type.as_deref()),
            category: i.intern_opt(r.category.as_deref()),
            vpce: i.intern_opt(r.vpce.as_deref()),
            target: i.intern_opt(r.target.as_deref()),
            event_version: i.intern_opt(r.event_version.as_deref()),
            read_only: r.read_only,
            management: r.management,
            principal_kind: who.kind,
            principal: i.intern(&who.key),
            principal_name: i.intern(&who.name),
            identity: r
                .identity
                .as_ref()
                .map(|id| intern_identity(i, id))
                .unwrap_or_default(),
            resources: r
                .resources
                .iter()
                .map(|res| Resource {
                    arn: i.intern_opt(res.arn.as_deref()),
                    kind: i.intern_opt(res.kind.as_deref()),
                    account_id: i.intern_opt(res.account_id.as_deref()),
                })
                .collect(),
            event_id: r.event_id.map(Id::from),
            request_id: r.request_id.map(Id::from),
            error_message: i.intern_opt(r.error_message.as_deref()),
            raw: r.raw,
        }
    }
}

fn intern_identity(i: &mut Interner, id: &IdentityRecord) -> Identity {
    Identity {
        kind: i.intern_opt(id.kind.as_deref()),
        arn: i.intern_opt(id.arn.as_deref()),
        account_id: i.intern_opt(id.account_id.as_deref()),
        principal_id: i.intern_opt(id.principal_id.as_deref()),
        access_key_id: i.intern_opt(id.access_key_id.as_deref()),
        user_name: i.intern_opt(id.user_name.as_deref()),
        invoked_by: i.intern_opt(id.invoked_by.as_deref()),
        issuer_arn: i.intern_opt(id.issuer_arn.as_deref()),
        issuer_name: i.intern_opt(id.issuer_name.as_deref()),
        issuer_kind: i.intern_opt(id.issuer_kind.as_deref()),
        on_behalf_of_user_id: i.intern_opt(id.on_behalf_of_user_id.as_deref()),
        credential_id: i.intern_opt(id.credential_id.as_deref()),
        sign_in_name: i.intern_opt(id.sign_in_name.as_deref()),
        auth_workflow: i.intern_opt(id.auth_workflow.as_deref()),
    }
}

/// Two records are one event when AWS's identifiers agree. Real eventIDs are unique GUIDs, but
/// test and synthetic data reuse them ("1", "1111"), so the key also takes the time, action,
/// caller and request: only true re-deliveries (overlapping downloads, the same event from S3
/// and from LookupEvents) collapse. The error code is the outcome (`model::outcome`), so a failed
/// sign-in never merges with a successful one. Records without an eventID dedupe on their whole
/// content.
pub(crate) fn dedup_key(r: &Record) -> u64 {
    // A high-quality 64-bit hash with a fixed seed: two different events colliding would merge
    // them, so this is foldhash's quality variant, not the fast one.
    let mut h = foldhash::quality::FixedState::with_seed(0x7472_6169_6c73_636f).build_hasher();
    match &r.event_id {
        Some(id) => {
            id.hash(&mut h);
            r.time.hash(&mut h);
            (&r.name, &r.source, &r.account, &r.request_id).hash(&mut h);
            (&r.source_ip, &r.error_code, &r.user_agent).hash(&mut h);
            let who = r.identity.as_ref();
            (
                who.and_then(|i| i.arn.as_ref()),
                who.and_then(|i| i.access_key_id.as_ref()),
            )
                .hash(&mut h);
        }
        None => r.raw.text().hash(&mut h),
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::Store;
    use crate::model::parse::parse_text;

    fn batch(seconds: &[u32]) -> Vec<super::Record> {
        let records: Vec<String> = seconds
            .iter()
            .map(|s| {
                format!(
                    r#"{{"eventTime":"2024-05-01T00:{:02}:{:02}Z","eventID":"e{s}"}}"#,
                    s / 60,
                    s % 60
                )
            })
            .collect();
        let text = format!("{{\"Records\":[{}]}}", records.join(","));
        let mut sink = (Vec::new(), Vec::new());
        parse_text(&std::sync::Arc::from("t"), &text, &mut sink);
        sink.0
    }

    /// `time_of` reads the time order's copy of each time: after batches that arrive out of
    /// order and overlap, it still gives every event its own time.
    #[test]
    fn time_of_gives_each_event_its_own_time_across_merges() {
        let mut s = Store::default();
        s.insert_batch(batch(&[50, 10, 30]));
        s.insert_batch(batch(&[20, 60, 5]));
        s.insert_batch(batch(&[40, 15, 70, 0]));
        assert_eq!(s.len(), 10);
        for i in 0..10 {
            assert_eq!(s.time_of(i), s.event(i).time, "event {i}");
        }
        assert!(!s.time_of(10).is_known(), "past the end");
    }
}
