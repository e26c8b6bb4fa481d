//! Ordinary events with the attack's event names, so that no event name isolates the attacker:
//! a payroll ETL job listing, reading and deleting objects in the same bucket, cleanup jobs
//! deleting objects elsewhere, a deploy pipeline assuming the same role across accounts, admins
//! creating users with keys and policies (AdministratorAccess among them), trail maintenance
//! (StopLogging, StartLogging, DeleteTrail), and a security scanner making the attacker's
//! recon calls (GetCallerIdentity, ListUsers, ListRoles, ListBuckets, DescribeTrails,
//! DescribeInstances) in both accounts. The templates add more of each, but a small trail
//! may hold only a few, and none on the incident's bucket or role.

use super::super::clock::{Civil, Window};
use super::super::pools::{Pools, FIRST, LAST, TEAMS};
use super::super::rng::Rng;
use super::plan::{day_text, Cast, ADMIN_POLICY};
use super::records::{
    assume_role, key, principal_id, role_account_copy, s3_object, Call, Session, Who,
};
use super::{between, pause, plant, Part, Planted};
use serde_json::{json, Value};

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;

const LAMBDA_AGENT: &str = "Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.224-233.873.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.5 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145";
const WORKER_AGENT: &str = "aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/s3#1.67.0";
const CLI_AGENT: &str =
    "aws-cli/2.17.20 Python/3.11.9 Darwin/23.6.0 source/arm64 prompt/off command/";
const PIPELINE_AGENT: &str =
    "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1025-azure exe/x86_64.ubuntu.22 prompt/off command/";
const CONSOLE_AGENT: &str = "console.amazonaws.com";
const SCANNER_AGENT: &str = "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#5.10.215-203.850.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.34.84 prowler/3.16.5";
const ETL_ROLES: &[&str] = &["payroll-etl", "hr-payroll-export", "payroll-export-job"];
const POLICIES: &[&str] = &[
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
    "arn:aws:iam::aws:policy/PowerUserAccess",
    "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
];

/// A public address from the pools.
fn public_ip(rng: &mut Rng, pools: &Pools) -> String {
    loop {
        let ip = rng.pick(&pools.ips);
        if !ip.starts_with("10.") {
            return ip.clone();
        }
    }
}

pub(super) fn noise(
    cast: &Cast,
    pools: &Pools,
    window: Window,
    rng: &mut Rng,
    out: &mut Vec<Planted>,
) {
    payroll_etl(cast, pools, window, rng, out);
    cleanups(cast, pools, window, rng, out);
    for account in [cast.b, cast.a] {
        onboarding(cast, pools, account, window, rng, out);
    }
    pipelines(cast, pools, window, rng, out);
    trail_maintenance(cast, pools, window, rng, out);
    for account in [cast.a, cast.b] {
        scanner(pools, account, window, rng, out);
    }
}

/// The payroll bucket's own job, a Lambda function run every night: Lambda assumes its role,
/// the function reads the HR system's drop, reads the newest export, writes a staging file,
/// and deletes the drop and yesterday's staging file.
fn payroll_etl(cast: &Cast, pools: &Pools, window: Window, rng: &mut Rng, out: &mut Vec<Planted>) {
    let bucket = &cast.bucket;
    let b_id = cast.b_id.as_str();
    let role = (*rng.pick(ETL_ROLES)).to_string();
    let role_id = principal_id(rng, "AROA");
    let function = format!("{role}-nightly");
    let ip = public_ip(rng, pools);
    let width = window.end - window.start;
    let runs = (width / 86_400).clamp(2, 10);
    let hour = 1 + rng.below(4) as i64;
    let mut previous: Option<String> = None;
    for i in 0..runs {
        // Nightly when the window is short enough, else spread evenly over it.
        let slot = window.start + i * width / runs;
        let mut t = slot + hour * HOUR + rng.below(20 * 60) as i64;
        let session = Session {
            role_account: b_id.to_string(),
            role: role.clone(),
            role_id: role_id.clone(),
            session: function.clone(),
            key: key(rng, "ASIA"),
            seconds: 12 * 3600,
        };
        let lambda = Who::Service("lambda.amazonaws.com");
        let call = Call::new(
            &lambda,
            t,
            "sts.amazonaws.com",
            "AssumeRole",
            bucket.region,
            "lambda.amazonaws.com",
            "lambda.amazonaws.com",
            b_id,
        );
        plant(
            out,
            assume_role(call, &session, rng),
            cast.b,
            Part::Noise,
            rng,
        );
        let who = session.who(t);
        let day = day_text(t).replace('-', "");
        let drop = format!("incoming/hris-{day}.csv");
        let staging = format!("staging/payroll-{day}.parquet");
        // The newest export already written on the day of the run.
        let today = day_text(t);
        let newest = bucket
            .exports
            .iter()
            .find(|e| export_day(e) <= today.as_str())
            .or(bucket.exports.last())
            .cloned()
            .unwrap_or_default();
        t += pause(rng, 1, 5);
        let host = format!("{}.s3.{}.amazonaws.com", bucket.name, bucket.region);
        let mut call = Call::new(
            &who,
            t,
            "s3.amazonaws.com",
            "ListObjects",
            bucket.region,
            &ip,
            LAMBDA_AGENT,
            b_id,
        );
        call.data = true;
        call.request = json!({
            "list-type": "2",
            "bucketName": bucket.name,
            "prefix": "incoming/",
            "Host": host,
        });
        call.resources = Some(json!([
            {"accountId": b_id, "type": "AWS::S3::Bucket", "ARN": format!("arn:aws:s3:::{}", bucket.name)},
        ]));
        call.host = Some(host);
        plant(out, call, cast.b, Part::Noise, rng);
        let mut steps = vec![
            ("GetObject", drop.clone()),
            ("GetObject", newest),
            ("PutObject", staging.clone()),
            ("DeleteObject", drop),
        ];
        if let Some(old) = previous.replace(staging) {
            steps.push(("DeleteObject", old));
        }
        for (name, object) in steps {
            t += pause(rng, 1, 20);
            let call = s3_object(
                &who,
                t,
                name,
                &bucket.name,
                b_id,
                bucket.region,
                &object,
                &ip,
                LAMBDA_AGENT,
                rng,
            );
            plant(out, call, cast.b, Part::Noise, rng);
        }
    }
}

