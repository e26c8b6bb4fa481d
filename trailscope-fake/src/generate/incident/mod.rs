//! `generate --incident`: a complete, consistent attack hidden in the generated noise, different
//! for every seed (other accounts, names, keys, addresses, times), so a test can walk an
//! incident it has never seen. Written into the same delivery files as the noise (see
//! `place`), with `OUT/incident.json` (see `manifest`) holding the answers. Everything is
//! drawn from its own stream of the seed (`Purpose::Incident`) and the pools' accounts and
//! principals; the ordinary files of a seed are drawn as without `--incident`, except the few
//! that take incident records.
//!
//! What it contains, in account A (the victim's) and B (another account of the pools):
//!
//! 0. The victim: a machine IAM user in A (`ci-deploy`, `gitlab-runner`, `payments-deploy`…)
//!    whose long-term key AKIA… runs CI jobs (GetCallerIdentity, S3 PutObject of build
//!    artifacts) from one or two usual addresses with its usual AWS CLI, before the leak and
//!    once or twice after the attack.
//! 1. First use of the leaked key from a new address in 198.51.100.0/24 or 203.0.113.0/24,
//!    with another CLI on another OS: GetCallerIdentity.
//! 2. Recon: ListBuckets, ListUsers, ListRoles (each refused or not, by the seed),
//!    DescribeInstances in one to three regions (all refused or all allowed).
//! 3. AssumeRole of a role in B (the organisation's access role, a deploy or admin role when B
//!    has one), recorded twice as CloudTrail does: in A (caller IAMUser, with the key) and in
//!    B (caller `AWSAccount`, no key), same time, requestID and sharedEventID, own eventIDs.
//!    The response carries the new ASIA… key and the assumed-role ARN.
//! 4. In B with the ASIA key (AssumedRole, sessionIssuer the role): GetCallerIdentity,
//!    ListUsers, DescribeTrails; CreateUser (a backdoor named like a service account),
//!    CreateAccessKey for it (a new AKIA…), AttachUserPolicy AdministratorAccess; the backdoor
//!    key tried once (ListBuckets) from the attacker's other address; StopLogging and/or
//!    DeleteTrail of B's trail; then S3 data events on B's payroll bucket: ListObjects,
//!    GetObject of 6 to 12 payroll exports (bytesTransferredOut), DeleteObject of each. All
//!    within the session's hour.
//!
//! The files stand for what an organisation trail delivers: account B's own trail is the one
//! the attacker stops or deletes, so B's events keep arriving afterwards (its S3 data events
//! as well as the ordinary management events), as they would from a trail a member account
//! cannot touch.
//!
//! And background with the same event names (`noise`): the payroll bucket's nightly ETL role
//! reading and deleting objects in the same bucket (with its Lambda AssumeRole), cleanup jobs
//! and a person deleting objects in other buckets, a pipeline in A assuming the same role in B
//! and others (both copies), console admins creating users with keys and policies
//! (AdministratorAccess in B), and an admin stopping, restarting and deleting other trails.

mod attack;
mod manifest;
mod noise;
mod plan;
mod records;

use super::clock::Window;
use super::pools::Pools;
use super::rng::{Purpose, Rng};
use serde_json::Value;

/// One record the incident adds, with where it must be filed.
#[derive(Debug)]
pub(crate) struct Planted {
    /// eventTime, in seconds.
    pub(crate) secs: i64,
    /// The recipient account, as an index into the pools' accounts.
    pub(crate) account: usize,
    pub(crate) region: &'static str,
    pub(crate) record: Value,
    pub(crate) part: Part,
}

/// Whose event a planted record is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// The victim's own use of the key that leaks.
    Baseline,
    Attack(Step),
    /// Ordinary events with the attack's names.
    Noise,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    FirstUse,
    Recon,
    /// The caller account's copy (with the leaked key).
    AssumeRole,
    /// The role account's copy.
    AssumeRoleCopy,
    SessionRecon,
    CreateUser,
    CreateAccessKey,
    AttachUserPolicy,
    BackdoorUse,
    StopLogging,
    DeleteTrail,
    ListObjects,
    Exfiltrate,
    Delete,
}

pub(crate) struct Incident {
    /// Every record, in time order.
    pub(crate) planted: Vec<Planted>,
    /// `incident.json`.
    pub(crate) manifest: Value,
}

impl Incident {
    /// How many of the records are the attacker's.
    pub(crate) fn attack_events(&self) -> usize {
        self.planted
            .iter()
            .filter(|p| matches!(p.part, Part::Attack(_)))
            .count()
    }
}

