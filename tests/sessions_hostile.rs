//! Saved investigations against hostile files and a second process: an imported file holds
//! exactly trailscope's schema and names `:save` would take, two processes saving one
//! investigation lose no mark or note, exports replace a symbolic link rather than write
//! through it, and a data directory the user made keeps its permissions.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use trailscope::session::db::Db;
use trailscope::session::messages::SaveJob;
use trailscope::session::state::SessionState;

fn job(name: &str, state: &SessionState, fresh: bool) -> SaveJob {
    SaveJob {
        name: name.into(),
        created_ms: 1,
        updated_ms: 2,
        source: "test".into(),
        state_json: serde_json::to_string(state).expect("json"),
        new_events: vec![r#"{"eventID":"e1","eventTime":"2026-11-19T02:00:00Z"}"#.into()],
        fresh,
        rename_from: None,
    }
}

fn state(marks: &[&str], notes: &[(&str, &str)]) -> SessionState {
    SessionState {
        marks: marks.iter().map(|s| s.to_string()).collect(),
        notes: notes
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..SessionState::default()
    }
}

fn stored(db: &Db, name: &str) -> SessionState {
    let (_, _, json) = db.load(name).expect("load").expect("saved");
    serde_json::from_str(&json).expect("state")
}

/// An exported investigation named `name`, as a colleague would send it.
fn exported(dir: &Path, name: &str) -> std::path::PathBuf {
    let mut db = Db::open(&dir.join("theirs")).expect("db");
    db.save(&job(name, &state(&["k1"], &[]), true))
        .expect("save");
    let file = dir.join(format!("{}.trailscope", name.len()));
    db.export(name, &file).expect("export");
    file
}

/// Changes an exported file as an attacker would (with SQLite's own writer).
fn tamper(file: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(file).expect("open");
    conn.execute_batch(sql).expect("tamper");
}

#[test]
fn an_imported_file_with_a_trigger_a_view_or_a_control_character_in_a_name_is_refused() {
    let root = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, &str); 6] = [
        (
            "CREATE TRIGGER t AFTER INSERT ON event_blocks BEGIN DELETE FROM investigations; END;",
            "trigger",
        ),
        ("CREATE VIEW v AS SELECT * FROM investigations;", "view"),
        (
            "ALTER TABLE investigations RENAME TO real; CREATE VIEW investigations AS SELECT * FROM real;",
            "not a trailscope session database",
        ),
        ("CREATE INDEX extra ON investigations(source);", "index"),
        (
            "UPDATE investigations SET name = 'a' || char(27) || ']52;c;AAAA' || char(7);",
            "control characters",
        ),
        (
            "UPDATE investigations SET name = 'two' || char(10) || 'lines';",
            "control characters",
        ),
    ];
    for (i, (sql, says)) in cases.iter().enumerate() {
        let case = root.path().join(format!("case{i}"));
        std::fs::create_dir(&case).expect("dir");
        let file = exported(&case, "handover");
        tamper(&file, sql);
        let mut mine = Db::open(&case.join("mine")).expect("db");
        let err = mine.import(&file, None).expect_err(sql);
        assert!(err.contains(says), "{sql}: {err}");
        assert!(!err.contains('\u{1b}'), "the message shows the name safely");
        assert!(
            mine.list().expect("list").is_empty(),
            "{sql}: something imported"
        );
    }
    // `/` is a name's ordinary character (automatic names carry a path's last part): names
    // never become paths as they are.
    let case = root.path().join("slash");
    std::fs::create_dir(&case).expect("dir");
    let file = exported(&case, "team/../incident");
    let mut mine = Db::open(&case.join("mine")).expect("db");
    assert_eq!(
        mine.import(&file, None).expect("imported"),
        ["team/../incident"]
    );
    // --as NAME is checked too.
    let file = exported(&root.path().join("slash2"), "x1");
    let err = mine.import(&file, Some("new\nname")).expect_err("--as");
    assert!(err.contains("control characters"), "{err}");
}

