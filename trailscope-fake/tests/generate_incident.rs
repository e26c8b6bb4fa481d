//! `trailscope-fake generate --incident`: a different attacker per seed, the same bytes per
//! seed, a manifest that matches the files, noise that shares the attack's event names, and a
//! chain that trailscope's own lineage finds from the leaked key alone.

mod common;
use common::{records, tree};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use trailscope::lineage::{Cred, Lineage};
use trailscope::model::warning::Severity;
use trailscope::source::{files, walk};
use trailscope_fake::cli::GenerateArgs;
use trailscope_fake::generate::{run, MANIFEST};

fn args(out: &Path, events: u64, seed: u64) -> GenerateArgs {
    GenerateArgs {
        events,
        out: out.to_path_buf(),
        seed,
        events_per_file: 100,
        templates: Vec::new(),
        days: 7,
        end: "2024-06-30".to_string(),
        incident: true,
    }
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join(MANIFEST)).unwrap()).unwrap()
}

fn id_set(m: &Value, field: &str) -> BTreeSet<String> {
    m[field]
        .as_array()
        .unwrap_or_else(|| panic!("{field}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The delivery files' records, by eventID, and the (account, region, records) of each file.
struct Written {
    by_id: HashMap<String, Value>,
    files: Vec<(String, String, Vec<Value>)>,
}

fn written(dir: &Path) -> Written {
    let mut by_id = HashMap::new();
    let mut files = Vec::new();
    for (rel, bytes) in tree(dir) {
        if rel == Path::new(MANIFEST) {
            continue;
        }
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let recs = records(&bytes);
        for r in &recs {
            let id = text(r, "/eventID").to_string();
            assert!(by_id.insert(id, r.clone()).is_none(), "duplicate eventID");
        }
        files.push((parts[1].clone(), parts[3].clone(), recs));
    }
    Written { by_id, files }
}

#[test]
fn same_seed_same_bytes_other_seed_other_attacker() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    let summary = run(&args(a.path(), 1_500, 7)).unwrap();
    assert!(summary.contains(MANIFEST), "{summary}");
    run(&args(b.path(), 1_500, 7)).unwrap();
    run(&args(c.path(), 1_500, 8)).unwrap();
    let (ta, tb) = (tree(a.path()), tree(b.path()));
    assert!(
        ta == tb,
        "same seed must write identical files and manifest"
    );

    let (ma, mc) = (manifest(a.path()), manifest(c.path()));
    for field in [
        "leaked_key",
        "session_key",
        "backdoor_key",
        "start",
        "bucket",
        "attacker_ips",
        "victim",
        "role_arn",
    ] {
        assert_ne!(
            ma[field], mc[field],
            "{field} is the same for seeds 7 and 8"
        );
    }
    assert_ne!(
        (&ma["account_a"], &ma["account_b"]),
        (&mc["account_a"], &mc["account_b"])
    );
}

#[test]
fn manifest_matches_the_files_and_the_noise_hides_the_names() {
    let dir = tempfile::tempdir().unwrap();
    run(&args(dir.path(), 3_000, 21)).unwrap();
    let m = manifest(dir.path());
    let w = written(dir.path());

    // Every ID the manifest names was written, and the lists hold what they say.
    let attack = id_set(&m, "attack_event_ids");
    let chain = id_set(&m, "chain_event_ids");
    let writes = id_set(&m, "write_event_ids");
    let destructive = id_set(&m, "destructive_event_ids");
    let victim = id_set(&m, "victim_event_ids");
    let copies = [
        text(&m, "/assume_role_event_ids/caller_account"),
        text(&m, "/assume_role_event_ids/role_account"),
    ];
    for id in attack
        .iter()
        .chain(&chain)
        .chain(&writes)
        .chain(&victim)
        .map(String::as_str)
        .chain(copies)
    {
        assert!(w.by_id.contains_key(id), "{id} is not in the files");
    }
    let keys = [
        text(&m, "/leaked_key"),
        text(&m, "/session_key"),
        text(&m, "/backdoor_key"),
    ];
    let with_keys: BTreeSet<String> = w
        .by_id
        .iter()
        .filter(|(_, r)| keys.contains(&text(r, "/userIdentity/accessKeyId")))
        .map(|(id, _)| id.clone())
        .collect();
    assert_eq!(
        chain, with_keys,
        "chain = every event done with the three keys"
    );
    assert!(chain.contains(copies[0]) && !chain.contains(copies[1]));
    assert!(writes.is_subset(&attack) && destructive.is_subset(&writes));
    let mut written_names: BTreeSet<&str> = BTreeSet::new();
    for id in &writes {
        let r = &w.by_id[id];
        assert_eq!(r["readOnly"], false);
        written_names.insert(text(r, "/eventName"));
    }
    for name in [
        "CreateUser",
        "CreateAccessKey",
        "AttachUserPolicy",
        "DeleteObject",
    ] {
        assert!(written_names.contains(name), "{name} not written");
    }
    assert!(written_names.contains("StopLogging") || written_names.contains("DeleteTrail"));
    // The damage: the deletions and the trail stopped, not the persistence.
    let destroyed: BTreeSet<&str> = destructive
        .iter()
        .map(|id| text(&w.by_id[id], "/eventName"))
        .collect();
    assert!(destroyed.contains("DeleteObject"));
    assert!(destroyed.contains("StopLogging") || destroyed.contains("DeleteTrail"));
    assert!(destroyed
        .iter()
        .all(|n| n.starts_with("Delete") || n.starts_with("Stop")));
    assert_eq!(
        destructive.len(),
        m["deleted_objects"].as_array().map_or(0, Vec::len)
            + m["trail_actions"].as_array().map_or(0, Vec::len)
    );
    let attacker_ips: Vec<&str> = m["attacker_ips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for (id, r) in &w.by_id {
        let ip = text(r, "/sourceIPAddress");
        // The attacker's addresses are the attack's alone (the role copy shares the caller's).
        assert_eq!(attacker_ips.contains(&ip), attack.contains(id), "{r}");
    }
    let first = &w.by_id[copies[0]];
    assert_eq!(text(first, "/userIdentity/accessKeyId"), keys[0]);
    assert_eq!(text(first, "/recipientAccountId"), text(&m, "/account_a"));
    let copy = &w.by_id[copies[1]];
    assert_eq!(text(copy, "/recipientAccountId"), text(&m, "/account_b"));
    assert_eq!(text(copy, "/userIdentity/type"), "AWSAccount");
    assert_eq!(first["requestID"], copy["requestID"]);
    assert_eq!(first["eventTime"], copy["eventTime"]);
    assert_eq!(
        text(first, "/responseElements/credentials/accessKeyId"),
        keys[1]
    );

    // Files: one account and region each, in time order, the usual size, never only incident.
    let planted: usize = ["attack", "victim", "noise"]
        .iter()
        .map(|k| m["events"][k].as_u64().unwrap() as usize)
        .sum();
    let mut total = 0;
    for (account, region, recs) in &w.files {
        assert_eq!(recs.len(), 100, "every file holds --events-per-file events");
        total += recs.len();
        let times: Vec<&str> = recs.iter().map(|r| text(r, "/eventTime")).collect();
        assert!(times.windows(2).all(|t| t[0] <= t[1]), "time order");
        for r in recs {
            assert_eq!(text(r, "/recipientAccountId"), account);
            assert_eq!(text(r, "/awsRegion"), region);
        }
    }
    assert_eq!(total, w.by_id.len());
    // The regular files' 3,000, and as many extra files as the incident needs.
    assert!(
        total >= 3_000 && planted < total,
        "{total} events, {planted} planted"
    );

    // Noise: every name the attacker used is also used by others, and the bucket sees
    // GetObject and DeleteObject by someone else.
    let bucket = text(&m, "/bucket");
    let mut by_others: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_bucket: BTreeMap<&str, usize> = BTreeMap::new();
    for (id, r) in &w.by_id {
        if attack.contains(id) {
            continue;
        }
        let name = text(r, "/eventName");
        *by_others.entry(name).or_default() += 1;
        if text(r, "/requestParameters/bucketName") == bucket {
            *on_bucket.entry(name).or_default() += 1;
        }
    }
    for name in m["attack_event_names"].as_object().unwrap().keys() {
        assert!(
            by_others.contains_key(name.as_str()),
            "only the attacker does {name}"
        );
    }
    assert!(
        on_bucket.get("GetObject").copied().unwrap_or(0) >= 2,
        "{on_bucket:?}"
    );
    assert!(
        on_bucket.get("DeleteObject").copied().unwrap_or(0) >= 2,
        "{on_bucket:?}"
    );
    let role = text(&m, "/role_arn");
    assert!(w.by_id.iter().any(|(id, r)| !attack.contains(id)
        && text(r, "/eventName") == "AssumeRole"
        && text(r, "/requestParameters/roleArn") == role));
}

#[test]
fn lineage_from_the_leaked_key_is_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    run(&args(dir.path(), 2_000, 5)).unwrap();
    let m = manifest(dir.path());
    // AWSLogs/ only: incident.json next to it is not a CloudTrail file.
    let (store, warnings) = files::load_blocking(walk::plan(&[dir.path().join("AWSLogs")]));
    let problems: Vec<_> = warnings
        .iter()
        .filter(|w| w.severity == Severity::Problem)
        .collect();
    assert!(problems.is_empty(), "{problems:?}");

    let lineage = Lineage::build(&store);
    let start = Cred::parse(text(&m, "/leaked_key"));
    let reach = lineage.reachable(&store, &start);
    let expected: BTreeSet<Cred> = ["/leaked_key", "/session_key", "/backdoor_key"]
        .iter()
        .map(|f| Cred::Key(text(&m, f).to_string()))
        .collect();
    assert_eq!(reach, expected, "leaked key → session key → backdoor key");
    let selected: BTreeSet<String> = lineage
        .events(&store, &reach)
        .into_iter()
        .map(|i| {
            store
                .event(i)
                .event_id
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(selected, id_set(&m, "chain_event_ids"));

    // How each key was minted, as the tree shows it.
    let session = lineage.parents(text(&m, "/session_key")).next().unwrap();
    assert_eq!(session.parent, start);
    assert_eq!(
        session.child_principal.as_deref(),
        Some(text(&m, "/session_arn"))
    );
    let backdoor = lineage.parents(text(&m, "/backdoor_key")).next().unwrap();
    assert_eq!(backdoor.parent, Cred::Key(text(&m, "/session_key").into()));
    assert_eq!(
        backdoor.child_principal.as_deref(),
        Some(text(&m, "/backdoor_user"))
    );
}
