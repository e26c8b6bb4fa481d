//! The JSON detail pane: pre-built, sanitized lines (see app::json_view), coloured by meaning.

use crate::app::json_view::JsonTok;
use crate::app::wrap::wrap;
use crate::app::{App, Focus};
use crate::theme::{Meaning, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let focused = app.focus == Focus::Detail;
    let border = if focused {
        Meaning::BorderFocused
    } else {
        Meaning::Border
    };
    if app.profile_pane {
        let block = Block::bordered()
            .border_style(theme.style(border))
            .title(Line::styled(
                " profile of this view (i: the event's JSON) ",
                theme.style(Meaning::Header),
            ));
        let lines = super::profile::lines(&app.profile, app.load.loading, theme);
        let para = Paragraph::new(lines)
            .block(block)
            .scroll((app.profile_scroll.min(u16::MAX as usize) as u16, 0));
        return frame.render_widget(para, area);
    }
    let total = app.detail.lines.len();
    let note = app
        .detail
        .event
        .and_then(|i| app.notes.get(&i))
        .map(|n| format!("· ✎ {} ", crate::model::sanitize::visible(n)))
        .unwrap_or_default();
    // Focused, the title counts the cursor's line (the field y/Y copy); else the top line.
    let at = if focused {
        app.detail.cursor
    } else {
        app.detail.scroll
    };
    let title = match app.detail.event {
        Some(_) => format!(" event JSON {}/{} {note}", (at + 1).min(total), total),
        None => " event JSON ".to_string(),
    };
    let block = Block::bordered()
        .border_style(theme.style(border))
        .title(Line::styled(title, theme.style(Meaning::Header)));
    // Wrapped here (app::wrap), as the reducer counts rows, so clicks and the cursor agree.
    let width = area.width.saturating_sub(2) as usize;
    let height = area.height.saturating_sub(2) as usize;
    let cursor_style = theme.style(Meaning::Selected);
    let mut rows: Vec<Line> = Vec::with_capacity(height);
    for (i, line) in app.detail.lines.iter().enumerate().skip(app.detail.scroll) {
        if rows.len() >= height {
            break;
        }
        let on_cursor = focused && i == app.detail.cursor;
        for row in wrap(line, width) {
            let used: usize = row.iter().map(|(_, t)| Line::raw(t.as_str()).width()).sum();
            let mut spans: Vec<Span> = row
                .into_iter()
                .map(|(tok, text)| Span::styled(text, theme.style(meaning(tok))))
                .collect();
            if on_cursor {
                // The whole row marked, so the cursor's line is plain to see.
                spans.push(Span::raw(" ".repeat(width.saturating_sub(used))));
                rows.push(Line::from(spans).patch_style(cursor_style));
            } else {
                rows.push(Line::from(spans));
            }
        }
    }
    rows.truncate(height);
    frame.render_widget(Paragraph::new(rows).block(block), area);
}

fn meaning(tok: JsonTok) -> Meaning {
    match tok {
        JsonTok::Key => Meaning::JsonKey,
        JsonTok::Str => Meaning::JsonString,
        JsonTok::Num => Meaning::JsonNumber,
        JsonTok::Bool => Meaning::JsonBool,
        JsonTok::Null => Meaning::JsonNull,
        JsonTok::Punct => Meaning::JsonPunct,
        JsonTok::Escaped => Meaning::Escaped,
        JsonTok::Plain => Meaning::Normal,
    }
}
