//! The victim's own use of its key, and the attack: first use of the leaked key, recon, the
//! cross-account AssumeRole, and what the session does in account B.

use super::super::clock::{Civil, Window};
use super::super::rng::Rng;
use super::plan::{agent, day_text, Cast, ADMIN_POLICY};
use super::records::{assume_role, denied, ec2_denied, role_account_copy, s3_object, Call, Who};
use super::{pause, plant, Part, Planted, Step};
use serde_json::json;

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;

/// The attack, from the first call with the leaked key to the last deletion; returns the
/// time of its last event.
pub(super) fn attack(cast: &Cast, rng: &mut Rng, out: &mut Vec<Planted>) -> i64 {
    let v = &cast.victim;
    let x = &cast.attacker;
    let (a, b) = (cast.a, cast.b);
    let (a_id, b_id) = (cast.a_id.as_str(), cast.b_id.as_str());
    let leaked = Who::User {
        account: a_id.to_string(),
        name: v.name.clone(),
        id: v.id.clone(),
        key: v.key.clone(),
        console: None,
    };
    let ua = |cmd: &str| agent(x.agent, cmd);
    let mut t = cast.start;

    // 1. First use, from an address and a tool the victim never used.
    let call = Call::new(
        &leaked,
        t,
        "sts.amazonaws.com",
        "GetCallerIdentity",
        "us-east-1",
        &x.ip,
        &ua("sts.get-caller-identity"),
        a_id,
    );
    plant(out, call, a, Part::Attack(Step::FirstUse), rng);

    // 2. Recon with the key: what it can see, some of it refused.
    t += pause(rng, 15, 60);
    let mut call = Call::new(
        &leaked,
        t,
        "s3.amazonaws.com",
        "ListBuckets",
        "us-east-1",
        &x.ip,
        &ua("s3.ls"),
        a_id,
    );
    call.request = json!({"Host": "s3.us-east-1.amazonaws.com"});
    plant(out, call, a, Part::Attack(Step::Recon), rng);
    for (name, cmd, kind) in [
        ("ListUsers", "iam.list-users", "user"),
        ("ListRoles", "iam.list-roles", "role"),
    ] {
        t += pause(rng, 20, 70);
        let mut call = Call::new(
            &leaked,
            t,
            "iam.amazonaws.com",
            name,
            "us-east-1",
            &x.ip,
            &ua(cmd),
            a_id,
        );
        if rng.below(2) == 0 {
            let resource = format!("arn:aws:iam::{a_id}:{kind}/");
            call.error = Some((
                "AccessDenied",
                denied(&leaked, &format!("iam:{name}"), &resource),
            ));
        }
        plant(out, call, a, Part::Attack(Step::Recon), rng);
    }
    let ec2_allowed = rng.below(2) == 0;
    let mut regions = vec![v.region];
    for _ in 0..rng.below(3) {
        let r = *rng.pick(&[
            "us-east-1",
            "us-west-2",
            "eu-west-1",
            "eu-central-1",
            "ap-southeast-2",
        ]);
        if !regions.contains(&r) {
            regions.push(r);
        }
    }
    for region in regions {
        t += pause(rng, 10, 45);
        let mut call = Call::new(
            &leaked,
            t,
            "ec2.amazonaws.com",
            "DescribeInstances",
            region,
            &x.ip,
            &ua("ec2.describe-instances"),
            a_id,
        );
        call.request = json!({"instancesSet": {}, "filterSet": {}});
        if !ec2_allowed {
            call.error = Some((
                "Client.UnauthorizedOperation",
                ec2_denied(&leaked, "ec2:DescribeInstances"),
            ));
        }
        plant(out, call, a, Part::Attack(Step::Recon), rng);
    }

    // 3. Into account B: AssumeRole, recorded by the caller's account and by the role's.
    t += pause(rng, 60, 240);
    let assumed_at = t;
    let call = Call::new(
        &leaked,
        t,
        "sts.amazonaws.com",
        "AssumeRole",
        "us-east-1",
        &x.ip,
        &ua("sts.assume-role"),
        a_id,
    );
    let caller_copy = assume_role(call, &cast.session, rng).record(rng);
    let role_copy = role_account_copy(&caller_copy, &leaked, rng);
    out.push(Planted {
        secs: t,
        account: a,
        region: "us-east-1",
        record: caller_copy,
        part: Part::Attack(Step::AssumeRole),
    });
    out.push(Planted {
        secs: t,
        account: b,
        region: "us-east-1",
        record: role_copy,
        part: Part::Attack(Step::AssumeRoleCopy),
    });

    // 4. In B as the role, with the new ASIA key.
    let session = cast.session.who(assumed_at);
    let call_b = |t: i64, source, name, region, cmd: &str| {
        Call::new(&session, t, source, name, region, &x.ip, &ua(cmd), b_id)
    };
    t += pause(rng, 40, 120);
    let call = call_b(
        t,
        "sts.amazonaws.com",
        "GetCallerIdentity",
        "us-east-1",
        "sts.get-caller-identity",
    );
    plant(out, call, b, Part::Attack(Step::SessionRecon), rng);
    t += pause(rng, 20, 60);
    let call = call_b(
        t,
        "iam.amazonaws.com",
        "ListUsers",
        "us-east-1",
        "iam.list-users",
    );
    plant(out, call, b, Part::Attack(Step::SessionRecon), rng);
    t += pause(rng, 20, 60);
    let mut call = call_b(
        t,
        "cloudtrail.amazonaws.com",
        "DescribeTrails",
        cast.trail.region,
        "cloudtrail.describe-trails",
    );
    call.request = json!({"trailNameList": [], "includeShadowTrails": true});
    plant(out, call, b, Part::Attack(Step::SessionRecon), rng);

    // The backdoor: a user, its key, administrator rights.
    let bd = &cast.backdoor;
    let bd_arn = format!("arn:aws:iam::{b_id}:user/{}", bd.name);
    t += pause(rng, 60, 200);
    let mut call = call_b(
        t,
        "iam.amazonaws.com",
        "CreateUser",
        "us-east-1",
        "iam.create-user",
    );
    call.version = "1.09";
    call.read_only = false;
    call.request = json!({"userName": bd.name});
    call.response = json!({"user": {
        "path": "/",
        "userName": bd.name,
        "userId": bd.id,
        "arn": bd_arn,
        "createDate": Civil::from_secs(t).response_date(false),
    }});
    plant(out, call, b, Part::Attack(Step::CreateUser), rng);
    t += pause(rng, 15, 60);
    let mut call = call_b(
        t,
        "iam.amazonaws.com",
        "CreateAccessKey",
        "us-east-1",
        "iam.create-access-key",
    );
    call.version = "1.09";
    call.read_only = false;
    call.request = json!({"userName": bd.name});
    call.response = json!({"accessKey": {
        "userName": bd.name,
        "accessKeyId": bd.key,
        "status": "Active",
        "createDate": Civil::from_secs(t).response_date(false),
    }});
    plant(out, call, b, Part::Attack(Step::CreateAccessKey), rng);
    t += pause(rng, 15, 60);
    let mut call = call_b(
        t,
        "iam.amazonaws.com",
        "AttachUserPolicy",
        "us-east-1",
        "iam.attach-user-policy",
    );
    call.version = "1.09";
    call.read_only = false;
    call.request = json!({"userName": bd.name, "policyArn": ADMIN_POLICY});
    plant(out, call, b, Part::Attack(Step::AttachUserPolicy), rng);

    // The backdoor key tried once, from the attacker's other address.
    t += pause(rng, 60, 180);
    let backdoor = Who::User {
        account: b_id.to_string(),
        name: bd.name.clone(),
        id: bd.id.clone(),
        key: bd.key.clone(),
        console: None,
    };
    let mut call = Call::new(
        &backdoor,
        t,
        "s3.amazonaws.com",
        "ListBuckets",
        "us-east-1",
        &x.backdoor_ip,
        &agent(x.backdoor_agent, "s3.ls"),
        b_id,
    );
    call.request = json!({"Host": "s3.us-east-1.amazonaws.com"});
    plant(out, call, b, Part::Attack(Step::BackdoorUse), rng);

    // The trail silenced: stopped, deleted, or both.
    let trail_arn = cast.trail.arn(b_id);
    for (wanted, name, cmd, step) in [
        (
            cast.trail.stop,
            "StopLogging",
            "cloudtrail.stop-logging",
            Step::StopLogging,
        ),
        (
            cast.trail.delete,
            "DeleteTrail",
            "cloudtrail.delete-trail",
            Step::DeleteTrail,
        ),
    ] {
        if !wanted {
            continue;
        }
        t += pause(rng, 40, 200);
        let mut call = call_b(t, "cloudtrail.amazonaws.com", name, cast.trail.region, cmd);
        call.version = "1.09";
        call.read_only = false;
        call.request = json!({"name": trail_arn});
        call.resources = Some(json!([
            {"accountId": b_id, "type": "AWS::CloudTrail::Trail", "ARN": trail_arn},
        ]));
        plant(out, call, b, Part::Attack(step), rng);
    }

    // The payroll exports copied out, then deleted. S3 data events come from the account's
    // data-event trail, so they are recorded after the management trail goes quiet.
    let bucket = &cast.bucket;
    t += pause(rng, 30, 120);
    let host = format!("{}.s3.{}.amazonaws.com", bucket.name, bucket.region);
    let mut call = call_b(t, "s3.amazonaws.com", "ListObjects", bucket.region, "s3.cp");
    call.data = true;
    call.request = json!({
        "list-type": "2",
        "bucketName": bucket.name,
        "encoding-type": "url",
        "prefix": "exports/",
        "Host": host,
    });
    call.resources = Some(json!([
        {"accountId": b_id, "type": "AWS::S3::Bucket", "ARN": format!("arn:aws:s3:::{}", bucket.name)},
    ]));
    call.host = Some(host);
    plant(out, call, b, Part::Attack(Step::ListObjects), rng);
    for (name, cmd, lo, hi, step) in [
        ("GetObject", "s3.cp", 2, 12, Step::Exfiltrate),
        ("DeleteObject", "s3.rm", 1, 6, Step::Delete),
    ] {
        t += pause(rng, 30, 150);
        for object in &bucket.exports {
            t += pause(rng, lo, hi);
            let call = s3_object(
                &session,
                t,
                name,
                &bucket.name,
                b_id,
                bucket.region,
                object,
                &x.ip,
                &ua(cmd),
                rng,
            );
            plant(out, call, b, Part::Attack(step), rng);
        }
    }
    debug_assert!(
        t < assumed_at + cast.session.seconds,
        "the session outlives its key"
    );
    t
}

