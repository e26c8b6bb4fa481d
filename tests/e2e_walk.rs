//! The walk, end to end in a real terminal (issue 22): on an incident no other test uses (its
//! own seed of `trailscope-fake generate --incident`: a leaked key that assumes a role into a
//! second account, among thousands of events with the same names), a responder types the
//! leaked key and, in a few keys more, has exactly the attacker's destructive events on screen,
//! each with what it destroyed; then marks them, writes a note and exports the evidence.

mod common;
use common::tmux::Tmux;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_trailscope")
}

/// Seed 31 is this test's alone: the attacker, the accounts and the objects are new to it.
const SEED: u64 = 31;

/// The incident's files and its answers (`incident.json`).
fn incident() -> (tempfile::TempDir, Value) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let args = trailscope_fake::cli::GenerateArgs {
        events: 20_000,
        out: dir.path().to_path_buf(),
        seed: SEED,
        events_per_file: 100,
        templates: Vec::new(),
        days: 7,
        end: "2024-06-30".to_string(),
        incident: true,
    };
    if let Err(e) = trailscope_fake::generate::run(&args) {
        panic!("generate the incident: {e}");
    }
    let text = std::fs::read_to_string(dir.path().join("incident.json")).expect("incident.json");
    let answers = serde_json::from_str(&text).expect("incident.json is JSON");
    (dir, answers)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The event IDs of a JSONL export, its provenance header aside.
fn exported_ids(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).expect("the JSONL export was written");
    text.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("trailscope_provenance").is_none())
        .filter_map(|v| v["eventID"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn from_the_leaked_key_to_the_damage_and_its_evidence() {
    let (dir, answers) = incident();
    let leaked = answers["leaked_key"].as_str().expect("leaked_key");
    let destructive: BTreeSet<String> = strings(&answers["destructive_event_ids"])
        .into_iter()
        .collect();
    let deleted = strings(&answers["deleted_objects"]);
    let trail = answers["trail_name"].as_str().expect("trail_name");
    assert!(
        !deleted.is_empty() && destructive.len() > deleted.len(),
        "the incident deletes objects and touches the trail: {answers}"
    );

    let t = Tmux::start("walk", 120, 35);
    t.wait_text("READY>", 10);
    let logs = dir.path().join("AWSLogs");
    t.send_line(&format!(
        "{} '{}'; echo EXIT-CODE=$?",
        bin(),
        logs.display()
    ));
    t.wait_for("every file loaded", 60, |s| s.contains("files loaded in"));

    // The lead, typed as a responder would.
    t.send_keys(&["/"]);
    t.send_literal(&format!("key:{leaked}"));
    // Then the walk: the key's whole chain (p l: across the role into the second account,
    // and the backdoor key), and the destructive preset on it.
    let walk = ["Enter", "p", "l", "8"];
    assert!(walk.len() <= 10);
    for key in walk {
        t.send_keys(&[key]);
    }
    let want = format!("{} of ", destructive.len());
    t.wait_for("the destructive events of the chain", 20, |s| {
        s.contains(&format!("lineage:{leaked} +destructive")) && s.contains(&want)
    });
    let screen = t.settled(Duration::from_millis(150), 10);
    // The background is noisy: the same names, done by others, are not in the view.
    let names = &answers["attack_event_names"];
    assert!(names["DeleteObject"].as_u64() > Some(0), "{answers}");
    // What each destroyed is on screen: the objects by their file names (a long path is cut
    // in its middle, never at its end), the trail by its name.
    assert!(screen.contains("TARGET"), "{screen}");
    for object in &deleted {
        let file = object.rsplit('/').next().unwrap_or(object);
        assert!(screen.contains(file), "{file} not on screen:\n{screen}");
    }
    assert!(screen.contains(trail), "{trail} not on screen:\n{screen}");

    // Evidence: every event of the view marked, a note on the first, both exports.
    let jsonl = dir.path().join("damage.jsonl");
    let md = dir.path().join("damage.md");
    t.send_keys(&["V"]);
    t.wait_text(&format!("{} events marked", destructive.len()), 10);
    t.send_keys(&["a"]);
    t.send_literal("the attacker's role session in the second account");
    t.send_keys(&["Enter"]);
    t.send_keys(&[":"]);
    t.send_literal(&format!("export jsonl marked {}", jsonl.display()));
    t.send_keys(&["Enter"]);
    t.wait_text("as jsonl to", 10);
    t.send_keys(&[":"]);
    t.send_literal(&format!("export md marked {}", md.display()));
    t.send_keys(&["Enter"]);
    t.wait_text("as md to", 10);
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);

    // Exactly the attacker's destructive events: none of the noise's deletions, none missed.
    assert_eq!(exported_ids(&jsonl), destructive);
    let timeline = std::fs::read_to_string(&md).expect("the Markdown export was written");
    assert!(
        timeline.contains("| the attacker's role session in the second account |"),
        "{timeline}"
    );
    let rows: Vec<&str> = timeline.lines().filter(|l| l.starts_with("| 20")).collect();
    assert_eq!(rows.len(), destructive.len(), "{timeline}");
    for object in &deleted {
        assert!(
            rows.iter()
                .any(|r| r.contains("s3:DeleteObject") && r.contains(object.as_str())),
            "{object} not in the timeline:\n{timeline}"
        );
    }
}
