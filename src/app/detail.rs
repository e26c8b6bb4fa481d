//! The JSON detail pane: which event it shows, its pretty lines, and the scroll position.

use super::json_view::{pretty_lines, JsonLine};
use crate::model::store::{EventIdx, Store};

#[derive(Debug, Clone)]
pub struct DetailState {
    pub open: bool,
    pub scroll: usize,
    pub event: Option<EventIdx>,
    pub lines: Vec<JsonLine>,
}

impl Default for DetailState {
    fn default() -> Self {
        DetailState {
            open: true,
            scroll: 0,
            event: None,
            lines: Vec::new(),
        }
    }
}

impl DetailState {
    /// Rebuilds the lines when the selected event changed; keeps the scroll otherwise.
    pub fn show(&mut self, store: &Store, event: Option<EventIdx>) {
        if self.event == event {
            return;
        }
        self.event = event;
        self.scroll = 0;
        self.lines = event
            .map(|i| pretty_lines(&store.event(i).raw))
            .unwrap_or_default();
    }

    pub fn scroll_by(&mut self, delta: isize, page: usize) {
        let max = self.lines.len().saturating_sub(page.max(1));
        self.scroll = (self.scroll as isize)
            .saturating_add(delta)
            .clamp(0, max as isize) as usize;
    }
}