/// The victim's ordinary use of the same key: CI runs from its usual addresses with its usual
/// tool (who it is, and a baseline the attacker's first use stands out from). Most runs come
/// before the leak, one or two after the attack, as a key nobody revoked keeps working.
pub(super) fn baseline(
    cast: &Cast,
    window: Window,
    attack_end: i64,
    rng: &mut Rng,
    out: &mut Vec<Planted>,
) {
    let v = &cast.victim;
    let me = Who::User {
        account: cast.a_id.clone(),
        name: v.name.clone(),
        id: v.id.clone(),
        key: v.key.clone(),
        console: None,
    };
    let mut runs = Vec::new();
    let (lo, hi) = (window.start + 10 * MINUTE, cast.start - 2 * HOUR);
    for _ in 0..4 + rng.below(4) {
        runs.push(lo + rng.below((hi - lo).max(1) as u64) as i64);
    }
    let (lo, hi) = (attack_end + HOUR, window.end - 20 * MINUTE);
    if hi > lo {
        for _ in 0..1 + rng.below(2) {
            runs.push(lo + rng.below((hi - lo) as u64) as i64);
        }
    }
    runs.sort_unstable();
    let mut build = 1000 + rng.below(8000);
    for start in runs {
        build += 1 + rng.below(40);
        let ip = rng.pick(&v.ips).clone();
        let mut t = start;
        let call = Call::new(
            &me,
            t,
            "sts.amazonaws.com",
            "GetCallerIdentity",
            v.region,
            &ip,
            &agent(v.agent, "sts.get-caller-identity"),
            &cast.a_id,
        );
        plant(out, call, cast.a, Part::Baseline, rng);
        for artifact in [
            "app.tar.gz",
            "app.tar.gz.sha256",
            "sbom.json",
            "manifest.json",
        ]
        .iter()
        .take(2 + rng.index(3))
        {
            t += pause(rng, 3, 25);
            let object = format!("builds/{}/{build}/{artifact}", day_text(t));
            let call = s3_object(
                &me,
                t,
                "PutObject",
                &v.bucket,
                &cast.a_id,
                v.region,
                &object,
                &ip,
                &agent(v.agent, "s3.cp"),
                rng,
            );
            plant(out, call, cast.a, Part::Baseline, rng);
        }
    }
}
