//! STS as the AWS SDKs and the `aws` CLI speak it: the awsQuery protocol (a form-encoded
//! `Action=…&Version=2011-06-15&…` body, XML answers), AssumeRole and GetCallerIdentity, with
//! the validation limits of assets/api/sts-service-2.json. AssumeRole is how a responder
//! reaches a member account's Event history; its refusals are the ones met in practice.

use super::accounts::{noise, AssumeCall, Caller, Expired};
use super::{Accounts, Reply};
use jiff::Timestamp;

const XMLNS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
/// roleSessionNameType in the model.
pub const SESSION_NAME_LEN: std::ops::RangeInclusive<usize> = 2..=64;
/// roleDurationSecondsType in the model.
pub const DURATION_SECONDS: std::ops::RangeInclusive<u64> = 900..=43200;
/// AssumeRole's lifetime when the request names none.
const DEFAULT_SECONDS: u64 = 3600;

/// Answers one STS request signed with `key`. `now_ms` dates the Expiration; `clock_ms` (the
/// monotonic clock) is what keys expire on.
pub(crate) fn handle(
    accounts: &mut Accounts,
    key: &str,
    body: &[u8],
    now_ms: i64,
    clock_ms: u64,
) -> Reply {
    let Some(form) = decode_form(body) else {
        return error(
            400,
            "ValidationError",
            "the request body is not form-encoded UTF-8",
        );
    };
    let param = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let caller = match accounts.caller_of(key, clock_ms) {
        Ok(c) => c,
        Err(Expired) => {
            return error(
                400,
                "ExpiredTokenException",
                "The security token included in the request is expired",
            )
        }
    };
    let request_id = request_id(accounts.assumed.len(), body);
    match param("Action") {
        Some("AssumeRole") => assume_role(accounts, &caller, &param, now_ms, clock_ms),
        Some("GetCallerIdentity") => {
            let (arn, account) = (accounts.arn_of(&caller), accounts.account_of(&caller));
            let user_id = match &caller {
                Caller::Issued(k) => k.role_id.clone(),
                Caller::Static => "AIDAFAKECALLER000001".to_string(),
            };
            Reply::xml(
                200,
                format!(
                    "<GetCallerIdentityResponse xmlns=\"{XMLNS}\"><GetCallerIdentityResult>\
                     <Arn>{}</Arn><UserId>{}</UserId><Account>{}</Account>\
                     </GetCallerIdentityResult><ResponseMetadata><RequestId>{request_id}\
                     </RequestId></ResponseMetadata></GetCallerIdentityResponse>",
                    escape(&arn),
                    escape(&user_id),
                    escape(&account)
                ),
            )
        }
        Some(other) => error(
            400,
            "InvalidAction",
            &format!("Could not find operation {other} for version 2011-06-15"),
        ),
        None => error(400, "InvalidAction", "Action is missing"),
    }
}

fn assume_role<'a>(
    accounts: &mut Accounts,
    caller: &Caller,
    param: &impl Fn(&str) -> Option<&'a str>,
    now_ms: i64,
    clock_ms: u64,
) -> Reply {
    let invalid = |m: &str| error(400, "ValidationError", m);
    let missing = |field: &str| {
        invalid(&format!(
            "1 validation error detected: Value null at '{field}' failed to satisfy constraint: \
             Member must not be null"
        ))
    };
    let Some(role_arn) = param("RoleArn") else {
        return missing("roleArn");
    };
    let Some(session) = param("RoleSessionName") else {
        return missing("roleSessionName");
    };
    if let Err(constraint) = check_session_name(session) {
        return invalid(&format!(
            "1 validation error detected: Value '{session}' at 'roleSessionName' failed to \
             satisfy constraint: {constraint}"
        ));
    }
    let requested = match param("DurationSeconds") {
        None => None,
        Some(s) => match s.parse::<u64>() {
            Ok(n) if DURATION_SECONDS.contains(&n) => Some(n),
            _ => {
                return invalid(&format!(
                    "1 validation error detected: Value '{s}' at 'durationSeconds' failed to \
                     satisfy constraint: Member must have value between {} and {}",
                    DURATION_SECONDS.start(),
                    DURATION_SECONDS.end()
                ))
            }
        },
    };
    let Some((partition, account, role)) = parse_role_arn(role_arn) else {
        return invalid("Request ARN is invalid");
    };
    let refused = accounts.refuses(account, role);
    accounts.assumed.push(AssumeCall {
        account: account.to_string(),
        role: role.to_string(),
        session: session.to_string(),
        granted: !refused,
    });
    if refused {
        return error(
            403,
            "AccessDenied",
            &format!(
                "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
                accounts.arn_of(caller)
            ),
        );
    }
    let seconds = accounts
        .credential_seconds
        .or(requested)
        .unwrap_or(DEFAULT_SECONDS);
    let (key, issued) = accounts.issue(partition, account, role, session, seconds, clock_ms);
    let expiration = i64::try_from(seconds.saturating_mul(1000))
        .ok()
        .and_then(|ms| Timestamp::from_millisecond(now_ms.saturating_add(ms)).ok())
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| "2099-12-31T23:59:59Z".to_string());
    // Shaped like AWS's (40 characters; a long token), tied to the key; the fake checks no
    // signature, so their values matter only to look real.
    let secret = noise(&("secret", &key), 40);
    let token = format!("FwoGZXIvYXdzEFAKE{}", noise(&("token", &key), 120));
    Reply::xml(
        200,
        format!(
            "<AssumeRoleResponse xmlns=\"{XMLNS}\"><AssumeRoleResult><AssumedRoleUser>\
             <AssumedRoleId>{}</AssumedRoleId><Arn>{}</Arn></AssumedRoleUser><Credentials>\
             <AccessKeyId>{key}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey>\
             <SessionToken>{token}</SessionToken><Expiration>{expiration}</Expiration>\
             </Credentials></AssumeRoleResult><ResponseMetadata><RequestId>{}</RequestId>\
             </ResponseMetadata></AssumeRoleResponse>",
            escape(&issued.role_id),
            escape(&issued.arn()),
            request_id(accounts.assumed.len(), key.as_bytes()),
        ),
    )
}

