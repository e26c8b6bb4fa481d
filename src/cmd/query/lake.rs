//! `trailscope query --lake EDS_ID (--sql SQL | --template NAME --param k=v…)`: the app's
//! Lake path without a terminal. Event rows become a store, so --filter, --group-by and
//! every output work on them as on files; aggregate rows print as a typed table. Progress
//! and the cost go to standard error; Ctrl-C cancels the query on Lake's side.

use super::output::Dest;
use crate::cmd::args::{Output, QueryArgs};
use crate::cmd::lake::{is_time_bounded, request};
use crate::job::{Ending, QueryProgress};
use crate::lake::client::{connect, list_stores, run_query, Polling, Report};
use crate::lake::cost;
use crate::lake::rows::{are_events, records, Row, Table};
use crate::model::sanitize::json_inert;
use crate::model::sanitize::visible;
use crate::model::store::Store;
use crate::model::time::EventTime;
use crate::model::warning::Warning;
use std::io::{Read, Write};
use std::process::ExitCode;

/// What a Lake query gave: events for the usual query path, or a table printed here.
pub(crate) enum Answer {
    /// The events, the problems met, and whether the answer is partial (exit status 3).
    Events(Box<Store>, Vec<Warning>, bool),
    Done(ExitCode),
}

/// Exit status when rows were printed but the query did not finish (timed out, cancelled).
pub(super) const PARTIAL: u8 = 3;

pub(crate) fn run(args: &QueryArgs) -> Answer {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the runtime: {e}"), 1),
    };
    if args.lake.lake.as_deref() == Some("") {
        return rt.block_on(print_stores(args));
    }
    let sql_text = match args.lake.sql.as_deref() {
        Some("-") => {
            let mut text = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut text) {
                return fail(&format!("cannot read the SQL from standard input: {e}"), 2);
            }
            Some(text)
        }
        other => other.map(str::to_string),
    };
    let req = match request(&args.lake, &args.lookup, sql_text, EventTime::now()) {
        Ok(r) => r,
        Err(e) => return fail(&visible(&e), 2),
    };
    if !is_time_bounded(&req.sql) {
        eprintln!("trailscope: this SQL does not bound eventTime: Lake scans (and bills) the whole event data store");
    }
    rt.block_on(run_async(args, req.store, req.sql))
}

async fn print_stores(args: &QueryArgs) -> Answer {
    let (client, region) = match connect(
        args.lookup.profile.as_deref(),
        args.lookup.region.as_deref(),
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return fail(&e, 2),
    };
    match list_stores(&client, &region).await {
        Ok(stores) if stores.is_empty() => fail(&format!("no event data stores in {region}"), 1),
        Ok(stores) => {
            let mut out = std::io::stdout().lock();
            for s in stores {
                let flag =
                    |b: Option<bool>, name: &'static str| if b == Some(true) { name } else { "" };
                let flags = format!(
                    "{}{}",
                    flag(s.multi_region, "multi-region "),
                    flag(s.organization, "organization")
                );
                let retention = s
                    .retention_days
                    .map_or(String::new(), |d| format!("{d} days"));
                // Tab-separated for scripts; each field escaped (names are the account's).
                let fields = [
                    s.id,
                    s.name,
                    s.status,
                    retention,
                    flags.trim_end().to_string(),
                ]
                .map(|f| visible(&f).into_owned());
                if writeln!(out, "{}", fields.join("\t")).is_err() {
                    break;
                }
            }
            Answer::Done(ExitCode::SUCCESS)
        }
        Err(e) => fail(&e, 1),
    }
}

async fn run_async(args: &QueryArgs, store: String, sql: String) -> Answer {
    let (client, region) = match connect(
        args.lookup.profile.as_deref(),
        args.lookup.region.as_deref(),
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return fail(&e, 2),
    };
    let (cancel_tx, cancel_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("trailscope: cancelling the query…");
            let _ = cancel_tx.send(true);
        }
    });
    let mut rows: Vec<Row> = Vec::new();
    let mut last_status = String::new();
    let mut end = None;
    run_query(&client, &region, &sql, Polling::default(), cancel_rx, |r| {
        match r {
            Report::Progress(p) => {
                if p.status != last_status {
                    eprintln!("trailscope: Lake {}", visible(&progress_line(&p)));
                    last_status = p.status.clone();
                }
            }
            Report::Rows(mut more) => rows.append(&mut more),
            Report::Done(p, ending) => end = Some((p, ending)),
        }
        std::future::ready(())
    })
    .await;
    let Some((p, ending)) = end else {
        return fail("the query ended without a word", 1);
    };
    eprintln!("trailscope: Lake {}", visible(&progress_line(&p)));
    let partial = match &ending {
        Ending::Finished => false,
        Ending::Stopped => {
            eprintln!(
                "trailscope: cancelled; {} row(s) read before it",
                rows.len()
            );
            true
        }
        Ending::TimedOut(why) => {
            eprintln!(
                "trailscope: the query timed out ({}); the {} row(s) it found are below",
                visible(why),
                rows.len()
            );
            true
        }
        Ending::Failed(why) if rows.is_empty() => return fail(why, 1),
        Ending::Failed(why) => {
            eprintln!("trailscope: {}", visible(why));
            true
        }
    };
    let events = rows.first().is_some_and(are_events);
    if events {
        let (store, warnings) = into_store(&store, &rows);
        if partial {
            eprintln!("trailscope: (partial results: exit status {PARTIAL})");
        }
        return Answer::Events(Box::new(store), warnings, partial);
    }
    let mut table = Table::default();
    table.extend(&rows);
    print_answer_table(&table, args, partial)
}

