//! Credential lineage on the demo's leaked key, on real Stratus Red Team detonations, and on
//! hand-written chains (role chaining, Identity Center).

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use trailscope::lineage::{cred_of, tree, Cred, Lineage, Matched};
use trailscope::model::parse::parse_text;
use trailscope::model::store::{IndexedField, Store};
use trailscope::source::demo;
use trailscope::source::files::load_blocking;

fn demo_store() -> Store {
    load_blocking(demo::plan()).0
}

fn store_of(json: &str) -> Store {
    let mut sink = (Vec::new(), Vec::new());
    parse_text(&Arc::from("test"), json, &mut sink);
    assert!(sink.1.is_empty(), "{:?}", sink.1);
    let mut store = Store::default();
    store.insert_batch(sink.0);
    store
}

fn key(k: &str) -> Cred {
    Cred::Key(k.to_string())
}

#[test]
fn the_demo_leaked_key_leads_to_the_backdoor_key_and_the_deletions() {
    let store = demo_store();
    let lineage = Lineage::build(&store);
    let lines = tree(&lineage, &store, &key("AKIAXLEAKED0EXAMPLE1"));
    let shown: Vec<(usize, &str)> = lines.iter().map(|l| (l.depth, l.cred.text())).collect();
    assert_eq!(
        shown,
        vec![
            (0, "AKIAXLEAKED0EXAMPLE1"),
            (1, "ASIAXATTACKSESSION01"),
            (2, "AKIAXPERSIST0BACKUP1"),
        ]
    );
    assert!(lines[0].focus);
    assert_eq!(lines[0].events, 35, "STORY.md: 18 baseline + 17 attack");
    assert_eq!(lines[1].events, 12);
    assert_eq!(lines[2].events, 83);
    assert_eq!(lines[2].who, "backup-svc");
    assert_eq!(
        lines[1].text(),
        "└─ AssumeRole 2026-11-19 02:21:40 → ASIAXATTACKSESSION01  OrganizationAccountAccessRole/deploy-sync  acct 444455556666  12 events, first 2026-11-19 02:24:12"
    );
    // Each hop says its account: the leaked key's own, then the one the role led into.
    let accounts: Vec<Option<&str>> = lines.iter().map(|l| l.account.as_deref()).collect();
    assert_eq!(
        accounts,
        [
            Some("111122223333"),
            Some("444455556666"),
            Some("444455556666")
        ]
    );
    // Asked from the middle, the tree shows the chain above it too.
    let mid = tree(&lineage, &store, &key("ASIAXATTACKSESSION01"));
    assert_eq!(mid.len(), 3);
    assert!(mid[1].focus && !mid[0].focus);

    // Everything done with what the leaked key led to: the exfiltration is in it.
    let reach = lineage.reachable(&store, &key("AKIAXLEAKED0EXAMPLE1"));
    assert_eq!(reach.len(), 3);
    let rows = lineage.events(&store, &reach);
    let deletes = rows
        .iter()
        .filter(|&&i| store.text(store.event(i).name) == "DeleteObject")
        .count();
    assert_eq!(deletes, 30);
    // The events done with the three keys; the minting events are among their parents' own.
    assert_eq!(rows.len(), 35 + 12 + 83);
}

#[test]
fn stratus_detonations_assume_role_and_create_access_key() {
    let (store, _) = common::load(&[common::fixture(
        "stratus-red-team-detonation-logs/aws.execution.ec2-launch-unusual-instances.json",
    )]);
    let lineage = Lineage::build(&store);
    let kids: BTreeSet<&str> = lineage
        .children(&key("AKIAR7ISFR69YWROPYAN"))
        .map(|m| m.child.as_str())
        .collect();
    assert_eq!(
        kids,
        BTreeSet::from(["ASIA9F6MXE9HSYOXYQOS", "ASIAYY9090UIYYUOIF2U"])
    );

    let (store, _) = common::load(&[common::fixture(
        "stratus-red-team-detonation-logs/aws.persistence.iam-backdoor-user.json",
    )]);
    let lineage = Lineage::build(&store);
    let lines = tree(&lineage, &store, &key("AKIAL80DWDVKKM0UXEER"));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].cred, key("AKIA30BEZSJBVKOFKZW0"));
    assert_eq!(
        lines[1].via.as_ref().map(|v| v.0.as_str()),
        Some("CreateAccessKey")
    );
    assert_eq!(lines[1].who, "stratus-red-team-backdoor-u-user");
    assert!(lines[1].focus);
}

