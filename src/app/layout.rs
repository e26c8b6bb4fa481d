//! Where each pane goes, as plain arithmetic: the reducer needs page sizes and the UI needs
//! rectangles, and both must agree.

#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct Layout {
    pub title: Area,
    pub table: Area,
    pub detail: Option<Area>,
    /// What the detail pane's event is, above its JSON (carved from the detail pane).
    pub explain: Option<Area>,
    /// The filter line above the status bar, while editing or when a filter is on.
    pub filter: Option<Area>,
    /// LookupEvents progress per region, above the filter line.
    pub fetch: Option<Area>,
    pub status: Area,
    pub side_by_side: bool,
}

/// Terminals at least this wide show table and detail side by side (by default: the
/// `side-by-side-width` setting).
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 140;

/// How the main area is shared between table and detail: the table's share in percent, or
/// the orientation's own default (45% stacked, 60% side by side).
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default)]
pub enum Split {
    #[default]
    Auto,
    Percent(u8),
}

impl Split {
    /// The range a split may take: both panes always keep something to show.
    pub const MIN: u8 = 20;
    pub const MAX: u8 = 80;

    pub fn percent(value: i64) -> Result<Split, String> {
        if (i64::from(Split::MIN)..=i64::from(Split::MAX)).contains(&value) {
            Ok(Split::Percent(value as u8))
        } else {
            Err(format!(
                "split is a percentage from {} to {} (the table's share), or \"auto\"",
                Split::MIN,
                Split::MAX
            ))
        }
    }

    /// The table's share for an orientation.
    pub fn share(self, side_by_side: bool) -> u8 {
        match self {
            Split::Percent(p) => p.clamp(Split::MIN, Split::MAX),
            Split::Auto if side_by_side => 60,
            Split::Auto => 45,
        }
    }
}

/// The user's layout preferences (settings, a reopened investigation, or a drag).
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub struct LayoutPrefs {
    pub split: Split,
    pub side_by_side_width: u16,
}

impl Default for LayoutPrefs {
    fn default() -> Self {
        LayoutPrefs {
            split: Split::Auto,
            side_by_side_width: SIDE_BY_SIDE_MIN_WIDTH,
        }
    }
}

impl Layout {
    pub fn compute(
        width: u16,
        height: u16,
        detail_open: bool,
        filter_line: bool,
        fetch_line: bool,
        prefs: LayoutPrefs,
    ) -> Layout {
        let title = Area {
            x: 0,
            y: 0,
            width,
            height: height.min(1),
        };
        let status = Area {
            x: 0,
            y: height.saturating_sub(1),
            width,
            height: height.min(1).min(height.saturating_sub(1)),
        };
        // The filter line only when there is room for it and at least one table row.
        let filter = (filter_line && height >= 6).then(|| Area {
            x: 0,
            y: status.y.saturating_sub(1),
            width,
            height: 1,
        });
        let filter_h = filter.map_or(0, |f| f.height);
        let fetch = (fetch_line && height >= 8).then(|| Area {
            x: 0,
            y: status.y.saturating_sub(1 + filter_h),
            width,
            height: 1,
        });
        let fetch_h = fetch.map_or(0, |f| f.height);
        let main_y = title.height;
        let main_h = height.saturating_sub(title.height + status.height + filter_h + fetch_h);
        let full = Area {
            x: 0,
            y: main_y,
            width,
            height: main_h,
        };
        if !detail_open || main_h < 8 {
            return Layout {
                title,
                table: full,
                detail: None,
                explain: None,
                filter,
                fetch,
                status,
                side_by_side: false,
            };
        }
        let side_by_side = width >= prefs.side_by_side_width;
        let share = u32::from(prefs.split.share(side_by_side));
        let (table, detail) = if side_by_side {
            // Both panes keep a usable width whatever the split says.
            let table_w = (u32::from(width) * share / 100) as u16;
            let table_w = table_w.clamp(width.min(30), width.saturating_sub(20).max(width.min(30)));
            let table = Area {
                width: table_w,
                ..full
            };
            let detail = Area {
                x: table_w,
                width: width - table_w,
                ..full
            };
            (table, detail)
        } else {
            let table_h = (u32::from(main_h) * share / 100) as u16;
            // At least 5 rows each (a border, a header and a few events; a border and three
            // lines of JSON).
            let table_h = table_h.clamp(5, main_h.saturating_sub(5).max(5));
            let table = Area {
                height: table_h,
                ..full
            };
            let detail = Area {
                y: main_y + table_h,
                height: main_h - table_h,
                ..full
            };
            (table, detail)
        };
        Layout {
            title,
            table,
            detail: Some(detail),
            explain: None,
            filter,
            fetch,
            status,
            side_by_side,
        }
    }

    /// The detail pane's top part for what its event is: the `rows` its text needs with its
    /// borders, at most 2/5 of the pane (and at least 4 rows), when the pane keeps at least 6
    /// rows of JSON.
    pub fn with_explanation(mut self, rows: u16) -> Layout {
        let Some(detail) = self.detail else {
            return self;
        };
        let height = rows.min(detail.height * 2 / 5).max(4);
        if detail.height < height + 6 {
            return self;
        }
        self.explain = Some(Area { height, ..detail });
        self.detail = Some(Area {
            y: detail.y + height,
            height: detail.height - height,
            ..detail
        });
        self
    }

    /// The table's share (percent) that puts the border between the panes at the mouse's
    /// column or row, for dragging the split.
    pub fn split_at(&self, column: u16, row: u16) -> Option<u8> {
        let detail = self.detail_whole()?;
        let (pos, start, size) = if self.side_by_side {
            (column, self.table.x, self.table.width + detail.width)
        } else {
            (row, self.table.y, self.table.height + detail.height)
        };
        if size == 0 {
            return None;
        }
        let pct = u32::from(pos.saturating_sub(start)) * 100 / u32::from(size);
        Some((pct as u8).clamp(Split::MIN, Split::MAX))
    }

