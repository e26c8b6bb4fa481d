//! Drawing: `draw(frame, &App, &Theme)` reads the state and never changes it.

mod detail;
mod overlay;
mod status;
mod table;

use crate::app::layout::Area;
use crate::app::App;
use crate::theme::{Meaning, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let layout = app.layout();
    title_bar(frame, app, theme, rect(layout.title));
    table::draw(frame, app, theme, rect(layout.table));
    if let Some(area) = layout.detail {
        detail::draw(frame, app, theme, rect(area));
    }
    status::draw(frame, app, theme, rect(layout.status));
    if let Some(o) = app.overlay {
        overlay::draw(frame, app, theme, o);
    }
}

pub(crate) fn rect(a: Area) -> Rect {
    Rect::new(a.x, a.y, a.width, a.height)
}

fn title_bar(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let style = theme.style(Meaning::Title);
    let label = crate::model::sanitize::visible(&app.source_label).into_owned();
    let line = Line::from(vec![
        Span::styled(" trailscope ", style),
        Span::styled(format!("│ {label} │ all events "), style),
    ]);
    frame.render_widget(Paragraph::new(line).style(style), area);
}
