//! Athena through the real SDK against the fake's Athena serving a generated organization
//! trail (a benchmark, not a test: it prints figures for BENCHMARKS.md and asserts nothing).
//!
//!   TRAILSCOPE_BENCH_DIR=/tmp/gen1m cargo bench --bench athena
//!
//! In one process: the trail is loaded into a store and served by the fake on loopback; then,
//! with the product's client (`athena::client::run_query`) and row rebuilding
//! (`athena::rows::records`), three statements trailscope writes:
//! 1. every event of the trail's window (`sql::events_query`, partition predicate over every
//!    day): seconds from StartQueryExecution to the first rows (what F5 waits for: the fake
//!    runs the statement at once, so this includes its execution), then rows per second
//!    through GetQueryResults pages of 1,000 into records of a store;
//! 2. one day of the window: bytes scanned with the partition predicate narrowing the days;
//! 3. a key pivot with no partition predicate (what `--scan-all` on a partitionless table
//!    reads): bytes scanned for a column predicate alone;
//! 4. statement 1 again as the product runs it (a result over 100,000 rows): the SELECT, then
//!    its UNLOAD into moto's S3 as gzipped JSON, read back in parallel through the S3 source
//!    into records of a store: rows per second from the UNLOAD's end to the last row, beside
//!    statement 1's through GetQueryResults, in the same run.
//!
//! Environment: TRAILSCOPE_BENCH_DIR (default /tmp/gen1m); TRAILSCOPE_MOTO, moto_server for
//! measure 4 (.ci/run installs it in target/moto-venv; without it measure 4 is skipped).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use trailscope::athena::client::{connect, run_query, Report, Target};
use trailscope::athena::sql::{events_query, Partitioned, Scope, Table};
use trailscope::lake::client::Polling;
use trailscope::model::store::Store;
use trailscope::model::time::EventTime;
use trailscope::source::files::load_blocking;
use trailscope::source::walk::plan;
use trailscope::trino::Window;
use trailscope_fake::serve::{bind, serve, Shared};
use trailscope_fake::FakeCloudTrail;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Measured {
    first_rows: f64,
    total: f64,
    rows: u64,
    bytes: i64,
    /// With UNLOAD: when the UNLOAD was last seen running (its end, within one poll).
    unloaded: Option<f64>,
}

async fn measure(client: &aws_sdk_athena::Client, sql: &str, keep: bool, unload: bool) -> Measured {
    let target = Target {
        workgroup: "primary".to_string(),
        unload_over: unload.then_some(trailscope::athena::unload::UNLOAD_OVER),
        ..Target::default()
    };
    let polling = Polling {
        first: std::time::Duration::from_millis(20),
        max: std::time::Duration::from_millis(100),
        max_retries: 3,
    };
    let (_tx, cancel) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let mut first = None;
    let mut unloaded = None;
    let mut end = None;
    let mut store = Store::default();
    let origin: Arc<str> = Arc::from("Athena bench");
    run_query(client, "us-east-1", sql, &target, polling, cancel, |r| {
        match r {
            Report::Rows(page) => {
                first.get_or_insert_with(|| started.elapsed().as_secs_f64());
                if keep {
                    let (records, _) = trailscope::athena::rows::records(&origin, &page);
                    store.insert_batch(records);
                }
            }
            Report::Done(p, ending) => end = Some((p, ending)),
            Report::Progress(p) if p.status.starts_with("UNLOAD of") => {
                unloaded = Some(started.elapsed().as_secs_f64())
            }
            Report::Progress(_) => {}
        }
        std::future::ready(())
    })
    .await;
    let (p, ending) = end.expect("the query ends");
    assert_eq!(ending, trailscope::job::Ending::Finished, "{}", p.status);
    Measured {
        first_rows: first.unwrap_or(f64::NAN),
        total: started.elapsed().as_secs_f64(),
        rows: p.rows,
        bytes: p.bytes_scanned,
        unloaded,
    }
}

