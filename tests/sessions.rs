//! Saved investigations: save → reopen through the reducer and the database, a save killed
//! mid-write, permissions, damaged and newer files, and the `sessions` commands.

mod common;

use common::harness::{given_demo, given_session, Harness};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use trailscope::app::session::{autosave, capture, on_saved, SessionMeta};
use trailscope::session::db::Db;
use trailscope::session::messages::SaveJob;
use trailscope::session::messages::Saved;
use trailscope::session::reopen;
use trailscope::session::state::{event_key, SourceRecord};

/// Saves what `h` holds into `dir` as the runtime's saver would.
fn save(h: &mut Harness, dir: &Path) {
    let job = autosave(&mut h.app, true).expect("something to save");
    let mut db = Db::open(dir).expect("database");
    let result = db.save(&job);
    on_saved(
        &mut h.app,
        Saved {
            name: job.name.clone(),
            result: result.clone(),
        },
    );
    result.expect("saved");
}

fn reopen_from(dir: &Path, name: &str, width: u16, height: u16) -> Harness {
    let db = Db::open(dir).expect("database");
    let r = reopen::prepare(&db, name).expect("investigation");
    let meta = trailscope::app::session::SessionMeta::reopened(r.name, r.created_ms, r.state);
    given_session(r.plan, &r.label, width, height, meta).settle()
}

fn selected_key(h: &Harness) -> String {
    event_key(&h.app.store, h.app.selected().expect("a selection"))
}

fn view_keys(h: &Harness) -> Vec<String> {
    h.app
        .rows()
        .iter()
        .map(|&i| event_key(&h.app.store, i))
        .collect()
}

/// The leaked-key walk with marks, notes, a preset, a sort and the profile pane: then saved,
/// and reopened from the database alone.
#[test]
fn save_then_reopen_round_trips_every_piece_of_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = given_demo(160, 40);
    h.app.session = SessionMeta::saving("leaked key".into(), false, 1_700_000_000_000);
    h.app.session.sources = vec![SourceRecord {
        kind: "demo".into(),
        label: "demo incident".into(),
        opened_ms: 1_700_000_000_000,
        ..SourceRecord::default()
    }];
    let mut h = h
        // Lead, a mark and a note on the key's first event, a pivot to the IP and back.
        .keys("/key:AKIAXLEAKED0EXAMPLE1<enter>g<space>ja")
        .keys("first call with the leaked key<enter>")
        .keys("Gpi")
        .keys("jj<space>")
        .keys("[")
        // Forward again, so the walk has a back and a forward part, then back once more.
        .keys("]jjj[")
        .keys(":note handed over to night shift<enter>")
        .keys("2ij");
    assert_eq!(h.app.nav.back.len(), 1, "all, before the lead view");
    assert_eq!(h.app.nav.forward.len(), 1);
    assert_eq!(h.app.marks.len(), 3);
    assert_eq!(h.app.notes.len(), 1);
    assert!(h.app.profile_pane);
    let before = capture(&h.app);
    let selected = selected_key(&h);
    let rows = view_keys(&h);
    let screen_row = h.app.table.cursor - h.app.table.offset;
    save(&mut h, dir.path());

    let again = reopen_from(dir.path(), "leaked key", 160, 40);
    assert_eq!(
        again.app.store.len(),
        h.app.store.len(),
        "every event is back"
    );
    assert_eq!(capture(&again.app), before, "every piece of state is back");
    assert_eq!(selected_key(&again), selected, "the same event is selected");
    assert_eq!(
        again.app.table.cursor - again.app.table.offset,
        screen_row,
        "at the same place on screen"
    );
    assert_eq!(view_keys(&again), rows, "the same view");
    assert_eq!(again.app.session.note, "handed over to night shift");
    let noted: Vec<&String> = again.app.notes.values().collect();
    assert_eq!(noted, vec!["first call with the leaked key"]);

    // Forward leads where it led before saving.
    let fwd = again.keys("]");
    assert_eq!(fwd.app.current_view().filter, before.forward[0].filter);
    assert_eq!(
        fwd.app
            .current_view()
            .anchor
            .map(|i| event_key(&fwd.app.store, i)),
        before.forward[0].anchor
    );
}

