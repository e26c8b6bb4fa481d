//! CloudTrail Lake and Athena on screen: the SQL editor (with the template list), the
//! picker of event data stores or tables, the results table, and the query's line in the
//! status bar. Cells and store names come from AWS and from events: shown escaped.

use super::picker::centered;
use crate::app::command::Command;
use crate::app::lake::{Choices, Engine, LakeSession};
use crate::app::layer::Layer;
use crate::app::App;
use crate::model::sanitize::visible;
use crate::theme::{Meaning, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui::Frame;

/// The SQL editor, with the template list in it when that is open.
pub fn draw_editor(frame: &mut Frame, app: &App, theme: &Theme) {
    let Some(lake) = &app.lake else { return };
    let key = |c| app.key_for(Layer::LakeEditor, c);
    let area = centered(frame.area(), 120);
    let window = format!(
        "{} → {} UTC",
        lake.window.start.format_utc(),
        lake.window.end.format_utc()
    );
    let run = app.keymap.keys_in(Layer::LakeEditor, Command::RunSql);
    let run = match run.as_slice() {
        [] => key(Command::RunSql),
        keys => keys
            .iter()
            .take(2)
            .map(|k| k.hint())
            .collect::<Vec<_>>()
            .join("/"),
    };
    let block = Block::bordered()
        .border_style(theme.style(Meaning::BorderFocused))
        .title(Line::styled(
            format!(
                " {} SQL · {} · {window} ",
                lake.engine_name(),
                visible(&lake.store)
            ),
            theme.style(Meaning::Header),
        ))
        .title_bottom(Line::styled(
            format!(
                " {run} run · {} templates · {}/{} history · {} closes (the text stays) ",
                key(Command::Templates),
                key(Command::HistoryBack),
                key(Command::HistoryForward),
                key(Command::Back)
            ),
            theme.style(Meaning::Dim),
        ));
    frame.render_widget(Clear, area);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let error_h = u16::from(lake.editor.error.is_some()) * 2;
    let text_area = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(error_h),
    );
    if let Some(cursor) = lake.editor.templates {
        draw_templates(frame, app, cursor, theme, text_area);
    } else {
        frame.render_widget(&lake.editor.input, text_area);
    }
    if let Some(e) = &lake.editor.error {
        let at = Rect::new(inner.x, inner.bottom().saturating_sub(2), inner.width, 2);
        let line = Line::styled(visible(e).into_owned(), theme.style(Meaning::Error));
        frame.render_widget(
            Paragraph::new(line).wrap(ratatui::widgets::Wrap { trim: true }),
            at,
        );
    }
}