/// `YYYY-MM-DD` of `exports/YYYY/MM/payroll-YYYY-MM-DD.csv`.
fn export_day(key: &str) -> &str {
    key.rsplit("payroll-")
        .next()
        .unwrap_or("")
        .trim_end_matches(".csv")
}

/// Workers in other accounts clearing scratch objects, and one person tidying old reports
/// with the CLI: GetObject and DeleteObject by ordinary roles and users on other buckets.
fn cleanups(cast: &Cast, pools: &Pools, window: Window, rng: &mut Rng, out: &mut Vec<Planted>) {
    for run in 0..4 + rng.below(3) {
        let account_ix = rng.index(pools.accounts.len());
        let account = &pools.accounts[account_ix];
        let region = *rng.pick(&pools.regions);
        let by_person = run == 0;
        let mut t = between(rng, window.start, window.end - HOUR);
        let team = rng.pick(TEAMS);
        let (who, bucket, ip, agent) = if by_person {
            let user = rng.pick(&account.users);
            let who = Who::User {
                account: account.id.clone(),
                name: user.name.clone(),
                id: user.id.clone(),
                key: format!("AKIA{}", rng.pick(&user.keys)),
                console: None,
            };
            let bucket = format!("{}-{team}-reports", cast.company);
            (who, bucket, public_ip(rng, pools), "")
        } else {
            let role = rng.pick(&account.roles);
            let who = Who::Role {
                account: account.id.clone(),
                role: role.name.clone(),
                role_id: role.id.clone(),
                session: format!("i-0{}", rng.chars(b"0123456789abcdef", 16)),
                key: format!("ASIA{}", rng.pick(&role.keys)),
                created: t - rng.below(3000) as i64,
            };
            let bucket = format!("{}-{team}-scratch", cast.company);
            (who, bucket, rng.pick(&pools.ips).clone(), WORKER_AGENT)
        };
        let objects: Vec<String> = (0..2 + rng.below(4))
            .map(|_| {
                if by_person {
                    format!(
                        "reports/{}/summary-{}.csv",
                        day_text(t - 90 * 86_400),
                        rng.below(100)
                    )
                } else {
                    format!("tmp/{}.json", rng.chars(b"0123456789abcdef", 12))
                }
            })
            .collect();
        for (i, object) in objects.iter().enumerate() {
            for name in ["GetObject", "DeleteObject"] {
                if name == "GetObject" && i % 2 == 1 {
                    continue;
                }
                t += pause(rng, 1, 30);
                let ua = if by_person {
                    format!(
                        "{CLI_AGENT}{}",
                        if name == "GetObject" {
                            "s3.cp"
                        } else {
                            "s3.rm"
                        }
                    )
                } else {
                    agent.to_string()
                };
                let call = s3_object(
                    &who,
                    t,
                    name,
                    &bucket,
                    &account.id,
                    region,
                    object,
                    &ip,
                    &ua,
                    rng,
                );
                plant(out, call, account_ix, Part::Noise, rng);
            }
        }
    }
}

