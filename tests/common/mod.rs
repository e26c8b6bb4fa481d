//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use trailscope::model::store::Store;
use trailscope::model::warning::{Severity, Warning};
use trailscope::source::files::load_blocking;
use trailscope::source::walk::plan;

/// The demo incident, loaded once per test binary, on its own thread (`load_blocking` must
/// not run inside a tokio runtime, where async tests call this).
pub fn demo_store() -> &'static Store {
    static STORE: std::sync::OnceLock<Store> = std::sync::OnceLock::new();
    STORE.get_or_init(|| {
        std::thread::spawn(|| load_blocking(trailscope::source::demo::plan()).0)
            .join()
            .expect("the demo loads")
    })
}

/// The demo incident in a store of the caller's own (to run rules into).
pub fn demo_store_owned() -> Store {
    std::thread::spawn(|| load_blocking(trailscope::source::demo::plan()).0)
        .join()
        .expect("the demo loads")
}

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

pub fn load(paths: &[PathBuf]) -> (Store, Vec<Warning>) {
    load_blocking(plan(paths))
}

pub fn problems(warnings: &[Warning]) -> Vec<&Warning> {
    warnings
        .iter()
        .filter(|w| w.severity == Severity::Problem)
        .collect()
}

/// Test keys and no config files, profiles or IMDS probe: nothing of the developer's AWS
/// setup can leak into (or out of) these tests.
pub fn isolated_aws_env() -> [(&'static str, &'static str); 5] {
    [
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        (
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
}

/// A shell command prefix that runs the rest in `isolated_aws_env` against `endpoint`, for
/// tests that type commands into tmux.
pub fn isolated_aws_shell_env(endpoint: &str) -> String {
    let vars: Vec<String> = isolated_aws_env()
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!(
        "env -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ENDPOINT_URL={endpoint} {}",
        vars.join(" ")
    )
}

/// The fake CloudTrail endpoint (`trailscope_fake`) serving the demo on a thread of the test
/// process, stopped when dropped. In-process rather than the `trailscope-fake` binary: no
/// other package's binary to find, so `cargo test --test NAME` alone works.
pub struct FakeEndpoint {
    /// Held for its `Drop`, which stops the server.
    _running: trailscope_fake::Running,
    pub url: String,
}

impl FakeEndpoint {
    /// Pretends it is 2026-11-21 noon (the demo's week) and allows `rate` requests/s/region.
    pub fn demo(rate: f64) -> FakeEndpoint {
        FakeEndpoint::demo_with_faults(rate, &[])
    }

    /// `demo`, injecting `faults` (`trailscope-fake serve --fault CALLS=FAULT`).
    pub fn demo_with_faults(rate: f64, faults: &[&str]) -> FakeEndpoint {
        let args: Vec<&str> = faults.iter().flat_map(|f| ["--fault", f]).collect();
        FakeEndpoint::demo_with_args(rate, &args)
    }

    /// `demo`, with more `trailscope-fake serve` flags (`--lake-polls 1000`…), read by the
    /// same parser as the binary's.
    pub fn demo_with_args(rate: f64, args: &[&str]) -> FakeEndpoint {
        let rate = rate.to_string();
        let words = ["--demo", "--now", "2026-11-21T12:00:00Z", "--rate", &rate];
        FakeEndpoint::from_words(&words, args)
    }

    /// `trailscope-fake serve --port 0 FIRST… REST…`, parsed as the binary parses them.
    fn from_words(first: &[&str], rest: &[&str]) -> FakeEndpoint {
        use clap::Parser;
        let words = ["serve", "--port", "0"]
            .iter()
            .chain(first)
            .chain(rest)
            .copied();
        let flags = trailscope_fake::cli::ServeArgs::try_parse_from(words)
            .unwrap_or_else(|e| panic!("fake endpoint flags {first:?} {rest:?}: {e}"));
        let running = trailscope_fake::start(&flags)
            .unwrap_or_else(|e| panic!("the fake endpoint did not start: {e}"));
        let url = running.url.clone();
        FakeEndpoint {
            _running: running,
            url,
        }
    }
}

impl FakeEndpoint {
    /// Reads or sets the fake's state (its knobs, the calls it answered) while it serves.
    pub fn with_fake<R>(&self, f: impl FnOnce(&mut trailscope_fake::FakeCloudTrail) -> R) -> R {
        let mut fake = self
            ._running
            .shared
            .fake
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut fake)
    }

    /// LookupEvents calls the endpoint has answered (throttled ones included).
    pub fn lookup_calls(&self) -> usize {
        self._running
            .shared
            .fake
            .lock()
            .map_or(0, |f| f.requests.len())
    }

    /// The AssumeRole calls answered: (account, session name, granted).
    pub fn assume_calls(&self) -> Vec<(String, String, bool)> {
        self._running.shared.fake.lock().map_or(Vec::new(), |f| {
            f.accounts
                .assumed
                .iter()
                .map(|c| (c.account.clone(), c.session.clone(), c.granted))
                .collect()
        })
    }

    /// The events of `path` on the real clock, with `trailscope-fake serve` flags.
    pub fn serving(path: &std::path::Path, args: &[&str]) -> FakeEndpoint {
        FakeEndpoint::from_words(&[&path.to_string_lossy()], args)
    }
}

pub mod athena;
pub mod harness;
pub mod org;
pub mod svg;
pub mod tmux;