/// A user's key assumes role A; the A session assumes role B (chaining, with a
/// sourceIdentity carried along); the B session acts. And an Identity Center user's
/// GetRoleCredentials whose key then acts.
const CHAINS: &str = r#"{"Records":[
{"eventVersion":"1.08","eventTime":"2026-01-01T10:00:00Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","eventID":"e1",
 "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIAALICE00000000001","userName":"alice"},
 "requestParameters":{"roleArn":"arn:aws:iam::111122223333:role/A","roleSessionName":"hop1","sourceIdentity":"alice"},
 "responseElements":{"credentials":{"accessKeyId":"ASIAHOP1000000000001","expiration":"Jan 1, 2026, 11:00:00 AM"},"assumedRoleUser":{"arn":"arn:aws:sts::111122223333:assumed-role/A/hop1","assumedRoleId":"AROAA:hop1"},"sourceIdentity":"alice"}},
{"eventVersion":"1.08","eventTime":"2026-01-01T10:05:00Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","eventID":"e2",
 "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/A/hop1","accountId":"111122223333","accessKeyId":"ASIAHOP1000000000001","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/A","userName":"A"},"sourceIdentity":"alice"}},
 "requestParameters":{"roleArn":"arn:aws:iam::999988887777:role/B","roleSessionName":"hop2","sourceIdentity":"alice"},
 "responseElements":{"credentials":{"accessKeyId":"ASIAHOP2000000000002","expiration":"Jan 1, 2026, 11:05:00 AM"},"assumedRoleUser":{"arn":"arn:aws:sts::999988887777:assumed-role/B/hop2","assumedRoleId":"AROAB:hop2"},"sourceIdentity":"alice"}},
{"eventVersion":"1.08","eventTime":"2026-01-01T10:06:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.5","eventID":"e3",
 "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::999988887777:assumed-role/B/hop2","accountId":"999988887777","accessKeyId":"ASIAHOP2000000000002","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::999988887777:role/B","userName":"B"},"sourceIdentity":"alice"}}},
{"eventVersion":"1.08","eventTime":"2026-01-01T12:00:00Z","eventSource":"sso.amazonaws.com","eventName":"GetRoleCredentials","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.9","eventID":"e4",
 "userIdentity":{"type":"IdentityCenterUser","accountId":"111122223333","onBehalfOf":{"userId":"u-1","identityStoreArn":"arn:aws:identitystore::111122223333:identitystore/d-1"},"credentialId":"cred-1"},
 "responseElements":{"roleCredentials":{"accessKeyId":"ASIASSO0000000000001","expiration":1767272400000}},
 "serviceEventDetails":{"account_id":"111122223333","role_name":"AdministratorAccess"}},
{"eventVersion":"1.08","eventTime":"2026-01-01T12:01:00Z","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.9","eventID":"e5",
 "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_abc/bob@example.com","accountId":"111122223333","accessKeyId":"ASIASSO0000000000001"}}
]}"#;

#[test]
fn role_chaining_and_identity_center_are_followed() {
    let store = store_of(CHAINS);
    let lineage = Lineage::build(&store);
    let lines = tree(&lineage, &store, &key("ASIAHOP2000000000002"));
    let shown: Vec<&str> = lines.iter().map(|l| l.cred.text()).collect();
    assert_eq!(
        shown,
        vec![
            "AKIAALICE00000000001",
            "ASIAHOP1000000000001",
            "ASIAHOP2000000000002"
        ]
    );
    assert_eq!(lines[2].who, "B/hop2");
    assert_eq!(lines[2].events, 1);
    let from_alice = lineage.reachable(
        &store,
        &Cred::Principal("arn:aws:iam::111122223333:user/alice".to_string()),
    );
    assert!(
        from_alice.contains(&key("ASIAHOP2000000000002")),
        "{from_alice:?}"
    );

    // Identity Center: the user's portal session (no key on record) → the role credentials
    // → what they did.
    let sso = lineage
        .parents("ASIASSO0000000000001")
        .next()
        .expect("GetRoleCredentials minted the key");
    assert_eq!(sso.parent, Cred::Portal("cred-1".into()));
    assert_eq!(sso.matched, None, "the response was on record");
    let lines = tree(&lineage, &store, &key("ASIASSO0000000000001"));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].events, 1);
}