/// Seconds in `lo..=hi`.
fn pause(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    lo + rng.below((hi - lo + 1) as u64) as i64
}

/// A time in `lo..hi` (`lo` when the range is empty).
fn between(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    lo + rng.below((hi - lo).max(1) as u64) as i64
}

/// Adds the record of `call`, received by pool account `account`.
fn plant(out: &mut Vec<Planted>, call: records::Call, account: usize, part: Part, rng: &mut Rng) {
    let (secs, region) = (call.secs, call.region);
    out.push(Planted {
        secs,
        account,
        region,
        record: call.record(rng),
        part,
    });
}

/// The incident of `seed` inside `window`, with accounts and principals from `pools`.
pub(crate) fn build(seed: u64, window: Window, pools: &Pools) -> Result<Incident, String> {
    let mut rng = Rng::stream(seed, Purpose::Incident, 0);
    let cast = plan::Cast::draw(&mut rng, pools, window);
    let mut planted = Vec::new();
    let end = attack::attack(&cast, &mut rng, &mut planted);
    attack::baseline(&cast, window, end, &mut rng, &mut planted);
    noise::noise(&cast, pools, window, &mut rng, &mut planted);
    planted.retain(|p| (window.start..window.end).contains(&p.secs));
    planted.sort_by_key(|p| p.secs);
    let manifest = manifest::build(seed, &planted)?;
    Ok(Incident { planted, manifest })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
        v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
    }

    #[test]
    fn the_story_holds_together() {
        for seed in 1..=20 {
            for days in [1, 7, 90] {
                let window = Window::new("2024-06-30", days).unwrap();
                let pools = Pools::new(seed);
                let inc = build(seed, window, &pools).unwrap();
                let m = &inc.manifest;
                let key = text(m, "/leaked_key");
                let session = text(m, "/session_key");
                let backdoor = text(m, "/backdoor_key");
                assert!(key.starts_with("AKIA") && key.len() == 20, "{key}");
                assert!(session.starts_with("ASIA") && session.len() == 20);
                assert!(backdoor.starts_with("AKIA") && backdoor.len() == 20);
                assert_ne!(text(m, "/account_a"), text(m, "/account_b"));
                let attacker_ips = m["attacker_ips"].as_array().unwrap();
                assert_eq!(attacker_ips.len(), 2, "{attacker_ips:?}");
                let victim_ips = m["victim"]["ips"].as_array().unwrap();
                assert!(victim_ips.iter().all(|ip| !attacker_ips.contains(ip)));
                // No ordinary event uses the attacker's addresses or keys.
                for p in &inc.planted {
                    let ip = &p.record["sourceIPAddress"];
                    let used = text(&p.record, "/userIdentity/accessKeyId");
                    if p.part == Part::Noise {
                        assert!(!attacker_ips.contains(ip), "{}", p.record);
                        assert!(![key, session, backdoor].contains(&used));
                    }
                    assert!((window.start..window.end).contains(&p.secs));
                    assert_eq!(
                        text(&p.record, "/recipientAccountId"),
                        pools.accounts[p.account].id
                    );
                    assert_eq!(text(&p.record, "/awsRegion"), p.region);
                }
                // The session key is used within its hour, after it was minted.
                let assumed = inc
                    .planted
                    .iter()
                    .find(|p| p.part == Part::Attack(Step::AssumeRole))
                    .unwrap()
                    .secs;
                for p in &inc.planted {
                    if text(&p.record, "/userIdentity/accessKeyId") == session {
                        assert!(p.secs > assumed && p.secs < assumed + 3600);
                    }
                }
                let n = inc.planted.len();
                assert_eq!(
                    m["events"]["attack"].as_u64().unwrap() as usize
                        + m["events"]["victim"].as_u64().unwrap() as usize
                        + m["events"]["noise"].as_u64().unwrap() as usize,
                    n
                );
            }
        }
    }

    #[test]
    fn seeds_make_different_attackers() {
        let window = Window::new("2024-06-30", 7).unwrap();
        let m = |seed| build(seed, window, &Pools::new(seed)).unwrap().manifest;
        let (a, b) = (m(1), m(2));
        for field in [
            "leaked_key",
            "session_key",
            "backdoor_key",
            "start",
            "bucket",
        ] {
            assert_ne!(a[field], b[field], "{field}");
        }
        assert_eq!(m(1), a, "same seed, same incident");
    }
}
