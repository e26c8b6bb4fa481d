//! trailscope's own rules: what no single event shows. A principal's credentials used from an
//! IP or with a tool it had not used (the profile's first-seen logic), bursts (a key listing
//! and describing everything in minutes; a storm of AccessDenied), and sequences (a role
//! assumed into another account then writing IAM; a user created, given a key and a policy;
//! logging turned off after activity from a new IP). They run over the whole store in time
//! order, so they see events from every source and every lane alike.

use super::attack::Tactic;
use super::rule::{Origin, Rule, Severity};
use crate::model::columns::Col;
use crate::model::intern::Sym;
use crate::model::principal::PrincipalKind;
use crate::model::store::{EventIdx, IndexedField, Store};
use crate::profile::Agent;
use foldhash::{HashMap, HashSet, HashSetExt};

mod bursts;
use bursts::bursts;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
/// A principal's first day of activity is what later activity is compared with.
const BASELINE: i64 = 24 * HOUR;
const BURST_WINDOW: i64 = 5 * MINUTE;
/// Distinct List/Describe/Get calls by one key in `BURST_WINDOW` that make a recon burst.
const RECON_DISTINCT: usize = 20;
/// Refused calls by one key in `BURST_WINDOW` that make a storm.
const DENIED_COUNT: usize = 10;
/// How soon after CreateUser the key and the policy must follow.
const CHAIN_WINDOW: i64 = HOUR;

/// The rules, in the order of `OwnRule`.
#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub(crate) enum OwnRule {
    NewIp,
    NewTool,
    ReconBurst,
    DeniedStorm,
    CrossAccountIam,
    UserBackdoorChain,
    LoggingOffAfterNewIp,
    SecretHarvest,
}

pub(crate) const ALL: [OwnRule; 8] = [
    OwnRule::NewIp,
    OwnRule::NewTool,
    OwnRule::ReconBurst,
    OwnRule::DeniedStorm,
    OwnRule::CrossAccountIam,
    OwnRule::UserBackdoorChain,
    OwnRule::LoggingOffAfterNewIp,
    OwnRule::SecretHarvest,
];

impl OwnRule {
    pub(crate) fn rule(self) -> Rule {
        let (id, title, severity, tactic, techniques, why): (&str, &str, Severity, Tactic, &[&str], &str) = match self {
            OwnRule::NewIp => (
                "ts_new_source_ip",
                "Credentials used from a new IP address",
                Severity::Medium,
                Tactic::InitialAccess,
                &["T1078.004"],
                "after its first day, this principal called AWS from an address it had never used: stolen keys are used from the thief's machine",
            ),
            OwnRule::NewTool => (
                "ts_new_tool",
                "Credentials used with a new tool",
                Severity::Low,
                Tactic::InitialAccess,
                &["T1078.004"],
                "after its first day, this principal called AWS with a client it had never used (a CLI where it only ever used an SDK, say)",
            ),
            OwnRule::ReconBurst => (
                "ts_recon_burst",
                "Discovery burst: many List/Describe/Get calls in minutes",
                Severity::Medium,
                Tactic::Discovery,
                &["T1580", "T1526"],
                "one key asked for 20 or more different List/Describe/Get calls within 5 minutes: how an intruder maps an account with new credentials",
            ),
            OwnRule::DeniedStorm => (
                "ts_access_denied_storm",
                "AccessDenied storm",
                Severity::Medium,
                Tactic::Discovery,
                &["T1580"],
                "one key was refused 10 or more times within 5 minutes: someone probing what stolen credentials may do",
            ),
            OwnRule::CrossAccountIam => (
                "ts_cross_account_iam_write",
                "Role assumed into another account, then IAM changed there",
                Severity::High,
                Tactic::LateralMovement,
                &["T1550.001", "T1098"],
                "credentials moved into a second account and used to change IAM there: lateral movement followed by persistence",
            ),
            OwnRule::UserBackdoorChain => (
                "ts_user_backdoor_chain",
                "User created, given an access key and a policy",
                Severity::High,
                Tactic::Persistence,
                &["T1136.003", "T1098.001"],
                "one principal created a user, an access key for it and granted it permissions within an hour: a backdoor that outlives the stolen key",
            ),
            OwnRule::LoggingOffAfterNewIp => (
                "ts_logging_off_after_new_ip",
                "Logging changed after activity from a new IP",
                Severity::Critical,
                Tactic::DefenseEvasion,
                &["T1562.008"],
                "a principal that had just acted from a new address then stopped, deleted or narrowed a trail: an intruder covering tracks",
            ),
            OwnRule::SecretHarvest => (
                "ts_secret_harvest",
                "Many secrets read in minutes",
                Severity::Medium,
                Tactic::CredentialAccess,
                &["T1555.006"],
                "one key read 5 or more different secrets or parameters within 5 minutes: an application reads its own few, a harvester reads them all",
            ),
        };
        Rule {
            id: id.into(),
            title: title.into(),
            severity,
            tactics: vec![tactic],
            techniques: techniques.iter().map(|t| t.to_string()).collect(),
            origin: Origin::Trailscope,
            author: "trailscope".into(),
            reference: "docs/detections.md".into(),
            why: why.into(),
            noisy: false,
        }
    }
}

