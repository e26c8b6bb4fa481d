//! A view over time: events per time bucket (errors and writes counted apart, so a burst of
//! denied calls or of changes shows), and the longest silences, each with the event just before
//! it: a trail that goes quiet right after `StopLogging` is the point.

use crate::model::store::{EventIdx, Store};
use crate::model::time::EventTime;

/// Silences listed under the chart.
const GAPS: usize = 3;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    pub events: usize,
    pub errors: usize,
    pub writes: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gap {
    pub from: EventTime,
    pub to: EventTime,
    /// The event name just before the silence.
    pub after: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    pub start: EventTime,
    /// Milliseconds per bucket (at least one second).
    pub bucket_ms: i64,
    pub buckets: Vec<Bucket>,
    /// The longest silences, longest first.
    pub gaps: Vec<Gap>,
}

impl Timeline {
    /// `rows` (in time order) in `width` buckets.
    pub fn of(store: &Store, rows: &[EventIdx], width: usize) -> Timeline {
        let known: Vec<EventIdx> = rows
            .iter()
            .copied()
            .filter(|&i| store.event(i).time.is_known())
            .collect();
        let (Some(&first), Some(&last)) = (known.first(), known.last()) else {
            return Timeline::default();
        };
        let ms = |i: EventIdx| store.event(i).time.millis().unwrap_or(0);
        let (start, end) = (ms(first), ms(last));
        let width = width.max(1);
        let bucket_ms = ((end - start) / width as i64 + 1).max(1000);
        let count = ((end - start) / bucket_ms + 1) as usize;
        let mut buckets = vec![Bucket::default(); count.min(width)];
        for &i in &known {
            let at = (((ms(i) - start) / bucket_ms) as usize).min(buckets.len() - 1);
            let e = store.event(i);
            let b = &mut buckets[at];
            b.events += 1;
            b.errors += usize::from(e.is_error());
            b.writes += usize::from(e.read_only == Some(false));
        }
        let mut gaps: Vec<Gap> = known
            .windows(2)
            .map(|w| Gap {
                from: store.event(w[0]).time,
                to: store.event(w[1]).time,
                after: store.text(store.event(w[0]).name).to_string(),
            })
            .collect();
        gaps.sort_by_key(|g| {
            std::cmp::Reverse(g.to.millis().unwrap_or(0) - g.from.millis().unwrap_or(0))
        });
        gaps.truncate(GAPS);
        Timeline {
            start: EventTime::from_millis(start),
            bucket_ms,
            buckets,
            gaps,
        }
    }

    /// The time span of buckets `a..=b` (either order).
    pub fn span(&self, a: usize, b: usize) -> (EventTime, EventTime) {
        let (lo, hi) = (a.min(b) as i64, a.max(b) as i64 + 1);
        let start = self.start.millis().unwrap_or(0);
        (
            EventTime::from_millis(start + lo * self.bucket_ms),
            EventTime::from_millis(start + hi * self.bucket_ms - 1),
        )
    }
}

/// `5h 26m`, `3m 10s`, `2d 4h`.
pub fn duration(ms: i64) -> String {
    let s = ms / 1000;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h {}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d {}h", s / 86_400, s % 86_400 / 3600),
    }
}
