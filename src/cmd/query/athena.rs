//! `trailscope query --athena DATABASE.TABLE`: the organization's trail through Athena, without
//! a terminal. The filter is split (`athena::plan`): what Athena can evaluate exactly is sent
//! as SQL beside the window's partitions, the whole filter then runs here on what comes back,
//! so every output, --group-by, --lineage and --findings work as on files. Progress, the
//! statement's split and the cost go to standard error; Ctrl-C stops the query on Athena's
//! side and keeps the rows read.

use super::lake::{Answer, PARTIAL};
use crate::athena::client::{connect, run_query, table_info, Report, TableInfo, Target};
use crate::athena::sql::{events_query, Partitioned, Scope, Table};
use crate::athena::{cost, plan, rows};
use crate::cmd::args::QueryArgs;
use crate::filter::Expr;
use crate::job::{Ending, QueryProgress};
use crate::lake::client::Polling;
use crate::model::sanitize::visible;
use crate::model::store::Store;
use crate::model::time::EventTime;
use crate::source::s3::cache::parse_size;
use std::process::ExitCode;
use std::sync::Arc;

/// What the command line asks of Athena, checked before anything is sent.
struct Request {
    database: String,
    table: String,
    scope: Scope,
    window: crate::trino::Window,
    target: Target,
}

pub(crate) fn run(args: &QueryArgs, filter: &Expr) -> Answer {
    let now = EventTime::now();
    let req = match request(args, now) {
        Ok(r) => r,
        Err(e) => return fail(&e, 2),
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the runtime: {e}"), 1),
    };
    rt.block_on(run_async(args, req, filter, now))
}

fn request(args: &QueryArgs, now: EventTime) -> Result<Request, String> {
    let name = args.athena.athena.as_deref().unwrap_or("");
    let (database, table) = name
        .split_once('.')
        .ok_or_else(|| format!("--athena {}: give DATABASE.TABLE", visible(name)))?;
    Table::new(database, table)?;
    let (start, end) = crate::source::lookup::scope::window(&args.lookup.request(), now)?;
    let every = |v: &[String]| v.iter().any(|x| x.eq_ignore_ascii_case("all"));
    let accounts = match every(&args.lookup.accounts) {
        true => Vec::new(),
        false => args.lookup.accounts.clone(),
    };
    let regions = match every(&args.lookup.regions) {
        true => Vec::new(),
        false => args.lookup.regions.clone(),
    };
    let max_scan = args
        .athena
        .max_scan
        .as_deref()
        .map(parse_size)
        .transpose()
        .map_err(|e| format!("--max-scan {e}"))?;
    Ok(Request {
        database: database.to_string(),
        table: table.to_string(),
        scope: Scope::new(&accounts, &regions)?,
        window: crate::trino::Window { start, end },
        target: Target {
            workgroup: args.athena.workgroup.clone(),
            output_location: args.athena.output_location.clone(),
            database: Some(database.to_string()),
            max_scan,
        },
    })
}

/// How the table is partitioned, or why trailscope will not query it as it stands.
pub(crate) fn partitioning(
    info: &TableInfo,
    name: &str,
    scan_all: bool,
) -> Result<Partitioned, String> {
    let keys = &info.partition_keys;
    let ours = ["account", "region", "timestamp"];
    if ours.iter().all(|k| keys.iter().any(|p| p == k)) {
        return Ok(Partitioned::ByAccountRegionDay);
    }
    let location = info.parameter("location").unwrap_or("its S3 location");
    let why = match keys.is_empty() {
        true => format!(
            "{name} has no partitions: every statement reads (and bills) the whole trail under {location}"
        ),
        false => format!(
            "{name} is partitioned by {} , not account, region and timestamp: trailscope cannot bound what a statement reads",
            keys.join(", ")
        ),
    };
    match scan_all {
        true => {
            eprintln!("trailscope: {} (--scan-all)", visible(&why));
            Ok(Partitioned::No)
        }
        false => Err(format!(
            "{why}. Make a partitioned table with `trailscope athena create-table s3://BUCKET --run`, or give --scan-all to read it all"
        )),
    }
}

/// The projection's first day when the window ends before it: Athena then answers zero
/// rows, not an error, so the user is told why.
pub(crate) fn before_projection(info: &TableInfo, window: crate::trino::Window) -> Option<String> {
    let range = info.parameter("projection.timestamp.range")?;
    let first = range.split(',').next()?.trim();
    let day = jiff::civil::Date::strptime("%Y/%m/%d", first).ok()?;
    let start = day.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    let start = EventTime::from_millis(start.as_millisecond());
    (window.end <= start).then(|| first.to_string())
}

async fn run_async(args: &QueryArgs, req: Request, filter: &Expr, now: EventTime) -> Answer {
    let (client, region) = match connect(
        args.lookup.profile.as_deref(),
        args.lookup.region.as_deref(),
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return fail(&e, 2),
    };
    let name = format!("{}.{}", req.database, req.table);
    let info = match table_info(&client, &region, &req.database, &req.table).await {
        Ok(i) => i,
        Err(e) => return fail(&e, 1),
    };
    let partitioned = match partitioning(&info, &name, args.athena.scan_all) {
        Ok(p) => p,
        Err(e) => return fail(&e, 2),
    };
    let plan = plan::plan(filter, req.window, now);
    if let Some(first) = before_projection(&info, plan.window) {
        return fail(
            &format!("{name}'s partition projection starts on {first}, after the window: Athena would read nothing. Widen the window or the table's projection.timestamp.range"),
            1,
        );
    }
    let table = match Table::new(&req.database, &req.table) {
        Ok(t) => t,
        Err(e) => return fail(&e, 2),
    };
    let sql = match events_query(
        &table,
        plan.window,
        &req.scope,
        plan.condition.as_deref(),
        partitioned,
    ) {
        Ok(s) => s,
        Err(e) => return fail(&e, 2),
    };
    eprintln!("trailscope: {}", visible(&plan.describe()));
    let (cancel_tx, cancel_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("trailscope: stopping the query…");
            let _ = cancel_tx.send(true);
        }
    });
    let origin: Arc<str> = Arc::from(format!("Athena {name}"));
    let mut store = Store::default();
    let mut warnings = Vec::new();
    let mut last_status = String::new();
    let mut end = None;
    run_query(
        &client,
        &region,
        &sql,
        &req.target,
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
    Answer::Events(Box::new(store), warnings, partial)
}

/// `Athena query ID RUNNING · 1.2 MB scanned ≈ $0.00005 · 40 rows`.
pub(crate) fn progress_line(p: &QueryProgress) -> String {
    let mut line = format!("Athena query {} {}", p.query_id, p.status);
    match p.status.as_str() {
        // Nothing read yet, or nothing billed: failed queries are free.
        "STARTING" | "QUEUED" => {}
        "FAILED" => line.push_str(" · failed queries are not billed"),
        _ => line.push_str(&format!(" · {}", cost::describe(p.bytes_scanned))),
    }
    if p.rows > 0 {
        line.push_str(&format!(" · {} rows", p.rows));
    }
    if p.retries > 0 {
        line.push_str(&format!(" · {} retries", p.retries));
    }
    line
}

fn fail(msg: &str, code: u8) -> Answer {
    eprintln!("trailscope: {}", visible(msg));
    Answer::Done(ExitCode::from(code))
}
