//! `trailscope query --athena DATABASE.TABLE`: the organization's trail through Athena, without
//! a terminal. The filter is split (`athena::plan`): what Athena can evaluate exactly is sent
//! as SQL beside the window's partitions, the whole filter then runs here on what comes back,
//! so every output, --group-by, --lineage and --findings work as on files. Progress, the
//! statement's split and the cost go to standard error; Ctrl-C stops the query on Athena's
//! side and keeps the rows read.

use super::lake::{Answer, PARTIAL};
use crate::athena::client::{run_query, Report};
use crate::athena::cost::progress_line;
use crate::athena::rows;
use crate::cmd::args::QueryArgs;
use crate::cmd::athena_statement::prepare;
use crate::filter::Expr;
use crate::job::Ending;
use crate::lake::client::Polling;
use crate::model::sanitize::visible;
use crate::model::store::Store;
use crate::model::time::EventTime;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// `config_dir` holds config.toml, whose `max-scan` applies when `--max-scan` is not given.
pub(crate) fn run(args: &QueryArgs, filter: &Expr, config_dir: Option<&Path>) -> Answer {
    if args.athena.athena.as_deref() == Some("") {
        return Answer::Done(crate::cmd::athena_statement::print_tables(&args.lookup));
    }
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the runtime: {e}"), 1),
    };
    let max_scan = match crate::config::load_file(config_dir) {
        Ok(layer) => layer.max_scan,
        Err(e) => return fail(&e, 2),
    };
    rt.block_on(run_async(args, filter, max_scan))
}

async fn run_async(args: &QueryArgs, filter: &Expr, max_scan: Option<u64>) -> Answer {
    let st = match prepare(
        &args.athena,
        &args.lake,
        &args.lookup,
        filter,
        EventTime::now(),
        max_scan,
    )
    .await
    {
        Ok(s) => s,
        Err((why, code)) => return fail(&why, code),
    };
    eprintln!("trailscope: {}", visible(&st.split));
    let (cancel_tx, cancel_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("trailscope: stopping the query…");
            let _ = cancel_tx.send(true);
        }
    });
    let origin: Arc<str> = Arc::from(format!("Athena {}", st.table));
    let mut store = Store::default();
    let mut table = crate::lake::rows::Table::default();
    let mut warnings = Vec::new();
    let mut last_status = String::new();
    let mut end = None;
    run_query(
        &st.client,
        &st.region,
        &st.sql,
        &st.target,
        Polling::default(),
        cancel_rx,
        |r| {
            match r {
                Report::Progress(p) => {
                    if p.status != last_status {
                        eprintln!("trailscope: {}", visible(&progress_line(&p)));
                        last_status = p.status.clone();
                    }
                }
                // An aggregate's rows (a template's table) are printed as a table.
                Report::Rows(page) if !rows::are_events(&page) => {
                    table.extend(&rows::table_rows(&page))
                }
                Report::Rows(page) => {
                    let (records, mut w) = rows::records(&origin, &page);
                    store.insert_batch(records);
                    warnings.append(&mut w);
                }
                Report::Done(p, ending) => end = Some((p, ending)),
            }
            std::future::ready(())
        },
    )
    .await;
    let Some((p, ending)) = end else {
        return fail("the query ended without a word", 1);
    };
    eprintln!("trailscope: {}", visible(&progress_line(&p)));
    let partial = match ending {
        Ending::Finished => false,
        Ending::Stopped => {
            eprintln!("trailscope: stopped; {} row(s) read before it", p.rows);
            true
        }
        Ending::TimedOut(why) | Ending::Failed(why) if store.is_empty() => return fail(&why, 1),
        Ending::TimedOut(why) | Ending::Failed(why) => {
            eprintln!("trailscope: {}", visible(&why));
            true
        }
    };
    if partial {
        eprintln!("trailscope: (partial results: exit status {PARTIAL})");
    }
    if !table.rows.is_empty() {
        return super::lake::print_answer_table(&table, args, partial);
    }
    Answer::Events(Box::new(store), warnings, partial)
}

fn fail(msg: &str, code: u8) -> Answer {
    eprintln!("trailscope: {}", visible(msg));
    Answer::Done(ExitCode::from(code))
}