/// moto's S3 on a free loopback port, with the workgroup's results bucket; `None` without
/// moto_server.
fn moto() -> Option<(std::process::Child, String)> {
    let bin = std::env::var_os("TRAILSCOPE_MOTO").map(PathBuf::from)?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .ok()?;
    let child = std::process::Command::new(bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + std::time::Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Some((child, format!("http://127.0.0.1:{port}")))
}

fn main() {
    let dir = PathBuf::from(
        std::env::var("TRAILSCOPE_BENCH_DIR").unwrap_or_else(|_| "/tmp/gen1m".to_string()),
    );
    let t = Instant::now();
    let (store, _) = load_blocking(plan(std::slice::from_ref(&dir)));
    let times: Vec<EventTime> = store
        .time_order()
        .iter()
        .map(|&i| store.event(i).time)
        .collect();
    let (start, end) = (times[0], times[times.len() - 1]);
    println!(
        "trail: {} ({} events, {} .. {}), loaded in {:.1} s",
        dir.display(),
        store.len(),
        start.format_utc(),
        end.format_utc(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let mut fake = FakeCloudTrail::from_store(&store);
    // As Athena: StartQueryExecution answers at once, the statement runs meanwhile.
    fake.athena.background = true;
    let s3 = moto();
    fake.athena.unload_s3 = s3.as_ref().map(|(_, url)| url.clone());
    drop(store);
    println!("fake built in {:.1} s", t.elapsed().as_secs_f64());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let shared = Shared::new(fake, None);
        let (addr, listener) = bind(0).await.expect("bind loopback");
        tokio::spawn(serve(listener, shared));
        std::env::set_var("AWS_ENDPOINT_URL", format!("http://{addr}"));
        std::env::set_var("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "secret");
        std::env::set_var("AWS_CONFIG_FILE", "/dev/null");
        std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        let (client, _) = connect(None, Some("us-east-1")).await.expect("client");
        let table = Table::new("trailscope", "cloudtrail").expect("table");
        let whole = Window {
            start,
            end: EventTime::from_millis(end.millis().unwrap_or(0) + 1),
        };
        let all = events_query(&table, whole, &Scope::default(), None, Partitioned::ByAccountRegionDay)
            .expect("sql");
        let m = measure(&client, &all, true, false).await;
        println!(
            "every event: first rows after {:.2} s, {} rows in {:.1} s = {:.0} rows/s through GetQueryResults into the store; {} bytes scanned",
            m.first_rows,
            m.rows,
            m.total,
            m.rows as f64 / (m.total - m.first_rows),
            m.bytes
        );
        let day_end = EventTime::from_millis(start.millis().unwrap_or(0) + 86_400_000);
        let day = Window { start, end: day_end };
        let one = events_query(&table, day, &Scope::default(), None, Partitioned::ByAccountRegionDay)
            .expect("sql");
        let d = measure(&client, &one, false, false).await;
        println!(
            "first day: {} rows, {} bytes scanned ({:.1}% of the whole), first rows after {:.2} s",
            d.rows,
            d.bytes,
            100.0 * d.bytes as f64 / m.bytes.max(1) as f64,
            d.first_rows
        );
        let pivot = events_query(
            &table,
            whole,
            &Scope::default(),
            Some("useridentity.accesskeyid LIKE 'AKIA%'"),
            Partitioned::No,
        )
        .expect("sql");
        let k = measure(&client, &pivot, false, false).await;
        println!(
            "a key pivot without partition predicates: {} rows, {} bytes scanned ({:.1}% of the whole)",
            k.rows,
            k.bytes,
            100.0 * k.bytes as f64 / m.bytes.max(1) as f64
        );
        let Some((mut child, url)) = s3 else {
            println!("UNLOAD: skipped (no TRAILSCOPE_MOTO)");
            return;
        };
        std::env::set_var("AWS_ENDPOINT_URL_S3", &url);
        let s3 = trailscope_fake::s3::client(&url);
        s3.create_bucket()
            .bucket("trailscope-fake-athena-results")
            .send()
            .await
            .expect("the results bucket");
        let u = measure(&client, &all, true, true).await;
        let from = u.unloaded.unwrap_or(u.first_rows);
        println!(
            "every event through UNLOAD: {} rows; the UNLOAD ended by {:.1} s, first rows at {:.1} s, all at {:.1} s = {:.0} rows/s from S3 into the store ({:.1}x GetQueryResults' rate); {} bytes scanned (both statements)",
            u.rows,
            from,
            u.first_rows,
            u.total,
            u.rows as f64 / (u.total - from),
            (u.rows as f64 / (u.total - from)) / (m.rows as f64 / (m.total - m.first_rows)),
            u.bytes
        );
        let _ = child.kill();
    });
}
