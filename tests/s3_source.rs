//! Reading trails straight from S3, against a real S3 implementation on loopback (moto's
//! server, see common/moto.rs) behind a recording proxy that can also answer like AWS where
//! moto does not (denials, SlowDown, another region). Everything runs through the real binary
//! (`trailscope query s3://…`), each run with its own environment and data directory.

mod common;
#[path = "common/moto.rs"]
mod moto;
#[path = "common/s3proxy.rs"]
mod s3proxy;

use s3proxy::{Fault, Reply};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// The generated trail: 2,000 objects of 10 events, 2023-12-30 to 2024-01-01 (a new year).
const WINDOW: [&str; 4] = ["--from", "2023-12-29", "--to", "2024-01-02"];

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

fn trailscope(endpoint: &str, data: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .arg("query")
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .envs(common::isolated_aws_env())
        .env("AWS_ENDPOINT_URL", endpoint)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ENDPOINT_URL_S3")
        .output()
        .expect("run trailscope");
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn local(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .arg("query")
        .arg(dir)
        .args(args)
        .output()
        .expect("run trailscope");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn lines(text: &str) -> BTreeSet<String> {
    text.lines().map(str::to_string).collect()
}

/// The `prefix=` of every listing the proxy saw, decoded.
fn listed_prefixes(seen: &s3proxy::Seen) -> Vec<String> {
    seen.requests
        .lock()
        .expect("lock")
        .iter()
        .filter(|r| r.contains("list-type=2"))
        .map(|r| {
            let q = r.split_once('?').map_or("", |(_, q)| q);
            let prefix = q
                .split('&')
                .find_map(|kv| kv.strip_prefix("prefix="))
                .unwrap_or("")
                .replace("%2F", "/");
            let delimited = q.contains("delimiter=");
            let probe = q.contains("max-keys=1");
            format!(
                "{}{prefix}",
                if probe {
                    "probe "
                } else if delimited {
                    "folders "
                } else {
                    ""
                }
            )
        })
        .collect()
}

fn first_account(dir: &Path) -> String {
    let mut accounts: Vec<String> = std::fs::read_dir(dir.join("AWSLogs"))
        .expect("AWSLogs")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    accounts.sort();
    accounts.remove(0)
}

#[test]
fn two_thousand_objects_match_a_file_load_with_bounded_concurrency_and_a_cache() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    let trail = moto::generate(20_000, 10, 3, "2024-01-01");
    let n = moto::upload_tree(&moto.url, "trail", trail.path(), str::to_string);
    assert_eq!(n, 2000);
    let proxy = s3proxy::start(moto.port, Vec::new());
    let data = tempfile::tempdir().expect("data dir");
    let args = [
        &["s3://trail", "-o", "jsonl", "--s3-concurrency", "8"][..],
        &WINDOW,
    ]
    .concat();
    let first = trailscope(&proxy.url, data.path(), &args);
    assert!(first.ok, "{}", first.stderr);
    let direct = local(trail.path(), &["-o", "jsonl"]);
    assert_eq!(lines(&first.stdout).len(), 20_000);
    assert!(
        lines(&first.stdout) == lines(&direct),
        "S3 and files differ"
    );
    assert_eq!(proxy.seen.gets(), 2000, "each object downloaded once");
    // Counted where the limit is kept, at the client: the proxy counts a download as finished
    // only after writing its answer, so on a busy machine the next request can reach it first.
    let peak = at_most_at_once(&first.stderr);
    assert!(
        (2..=8).contains(&peak),
        "downloads in flight at once: {peak}\n{}",
        first.stderr
    );
    assert!(
        first.stderr.contains(
            "2000 of 2000 object(s) read (2000 downloaded, 0 from the cache), 20000 event(s)"
        ),
        "{}",
        first.stderr
    );
    // The same window again: every object from the cache, nothing downloaded.
    proxy.seen.clear();
    let second = trailscope(&proxy.url, data.path(), &args);
    assert!(second.ok, "{}", second.stderr);
    assert_eq!(
        proxy.seen.gets(),
        0,
        "{:?}",
        proxy.seen.requests.lock().map(|r| r.len())
    );
    assert!(
        proxy.seen.lists() > 0,
        "the listing is asked again (objects may be new)"
    );
    assert!(lines(&second.stdout) == lines(&direct));
    assert!(
        second
            .stderr
            .contains("(0 downloaded, 2000 from the cache)"),
        "{}",
        second.stderr
    );
    // The cache is private and named by hashes, never by keys.
    let cache = data.path().join("s3-cache");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache)
            .expect("cache")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o700);
    }
    let names: Vec<String> = std::fs::read_dir(&cache)
        .expect("cache")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2000);
    assert!(
        names.iter().all(|n| n.len() == 68 && n.ends_with(".obj")),
        "{:?}",
        &names[..3]
    );
}

