//! `trailscope query`: the same loader, store and filter engine as the UI, without a
//! terminal. Scriptable, and what the benchmarks drive.

mod athena;
mod fetch;
mod findings;
/// Public for the fuzz targets (fuzz/fuzz_targets/query_output.rs).
pub mod group;
pub(crate) mod lake;
/// Public for the fuzz targets (fuzz/fuzz_targets/query_output.rs).
pub mod output;
mod progress_line;
mod tally;

use crate::cmd::args::{Output, QueryArgs};
use crate::detect::Detector;
use crate::filter::field::Field;
use crate::filter::{parse, Compiled, ParseError};
use crate::lineage::{tree, Cred, Lineage, TreeLine};
use crate::model::sanitize::visible;
use crate::model::time::EventTime;
use crate::model::warning_log::WarningLog;
use crate::source::walk::Plan;
use crate::source::{demo, files::load_blocking, walk};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

pub fn main(
    args: &QueryArgs,
    data_dir: Option<&std::path::Path>,
    config_dir: Option<&std::path::Path>,
) -> ExitCode {
    // Check the filter before reading gigabytes.
    let expr = match parse(&args.filter) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{}", explain(&args.filter, &e));
            return ExitCode::from(2);
        }
    };
    let now = EventTime::now();
    let s3 = match crate::cmd::s3::from_args(&args.paths, &args.lookup, &args.s3, data_dir, now) {
        Ok(s3) => s3,
        Err(e) => {
            eprintln!("trailscope query: {}", visible(&e));
            return ExitCode::from(2);
        }
    };
    // Athena and Lake answer with events of their own, as a source of the store.
    let lake = args.lake.wanted() || args.athena.wanted();
    let fetching = s3.is_none() && !lake && args.lookup.wanted();
    let from_s3 = s3.is_some();
    let plan = if s3.is_some() {
        Plan {
            s3,
            ..Plan::default()
        }
    } else if fetching || lake {
        Plan::default()
    } else if args.demo {
        demo::plan()
    } else if args.paths.is_empty() {
        eprintln!("trailscope query: give files or folders to read, `-` for stdin, or --demo");
        return ExitCode::from(2);
    } else {
        walk::plan(&args.paths)
    };
    // Nothing to read is not zero events: the same answer as the app's, with the reasons.
    if !fetching && !lake && plan.s3.is_none() && plan.inputs.is_empty() {
        let label = args
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        eprintln!("trailscope query: nothing to read in {}", visible(&label));
        for w in &plan.warnings {
            eprintln!("  {}", visible(&w.to_string()));
        }
        return ExitCode::from(1);
    }
    if args.output == Output::Tree && args.lineage.is_none() {
        eprintln!(
            "trailscope query: --output tree draws a credential tree: give --lineage KEY_OR_ARN"
        );
        return ExitCode::from(2);
    }
    let mut plan = plan;
    // Raw records are only needed to print them, to search them as free text, or to read
    // the credentials minting events handed out.
    // Rules read the parts of a record the store does not keep in columns.
    plan.unread.raw = args.output != Output::Jsonl
        && !expr.has_text()
        && args.lineage.is_none()
        && !args.findings
        && !expr.mentions(Field::Finding);
    let folded = tally::folds(args, &expr);
    plan.unread.target = folded && !tally::reads_target(args, &expr);
    let mut partial = false;
    let answered = match (args.athena.wanted(), lake) {
        (true, _) => Some(athena::run(args, &expr, config_dir)),
        (false, true) => Some(lake::run(args)),
        (false, false) => None,
    };
    let loaded = if let Some(answer) = answered {
        match answer {
            lake::Answer::Events(store, warnings, cut) => {
                partial = cut;
                Ok((Held::Store(store), warnings))
            }
            lake::Answer::Done(code) => return code,
        }
    } else if fetching {
        fetch::fetch(&args.lookup, &expr).map(|(store, w)| (Held::Store(Box::new(store)), w))
    } else if folded {
        let by = args.group_by.filter(|_| args.output != Output::Count);
        let (tally, warnings) = tally::tally(plan, &expr, by, EventTime::now());
        Ok((Held::Tally(tally), warnings))
    } else {
        let (store, warnings) = load_blocking(plan);
        Ok((Held::Store(Box::new(store)), warnings))
    };
    let (held, warnings) = match loaded {
        Ok(l) => l,
        Err((e, code)) => {
            eprintln!("trailscope: {}", visible(&e));
            return ExitCode::from(code);
        }
    };
    let log: WarningLog = warnings.iter().cloned().collect();
    let problems = log.problems();
    if args.warnings {
        for line in log.lines() {
            eprintln!("trailscope: {}", visible(&line));
        }
    } else if problems > 0 && held.events() == 0 {
        // Nothing was read: the reasons are the answer, not a count of them.
        for line in log.lines() {
            eprintln!("trailscope: {}", visible(&line));
        }
    } else if problems > 0 {
        eprintln!("trailscope: {problems} problem(s) reading the input (--warnings lists them)");
    }
    if from_s3 && !args.warnings {
        // What was read from where: S3 reads cost time and requests, so always said.
        for w in warnings.iter().filter(|w| &*w.origin == "s3") {
            eprintln!("trailscope: {}", visible(&w.to_string()));
        }
    }
    if held.events() == 0 && problems > 0 {
        eprintln!("trailscope: no CloudTrail events could be read");
        return ExitCode::from(1);
    }
    // An account or region that failed is missing from every count that follows: said last
    // on standard error, and the exit status says the answer is partial.
    let failed_lanes = if fetching {
        fetch::failed_lanes(&warnings)
    } else {
        0
    };
    if failed_lanes > 0 {
        eprintln!("trailscope: {failed_lanes} LookupEvents account × region fetch(es) failed (said above): the answer below is partial (exit status 3)");
    }
    let dest = output::Dest::stdout();
    let mut store = match held {
        Held::Store(store) => *store,
        Held::Tally(tally) => {
            let written = with_stdout(|out| match (args.output, args.group_by) {
                (Output::Count, _) | (_, None) => writeln!(out, "{}", tally.matched),
                (format, Some(_)) => {
                    let (store, groups) = tally.groups();
                    output::groups(out, &store, &groups, (format, dest), args.limit)
                }
            });
            return exit_status(written, false);
        }
    };
    // The rules run before the filter, which may name their findings (`finding:`).
    let detector = (args.findings || expr.mentions(Field::Finding)).then(|| {
        let mut d = Detector::new(config_dir);
        for s in d.skipped() {
            eprintln!(
                "trailscope: rule {} not run: {}",
                visible(&s.name),
                visible(&s.reason)
            );
        }
        d.update(&mut store, EventTime::now(), true);
        d
    });
    let compiled = Compiled::new(&expr, &store, EventTime::now());
    let rows = match &args.lineage {
        Some(start) => {
            let lineage = Lineage::build(&store);
            let start = Cred::parse(start);
            if args.output == Output::Tree {
                return print_tree(&tree(&lineage, &store, &start));
            }
            let reach = lineage.reachable(&store, &start);
            compiled.select(&store, Some(&lineage.events(&store, &reach)))
        }
        None => compiled.select(&store, None),
    };
    let detector = detector.filter(|_| args.findings);
    let written = with_stdout(|out| match (args.group_by, args.output, &detector) {
        (_, Output::Count, Some(d)) => writeln!(out, "{}", d.groups(&store, Some(&rows)).len()),
        (_, format, Some(d)) => {
            let groups = d.groups(&store, Some(&rows));
            findings::print(out, d, &store, &groups, (format, dest), args.limit)
        }
        (_, Output::Count, None) => writeln!(out, "{}", rows.len()),
        (Some(by), format, None) => {
            let groups = group::count(&store, &rows, by);
            output::groups(out, &store, &groups, (format, dest), args.limit)
        }
        (None, format, None) => output::events(out, &store, &rows, (format, dest), args.limit),
    });
    exit_status(written, failed_lanes > 0 || partial)
}

