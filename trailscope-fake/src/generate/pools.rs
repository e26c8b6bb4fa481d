//! The made-up organisation the generated events come from: accounts, regions, IAM users and
//! roles (with their IDs and access keys), and client IPs. Built once from the seed, so the
//! same seed always names the same people; shared read-only by the writer threads.

use super::rng::{Purpose, Rng};
use std::collections::HashSet;

const ACCOUNTS: usize = 20;
const REGIONS: usize = 8;
/// Principals live in one account each (as real ones do), so an ARN, its account and its keys
/// always agree: 20 × (8 + 10) = 360 principals.
const USERS_PER_ACCOUNT: usize = 8;
const ROLES_PER_ACCOUNT: usize = 10;
/// 360 principals × 8 (+ root's) ≈ 3,000 access keys.
const KEYS_PER_PRINCIPAL: usize = 8;
const IPS: usize = 4_000;

/// AWS IDs (AIDA…, AROA…, AKIA…) use the base-32 alphabet.
pub(crate) const ID_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const ALL_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "sa-east-1",
    "me-central-1",
];

pub(crate) const FIRST: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yusuf", "zoe",
    "amir", "beatriz", "chen", "dmitri", "esther", "farah", "gustavo", "hana", "igor", "jun",
    "kofi", "lena", "marta", "noor", "oscar", "priya", "quinn", "rosa", "sanjay", "tomas", "uma",
    "vera", "wei", "ximena", "yara", "zeke",
];
pub(crate) const LAST: &[&str] = &[
    "adams", "baker", "costa", "diaz", "evans", "fischer", "garcia", "haddad", "ito", "jensen",
    "kim", "lopez", "moreau", "nowak", "okafor", "patel", "rossi", "silva", "tanaka", "weber",
];
pub(crate) const TEAMS: &[&str] = &[
    "payments", "billing", "search", "checkout", "identity", "ledger", "reports", "media",
    "catalog", "orders", "fraud", "notify", "platform", "data", "ml", "edge",
];
const ROLE_KINDS: &[&str] = &[
    "api",
    "worker",
    "lambda-exec",
    "ecs-task",
    "deploy",
    "readonly",
    "etl",
    "batch",
    "cron",
    "admin",
];
/// Roles most real accounts have, mixed in with the team roles.
const COMMON_ROLES: &[&str] = &[
    "OrganizationAccountAccessRole",
    "GitHubActionsDeploy",
    "GitHubActionsTerraform",
    "AWSReservedSSO_AdministratorAccess_5f2a8c1e9d3b7a64",
    "AWSReservedSSO_ReadOnlyAccess_0c7e19b4a2d85f36",
    "SecurityAudit",
    "BreakGlass",
];

