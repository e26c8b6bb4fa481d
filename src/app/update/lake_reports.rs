//! The reducer's CloudTrail Lake reports: the store listing for the picker, and a query's
//! progress, rows (events join the store, an aggregate fills the results table) and end.

use super::{insert, App, Effect};
use crate::app::command::Command;
use crate::app::jobs::{JobKind, Jobs};
use crate::app::lake::{Choices, Engine, LakeRun, ResultsView};
use crate::app::layer::Layer;
use crate::job::{Ending, JobId, JobMsg, JobSpec, Progress};
use crate::lake::rows::{are_events, records, Table};
use crate::model::sanitize::visible;
use crate::model::warning::{Location, Warning};
use std::sync::Arc;

/// Lists the event data stores (or, for Athena, the catalog's CloudTrail tables), for the
/// picker.
pub(crate) fn list_choices(jobs: &mut Jobs, athena: bool, effects: &mut Vec<Effect>) {
    let job = jobs.start(JobKind::LakeStores);
    let spec = match athena {
        true => JobSpec::AthenaTables,
        false => JobSpec::LakeStores,
    };
    effects.push(Effect::Start {
        job,
        spec: Box::new(spec),
    });
}

/// The list of event data stores or tables, or why there is none.
pub(crate) fn on_stores(app: &mut App, job: JobId, msg: JobMsg) {
    let answer = match msg {
        JobMsg::Stores(list) => Ok(Choices::Stores(list)),
        JobMsg::Tables(list) => Ok(Choices::Tables(list)),
        JobMsg::Done(ending) => {
            app.jobs.forget(job);
            match ending {
                Ending::Failed(why) => Err(why),
                _ => return,
            }
        }
        _ => return,
    };
    if let Some(picker) = app.lake.as_mut().and_then(|l| l.picker.as_mut()) {
        picker.stores = Some(answer);
        picker.cursor = 0;
    }
}

/// A report from the running query's job.
pub(crate) fn on_query(app: &mut App, job: JobId, msg: JobMsg) {
    if let JobMsg::Done(_) = msg {
        app.jobs.forget(job);
    }
    on_report(app, job, msg);
}

fn on_report(app: &mut App, job: JobId, report: JobMsg) {
    let Some(lake) = app.lake.as_mut() else {
        return;
    };
    let Some(run) = lake.run.as_mut().filter(|r| r.job == job) else {
        return; // not the current query (the job list already drops replaced ones)
    };
    match report {
        JobMsg::Progress(Progress::Query(p)) => {
            if run.progress.status != "CANCELLING" || p.status != "RUNNING" {
                run.progress = p;
            }
        }
        JobMsg::Rows(rows) => {
            // The first page decides what the query's rows are, and starts its table. Athena's
            // runner sends whole events as records: its rows are always a table's.
            let first_page = run.events.is_none();
            let athena = matches!(lake.engine, Engine::Athena { .. });
            let events = *run
                .events
                .get_or_insert_with(|| !athena && rows.first().is_some_and(are_events));
            if events {
                let (recs, warnings) = records(&lake.store, &rows);
                run.joined += recs.len();
                app.warnings.extend(warnings);
                insert(app, recs);
            } else {
                if first_page {
                    lake.results = Some(ResultsView {
                        table: Table::default(),
                        row: 0,
                        col: 0,
                        sql: run.sql.clone(),
                    });
                }
                if let Some(view) = lake.results.as_mut() {
                    view.table.extend(&rows);
                }
                lake.results_open = true;
            }
        }
        // Athena's runner rebuilds whole events itself.
        JobMsg::Records(recs) => {
            run.events = Some(true);
            run.joined += recs.len();
            insert(app, recs);
        }
        JobMsg::Warnings(w) => app.warnings.extend(w),
        JobMsg::Done(ending) => {
            let warnings = app.keymap.key_for(Layer::Table, Command::ToggleWarnings);
            let summary = summary(&lake.engine, run, &ending, &warnings);
            if matches!(lake.engine, Engine::Athena { .. }) {
                super::athena::record_end(&mut app.session, run.evidence, &run.progress);
            }
            if let Ending::Failed(why) | Ending::TimedOut(why) = &ending {
                let origin: Arc<str> = Arc::from(match lake.engine {
                    Engine::Lake => format!("CloudTrail Lake {}", lake.store),
                    Engine::Athena { .. } => format!("Athena {}", lake.store),
                });
                app.warnings
                    .push(Warning::problem(&origin, Location::WholeFile, why.clone()));
            }
            if let Ending::Failed(why) = &ending {
                // Back to the SQL, with the reason, to fix it.
                lake.editor.error = Some(why.clone());
                lake.editing = true;
            }
            // A finished query speaks in the status bar; anything else is news.
            if ending != Ending::Finished {
                app.notice = Some(summary);
            }
            run.ending = Some(ending);
        }
        JobMsg::Progress(_) | JobMsg::Stores(_) | JobMsg::Tables(_) => {}
    }
}

/// One line on how a query ended, with what it cost.
fn summary(engine: &Engine, run: &LakeRun, ending: &Ending, warnings_key: &str) -> String {
    let p = &run.progress;
    let got = match run.events {
        Some(true) => format!("{} events joined", run.joined),
        Some(false) => format!("{} result rows", p.rows),
        None => "no rows".to_string(),
    };
    let cost = engine.cost(p.bytes_scanned);
    let engine = engine.name();
    match ending {
        Ending::Finished => format!("{engine}: {got} · {cost}"),
        Ending::Stopped => format!("{engine} query cancelled: {got} kept · {cost}"),
        Ending::TimedOut(_) => format!(
            "{engine} query timed out: {got} (partial) · {cost} · {} says more",
            warnings_key
        ),
        Ending::Failed(why) => format!("{engine}: {}", visible(why)),
    }
}
