//! The facet picker overlay: values with counts, the search line, and the keys that work here.

use crate::app::command::Command;
use crate::app::layer::Layer;
use crate::app::App;
use crate::filter::facet::Facet;
use crate::model::sanitize::visible;
use crate::theme::{Meaning, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

/// A box up to `max_width` wide and nearly the screen's height, in its middle.
pub(crate) fn centered(full: Rect, max_width: u16) -> Rect {
    let w = full.width.saturating_sub(4).min(max_width);
    let h = full.height.saturating_sub(2);
    Rect::new(
        full.x + (full.width - w) / 2,
        full.y + (full.height - h) / 2,
        w,
        h,
    )
}

/// The first line of a picker: what is typed, and how many entries match.
pub(crate) fn search_line(query: &str, count: String, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled("search: ", theme.style(Meaning::HelpKey)),
        Span::raw(visible(query).into_owned()),
        Span::styled(format!("   {count}"), theme.style(Meaning::Dim)),
    ])
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let Some(p) = &app.picker else { return };
    let area = centered(frame.area(), 90);
    let block = Block::bordered()
        .border_style(theme.style(Meaning::BorderFocused))
        .title(Line::from(tabs(
            p.facet,
            area.width.saturating_sub(2),
            theme,
        )))
        .title_bottom(Line::styled(
            {
                let key = |c| app.key_for(Layer::Facets, c);
                format!(
                    " type to search · {}: add to filter · {}: exclude · {}: next facet · {} ",
                    key(Command::Accept),
                    key(Command::Exclude),
                    key(Command::NextFacet),
                    key(Command::Back)
                )
            },
            theme.style(Meaning::Dim),
        ));
    let inner_h = area.height.saturating_sub(3) as usize;
    let count = format!("{} of {} values", p.shown.len(), p.total());
    let mut lines = vec![search_line(&p.query, count, theme)];
    let start = p.cursor.saturating_sub(inner_h.saturating_sub(1));
    for i in start..(start + inner_h).min(p.shown.len()) {
        let Some(v) = p.value(i) else { break };
        let text = visible(app.store.interner.resolve(v.sym)).into_owned();
        let line = Line::raw(format!("{:>9}  {text}", crate::ui::text::group(v.count)));
        lines.push(if i == p.cursor {
            line.style(theme.style(Meaning::Selected))
        } else {
            line
        });
    }
    if p.shown.is_empty() {
        lines.push(Line::styled(
            "  (no values match)",
            theme.style(Meaning::Dim),
        ));
    }
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The facet tabs that fit in `width` cells, the selected one always among them: on a
/// narrow screen the row scrolls, `‹` and `›` saying that more tabs lie that way.
fn tabs(selected: Facet, width: u16, theme: &Theme) -> Vec<Span<'static>> {
    let titles: Vec<String> = Facet::ALL
        .iter()
        .map(|f| format!(" {} ", f.title()))
        .collect();
    let at = Facet::ALL.iter().position(|&f| f == selected).unwrap_or(0);
    let width = usize::from(width);
    let cells =
        |r: std::ops::Range<usize>| titles[r].iter().map(|t| t.chars().count()).sum::<usize>();
    // Two cells kept for the arrows whenever anything is hidden.
    let room = if cells(0..titles.len()) <= width {
        width
    } else {
        width.saturating_sub(2)
    };
    let mut first = 0;
    while first < at && cells(first..at + 1) > room {
        first += 1;
    }
    let mut last = at + 1;
    while last < titles.len() && cells(first..last + 1) <= room {
        last += 1;
    }
    let mut spans = Vec::new();
    if first > 0 {
        spans.push(Span::styled("‹", theme.style(Meaning::Dim)));
    }
    for (i, title) in titles.iter().enumerate().take(last).skip(first) {
        let meaning = if i == at {
            Meaning::Selected
        } else {
            Meaning::Dim
        };
        spans.push(Span::styled(title.clone(), theme.style(meaning)));
    }
    if last < titles.len() {
        spans.push(Span::styled("›", theme.style(Meaning::Dim)));
    }
    spans
}