/// What was read: every event in a store, or only the counts a folded load kept.
enum Held {
    Store(Box<crate::model::store::Store>),
    Tally(tally::Tally),
}

impl Held {
    /// Distinct events read.
    fn events(&self) -> usize {
        match self {
            Held::Store(store) => store.len(),
            Held::Tally(tally) => tally.events,
        }
    }
}

/// Writes through one buffer on standard output, flushed at the end.
fn with_stdout(
    write: impl FnOnce(&mut BufWriter<std::io::StdoutLock<'static>>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    write(&mut out).and_then(|_| out.flush())
}

/// The exit status once the answer is written: `partial` when some of the input failed.
fn exit_status(written: std::io::Result<()>, partial: bool) -> ExitCode {
    match written {
        Ok(()) if partial => ExitCode::from(lake::PARTIAL),
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is a normal way to stop reading.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("trailscope: cannot write the output: {e}");
            ExitCode::from(1)
        }
    }
}

/// The credential tree, one escaped line per credential.
fn print_tree(lines: &[TreeLine]) -> ExitCode {
    if lines.len() <= 1 && lines.iter().all(|l| l.events == 0) {
        eprintln!("trailscope: no events with that key, portal session or principal, and nothing it minted");
        return ExitCode::from(1);
    }
    let mut out = std::io::stdout().lock();
    for l in lines {
        if let Err(e) = writeln!(out, "{}", l.text()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("trailscope: cannot write the output: {e}");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// The filter with a caret under the error, for a terminal.
pub fn explain(filter: &str, e: &ParseError) -> String {
    let shown = visible(filter);
    let caret = format!("{}{}", " ".repeat(e.at), "^".repeat(e.len.max(1)));
    format!(
        "trailscope: bad filter: {}\n  {shown}\n  {caret}",
        visible(&e.message)
    )
}
