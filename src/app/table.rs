//! The event table's cursor and scroll offset. The cursor follows the *event*, not the row
//! number, so rows arriving while a load streams never move the selection.

use crate::model::store::EventIdx;

#[derive(Debug, Clone, Default)]
pub struct TableState {
    pub cursor: usize,
    pub offset: usize,
    /// The event under the cursor once the user has moved; `None` stays on the first row.
    pub anchor: Option<EventIdx>,
}

impl TableState {
    /// Moves by `delta` within the view's `rows`, keeping the cursor on screen.
    pub fn move_by(&mut self, delta: isize, page: usize, rows: &[EventIdx]) {
        let len = rows.len();
        if len == 0 {
            return;
        }
        let target = (self.cursor as isize)
            .saturating_add(delta)
            .clamp(0, len as isize - 1);
        self.cursor = target as usize;
        self.anchor = rows.get(self.cursor).copied();
        self.scroll_into_view(page);
    }

    pub fn scroll_into_view(&mut self, page: usize) {
        let page = page.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + page {
            self.offset = self.cursor + 1 - page;
        }
    }

    /// After rows were inserted: find the anchored event again.
    pub fn reanchor(&mut self, position_of: impl Fn(EventIdx) -> Option<usize>, page: usize) {
        if let Some(pos) = self.anchor.and_then(position_of) {
            let shift = pos as isize - self.cursor as isize;
            self.cursor = pos;
            // Keep the selected row at the same place on screen.
            self.offset = (self.offset as isize + shift).max(0) as usize;
            self.scroll_into_view(page);
        }
    }
}