#[test]
fn only_the_prefixes_of_the_window_are_listed_across_days_months_and_years() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    let trail = moto::generate(400, 10, 3, "2024-01-01");
    moto::upload_tree(&moto.url, "trail", trail.path(), str::to_string);
    let account = first_account(trail.path());
    let proxy = s3proxy::start(moto.port, Vec::new());
    let data = tempfile::tempdir().expect("data dir");
    let region = format!("AWSLogs/{account}/CloudTrail/us-east-1/");
    let cases: [(&str, &str, Vec<&str>); 3] = [
        // Days across a new year (the next day joins for late deliveries).
        (
            "2023-12-31T12:00:00Z",
            "2024-01-01T02:00:00Z",
            vec!["2023/12/31/", "2024/01/01/"],
        ),
        // A whole month as one prefix.
        (
            "2023-11-30T00:00:00Z",
            "2024-01-01T00:10:00Z",
            vec!["2023/11/30/", "2023/12/", "2024/01/01/"],
        ),
        // A whole year as one prefix.
        (
            "2022-12-31T00:00:00Z",
            "2024-01-01T00:10:00Z",
            vec!["2022/12/31/", "2023/", "2024/01/01/"],
        ),
    ];
    for (from, to, dates) in cases {
        proxy.seen.clear();
        let args = [
            "s3://trail",
            "-o",
            "count",
            "--from",
            from,
            "--to",
            to,
            "--regions",
            "us-east-1",
            "--accounts",
            &account,
        ];
        let run = trailscope(&proxy.url, data.path(), &args);
        assert!(run.ok, "{}", run.stderr);
        let mut expected = vec![
            "probe ".to_string(),
            "folders ".to_string(),
            "folders AWSLogs/".to_string(),
        ];
        expected.extend(dates.iter().map(|d| format!("{region}{d}")));
        assert_eq!(listed_prefixes(&proxy.seen), expected, "{from} → {to}");
        // What was read is the files of those prefixes, delivered within the window.
        let direct = local(
            trail.path(),
            &[
                "-o",
                "count",
                "-f",
                &format!("account:{account} region:us-east-1"),
            ],
        );
        assert!(
            run.stdout.trim().parse::<u64>().expect("a count")
                <= direct.trim().parse().expect("a count")
        );
    }
}

#[test]
fn the_organization_layout_is_discovered_next_to_an_account_trail() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    let trail = moto::generate(600, 10, 2, "2024-06-30");
    // The same accounts twice: under an organization's folder, and one as its own trail.
    moto::upload_tree(&moto.url, "org-trail", trail.path(), |k| {
        k.replacen("AWSLogs/", "AWSLogs/o-abcdef1234/", 1)
    });
    let account = first_account(trail.path());
    let only = format!("AWSLogs/{account}/");
    let single: Vec<(String, Vec<u8>)> = walk_files(trail.path())
        .into_iter()
        .filter(|(k, _)| k.starts_with(&only))
        .map(|(k, v)| (format!("own/{k}"), v))
        .collect();
    moto::upload(&moto.url, "org-trail", single);
    let proxy = s3proxy::start(moto.port, Vec::new());
    let data = tempfile::tempdir().expect("data dir");
    let window = ["--from", "2024-06-28", "--to", "2024-07-01"];
    let org = trailscope(
        &proxy.url,
        data.path(),
        &[&["s3://org-trail", "-o", "jsonl"][..], &window].concat(),
    );
    assert!(org.ok, "{}", org.stderr);
    assert!(
        lines(&org.stdout) == lines(&local(trail.path(), &["-o", "jsonl"])),
        "every account of the organization"
    );
    let lists = listed_prefixes(&proxy.seen);
    assert!(
        lists.contains(&"folders AWSLogs/o-abcdef1234/".to_string()),
        "{lists:?}"
    );
    // --accounts narrows the organization to one account, and the trail's own prefix works.
    let one = trailscope(
        &proxy.url,
        data.path(),
        &[
            &["s3://org-trail", "-o", "count", "--accounts", &account][..],
            &window,
        ]
        .concat(),
    );
    let own = trailscope(
        &proxy.url,
        data.path(),
        &[&["s3://org-trail/own", "-o", "count"][..], &window].concat(),
    );
    let direct = local(
        trail.path(),
        &["-o", "count", "-f", &format!("account:{account}")],
    );
    assert_eq!(one.stdout.trim(), direct.trim(), "{}", one.stderr);
    assert_eq!(own.stdout.trim(), direct.trim(), "{}", own.stderr);
}

fn walk_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("under")
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out
}

