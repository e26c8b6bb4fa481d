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
    /// The filter line above the status bar, while editing or when a filter is on.
    pub filter: Option<Area>,
    /// LookupEvents progress per region, above the filter line.
    pub fetch: Option<Area>,
    pub status: Area,
    pub side_by_side: bool,
}

/// Terminals at least this wide show table and detail side by side.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 140;

impl Layout {
    pub fn compute(
        width: u16,
        height: u16,
        detail_open: bool,
        filter_line: bool,
        fetch_line: bool,
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
                filter,
                fetch,
                status,
                side_by_side: false,
            };
        }
        let side_by_side = width >= SIDE_BY_SIDE_MIN_WIDTH;
        let (table, detail) = if side_by_side {
            let table_w = width * 3 / 5;
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
            let table_h = (main_h * 9 / 20).max(5);
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
            filter,
            fetch,
            status,
            side_by_side,
        }
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

    #[test]
    fn wide_is_side_by_side_narrow_is_stacked() {
        let wide = Layout::compute(200, 50, true, false, false);
        assert!(wide.side_by_side);
        assert_eq!(wide.table.width + wide.detail.map_or(0, |d| d.width), 200);
        let narrow = Layout::compute(80, 24, true, false, false);
        assert!(!narrow.side_by_side);
        let d = narrow.detail.expect("detail shown");
        assert_eq!(narrow.table.height + d.height, 22);
        assert_eq!(
            Layout::compute(80, 24, false, false, false).table_rows(),
            19
        );
        assert_eq!(Layout::compute(80, 24, false, true, false).table_rows(), 18);
        let live = Layout::compute(80, 24, false, true, true);
        assert_eq!(live.table_rows(), 17);
        let (fetch, filter) = (live.fetch.map(|a| a.y), live.filter.map(|a| a.y));
        assert_eq!(
            (fetch, filter),
            (Some(21), Some(22)),
            "fetch line above the filter"
        );
    }

    #[test]
    fn tiny_terminals_do_not_underflow() {
        for (w, h) in [(0, 0), (1, 1), (10, 2), (20, 5)] {
            let l = Layout::compute(w, h, true, true, true);
            assert!(l.table.y + l.table.height <= h.max(1));
        }
    }
}
