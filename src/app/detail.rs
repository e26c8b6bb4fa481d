//! The JSON detail pane: which event it shows, its pretty lines, the line cursor (the field a
//! copy takes) and the scroll position. Lines wrap (see `wrap`), so "on screen" is counted in
//! wrapped rows at the pane's inner width.

use super::json_view::{pretty, JsonLine};
use super::wrap;
use crate::model::store::{EventIdx, Store};

#[derive(Debug, Clone)]
pub struct DetailState {
    pub open: bool,
    /// The first line shown.
    pub scroll: usize,
    /// The line under the cursor.
    pub cursor: usize,
    pub event: Option<EventIdx>,
    pub lines: Vec<JsonLine>,
    /// Each line's copyable value (raw event text, see `json_view::Pretty`).
    pub values: Vec<Option<String>>,
}

impl Default for DetailState {
    fn default() -> Self {
        DetailState {
            open: true,
            scroll: 0,
            cursor: 0,
            event: None,
            lines: Vec::new(),
            values: Vec::new(),
        }
    }
}

/// The pane's inside: (width, height) in cells.
pub type Inner = (usize, usize);

impl DetailState {
    /// Rebuilds the lines when the selected event changed; keeps the scroll otherwise.
    pub fn show(&mut self, store: &Store, event: Option<EventIdx>) {
        if self.event == event {
            return;
        }
        self.event = event;
        self.scroll = 0;
        self.cursor = 0;
        let p = event
            .map(|i| pretty(&store.event(i).raw.text()))
            .unwrap_or_default();
        self.lines = p.lines;
        self.values = p.values;
    }

    /// Moves the cursor by `delta` lines, scrolling so it stays on screen.
    pub fn move_by(&mut self, delta: isize, inner: Inner) {
        let last = self.lines.len().saturating_sub(1);
        self.cursor = (self.cursor as isize)
            .saturating_add(delta)
            .clamp(0, last as isize) as usize;
        self.keep_cursor_visible(inner);
    }

    /// Scrolls by `delta` lines (the wheel), taking the cursor along when it would leave.
    pub fn scroll_by(&mut self, delta: isize, inner: Inner) {
        let last = self.lines.len().saturating_sub(1);
        self.scroll = (self.scroll as isize)
            .saturating_add(delta)
            .clamp(0, last as isize) as usize;
        let shown = self.shown_lines(inner);
        if self.cursor < self.scroll {
            self.cursor = self.scroll;
        } else if self.cursor >= self.scroll + shown {
            self.cursor = (self.scroll + shown).saturating_sub(1);
        }
    }

    /// After a move or a resize: the cursor's line wholly on screen, scrolling no more than
    /// needed.
    pub fn keep_cursor_visible(&mut self, (width, height): Inner) {
        self.cursor = self.cursor.min(self.lines.len().saturating_sub(1));
        // No event shown (nothing loaded yet, a view that matches nothing): no line to keep.
        if self.cursor < self.scroll || self.lines.is_empty() {
            self.scroll = self.cursor;
            return;
        }
        // The highest top line that still shows the cursor's line whole: walk up from the
        // cursor at most a screen's worth of rows (every line is at least one row), so End/G
        // on a record of a million lines costs a screen, not the record.
        let mut rows = wrap::rows(&self.lines[self.cursor], width);
        let mut top = self.cursor;
        while top > self.scroll {
            let above = wrap::rows(&self.lines[top - 1], width);
            if rows + above > height {
                break;
            }
            rows += above;
            top -= 1;
        }
        self.scroll = top;
    }

    /// The line shown on screen row `row` (0 = the first inside the border), if any.
    pub fn line_at_row(&self, row: usize, (width, _): Inner) -> Option<usize> {
        let mut top = 0;
        for i in self.scroll..self.lines.len() {
            let h = wrap::rows(&self.lines[i], width);
            if row < top + h {
                return Some(i);
            }
            top += h;
        }
        None
    }

    /// The value of the field under the cursor (raw event text).
    pub fn value_under_cursor(&self) -> Option<&str> {
        self.values.get(self.cursor).and_then(|v| v.as_deref())
    }

    /// How many whole lines fit from the top line.
    fn shown_lines(&self, (width, height): Inner) -> usize {
        let mut used = 0;
        let mut n = 0;
        for line in self.lines.iter().skip(self.scroll) {
            used += wrap::rows(line, width);
            if used > height {
                break;
            }
            n += 1;
        }
        n.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record that is one long list (half a million lines): End lands on the last line with
    /// the screen full above it, and costs a screen's worth of lines, not the record's.
    #[test]
    fn end_on_a_record_of_half_a_million_lines_costs_a_screen() {
        let list = vec!["0"; 450_000].join(",");
        let p = pretty(&format!("{{\"requestParameters\":{{\"list\":[{list}]}}}}"));
        let mut d = DetailState {
            lines: p.lines,
            values: p.values,
            ..DetailState::default()
        };
        let last = d.lines.len() - 1;
        let started = std::time::Instant::now();
        d.move_by(isize::MAX, (80, 20));
        let took = started.elapsed();
        assert_eq!(d.cursor, last);
        assert_eq!(d.scroll, last + 1 - 20, "the last screenful, full");
        d.move_by(-5, (80, 20));
        assert_eq!(
            d.scroll,
            last + 1 - 20,
            "moving within the screen scrolls nothing"
        );
        d.move_by(isize::MIN, (80, 20));
        assert_eq!((d.cursor, d.scroll), (0, 0));
        // The quadratic walk took hours here; a screen takes microseconds even unoptimised.
        assert!(took < std::time::Duration::from_secs(2), "{took:?}");
    }
}
