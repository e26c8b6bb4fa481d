//! `trailscope query` against jq on the benchmark's three questions (count all; events from
//! one IP grouped by eventName; events grouped by principal ARN), on the fixtures and on a
//! generated 100k-event trail read by jq straight from the gzipped files.

mod common;

use common::fixture;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn trailscope(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(args)
        .output()
        .expect("run trailscope");
    assert!(
        out.status.success(),
        "trailscope {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// The records trailscope reads from `paths`, as JSON lines in a file for jq: the fixtures
/// come in shapes jq cannot all parse alone, and what is compared is what is done with them.
fn records_read(paths: &[&str]) -> tempfile::NamedTempFile {
    let dump = tempfile::NamedTempFile::new().expect("temp");
    std::fs::write(
        dump.path(),
        trailscope(&[&["query"], paths, &["-o", "jsonl"]].concat()),
    )
    .expect("write");
    dump
}

/// `COUNT<tab>VALUE` lines → map.
fn groups(text: &str) -> HashMap<String, usize> {
    text.lines()
        .map(|l| {
            let (n, v) = l.split_once('\t').unwrap_or((l, ""));
            (
                v.to_string(),
                n.parse().unwrap_or_else(|_| panic!("bad line {l:?}")),
            )
        })
        .collect()
}

/// (sourceIPAddress, eventName, userIdentity.arn) of every record, as jq reads them.
fn jq_rows(shell_input: &str) -> Vec<[String; 3]> {
    let script = format!(
        "{shell_input} | jq -r '[.sourceIPAddress // \"\", .eventName // \"\", .userIdentity.arn // \"\"] | @tsv'"
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("sh");
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let mut f = l.splitn(3, '\t').map(str::to_string);
            [(); 3].map(|_| f.next().unwrap_or_default())
        })
        .collect()
}

fn count_by(
    rows: &[[String; 3]],
    col: usize,
    keep: impl Fn(&[String; 3]) -> bool,
) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for r in rows.iter().filter(|r| keep(r)) {
        *m.entry(r[col].clone()).or_insert(0) += 1;
    }
    m
}

/// Asks both tools the three questions over `paths` and compares.
fn agree(paths: &[&str], jq: &[[String; 3]]) {
    let total: usize = trailscope(&[&["query"], paths, &["-o", "count"]].concat())
        .trim()
        .parse()
        .expect("count");
    assert_eq!(total, jq.len(), "count all");
    // The IP with most events, by event name, and the event name with most events, by IP:
    // each filter is one indexed value alone, answered from the store's index.
    for (filter_col, field, group_col, group) in [(0, "ip:", 1, "event"), (1, "event:=", 0, "ip")] {
        let value = most_frequent(jq, filter_col);
        let filter = format!("{field}{value}");
        let ours = groups(&trailscope(
            &[&["query"], paths, &["-f", &filter, "-g", group]].concat(),
        ));
        let want = count_by(jq, group_col, |r| r[filter_col] == value);
        assert_eq!(ours, want, "{filter}, grouped by {group}");
    }
    let ours = groups(&trailscope(&[&["query"], paths, &["-g", "arn"]].concat()));
    assert_eq!(ours, count_by(jq, 2, |_| true), "events by principal ARN");
}

/// The most frequent non-empty value of column `col` (ties: the greatest).
fn most_frequent(rows: &[[String; 3]], col: usize) -> String {
    let counts = count_by(rows, col, |_| true);
    counts
        .into_iter()
        .filter(|(value, _)| !value.is_empty())
        .max_by_key(|(value, n)| (*n, value.clone()))
        .map(|(value, _)| value)
        .expect("a value")
}

#[test]
fn three_questions_on_the_fixtures() {
    // jq reads the records trailscope read (the fixtures come in shapes jq cannot all parse
    // alone); what is compared is the counting, filtering and grouping.
    let sets = [
        "aws-cloudtrail-processing-library-fixtures",
        "panther-analysis-cloudtrail-test-events",
        "plaso-lookupevents-jsonl",
        "stratus-red-team-detonation-logs",
    ]
    .map(|s| fixture(s).display().to_string());
    let paths: Vec<&str> = sets.iter().map(String::as_str).collect();
    let dump = records_read(&paths);
    let jq = jq_rows(&format!("cat '{}'", dump.path().display()));
    assert!(jq.len() > 600);
    agree(&paths, &jq);
}

/// A generated trail of `events` over `days`, in a temporary folder (kept alive by the guard).
fn generated(events: u64, seed: u64, days: u32) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("trail");
    let args = trailscope_fake::cli::GenerateArgs {
        events,
        out: out.clone(),
        seed,
        events_per_file: 100,
        templates: Vec::new(),
        days,
        end: "2024-06-30".to_string(),
        incident: false,
    };
    trailscope_fake::generate::run(&args).expect("generate");
    (dir, out)
}

