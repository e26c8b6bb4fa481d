//! What the command line asks of Athena, as a statement: the table, the window, the accounts
//! and regions, the workgroup; the table's partitioning read from the catalog
//! (GetTableMetadata) and the filter split into what Athena evaluates and what stays here.
//! Shared by `trailscope --athena` and `trailscope query --athena`, so both refuse the same
//! things before anything is billed.

use crate::athena::client::{connect, table_info, TableInfo, Target};
use crate::athena::plan::plan;
use crate::athena::sql::{events_query, Partitioned, Scope, Table};
use crate::cmd::args::{AthenaArgs, LakeArgs, LookupArgs};
use crate::filter::Expr;
use crate::model::sanitize::visible;
use crate::model::time::EventTime;
use crate::source::s3::cache::parse_size;
use crate::trino::Window;

/// A statement ready to run, and where.
pub(crate) struct Statement {
    pub sql: String,
    /// `db.table`.
    pub table: String,
    /// The same, checked and quoted for SQL.
    pub checked: Table,
    /// What statements on it can bound their reads by.
    pub partitioned: Partitioned,
    /// What runs in Athena and what runs here, for the title and standard error.
    pub split: String,
    pub window: Window,
    pub target: Target,
    pub client: aws_sdk_athena::Client,
    pub region: String,
}

/// Checks the arguments, asks the catalog about the table and writes the events statement.
/// `configured_max_scan` is config.toml's `max-scan`, which `--max-scan` overrides.
/// `Err((why, exit status))`: 2 for what the user must change, 1 for what AWS answered.
pub(crate) async fn prepare(
    athena: &AthenaArgs,
    lake: &LakeArgs,
    lookup: &LookupArgs,
    filter: &Expr,
    now: EventTime,
    configured_max_scan: Option<u64>,
) -> Result<Statement, (String, u8)> {
    let usage = |e: String| (e, 2u8);
    let name = athena.athena.as_deref().unwrap_or("");
    let (database, table) = name
        .split_once('.')
        .ok_or_else(|| usage(format!("--athena {}: give DATABASE.TABLE", visible(name))))?;
    let checked = Table::new(database, table).map_err(usage)?;
    let (start, end) =
        crate::source::lookup::scope::window(&lookup.request(), now).map_err(usage)?;
    let every = |v: &[String]| v.iter().any(|x| x.eq_ignore_ascii_case("all"));
    let listed = |v: &[String]| match every(v) {
        true => Vec::new(),
        false => v.to_vec(),
    };
    let scope = Scope::new(&listed(&lookup.accounts), &listed(&lookup.regions)).map_err(usage)?;
    let max_scan = athena
        .max_scan
        .as_deref()
        .map(parse_size)
        .transpose()
        .map_err(|e| usage(format!("--max-scan {e}")))?
        .or(configured_max_scan);
    let (client, region) = connect(lookup.profile.as_deref(), lookup.region.as_deref())
        .await
        .map_err(usage)?;
    let info = table_info(&client, &region, database, table)
        .await
        .map_err(|e| (e, 1))?;
    let partitioned = partitioning(&info, name, athena.scan_all, lookup, &region)
        .await
        .map_err(usage)?;
    let plan = plan(filter, Window { start, end }, now);
    if let Some(first) = before_projection(&info, plan.window) {
        return Err((
            format!("{name}'s partition projection starts on {first}, after the window: Athena would read nothing. Widen the window or the table's projection.timestamp.range"),
            1,
        ));
    }
    let sql = match &lake.template {
        // A playbook asks the whole organization; the filter still runs here on its events.
        Some(name) => {
            template(name, &lake.param, &checked, partitioned, plan.window).map_err(usage)?
        }
        None => events_query(
            &checked,
            plan.window,
            &scope,
            plan.condition.as_deref(),
            partitioned,
        )
        .map_err(usage)?,
    };
    Ok(Statement {
        sql,
        table: name.to_string(),
        checked,
        partitioned,
        split: format!(
            "{} · {}",
            plan.describe(),
            crate::athena::sql::partitions_read(plan.window, &scope, partitioned)
        ),
        window: plan.window,
        target: Target {
            workgroup: athena.workgroup.clone(),
            output_location: athena.output_location.clone(),
            database: Some(database.to_string()),
            max_scan,
            profile: lookup.profile.clone(),
            unload_over: Some(crate::athena::unload::UNLOAD_OVER),
        },
        client,
        region,
    })
}

