//! The reducer's CloudTrail Lake part: the SQL editor (run, history, templates), the store
//! picker, the results table and its pivots, a pivot pushed down as SQL, and the reports of
//! a running query.

use super::pressed::Pressed;
use super::walk::pivot_to;
use super::{App, Effect};
use crate::app::command::Command;
use crate::app::jobs::JobKind;
use crate::app::key::KeyCode;
use crate::app::lake::{AthenaOn, Choices, Engine, LakeRun};
use crate::app::layer::Layer;
use crate::filter::facet::quote;
use crate::filter::field::Field;
use crate::job::{JobSpec, QueryProgress};
use crate::lake::rows::Cell;
use crate::lake::sql::{events_query, store_id};
use crate::lake::templates::Param;
use crate::model::sanitize::visible;
use ratatui_textarea::{Input, Key as TaKey};

/// The notice for the SQL keys in a session that queries neither Lake nor Athena, naming the
/// user's keys.
fn not_lake(app: &App) -> String {
    format!(
        "{} and {} are for SQL on CloudTrail Lake or Athena: start trailscope with --lake EDS_ID or --athena DB.TABLE (alone, each offers what there is)",
        app.key_for(Layer::Table, Command::LakeEditor),
        app.key_for(Layer::Table, Command::LakeResults)
    )
}

pub(super) fn open_editor(app: &mut App) {
    match app.lake.as_mut() {
        // The picker is open until a store is chosen (leaving it quits): nothing to edit yet.
        Some(lake) if lake.store.is_empty() => {}
        Some(lake) => lake.editing = true,
        None => app.notice = Some(not_lake(app)),
    }
}

pub(super) fn open_results(app: &mut App) {
    match app.lake.as_mut() {
        Some(lake) if lake.results.is_some() => lake.results_open = true,
        Some(_) => app.notice = Some("no results table yet: aggregate queries fill one".into()),
        None => app.notice = Some(not_lake(app)),
    }
}

/// Esc in the table while a query runs: cancel it (CancelQuery); what arrived stays.
pub(super) fn cancel(app: &mut App, effects: &mut Vec<Effect>) -> bool {
    let Some(lake) = app.lake.as_mut().filter(|l| l.is_running()) else {
        return false;
    };
    if let Some(run) = lake.run.as_mut() {
        run.progress.status = "CANCELLING".to_string();
        app.jobs.stopping(run.job);
        effects.push(Effect::Cancel(run.job));
    }
    app.notice = Some(format!("cancelling the {} query…", lake.engine_name()));
    true
}

/// Keys while the editor is open: its commands, and text for the SQL.
pub(super) fn editor_key(app: &mut App, pressed: Pressed, effects: &mut Vec<Effect>) {
    let Some(lake) = app.lake.as_mut() else {
        return;
    };
    let editor = &mut lake.editor;
    let command = match pressed {
        Pressed::Run(call) => call.command,
        Pressed::Nothing => return,
        Pressed::Text(key) => {
            let ta_key = match key.code {
                KeyCode::Char(c) => TaKey::Char(c),
                KeyCode::Enter => TaKey::Enter,
                KeyCode::Tab => TaKey::Tab,
                KeyCode::Backspace => TaKey::Backspace,
                KeyCode::Delete => TaKey::Delete,
                KeyCode::Left => TaKey::Left,
                KeyCode::Right => TaKey::Right,
                KeyCode::Up => TaKey::Up,
                KeyCode::Down => TaKey::Down,
                KeyCode::Home => TaKey::Home,
                KeyCode::End => TaKey::End,
                KeyCode::PageUp => TaKey::PageUp,
                KeyCode::PageDown => TaKey::PageDown,
                _ => return,
            };
            editor.input.input(Input {
                key: ta_key,
                ctrl: key.ctrl,
                alt: key.alt,
                shift: false,
            });
            editor.error = None;
            return;
        }
    };
    match command {
        Command::Quit => effects.push(Effect::Quit),
        Command::Back => lake.editing = false,
        Command::RunSql => {
            let sql = editor.text();
            run(app, sql, effects);
        }
        Command::Templates => {
            editor.templates = Some(0);
            editor.error = None;
        }
        Command::HistoryBack => history(lake, -1),
        Command::HistoryForward => history(lake, 1),
        _ => {}
    }
}