#[test]
fn denied_throttled_and_corrupt_objects_are_named_and_the_rest_is_kept() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    let trail = moto::generate(300, 10, 1, "2024-06-30");
    let mut objects = walk_files(trail.path());
    objects.sort();
    let denied = objects[0].0.clone();
    let kms = objects[1].0.clone();
    // A corrupt object: gzip cut in half, and one that is not JSON at all.
    let mut cut = objects[2].1.clone();
    cut.truncate(cut.len() / 2);
    objects[2].1 = cut;
    objects[3].1 = b"\x1b]52;c;not a trail\x07".to_vec();
    moto::upload(&moto.url, "trail", objects.clone());
    let faults = vec![
        Fault {
            path_has: denied.clone(),
            list: false,
            times: None,
            reply: Reply::AccessDenied,
        },
        Fault {
            path_has: kms.clone(),
            list: false,
            times: None,
            reply: Reply::KmsDenied,
        },
        // The first three downloads are asked to slow down: retried, counted, read.
        Fault {
            path_has: "/trail/AWSLogs/".into(),
            list: false,
            times: Some(3),
            reply: Reply::SlowDown,
        },
    ];
    let proxy = s3proxy::start(moto.port, faults);
    let data = tempfile::tempdir().expect("data dir");
    let run = trailscope(
        &proxy.url,
        data.path(),
        &[
            "s3://trail",
            "-o",
            "count",
            "--warnings",
            "--from",
            "2024-06-29",
            "--to",
            "2024-07-01",
        ],
    );
    assert!(run.ok, "{}", run.stderr);
    // 30 objects of 10: two denied, one cut (its first records kept), one not JSON.
    let count: u64 = run.stdout.trim().parse().expect("a count");
    assert!((260..280).contains(&count), "{count}: {}", run.stderr);
    let line_of = |key: &str| {
        run.stderr
            .lines()
            .find(|l| l.contains(&format!("s3://trail/{key}")))
            .unwrap_or_else(|| panic!("no warning for {key}: {}", run.stderr))
            .to_string()
    };
    assert!(
        line_of(&denied).contains("s3:GetObject"),
        "{}",
        line_of(&denied)
    );
    assert!(line_of(&kms).contains("kms:Decrypt"), "{}", line_of(&kms));
    assert!(
        line_of(&objects[2].0).contains("truncated"),
        "{}",
        line_of(&objects[2].0)
    );
    assert!(line_of(&objects[3].0).contains("s3://trail/"));
    assert!(
        !run.stderr.contains('\u{1b}'),
        "escape sequences from objects never reach the terminal"
    );
    assert!(run.stderr.contains("3 throttle(s)"), "{}", run.stderr);
}

#[test]
fn a_bucket_that_cannot_be_listed_says_which_permission_is_missing() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    moto::upload(
        &moto.url,
        "locked",
        vec![("AWSLogs/x.json".into(), b"{}".to_vec())],
    );
    let faults = vec![Fault {
        path_has: "/locked".into(),
        list: true,
        times: None,
        reply: Reply::AccessDenied,
    }];
    let proxy = s3proxy::start(moto.port, faults);
    let data = tempfile::tempdir().expect("data dir");
    let run = trailscope(
        &proxy.url,
        data.path(),
        &["s3://locked/AWSLogs/", "-o", "count", "--warnings"],
    );
    assert!(!run.ok, "nothing could be read");
    assert!(
        run.stderr.contains("s3:ListBucket on arn:aws:s3:::locked"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("no CloudTrail events could be read"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bucket_in_another_region_is_followed_or_explained() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    let trail = moto::generate(100, 10, 1, "2024-06-30");
    moto::upload_tree(&moto.url, "far", trail.path(), str::to_string);
    let faults = vec![Fault {
        path_has: "/far".into(),
        list: true,
        times: None,
        reply: Reply::Region("eu-west-1"),
    }];
    let proxy = s3proxy::start(moto.port, faults);
    let data = tempfile::tempdir().expect("data dir");
    let window = ["--from", "2024-06-29", "--to", "2024-07-01"];
    let run = trailscope(
        &proxy.url,
        data.path(),
        &[&["s3://far", "-o", "count", "--warnings"][..], &window].concat(),
    );
    assert!(run.ok, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), "100");
    assert!(
        run.stderr.contains("the bucket is in eu-west-1"),
        "{}",
        run.stderr
    );
    // Asked for the wrong region explicitly: told which one to use instead.
    let run = trailscope(
        &proxy.url,
        data.path(),
        &[
            &[
                "s3://far",
                "-o",
                "count",
                "--warnings",
                "--region",
                "us-west-2",
            ][..],
            &window,
        ]
        .concat(),
    );
    assert!(!run.ok);
    assert!(
        run.stderr
            .contains("is in eu-west-1, not us-west-2: pass --region eu-west-1"),
        "{}",
        run.stderr
    );
}

#[test]
fn s3_and_local_paths_do_not_mix_and_flags_are_checked() {
    let data = tempfile::tempdir().expect("data dir");
    let run = trailscope(
        "http://127.0.0.1:9",
        data.path(),
        &["s3://b", "tests/fixtures"],
    );
    assert!(
        !run.ok && run.stderr.contains("cannot be mixed"),
        "{}",
        run.stderr
    );
    let run = trailscope(
        "http://127.0.0.1:9",
        data.path(),
        &["s3://bkt", "--accounts", "12"],
    );
    assert!(
        !run.ok && run.stderr.contains("12 digits"),
        "{}",
        run.stderr
    );
    let run = trailscope(
        "http://127.0.0.1:9",
        data.path(),
        &["tests/fixtures", "--regions", "eu-west-1"],
    );
    assert!(
        !run.ok && run.stderr.contains("do not apply to local files"),
        "{}",
        run.stderr
    );
}

/// The closing summary's "at most N download(s) at once".
fn at_most_at_once(stderr: &str) -> usize {
    stderr
        .split("at most ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no download count in: {stderr}"))
}
