//! A real S3 on loopback for the S3 source's tests: moto's server (`moto[server]` from PyPI,
//! which .ci/run installs into target/moto-venv), one per test binary, plus helpers to fill
//! buckets with trail objects through the AWS SDK. Like the aws CLI tests, a developer without
//! moto is told how to get it and the test is skipped; under CI it fails.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `moto_server`: $TRAILSCOPE_MOTO, the venv .ci/run makes, or PATH.
pub fn moto_server() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TRAILSCOPE_MOTO").filter(|p| !p.is_empty()) {
        return Some(p.into());
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/moto-venv/bin/moto_server");
    if venv.exists() {
        return Some(venv);
    }
    Command::new("moto_server")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()
        .filter(|s| s.success())
        .map(|_| "moto_server".into())
}

pub struct Moto {
    child: Child,
    pub port: u16,
    pub url: String,
}

impl Moto {
    /// Starts moto on a free loopback port; `None` (skip) when moto is not installed outside CI.
    pub fn start() -> Option<Moto> {
        let Some(bin) = moto_server() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "moto_server is required in CI (.ci/run installs it into target/moto-venv)"
            );
            eprintln!("SKIPPED: no moto_server (run .ci/run, or: python3 -m venv target/moto-venv && target/moto-venv/bin/pip install 'moto[server]'; or set TRAILSCOPE_MOTO)");
            return None;
        };
        let port = free_port();
        let child = Command::new(&bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let moto = Moto {
            child,
            port,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not start on {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(moto)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// An SDK client for `endpoint` with test keys, path-style (for uploads and checks).
pub fn client(endpoint: &str) -> aws_sdk_s3::Client {
    trailscope_fake::s3::client(endpoint)
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// Creates `bucket` and uploads every file under `dir` with its path below `dir` as the key,
/// `rename` applied to each key (e.g. to put an organization ID after `AWSLogs/`). Returns
/// the number of objects.
pub fn upload_tree(
    endpoint: &str,
    bucket: &str,
    dir: &Path,
    rename: impl Fn(&str) -> String,
) -> usize {
    let mut files = Vec::new();
    walk(dir, &mut files);
    let objects: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| {
            let rel = f
                .strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .replace('\\', "/");
            (
                rename(&rel),
                std::fs::read(f).expect("read a generated file"),
            )
        })
        .collect();
    upload(endpoint, bucket, objects)
}

/// Creates `bucket` (if needed) and uploads `objects` 16 at a time.
pub fn upload(endpoint: &str, bucket: &str, objects: Vec<(String, Vec<u8>)>) -> usize {
    let n = objects.len();
    let client = client(endpoint);
    runtime().block_on(async move {
        let _ = client.create_bucket().bucket(bucket).send().await;
        let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(16));
        let mut set = tokio::task::JoinSet::new();
        for (key, body) in objects {
            let (client, bucket) = (client.clone(), bucket.to_string());
            let permit = sem.clone().acquire_owned().await.expect("semaphore");
            set.spawn(async move {
                client
                    .put_object()
                    .bucket(bucket)
                    .key(&key)
                    .body(body.into())
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("put {key}: {e:?}"));
                drop(permit);
            });
        }
        while let Some(r) = set.join_next().await {
            r.expect("an upload task");
        }
    });
    n
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The test rig's generator (`trailscope-fake generate`) into a temporary folder.
pub fn generate(events: u64, per_file: u64, days: u32, end: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let args = trailscope_fake::cli::GenerateArgs {
        events,
        out: dir.path().to_path_buf(),
        seed: 1,
        events_per_file: per_file,
        templates: Vec::new(),
        days,
        end: end.to_string(),
        incident: false,
    };
    if let Err(e) = trailscope_fake::generate::run(&args) {
        panic!("generate {events} events: {e}");
    }
    dir
}