/// Ctrl-P / Ctrl-N: the statements run before, newest first.
fn history(lake: &mut crate::app::lake::LakeSession, step: isize) {
    let n = lake.history.len();
    if n == 0 {
        lake.editor.error = Some("no statements run yet".to_string());
        return;
    }
    let at = match (lake.editor.history_at, step < 0) {
        (None, true) => n - 1,
        (None, false) => return,
        (Some(i), true) => i.saturating_sub(1),
        (Some(i), false) if i + 1 >= n => {
            lake.editor.history_at = None;
            return lake.editor.set_text("");
        }
        (Some(i), false) => i + 1,
    };
    let sql = lake.history[at].clone();
    lake.editor.set_text(&sql);
    lake.editor.history_at = Some(at);
}

/// The template list: move, fill the editor with one, or go back to it.
pub(super) fn template_key(app: &mut App, pressed: Pressed, effects: &mut Vec<Effect>) {
    let Some(cursor) = app.lake.as_ref().and_then(|l| l.editor.templates) else {
        return;
    };
    let Some(templates) = app.lake.as_ref().map(|l| l.templates()) else {
        return;
    };
    let last = templates.len() - 1;
    let mut rendered = None;
    let next = match pressed.command() {
        Some(Command::Quit) => return effects.push(Effect::Quit),
        Some(Command::Back) => None,
        Some(Command::MoveUp) => Some(cursor.saturating_sub(1)),
        Some(Command::MoveDown) => Some((cursor + 1).min(last)),
        Some(Command::Accept) => {
            rendered = app
                .lake
                .as_ref()
                .map(|lake| lake.render(&templates[cursor], |p| param_value(app, p)));
            None
        }
        _ => Some(cursor),
    };
    let Some(lake) = app.lake.as_mut() else {
        return;
    };
    lake.editor.templates = next;
    match rendered {
        Some(Ok(sql)) => lake.editor.set_text(&sql),
        Some(Err(why)) => lake.editor.error = Some(why),
        None => {}
    }
}

/// A template parameter's value: from the current pivot first (`key:=…` in the filter),
/// then from the selected event.
fn param_value(app: &App, p: Param) -> Option<String> {
    let field = match p {
        Param::Key => Field::Key,
        Param::Ip => Field::Ip,
        Param::Role => Field::Role,
        Param::Arn => Field::Arn,
        Param::Chain => return chain_keys(app).map(|keys| keys.join(",")),
    };
    if let Ok(crate::filter::Expr::Field {
        field: f,
        value,
        exact: true,
    }) = crate::filter::parse(&app.filter.text)
    {
        if f == field || (p == Param::Arn && f == Field::Principal && value.starts_with("arn:")) {
            return Some(value);
        }
    }
    let e = app.store.event(app.selected()?);
    let sym = match p {
        Param::Key | Param::Chain => e.identity.access_key_id,
        Param::Ip => e.source_ip,
        Param::Role => e.identity.issuer_arn,
        Param::Arn => e.identity.arn,
    };
    Some(app.store.text(sym).to_string()).filter(|s| !s.is_empty())
}

/// The key of the current pivot (or of the selected event) and every key it minted, as far
/// as the loaded events show: what `key-chain` asks Athena about.
fn chain_keys(app: &App) -> Option<Vec<String>> {
    let key = param_value(app, Param::Key)?;
    Some(super::pushdown::chain_of(app, &key))
}

/// Runs `sql` at the start of a session (`--sql`, `--template`).
pub(crate) fn run_first(app: &mut App, sql: String) -> Vec<Effect> {
    let mut effects = Vec::new();
    run(app, sql, &mut effects);
    effects
}