/// `--template NAME --param k=v…` as Athena SQL on the table.
fn template(
    name: &str,
    given: &[String],
    table: &Table,
    partitioned: Partitioned,
    window: Window,
) -> Result<String, String> {
    use crate::athena::templates::{by_name, render, On, TEMPLATES};
    let t = by_name(name).ok_or_else(|| {
        let names: Vec<&str> = TEMPLATES.iter().map(|t| t.name).collect();
        format!(
            "no Athena template {} (one of: {})",
            visible(name),
            names.join(", ")
        )
    })?;
    let params = crate::cmd::lake::params(given)?;
    let on = On {
        table,
        partitioned,
        window,
    };
    render(t, &on, |p| {
        params.iter().find(|(q, _)| *q == p).map(|(_, v)| v.clone())
    })
}

/// How the table is partitioned, or why trailscope will not query it as it stands. A table
/// without usable partitions makes every statement read its whole location: how much that
/// is (a bounded S3 listing) is said before anything runs.
async fn partitioning(
    info: &TableInfo,
    name: &str,
    scan_all: bool,
    lookup: &LookupArgs,
    region: &str,
) -> Result<Partitioned, String> {
    let keys = &info.partition_keys;
    if ["account", "region", "timestamp"]
        .iter()
        .all(|k| keys.iter().any(|p| p == k))
    {
        return Ok(Partitioned::ByAccountRegionDay);
    }
    let location = info.parameter("location").unwrap_or("its S3 location");
    let size =
        crate::athena::listing::whole_size(location, lookup.profile.as_deref(), region).await;
    let why = match keys.is_empty() {
        true => format!(
            "{name} has no partitions: every statement reads (and bills) the whole trail under {location}, {size}"
        ),
        false => format!(
            "{name} is partitioned by {}, not account, region and timestamp: trailscope cannot bound what a statement reads, so every statement reads {location}, {size}",
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
fn before_projection(info: &TableInfo, window: Window) -> Option<String> {
    let range = info.parameter("projection.timestamp.range")?;
    let first = range.split(',').next()?.trim();
    let day = jiff::civil::Date::strptime("%Y/%m/%d", first).ok()?;
    let start = day.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    let start = EventTime::from_millis(start.as_millisecond());
    (window.end <= start).then(|| first.to_string())
}

/// `--athena` alone: the CloudTrail tables of the catalog, one a line (`db.table`, how its
/// reads are bounded, its location), tab-separated and escaped; exit 1 when there are none.
pub(crate) fn print_tables(lookup: &LookupArgs) -> std::process::ExitCode {
    use std::io::Write;
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the runtime: {e}"), 1),
    };
    let found = rt.block_on(crate::athena::listing::tables(
        lookup.profile.as_deref(),
        lookup.region.as_deref(),
    ));
    match found {
        Err(e) => fail(&e, 1),
        Ok((tables, region)) if tables.is_empty() => fail(
            &format!("no CloudTrail table in the Athena catalog of {region}: `trailscope athena create-table s3://BUCKET --run` makes one"),
            1,
        ),
        Ok((tables, _)) => {
            let mut out = std::io::stdout().lock();
            for t in tables {
                let fields = [t.name.clone(), t.bounds(), t.location].map(|f| visible(&f).into_owned());
                if writeln!(out, "{}", fields.join("\t")).is_err() {
                    break;
                }
            }
            eprintln!("trailscope: query one with --athena DATABASE.TABLE");
            std::process::ExitCode::SUCCESS
        }
    }
}

fn fail(msg: &str, code: u8) -> std::process::ExitCode {
    eprintln!("trailscope: {}", visible(msg));
    std::process::ExitCode::from(code)
}
