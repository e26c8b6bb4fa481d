//! LookupEvents progress on standard error: on a terminal, one line rewritten in place with
//! every region's counts; piped, nothing until the end and then one summary line per region,
//! so a log holds the outcome rather than a line per page. Retries and failures are always
//! said on lines of their own.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

pub(crate) struct ProgressLine {
    /// Region → its latest counts.
    regions: BTreeMap<String, String>,
    live: bool,
    /// Whether the in-place line is on screen (to be cleared before another line).
    drawn: bool,
}

impl ProgressLine {
    pub(crate) fn new() -> ProgressLine {
        ProgressLine {
            regions: BTreeMap::new(),
            live: std::io::stderr().is_terminal(),
            drawn: false,
        }
    }

    /// A region's latest counts.
    pub(crate) fn update(&mut self, region: &str, counts: String) {
        self.regions.insert(region.to_string(), counts);
        if self.live {
            self.redraw();
        }
    }

    /// A line that stays: a retry's reason, a region that failed.
    pub(crate) fn say(&mut self, line: &str) {
        let mut err = std::io::stderr().lock();
        if self.drawn {
            let _ = write!(err, "\r\x1b[K");
            self.drawn = false;
        }
        let _ = writeln!(err, "trailscope: {line}");
        drop(err);
        if self.live && !self.regions.is_empty() {
            self.redraw();
        }
    }

    /// The end: the live line is left as the summary; piped, the summary is printed now.
    pub(crate) fn finish(&mut self) {
        let mut err = std::io::stderr().lock();
        if self.live {
            if self.drawn {
                let _ = writeln!(err);
            }
            return;
        }
        for (region, counts) in &self.regions {
            let _ = writeln!(err, "trailscope: {region}: {counts}");
        }
    }

    fn redraw(&mut self) {
        let width = crossterm::terminal::size()
            .map(|(w, _)| usize::from(w))
            .unwrap_or(80);
        let line = summary(&self.regions);
        // Region names and counts: one cell per character.
        let shown: String = line.chars().take(width.saturating_sub(1)).collect();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K{shown}");
        let _ = err.flush();
        self.drawn = true;
    }
}

/// `trailscope: us-east-1 3 page(s), 150 event(s)… · eu-west-1 …` on one line.
fn summary(regions: &BTreeMap<String, String>) -> String {
    let parts: Vec<String> = regions
        .iter()
        .map(|(region, counts)| format!("{region} {counts}"))
        .collect();
    format!("trailscope: {}", parts.join(" · "))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_summary_names_every_region_once() {
        let mut regions = std::collections::BTreeMap::new();
        regions.insert("us-east-1".to_string(), "2 page(s)".to_string());
        regions.insert("eu-west-1".to_string(), "1 page(s)".to_string());
        regions.insert("us-east-1".to_string(), "3 page(s)".to_string());
        assert_eq!(
            super::summary(&regions),
            "trailscope: eu-west-1 1 page(s) · us-east-1 3 page(s)"
        );
    }
}