/// Sends `sql` to Lake; the editor closes so the table shows what arrives.
fn run(app: &mut App, sql: String, effects: &mut Vec<Effect>) {
    let Some(lake) = app.lake.as_mut() else {
        return;
    };
    if sql.trim().is_empty() {
        let templates = app.keymap.key_for(Layer::LakeEditor, Command::Templates);
        lake.editor.error = Some(format!(
            "nothing to run: write SQL, or {templates} for a template"
        ));
        return;
    }
    lake.remember(&sql);
    // One query at a time: the one running is cancelled (on Lake's side too, so it stops
    // billing) and whatever it still sends is stale.
    if let Some(old) = lake.run.as_ref().filter(|r| r.is_running()).map(|r| r.job) {
        app.jobs.forget(old);
        effects.push(Effect::Cancel(old));
    }
    let job = app.jobs.start(JobKind::LakeQuery);
    let mut evidence = None;
    let spec = match &lake.engine {
        Engine::Lake => JobSpec::LakeQuery(sql.clone()),
        Engine::Athena { workgroup, .. } => {
            evidence = super::athena::record_start(&mut app.session, &sql, workgroup.as_str());
            let origin = format!("Athena {}", lake.store);
            JobSpec::AthenaQuery {
                sql: sql.clone(),
                origin,
            }
        }
    };
    lake.run = Some(LakeRun {
        job,
        sql: sql.clone(),
        progress: QueryProgress {
            status: "STARTING".to_string(),
            ..QueryProgress::default()
        },
        ending: None,
        events: None,
        joined: 0,
        evidence,
    });
    lake.editing = false;
    lake.editor.error = None;
    effects.push(Effect::Start {
        job,
        spec: Box::new(spec),
    });
}

/// Keys in the results table: move, pick a column, pivot on the cell.
pub(super) fn results_key(app: &mut App, pressed: Pressed, effects: &mut Vec<Effect>) {
    let Some(command) = pressed.command() else {
        return;
    };
    if command == Command::Quit {
        return effects.push(Effect::Quit);
    }
    let Some(lake) = app.lake.as_mut() else {
        return;
    };
    let Some(view) = lake.results.as_mut() else {
        lake.results_open = false;
        return;
    };
    let rows = view.table.rows.len().max(1);
    let cols = view.table.columns.len().max(1);
    match command {
        Command::Back => lake.results_open = false,
        Command::MoveUp => view.row = view.row.saturating_sub(1),
        Command::MoveDown => view.row = (view.row + 1).min(rows - 1),
        Command::PageUp => view.row = view.row.saturating_sub(10),
        Command::PageDown => view.row = (view.row + 10).min(rows - 1),
        Command::MoveLeft => view.col = view.col.saturating_sub(1),
        Command::MoveRight => view.col = (view.col + 1).min(cols - 1),
        Command::Accept => pivot_on_cell(app),
        _ => {}
    }
}

/// The selected cell as a pivot: the view filters to it and the pivot's SQL is offered.
fn pivot_on_cell(app: &mut App) {
    let Some(view) = app.lake.as_ref().and_then(|l| l.results.as_ref()) else {
        return;
    };
    let column = view
        .table
        .columns
        .get(view.col)
        .cloned()
        .unwrap_or_default();
    let value = match view.table.rows.get(view.row).and_then(|r| r.get(view.col)) {
        Some(Cell::Null) | None => {
            app.notice = Some("this cell is empty".to_string());
            return;
        }
        Some(cell) => cell.text(),
    };
    let Some(field) = field_of(&column) else {
        app.notice = Some(format!(
            "{} cannot be pivoted on ({}/{} pick an IP, key, ARN, event, account… column)",
            visible(&column),
            app.key_for(Layer::LakeResults, Command::MoveLeft),
            app.key_for(Layer::LakeResults, Command::MoveRight)
        ));
        return;
    };
    if let Some(lake) = app.lake.as_mut() {
        lake.results_open = false;
    }
    pivot_to(app, format!("{}:={}", field.name(), quote(&value)));
}

/// The filter field a results column holds, by Lake's column names and trailscope's aliases.
fn field_of(column: &str) -> Option<Field> {
    let leaf = column.rsplit('.').next().unwrap_or(column);
    Some(match (column, leaf) {
        (_, "sourceIPAddress" | "ip") => Field::Ip,
        (_, "accessKeyId" | "key") => Field::Key,
        (_, "credentialId" | "portal") => Field::Portal,
        ("userIdentity.sessionContext.sessionIssuer.arn" | "role", _) => Field::Role,
        (_, "arn") => Field::Arn,
        (_, "eventName") => Field::Event,
        (_, "eventSource") => Field::Source,
        (_, "recipientAccountId" | "accountId" | "account") => Field::Account,
        (_, "errorCode") => Field::Error,
        (_, "awsRegion") => Field::Region,
        (_, "vpcEndpointId") => Field::Vpce,
        (_, "userAgent") => Field::UserAgent,
        (_, "eventID") => Field::Id,
        _ => return None,
    })
}

