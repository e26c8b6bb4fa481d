//! Reports from background jobs, routed by what the job is for. Stale reports never get
//! here: `update` drops a report whose job is not listed in `app.jobs`.

use super::{insert, lake_reports, live, nothing_read_message, App, Effect};
use crate::app::jobs::JobKind;
use crate::job::{JobId, JobMsg, JobSpec, Progress};
use crate::source::walk::Plan;

pub(super) fn on_report(
    app: &mut App,
    job: JobId,
    kind: JobKind,
    msg: JobMsg,
    effects: &mut Vec<Effect>,
) {
    let ended = matches!(msg, JobMsg::Done(_));
    match kind {
        JobKind::Load => on_load(app, job, msg, effects),
        JobKind::Region(_) => live::on_region(app, job, msg),
        JobKind::LakeQuery => lake_reports::on_query(app, job, msg),
        JobKind::LakeStores => lake_reports::on_stores(app, job, msg),
        JobKind::AthenaQuery => super::athena::on_query(app, job, msg, effects),
    }
    // An open profile describes the rows it was made from: once a job's events are all in,
    // it describes them (between batches it would be recomputed for nothing).
    if ended {
        super::refresh_profile(app);
    }
}

/// Starts reading the session's files, folder, stdin or S3 trail.
pub(crate) fn start_load(app: &mut App, plan: Plan, effects: &mut Vec<Effect>) {
    let job = app.jobs.start(JobKind::Load);
    app.load.loading = true;
    effects.push(Effect::Start {
        job,
        spec: Box::new(JobSpec::Load(plan)),
    });
}

/// Esc while loading: every load job stops where it is; what was read stays and its `Done`
/// follows.
pub(super) fn stop_load(app: &mut App, effects: &mut Vec<Effect>) {
    for job in app
        .jobs
        .of(|k| matches!(k, JobKind::Load | JobKind::AthenaQuery))
    {
        app.jobs.stopping(job);
        effects.push(Effect::Cancel(job));
    }
}

fn on_load(app: &mut App, job: JobId, msg: JobMsg, effects: &mut Vec<Effect>) {
    match msg {
        JobMsg::Records(records) => insert(app, records),
        JobMsg::Warnings(w) => app.warnings.extend(w),
        // Workers report concurrently, so reports can arrive out of order: only move forward.
        JobMsg::Progress(Progress::Files(p)) if p.files_done >= app.load.progress.files_done => {
            app.load.progress = p
        }
        JobMsg::Done(_) => {
            app.jobs.forget(job);
            app.load.loading = false;
            app.mark_resort();
            app.load.done_ms = Some(app.now_ms);
            crate::app::session::finish_restore(app);
            if app.store.is_empty() {
                effects.push(Effect::Fail(nothing_read_message(app)));
            }
        }
        JobMsg::Progress(_) | JobMsg::Rows(_) | JobMsg::Stores(_) | JobMsg::Tables(_) => {}
    }
}
