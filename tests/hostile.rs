//! The adversarial corpus (tests/fixtures/hostile/, see its SOURCE.md): each file loads what
//! can be loaded and says what could not, and no character that could drive or deceive a
//! terminal reaches any screen, whichever event is selected and whichever pane is open.

mod common;
use common::harness::{given, Harness};
use std::path::PathBuf;
use trailscope::model::principal::resolve;
use trailscope::model::record::UNREADABLE_IDENTITY;
use trailscope::model::sanitize::is_unsafe;
use trailscope::source::files::load_blocking;
use trailscope::source::walk::plan;

fn corpus(name: &str) -> PathBuf {
    PathBuf::from("tests/fixtures/hostile").join(name)
}

/// Loads one file of the corpus: (events kept, warnings as text).
fn load(name: &str) -> (trailscope::model::store::Store, Vec<String>) {
    let (store, warnings) = load_blocking(plan(&[corpus(name)]));
    let warnings = warnings
        .iter()
        .map(|w| format!("{:?}: {}", w.location, w.reason))
        .collect();
    (store, warnings)
}

fn ids(store: &trailscope::model::store::Store) -> Vec<String> {
    store
        .time_order()
        .iter()
        .filter_map(|&i| store.event(i).event_id.as_ref())
        .map(|id| {
            let id = id.text();
            id.rsplit('-')
                .next()
                .unwrap_or(&id)
                .trim_start_matches('0')
                .to_string()
        })
        .collect()
}

fn assert_one_warning(warnings: &[String], needle: &str) {
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains(needle), "{warnings:#?}");
}

#[test]
fn every_file_loads_what_it_can_and_says_what_it_could_not() {
    // Escapes, C1, bidi and zero-width characters are data: every event loads, nothing warns.
    let (store, w) = load("controls.json");
    assert_eq!(ids(&store).len(), 10, "{:?}", ids(&store));
    assert!(w.is_empty(), "{w:#?}");

    let (store, w) = load("long-lines.jsonl");
    assert_eq!(ids(&store), ["201", "202", "203"]);
    assert!(w.is_empty(), "{w:#?}");

    // 100 levels of nesting and 5,000: requestParameters is kept as text, never recursed into
    // at load time, so both load; the detail pane's handling is checked below.
    let (store, w) = load("deep-nesting.jsonl");
    assert_eq!(ids(&store), ["301", "302", "303"]);
    assert!(w.is_empty(), "{w:#?}");

    // 300 KB (over CloudTrail's cap) is kept; 3 MiB is refused on its own.
    let (store, w) = load("huge-records.json.gz");
    assert_eq!(ids(&store), ["401", "403"]);
    assert_one_warning(&w, "record of 3.0 MiB skipped");

    let (store, w) = load("wrong-types.json");
    assert_eq!(store.len(), 4);
    assert_one_warning(&w, "userIdentity cannot be read");

    // A key twice: the ambiguous top-level record is refused; a twice-named user is not
    // guessed at.
    // A key twice anywhere in a record, one rule: refused with a warning naming the key.
    let (store, w) = load("duplicate-keys.jsonl");
    assert!(ids(&store).is_empty(), "{:?}", ids(&store));
    assert_eq!(w.len(), 3, "{w:#?}");
    assert!(w[0].contains("\"eventName\" appears twice"), "{w:#?}");
    assert!(w[1].contains("\"userName\" appears twice"), "{w:#?}");
    assert!(w[2].contains("\"Effect\" appears twice"), "{w:#?}");

    // Issue 18's reproducers load whole and quietly; what they did to the views is checked
    // with every screen below and in tests/e2e_hostile_folder.rs.
    for (name, n) in [
        ("backslash-u00.json", 2),
        ("width-shifting.json", 2),
        ("zeros-array.json", 1),
    ] {
        let (store, w) = load(name);
        assert_eq!(store.len(), n, "{name}");
        assert!(w.is_empty(), "{name}: {w:#?}");
    }

    // A billion `0` lines: a handful of warnings that count all of them.
    let (store, warnings) = load_blocking(plan(&[corpus("zero-lines.json.gz")]));
    assert!(store.is_empty());
    assert!(warnings.len() <= 30, "{} warnings sent", warnings.len());
    let log: trailscope::model::warning_log::WarningLog = warnings.into_iter().collect();
    assert_eq!(log.total(), 512 << 20, "every line counted");
    assert!(log.rows() <= 5, "{:#?}", log.lines().collect::<Vec<_>>());

    let (store, w) = load("invalid-utf8.json.gz");
    assert_eq!(ids(&store), ["701", "702"]);
    assert_one_warning(&w, "invalid UTF-8");
    let agent = store.text(store.event(store.time_order()[0]).user_agent);
    assert_eq!(agent, "bad\u{fffd}\u{fffd}\u{fffd}utf8");

    // Cut at two thirds of the gzip stream: the whole records before the cut load.
    let (store, w) = load("truncated.json.gz");
    assert!((20..60).contains(&store.len()), "{} kept", store.len());
    assert_eq!(ids(&store)[0], "800");
    assert_eq!(w.len(), 2, "{w:#?}");
    assert!(w.iter().any(|w| w.contains("gzip data is truncated")));
    assert!(w.iter().any(|w| w.contains("input ends inside a record")));

    let (store, w) = load("concatenated.json.gz");
    assert_eq!(ids(&store), ["901", "902", "903"]);
    assert!(w.is_empty(), "{w:#?}");

    for (name, needle) in [
        ("not-json-s3-error.xml", "not valid JSON"),
        ("not-json-binary.bin", "not valid JSON"),
        ("not-json-zip.zip", "not valid JSON"),
        ("not-json-csv.csv", "not valid JSON"),
        ("empty.json", "empty input"),
    ] {
        let (store, w) = load(name);
        assert_eq!(store.len(), 0, "{name}");
        // Binary files also get a line about their bytes not being UTF-8.
        assert!((1..=2).contains(&w.len()), "{name}: {w:#?}");
        assert!(
            w.last().is_some_and(|w| w.contains(needle)),
            "{name}: {w:#?}"
        );
    }
}

