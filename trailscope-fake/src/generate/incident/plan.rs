//! Who and when, drawn from the seed: the two accounts (from the pools), the victim user and
//! its leaked key, the attacker's addresses and tools, the role it assumes, the backdoor user,
//! the trail it silences, the bucket it empties, and the time it starts.

use super::super::clock::{Civil, Window};
use super::super::pools::{Pools, Principal, TEAMS};
use super::super::rng::Rng;
use super::records::{key, principal_id, Session};

const HOUR: i64 = 3600;

const COMPANIES: &[&str] = &[
    "acme",
    "globex",
    "initech",
    "umbrella",
    "hooli",
    "vandelay",
    "wonka",
    "stark",
    "tyrell",
    "cyberdyne",
    "soylent",
    "massive",
    "oscorp",
    "wayne",
    "pied-piper",
    "contoso",
];
/// Long-term keys that leak are mostly machine users'.
const SERVICE_USERS: &[&str] = &[
    "ci-deploy",
    "jenkins",
    "gitlab-runner",
    "terraform-ci",
    "build-agent",
    "release-bot",
    "backup-agent",
    "artifact-uploader",
    "deploy-bot",
    "circleci",
];
const SERVICE_SUFFIXES: &[&str] = &["ci", "deploy", "uploader", "sync", "release"];
const ARTIFACT_BUCKETS: &[&str] = &[
    "build-artifacts",
    "release-bundles",
    "ci-cache",
    "deploy-packages",
];
/// `{cmd}` becomes the CLI's `command/service.operation` part.
const VICTIM_AGENTS: &[&str] = &[
    "aws-cli/2.15.30 Python/3.11.8 Linux/5.10.213-201.855.amzn2.x86_64 exe/x86_64.amzn.2 prompt/off command/{cmd}",
    "aws-cli/2.17.20 Python/3.11.9 Linux/6.1.97-104.177.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off command/{cmd}",
    "aws-cli/2.13.25 Python/3.11.5 Linux/5.15.0-1051-aws exe/x86_64.ubuntu.22 prompt/off command/{cmd}",
];
const ATTACKER_AGENTS: &[&str] = &[
    "aws-cli/2.13.5 Python/3.11.4 Darwin/23.1.0 source/arm64 prompt/off command/{cmd}",
    "aws-cli/2.15.17 Python/3.11.6 Linux/6.5.0-kali3-amd64 exe/x86_64.kali.2023 prompt/off command/{cmd}",
    "aws-cli/2.11.2 Python/3.11.2 Windows/10 exe/AMD64 prompt/off command/{cmd}",
];
const BACKDOOR_AGENTS: &[&str] = &[
    "Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0 os/linux#6.5 md/arch#x86_64 lang/python#3.11.6 Botocore/1.34.10",
    "aws-sdk-go-v2/1.24.1 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64 api/s3#1.48.0",
    "aws-cli/1.29.2 Python/3.10.12 Linux/5.15.0-76-generic botocore/1.31.2",
];
/// Names a backdoor user hides behind.
const BACKDOOR_USERS: &[&str] = &[
    "backup-svc",
    "svc-monitoring",
    "aws-health-check",
    "support-automation",
    "cloudwatch-agent",
    "ops-automation",
    "s3-replication",
    "config-audit",
];
const SESSION_NAMES: &[&str] = &["deploy-sync", "ci-session", "admin", "maintenance", "ops"];
const TRAILS: &[&str] = &[
    "management-events",
    "org-trail",
    "security-audit-trail",
    "cloudtrail-main",
    "account-trail",
];
/// Two documentation ranges (RFC 5737), one per attacker address.
const ATTACKER_NETS: [&str; 2] = ["198.51.100", "203.0.113"];
pub(super) const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

