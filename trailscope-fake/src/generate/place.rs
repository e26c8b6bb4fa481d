//! Files the incident's records into delivery files like every other event: by time slice,
//! account and region, mixed with ordinary events, each file the usual size. A slice's regular
//! file takes the slice's largest group (its account and region become the group's); any
//! other account or region the incident needs in that slice gets a file of its own, padded
//! with ordinary events of that account and region, as CloudTrail writes one file per account
//! and region. Incident records are at most half of any file (all of it when
//! --events-per-file is 1), and no file is named or laid out differently.

use super::clock::Window;
use super::incident::Planted;
use std::collections::BTreeMap;

/// Planted records sharing one file, and the account and region the file is for.
#[derive(Debug)]
pub(crate) struct Host<'a> {
    pub(crate) account: usize,
    pub(crate) region: &'static str,
    /// In time order.
    pub(crate) records: Vec<&'a Planted>,
}

/// A file beyond the regular ones: its slice of the window, and what it hosts.
#[derive(Debug)]
pub(crate) struct Extra<'a> {
    pub(crate) slice: u64,
    pub(crate) host: Host<'a>,
}

#[derive(Debug, Default)]
pub(crate) struct Placement<'a> {
    /// Per regular file (empty without an incident): the group it takes, if any.
    pub(crate) regular: Vec<Option<Host<'a>>>,
    pub(crate) extra: Vec<Extra<'a>>,
}

/// Slice `k` of `files` holding `secs` (the slices tile the window: see `Window::slice`).
fn slice_of(window: &Window, files: u64, secs: i64) -> u64 {
    let width = (window.end - window.start).max(1) as u128;
    let offset = (secs - window.start).max(0) as u128;
    let mut k = ((offset * u128::from(files)) / width).min(u128::from(files - 1)) as u64;
    // Integer division can land one slice off at a boundary.
    while k > 0 && window.slice(k, files).0 > secs {
        k -= 1;
    }
    while k + 1 < files && window.slice(k + 1, files).0 <= secs {
        k += 1;
    }
    k
}

/// Where each planted record goes, among the regular files of `events` ordinary events,
/// `per_file` a file.
pub(crate) fn place<'a>(
    planted: &'a [Planted],
    window: &Window,
    events: u64,
    per_file: u64,
) -> Placement<'a> {
    let per_file = per_file.max(1);
    let files = events.div_ceil(per_file).max(1);
    // (slice, account, region) → records, in time order (`planted` is).
    let mut groups: BTreeMap<(u64, usize, &'static str), Vec<&'a Planted>> = BTreeMap::new();
    for p in planted {
        let k = slice_of(window, files, p.secs);
        groups.entry((k, p.account, p.region)).or_default().push(p);
    }
    // At most half a file of incident records per file, so every file is mostly ordinary.
    let chunk = usize::try_from((per_file / 2).max(1)).unwrap_or(usize::MAX);
    let mut by_slice: BTreeMap<u64, Vec<Host<'a>>> = BTreeMap::new();
    for ((k, account, region), records) in groups {
        for part in records.chunks(chunk) {
            by_slice.entry(k).or_default().push(Host {
                account,
                region,
                records: part.to_vec(),
            });
        }
    }
    let mut placement = Placement {
        regular: (0..files).map(|_| None).collect(),
        extra: Vec::new(),
    };
    for (k, mut hosts) in by_slice {
        // The largest group joins the slice's regular file (the first such, on a tie).
        let biggest = hosts
            .iter()
            .enumerate()
            .max_by_key(|(i, h)| (h.records.len(), std::cmp::Reverse(*i)))
            .map_or(0, |(i, _)| i);
        // Unless it would be most of the file (the last file may be short).
        let capacity = per_file.min(events.saturating_sub(k * per_file));
        if hosts[biggest].records.len() as u64 * 2 <= capacity {
            placement.regular[k as usize] = Some(hosts.remove(biggest));
        }
        placement
            .extra
            .extend(hosts.into_iter().map(|host| Extra { slice: k, host }));
    }
    placement
}

#[cfg(test)]
mod tests {
    use super::super::incident::Part;
    use super::*;
    use serde_json::Value;

    fn at(secs: i64, account: usize, region: &'static str) -> Planted {
        Planted {
            secs,
            account,
            region,
            record: Value::Null,
            part: Part::Noise,
        }
    }

    #[test]
    fn slices_found_match_the_window() {
        let w = Window::new("2024-06-30", 7).unwrap();
        for files in [1, 3, 7, 200, 1_000_003] {
            for secs in [
                w.start,
                w.start + 1,
                w.end - 1,
                w.start + 86_399,
                w.start + 302_400,
            ] {
                let k = slice_of(&w, files, secs);
                let (lo, len) = w.slice(k, files);
                assert!(lo <= secs && secs < lo + len, "{files} {secs}");
            }
        }
    }

    #[test]
    fn groups_fill_regular_files_first_then_extras() {
        let w = Window::new("2024-06-30", 1).unwrap();
        let s = w.start;
        let planted = vec![
            at(s + 10, 0, "us-east-1"),
            at(s + 20, 1, "us-east-1"),
            at(s + 30, 1, "us-east-1"),
            at(s + 40, 1, "eu-west-1"),
            at(s + 50_000, 2, "us-east-1"),
        ];
        let p = place(&planted, &w, 200, 100);
        let first = p.regular[0].as_ref().unwrap();
        assert_eq!((first.account, first.records.len()), (1, 2));
        assert_eq!(p.regular[1].as_ref().unwrap().account, 2);
        assert_eq!(p.extra.len(), 2);
        assert!(p.extra.iter().all(|e| e.slice == 0));
        // Two records per file at most with 4 events per file: 3 in one group → 2 files.
        let many: Vec<Planted> = (0..3).map(|i| at(s + i, 0, "us-east-1")).collect();
        let p = place(&many, &w, 4, 4);
        assert_eq!(p.regular[0].as_ref().unwrap().records.len(), 2);
        assert_eq!(p.extra[0].host.records.len(), 1);
        // A short last file takes no more than half of itself: 2 records, 3 events → extras.
        let late: Vec<Planted> = (0..2).map(|i| at(s + 80_000 + i, 0, "us-east-1")).collect();
        let p = place(&late, &w, 7, 4);
        assert!(p.regular.iter().all(Option::is_none));
        assert_eq!(p.extra.len(), 1);
    }
}