#[test]
fn an_unreadable_identity_is_named_so_not_guessed_from_the_service() {
    let (store, _) = load("wrong-types.json");
    let root = store
        .time_order()
        .iter()
        .map(|&i| store.event(i))
        .find(|e| {
            e.event_id
                .as_ref()
                .is_some_and(|id| id.text().ends_with("502"))
        })
        .expect("event 502");
    assert_eq!(store.text(Some(root.principal_name)), UNREADABLE_IDENTITY);
    // Absent (not unreadable) identities still name the service that acted.
    let p = resolve(None, Some("iam.amazonaws.com"));
    assert_eq!(p.name, "iam.amazonaws.com");
}

fn assert_safe(screen: &[String], what: &str) {
    for (y, line) in screen.iter().enumerate() {
        if let Some(c) = line.chars().find(|&c| is_unsafe(c)) {
            panic!(
                "{what}: U+{:04X} on row {y}:\n{}",
                c as u32,
                screen.join("\n")
            );
        }
    }
}

/// Every event selected in turn, with the detail pane, the profile, the lineage tree, the
/// timeline and the warnings list open: nothing unsafe in any cell. The escaped forms are on
/// screen.
#[test]
fn no_screen_holds_a_character_that_drives_the_terminal() {
    let mut h = given("hostile", 140, 45);
    let rows = h.app.rows().len();
    assert!(rows >= 50, "{rows} events");
    let mut seen = String::new();
    for row in 0..rows {
        for (pane, keys) in [
            ("detail", ""),
            ("detail focused, scrolled", "<enter>GG<esc>"),
            ("profile", "i"),
            ("lineage", "l"),
            ("timeline", "h"),
            ("warnings", "w"),
        ] {
            let opened = h.keys(keys);
            let screen = opened.draw();
            assert_safe(&screen, &format!("row {row}, {pane}"));
            seen.push_str(&screen.join("\n"));
            h = close(opened, keys);
        }
        let expected = h.app.rows()[(row + 1).min(rows - 1)];
        h = h.keys("j");
        assert_eq!(h.app.selected(), Some(expected), "j moves one row");
    }
    let missing: Vec<&str> = [
        "\\u001b]0;pwned\\u0007",
        "\\x1b]52;c;",
        "\\x1b]8;;https://evil.example/",
        "Delete\\u{202e}txt.exe",
        "ad\\u{200b}min",
        "\\u{9b}31mred",
        "\\u0000\\u0001\\u0002",
        "\\x1b[?1049l",
        "\\rOVERWRITTEN",
    ]
    .into_iter()
    .filter(|escaped| !seen.contains(escaped))
    .collect();
    assert!(missing.is_empty(), "never shown escaped: {missing:?}");
}

