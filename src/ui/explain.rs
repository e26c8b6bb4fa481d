//! What the selected event is, above its JSON: what the call does, how attackers use it, its
//! ATT&CK tactics and techniques, the Stratus Red Team techniques that produce it, and whose
//! words these are (their licences ask for the credit on screen, where the text is shown).

use crate::explain::Explanation;
use crate::model::sanitize::visible;
use crate::theme::{Meaning, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, e: &Explanation, key: &str, theme: &Theme, area: Rect) {
    let title = format!(
        " {} · {} ({key} hides) ",
        visible(&e.name),
        visible(&e.service)
    );
    // The credit on the border, where it shows however little of the text fits.
    let block = Block::bordered()
        .border_style(theme.style(Meaning::Border))
        .title(Line::styled(title, theme.style(Meaning::Header)))
        .title_bottom(Line::styled(
            format!(" {} ", credit(e)),
            theme.style(Meaning::Dim),
        ));
    let para = Paragraph::new(lines(e, theme))
        .block(block)
        .wrap(Wrap { trim: true });
    frame.render_widget(para, area);
}

/// The explanation's lines, most useful first (the pane may show only the top of them).
pub fn lines<'a>(e: &Explanation, theme: &Theme) -> Vec<Line<'a>> {
    e.parts()
        .into_iter()
        .map(|(label, text)| {
            Line::from(vec![
                Span::styled(label, theme.style(Meaning::JsonKey)),
                Span::raw(text),
            ])
        })
        .collect()
}

/// Whose words these are: TrailDiscover's texts (CC BY 4.0) and Stratus Red Team's techniques
/// (Apache-2.0); `trailscope --credits` has the links and the full names.
fn credit(e: &Explanation) -> String {
    let mut from = Vec::new();
    if !e.description.is_empty() || !e.implications.is_empty() {
        from.push("TrailDiscover by A. Alvarez, CC BY 4.0");
    }
    if !e.stratus.is_empty() {
        from.push("Stratus Red Team, Apache-2.0");
    }
    from.join(" · ")
}