/// Identity Center as CloudTrail records it: `GetRoleCredentials` is a service event that
/// names the account and permission set but not the key; the key shows up on the
/// `AWSReservedSSO_*` session's calls. Two users take the same permission set a minute apart
/// (one record in the 2025 `IdentityCenterUser` shape, one in the older `Unknown` shape with a
/// userName): their names tell the two sessions apart, so each grant has one session of its
/// role, account and user; a third grant is never used; a session key first used 13 hours
/// after any grant belongs to none of them.
const IDENTITY_CENTER: &str = r#"{"Records":[
{"eventVersion":"1.10","eventTime":"2026-03-02T09:00:00Z","eventSource":"sso.amazonaws.com","eventName":"GetRoleCredentials","eventType":"AwsServiceEvent","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.20","eventID":"g1","readOnly":true,
 "userIdentity":{"type":"IdentityCenterUser","accountId":"444455556666","onBehalfOf":{"userId":"94482488-3041-7026-18f3-be45837cd0e4","identityStoreArn":"arn:aws:identitystore::444455556666:identitystore/d-9067642ac7"},"credentialId":"EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE"},
 "additionalEventData":{"UserName":"carol@example.com"},
 "requestParameters":null,"responseElements":null,
 "serviceEventDetails":{"role_name":"AdministratorAccess","account_id":"111122223333"}},
{"eventVersion":"1.08","eventTime":"2026-03-02T09:01:00Z","eventSource":"sso.amazonaws.com","eventName":"GetRoleCredentials","eventType":"AwsServiceEvent","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.66","eventID":"g2","readOnly":true,
 "userIdentity":{"type":"Unknown","principalId":"111122223333","accountId":"444455556666","userName":"dave@example.com"},
 "requestParameters":null,"responseElements":null,
 "serviceEventDetails":{"role_name":"AdministratorAccess","account_id":"111122223333"}},
{"eventVersion":"1.08","eventTime":"2026-03-02T09:02:00Z","eventSource":"sso.amazonaws.com","eventName":"GetRoleCredentials","eventType":"AwsServiceEvent","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.66","eventID":"g3","readOnly":true,
 "userIdentity":{"type":"Unknown","principalId":"111122223333","accountId":"444455556666","userName":"erin@example.com"},
 "requestParameters":null,"responseElements":null,
 "serviceEventDetails":{"role_name":"ReadOnly","account_id":"111122223333"}},
{"eventVersion":"1.08","eventTime":"2026-03-02T09:03:00Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.66","eventID":"d1",
 "userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:dave@example.com","arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b/dave@example.com","accountId":"111122223333","accessKeyId":"ASIADAVE000000000001","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b","userName":"AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b"}}}},
{"eventVersion":"1.08","eventTime":"2026-03-02T09:04:00Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.66","eventID":"d2",
 "userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:dave@example.com","arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b/dave@example.com","accountId":"111122223333","accessKeyId":"ASIADAVE000000000001"},
 "requestParameters":{"userName":"svc-backup"},
 "responseElements":{"accessKey":{"accessKeyId":"AKIABACKDOOR00000001","status":"Active","userName":"svc-backup","createDate":"Mar 2, 2026, 9:04:00 AM"}}},
{"eventVersion":"1.08","eventTime":"2026-03-02T09:05:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.20","eventID":"c1",
 "userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:carol@example.com","arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b/carol@example.com","accountId":"111122223333","accessKeyId":"ASIACAROL00000000001"}},
{"eventVersion":"1.08","eventTime":"2026-03-02T22:30:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.20","eventID":"c2",
 "userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:carol@example.com","arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b/carol@example.com","accountId":"111122223333","accessKeyId":"ASIACAROL00000000002"}}
]}"#;