/// Undoes what `keys` opened, so the next pane starts from the plain table.
fn close(h: Harness, keys: &str) -> Harness {
    match keys {
        "" | "<enter>GG<esc>" => h,
        "i" => h.keys("i"),
        "l" | "h" => h.keys("<esc>"),
        "w" => h.keys("w"),
        other => panic!("no way to close {other}"),
    }
}

/// The process's peak resident memory so far, from /proc (Linux).
fn peak_rss_kb() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// 96 MiB of whitespace around two records, gzipped to a few hundred KB: inflated whole it
/// would take 96 MiB; streamed, a few pieces of 4 MiB.
#[test]
fn a_gzip_bomb_is_streamed_not_inflated_whole() {
    use flate2::write::GzEncoder;
    use std::io::Write;
    let record = |n: u32| {
        format!(
            r#"{{"eventTime":"2026-11-19T03:00:0{n}Z","eventName":"ListUsers","eventSource":"iam.amazonaws.com","eventID":"bomb-{n}"}}"#
        )
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bomb.json.gz");
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(record(1).as_bytes()).expect("write");
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..96 {
        gz.write_all(&spaces).expect("write");
    }
    gz.write_all(format!("\n{}\n", record(2)).as_bytes())
        .expect("write");
    std::fs::write(&path, gz.finish().expect("finish")).expect("write the bomb");
    assert!(std::fs::metadata(&path).map_or(0, |m| m.len()) < 1 << 20);

    let before = peak_rss_kb().unwrap_or(0);
    let (store, warnings) = load_blocking(plan(&[path]));
    let grew_mb = peak_rss_kb().unwrap_or(0).saturating_sub(before) / 1024;
    assert_eq!(store.len(), 2, "{warnings:?}");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(grew_mb < 48, "peak memory grew by {grew_mb} MiB");
}

/// A case folder is walked for regular files only: a symlink to /dev/zero and a FIFO under
/// log-like names are named in a warning, never opened (either would block or never end); a
/// symlink to a regular file is read.
#[cfg(unix)]
#[test]
fn a_folder_walk_reads_regular_files_only() {
    let dir = tempfile::tempdir().expect("dir");
    let real = corpus("controls.json");
    std::fs::copy(&real, dir.path().join("a.json")).expect("copy");
    std::os::unix::fs::symlink(
        std::fs::canonicalize(&real).expect("path"),
        dir.path().join("b.json"),
    )
    .expect("link");
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.json")).expect("link");
    let fifo = std::process::Command::new("mkfifo")
        .arg(dir.path().join("x.json"))
        .status()
        .expect("mkfifo");
    assert!(fifo.success());
    let planned = plan(&[dir.path().to_path_buf()]);
    let labels: Vec<String> = planned.inputs.iter().map(|i| i.label()).collect();
    assert_eq!(
        labels,
        ["a.json", "b.json"].map(|n| dir.path().join(n).display().to_string()),
        "a.json and the link to a regular file"
    );
    let warnings: Vec<String> = planned.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("x.json") && w.contains("a pipe (FIFO)")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("zero.json") && w.contains("a link to a device")),
        "{warnings:#?}"
    );
    // And the load ends, with both copies' events read.
    let (store, _) = load_blocking(planned);
    assert_eq!(store.len() + store.duplicates(), 20);
}

/// A folder's files are typed by the listing, not stat'ed, so a file swapped for a FIFO
/// after the listing is caught when it is opened: named in a warning, the load not blocked,
/// the other file read.
#[cfg(unix)]
#[test]
fn a_file_swapped_for_a_fifo_after_the_listing_is_not_read() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::copy(corpus("controls.json"), dir.path().join("a.json")).expect("copy");
    std::fs::copy(corpus("controls.json"), dir.path().join("b.json")).expect("copy");
    let planned = plan(&[dir.path().to_path_buf()]);
    assert_eq!(planned.inputs.len(), 2);
    let swapped = dir.path().join("b.json");
    std::fs::remove_file(&swapped).expect("remove");
    let fifo = std::process::Command::new("mkfifo")
        .arg(&swapped)
        .status()
        .expect("mkfifo");
    assert!(fifo.success());
    let (store, warnings) = load_blocking(planned);
    assert_eq!(store.len() + store.duplicates(), 10, "{warnings:?}");
    let warnings: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("b.json") && w.contains("no longer a regular file")),
        "{warnings:#?}"
    );
}