/// Breadcrumbs after a reopen show the walk that happened (issue 22, item 3): a narrowing step
/// is still named as one, forward still leads on, and the views list keeps its branches.
#[test]
fn a_reopened_walk_has_the_same_breadcrumbs_and_branches() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = given_demo(160, 40);
    h.app.session = SessionMeta::saving("walk".into(), false, 1_700_000_000_000);
    let mut h = h
        .keys("/key:AKIAXLEAKED0EXAMPLE1<enter>Gpi[pl")
        .keys("/<c-u>lineage:AKIAXLEAKED0EXAMPLE1 event:DeleteObject<enter>g")
        .keys("[[");
    let crumbs = |h: &Harness| h.app.nav.breadcrumbs(&h.app.current_view());
    let history = |h: &Harness| {
        h.app
            .nav
            .history(&h.app.current_view())
            .iter()
            .map(|v| v.label())
            .collect::<Vec<_>>()
    };
    let h2 = h.keys("]pE");
    let narrowed = crumbs(&h2);
    assert!(
        narrowed.contains("lineage:AKIAXLEAKED0EXAMPLE1 › & event:="),
        "{narrowed}"
    );
    h = h2.keys("[");
    let (crumbs_before, history_before) = (crumbs(&h), history(&h));
    save(&mut h, dir.path());

    let again = reopen_from(dir.path(), "walk", 160, 40);
    assert_eq!(crumbs(&again), crumbs_before);
    assert_eq!(history(&again), history_before);
    let fwd = again.keys("]");
    assert_eq!(crumbs(&fwd), narrowed, "forward leads where it did");
    assert!(
        history_before.iter().any(|l| l.starts_with("ip:=")),
        "the IP's branch is listed: {history_before:?}"
    );
}

/// Later saves add only what is new: no event is stored twice, and the state follows.
#[test]
fn autosave_appends_new_events_and_skips_unchanged_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = given_demo(120, 30);
    h.app.session = SessionMeta::saving("inc".into(), false, 1);
    save(&mut h, dir.path());
    assert!(
        autosave(&mut h.app, true).is_none(),
        "nothing changed, nothing to write"
    );
    let mut h = h.keys("<space>");
    let job: SaveJob = autosave(&mut h.app, true).expect("a mark is a change");
    assert!(job.new_events.is_empty(), "the events were saved already");
    let db = Db::open(dir.path()).expect("db");
    let listed = db.list().expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].events as usize, h.app.store.len());
}

#[test]
fn files_are_private_to_the_user() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("data");
    let mut h = given_demo(100, 30);
    h.app.session = SessionMeta::saving("private".into(), false, 1);
    save(&mut h, &dir);
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    for entry in std::fs::read_dir(&dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
    // An exported investigation too.
    let db = Db::open(&dir).expect("db");
    let file = root.path().join("handover.trailscope");
    db.export("private", &file).expect("export");
    assert_eq!(mode(&file), 0o600);
}

/// A save never writes credentials: the session holds a profile's name, never its keys.
#[test]
fn no_credentials_are_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = given_demo(100, 30);
    h.app.session = SessionMeta::saving("creds".into(), false, 1);
    h.app.session.sources = vec![SourceRecord {
        kind: "lookup-events".into(),
        profile: Some("incident".into()),
        regions: vec!["eu-west-1".into()],
        ..SourceRecord::default()
    }];
    save(&mut h, dir.path());
    let db = Db::open(dir.path()).expect("db");
    let (_, _, state) = db.load("creds").expect("load").expect("saved");
    for secret in [
        "aws_secret_access_key",
        "SecretAccessKey",
        "sessionToken",
        "aws_session_token",
    ] {
        assert!(
            !state.to_lowercase().contains(&secret.to_lowercase()),
            "{secret} in {state}"
        );
    }
    assert!(state.contains("\"profile\":\"incident\""));
}

fn digest(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read")
}