#[test]
fn identity_center_grants_are_matched_to_the_sessions_that_used_them() {
    let store = store_of(IDENTITY_CENTER);
    let lineage = Lineage::build(&store);
    let grant_of = |k: &str| {
        lineage
            .parents(k)
            .map(|m| {
                (
                    store
                        .event(m.event)
                        .event_id
                        .as_ref()
                        .map(ToString::to_string),
                    m.matched,
                )
            })
            .collect::<Vec<_>>()
    };
    // Each user's key to their own grant, though both took the same role a minute apart.
    assert_eq!(
        grant_of("ASIACAROL00000000001"),
        vec![(Some("g1".into()), Some(Matched::RoleAndAccount))]
    );
    assert_eq!(
        grant_of("ASIADAVE000000000001"),
        vec![(Some("g2".into()), Some(Matched::RoleAndAccount))]
    );
    // Too late for any grant; and a key minted on record is read, not matched.
    assert!(grant_of("ASIACAROL00000000002").is_empty());
    assert_eq!(
        grant_of("AKIABACKDOOR00000001"),
        vec![(Some("d2".into()), None)]
    );
    // g3 (ReadOnly) was never used: no edge invented for it, and the tree can say so.
    assert_eq!(lineage.mints.len(), 3, "{:?}", lineage.mints);
    assert_eq!(lineage.unmatched, 1);

    // The walk: from dave's Identity Center sign-in to the backdoor key he created.
    let dave = cred_of(
        &store,
        store.lookup(IndexedField::EventName, "GetRoleCredentials")[1],
    );
    let reach = lineage.reachable(&store, &dave);
    assert!(reach.contains(&key("ASIADAVE000000000001")), "{reach:?}");
    assert!(reach.contains(&key("AKIABACKDOOR00000001")), "{reach:?}");
    assert!(!reach.contains(&key("ASIACAROL00000000001")), "{reach:?}");

    // The tree says the edge was matched, and from which grant.
    let lines = tree(&lineage, &store, &key("AKIABACKDOOR00000001"));
    let text: Vec<String> = lines.iter().map(|l| l.text()).collect();
    assert_eq!(lines.len(), 3, "{text:#?}");
    assert!(
        text[1].contains("GetRoleCredentials (matched by role and account)")
            && text[1].contains("ASIADAVE000000000001"),
        "{text:#?}"
    );
    assert!(
        text[2].contains("CreateAccessKey") && text[2].contains("◀"),
        "{text:#?}"
    );
}

/// `trailscope query --lineage`: the tree, and the events reachable, filtered.
#[test]
fn headless_lineage_prints_the_tree_and_the_reachable_events() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
            .args(["query", "--demo", "--lineage"])
            .args(args)
            .output()
            .expect("run trailscope");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let tree = run(&["arn:aws:iam::111122223333:user/ci-deploy", "-o", "tree"]);
    let keys: Vec<&str> = tree
        .lines()
        .filter_map(|l| {
            l.split_whitespace()
                .find(|w| w.starts_with("A") && w.len() == 20)
        })
        .collect();
    assert_eq!(
        keys,
        [
            "AKIAXLEAKED0EXAMPLE1",
            "ASIAXATTACKSESSION01",
            "AKIAXPERSIST0BACKUP1"
        ],
        "{tree}"
    );
    assert_eq!(
        run(&[
            "AKIAXLEAKED0EXAMPLE1",
            "-f",
            "event:DeleteObject",
            "-o",
            "count"
        ])
        .trim(),
        "30"
    );
    let jsonl = run(&["ASIAXATTACKSESSION01", "-o", "jsonl"]);
    let times: Vec<String> = jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a record per line");
            v["eventTime"].as_str().unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(
        times.len(),
        1 + 12 + 83,
        "the AssumeRole that minted the session, its events, the backdoor key's"
    );
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "in time order");
}

