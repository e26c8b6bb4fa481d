//! `incident.json`: the answers a test needs, read back from the records the incident wrote
//! (never from the plan), so the manifest cannot disagree with the files.
//!
//! ```text
//! format                  1
//! seed                    the --seed
//! leaked_key              AKIA…: the victim's long-term key the attacker uses
//! victim                  {account, user_name, arn, principal_id, ips, user_agent}: its own use
//! attacker_ips            every source IP of the attack (the backdoor's last)
//! attacker_user_agents    every user agent of the attack
//! account_a, account_b    the victim's account; the role's (where the damage is done)
//! role_arn                the role assumed in account B
//! session_name, session_arn
//! session_key             ASIA…: the key AssumeRole minted
//! backdoor_user, backdoor_user_arn, backdoor_key (AKIA…), backdoor_policy_arn
//! trail_name, trail_arn   the trail stopped and/or deleted; trail_actions: which
//! bucket, bucket_region   the payroll bucket; stolen_objects, deleted_objects: its keys
//! start, end              the attack's first and last eventTime
//! assume_role_event_ids   {caller_account, role_account}: the two copies of the AssumeRole
//! write_event_ids         the attacker's writes (readOnly false): CreateUser, CreateAccessKey,
//!                         AttachUserPolicy (persistence to undo), StopLogging/DeleteTrail,
//!                         DeleteObject (data destroyed)
//! destructive_event_ids   the damage among them: the trail stopped or deleted and the objects
//!                         deleted (what trailscope's `destructive` preset selects: Delete*,
//!                         Stop*…; creating a user or a key is persistence, not destruction)
//! chain_event_ids         every event done with the leaked key, the session key or the
//!                         backdoor key, the victim's own use included; the events that
//!                         minted the other two (the caller copy of the AssumeRole,
//!                         CreateAccessKey) are among them. The role account's copy of the
//!                         AssumeRole has no key and is not: it is what trailscope's lineage
//!                         from the leaked key selects.
//! attack_event_ids        every event of the attack (both AssumeRole copies, no victim use)
//! victim_event_ids        the victim's own use of the key
//! attack_event_names      {eventName: count} over attack_event_ids
//! events                  {attack, victim, noise}: how many records of each the incident added
//! ```
//!
//! Event IDs are in time order (ties in writing order).

use super::{Part, Planted, Step};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

fn text<'a>(record: &'a Value, pointer: &str) -> &'a str {
    record
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// The record of a step (the first, when a step has several).
fn find<'a>(planted: &[&'a Planted], step: Step) -> Result<&'a Value, String> {
    planted
        .iter()
        .find(|p| p.part == Part::Attack(step))
        .map(|p| &p.record)
        .ok_or_else(|| format!("the incident wrote no {step:?} record"))
}

/// Non-empty values, once each, in order of first appearance.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !v.is_empty() && !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    }
    out
}

fn ids<'a>(records: impl Iterator<Item = &'a &'a Planted>) -> Vec<String> {
    records
        .map(|p| text(&p.record, "/eventID").to_string())
        .collect()
}