#[test]
fn damaged_foreign_and_newer_files_are_reported_and_left_untouched() {
    let good = tempfile::tempdir().expect("tempdir");
    let mut h = given_demo(100, 30);
    h.app.session = SessionMeta::saving("x".into(), false, 1);
    save(&mut h, good.path());
    let db_file = good.path().join("sessions.db");
    let whole = digest(&db_file);

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "garbage",
            b"this is not a database at all, it is a text file".repeat(100),
            "not a trailscope session database",
        ),
        (
            "truncated",
            whole[..whole.len().min(3000)].to_vec(),
            "left untouched",
        ),
        (
            "zeroed header",
            [vec![0u8; 100], whole[100..].to_vec()].concat(),
            "not a trailscope session database",
        ),
    ];
    for (what, bytes, says) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("sessions.db");
        std::fs::write(&file, &bytes).expect("write");
        let err = Db::open(dir.path())
            .err()
            .unwrap_or_else(|| panic!("{what}: opened"));
        assert!(
            err.contains(says) || err.contains("damaged"),
            "{what}: {err}"
        );
        assert!(err.contains("untouched"), "{what}: {err}");
        assert_eq!(digest(&file), bytes, "{what}: the file was modified");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("e").file_name())
            .collect();
        assert_eq!(names.len(), 1, "{what}: files were added: {names:?}");
    }

    // A file from a newer trailscope: refused with what to do.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("sessions.db");
    std::fs::copy(&db_file, &file).expect("copy");
    {
        let conn = rusqlite::Connection::open(&file).expect("open");
        conn.pragma_update(None, "user_version", 99)
            .expect("version");
        conn.pragma_update(None, "journal_mode", "DELETE")
            .expect("journal");
    }
    let newer = digest(&file);
    let err = Db::open(dir.path()).err().expect("refused");
    assert!(
        err.contains("newer trailscope") && err.contains("upgrade"),
        "{err}"
    );
    assert_eq!(digest(&file), newer);
}