/// What the own rules read from raw records, kept between runs: an event's record does not
/// change once the store holds it, and the rules run again and again through a load. Reading
/// each AssumeRole's record on every run inflated a block of 64 records for each, and was a
/// fifth of the UI thread's time through a 1M load.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    /// How many of the store's AssumeRole events (in insertion order) have been read.
    assume_roles_read: usize,
    /// Those that went into another account's role and minted a key: the event and the key.
    cross_account: Vec<(EventIdx, Box<str>)>,
}

/// Every (rule, event) the own rules raise over the store as it is now. `memo` must have
/// seen only this store (the store only grows).
pub(crate) fn run(store: &Store, memo: &mut Memo) -> Vec<(OwnRule, EventIdx)> {
    let mut hits = Vec::new();
    let rank = store.time_rank();
    // Times read from the time order's copy, not from each event (208 bytes apart).
    let by_time = |rows: &[EventIdx]| {
        let mut v: Vec<EventIdx> = rows
            .iter()
            .copied()
            .filter(|&i| store.time_of(i).is_known())
            .collect();
        v.sort_unstable_by_key(|&i| rank[i as usize]);
        v
    };
    // Decided once per value and run, not once per event: parsing an address or classifying
    // a user agent for each of a principal's events, on every run, was most of these rules.
    let public = store.columns.value_set(Col::SourceIp, |s| {
        is_public_address(store.interner.resolve(s))
    });
    let mut tools = Tools::default();
    for (_, rows) in store.principals() {
        let rows = by_time(rows);
        let Some(&first) = rows.first() else { continue };
        let kind = store.event(first).principal_kind;
        // Services, and web-identity callers (CI runners on a new cloud address every run),
        // have no address of their own to keep.
        if matches!(
            kind,
            PrincipalKind::AwsService
                | PrincipalKind::Missing
                | PrincipalKind::WebIdentityUser
                | PrincipalKind::AwsAccount
        ) {
            continue;
        }
        let new_ips = first_uses(store, &rows, MAX_BASELINE_IPS, |i| {
            let public = store.columns.holds(Col::SourceIp, i, &public, |s| {
                is_public_address(store.interner.resolve(s))
            });
            public
                .then(|| store.columns.get(Col::SourceIp, i))
                .flatten()
                .map(Key::Sym)
        });
        let new_tools = first_uses(store, &rows, usize::MAX, |i| {
            tools.of(store, i).map(Key::Tool)
        });
        hits.extend(new_ips.iter().map(|&i| (OwnRule::NewIp, i)));
        hits.extend(new_tools.iter().map(|&i| (OwnRule::NewTool, i)));
        if let Some(&since) = new_ips.first() {
            logging_after(store, &rows, since, &mut hits);
        }
        backdoor_chain(store, &rows, &mut hits);
    }
    let mut sought = bursts::Sought::new(store);
    for &key in store.columns.distinct(Col::AccessKey) {
        let rows = by_time(store.lookup(IndexedField::AccessKey, store.interner.resolve(key)));
        bursts(store, &mut sought, &rows, &mut hits);
    }
    cross_account_iam(store, memo, &mut hits);
    hits.sort_unstable_by_key(|&(r, i)| (r as u8, i));
    hits.dedup();
    hits
}

/// A value to compare across a principal's events.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Sym(Sym),
    /// A tool family, by its number in `Tools`.
    Tool(u32),
}

/// The tool family of each user agent (`tool`), numbered: decided once per agent and run.
#[derive(Default)]
struct Tools {
    /// By user agent: the family's number, none for AWS services.
    by_agent: HashMap<Option<Sym>, Option<u32>>,
    numbers: HashMap<String, u32>,
}

impl Tools {
    /// The family of event `i`'s user agent. The first event seen with an agent decides it
    /// (its address tells a service's calls apart).
    fn of(&mut self, store: &Store, i: EventIdx) -> Option<u32> {
        let ua = store.columns.get(Col::UserAgent, i);
        let numbers = &mut self.numbers;
        *self.by_agent.entry(ua).or_insert_with(|| {
            let ip = store.columns.get(Col::SourceIp, i);
            let family = tool(store, ua, ip)?;
            let next = numbers.len() as u32;
            Some(*numbers.entry(family).or_insert(next))
        })
    }
}

