//! The status bar: counts, load progress, warnings, and where to find help.

use crate::app::command::Command;
use crate::app::layer::Layer;
use crate::app::App;
use crate::theme::{Meaning, Theme};
use crate::ui::text::group;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let base = theme.style(Meaning::Status);
    let accent = theme.style(Meaning::StatusAccent);
    let mut spans = vec![Span::styled(
        format!(" {} events", group(app.store.len())),
        accent,
    )];
    // Said first: it answers the key just pressed.
    if let Some(n) = &app.notice {
        spans.push(Span::styled(format!(" · {n}"), accent));
    }
    if app.store.duplicates() > 0 && app.live.is_none() {
        spans.push(Span::styled(
            format!(" · {} duplicates merged", group(app.store.duplicates())),
            base,
        ));
    }
    let p = app.load.progress;
    // An Athena session's first statement speaks until the editor runs one of its own.
    let first_athena = app
        .athena
        .as_ref()
        .filter(|_| app.lake.as_ref().is_none_or(|l| l.run.is_none()));
    if let (Some(lake), None) = (&app.lake, first_athena) {
        spans.push(Span::styled(crate::ui::lake::status(app, lake), accent));
    } else if let Some(live) = &app.live {
        let t = live.totals();
        let text = if live.is_running() {
            format!(
                " · fetching LookupEvents: {} pages, {} throttles · {} stops",
                t.pages,
                t.throttles,
                key(app, Command::Back)
            )
        } else {
            format!(
                " · {} · {} more · {}/{} go back",
                crate::ui::fetch::held(live),
                key(app, Command::LoadMore),
                key(app, Command::FetchWindow),
                key(app, Command::LoadUntil)
            )
        };
        spans.push(Span::styled(text, accent));
    } else if let Some(q) = first_athena {
        // Running: the query and its progress; ended: what it cost, short (marks and notes
        // follow, and a small terminal cuts from the right).
        let text = match app.load.loading {
            true => format!(
                " · {} · {} stops",
                crate::athena::cost::progress_line(q),
                key(app, Command::Back)
            ),
            false => format!(
                " · Athena {} · {}",
                q.status,
                crate::athena::cost::describe(q.bytes_scanned)
            ),
        };
        spans.push(Span::styled(text, accent));
    } else if app.load.loading && app.session.reopened {
        spans.push(Span::styled(
            format!(" · reopening: {}/{} blocks…", p.files_done, p.files_total),
            accent,
        ));
    } else if let Some(remote) = p.s3 {
        spans.push(Span::styled(s3_progress(app, &p, &remote), accent));
    } else if app.load.loading {
        let mb = p.bytes_read as f64 / 1e6;
        spans.push(Span::styled(
            format!(
                " · loading {}/{} files, {mb:.1} MB…",
                p.files_done, p.files_total
            ),
            accent,
        ));
    } else {
        let files = match (app.session.reopened, p.files_done == 1) {
            (true, _) => "saved blocks",
            (false, true) => "file",
            (false, false) => "files",
        };
        let took = duration(app.load.elapsed_ms(app.now_ms));
        let first = match app.load.first_rows_ms {
            Some(ms) => format!(
                " (first rows {})",
                duration(ms.saturating_sub(app.load.started_ms))
            ),
            None => String::new(),
        };
        spans.push(Span::styled(
            format!(" · {} {files} loaded in {took}{first}", group(p.files_done)),
            base,
        ));
    }
    if !app.marks.is_empty() {
        spans.push(Span::styled(
            format!(
                " · {} marked ({}/{})",
                app.marks.len(),
                key(app, Command::NextMark),
                key(app, Command::PrevMark)
            ),
            base,
        ));
    }
    if !app.notes.is_empty() {
        spans.push(Span::styled(format!(" · {} notes", app.notes.len()), base));
    }
    // Short: the status bar is the first thing cut in a small terminal. A failure says more
    // (the notice has the reason when it happens).
    if app.session.name.is_some() {
        match app.session.status.as_deref() {
            Some(s) if !s.starts_with("saved") => spans.push(Span::styled(
                " · NOT SAVED (:save retries)",
                theme.style(Meaning::Error).bg(base.bg.unwrap_or_default()),
            )),
            // "saved" only once everything on screen is written: while a save is being
            // written (a mark, a note, new events) it says so, and the frame after the save
            // lands says "saved" (the runtime redraws on the reply, no key needed).
            _ if (crate::app::session::unsaved(app) > 0
                || crate::app::session::saving_now(app))
                && !app.load.loading =>
            {
                spans.push(Span::styled(" · saving…", base))
            }
            Some(_) => spans.push(Span::styled(" · saved", base)),
            None => {}
        }
    }
    let problems = app.problem_count();
    if problems > 0 {
        let warn = theme
            .style(Meaning::Warning)
            .patch(base.fg(ratatui::style::Color::Reset))
            .bg(base.bg.unwrap_or_default());
        let list = key(app, Command::ToggleWarnings);
        spans.push(Span::styled(
            format!(" · {problems} problems ({list} to list)"),
            warn,
        ));
    }
    // From the keymap, so a user's own keys are the ones named. The hints have their own
    // place at the right: a long notice or load summary is cut before them, never them.
    let help = key(app, Command::ToggleHelp);
    let quit = key(app, Command::Quit);
    let hints = Line::styled(format!(" · {help} help · {quit} quit "), base);
    let [info, right] = ratatui::layout::Layout::horizontal([
        ratatui::layout::Constraint::Min(0),
        ratatui::layout::Constraint::Length(hints.width() as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)).style(base), info);
    frame.render_widget(Paragraph::new(hints).style(base), right);
}

/// Objects from S3: how many of how many (the total grows while listing), from the cache,
/// failed and throttled; and how to stop.
fn s3_progress(
    app: &App,
    p: &crate::source::Progress,
    r: &crate::source::RemoteProgress,
) -> String {
    let mb = p.bytes_read as f64 / 1e6;
    let mut text = match app.load.loading {
        true => format!(
            " · S3: {}/{}{} objects, {mb:.1} MB",
            group(p.files_done),
            group(p.files_total),
            if r.listing { "+ (listing)" } else { "" }
        ),
        false => format!(
            " · {} S3 objects, {mb:.1} MB, in {}",
            group(p.files_done),
            duration(app.load.elapsed_ms(app.now_ms))
        ),
    };
    if r.cached > 0 {
        text.push_str(&format!(", {} cached", group(r.cached)));
    }
    if r.errors > 0 {
        text.push_str(&format!(", {} failed", group(r.errors)));
    }
    if r.throttles > 0 {
        text.push_str(&format!(", {} slow-downs", r.throttles));
    }
    if app.load.loading {
        text.push_str(&format!(" · {} stops", key(app, Command::Back)));
    }
    text
}

/// The table's key for `command` (the status bar speaks of the table), or `:command`.
fn key(app: &App, command: Command) -> String {
    app.key_for(Layer::Table, command)
}

fn duration(ms: u64) -> String {
    match ms {
        0..=999 => format!("{ms} ms"),
        _ => format!("{:.1} s", ms as f64 / 1000.0),
    }
}