/// The manifest of the records the incident wrote.
pub(super) fn build(seed: u64, planted: &[Planted]) -> Result<Value, String> {
    let mut all: Vec<&Planted> = planted.iter().collect();
    all.sort_by_key(|p| p.secs);
    let attack: Vec<&Planted> = all
        .iter()
        .copied()
        .filter(|p| matches!(p.part, Part::Attack(_)))
        .collect();
    let victim: Vec<&Planted> = all
        .iter()
        .copied()
        .filter(|p| p.part == Part::Baseline)
        .collect();

    let first = find(&attack, Step::FirstUse)?;
    let leaked_key = text(first, "/userIdentity/accessKeyId");
    let assume = find(&attack, Step::AssumeRole)?;
    let assume_copy = find(&attack, Step::AssumeRoleCopy)?;
    let session_key = text(assume, "/responseElements/credentials/accessKeyId");
    let create_user = find(&attack, Step::CreateUser)?;
    let create_key = find(&attack, Step::CreateAccessKey)?;
    let attach = find(&attack, Step::AttachUserPolicy)?;
    let backdoor_key = text(create_key, "/responseElements/accessKey/accessKeyId");
    let trail_calls: Vec<&Value> = [Step::StopLogging, Step::DeleteTrail]
        .into_iter()
        .filter_map(|s| find(&attack, s).ok())
        .collect();
    let trail_arn = trail_calls
        .first()
        .map(|r| text(r, "/requestParameters/name"))
        .ok_or("the incident wrote no StopLogging or DeleteTrail")?;
    let stolen: Vec<&Planted> = attack
        .iter()
        .copied()
        .filter(|p| p.part == Part::Attack(Step::Exfiltrate))
        .collect();
    let deleted: Vec<&Planted> = attack
        .iter()
        .copied()
        .filter(|p| p.part == Part::Attack(Step::Delete))
        .collect();
    let bucket = stolen
        .first()
        .map(|p| text(&p.record, "/requestParameters/bucketName"))
        .ok_or("the incident wrote no GetObject")?;

    let keys = [leaked_key, session_key, backdoor_key];
    let chain: Vec<&Planted> = all
        .iter()
        .copied()
        .filter(|p| keys.contains(&text(&p.record, "/userIdentity/accessKeyId")))
        .collect();
    // The minting events are done with a key of the chain: a check, not a choice.
    for minted in [assume, create_key] {
        let id = text(minted, "/eventID");
        if !chain.iter().any(|p| text(&p.record, "/eventID") == id) {
            return Err(format!("minting event {id} is outside the chain"));
        }
    }
    let writes: Vec<&Planted> = attack
        .iter()
        .copied()
        .filter(|p| p.record.get("readOnly") == Some(&Value::Bool(false)))
        .collect();
    let destructive: Vec<&Planted> = writes
        .iter()
        .copied()
        .filter(|p| {
            let name = text(&p.record, "/eventName");
            name.starts_with("Delete") || name.starts_with("Stop")
        })
        .collect();
    let mut names: BTreeMap<&str, u64> = BTreeMap::new();
    for p in &attack {
        *names.entry(text(&p.record, "/eventName")).or_default() += 1;
    }
    let noise = all.iter().filter(|p| p.part == Part::Noise).count();

    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("format", json!(1));
    put("seed", json!(seed));
    put("leaked_key", json!(leaked_key));
    put(
        "victim",
        json!({
            "account": text(first, "/userIdentity/accountId"),
            "user_name": text(first, "/userIdentity/userName"),
            "arn": text(first, "/userIdentity/arn"),
            "principal_id": text(first, "/userIdentity/principalId"),
            "ips": distinct(victim.iter().map(|p| text(&p.record, "/sourceIPAddress"))),
            "user_agents": distinct(victim.iter().map(|p| text(&p.record, "/userAgent"))),
        }),
    );
    put(
        "attacker_ips",
        json!(distinct(
            attack.iter().map(|p| text(&p.record, "/sourceIPAddress"))
        )),
    );
    put(
        "attacker_user_agents",
        json!(distinct(
            attack.iter().map(|p| text(&p.record, "/userAgent"))
        )),
    );
    put("account_a", json!(text(assume, "/recipientAccountId")));
    put("account_b", json!(text(assume_copy, "/recipientAccountId")));
    put(
        "role_arn",
        json!(text(assume, "/requestParameters/roleArn")),
    );
    put(
        "session_name",
        json!(text(assume, "/requestParameters/roleSessionName")),
    );
    put(
        "session_arn",
        json!(text(assume, "/responseElements/assumedRoleUser/arn")),
    );
    put("session_key", json!(session_key));
    put(
        "backdoor_user",
        json!(text(create_user, "/responseElements/user/userName")),
    );
    put(
        "backdoor_user_arn",
        json!(text(create_user, "/responseElements/user/arn")),
    );
    put("backdoor_key", json!(backdoor_key));
    put(
        "backdoor_policy_arn",
        json!(text(attach, "/requestParameters/policyArn")),
    );
    put(
        "trail_name",
        json!(trail_arn.rsplit('/').next().unwrap_or(trail_arn)),
    );
    put("trail_arn", json!(trail_arn));
    put(
        "trail_actions",
        json!(trail_calls
            .iter()
            .map(|r| text(r, "/eventName"))
            .collect::<Vec<_>>()),
    );
    put("bucket", json!(bucket));
    put(
        "bucket_region",
        json!(stolen.first().map_or("", |p| text(&p.record, "/awsRegion"))),
    );
    put(
        "stolen_objects",
        json!(stolen
            .iter()
            .map(|p| text(&p.record, "/requestParameters/key"))
            .collect::<Vec<_>>()),
    );
    put(
        "deleted_objects",
        json!(deleted
            .iter()
            .map(|p| text(&p.record, "/requestParameters/key"))
            .collect::<Vec<_>>()),
    );
    put(
        "start",
        json!(attack.first().map_or("", |p| text(&p.record, "/eventTime"))),
    );
    put(
        "end",
        json!(attack.last().map_or("", |p| text(&p.record, "/eventTime"))),
    );
    put(
        "assume_role_event_ids",
        json!({
            "caller_account": text(assume, "/eventID"),
            "role_account": text(assume_copy, "/eventID"),
        }),
    );
    put("write_event_ids", json!(ids(writes.iter())));
    put("destructive_event_ids", json!(ids(destructive.iter())));
    put("chain_event_ids", json!(ids(chain.iter())));
    put("attack_event_ids", json!(ids(attack.iter())));
    put("victim_event_ids", json!(ids(victim.iter())));
    put("attack_event_names", json!(names));
    put(
        "events",
        json!({"attack": attack.len(), "victim": victim.len(), "noise": noise}),
    );
    Ok(Value::Object(m))
}