/// A public address: not a service name (`ec2.amazonaws.com`, `AWS Internal`), and not a
/// private one (calls through a VPC endpoint or from inside a VPC, where instances move
/// between addresses of a subnet all day).
fn is_public_address(text: &str) -> bool {
    match text.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(a)) => {
            !(a.is_private()
                || a.is_loopback()
                || a.is_link_local()
                || (a.octets()[0] == 100 && (a.octets()[1] & 0xc0) == 64))
        }
        Ok(std::net::IpAddr::V6(a)) => {
            let first = a.segments()[0];
            // fc00::/7 unique local, fe80::/10 link local
            !(a.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80)
        }
        Err(_) => false,
    }
}

/// The tool a call was made with, by family (`CLI`, `SDK Boto3`, `console`, `Terraform`);
/// none for AWS services acting for the caller.
fn tool(store: &Store, ua: Option<Sym>, ip: Option<Sym>) -> Option<String> {
    let agent = Agent::classify(store.text(ua), store.text(ip));
    match agent {
        Agent::AwsService => None,
        Agent::Cli(_) => Some("CLI".into()),
        Agent::Other => {
            // The product token of an unknown client (`python-requests/2.31` → python-requests).
            let ua = store.text(ua);
            let product: String = ua
                .split(['/', ' '])
                .next()
                .unwrap_or("")
                .chars()
                .take(40)
                .collect();
            (!product.is_empty()).then_some(product)
        }
        other => Some(other.label()),
    }
}

/// A principal that called from more public addresses than this in its first day has no
/// address of its own (a mobile workforce, a NAT pool, runners): a new one says nothing.
const MAX_BASELINE_IPS: usize = 8;
/// Nor does one that goes on to use more new values than this: it churns, and a thief's
/// address is one or two among few.
const MAX_NEW: usize = 3;
/// Successful calls the first day must hold for later values to be judged against it.
const MIN_BASELINE_CALLS: usize = 10;

/// The first event using each value that the principal's first day (successful calls only)
/// did not use. Nothing until the history is longer than that day, nor when that day already
/// used more than `max_baseline` values, nor when more than `MAX_NEW` values are new.
fn first_uses(
    store: &Store,
    rows: &[EventIdx],
    max_baseline: usize,
    mut value: impl FnMut(EventIdx) -> Option<Key>,
) -> Vec<EventIdx> {
    let (Some(&first), Some(&last)) = (rows.first(), rows.last()) else {
        return Vec::new();
    };
    let start = store.event(first).time.millis().unwrap_or(0);
    let end = start.saturating_add(BASELINE);
    if store.event(last).time.millis().unwrap_or(0) < end {
        return Vec::new();
    }
    let mut seen: HashSet<Key> = HashSet::new();
    let mut out = Vec::new();
    let mut baseline_calls = 0;
    for &i in rows {
        let e = store.event(i);
        let Some(v) = value(i) else { continue };
        if e.time.millis().unwrap_or(0) < end {
            if !e.is_error() {
                baseline_calls += 1;
                seen.insert(v);
                if seen.len() > max_baseline {
                    return Vec::new();
                }
            }
        } else if baseline_calls < MIN_BASELINE_CALLS {
            // Too little known of its first day to call anything new.
            return Vec::new();
        } else if seen.insert(v) {
            out.push(i);
            if out.len() > MAX_NEW {
                return Vec::new();
            }
        }
    }
    out
}

fn millis(store: &Store, i: EventIdx) -> i64 {
    store.event(i).time.millis().unwrap_or(0)
}

fn name_is(store: &Store, i: EventIdx, names: &[&str]) -> bool {
    let n = store.text(store.event(i).name);
    names.contains(&n)
}

const LOGGING_CHANGES: &[&str] = &[
    "StopLogging",
    "DeleteTrail",
    "PutEventSelectors",
    "UpdateTrail",
];

fn logging_after(
    store: &Store,
    rows: &[EventIdx],
    since: EventIdx,
    hits: &mut Vec<(OwnRule, EventIdx)>,
) {
    let t = millis(store, since);
    let changes: Vec<EventIdx> = rows
        .iter()
        .copied()
        .filter(|&i| {
            millis(store, i) >= t
                && name_is(store, i, LOGGING_CHANGES)
                && !store.event(i).is_error()
        })
        .collect();
    if !changes.is_empty() {
        hits.push((OwnRule::LoggingOffAfterNewIp, since));
        hits.extend(
            changes
                .into_iter()
                .map(|i| (OwnRule::LoggingOffAfterNewIp, i)),
        );
    }
}