/// An administrator signed in to the console creates a user, gives it a policy and an access
/// key. In account B the new user gets AdministratorAccess, as the backdoor does.
fn onboarding(
    cast: &Cast,
    pools: &Pools,
    account_ix: usize,
    window: Window,
    rng: &mut Rng,
    out: &mut Vec<Planted>,
) {
    let account = &pools.accounts[account_ix];
    let admin = rng.pick(&account.users);
    let mut t = between(rng, window.start + HOUR, window.end - HOUR);
    let who = Who::User {
        account: account.id.clone(),
        name: admin.name.clone(),
        id: admin.id.clone(),
        key: key(rng, "ASIA"),
        console: Some(t - pause(rng, 5 * MINUTE, HOUR)),
    };
    let ip = public_ip(rng, pools);
    let newcomer = loop {
        let name = format!("{}.{}", rng.pick(FIRST), rng.pick(LAST));
        if !account.users.iter().any(|u| u.name == name) {
            break name;
        }
    };
    let user_id = principal_id(rng, "AIDA");
    let policy = if account_ix == cast.b {
        ADMIN_POLICY
    } else {
        rng.pick(POLICIES)
    };
    let iam = |t: i64, name: &'static str| {
        let mut call = Call::new(
            &who,
            t,
            "iam.amazonaws.com",
            name,
            "us-east-1",
            &ip,
            CONSOLE_AGENT,
            &account.id,
        );
        call.version = "1.09";
        call.read_only = false;
        call
    };
    let mut call = iam(t, "CreateUser");
    call.request = json!({"userName": newcomer});
    call.response = json!({"user": {
        "path": "/",
        "userName": newcomer,
        "userId": user_id,
        "arn": format!("arn:aws:iam::{}:user/{newcomer}", account.id),
        "createDate": Civil::from_secs(t).response_date(false),
    }});
    plant(out, call, account_ix, Part::Noise, rng);
    t += pause(rng, 20, 120);
    let mut call = iam(t, "AttachUserPolicy");
    call.request = json!({"userName": newcomer, "policyArn": policy});
    plant(out, call, account_ix, Part::Noise, rng);
    t += pause(rng, 30, 300);
    let mut call = iam(t, "CreateAccessKey");
    call.request = json!({"userName": newcomer});
    call.response = json!({"accessKey": {
        "userName": newcomer,
        "accessKeyId": key(rng, "AKIA"),
        "status": "Active",
        "createDate": Civil::from_secs(t).response_date(false),
    }});
    plant(out, call, account_ix, Part::Noise, rng);
}

/// A deploy pipeline's role session in account A assumes roles in account B (the attacker's
/// role among them) and looks around with the new key: cross-account AssumeRole, both copies,
/// by someone other than the attacker.
fn pipelines(cast: &Cast, pools: &Pools, window: Window, rng: &mut Rng, out: &mut Vec<Planted>) {
    let a = &pools.accounts[cast.a];
    let b = &pools.accounts[cast.b];
    let caller_role = rng.pick(&a.roles);
    let ip = public_ip(rng, pools);
    for run in 0..2 + rng.below(2) {
        let region = *rng.pick(&pools.regions);
        let mut t = between(rng, window.start, window.end - HOUR);
        let caller = Who::Role {
            account: a.id.clone(),
            role: caller_role.name.clone(),
            role_id: caller_role.id.clone(),
            session: format!("pipeline-{}", 10_000 + rng.below(90_000)),
            key: format!("ASIA{}", rng.pick(&caller_role.keys)),
            created: t - pause(rng, 10, 600),
        };
        let (role, role_id) = if run == 0 {
            (cast.session.role.clone(), cast.session.role_id.clone())
        } else {
            let r = rng.pick(&b.roles);
            (r.name.clone(), r.id.clone())
        };
        let session = Session {
            role_account: b.id.clone(),
            role,
            role_id,
            session: format!("deploy-{}", 100 + rng.below(900)),
            key: key(rng, "ASIA"),
            seconds: 3600,
        };
        let call = Call::new(
            &caller,
            t,
            "sts.amazonaws.com",
            "AssumeRole",
            region,
            &ip,
            &format!("{PIPELINE_AGENT}sts.assume-role"),
            &a.id,
        );
        let caller_copy = assume_role(call, &session, rng).record(rng);
        let role_copy = role_account_copy(&caller_copy, &caller, rng);
        for (account, record) in [(cast.a, caller_copy), (cast.b, role_copy)] {
            out.push(Planted {
                secs: t,
                account,
                region,
                record,
                part: Part::Noise,
            });
        }
        let who = session.who(t);
        for (source, name, cmd) in [
            (
                "sts.amazonaws.com",
                "GetCallerIdentity",
                "sts.get-caller-identity",
            ),
            (
                "ec2.amazonaws.com",
                "DescribeInstances",
                "ec2.describe-instances",
            ),
        ] {
            t += pause(rng, 5, 60);
            let mut call = Call::new(
                &who,
                t,
                source,
                name,
                region,
                &ip,
                &format!("{PIPELINE_AGENT}{cmd}"),
                &b.id,
            );
            if name == "DescribeInstances" {
                call.request = json!({"instancesSet": {}, "filterSet": {}});
            }
            plant(out, call, cast.b, Part::Noise, rng);
        }
    }
}

