//! The saved-investigation picker: name, events, when last saved and the source, narrowed by
//! what is typed.

use super::picker::{centered, search_line};
use crate::app::command::Command;
use crate::app::layer::Layer;
use crate::app::App;
use crate::model::sanitize::visible;
use crate::model::time::EventTime;
use crate::theme::{Meaning, Theme};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let Some(p) = &app.sessions else { return };
    let area = centered(frame.area(), 100);
    let block = Block::bordered()
        .border_style(theme.style(Meaning::BorderFocused))
        .title(" saved investigations ")
        .title_bottom(Line::styled(
            format!(
                " type to search · {}: open · {} ",
                app.key_for(Layer::Sessions, Command::Accept),
                app.key_for(Layer::Sessions, Command::Back)
            ),
            theme.style(Meaning::Dim),
        ));
    let inner_h = area.height.saturating_sub(3) as usize;
    let count = format!("{} of {}", p.shown.len(), p.all.len());
    let mut lines = vec![search_line(&p.query, count, theme)];
    if p.loading {
        lines.push(Line::styled("  reading…", theme.style(Meaning::Dim)));
    } else if let Some(e) = &p.error {
        lines.push(Line::styled(
            format!("  {}", visible(e)),
            theme.style(Meaning::Error),
        ));
    } else if p.shown.is_empty() {
        lines.push(Line::styled(
            if p.all.is_empty() {
                "  (nothing saved yet)"
            } else {
                "  (no investigation matches)"
            },
            theme.style(Meaning::Dim),
        ));
    }
    let start = p.cursor.saturating_sub(inner_h.saturating_sub(1));
    for i in start..(start + inner_h).min(p.shown.len()) {
        let Some(s) = p.shown.get(i).and_then(|&j| p.all.get(j)) else {
            break;
        };
        let when = EventTime::from_millis(s.updated_ms).format_utc();
        let when = when.get(..16).unwrap_or(&when).replace('T', " ");
        let current = if app.session.name.as_deref() == Some(s.name.as_str()) {
            " (open)"
        } else {
            ""
        };
        let line = Line::raw(format!(
            "{:<32} {:>9} events  {when}  {}{current}",
            visible(&s.name),
            crate::ui::text::group(s.events as usize),
            visible(&s.source)
        ));
        lines.push(if i == p.cursor {
            line.style(theme.style(Meaning::Selected))
        } else {
            line
        });
    }
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