/// An aggregate's rows, printed in `--output`'s form (Lake's and Athena's).
pub(super) fn print_answer_table(table: &Table, args: &QueryArgs, partial: bool) -> Answer {
    let code = match print_table(table, args.output, args.limit) {
        Ok(()) if partial => ExitCode::from(PARTIAL),
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => return fail(&format!("cannot write the output: {e}"), 1),
    };
    Answer::Done(code)
}

/// `QUEUED · 12,000 events scanned · 1.2 MB scanned ≈ $0.0000 · 40 rows`.
pub(crate) fn progress_line(p: &QueryProgress) -> String {
    let mut line = format!(
        "query {} {} · {} matched of {} scanned · {}",
        p.query_id,
        p.status,
        p.events_matched,
        p.events_scanned,
        cost::describe(p.bytes_scanned)
    );
    if p.rows > 0 {
        line.push_str(&format!(" · {} rows", p.rows));
    }
    if p.retries > 0 {
        line.push_str(&format!(" · {} retries", p.retries));
    }
    line
}

/// Event rows as records in a store.
fn into_store(store_id: &str, rows: &[Row]) -> (Store, Vec<Warning>) {
    let (records, warnings) = records(store_id, rows);
    let mut store = Store::default();
    store.insert_batch(records);
    (store, warnings)
}

fn print_table(table: &Table, format: Output, limit: Option<usize>) -> std::io::Result<()> {
    let rows = &table.rows[..limit.unwrap_or(usize::MAX).min(table.rows.len())];
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        Output::Count => writeln!(out, "{}", rows.len())?,
        Output::Jsonl => {
            for r in rows {
                let object: serde_json::Map<String, serde_json::Value> = table
                    .columns
                    .iter()
                    .zip(r)
                    .map(|(c, cell)| (c.clone(), cell.json()))
                    .collect();
                let line = serde_json::Value::Object(object).to_string();
                writeln!(out, "{}", json_inert(&line))?;
            }
        }
        Output::Csv => {
            let dest = Dest::stdout();
            let header: Vec<String> = table.columns.iter().map(|c| dest.csv(c)).collect();
            writeln!(out, "{}", header.join(","))?;
            for r in rows {
                let cells: Vec<String> = r.iter().map(|c| dest.csv(&c.text())).collect();
                writeln!(out, "{}", cells.join(","))?;
            }
        }
        Output::Table | Output::Tree => {
            let text: Vec<Vec<String>> = rows
                .iter()
                .map(|r| r.iter().map(|c| visible(&c.text()).into_owned()).collect())
                .collect();
            let widths: Vec<usize> = table
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    text.iter()
                        .map(|r| r[i].chars().count())
                        .chain([c.chars().count()])
                        .max()
                        .unwrap_or(0)
                        .min(60)
                })
                .collect();
            let line = |cells: &[String]| {
                let padded: Vec<String> = cells
                    .iter()
                    .zip(&widths)
                    .map(|(c, &w)| format!("{c:<w$}"))
                    .collect();
                padded.join("  ").trim_end().to_string()
            };
            let header: Vec<String> = table
                .columns
                .iter()
                .map(|c| visible(c).into_owned())
                .collect();
            writeln!(out, "{}", line(&header))?;
            for r in &text {
                writeln!(out, "{}", line(r))?;
            }
        }
    }
    out.flush()
}

/// Messages can quote the endpoint (a query id, Lake's error text): through the gate.
fn fail(msg: &str, code: u8) -> Answer {
    eprintln!("trailscope: {}", visible(msg));
    Answer::Done(ExitCode::from(code))
}