/// An administrator in another account retires a trail: stops a test trail for a while, then
/// deletes a legacy one.
fn trail_maintenance(
    cast: &Cast,
    pools: &Pools,
    window: Window,
    rng: &mut Rng,
    out: &mut Vec<Planted>,
) {
    let account_ix = loop {
        let i = rng.index(pools.accounts.len());
        if i != cast.b {
            break i;
        }
    };
    let account = &pools.accounts[account_ix];
    let admin = rng.pick(&account.users);
    let region = *rng.pick(&pools.regions);
    let mut t = between(rng, window.start + HOUR, window.end - 2 * HOUR);
    let who = Who::User {
        account: account.id.clone(),
        name: admin.name.clone(),
        id: admin.id.clone(),
        key: key(rng, "ASIA"),
        console: Some(t - pause(rng, 5 * MINUTE, HOUR)),
    };
    let ip = public_ip(rng, pools);
    let test = format!(
        "arn:aws:cloudtrail:{region}:{}:trail/test-trail",
        account.id
    );
    let legacy = format!(
        "arn:aws:cloudtrail:{region}:{}:trail/legacy-{}",
        account.id, cast.trail.name
    );
    for (name, arn, gap) in [
        ("StopLogging", &test, (0, 0)),
        ("StartLogging", &test, (5 * MINUTE, 40 * MINUTE)),
        ("DeleteTrail", &legacy, (MINUTE, 10 * MINUTE)),
    ] {
        t += pause(rng, gap.0, gap.1);
        let mut call = Call::new(
            &who,
            t,
            "cloudtrail.amazonaws.com",
            name,
            region,
            &ip,
            CONSOLE_AGENT,
            &account.id,
        );
        call.version = "1.09";
        call.read_only = false;
        call.request = json!({"name": arn});
        call.resources = Some(json!([
            {"accountId": account.id, "type": "AWS::CloudTrail::Trail", "ARN": arn},
        ]));
        plant(out, call, account_ix, Part::Noise, rng);
    }
}

/// A security scanner's role session walking the account twice: the same reads the attacker
/// makes for recon, by a tool the account runs on purpose.
fn scanner(
    pools: &Pools,
    account_ix: usize,
    window: Window,
    rng: &mut Rng,
    out: &mut Vec<Planted>,
) {
    let account = &pools.accounts[account_ix];
    let role_id = principal_id(rng, "AROA");
    let ip = public_ip(rng, pools);
    for _ in 0..2 {
        let mut t = between(rng, window.start, window.end - HOUR);
        let who = Who::Role {
            account: account.id.clone(),
            role: "security-scanner".to_string(),
            role_id: role_id.clone(),
            session: format!("prowler-{}", 1000 + rng.below(9000)),
            key: key(rng, "ASIA"),
            created: t - pause(rng, 5, 120),
        };
        let region = *rng.pick(&pools.regions);
        for (source, name, region) in [
            ("sts.amazonaws.com", "GetCallerIdentity", "us-east-1"),
            ("iam.amazonaws.com", "ListUsers", "us-east-1"),
            ("iam.amazonaws.com", "ListRoles", "us-east-1"),
            ("s3.amazonaws.com", "ListBuckets", "us-east-1"),
            ("cloudtrail.amazonaws.com", "DescribeTrails", region),
            ("ec2.amazonaws.com", "DescribeInstances", region),
        ] {
            t += pause(rng, 1, 15);
            let mut call = Call::new(
                &who,
                t,
                source,
                name,
                region,
                &ip,
                SCANNER_AGENT,
                &account.id,
            );
            call.request = match name {
                "ListBuckets" => json!({"Host": "s3.us-east-1.amazonaws.com"}),
                "DescribeTrails" => json!({"trailNameList": [], "includeShadowTrails": true}),
                "DescribeInstances" => json!({"instancesSet": {}, "filterSet": {}}),
                _ => Value::Null,
            };
            plant(out, call, account_ix, Part::Noise, rng);
        }
    }
}