fn backdoor_chain(store: &Store, rows: &[EventIdx], hits: &mut Vec<(OwnRule, EventIdx)>) {
    let ok = |i: EventIdx| !store.event(i).is_error();
    // The user a call acted on: the target is `user`, `user ← policy` or `user → group`.
    let user_of = |i: EventIdx| {
        let t = store.text(store.event(i).target);
        let user = t.split(" ← ").next().unwrap_or(t);
        user.split(" → ").next().unwrap_or(user).trim()
    };
    for &created in rows {
        if !name_is(store, created, &["CreateUser"]) || !ok(created) {
            continue;
        }
        let t0 = millis(store, created);
        let user = user_of(created);
        let same_user =
            |i: EventIdx| user.is_empty() || user_of(i).is_empty() || user_of(i) == user;
        // CloudTrail's times are to the second and a script makes all three calls in one:
        // whatever stands in the same second counts as after, whichever order it was logged in.
        let after: Vec<EventIdx> = rows
            .iter()
            .copied()
            .filter(|&i| i != created)
            .filter(|&i| (t0..=t0 + CHAIN_WINDOW).contains(&millis(store, i)))
            .filter(|&i| ok(i) && same_user(i))
            .collect();
        let keys: Vec<EventIdx> = after
            .iter()
            .copied()
            .filter(|&i| name_is(store, i, &["CreateAccessKey", "CreateLoginProfile"]))
            .collect();
        let grants: Vec<EventIdx> = after
            .iter()
            .copied()
            .filter(|&i| {
                name_is(
                    store,
                    i,
                    &["AttachUserPolicy", "PutUserPolicy", "AddUserToGroup"],
                )
            })
            .collect();
        if !keys.is_empty() && !grants.is_empty() {
            hits.push((OwnRule::UserBackdoorChain, created));
            hits.extend(
                keys.into_iter()
                    .chain(grants)
                    .map(|i| (OwnRule::UserBackdoorChain, i)),
            );
        }
    }
}

/// AssumeRole into a role of another account, then IAM writes with the credentials it minted.
fn cross_account_iam(store: &Store, memo: &mut Memo, hits: &mut Vec<(OwnRule, EventIdx)>) {
    let assume_roles = store.lookup(IndexedField::EventName, "AssumeRole");
    for &i in assume_roles.iter().skip(memo.assume_roles_read) {
        if let Some(minted) = cross_account_key(store, i) {
            memo.cross_account.push((i, minted));
        }
    }
    memo.assume_roles_read = assume_roles.len();
    for (i, minted) in &memo.cross_account {
        let t = store.event(*i).time;
        let writes: Vec<EventIdx> = store
            .lookup(IndexedField::AccessKey, minted)
            .iter()
            .copied()
            .filter(|&w| {
                let we = store.event(w);
                store.text(we.source) == "iam.amazonaws.com"
                    && we.read_only == Some(false)
                    && !we.is_error()
                    && we.time >= t
            })
            .collect();
        if !writes.is_empty() {
            hits.push((OwnRule::CrossAccountIam, *i));
            hits.extend(writes.into_iter().map(|w| (OwnRule::CrossAccountIam, w)));
        }
    }
}

/// The key a successful AssumeRole minted, when the role is in another account than the
/// caller's (read from the raw record: the role and the credentials are not hot fields).
fn cross_account_key(store: &Store, i: EventIdx) -> Option<Box<str>> {
    let e = store.event(i);
    let caller_account = store.text(e.identity.account_id);
    if e.is_error() || caller_account.is_empty() {
        return None;
    }
    // An STS call's target is its role (`requestParameters.roleArn`, see `model::target`):
    // a role in the caller's account, or none, needs no raw record. Only a target cut short
    // (`MAX_CHARS`) is not trusted for this. Reading every AssumeRole's record was an eighth
    // of the UI thread's time through a 1M load.
    let target = store.text(e.target);
    let target_account = target.split(':').nth(4).unwrap_or("");
    let cut = target.chars().count() >= crate::model::target::MAX_CHARS;
    let from_sts = store.text(e.source) == "sts.amazonaws.com";
    if from_sts && !cut && (target_account.is_empty() || target_account == caller_account) {
        return None;
    }
    let record = serde_json::from_str::<serde_json::Value>(&e.raw.text()).ok()?;
    let role_account = record["requestParameters"]["roleArn"]
        .as_str()
        .and_then(|arn| arn.split(':').nth(4))
        .unwrap_or("");
    let minted = record["responseElements"]["credentials"]["accessKeyId"]
        .as_str()
        .unwrap_or("");
    let crosses = !role_account.is_empty()
        && !caller_account.is_empty()
        && role_account != caller_account
        && !minted.is_empty();
    crosses.then(|| minted.into())
}

#[cfg(test)]
mod tests;