/// Many Identity Center grants and sessions (issue 18): each of 4,000 users takes the same
/// permission set once, a second apart, and uses the key it got a few seconds later. Every key
/// is matched to its own user's grant, and the matching looks only at each grant's own window
/// (it compared every grant with every session before: 16 million checks here).
#[test]
fn thousands_of_identity_center_grants_match_in_linear_time() {
    const USERS: usize = 4_000;
    let mut records = Vec::new();
    for u in 0..USERS {
        let (h, m, s) = (u / 3600, u / 60 % 60, u % 60);
        records.push(format!(
            r#"{{"eventVersion":"1.08","eventTime":"2026-03-02T{h:02}:{m:02}:{s:02}Z","eventSource":"sso.amazonaws.com","eventName":"GetRoleCredentials","eventType":"AwsServiceEvent","eventID":"g{u}","userIdentity":{{"type":"Unknown","accountId":"444455556666","userName":"user{u}@example.com"}},"serviceEventDetails":{{"role_name":"Admin","account_id":"111122223333"}}}}"#
        ));
        let (h, m, s) = ((u + 5) / 3600, (u + 5) / 60 % 60, (u + 5) % 60);
        records.push(format!(
            r#"{{"eventVersion":"1.08","eventTime":"2026-03-02T{h:02}:{m:02}:{s:02}Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventID":"c{u}","userIdentity":{{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0a1b2c3d/user{u}@example.com","accountId":"111122223333","accessKeyId":"ASIAUSER{u:012}"}}}}"#
        ));
    }
    let store = store_of(&format!("{{\"Records\":[{}]}}", records.join(",")));
    let started = std::time::Instant::now();
    let lineage = Lineage::build(&store);
    let took = started.elapsed();
    for u in (0..USERS).step_by(97) {
        let parents: Vec<_> = lineage
            .parents(&format!("ASIAUSER{u:012}"))
            .map(|m| store.event(m.event).event_id.clone())
            .collect();
        assert_eq!(parents, vec![Some(format!("g{u}").into())], "user {u}");
    }
    // Generous for a busy machine and a debug build: the quadratic version took minutes.
    assert!(took < std::time::Duration::from_secs(20), "{took:?}");
}

/// A minting event that succeeded but whose new key is not on record (no responseElements)
/// is counted, so the lineage view can say what it leaves out instead of dropping it.
#[test]
fn a_minting_event_without_a_readable_key_is_counted_not_dropped() {
    let store = store_of(
        r#"{"Records":[
{"eventVersion":"1.08","eventTime":"2026-03-02T09:00:00Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","eventID":"a1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/x","accessKeyId":"AKIAX000000000000001"},"responseElements":null},
{"eventVersion":"1.08","eventTime":"2026-03-02T09:01:00Z","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","eventID":"a2","errorCode":"AccessDenied","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/x","accessKeyId":"AKIAX000000000000001"},"responseElements":null}
]}"#,
    );
    let lineage = Lineage::build(&store);
    assert!(lineage.mints.is_empty());
    assert_eq!(
        lineage.unread, 1,
        "the failed call minted nothing; the other is counted"
    );
}

/// tests/fixtures/identity_center (SOURCE.md tells the story): Alice signs in, lists her
/// accounts and takes AdministratorAccess in dev and ReadOnlyAccess in prod from one portal
/// session; her dev session creates an access key. Bob takes the same permission set in dev
/// six minutes later, in the console. Dave, in 2024's shape, takes PowerUserAccess twice.
const ALICE_PORTAL: &str = "AAAAAGExampleAlicePortalSession_Vk3mQ9tZrW8xY2nB7cD4fG5hJ6kL1pOq";
const BOB_PORTAL: &str = "AAAAAGExampleBobPortalSession_Zq4wE7rT1yU8iO3pA6sD9fG2hJ5kL0mNb";

fn identity_center() -> Store {
    let (store, warnings) = common::load(&[common::fixture("identity_center")]);
    assert!(common::problems(&warnings).is_empty(), "{warnings:?}");
    assert_eq!(store.len(), 27);
    store
}

fn event_named(store: &Store, name: &str, nth: usize) -> u32 {
    let mut rows = store.lookup(IndexedField::EventName, name).to_vec();
    rows.sort_by_key(|&i| store.event(i).time);
    rows[nth]
}