    /// Whether the mouse is on the border between table and detail (where a drag starts).
    pub fn on_split(&self, column: u16, row: u16) -> bool {
        let Some(detail) = self.detail_whole() else {
            return false;
        };
        let inside =
            |a: Area| column >= a.x && column < a.x + a.width && row >= a.y && row < a.y + a.height;
        if !inside(self.table) && !inside(detail) {
            return false;
        }
        if self.side_by_side {
            column + 1 == detail.x || column == detail.x
        } else {
            row + 1 == detail.y || row == detail.y
        }
    }

    /// The detail side as a whole: the explanation (when shown) and the JSON under it. The
    /// border a drag moves is between the table and this.
    fn detail_whole(&self) -> Option<Area> {
        let json = self.detail?;
        Some(match self.explain {
            Some(e) => Area {
                height: e.height + json.height,
                ..e
            },
            None => json,
        })
    }

    /// Event rows that fit in the table (inside its border, under its header).
    pub fn table_rows(&self) -> usize {
        self.table.height.saturating_sub(3) as usize
    }

    pub fn detail_rows(&self) -> usize {
        self.detail
            .map_or(0, |d| d.height.saturating_sub(2) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: LayoutPrefs = LayoutPrefs {
        split: Split::Auto,
        side_by_side_width: SIDE_BY_SIDE_MIN_WIDTH,
    };

    #[test]
    fn wide_is_side_by_side_narrow_is_stacked() {
        let wide = Layout::compute(200, 50, true, false, false, P);
        assert!(wide.side_by_side);
        assert_eq!(wide.table.width + wide.detail.map_or(0, |d| d.width), 200);
        let narrow = Layout::compute(80, 24, true, false, false, P);
        assert!(!narrow.side_by_side);
        let d = narrow.detail.expect("detail shown");
        assert_eq!(narrow.table.height + d.height, 22);
        assert_eq!(
            Layout::compute(80, 24, false, false, false, P).table_rows(),
            19
        );
        assert_eq!(
            Layout::compute(80, 24, false, true, false, P).table_rows(),
            18
        );
        let live = Layout::compute(80, 24, false, true, true, P);
        assert_eq!(live.table_rows(), 17);
        let (fetch, filter) = (live.fetch.map(|a| a.y), live.filter.map(|a| a.y));
        assert_eq!(
            (fetch, filter),
            (Some(21), Some(22)),
            "fetch line above the filter"
        );
    }

    #[test]
    fn the_split_moves_the_border_and_both_panes_stay_usable() {
        let at = |split| {
            let prefs = LayoutPrefs { split, ..P };
            Layout::compute(80, 24, true, false, false, prefs)
        };
        assert_eq!(at(Split::Auto).table.height, 9, "45% of 22 rows");
        assert_eq!(at(Split::Percent(80)).table.height, 17);
        let squeezed = at(Split::Percent(20));
        assert_eq!(squeezed.table.height, 5, "never less than 5 rows");
        let wide = |split| {
            let prefs = LayoutPrefs { split, ..P };
            Layout::compute(200, 50, true, false, false, prefs)
        };
        assert_eq!(wide(Split::Auto).table.width, 120);
        assert_eq!(wide(Split::Percent(30)).table.width, 60);
        let l = wide(Split::Auto);
        assert!(l.on_split(119, 10) && l.on_split(120, 10) && !l.on_split(100, 10));
        assert_eq!(l.split_at(100, 10), Some(50));
        assert_eq!(l.split_at(0, 10), Some(Split::MIN));
        assert!(Split::percent(81).is_err() && Split::percent(19).is_err());
        // Narrower than the side-by-side width set: stacked.
        let prefs = LayoutPrefs {
            side_by_side_width: 250,
            ..P
        };
        assert!(!Layout::compute(200, 50, true, false, false, prefs).side_by_side);
    }

    #[test]
    fn tiny_terminals_do_not_underflow() {
        for (w, h) in [(0, 0), (1, 1), (10, 2), (20, 5)] {
            let l = Layout::compute(w, h, true, true, true, P);
            assert!(l.table.y + l.table.height <= h.max(1));
        }
    }

    /// What the event is takes the detail pane's top, never more than leaves 8 rows of JSON,
    /// and nothing on a pane too short for both.
    #[test]
    fn the_explanation_is_carved_from_the_detail_top() {
        let wide = Layout::compute(200, 50, true, false, false, P);
        let d = wide.detail.expect("detail");
        let with = wide.with_explanation(9);
        let (e, j) = (with.explain.expect("explain"), with.detail.expect("json"));
        assert_eq!((e.y, e.x, e.width), (d.y, d.x, d.width));
        assert_eq!(e.height, 9, "what the text needs");
        assert_eq!((j.y, j.height), (d.y + 9, d.height - 9));
        let long = wide.with_explanation(40).explain.map(|a| a.height);
        assert_eq!(long, Some(19), "at most 2/5 of 48");
        // 80×24 with the filter line: a 12-row pane keeps 6 rows of JSON.
        let narrow = Layout::compute(80, 24, true, true, false, P).with_explanation(9);
        assert!(narrow.explain.is_some());
        assert!(narrow.detail.is_some_and(|j| j.height >= 6));
        let short = Layout::compute(80, 16, true, false, false, P);
        assert_eq!(
            short.with_explanation(9),
            short,
            "too short: the JSON keeps it all"
        );
        let closed = Layout::compute(80, 24, false, false, false, P);
        assert_eq!(closed.with_explanation(9), closed);
    }
}
