//! The pivot menu: what the selected event can be followed by, with the user's key for each.
//! Values come from the event (attacker-controlled): shown escaped.

use crate::app::command::Command;
use crate::app::layer::Layer;
use crate::app::nav::Pivot;
use crate::app::App;
use crate::model::sanitize::visible;
use crate::theme::{Meaning, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let Some(idx) = app.selected().filter(|_| app.pivot_menu) else {
        return;
    };
    let key = theme.style(Meaning::HelpKey);
    let dim = theme.style(Meaning::Dim);
    // Each line's two keys: the pivot, then its narrowing form.
    let keys: Vec<String> = Pivot::ALL
        .iter()
        .map(|&p| {
            let pivot = app.key_for(Layer::PivotMenu, Command::Pivot(p));
            let narrow = app.key_for(Layer::PivotMenu, Command::Narrow(p));
            format!("{pivot} {narrow}")
        })
        .collect();
    let w = keys.iter().map(|k| k.chars().count()).max().unwrap_or(1);
    // The names' column fits the longest name ("access-portal session").
    let n = Pivot::ALL
        .iter()
        .map(|p| p.name().chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let lines: Vec<Line> = Pivot::ALL
        .iter()
        .zip(&keys)
        .map(|(&p, k)| match p.term(&app.store, idx) {
            Some(term) => Line::from(vec![
                Span::styled(format!(" {k:<w$}  "), key),
                Span::raw(format!("{:<n$}", p.name())),
                Span::raw(visible(&term).into_owned()),
            ]),
            None => Line::styled(format!(" {k:<w$}  {:<n$}(none)", p.name()), dim),
        })
        .collect();
    let full = frame.area();
    let height = (lines.len() as u16 + 2).min(full.height);
    let width = full.width.min(90);
    let area = Rect::new(
        full.x,
        full.bottom().saturating_sub(height + 1),
        width,
        height,
    );
    let block = Block::bordered()
        .border_style(theme.style(Meaning::BorderFocused))
        .title(Line::styled(
            format!(
                " pivot on… (first key: a new view; second: narrow this one; {} cancels) ",
                app.key_for(Layer::PivotMenu, Command::Back)
            ),
            theme.style(Meaning::Header),
        ));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