#[test]
fn a_portal_session_leads_to_the_role_sessions_it_asked_for_and_their_keys() {
    let store = identity_center();
    let lineage = Lineage::build(&store);
    let lines = tree(&lineage, &store, &Cred::Portal(ALICE_PORTAL.into()));
    let shown: Vec<(usize, &str)> = lines.iter().map(|l| (l.depth, l.cred.text())).collect();
    assert_eq!(
        shown,
        [
            (0, ALICE_PORTAL),
            (1, "ASIA4ALICEDEV0000001"),
            (2, "AKIA4CIBOTEXAMPLE001"),
            (1, "ASIA4ALICEPROD000001"),
        ]
    );
    // The session: its three sign-in steps and five portal calls, named by the sign-in.
    assert_eq!(lines[0].events, 8);
    assert_eq!(lines[0].who, "sso:alice@example.com");
    let text: Vec<String> = lines.iter().map(|l| l.text()).collect();
    assert!(
        text[0].starts_with(&format!("portal:{ALICE_PORTAL}")),
        "{text:#?}"
    );
    // One session of each role in each account is Alice's: matched by role and account.
    assert!(
        text[1].contains("GetRoleCredentials (matched by role and account) 2026-02-10 09:14:31 → ASIA4ALICEDEV0000001  AWSReservedSSO_AdministratorAccess_3f7a9c1e2b4d6f80/alice@example.com  acct 444455556666  3 events"),
        "{text:#?}"
    );
    // Siblings branch with ├─ and the last with └─; the bar runs down past the first
    // sibling's own child to the second; a wrapped row hangs under its node's text.
    let guides: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l.guide.as_str(), l.continued.as_str()))
        .collect();
    assert_eq!(
        guides,
        [
            ("", "│  "),
            ("├─ ", "│  │  "),
            ("│  └─ ", "│        "),
            ("└─ ", "      "),
        ]
    );
    assert!(text[2].contains("1 event,"), "{text:#?}");
    assert!(
        text[2].contains("CreateAccessKey") && text[2].contains("ci-bot"),
        "{text:#?}"
    );
    assert!(
        text[3].contains("(matched by role and account)"),
        "{text:#?}"
    );

    // Bob took the same permission set in the same account six minutes later: his Federate
    // is matched to his console session, not to Alice's key, and from his own portal session.
    let bob = lineage.parents("ASIA4BOBDEV000000001").collect::<Vec<_>>();
    assert_eq!(bob.len(), 1);
    assert_eq!(store.text(store.event(bob[0].event).name), "Federate");
    assert_eq!(bob[0].parent, Cred::Portal(BOB_PORTAL.into()));
    assert_eq!(bob[0].matched, Some(Matched::RoleAndAccount));

    // STS recorded Alice's keys too (AssumeRoleWithSAML in each member account, its caller
    // the SAML provider's user): that copy gives way to the grant, which says who asked.
    let dev = lineage.parents("ASIA4ALICEDEV0000001").collect::<Vec<_>>();
    assert_eq!(dev.len(), 1, "{dev:?}");
    assert_eq!(dev[0].parent, Cred::Portal(ALICE_PORTAL.into()));
    assert_eq!(
        store.text(store.event(dev[0].event).name),
        "GetRoleCredentials"
    );
    assert_eq!((lineage.unread, lineage.unmatched), (0, 0));
}

#[test]
fn a_key_found_later_walks_back_up_to_the_portal_session_and_the_user() {
    let store = identity_center();
    let lineage = Lineage::build(&store);
    let lines = tree(&lineage, &store, &key("AKIA4CIBOTEXAMPLE001"));
    let shown: Vec<&str> = lines.iter().map(|l| l.cred.text()).collect();
    assert_eq!(
        shown,
        [ALICE_PORTAL, "ASIA4ALICEDEV0000001", "AKIA4CIBOTEXAMPLE001"]
    );
    assert!(lines[2].focus);

    // From the user: her portal session, and everything it led to.
    let alice = cred_of(&store, event_named(&store, "ListAccounts", 0));
    assert_eq!(alice, Cred::Portal(ALICE_PORTAL.into()));
    let user = store.text(Some(
        store
            .event(event_named(&store, "ListAccounts", 0))
            .principal,
    ));
    let reach = lineage.reachable(&store, &Cred::Principal(user.to_string()));
    for k in [
        "ASIA4ALICEDEV0000001",
        "AKIA4CIBOTEXAMPLE001",
        "ASIA4ALICEPROD000001",
    ] {
        assert!(reach.contains(&key(k)), "{k}: {reach:?}");
    }
    assert!(!reach.contains(&key("ASIA4BOBDEV000000001")), "{reach:?}");
    // The events: the sign-in, the portal calls, both role sessions' calls and the new key's.
    let rows = lineage.events(&store, &reach);
    let names: Vec<&str> = rows
        .iter()
        .map(|&i| store.text(store.event(i).name))
        .collect();
    assert_eq!(names.len(), 8 + 3 + 1 + 2, "{names:?}");
    assert_eq!(names[0], "CredentialChallenge");

    // A sign-in step's own credentialId is not the session's (AWS says so): the lineage of
    // the sign-in is the session it opened.
    let signed_in = event_named(&store, "UserAuthentication", 0);
    assert_ne!(
        store.text(store.event(signed_in).identity.credential_id),
        ALICE_PORTAL
    );
    assert_eq!(
        cred_of(&store, signed_in),
        Cred::Portal(ALICE_PORTAL.into())
    );
}