fn draw_templates(frame: &mut Frame, app: &App, cursor: usize, theme: &Theme, area: Rect) {
    let key = |c| app.key_for(Layer::LakeTemplates, c);
    let mut lines = vec![Line::styled(
        format!(
            "Playbook queries ({}/{}, {} fills the editor from the selected event or pivot; {} back):",
            key(Command::MoveUp),
            key(Command::MoveDown),
            key(Command::Accept),
            key(Command::Back)
        ),
        theme.style(Meaning::Dim),
    )];
    let templates = app.lake.as_ref().map_or(&[][..], |l| l.templates());
    for (i, t) in templates.iter().enumerate() {
        let params: Vec<&str> = t.params.iter().map(|p| p.name()).collect();
        let style = if i == cursor {
            theme.style(Meaning::Selected)
        } else {
            theme.style(Meaning::Normal)
        };
        let needs = match params.is_empty() {
            true => String::new(),
            false => format!("  [{}]", params.join(", ")),
        };
        lines.push(Line::styled(
            format!(" {:<20} {}{needs}", t.name, t.title),
            style,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The event data stores to pick from.
pub fn draw_picker(frame: &mut Frame, app: &App, theme: &Theme) {
    let Some(lake) = app.lake.as_ref() else {
        return;
    };
    let Some(picker) = lake.picker.as_ref() else {
        return;
    };
    let key = |c| app.key_for(Layer::LakePicker, c);
    let area = centered(frame.area(), 110);
    let block = Block::bordered()
        .border_style(theme.style(Meaning::BorderFocused))
        .title(Line::styled(
            match lake.engine {
                Engine::Lake => " CloudTrail Lake: pick an event data store ",
                Engine::Athena { .. } => " Athena: pick a CloudTrail table ",
            },
            theme.style(Meaning::Header),
        ))
        .title_bottom(Line::styled(
            format!(
                " {}/{} · {} opens its SQL editor · {} quits ",
                key(Command::MoveUp),
                key(Command::MoveDown),
                key(Command::Accept),
                key(Command::Back)
            ),
            theme.style(Meaning::Dim),
        ));
    let lines: Vec<Line> = match &picker.stores {
        None => vec![Line::styled(
            match lake.engine {
                Engine::Lake => "asking ListEventDataStores…",
                Engine::Athena { .. } => "asking the Athena catalog for CloudTrail tables…",
            },
            theme.style(Meaning::Dim),
        )],
        Some(Err(e)) => vec![
            Line::styled(visible(e).into_owned(), theme.style(Meaning::Error)),
            Line::styled(
                format!(
                    "{} asks again · {} quits",
                    key(Command::Retry),
                    key(Command::Back)
                ),
                theme.style(Meaning::Dim),
            ),
        ],
        Some(Ok(choices)) if choices.is_empty() => vec![Line::styled(
            match choices {
                Choices::Stores(_) => "no event data stores in this region (--region picks another)",
                Choices::Tables(_) => "no CloudTrail table in this region's Athena catalog: `trailscope athena create-table s3://BUCKET --run` makes one",
            },
            theme.style(Meaning::Warning),
        )],
        Some(Ok(choices)) => {
            let texts: Vec<String> = match choices {
                Choices::Stores(stores) => stores.iter().map(store_line).collect(),
                Choices::Tables(tables) => tables
                    .iter()
                    .map(|t| format!(" {:<36} {}  {}", t.name, t.bounds(), t.location))
                    .collect(),
            };
            texts
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let style = if i == picker.cursor {
                        theme.style(Meaning::Selected)
                    } else {
                        theme.style(Meaning::Normal)
                    };
                    Line::styled(visible(text).into_owned(), style)
                })
                .collect()
        }
    };
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// One event data store, as the picker lists it.
fn store_line(s: &crate::lake::stores::StoreInfo) -> String {
    let flags = [
        (s.multi_region == Some(true)).then_some("multi-region"),
        (s.organization == Some(true)).then_some("organization"),
    ];
    let flags: Vec<&str> = flags.into_iter().flatten().collect();
    format!(
        " {:<28} {:<38} {:<9} {:>10}  {}",
        s.name,
        s.id,
        s.status,
        s.retention_days
            .map_or(String::new(), |d| format!("{d} days")),
        flags.join(", ")
    )
}

/// The last aggregate answer, with its cursor cell.
pub fn draw_results(frame: &mut Frame, app: &App, theme: &Theme) {
    let Some(lake) = app.lake.as_ref() else {
        return;
    };
    let Some(view) = lake.results.as_ref() else {
        return;
    };
    let key = |c| app.key_for(Layer::LakeResults, c);
    let area = centered(frame.area(), 160);
    let t = &view.table;
    let block = Block::bordered()
        .border_style(theme.style(Meaning::BorderFocused))
        .title(Line::styled(
            format!(" {} results · {} rows ", lake.engine_name(), t.rows.len()),
            theme.style(Meaning::Header),
        ))
        .title_bottom(Line::styled(
            format!(
                " {}/{} row · {}/{} column · {} pivots on the cell (its SQL is shown first) · {} ",
                key(Command::MoveUp),
                key(Command::MoveDown),
                key(Command::MoveLeft),
                key(Command::MoveRight),
                key(Command::Accept),
                key(Command::Back)
            ),
            theme.style(Meaning::Dim),
        ));
    let cells: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| visible(&c.text()).into_owned()).collect())
        .collect();
    let widths: Vec<usize> = (0..t.columns.len())
        .map(|i| {
            cells
                .iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .chain([t.columns[i].chars().count()])
                .max()
                .unwrap_or(0)
                .clamp(4, 64)
        })
        .collect();
    let fit = |s: &str, w: usize| -> String {
        let n = s.chars().count();
        if n <= w {
            format!("{s:<w$}")
        } else {
            let cut: String = s.chars().take(w.saturating_sub(1)).collect();
            format!("{cut}…")
        }
    };
    let header: Vec<Span> = t
        .columns
        .iter()
        .zip(&widths)
        .enumerate()
        .map(|(i, (c, &w))| {
            let style = if i == view.col {
                theme.style(Meaning::Selected)
            } else {
                theme.style(Meaning::Header)
            };
            Span::styled(format!("{} ", fit(&visible(c), w)), style)
        })
        .collect();
    let mut lines = vec![Line::from(header)];
    let room = area.height.saturating_sub(3) as usize;
    let start = view.row.saturating_sub(room.saturating_sub(1));
    for (r, row) in cells.iter().enumerate().skip(start).take(room) {
        let spans: Vec<Span> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (text, &w))| {
                let style = match (r == view.row, c == view.col) {
                    (true, true) => theme.style(Meaning::Selected),
                    (true, false) => theme.style(Meaning::SelectedUnfocused),
                    _ => theme.style(Meaning::Normal),
                };
                Span::styled(format!("{} ", fit(text, w)), style)
            })
            .collect();
        lines.push(Line::from(spans));
    }
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The status bar's words for the Lake session: the query running, or how the last ended.
/// Keys are named from the keymap, so a user's own are the ones shown.
pub fn status(app: &App, lake: &LakeSession) -> String {
    let edit = app.key_for(Layer::Table, Command::LakeEditor);
    let results = app.key_for(Layer::Table, Command::LakeResults);
    let engine = lake.engine_name();
    let Some(run) = &lake.run else {
        return match (lake.store.as_str(), &lake.engine) {
            ("", Engine::Lake) => " · CloudTrail Lake: pick an event data store".to_string(),
            ("", Engine::Athena { .. }) => " · Athena: pick a CloudTrail table".to_string(),
            (store, _) => format!(" · {engine} {} · {edit} writes SQL", visible(store)),
        };
    };
    let p = &run.progress;
    let cost = lake.cost(p.bytes_scanned);
    let cancel = app.key_for(Layer::Table, Command::Back);
    match (run.is_running(), &lake.engine) {
        (true, Engine::Lake) => format!(
            " · Lake {} · {} scanned · {} matched · {cost} · {cancel} cancels",
            p.status,
            super::text::group(p.events_scanned.max(0) as usize),
            super::text::group(p.events_matched.max(0) as usize),
        ),
        (true, Engine::Athena { .. }) => format!(
            " · {} · {cancel} cancels",
            crate::athena::cost::progress_line(p)
        ),
        (false, _) => {
            let rows = match run.events {
                Some(true) => format!("{} events joined", run.joined),
                Some(false) => format!("{} rows ({results})", p.rows),
                None => "no rows".to_string(),
            };
            format!(
                " · {engine} {} · {rows} · {cost} · {edit} writes SQL",
                p.status
            )
        }
    }
}