pub(super) struct Cast {
    /// Pool account indices of account A (the leak) and B (the role, backdoor, trail, bucket).
    pub(super) a: usize,
    pub(super) b: usize,
    pub(super) a_id: String,
    pub(super) b_id: String,
    pub(super) company: &'static str,
    pub(super) victim: Victim,
    pub(super) attacker: Attacker,
    /// The attacker's session in B: role, session name and the ASIA key AssumeRole mints.
    pub(super) session: Session,
    pub(super) backdoor: Backdoor,
    pub(super) trail: Trail,
    pub(super) bucket: Bucket,
    /// The attacker's first call with the leaked key.
    pub(super) start: i64,
}

pub(super) struct Victim {
    pub(super) name: String,
    pub(super) id: String,
    /// The long-term key that leaks (fresh: no ordinary event uses it).
    pub(super) key: String,
    pub(super) ips: Vec<String>,
    pub(super) agent: &'static str,
    pub(super) region: &'static str,
    pub(super) bucket: String,
}

pub(super) struct Attacker {
    pub(super) ip: String,
    pub(super) backdoor_ip: String,
    pub(super) agent: &'static str,
    pub(super) backdoor_agent: &'static str,
}

pub(super) struct Backdoor {
    pub(super) name: String,
    pub(super) id: String,
    pub(super) key: String,
}

pub(super) struct Trail {
    pub(super) name: String,
    pub(super) region: &'static str,
    pub(super) stop: bool,
    pub(super) delete: bool,
}

impl Trail {
    pub(super) fn arn(&self, account: &str) -> String {
        format!(
            "arn:aws:cloudtrail:{}:{account}:trail/{}",
            self.region, self.name
        )
    }
}

pub(super) struct Bucket {
    pub(super) name: String,
    pub(super) region: &'static str,
    /// The payroll exports the attacker copies and then deletes, newest first.
    pub(super) exports: Vec<String>,
}

/// One of `items` (never empty), as `Rng::pick` but by value.
pub(super) fn one_of(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.index(items.len())]
}

/// Fills `{cmd}` in a CLI user agent (agents without it are returned as they are).
pub(super) fn agent(template: &str, cmd: &str) -> String {
    template.replace("{cmd}", cmd)
}

/// `YYYY-MM-DD` of a time.
pub(super) fn day_text(secs: i64) -> String {
    let c = Civil::from_secs(secs);
    format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
}

impl Cast {
    pub(super) fn draw(rng: &mut Rng, pools: &Pools, window: Window) -> Cast {
        let a = rng.index(pools.accounts.len());
        let b = (a + 1 + rng.index(pools.accounts.len() - 1)) % pools.accounts.len();
        let a_id = pools.accounts[a].id.clone();
        let b_id = pools.accounts[b].id.clone();
        let company = *rng.pick(COMPANIES);
        let suffix = rng.chars(b"abcdefghijklmnopqrstuvwxyz0123456789", 4);

        let name = if rng.below(2) == 0 {
            (*rng.pick(SERVICE_USERS)).to_string()
        } else {
            format!("{}-{}", rng.pick(TEAMS), rng.pick(SERVICE_SUFFIXES))
        };
        let public: Vec<&String> = pools
            .ips
            .iter()
            .filter(|ip| !ip.starts_with("10."))
            .collect();
        let mut ips = vec![(*rng.pick(&public)).clone()];
        if rng.below(2) == 0 {
            let second = (*rng.pick(&public)).clone();
            if second != ips[0] {
                ips.push(second);
            }
        }
        let victim = Victim {
            name,
            id: principal_id(rng, "AIDA"),
            key: key(rng, "AKIA"),
            ips,
            agent: one_of(rng, VICTIM_AGENTS),
            region: one_of(rng, &pools.regions),
            bucket: format!("{company}-{}-{suffix}", rng.pick(ARTIFACT_BUCKETS)),
        };

        let first_net = rng.index(2);
        let attacker = Attacker {
            ip: attacker_ip(rng, ATTACKER_NETS[first_net], &pools.ips),
            backdoor_ip: attacker_ip(rng, ATTACKER_NETS[1 - first_net], &pools.ips),
            agent: one_of(rng, ATTACKER_AGENTS),
            backdoor_agent: one_of(rng, BACKDOOR_AGENTS),
        };

        // The attack starts after at least 45% of the window (the victim's own use comes
        // first) and ends, with room to spare, before it closes.
        let width = window.end - window.start;
        let earliest = window.start + width * 45 / 100;
        let latest = (window.end - width / 10 - 3 * HOUR).max(earliest + 1);
        let start = earliest + rng.below((latest - earliest) as u64) as i64;

        let role = trusted_role(rng, &pools.accounts[b].roles);
        let session_name = match rng.below(3) {
            0 => format!("botocore-session-{}", start - 40 - rng.below(600) as i64),
            _ => (*rng.pick(SESSION_NAMES)).to_string(),
        };
        let session = Session {
            role_account: b_id.clone(),
            role: role.name.clone(),
            role_id: role.id.clone(),
            session: session_name,
            key: key(rng, "ASIA"),
            seconds: 3600,
        };
        let backdoor = Backdoor {
            name: (*rng.pick(BACKDOOR_USERS)).to_string(),
            id: principal_id(rng, "AIDA"),
            key: key(rng, "AKIA"),
        };
        let (stop, delete) = match rng.below(3) {
            0 => (true, false),
            1 => (false, true),
            _ => (true, true),
        };
        let trail = Trail {
            name: (*rng.pick(TRAILS)).to_string(),
            region: if rng.below(2) == 0 {
                "us-east-1"
            } else {
                one_of(rng, &pools.regions)
            },
            stop,
            delete,
        };
        let bucket = Bucket {
            name: format!("{company}-payroll-exports-{suffix}"),
            region: one_of(rng, &pools.regions),
            exports: exports(rng, start),
        };
        Cast {
            a,
            b,
            a_id,
            b_id,
            company,
            victim,
            attacker,
            session,
            backdoor,
            trail,
            bucket,
            start,
        }
    }
}

