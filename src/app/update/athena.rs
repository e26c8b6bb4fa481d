//! The session's Athena query as the app sees it: started at boot, its rows joining the
//! store page by page (with the findings, filter and sort, as every source's), its state and
//! cost in the status bar, Esc stopping it (what arrived stays), and its end said.

use super::{insert, nothing_read_message, App, Effect};
use crate::app::jobs::JobKind;
use crate::app::lake::ResultsView;
use crate::app::session::SessionMeta;
use crate::job::{Ending, JobId, JobMsg, JobSpec, Progress, QueryProgress};
use crate::lake::rows::Table;
use crate::model::warning::{Location, Warning};
use crate::session::state::QueryRecord;
use std::sync::Arc;

/// A statement is evidence: recorded with the Athena source as it starts (its id, end and
/// cost when it ends, `record_end`).
/// Returns where it is, for `record_end`.
pub(super) fn record_start(session: &mut SessionMeta, sql: &str, workgroup: &str) -> Option<usize> {
    let source = session.sources.iter_mut().find(|s| s.kind == "athena")?;
    source.queries.push(QueryRecord {
        workgroup: workgroup.to_string(),
        statement: sql.to_string(),
        ..QueryRecord::default()
    });
    Some(source.queries.len() - 1)
}

/// The query's id, end and cost, on the statement recorded (at `at`) when it started.
pub(super) fn record_end(session: &mut SessionMeta, at: Option<usize>, p: &QueryProgress) {
    let source = session.sources.iter_mut().find(|s| s.kind == "athena");
    if let Some(q) = source.and_then(|s| s.queries.get_mut(at?)) {
        q.query_id = p.query_id.clone();
        q.state = p.status.clone();
        q.bytes_scanned = p.bytes_scanned;
        q.cost = crate::athena::cost::describe(p.bytes_scanned);
    }
}

/// Starts the events statement; the rows arrive as a load's do.
pub(crate) fn start(
    app: &mut App,
    sql: String,
    origin: String,
    workgroup: String,
    effects: &mut Vec<Effect>,
) {
    let job = app.jobs.start(JobKind::AthenaQuery);
    app.athena_evidence = record_start(&mut app.session, &sql, &workgroup);
    app.load.loading = true;
    app.athena = Some(QueryProgress {
        status: "STARTING".to_string(),
        ..QueryProgress::default()
    });
    effects.push(Effect::Start {
        job,
        spec: Box::new(JobSpec::AthenaQuery { sql, origin }),
    });
}

pub(super) fn on_query(app: &mut App, job: JobId, msg: JobMsg, effects: &mut Vec<Effect>) {
    match msg {
        JobMsg::Records(records) => insert(app, records),
        // A playbook's aggregate (`--template role-counts`): its table, as the editor's.
        JobMsg::Rows(rows) => {
            if let Some(lake) = app.lake.as_mut() {
                let sql = lake.editor.text();
                let view = lake.results.get_or_insert_with(|| ResultsView {
                    table: Table::default(),
                    row: 0,
                    col: 0,
                    sql,
                });
                view.table.extend(&rows);
                lake.results_open = true;
            }
        }
        JobMsg::Warnings(w) => app.warnings.extend(w),
        JobMsg::Progress(Progress::Query(p)) => app.athena = Some(p),
        JobMsg::Done(ending) => {
            app.jobs.forget(job);
            if let Some(p) = app.athena.clone() {
                record_end(&mut app.session, app.athena_evidence, &p);
            }
            app.load.loading = false;
            app.load.stopping = false;
            app.mark_resort();
            app.load.done_ms = Some(app.now_ms);
            crate::app::session::finish_restore(app);
            let rows = app.athena.as_ref().map_or(0, |p| p.rows);
            match &ending {
                Ending::Finished => {}
                Ending::Stopped => {
                    app.notice = Some(format!(
                        "Athena query stopped: the {rows} row(s) that arrived stay"
                    ))
                }
                Ending::Failed(why) | Ending::TimedOut(why) => {
                    let origin: Arc<str> = Arc::from("Athena");
                    app.warnings
                        .push(Warning::problem(&origin, Location::WholeFile, why.clone()));
                    app.notice = Some(why.clone());
                }
            }
            let table = app.lake.as_ref().is_some_and(|l| l.results.is_some());
            if app.store.is_empty() && !table {
                match ending {
                    Ending::Failed(why) | Ending::TimedOut(why) => effects.push(Effect::Fail(why)),
                    _ => effects.push(Effect::Fail(nothing_read_message(app))),
                }
            }
        }
        JobMsg::Progress(_) | JobMsg::Stores(_) | JobMsg::Tables(_) => {}
    }
}