#[test]
fn a_grant_of_2024_is_matched_by_time_when_its_role_has_two_sessions() {
    let store = identity_center();
    let lineage = Lineage::build(&store);
    let dave = Cred::Principal("unknown:dave@example.com".into());
    let lines = tree(&lineage, &store, &dave);
    let text: Vec<String> = lines.iter().map(|l| l.text()).collect();
    assert_eq!(lines.len(), 3, "{text:#?}");
    // Both of his PowerUserAccess sessions fit the first grant (the second began 39 minutes
    // later, well within a session's 12 hours): the first used soonest is taken. The second
    // grant has one left.
    assert!(
        text[1].contains(
            "GetRoleCredentials (matched by time) 2024-11-05 16:02:11 → ASIA4DAVE00000000001"
        ),
        "{text:#?}"
    );
    assert!(
        text[2].contains("GetRoleCredentials (matched by role and account) 2024-11-05 16:40:03 → ASIA4DAVE00000000002"),
        "{text:#?}"
    );
}

/// The grant's role and account from the request when `serviceEventDetails` lacks them (the
/// portal API's own parameter names); a grant with neither but a user, by that user's
/// sessions and time alone; a grant naming nobody and nothing, not matched at all.
#[test]
fn grants_without_service_event_details_fall_back_to_the_request_then_to_time() {
    let store = store_of(
        r#"{"Records":[
{"eventVersion":"1.08","eventTime":"2026-03-02T09:00:00Z","eventSource":"sso.amazonaws.com","eventName":"GetRoleCredentials","eventType":"AwsServiceEvent","eventID":"r1",
 "userIdentity":{"type":"Unknown","principalId":"111122223333","accountId":"111122223333","userName":"erin@example.com"},
 "requestParameters":{"accountId":"444455556666","roleName":"Billing"}},
{"eventVersion":"1.08","eventTime":"2026-03-02T10:00:00Z","eventSource":"sso.amazonaws.com","eventName":"GetRoleCredentials","eventType":"AwsServiceEvent","eventID":"r2",
 "userIdentity":{"type":"Unknown","principalId":"111122223333","accountId":"111122223333","userName":"erin@example.com"}},
{"eventVersion":"1.08","eventTime":"2026-03-02T11:00:00Z","eventSource":"sso.amazonaws.com","eventName":"GetRoleCredentials","eventType":"AwsServiceEvent","eventID":"r3",
 "userIdentity":{"type":"Unknown","principalId":"111122223333","accountId":"111122223333"}},
{"eventVersion":"1.08","eventTime":"2026-03-02T09:01:00Z","eventSource":"ce.amazonaws.com","eventName":"GetCostAndUsage","eventID":"c1",
 "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_Billing_0a1b2c3d/erin@example.com","accountId":"444455556666","accessKeyId":"ASIAERIN000000000001"}},
{"eventVersion":"1.08","eventTime":"2026-03-02T10:02:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventID":"c2",
 "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::777788889999:assumed-role/AWSReservedSSO_ReadOnly_9f8e7d6c/erin@example.com","accountId":"777788889999","accessKeyId":"ASIAERIN000000000002"}},
{"eventVersion":"1.08","eventTime":"2026-03-02T11:01:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventID":"c3",
 "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::777788889999:assumed-role/AWSReservedSSO_ReadOnly_9f8e7d6c/frank@example.com","accountId":"777788889999","accessKeyId":"ASIAFRANK00000000001"}}
]}"#,
    );
    let lineage = Lineage::build(&store);
    let how = |k: &str| {
        lineage
            .parents(k)
            .map(|m| (store.event(m.event).event_id.clone(), m.matched))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        how("ASIAERIN000000000001"),
        [(Some("r1".into()), Some(Matched::RoleAndAccount))]
    );
    assert_eq!(
        how("ASIAERIN000000000002"),
        [(Some("r2".into()), Some(Matched::Time))]
    );
    assert!(how("ASIAFRANK00000000001").is_empty(), "r3 names no one");
    assert_eq!(lineage.unmatched, 1);
}