#[test]
fn three_questions_on_a_generated_100k_trail() {
    let (_dir, out) = generated(100_000, 7, 7);
    let jq = jq_rows(&format!(
        "find '{}' -name '*.json.gz' -print0 | xargs -0 zcat | jq -c '.Records[]'",
        out.display()
    ));
    assert_eq!(jq.len(), 100_000);
    agree(&[out.to_str().expect("utf-8 path")], &jq);
    assert!(Path::new(&out).join("AWSLogs").is_dir());
}

/// The UI's sliced scans (storage order, candidate bit sets, narrowing) agree with a plain
/// filter run, on a store big enough to take those paths.
#[test]
fn sliced_narrowing_scans_agree_with_one_pass() {
    use trailscope::app::filter::{FilterState, Screen};
    use trailscope::model::time::EventTime;
    let (_dir, out) = generated(60_000, 3, 2);
    let (store, _) = common::load(&[out]);
    let now = EventTime::UNKNOWN;
    let mut state = FilterState::default();
    let mut previews = 0;
    for text in [
        "e",
        "ev",
        "event:Get*",
        "event:Get* -region:us",
        "s",
        "s3",
        "s3 readonly:true",
    ] {
        // The scan starts at an event in the middle; once the rows around it are decided they
        // are shown (a preview) while the rest is searched.
        let screen = Screen {
            anchor: Some(store.time_order()[store.len() / 2]),
            rows: 40,
        };
        let once = trailscope::filter::select(&store, text, now).expect("parses");
        state.set_text(text);
        state.work(&store, now, screen);
        previews += usize::from(state.is_preview());
        if state.is_preview() {
            let shown = state.view().unwrap_or_default();
            let start = shown
                .first()
                .and_then(|f| once.iter().position(|i| i == f))
                .unwrap_or(0);
            assert!(shown.len() >= 40, "{text}: {} rows", shown.len());
            assert_eq!(shown, &once[start..start + shown.len()], "{text}");
        }
        while state.has_work() {
            state.work(&store, now, screen);
        }
        assert!(!state.is_preview());
        assert_eq!(state.rows.as_deref(), Some(&once[..]), "{text}");
    }
    // The first slice (16,384 events) decides the rows around the middle for these filters.
    assert!(previews >= 4, "{previews} previews");
}

/// `--group-by session|role|user-agent|type` (issue 21, item 6) against jq on the fixtures
/// trailscope reads: events without the field count under the empty value on both sides.
#[test]
fn the_newer_group_bys_agree_with_jq() {
    let sets = [
        "panther-analysis-cloudtrail-test-events",
        "stratus-red-team-detonation-logs",
        "identity_center",
    ]
    .map(|s| fixture(s).display().to_string());
    let paths: Vec<&str> = sets.iter().map(String::as_str).collect();
    let dump = records_read(&paths);
    let cases = [
        (
            "session",
            r#"(.userIdentity.arn // "") as $a | if ($a | test(":assumed-role/[^/]*/")) then $a else "" end"#,
        ),
        (
            "role",
            r#".userIdentity.sessionContext.sessionIssuer.arn // """#,
        ),
        ("user-agent", r#".userAgent // """#),
        ("type", r#".userIdentity.type // """#),
    ];
    for (by, jq_expr) in cases {
        let out = Command::new("jq")
            .arg("-c")
            .arg(jq_expr)
            .arg(dump.path())
            .output()
            .expect("jq");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut want: HashMap<String, usize> = HashMap::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let value: String = serde_json::from_str(line).expect("a JSON string");
            *want.entry(value).or_insert(0) += 1;
        }
        let mut ours: HashMap<String, usize> = HashMap::new();
        for line in trailscope(&[&["query"], &paths[..], &["-g", by]].concat()).lines() {
            let (n, v) = line.split_once('\t').unwrap_or((line, ""));
            *ours.entry(v.to_string()).or_insert(0) += n.parse::<usize>().expect("a count");
        }
        assert!(want.len() > 1, "{by}: the fixtures vary");
        assert_eq!(ours, want, "--group-by {by}");
    }
}

/// Nothing to read is not zero events (issue 21, item 6): an empty folder and a path that
/// does not exist exit 1 and say why, like the app.
#[test]
fn nothing_to_read_is_said_not_counted() {
    let empty = tempfile::tempdir().expect("temp");
    let missing = empty.path().join("no-such-trail");
    for path in [empty.path(), missing.as_path()] {
        let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
            .args(["query", "-o", "count"])
            .arg(path)
            .output()
            .expect("run trailscope");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(out.stdout.is_empty(), "no count printed");
        assert!(stderr.contains("nothing to read in"), "{stderr}");
        assert!(stderr.contains(&path.display().to_string()), "{stderr}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(["query", "-o", "count"])
        .arg(&missing)
        .output()
        .expect("run trailscope");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.to_lowercase().contains("no such file")
            || stderr.contains("not found")
            || stderr.contains("does not exist"),
        "the reason: {stderr}"
    );
}