/// `sessions export` → `sessions import` on another machine (another data directory), then
/// rename and rm, through the real binary.
#[test]
fn sessions_commands_hand_an_investigation_over() {
    let mine = tempfile::tempdir().expect("tempdir");
    let theirs = tempfile::tempdir().expect("tempdir");
    let mut h = given_demo(100, 30).keys("<space>");
    h.app.session = SessionMeta::saving("handover".into(), false, 1);
    save(&mut h, mine.path());
    let run = |dir: &Path, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
            .arg("--data-dir")
            .arg(dir)
            .arg("sessions")
            .args(args)
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let file = mine.path().join("handover.trailscope");
    let file_arg = file.to_str().expect("utf-8 path");
    let (code, _, err) = run(mine.path(), &["export", "handover", file_arg]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = run(mine.path(), &["export", "handover", file_arg]);
    assert_eq!(code, Some(1), "an export never overwrites: {err}");
    let (code, _, err) = run(theirs.path(), &["import", file_arg]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, err) = run(theirs.path(), &["import", file_arg]);
    assert_eq!(code, Some(1));
    assert!(err.contains("--as"), "{err}");
    let (code, _, err) = run(theirs.path(), &["import", file_arg, "--as", "copy"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, out, _) = run(theirs.path(), &["list"]);
    assert_eq!(code, Some(0));
    let events = h.app.store.len();
    assert!(out.contains(&format!("handover\t{events} events")), "{out}");
    assert!(out.contains(&format!("copy\t{events} events")), "{out}");

    // The import reopens with its mark.
    let again = reopen_from(theirs.path(), "copy", 100, 30);
    assert_eq!(again.app.marks.len(), 1);

    let (code, _, err) = run(theirs.path(), &["rename", "copy", "handover"]);
    assert_eq!(code, Some(1), "names stay unique: {err}");
    let (code, _, _) = run(theirs.path(), &["rename", "copy", "night shift"]);
    assert_eq!(code, Some(0));
    let (code, _, _) = run(theirs.path(), &["rm", "handover"]);
    assert_eq!(code, Some(0));
    let (_, out, _) = run(theirs.path(), &["list"]);
    assert!(out.starts_with("night shift\t"), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    let (code, _, err) = run(theirs.path(), &["rm", "handover"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no investigation named"), "{err}");
}

const SAVER_DIR: &str = "TRAILSCOPE_TEST_SAVER_DIR";
/// Events per save in the kill test: a few seconds of compressing, so a kill lands mid-save.
const COPIES_PER_SAVE: usize = 6;

/// The child of `a_save_killed_midway_leaves_the_last_good_state`: saves round after round
/// until it is killed, saying in `progress` which round it is writing and which it committed.
#[test]
fn child_saver_loop() {
    let Some(dir) = std::env::var_os(SAVER_DIR) else {
        return; // only runs as the child
    };
    let dir = std::path::PathBuf::from(dir);
    let h = given_demo(80, 24);
    let raws: Vec<trailscope::model::raw::Raw> = (0..h.app.store.len() as u32)
        .map(|i| h.app.store.event(i).raw.clone())
        .collect();
    let mut db = Db::open(&dir).expect("db");
    for round in 0u64.. {
        say_progress(&dir, &format!("writing {round}"));
        let state = trailscope::session::state::SessionState {
            note: format!("round {round}"),
            ..Default::default()
        };
        let job = SaveJob {
            name: "victim".into(),
            created_ms: 1,
            updated_ms: round as i64,
            source: "kill test".into(),
            state_json: serde_json::to_string(&state).expect("json"),
            new_events: raws
                .iter()
                .cycle()
                .take(raws.len() * COPIES_PER_SAVE)
                .cloned()
                .collect(),
            fresh: round == 0,
            rename_from: None,
        };
        db.save(&job).expect("save");
        say_progress(&dir, &format!("committed {round}"));
    }
}

/// Replaces `progress` whole: a plain write truncates first, so a kill between the truncate and
/// the write left the parent reading an empty file (seen once in CI under load).
fn say_progress(dir: &std::path::Path, what: &str) {
    let tmp = dir.join("progress.tmp");
    std::fs::write(&tmp, what).expect("progress");
    std::fs::rename(&tmp, dir.join("progress")).expect("progress");
}

/// A real child process killed with SIGKILL in the middle of a save: the database opens, and
/// holds exactly the last committed round, state and events alike.
#[test]
fn a_save_killed_midway_leaves_the_last_good_state() {
    let demo_events = given_demo(80, 24).app.store.len() as u64;
    for (attempt, delay_ms) in [30u64, 120, 260].into_iter().enumerate() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
            .args([
                "--exact",
                "child_saver_loop",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(SAVER_DIR, dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("child");
        // Wait until it is writing its third round (two are committed), then kill it a little
        // later: inside the save, when compressing and inserting take most of each round.
        let progress = dir.path().join("progress");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        loop {
            let p = std::fs::read_to_string(&progress).unwrap_or_default();
            if p.strip_prefix("writing ")
                .and_then(|n| n.parse::<u64>().ok())
                .is_some_and(|n| n >= 2)
            {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the child never got going: {p:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let at_kill = std::fs::read_to_string(&progress).expect("progress");
        eprintln!("attempt {attempt}: killed while {at_kill}");

        let db = Db::open(dir.path()).expect("the database opens after the kill");
        let (id, summary, json) = db
            .load("victim")
            .expect("load")
            .expect("the investigation is there");
        let state: trailscope::session::state::SessionState =
            serde_json::from_str(&json).expect("state parses");
        let round: u64 = state
            .note
            .trim_start_matches("round ")
            .parse()
            .expect("round");
        let (word, n) = at_kill.split_once(' ').expect("progress");
        let n: u64 = n.parse().expect("number");
        match word {
            // Killed mid-save: the round before is what is there; or killed after the commit
            // but before the child could say so (a busy machine widens that gap): this round.
            "writing" => assert!(
                round + 1 == n || round == n,
                "attempt {attempt}: round {round} saved, killed while {at_kill}"
            ),
            // Killed between commit and the next round starting.
            _ => assert_eq!(round, n, "attempt {attempt}: {at_kill}"),
        }
        let expected = (round + 1) * demo_events * COPIES_PER_SAVE as u64;
        assert_eq!(
            summary.events, expected,
            "attempt {attempt}: the event count matches the state"
        );
        let blocks = db.blocks(id).expect("blocks");
        assert_eq!(blocks.iter().map(|b| b.1).sum::<u64>(), expected);
        // Every block is whole: it decompresses to as many records as it says.
        for (seq, n) in blocks.iter().step_by(7) {
            let data = db.block(id, *seq).expect("block");
            let mut text = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&data[..]), &mut text)
                .expect("gunzip");
            assert_eq!(text.lines().count() as u64, *n);
        }
        // And it reopens.
        let r = reopen::prepare(&db, "victim").expect("reopens");
        assert_eq!(r.state.note, format!("round {round}"));
    }
}

/// `:export` from the app: the marked events, with the investigation's provenance, as a file
/// the runtime writes (never over an existing one).
#[test]
fn export_from_the_command_line_writes_the_marked_events_with_provenance() {
    use trailscope::app::effect::Effect;
    let mut h = given_demo(140, 30);
    h.app.session = SessionMeta::saving("night shift".into(), false, 1);
    h.app.session.sources = vec![SourceRecord {
        kind: "demo".into(),
        label: "demo incident".into(),
        ..SourceRecord::default()
    }];
    // Nothing marked yet: the prompt stays open and says why.
    let h = h.keys(":export md marked<enter>");
    let why = h
        .app
        .prompt
        .as_ref()
        .and_then(|p| p.error.clone())
        .expect("refused");
    assert!(why.contains("nothing marked"), "{why}");
    let h = h.keys("<esc>/key:AKIAXLEAKED0EXAMPLE1<enter>g<space>j<space>aleak starts<enter>");
    let h = h.keys(":export md marked evidence.md<enter>");
    assert!(h.app.prompt.is_none());
    let Some(Effect::WriteFile { path, bytes, what }) = h.effects.last() else {
        panic!("no file to write: {:?}", h.effects.last());
    };
    assert_eq!(path, Path::new("evidence.md"));
    assert!(
        what.starts_with("2 (marked events) as md to evidence.md"),
        "{what}"
    );
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    assert!(text.contains("night shift"), "{text}");
    assert!(text.contains("demo incident"), "{text}");
    assert!(
        text.contains("key:AKIAXLEAKED0EXAMPLE1"),
        "the filter in force: {text}"
    );
    assert!(text.contains("leak starts"), "the note: {text}");
    let rows = text.lines().filter(|l| l.starts_with("| 2026-")).count();
    assert_eq!(rows, 2, "{text}");
}

/// An automatic name is replaced by `:save NAME` (the same investigation, renamed); saving a
/// named one under another name makes a full copy; the same name just saves again.
#[test]
fn save_as_renames_an_automatic_name_and_copies_a_chosen_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = given_demo(120, 30);
    h.app.session = SessionMeta::saving("demo 2026-11-21 03:12:00".into(), true, 1);
    save(&mut h, dir.path());
    let mut h = h.keys(":save incident-7<enter>");
    save(&mut h, dir.path());
    let names = |dir: &Path| -> Vec<(String, u64)> {
        Db::open(dir)
            .expect("db")
            .list()
            .expect("list")
            .into_iter()
            .map(|s| (s.name, s.events))
            .collect()
    };
    let n = h.app.store.len() as u64;
    assert_eq!(names(dir.path()), vec![("incident-7".to_string(), n)]);

    let h = h.keys(":save incident-7<enter>");
    assert!(h.app.prompt.is_none(), "the same name is fine");
    let mut h2 = h.keys("<space>:save handover copy<enter>");
    save(&mut h2, dir.path());
    let mut listed = names(dir.path());
    listed.sort();
    assert_eq!(
        listed,
        vec![
            ("handover copy".to_string(), n),
            ("incident-7".to_string(), n)
        ]
    );
}

/// An export's default file name has no spaces, the digest check the docs give
/// (`tail -n +2 FILE | sha256sum`, docs/export.md) reproduces the digest in its header, and
/// the header carries the notes.
#[test]
fn a_default_export_name_has_no_spaces_and_its_digest_checks_as_documented() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = given_demo(120, 30);
    h.app.session = SessionMeta::saving("night shift".into(), false, 1);
    let h = h.keys("/key:AKIAXLEAKED0EXAMPLE1<enter>jaleak starts<enter>:export jsonl view<enter>");
    let Some(trailscope::app::effect::Effect::WriteFile { path, bytes, .. }) = h.effects.last()
    else {
        panic!("no file to write: {:?}", h.effects.last());
    };
    let name = path.to_string_lossy().into_owned();
    assert!(!name.contains(' '), "{name}");
    assert!(name.starts_with("trailscope-night-shift-view-"), "{name}");
    let file = dir.path().join(&name);
    std::fs::write(&file, bytes).expect("write");
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    let header: serde_json::Value =
        serde_json::from_str(text.lines().next().expect("a header")).expect("json header");
    let want = header["trailscope_provenance"]["sha256"]
        .as_str()
        .expect("a digest")
        .to_string();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("tail -n +2 {name} | sha256sum"))
        .current_dir(dir.path())
        .output()
        .expect("sh runs");
    let got = String::from_utf8_lossy(&out.stdout);
    assert_eq!(got.split_whitespace().next(), Some(want.as_str()), "{text}");
    // The note travels in the header, naming the line and the event it is on.
    let notes = header["trailscope_provenance"]["notes"]
        .as_array()
        .expect("notes in the header");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["note"], "leak starts");
    let line = notes[0]["line"].as_u64().expect("a line") as usize;
    let record: serde_json::Value =
        serde_json::from_str(text.lines().nth(line - 1).expect("that line")).expect("a record");
    assert_eq!(record["eventID"], notes[0]["eventID"], "{text}");
}

/// The status bar says where a save is (issue 22, item 8): "saving…" from the moment a change
/// is sent to be written, "saved" in the first frame after the reply, no key needed.
#[test]
fn the_status_says_saved_as_soon_as_the_save_lands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = given_demo(160, 40);
    h.app.session = SessionMeta::saving("status".into(), false, 1);
    save(&mut h, dir.path());
    let status = |h: &Harness| h.draw().last().cloned().unwrap_or_default();
    assert!(status(&h).contains("· saved"), "{}", status(&h));
    // A mark: the next tick sends the state to be written.
    let mut h = h.keys("<space>");
    let later = h.app.now_ms + 10_000;
    let effects = trailscope::app::update(&mut h.app, trailscope::app::msg::Msg::Tick(later));
    let job = effects
        .into_iter()
        .find_map(|e| match e {
            trailscope::app::effect::Effect::Save(job) => Some(job),
            _ => None,
        })
        .expect("the mark is sent to be saved");
    assert!(status(&h).contains("saving…"), "{}", status(&h));
    let result = Db::open(dir.path()).expect("db").save(&job);
    trailscope::app::update(
        &mut h.app,
        trailscope::app::msg::Msg::Saved(Saved {
            name: job.name.clone(),
            result,
        }),
    );
    assert!(status(&h).contains("· saved"), "{}", status(&h));
}

/// A command that fails on the command line (issue 22, item 8) says why on the line, changes
/// nothing else, and leaves the palette clean: the next edit clears the error, and the line
/// then runs what is typed.
#[test]
fn a_failing_palette_command_leaves_the_palette_clean() {
    let h = given_demo(120, 30).keys(":pivot nowhere<enter>");
    let prompt = h
        .app
        .prompt
        .as_ref()
        .expect("the line stays open on the error");
    assert!(
        prompt
            .error
            .as_deref()
            .unwrap_or("")
            .contains("pivot \"nowhere\"?"),
        "{:?}",
        prompt.error
    );
    assert!(
        h.app.nav.back.is_empty() && h.app.filter.text.is_empty(),
        "nothing ran"
    );
    let h = h.keys("<c-u>");
    assert!(
        h.app.prompt.as_ref().is_some_and(|p| p.error.is_none()),
        "an edit clears it"
    );
    let h = h.keys("marks<enter>");
    assert!(h.app.prompt.is_none());
    assert_eq!(
        h.app.overlay,
        Some(trailscope::app::Overlay::Marks { cursor: 0 })
    );
    // Esc on a failed line closes it; the next `:` opens empty.
    let h = h.keys("<esc>:pivot nowhere<enter><esc>:");
    let prompt = h.app.prompt.as_ref().expect("open");
    assert_eq!(prompt.bar.text(), "");
    assert!(prompt.error.is_none());
}
