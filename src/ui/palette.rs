//! The `:` command palette: a box over the bottom of the screen, above the command line,
//! listing the verbs and keymap commands that match what is typed, with their keys.

use crate::app::command::Command;
use crate::app::layer::Layer;
use crate::app::App;
use crate::model::sanitize::visible;
use crate::theme::{Meaning, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

/// Entries shown at most (the list scrolls with the selection).
const MAX_ROWS: usize = 10;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let Some(palette) = app.prompt.as_ref().and_then(|p| p.palette.as_ref()) else {
        return;
    };
    let Some(prompt_line) = app.layout().filter else {
        return;
    };
    let room = prompt_line.y.saturating_sub(1) as usize; // keep the title bar
    let rows = palette
        .shown
        .len()
        .clamp(1, MAX_ROWS)
        .min(room.saturating_sub(2));
    if rows == 0 {
        return;
    }
    let height = rows as u16 + 2;
    let area = Rect::new(0, prompt_line.y - height, prompt_line.width, height);
    let start = palette.cursor.saturating_sub(rows - 1);
    let key_style = theme.style(Meaning::HelpKey);
    let key = |c| app.key_for(Layer::CommandLine, c);
    let mut lines: Vec<Line> = palette
        .shown
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .filter_map(|(i, &e)| {
            let entry = palette.entries.get(e)?;
            let name = format!(" {:<16}", entry.name);
            let keys = format!("{:<18} ", visible(&entry.keys));
            // The picked line in the selection's colours alone, for contrast.
            Some(if i == palette.cursor {
                Line::styled(
                    format!("{name}{keys}{}", entry.desc),
                    theme.style(Meaning::Selected),
                )
            } else {
                Line::from(vec![
                    Span::styled(name, key_style),
                    Span::styled(keys, theme.style(Meaning::Dim)),
                    Span::raw(entry.desc.clone()),
                ])
            })
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            format!(
                " nothing matches: {} closes, backspace edits",
                key(Command::Back)
            ),
            theme.style(Meaning::Dim),
        ));
    }
    let block = Block::bordered()
        .border_style(theme.style(Meaning::BorderFocused))
        .title(Line::styled(
            format!(
                " commands {}/{} · {}/{} pick · {} completes · {} runs ",
                palette.shown.len().min(palette.cursor + 1),
                palette.shown.len(),
                key(Command::MoveUp),
                key(Command::MoveDown),
                key(Command::Complete),
                key(Command::Accept)
            ),
            theme.style(Meaning::Header),
        ));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