/// An address in `net` (a /24) that no ordinary event uses: the pools draw public addresses
/// from busy ranges, 203.0.0.0/8 among them, so one could fall in 203.0.113.0/24.
fn attacker_ip(rng: &mut Rng, net: &str, pool: &[String]) -> String {
    loop {
        let ip = format!("{net}.{}", 2 + rng.below(253));
        if !pool.contains(&ip) {
            return ip;
        }
    }
}

/// A role another account could plausibly be trusted to assume: the organisation's access
/// role, break-glass, deploy or admin roles when the account has one, else any of its roles
/// (never an Identity Center one, which only SAML assumes).
fn trusted_role<'a>(rng: &mut Rng, roles: &'a [Principal]) -> &'a Principal {
    let sso = |p: &&Principal| p.name.starts_with("AWSReservedSSO_");
    let trusted: Vec<&Principal> = roles
        .iter()
        .filter(|p| !sso(p))
        .filter(|p| {
            matches!(
                p.name.as_str(),
                "OrganizationAccountAccessRole" | "BreakGlass" | "GitHubActionsDeploy"
            ) || p.name.ends_with("-admin")
                || p.name.ends_with("-deploy")
        })
        .collect();
    if !trusted.is_empty() {
        return trusted[rng.index(trusted.len())];
    }
    let any: Vec<&Principal> = roles.iter().filter(|p| !sso(p)).collect();
    if any.is_empty() {
        rng.pick(roles)
    } else {
        any[rng.index(any.len())]
    }
}

/// Bi-weekly payroll exports before `start`, newest first: `exports/YYYY/MM/payroll-YYYY-MM-DD.csv`.
fn exports(rng: &mut Rng, start: i64) -> Vec<String> {
    let count = 6 + rng.below(7) as i64;
    let first = start - (2 + rng.below(10) as i64) * 86_400;
    (0..count)
        .map(|i| {
            let c = Civil::from_secs(first - i * 14 * 86_400);
            format!(
                "exports/{:04}/{:02}/payroll-{:04}-{:02}-{:02}.csv",
                c.year, c.month, c.year, c.month, c.day
            )
        })
        .collect()
}