#[derive(Debug)]
pub(crate) struct Principal {
    /// User name or role name (the last part of the ARN).
    pub(crate) name: String,
    /// AIDA… for users, AROA… for roles.
    pub(crate) id: String,
    /// 16-character key bodies; the event decides AKIA (long-term) or ASIA (session).
    pub(crate) keys: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Account {
    pub(crate) id: String,
    pub(crate) users: Vec<Principal>,
    pub(crate) roles: Vec<Principal>,
    /// Root has no name or ID of its own, only keys.
    pub(crate) root_keys: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Pools {
    pub(crate) accounts: Vec<Account>,
    pub(crate) regions: Vec<&'static str>,
    pub(crate) ips: Vec<String>,
}

impl Pools {
    pub(crate) fn new(seed: u64) -> Self {
        let mut rng = Rng::stream(seed, Purpose::Pools, 0);
        let mut account_ids = HashSet::new();
        let mut accounts = Vec::with_capacity(ACCOUNTS);
        while accounts.len() < ACCOUNTS {
            // 12 digits, no leading zero (some tools drop it, which would muddle benchmarks).
            let id = (100_000_000_000 + rng.below(900_000_000_000)).to_string();
            if account_ids.insert(id.clone()) {
                accounts.push(account(&mut rng, id));
            }
        }
        // A seed-chosen subset of the real regions (partial Fisher–Yates).
        let mut all = ALL_REGIONS.to_vec();
        for i in 0..REGIONS {
            let j = i + rng.index(all.len() - i);
            all.swap(i, j);
        }
        all.truncate(REGIONS);
        let mut seen = HashSet::new();
        let mut ips = Vec::with_capacity(IPS);
        while ips.len() < IPS {
            let ip = ip(&mut rng);
            if seen.insert(ip.clone()) {
                ips.push(ip);
            }
        }
        Pools {
            accounts,
            regions: all,
            ips,
        }
    }
}

fn account(rng: &mut Rng, id: String) -> Account {
    let users = distinct(rng, USERS_PER_ACCOUNT, |rng| {
        format!("{}.{}", rng.pick(FIRST), rng.pick(LAST))
    })
    .into_iter()
    .map(|name| principal(rng, name, "AIDA"))
    .collect();
    let roles = distinct(rng, ROLES_PER_ACCOUNT, |rng| {
        // About one role in five is a well-known one, the rest belong to teams.
        if rng.below(5) == 0 {
            (*rng.pick(COMMON_ROLES)).to_string()
        } else {
            format!("{}-{}", rng.pick(TEAMS), rng.pick(ROLE_KINDS))
        }
    })
    .into_iter()
    .map(|name| principal(rng, name, "AROA"))
    .collect();
    let root_keys = keys(rng);
    Account {
        id,
        users,
        roles,
        root_keys,
    }
}

/// `n` different names from `make` (the name spaces are far larger than `n`).
fn distinct(rng: &mut Rng, n: usize, mut make: impl FnMut(&mut Rng) -> String) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(n);
    while names.len() < n {
        let name = make(rng);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

fn principal(rng: &mut Rng, name: String, id_prefix: &str) -> Principal {
    let mut id = String::with_capacity(21);
    id.push_str(id_prefix);
    rng.push_chars(&mut id, ID_CHARS, 17);
    Principal {
        name,
        id,
        keys: keys(rng),
    }
}

fn keys(rng: &mut Rng) -> Vec<String> {
    (0..KEYS_PER_PRINCIPAL)
        .map(|_| rng.chars(ID_CHARS, 16))
        .collect()
}

/// Mostly public addresses from ranges busy on the internet, some VPC-internal ones (10/8),
/// as a real trail shows both.
fn ip(rng: &mut Rng) -> String {
    const PUBLIC_FIRST: &[u8] = &[
        3, 13, 18, 20, 23, 31, 34, 35, 44, 46, 52, 54, 62, 64, 66, 73, 77, 81, 85, 91, 98, 104,
        108, 141, 151, 176, 185, 188, 195, 203, 212, 217,
    ];
    let first = if rng.below(10) == 0 {
        10
    } else {
        *rng.pick(PUBLIC_FIRST)
    };
    format!(
        "{first}.{}.{}.{}",
        rng.below(256),
        rng.below(256),
        1 + rng.below(254)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_are_seeded_and_sized() {
        let a = Pools::new(1);
        let b = Pools::new(1);
        let c = Pools::new(2);
        assert_eq!(a.accounts.len(), ACCOUNTS);
        assert_eq!(a.regions.len(), REGIONS);
        assert_eq!(a.ips.len(), IPS);
        assert_eq!(a.ips, b.ips);
        assert_ne!(a.ips, c.ips);
        let acct = &a.accounts[0];
        assert_eq!(acct.id.len(), 12);
        assert!(acct
            .users
            .iter()
            .all(|u| u.id.starts_with("AIDA") && u.id.len() == 21));
        assert!(acct
            .roles
            .iter()
            .all(|r| r.id.starts_with("AROA") && r.keys[0].len() == 16));
    }
}
