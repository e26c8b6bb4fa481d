//! The saved-investigation picker: every investigation, most recent first, narrowed by fuzzy
//! search on its name and source.

use crate::session::messages::Summary;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

#[derive(Default)]
pub struct SessionPicker {
    pub query: String,
    pub cursor: usize,
    pub all: Vec<Summary>,
    /// Indices into `all` that match, best first.
    pub shown: Vec<usize>,
    /// Why the list could not be read.
    pub error: Option<String>,
    /// Still waiting for the list.
    pub loading: bool,
}

impl SessionPicker {
    pub fn waiting() -> SessionPicker {
        SessionPicker {
            loading: true,
            ..SessionPicker::default()
        }
    }

    pub fn fill(&mut self, list: Result<Vec<Summary>, String>) {
        self.loading = false;
        match list {
            Ok(all) => self.all = all,
            Err(e) => self.error = Some(e),
        }
        self.refilter();
    }

    pub fn selected(&self) -> Option<&Summary> {
        self.shown.get(self.cursor).and_then(|&i| self.all.get(i))
    }

    pub fn type_char(&mut self, c: char) {
        self.query.push(c);
        self.refilter();
    }

    pub fn backspace(&mut self) {
        self.query.pop();
        self.refilter();
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1) as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, last.max(0)) as usize;
    }

    fn refilter(&mut self) {
        self.cursor = 0;
        if self.query.is_empty() {
            self.shown = (0..self.all.len()).collect();
            return;
        }
        let matcher = SkimMatcherV2::default().ignore_case();
        let mut scored: Vec<(i64, usize)> = self
            .all
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let text = format!("{} {}", s.name, s.source);
                matcher
                    .fuzzy_match(&text, &self.query)
                    .map(|score| (score, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.shown = scored.into_iter().map(|(_, i)| i).collect();
    }
}
