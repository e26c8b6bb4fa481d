//! Parse the command line, load config, run. Nothing else.

use clap::Parser;
use std::process::ExitCode;
use trailscope::app::fetch::LiveFetch;
use trailscope::cli::{Cli, Command, OpenArgs};
use trailscope::keymap::Keymap;
use trailscope::model::sanitize::visible;
use trailscope::runtime::{run, LiveStart, Outcome, RunOptions};
use trailscope::source::walk::Plan;
use trailscope::source::{demo, walk};
use trailscope::theme::Theme;

// Loading allocates a few dozen small strings per event; glibc's malloc spent a quarter of a
// million-event load in malloc/free (BENCHMARKS.md), mimalloc much less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Query(args)) => trailscope::query::main(&args),
        Some(Command::Generate(args)) => match trailscope::generate::run(&args) {
            Ok(summary) => {
                eprintln!("{summary}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e, 1),
        },
        Some(Command::FakeEndpoint(args)) => match trailscope::fake::main(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e, 1),
        },
        None => open(cli.open),
    }
}

/// The interactive UI.
fn open(cli: OpenArgs) -> ExitCode {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = match Theme::builtin(&cli.theme, no_color) {
        Ok(t) => t,
        Err(e) => return fail(&e, 2),
    };
    let filter = match &cli.filter {
        Some(f) => match trailscope::filter::parse(f) {
            Ok(expr) => Some(expr),
            Err(e) => {
                eprintln!("{}", trailscope::query::explain(f, &e));
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    if cli.lookup.wanted() {
        if cli.demo {
            return fail("--demo reads the bundled files; for LookupEvents use --region (or serve the demo with `trailscope fake-endpoint --demo`)", 2);
        }
        let filter = filter.unwrap_or_else(|| trailscope::filter::Expr::And(Vec::new()));
        let now = trailscope::model::time::EventTime::now();
        let (fetch, orders) = match LiveFetch::from_args(&cli.lookup, &filter, now) {
            Ok(f) => f,
            Err(e) => return fail(&visible(&e), 2),
        };
        let regions: Vec<&str> = fetch
            .regions
            .iter()
            .map(|r| r.progress.region.as_str())
            .collect();
        let mut label = format!("LookupEvents {}", regions.join(", "));
        if let Some(p) = &cli.lookup.profile {
            label.push_str(&format!(" (profile {p})"));
        }
        let live = LiveStart {
            fetch,
            orders,
            profile: cli.lookup.profile.clone(),
            rate: cli.lookup.rate,
        };
        return session(cli, Plan::default(), Some(live), label, theme);
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
    session(cli, plan, None, label, theme)
}

/// Runs the UI on files (`plan`) or LookupEvents (`live`).
fn session(
    cli: OpenArgs,
    plan: Plan,
    live: Option<LiveStart>,
    label: String,
    theme: Theme,
) -> ExitCode {
    let opts = RunOptions {
        filter: cli.filter.clone(),
        plan,
        live,
        source_label: label,
        keymap: Keymap::default_keymap(),
        theme,
    };
    match run(opts) {
        Ok(Outcome::Quit) => ExitCode::SUCCESS,
        Ok(Outcome::Failed(msg)) => fail(&msg, 1),
        Err(e) => fail(&e, 1),
    }
}

fn fail(msg: &str, code: u8) -> ExitCode {
    eprintln!("trailscope: {msg}");
    ExitCode::from(code)
}
