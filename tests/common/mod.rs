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

/// `trailscope fake-endpoint` serving the demo as a child process, stopped when dropped.
pub struct FakeEndpoint {
    child: std::process::Child,
    pub url: String,
}

impl FakeEndpoint {
    /// Pretends it is 2026-11-21 noon (the demo's week) and allows `rate` requests/s/region.
    pub fn demo(rate: f64) -> FakeEndpoint {
        FakeEndpoint::demo_with_faults(rate, &[])
    }

    /// `demo`, injecting `faults` (`fake-endpoint --fault CALLS=FAULT`).
    pub fn demo_with_faults(rate: f64, faults: &[&str]) -> FakeEndpoint {
        let args: Vec<&str> = faults.iter().flat_map(|f| ["--fault", f]).collect();
        FakeEndpoint::demo_with_args(rate, &args)
    }

    /// `demo`, with more `fake-endpoint` arguments (`--lake-polls 1000`…).
    pub fn demo_with_args(rate: f64, args: &[&str]) -> FakeEndpoint {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
            .args(["fake-endpoint", "--demo", "--port", "0"])
            .args(["--now", "2026-11-21T12:00:00Z", "--rate", &rate.to_string()])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the fake endpoint");
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = std::io::BufReader::new(out).read_line(&mut line);
        }
        // "listening on http://127.0.0.1:PORT (…)"
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:"))
            .unwrap_or_else(|| panic!("the fake endpoint did not start: {line:?}"))
            .to_string();
        FakeEndpoint { child, url }
    }
}

impl Drop for FakeEndpoint {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub mod harness;
pub mod svg;
pub mod tmux;