/// roleSessionNameType: 2–64 characters of `[\w+=,.@-]` (`\w` being ASCII, as in Java).
/// The error is the constraint as AWS words it.
pub fn check_session_name(name: &str) -> Result<(), &'static str> {
    let len = name.chars().count();
    if len < *SESSION_NAME_LEN.start() {
        return Err("Member must have length greater than or equal to 2");
    }
    if len > *SESSION_NAME_LEN.end() {
        return Err("Member must have length less than or equal to 64");
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c);
    if name.chars().all(allowed) {
        Ok(())
    } else {
        Err("Member must satisfy regular expression pattern: [\\w+=,.@-]*")
    }
}

/// `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME` → (partition, account, role name).
fn parse_role_arn(arn: &str) -> Option<(&str, &str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (arn_, partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let name = resource.strip_prefix("role/")?.rsplit('/').next()?;
    let ok = arn_ == "arn"
        && partition.starts_with("aws")
        && service == "iam"
        && region.is_empty()
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty();
    ok.then_some((partition, account, name))
}

/// An awsQuery error, which the SDKs read from `ErrorResponse/Error/Code`.
fn error(status: u16, code: &str, message: &str) -> Reply {
    Reply::xml(
        status,
        format!(
            "<ErrorResponse xmlns=\"{XMLNS}\"><Error><Type>Sender</Type><Code>{}</Code>\
             <Message>{}</Message></Error><RequestId>{}</RequestId></ErrorResponse>",
            escape(code),
            escape(message),
            request_id(0, message.as_bytes())
        ),
    )
}

/// A UUID-shaped request ID, different for different requests.
fn request_id(n: usize, salt: &[u8]) -> String {
    let h = super::accounts::digest(&(n, salt));
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        (h >> 40) & 0xfff,
        h & 0xffff_ffff_ffff
    )
}

/// XML text: everything echoed goes through this (a session name or ARN is the caller's).
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// `application/x-www-form-urlencoded`: `&`-separated `name=value`, `+` a space, `%XX` a
/// byte; `None` if the bytes are not UTF-8 once decoded.
pub(crate) fn decode_form(body: &[u8]) -> Option<Vec<(String, String)>> {
    let text = std::str::from_utf8(body).ok()?;
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_plus_and_percent() {
        let form = decode_form(b"Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1&Name=a+b%2Bc")
            .unwrap_or_default();
        assert_eq!(form[1].1, "arn:aws:iam::1");
        assert_eq!(form[2].1, "a b+c");
        assert!(decode_form(b"A=%zz").is_none());
        assert!(decode_form(b"A=%C3").is_none(), "half a UTF-8 character");
    }

    #[test]
    fn role_arns_and_session_names_are_checked() {
        assert_eq!(
            parse_role_arn("arn:aws:iam::444455556666:role/ops/Admin"),
            Some(("aws", "444455556666", "Admin"))
        );
        for bad in [
            "arn:aws:iam::44445555666:role/A",
            "arn:aws:iam::444455556666:user/A",
            "arn:aws:s3::444455556666:role/A",
            "arn:aws:iam:us-east-1:444455556666:role/A",
            "arn:aws:iam::444455556666:role/",
        ] {
            assert_eq!(parse_role_arn(bad), None, "{bad}");
        }
        assert!(check_session_name("trailscope-test_1+=,.@").is_ok());
        assert!(check_session_name("x").is_err());
        assert!(check_session_name(&"x".repeat(65)).is_err());
        assert!(check_session_name("a b").is_err());
        assert_eq!(escape("<a&'\">"), "&lt;a&amp;&apos;&quot;&gt;");
    }
}
