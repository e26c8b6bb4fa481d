//! The filter line: while editing, the text with the error span marked and the reason beside
//! it; otherwise the filter and presets in force.

use crate::app::bar::FilterBar;
use crate::app::App;
use crate::model::sanitize::visible;
use crate::theme::{Meaning, Theme};
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if let Some(bar) = &app.until {
        let label = "load until (36h, 7d, 2026-05-01, or events per region): ";
        return draw_prompt(frame, label, bar, app.until_error.as_deref(), theme, area);
    }
    if let Some(p) = &app.prompt {
        return draw_prompt(frame, p.label(), &p.bar, p.error.as_deref(), theme, area);
    }
    let accent = theme.style(Meaning::HelpKey);
    let mut spans = vec![Span::styled("/ ", accent)];
    let text = match &app.bar {
        Some(bar) => bar.text().to_string(),
        None => app.filter.text.clone(),
    };
    let chars: Vec<char> = text.chars().collect();
    match (&app.bar, &app.filter.error) {
        (Some(_), Some(err)) => {
            let end = (err.at + err.len.max(1)).min(chars.len());
            let at = err.at.min(chars.len());
            let part =
                |a: usize, b: usize| visible(&chars[a..b].iter().collect::<String>()).into_owned();
            spans.push(Span::raw(part(0, at)));
            spans.push(Span::styled(
                part(at, end),
                theme.style(Meaning::Error).underlined(),
            ));
            spans.push(Span::raw(part(end, chars.len())));
            spans.push(Span::styled(
                format!("   ✗ {}", visible(&err.message)),
                theme.style(Meaning::Error),
            ));
        }
        _ => spans.push(Span::raw(visible(&text).into_owned())),
    }
    if !app.filter.presets.is_empty() {
        let names: Vec<&str> = app.filter.presets.iter().map(|p| p.name()).collect();
        spans.push(Span::styled(
            format!("   presets: {}", names.join(" + ")),
            theme.style(Meaning::Dim),
        ));
    }
    if let Some(done) = app.filter.progress() {
        spans.push(Span::styled(
            format!("   filtering… {:.0}%", done * 100.0),
            accent,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if let Some(bar) = &app.bar {
        // Escapes widen the text on screen: place the cursor after the visible prefix.
        let before: String = chars[..bar.cursor().min(chars.len())].iter().collect();
        let x = area.x + 2 + ratatui::text::Line::raw(visible(&before).into_owned()).width() as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// A prompt ("load until", `:` commands, notes): what it takes, what was typed, and why it
/// was refused.
fn draw_prompt(
    frame: &mut Frame,
    label: &str,
    bar: &FilterBar,
    error: Option<&str>,
    theme: &Theme,
    area: Rect,
) {
    let text = visible(bar.text()).into_owned();
    let mut spans = vec![
        Span::styled(label, theme.style(Meaning::HelpKey)),
        Span::raw(text),
    ];
    if let Some(err) = error {
        spans.push(Span::styled(
            format!("   ✗ {}", visible(err)),
            theme.style(Meaning::Error),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    let before: String = bar.text().chars().take(bar.cursor()).collect();
    let x = area.x
        + Line::raw(label).width() as u16
        + Line::raw(visible(&before).into_owned()).width() as u16;
    frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
}
