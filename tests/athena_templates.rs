//! The Athena playbooks through the real binary and the real `aws-sdk-athena`, against the
//! fake's Athena serving the demo: `trailscope query --athena DB.TABLE --template NAME
//! --param …` runs every template; an events template selects what the same question selects
//! on the files, `key-chain` adds exactly the events that minted the chain's keys, and an
//! aggregate prints its table with the counts the files give.

mod common;

use common::athena::{by_id, fake, file_records, query, text, WINDOW};
use serde_json::Value;

const KEY: &str = "AKIAXLEAKED0EXAMPLE1";
const IP: &str = "198.51.100.77";
/// The chain the demo's lineage shows from the leaked key: the session it minted by AssumeRole
/// and the backdoor key that session created.
const CHAIN: [&str; 3] = [KEY, "ASIAXATTACKSESSION01", "AKIAXPERSIST0BACKUP1"];
const ROLE: &str = "arn:aws:iam::444455556666:role/OrganizationAccountAccessRole";

fn template(fake: &common::FakeEndpoint, name: &str, output: &str) -> std::process::Output {
    let params = [
        format!("key={KEY}"),
        format!("ip={IP}"),
        format!("role={ROLE}"),
        "arn=arn:aws:iam::111122223333:user/ci-deploy".to_string(),
        format!("chain={}", CHAIN.join(",")),
    ];
    let mut args = vec![
        "--athena",
        "trailscope.cloudtrail",
        "-o",
        output,
        "--template",
        name,
    ];
    for p in &params {
        args.extend(["--param", p.as_str()]);
    }
    args.extend(WINDOW);
    query(fake, &args)
}

#[test]
fn every_template_runs_and_reads_only_the_window() {
    let fake = fake();
    for t in trailscope::athena::templates::TEMPLATES {
        let out = template(&fake, t.name, "jsonl");
        assert!(out.status.success(), "{}: {}", t.name, text(&out.stderr));
    }
    let statements: Vec<String> = fake.with_fake(|f| {
        f.athena
            .calls
            .iter()
            .filter(|(op, _)| op == "StartQueryExecution")
            .filter_map(|(_, b)| b["QueryString"].as_str().map(str::to_string))
            .collect()
    });
    assert_eq!(
        statements.len(),
        trailscope::athena::templates::TEMPLATES.len()
    );
    for sql in statements {
        assert!(sql.contains("\"timestamp\" BETWEEN '2026/11/01'"), "{sql}");
    }
}

#[test]
fn an_events_template_selects_what_the_files_do() {
    let fake = fake();
    let out = template(&fake, "key-activity", "jsonl");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let athena = by_id(&text(&out.stdout));
    let files = file_records(&format!("key:={KEY} before:2026-11-22"));
    assert!(!files.is_empty());
    assert_eq!(
        athena.keys().collect::<Vec<_>>(),
        files.keys().collect::<Vec<_>>()
    );

    let out = template(&fake, "roles-assumed", "jsonl");
    let athena = by_id(&text(&out.stdout));
    let files = file_records(&format!(
        "key:={KEY} (event:AssumeRole | event:AssumeRoleWithSAML | event:AssumeRoleWithWebIdentity | event:GetSessionToken | event:GetFederationToken) before:2026-11-22"
    ));
    assert!(!files.is_empty());
    assert_eq!(
        athena.keys().collect::<Vec<_>>(),
        files.keys().collect::<Vec<_>>()
    );
}

#[test]
fn key_chain_is_the_chains_activity_and_what_minted_its_keys() {
    let fake = fake();
    let out = template(&fake, "key-chain", "jsonl");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let athena = by_id(&text(&out.stdout));
    // Everything the lineage shows on the files (the chain's own events)…
    let lineage = file_records(&format!("lineage:{KEY} before:2026-11-22"));
    assert!(lineage.len() > 100, "{}", lineage.len());
    for id in lineage.keys() {
        assert!(
            athena.contains_key(id),
            "{id}: in the lineage, not returned"
        );
    }
    // …and besides, only the events that minted one of the chain's keys.
    let mut minting = 0;
    for (id, e) in athena.iter().filter(|(id, _)| !lineage.contains_key(*id)) {
        let minted = [
            e.pointer("/responseElements/accessKey/accessKeyId"),
            e.pointer("/responseElements/credentials/accessKeyId"),
        ];
        assert!(
            minted.iter().any(|v| v
                .and_then(Value::as_str)
                .is_some_and(|k| CHAIN.contains(&k))),
            "{id} is neither the chain's nor minting one of its keys"
        );
        minting += 1;
    }
    assert!(minting <= CHAIN.len(), "{minting} minting events");

    // From the minted session key alone: the AssumeRole that minted it (done with the leaked
    // key, so not the session's own activity) comes back through the minting clause.
    let out = query(
        &fake,
        &[
            &["--athena", "trailscope.cloudtrail", "-o", "jsonl"][..],
            &[
                "--template",
                "key-chain",
                "--param",
                "chain=ASIAXATTACKSESSION01",
            ],
            &WINDOW,
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let minted_by = by_id(&text(&out.stdout))
        .into_values()
        .filter(|e| {
            e.pointer("/responseElements/credentials/accessKeyId")
                .and_then(Value::as_str)
                == Some("ASIAXATTACKSESSION01")
        })
        .map(|e| {
            e["userIdentity"]["accessKeyId"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect::<Vec<_>>();
    // (The role's account records the same AssumeRole too, from the caller's account.)
    assert!(
        minted_by.iter().any(|k| k == KEY),
        "the AssumeRole that minted the session: {minted_by:?}"
    );
}

#[test]
fn an_aggregate_template_prints_its_table_with_the_files_counts() {
    let fake = fake();
    let out = template(&fake, "ip-across-accounts", "jsonl");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows: Vec<Value> = text(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(!rows.is_empty());
    let total: u64 = rows
        .iter()
        .map(|r| match &r["events"] {
            Value::Number(n) => n.as_u64().unwrap_or(0),
            Value::String(s) => s.parse().unwrap_or(0),
            _ => 0,
        })
        .sum();
    let files = file_records(&format!("ip:={IP} before:2026-11-22"));
    assert_eq!(total as usize, files.len(), "{rows:?}");
}
