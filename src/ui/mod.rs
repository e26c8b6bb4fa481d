//! Drawing: `draw(frame, &App, &Theme)` reads the state and never changes it.

mod detail;
mod explain;
pub(crate) mod fetch;
mod filter_line;
mod findings;
mod lake;
mod overlay;
mod palette;
mod picker;
mod pivot_menu;
mod profile;
mod sessions;
pub(crate) mod status;
mod table;
mod text;
mod timeline;

use crate::app::layer::Layer;
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
    if let (Some(area), Some(e)) = (layout.explain, app.explanation()) {
        let key = app.key_for(
            crate::app::layer::Layer::Table,
            crate::app::command::Command::Explain,
        );
        explain::draw(frame, &e, &key, theme, rect(area));
    }
    if let Some(area) = layout.filter {
        filter_line::draw(frame, app, theme, rect(area));
    }
    if let (Some(area), Some(live)) = (layout.fetch, &app.live) {
        fetch::draw_line(frame, live, theme, rect(area));
    }
    status::draw(frame, app, theme, rect(layout.status));
    // Bottom to top, as `App::layers` stacks them: the one with the keys is drawn last.
    for layer in app.layers() {
        draw_layer(frame, app, theme, layer);
    }
}

/// A layer over the screen. The table and the detail pane are the screen itself; the
/// prompts are its filter line (the command line's palette is a box above it).
fn draw_layer(frame: &mut Frame, app: &App, theme: &Theme, layer: Layer) {
    match layer {
        Layer::Help
        | Layer::Warnings
        | Layer::Columns
        | Layer::Fetch
        | Layer::Lineage
        | Layer::Marks
        | Layer::Views
        | Layer::Findings
        | Layer::Timeline => {
            if let Some(o) = app.overlay {
                overlay::draw(frame, app, theme, o);
            }
        }
        Layer::Facets => picker::draw(frame, app, theme),
        Layer::LakeResults => lake::draw_results(frame, app, theme),
        Layer::LakeEditor => lake::draw_editor(frame, app, theme),
        Layer::LakePicker => lake::draw_picker(frame, app, theme),
        Layer::PivotMenu => pivot_menu::draw(frame, app, theme),
        Layer::Sessions => sessions::draw(frame, app, theme),
        Layer::CommandLine => palette::draw(frame, app, theme),
        // Drawn by the layer under it (the template list is in the editor's box) or on the
        // filter line.
        Layer::LakeTemplates
        | Layer::Table
        | Layer::Detail
        | Layer::Until
        | Layer::FilterBar
        | Layer::Note => {}
    }
}

pub(crate) fn rect(a: Area) -> Rect {
    Rect::new(a.x, a.y, a.width, a.height)
}

fn title_bar(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let style = theme.style(Meaning::Title);
    let label = crate::model::sanitize::visible(&app.source_label).into_owned();
    let mut spans = vec![Span::styled(" trailscope ", style)];
    // What ran at AWS and what runs here: the planner's account of the fetch.
    if let Some(live) = &app.live {
        let plan = crate::model::sanitize::visible(&live.plan.describe()).into_owned();
        spans.push(Span::styled(format!("│ {plan} "), style));
        let cut = live.clamped.describe();
        if !cut.is_empty() {
            spans.push(Span::styled(format!("│ {cut} "), style));
        }
    }
    let view = format!("│ {} ", view_name(app));
    // The source's label and, after pivots, the walk so far share what the name, the plan
    // and the count leave; both are cut from the middle when long, the walk keeping the
    // larger share, so the view on screen and the count after it never fall off.
    let used: usize = spans.iter().map(|s| s.width()).sum::<usize>() + view.chars().count();
    let crumbs: Vec<String> = match app.nav.back.is_empty() {
        true => Vec::new(),
        false => app
            .nav
            .crumbs(&app.current_view())
            .iter()
            .map(|c| crate::model::sanitize::visible(c).into_owned())
            .collect(),
    };
    let frames = if crumbs.is_empty() { 3 } else { 6 };
    let room = (area.width as usize).saturating_sub(used + frames);
    let label_width = label.chars().count();
    let label_room = match crumbs.is_empty() {
        true => room,
        false => {
            let walk_width = crumbs.iter().map(|c| c.chars().count() + 3).sum::<usize>();
            room.saturating_sub(walk_width)
                .max(label_width.min((room / 3).max(8)))
        }
    };
    let label = text::shorten_middle(&label, label_room.max(4));
    let crumb_room = room.saturating_sub(label.chars().count());
    spans.insert(1, Span::styled(format!("│ {label} "), style));
    if !crumbs.is_empty() {
        let crumbs = text::fit_crumbs(&crumbs, crumb_room.max(12));
        spans.push(Span::styled(format!("│ {crumbs} "), style));
    }
    spans.push(Span::styled(view, style));
    let line = Line::from(spans);
    frame.render_widget(Paragraph::new(line).style(style), area);
}

/// What the table shows, in words.
fn view_name(app: &App) -> String {
    if !app.filter.is_active() {
        return "all events".to_string();
    }
    // A preview's rows are final but not all: more are still being found.
    let more = if app.filter.is_preview() { "+" } else { "" };
    format!(
        "{}{more} of {} events match",
        text::group(app.rows().len()),
        text::group(app.store.len())
    )
}