/// The store picker: move, pick one, or leave without one.
pub(super) fn picker_key(app: &mut App, pressed: Pressed, effects: &mut Vec<Effect>) {
    let Some(command) = pressed.command() else {
        return;
    };
    if command == Command::Quit {
        return effects.push(Effect::Quit);
    }
    let Some(lake) = app.lake.as_mut() else {
        return;
    };
    let Some(picker) = lake.picker.as_mut() else {
        return;
    };
    let count = match &picker.stores {
        Some(Ok(c)) => c.len(),
        _ => 0,
    };
    match command {
        Command::Back => {
            lake.picker = None;
            if lake.store.is_empty() {
                effects.push(Effect::Quit);
            }
        }
        Command::MoveUp => picker.cursor = picker.cursor.saturating_sub(1),
        Command::MoveDown => picker.cursor = (picker.cursor + 1).min(count.saturating_sub(1)),
        Command::Retry if matches!(picker.stores, Some(Err(_))) => {
            picker.stores = None;
            let athena = matches!(lake.engine, Engine::Athena { .. });
            super::lake_reports::list_choices(&mut app.jobs, athena, effects);
        }
        Command::Accept => match &picker.stores {
            Some(Ok(Choices::Stores(s))) => {
                if let Some(store) = s.get(picker.cursor).cloned() {
                    pick_store(app, &store);
                }
            }
            Some(Ok(Choices::Tables(t))) => {
                if let Some(table) = t.get(picker.cursor).cloned() {
                    pick_table(app, &table);
                }
            }
            _ => {}
        },
        _ => {}
    }
}

fn pick_store(app: &mut App, store: &crate::lake::stores::StoreInfo) {
    let Some(lake) = app.lake.as_mut() else {
        return;
    };
    // An id from ListEventDataStores follows FROM unquoted: it passes the check a typed
    // `--lake ID` passes, or it is not used.
    match store_id(&store.id) {
        Ok(id) => {
            lake.picker = None;
            lake.editor.set_text(&events_query(&id, lake.window, None));
            lake.editing = true;
            app.source_label = format!("CloudTrail Lake {} ({id})", store.name);
            lake.store = id;
        }
        Err(why) => app.notice = Some(format!("not querying that event data store: {why}")),
    }
}

/// A table from the catalog: its names pass the checks a typed `--athena DB.TABLE` passes,
/// and the editor opens on the window's events, to be run (and billed) when the user says.
/// A table read whole says so, with its size, above the statement.
fn pick_table(app: &mut App, found: &crate::athena::catalog::FoundTable) {
    let Some(lake) = app.lake.as_mut() else {
        return;
    };
    let checked = found
        .parts()
        .ok_or_else(|| "not DATABASE.TABLE".to_string())
        .and_then(|(db, t)| crate::athena::sql::Table::new(db, t));
    let table = match checked {
        Ok(t) => t,
        Err(why) => {
            app.notice = Some(format!("not querying that table: {}", visible(&why)));
            return;
        }
    };
    if let Engine::Athena { on, .. } = &mut lake.engine {
        *on = Some(AthenaOn {
            table,
            partitioned: found.partitioned,
        });
    }
    lake.store = found.name.clone();
    lake.picker = None;
    match lake.events_sql(None) {
        Ok(sql) => lake.editor.set_text(&sql),
        Err(why) => lake.editor.error = Some(why),
    }
    if found.partitioned == crate::athena::sql::Partitioned::No {
        lake.editor.error = Some(format!(
            "{} is read whole by every statement: {} ({}). `trailscope athena create-table` makes a partitioned table",
            found.name,
            found.location,
            found.whole_size.as_deref().unwrap_or("size unknown")
        ));
    }
    lake.editing = true;
    app.source_label = format!("Athena {}", found.name);
    if let Some(source) = app.session.sources.iter_mut().find(|s| s.kind == "athena") {
        source.label = app.source_label.clone();
    }
}