/// Two processes (two connections, each with its own memory) save marks and notes to the
/// same investigation, in turns and then at once: every mark and note survives, and a mark
/// one of them removes is removed.
#[test]
fn two_processes_saving_one_investigation_keep_both_sets_of_marks_and_notes() {
    let root = tempfile::tempdir().expect("tempdir");
    let dir = root.path().join("data");
    let mut one = Db::open(&dir).expect("db");
    one.save(&job("case", &state(&[], &[]), true))
        .expect("first save");
    let mut two = Db::open(&dir).expect("second process");
    two.load("case").expect("reopened").expect("there");
    one.save(&job("case", &state(&["a"], &[("a", "one's note")]), false))
        .expect("save");
    two.save(&job("case", &state(&["b"], &[("b", "two's note")]), false))
        .expect("save");
    one.save(&job("case", &state(&["c"], &[("a", "one's note")]), false))
        .expect("one unmarks a and marks c");
    let s = stored(&one, "case");
    assert_eq!(s.marks, ["b", "c"]);
    assert_eq!(
        s.notes,
        [
            ("a".to_string(), "one's note".to_string()),
            ("b".to_string(), "two's note".to_string())
        ]
    );
    // At once, from two threads: BEGIN IMMEDIATE waits out the other's write.
    let saves = |db: Db, who: &'static str| {
        std::thread::spawn(move || {
            let mut db = db;
            let mut marks: Vec<String> = Vec::new();
            for i in 0..40 {
                marks.push(format!("{who}{i}"));
                let refs: Vec<&str> = marks.iter().map(String::as_str).collect();
                db.save(&job("case", &state(&refs, &[]), false))
                    .unwrap_or_else(|e| panic!("{who} save {i}: {e}"));
            }
        })
    };
    let (a, b) = (saves(one, "x"), saves(two, "y"));
    a.join().expect("x");
    b.join().expect("y");
    let s = stored(&Db::open(&dir).expect("db"), "case");
    for who in ["x", "y"] {
        for i in 0..40 {
            assert!(s.marks.contains(&format!("{who}{i}")), "{who}{i} lost");
        }
    }
}

#[test]
fn a_sessions_export_replaces_a_symlink_and_never_writes_through_it() {
    let root = tempfile::tempdir().expect("tempdir");
    let victim = root.path().join("victim.txt");
    std::fs::write(&victim, "keep me").expect("victim");
    let mut db = Db::open(&root.path().join("data")).expect("db");
    db.save(&job("case", &state(&["a"], &[]), true))
        .expect("save");
    let file = root.path().join("handover.trailscope");
    std::os::unix::fs::symlink(&victim, &file).expect("symlink");
    db.export("case", &file).expect("exported");
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
    let meta = std::fs::symlink_metadata(&file).expect("export");
    assert!(
        meta.file_type().is_file(),
        "the link was replaced by the file"
    );
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let mut other = Db::open(&root.path().join("other")).expect("db");
    assert_eq!(other.import(&file, None).expect("import"), ["case"]);
    // A regular file is evidence: never overwritten.
    let err = db.export("case", &victim).expect_err("exists");
    assert!(err.contains("exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
    let leftovers: Vec<_> = std::fs::read_dir(root.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn only_a_data_directory_trailscope_creates_is_made_private() {
    let root = tempfile::tempdir().expect("tempdir");
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    let shared = root.path().join("shared");
    std::fs::create_dir(&shared).expect("dir");
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    Db::open(&shared).expect("db");
    assert_eq!(mode(&shared), 0o755, "the user's directory was changed");
    assert_eq!(mode(&shared.join("sessions.db")), 0o600);
    let ours = root.path().join("new").join("data");
    Db::open(&ours).expect("db");
    assert_eq!(mode(&ours), 0o700);
}
