//! `trailscope [PATHS…]`, `--demo`, `--region`, `--lake`, `s3://…` and `trailscope open`: the
//! interactive session's front end. Picks what the session opens on (`Start`), how its jobs
//! reach AWS (`Reach`), where it saves, and runs it; a choice in the investigation picker
//! opens that one next.

use crate::app::boot::Start;
use crate::app::fetch::LiveFetch;
use crate::app::session::SessionMeta;
use crate::cmd::args::{DisplayArgs, OpenArgs};
use crate::config::startup::Startup;
use crate::lake::runner::LakeContext;
use crate::model::sanitize::visible;
use crate::model::time::EventTime;
use crate::runtime::{run, Outcome, Reach, RunOptions};
use crate::session::db::{data_dir, Db};
use crate::session::reopen;
use crate::session::state::{SessionState, SourceRecord};
use crate::source::lookup::accounts::Via;
use crate::source::lookup::live::LookupContext;
use crate::source::s3::S3Load;
use crate::source::walk::Plan;
use crate::source::{demo, walk};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where saved investigations and configuration live (flags; the environment and the
/// platform's directories decide when they are not given).
pub(super) struct Dirs {
    pub(super) data: Option<PathBuf>,
    pub(super) config: Option<PathBuf>,
}

/// Settings, keymap and themes for a session; a mistake in any file stops the start.
fn startup(
    dirs: &Dirs,
    display: &DisplayArgs,
    session: Option<&SessionState>,
) -> Result<Startup, ExitCode> {
    Startup::prepare(dirs.config.as_deref(), display.layer(), session)
        .map_err(|e| fail(&visible(&e), 2))
}

/// The session database, or why there is none (the app then runs without saving).
fn database(dir: Option<&Path>) -> Result<Db, String> {
    Db::open(&data_dir(dir)?)
}

/// `trailscope open NAME`, and the picker's choice.
pub(super) fn open_saved(name: String, display: DisplayArgs, dirs: Dirs) -> ExitCode {
    let db = match database(dirs.data.as_deref()) {
        Ok(db) => db,
        Err(e) => return fail(&e, 1),
    };
    let saved = match reopen::prepare(&db, &name) {
        Ok(r) => r,
        Err(e) => return fail(&visible(&e), 1),
    };
    let reach = reach_again(&saved.state);
    let meta = SessionMeta::reopened(saved.name, saved.created_ms, saved.state);
    let startup = match startup(&dirs, &display, meta.restore.as_ref()) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let opts = RunOptions {
        start: Start::Files(saved.plan),
        reach,
        filter: None,
        source_label: saved.label,
        startup,
        session: meta,
        db: Ok(db),
    };
    finish(run(opts), display, dirs)
}

/// A reopened LookupEvents investigation reaches AWS again as it did (its profile; each
/// account's role or profile is in the saved fetch), so `m` resumes it; with no credentials
/// at hand, the first `m` says what to run. Anything else stays offline.
fn reach_again(state: &SessionState) -> Reach {
    if state.live.is_none() {
        return Reach::default();
    }
    let profile = state
        .sources
        .iter()
        .find(|s| s.kind == "lookup-events")
        .and_then(|s| s.profile.clone());
    Reach {
        lookup: Some(LookupContext::with_accounts(
            profile,
            2.0,
            crate::source::lookup::accounts::DEFAULT_CONCURRENCY,
        )),
        lake: None,
        athena: None,
    }
}

/// How the UI ended; a choice in the picker opens that investigation next (with the same
/// command-line display flags).
fn finish(outcome: Result<Outcome, String>, display: DisplayArgs, dirs: Dirs) -> ExitCode {
    match outcome {
        Ok(Outcome::Quit) => ExitCode::SUCCESS,
        Ok(Outcome::Open(name)) => open_saved(name, display, dirs),
        Ok(Outcome::Failed(msg)) => fail(&msg, 1),
        Err(e) => fail(&e, 1),
    }
}

/// What this session reads, for its saved provenance.
fn source_record(kind: &str, label: &str, paths: Vec<String>) -> SourceRecord {
    SourceRecord {
        kind: kind.to_string(),
        label: label.to_string(),
        paths,
        opened_ms: EventTime::now().millis().unwrap_or(0),
        ..SourceRecord::default()
    }
}

/// Where this session saves: `--save NAME`, nowhere with `--no-save`, else a name from the
/// source and the time (`:save NAME` renames it later).
fn session_meta(cli: &OpenArgs, short: &str, sources: Vec<SourceRecord>) -> SessionMeta {
    let now = EventTime::now();
    let created = now.millis().unwrap_or(0);
    let mut meta = match (&cli.save, cli.no_save) {
        (_, true) => SessionMeta::default(),
        (Some(name), false) => SessionMeta::saving(name.clone(), false, created),
        (None, false) => {
            let short: String = short.chars().filter(|c| !c.is_control()).take(40).collect();
            let stamp = now.format_utc();
            let stamp = stamp.get(..19).unwrap_or(&stamp).replace('T', " ");
            SessionMeta::saving(format!("{short} {stamp}"), true, created)
        }
    };
    meta.sources = sources;
    meta
}

/// The interactive UI.
pub(super) fn open(cli: OpenArgs, dirs: Dirs) -> ExitCode {
    let startup = match startup(&dirs, &cli.display, None) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let filter = match &cli.filter {
        Some(f) => match crate::filter::parse(f) {
            Ok(expr) => Some(expr),
            Err(e) => {
                eprintln!("{}", crate::cmd::query::explain(f, &e));
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    if cli.lake.wanted() {
        return open_lake(cli, startup, dirs);
    }
    if cli.athena.wanted() {
        return open_athena(cli, filter, startup, dirs);
    }
    let now = EventTime::now();
    match crate::cmd::s3::from_args(&cli.paths, &cli.lookup, &cli.s3, dirs.data.as_deref(), now) {
        Ok(Some(load)) => return open_s3(cli, load, startup, dirs),
        Ok(None) => {}
        Err(e) => return fail(&visible(&e), 2),
    }
    if cli.lookup.wanted() {
        if cli.demo {
            return fail(
                "--demo reads the bundled files; for LookupEvents use --region without --demo",
                2,
            );
        }
        let filter = filter.unwrap_or_else(|| crate::filter::Expr::And(Vec::new()));
        let now = crate::model::time::EventTime::now();
        let scope = match crate::source::lookup::scope::scope(&cli.lookup.request(), &filter, now) {
            Ok(s) => s,
            Err(e) => return fail(&visible(&e), 2),
        };
        let first_region = scope.regions.first().cloned().unwrap_or_default();
        let list = match crate::cmd::accounts::accounts(&cli.lookup, &first_region) {
            Ok(list) => list,
            Err(refused) => return fail(&visible(&refused.message), refused.code),
        };
        let (mut fetch, orders) = LiveFetch::of_scope(scope, &list.accounts, cli.lookup.max_events);
        fetch.role = cli.lookup.role_name.clone();
        for (account, why) in &list.skipped {
            let via = Via::Role {
                account: account.clone(),
                role: cli.lookup.role_name.clone(),
            };
            fetch.add_skipped(via, why);
        }
        let regions = fetch.region_names();
        let mut label = format!("LookupEvents {}", regions.join(", "));
        if fetch.accounts() != [Via::Own] {
            label.push_str(&format!(" · {} accounts", fetch.accounts().len()));
        }
        if let Some(p) = &cli.lookup.profile {
            label.push_str(&format!(" (profile {p})"));
        }
        let mut source = source_record("lookup-events", &label, Vec::new());
        source.profile = cli.lookup.profile.clone();
        source.regions = regions.clone();
        source.via = match fetch.accounts().as_slice() {
            [Via::Own] => Vec::new(),
            all => all.to_vec(),
        };
        source.window = Some((fetch.start.format_utc(), fetch.end.format_utc()));
        source.sent_filter = Some(fetch.plan.describe());
        let short = format!("lookup {}", regions.first().map_or("", String::as_str));
        let meta = session_meta(&cli, &short, vec![source]);
        let reach = Reach {
            lookup: Some(LookupContext::with_accounts(
                cli.lookup.profile.clone(),
                cli.lookup.rate,
                cli.lookup.account_concurrency,
            )),
            lake: None,
            athena: None,
        };
        let start = Start::Lookup { fetch, orders };
        return session(cli, start, reach, label, startup, meta, dirs);
    }
    let (plan, label) = if cli.demo {
        if !demo::is_available() {
            return fail(
                "this build has no demo data (assets/demo/AWSLogs was empty when it was built)",
                2,
            );
        }
        (demo::plan(), "demo incident (assets/demo)".to_string())
    } else if cli.paths.is_empty() {
        // Nothing asked for: offer the saved investigations, if there are any.
        if let Ok(db) = database(dirs.data.as_deref()) {
            if db.list().is_ok_and(|l| !l.is_empty()) {
                let opts = RunOptions {
                    start: Start::PickInvestigation,
                    reach: Reach::default(),
                    filter: None,
                    source_label: "saved investigations".to_string(),
                    startup,
                    session: SessionMeta::default(),
                    db: Ok(db),
                };
                return finish(run(opts), cli.display, dirs);
            }
        }
        return fail("nothing to open: give files or folders of CloudTrail logs, `-` for stdin, or --demo (see --help)", 2);
    } else {
        let label = cli
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        (walk::plan(&cli.paths), label)
    };
    if plan.inputs.is_empty() {
        let mut msg = format!("nothing to read in {label}");
        for w in &plan.warnings {
            msg.push_str(&format!("\n  {}", visible(&w.to_string())));
        }
        return fail(&msg, 1);
    }
    let (kind, short) = if cli.demo {
        ("demo", "demo".to_string())
    } else if cli.paths.iter().any(|p| p.as_os_str() == "-") {
        ("stdin", "stdin".to_string())
    } else {
        let first = cli.paths.first().map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string())
        });
        ("files", first.unwrap_or_default())
    };
    let paths = cli.paths.iter().map(|p| p.display().to_string()).collect();
    let meta = session_meta(&cli, &short, vec![source_record(kind, &label, paths)]);
    session(
        cli,
        Start::Files(plan),
        Reach::default(),
        label,
        startup,
        meta,
        dirs,
    )
}

/// The UI on a trail's S3 bucket, its locations, window and narrowing saved as provenance.
fn open_s3(cli: OpenArgs, load: S3Load, startup: Startup, dirs: Dirs) -> ExitCode {
    let label = load.label();
    let mut source = source_record(
        "s3",
        &label,
        load.urls.iter().map(|u| u.display()).collect(),
    );
    source.profile = cli.lookup.profile.clone();
    (source.regions, source.accounts) = (load.regions.clone(), load.accounts.clone());
    source.window = Some((load.window.0.format_utc(), load.window.1.format_utc()));
    let short = format!("s3 {}", load.urls.first().map_or("", |u| u.bucket.as_str()));
    let meta = session_meta(&cli, &short, vec![source]);
    let plan = Plan {
        s3: Some(load),
        ..Plan::default()
    };
    session(
        cli,
        Start::Files(plan),
        Reach::default(),
        label,
        startup,
        meta,
        dirs,
    )
}

/// `trailscope --lake [EDS_ID]`: CloudTrail Lake in the UI. With an id, the editor opens on
/// the window's events (or runs `--sql`/`--template` at once); without, a picker lists the
/// region's event data stores.
fn open_lake(cli: OpenArgs, startup: Startup, dirs: Dirs) -> ExitCode {
    use crate::cmd::lake::request;
    use crate::lake::sql::Window;
    let now = EventTime::now();
    let picking = cli.lake.lake.as_deref() == Some("");
    if cli.lake.sql.as_deref() == Some("-") {
        return fail("--sql - reads standard input, which the app needs for keys: give the SQL itself, or use `trailscope query --lake`", 2);
    }
    let (store, window, first_sql, run_first) = if picking {
        let (start, end) = match crate::source::lookup::scope::window(&cli.lookup.request(), now) {
            Ok(w) => w,
            Err(e) => return fail(&e, 2),
        };
        (String::new(), Window { start, end }, String::new(), None)
    } else {
        let req = match request(&cli.lake, &cli.lookup, cli.lake.sql.clone(), now) {
            Ok(r) => r,
            Err(e) => return fail(&visible(&e), 2),
        };
        let asked = cli.lake.sql.is_some() || cli.lake.template.is_some();
        let run_first = asked.then(|| req.sql.clone());
        (req.store, req.window, req.sql, run_first)
    };
    let label = match store.as_str() {
        "" => "CloudTrail Lake (pick an event data store)".to_string(),
        id => format!("CloudTrail Lake {id}"),
    };
    let mut source = source_record("lake", &label, Vec::new());
    source.profile = cli.lookup.profile.clone();
    source.regions = cli.lookup.region.iter().cloned().collect();
    source.window = Some((window.start.format_utc(), window.end.format_utc()));
    let meta = session_meta(&cli, &format!("lake {store}"), vec![source]);
    let start = Start::Lake {
        session: Box::new(crate::app::lake::LakeSession::new(
            store, window, &first_sql,
        )),
        run_first,
    };
    let reach = Reach {
        lookup: None,
        lake: Some(LakeContext::new(
            cli.lookup.profile.clone(),
            cli.lookup.region.clone(),
        )),
        athena: None,
    };
    session(cli, start, reach, label, startup, meta, dirs)
}

/// `trailscope --athena DB.TABLE`: the window's events of an organization's trail through
/// Athena, the filter's exact conditions sent as SQL. The table is asked about (and the
/// statement refused, with the reason) before the UI starts; its rows then arrive as a load's.
/// `--athena` alone opens on the catalog's CloudTrail tables, to pick one.
fn open_athena(
    cli: OpenArgs,
    filter: Option<crate::filter::Expr>,
    startup: Startup,
    dirs: Dirs,
) -> ExitCode {
    use crate::app::lake::{AthenaOn, LakeSession};
    let context = |region: Option<String>, target| crate::athena::runner::AthenaContext {
        profile: cli.lookup.profile.clone(),
        region,
        target,
        polling: crate::lake::client::Polling::default(),
    };
    let mut source = source_record("athena", "", Vec::new());
    source.profile = cli.lookup.profile.clone();
    source.accounts = cli.lookup.accounts.clone();
    if cli.athena.athena.as_deref() == Some("") {
        let now = EventTime::now();
        let (start, end) = match crate::source::lookup::scope::window(&cli.lookup.request(), now) {
            Ok(w) => w,
            Err(e) => return fail(&e, 2),
        };
        let window = crate::trino::Window { start, end };
        let max_scan = match cli
            .athena
            .max_scan
            .as_deref()
            .map(crate::source::s3::cache::parse_size)
            .transpose()
        {
            Ok(m) => m.or(startup.settings.max_scan),
            Err(e) => return fail(&format!("--max-scan {e}"), 2),
        };
        let label = "Athena (pick a CloudTrail table)".to_string();
        source.label = label.clone();
        source.regions = cli.lookup.region.iter().cloned().collect();
        source.window = Some((window.start.format_utc(), window.end.format_utc()));
        let meta = session_meta(&cli, "athena", vec![source]);
        let workgroup = cli.athena.workgroup.clone();
        let picker = LakeSession::athena(String::new(), None, workgroup.clone(), window, "");
        let start = Start::Athena {
            session: Box::new(picker),
            first_sql: None,
        };
        let target = crate::athena::client::Target {
            workgroup,
            output_location: cli.athena.output_location.clone(),
            max_scan,
            profile: cli.lookup.profile.clone(),
            unload_over: Some(crate::athena::unload::UNLOAD_OVER),
            database: None,
        };
        let reach = Reach {
            athena: Some(context(cli.lookup.region.clone(), target)),
            ..Reach::default()
        };
        return session(cli, start, reach, label, startup, meta, dirs);
    }
    let filter = filter.unwrap_or_else(crate::filter::Expr::all);
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the runtime: {e}"), 1),
    };
    let prepared = rt.block_on(crate::cmd::athena_statement::prepare(
        &cli.athena,
        &cli.lake,
        &cli.lookup,
        &filter,
        EventTime::now(),
        startup.settings.max_scan,
    ));
    drop(rt);
    let st = match prepared {
        Ok(s) => s,
        Err((why, code)) => return fail(&why, code),
    };
    // The title says what ran at Athena and what runs here, as LookupEvents' does.
    let label = format!("Athena {} · {}", st.table, st.split);
    source.label = label.clone();
    source.regions = vec![st.region.clone()];
    source.window = Some((st.window.start.format_utc(), st.window.end.format_utc()));
    source.sent_filter = Some(st.split.clone());
    let meta = session_meta(&cli, &format!("athena {}", st.table), vec![source]);
    // Pivots and templates go to the same table, across the window and every account.
    let on = AthenaOn {
        table: st.checked.clone(),
        partitioned: st.partitioned,
    };
    let workgroup = st.target.workgroup.clone();
    let on_table = LakeSession::athena(st.table.clone(), Some(on), workgroup, st.window, &st.sql);
    let start = Start::Athena {
        session: Box::new(on_table),
        first_sql: Some(st.sql),
    };
    let reach = Reach {
        athena: Some(context(Some(st.region), st.target)),
        ..Reach::default()
    };
    session(cli, start, reach, label, startup, meta, dirs)
}

/// Runs the UI on files, LookupEvents or CloudTrail Lake (`start`).
fn session(
    cli: OpenArgs,
    start: Start,
    reach: Reach,
    label: String,
    startup: Startup,
    meta: SessionMeta,
    dirs: Dirs,
) -> ExitCode {
    let opts = RunOptions {
        start,
        reach,
        filter: cli.filter.clone(),
        source_label: label,
        startup,
        session: meta,
        db: database(dirs.data.as_deref()),
    };
    finish(run(opts), cli.display, dirs)
}

/// Failure messages can quote input, a file name or an endpoint's words: through the gate.
pub(super) fn fail(msg: &str, code: u8) -> ExitCode {
    eprintln!("trailscope: {}", crate::model::sanitize::visible_lines(msg));
    ExitCode::from(code)
}