/// Pasted text goes into the editor when it is open: one statement, control characters out.
pub(super) fn paste(app: &mut App, text: &str) -> bool {
    let Some(lake) = app
        .lake
        .as_mut()
        .filter(|l| l.editing && l.editor.templates.is_none())
    else {
        return false;
    };
    let clean: String = text
        .chars()
        .filter(|&c| c == '\n' || !crate::model::sanitize::is_unsafe(c))
        .collect();
    lake.editor.input.insert_str(clean);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::lake::LakeSession;
    use crate::app::update::lake_reports::{on_query, on_stores};
    use crate::job::{JobId, JobMsg, Progress};
    use crate::lake::sql::Window;
    use crate::model::time::EventTime;

    fn row(ip: &str, n: u32) -> Vec<(String, String)> {
        vec![("ip".into(), ip.into()), ("events".into(), n.to_string())]
    }

    fn lake_app(store: &str) -> App {
        let mut app = App::new(
            crate::keymap::Keymap::default_keymap(),
            "lake".into(),
            120,
            40,
        );
        let window = Window {
            start: EventTime::from_millis(0),
            end: EventTime::from_millis(1),
        };
        app.lake = Some(LakeSession::new(store.into(), window, ""));
        app
    }

    fn enter() -> crate::app::msg::Msg {
        use crate::app::key::Key;
        crate::app::msg::Msg::Key(Key::plain(KeyCode::Enter))
    }

    fn listed(id: &str) -> crate::lake::stores::StoreInfo {
        crate::lake::stores::StoreInfo {
            id: id.to_string(),
            arn: format!("arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/{id}"),
            name: "trail".to_string(),
            status: "ENABLED".to_string(),
            retention_days: None,
            multi_region: None,
            organization: None,
        }
    }

    /// A store id from ListEventDataStores follows FROM unquoted, like one typed after
    /// `--lake`: one that fails that check is refused with a message, never used.
    #[test]
    fn a_picked_store_id_passes_the_check_a_typed_one_does() {
        for bad in [
            "x' OR '1'='1",
            "eds id",
            "eds\u{1b}]52;c;AAAA\u{7}",
            "ab",
            "-abc",
        ] {
            let mut app = lake_app("");
            on_stores(&mut app, JobId(1), JobMsg::Stores(vec![listed(bad)]));
            let effects = crate::app::update(&mut app, enter());
            let lake = app.lake.as_ref().expect("a Lake session");
            assert_eq!(lake.store, "", "{bad:?} was used");
            assert!(!lake.editing && lake.picker.is_some(), "{bad:?}");
            let notice = app.notice.clone().unwrap_or_default();
            assert!(
                notice.contains("not an event data store id"),
                "{bad:?}: {notice}"
            );
            assert!(!notice.contains('\u{1b}'), "the notice shows the id safely");
            assert!(effects.is_empty());
        }
        let good = "7e1b0c3a-5d2f-4c8e-9a6b-0f1e2d3c4b5a";
        let mut app = lake_app("");
        on_stores(&mut app, JobId(1), JobMsg::Stores(vec![listed(good)]));
        crate::app::update(&mut app, enter());
        let lake = app.lake.as_ref().expect("a Lake session");
        assert_eq!(lake.store, good);
        assert!(lake.editing && lake.picker.is_none());
        assert!(lake.editor.text().contains(&format!("FROM {good}")));
    }

    #[test]
    fn an_aggregate_answer_keeps_every_page() {
        let mut app = lake_app("abc-123");
        let effects = run_first(&mut app, "SELECT ip, COUNT(*) AS events …".into());
        let [Effect::Start { job, .. }] = effects[..] else {
            panic!("one job starts: {effects:?}");
        };
        // Two pages of 1000, then one more; progress after each, as the client reports.
        let mut progress = QueryProgress::default();
        for page in 0..3u32 {
            let rows: Vec<_> = (0..1000)
                .map(|i| row(&format!("10.0.{page}.{i}"), i))
                .collect();
            on_query(&mut app, job, JobMsg::Rows(rows));
            progress.rows += 1000;
            on_query(
                &mut app,
                job,
                JobMsg::Progress(Progress::Query(progress.clone())),
            );
        }
        let view = app.lake.as_ref().and_then(|l| l.results.as_ref());
        assert_eq!(view.map(|v| v.table.rows.len()), Some(3000));
    }
}
