//! JSON builders for the records the incident writes: who called (`Who`), and one API call
//! (`Call`) laid out with CloudTrail's keys in CloudTrail's order. The shapes follow the real
//! records behind the bundled demo (assets/demo/STORY.md, "Templates"): management and S3 data
//! events, both copies of a cross-account AssumeRole, console and service callers.

use super::super::clock::Civil;
use super::super::rng::Rng;
use serde_json::{json, Map, Value};

/// Base-64 characters, for session tokens and S3's `x-amz-id-2`.
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// S3 request IDs: 16 uppercase letters and digits.
const S3_REQUEST_ID: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

pub(super) fn iso(secs: i64) -> String {
    Civil::from_secs(secs).iso()
}

/// The caller of one event.
#[derive(Clone, Debug)]
pub(super) enum Who {
    /// An IAM user with a long-term key, or (with `console`: the session's start) signed in
    /// to the console with MFA, whose calls carry an ASIA key and `sessionCredentialFromConsole`.
    User {
        account: String,
        name: String,
        id: String,
        key: String,
        console: Option<i64>,
    },
    /// A role session: `assumed-role/ROLE/SESSION` with the session's ASIA key.
    Role {
        account: String,
        role: String,
        role_id: String,
        session: String,
        key: String,
        created: i64,
    },
    /// The role account's copy of a cross-account AssumeRole: only the caller's account and
    /// principal ID, no ARN and no key.
    Account {
        caller_account: String,
        principal_id: String,
    },
    /// An AWS service acting for the account (Lambda assuming a function's role).
    Service(&'static str),
}

impl Who {
    pub(super) fn arn(&self) -> String {
        match self {
            Who::User { account, name, .. } => format!("arn:aws:iam::{account}:user/{name}"),
            Who::Role {
                account,
                role,
                session,
                ..
            } => format!("arn:aws:sts::{account}:assumed-role/{role}/{session}"),
            Who::Account { caller_account, .. } => format!("arn:aws:iam::{caller_account}:root"),
            Who::Service(s) => (*s).to_string(),
        }
    }

    /// What the role account's copy of an AssumeRole made by this caller shows.
    pub(super) fn as_foreign_account(&self) -> Who {
        let (caller_account, principal_id) = match self {
            Who::User { account, id, .. } => (account.clone(), id.clone()),
            Who::Role {
                account,
                role_id,
                session,
                ..
            } => (account.clone(), format!("{role_id}:{session}")),
            Who::Account {
                caller_account,
                principal_id,
            } => (caller_account.clone(), principal_id.clone()),
            Who::Service(_) => (String::new(), String::new()),
        };
        Who::Account {
            caller_account,
            principal_id,
        }
    }

    fn is_console(&self) -> bool {
        matches!(
            self,
            Who::User {
                console: Some(_),
                ..
            }
        )
    }

    fn identity(&self) -> Value {
        match self {
            Who::User {
                account,
                name,
                id,
                key,
                console,
            } => {
                let mut who = json!({
                    "type": "IAMUser",
                    "principalId": id,
                    "arn": self.arn(),
                    "accountId": account,
                    "accessKeyId": key,
                    "userName": name,
                });
                if let (Some(start), Some(map)) = (console, who.as_object_mut()) {
                    map.insert(
                        "sessionContext".to_string(),
                        json!({
                            "sessionIssuer": {},
                            "webIdFederationData": {},
                            "attributes": {"creationDate": iso(*start), "mfaAuthenticated": "true"},
                        }),
                    );
                }
                who
            }
            Who::Role {
                account,
                role,
                role_id,
                session,
                key,
                created,
            } => json!({
                "type": "AssumedRole",
                "principalId": format!("{role_id}:{session}"),
                "arn": self.arn(),
                "accountId": account,
                "accessKeyId": key,
                "sessionContext": {
                    "sessionIssuer": {
                        "type": "Role",
                        "principalId": role_id,
                        "arn": format!("arn:aws:iam::{account}:role/{role}"),
                        "accountId": account,
                        "userName": role,
                    },
                    "webIdFederationData": {},
                    "attributes": {"creationDate": iso(*created), "mfaAuthenticated": "false"},
                },
            }),
            Who::Account {
                caller_account,
                principal_id,
            } => json!({
                "type": "AWSAccount",
                "principalId": principal_id,
                "accountId": caller_account,
            }),
            Who::Service(service) => json!({"type": "AWSService", "invokedBy": service}),
        }
    }
}

/// One API call. `Call::new` fills what every call has; the step sets the rest.
pub(super) struct Call {
    pub(super) who: Who,
    pub(super) secs: i64,
    pub(super) source: &'static str,
    pub(super) name: &'static str,
    pub(super) region: &'static str,
    pub(super) ip: String,
    pub(super) user_agent: String,
    pub(super) recipient: String,
    pub(super) error: Option<(&'static str, String)>,
    pub(super) request: Value,
    pub(super) response: Value,
    /// `additionalEventData`.
    pub(super) additional: Option<Value>,
    pub(super) resources: Option<Value>,
    pub(super) read_only: bool,
    /// An S3 data event rather than a management event.
    pub(super) data: bool,
    pub(super) version: &'static str,
    /// `tlsDetails.clientProvidedHostHeader`; derived from the service and region if unset.
    pub(super) host: Option<String>,
    pub(super) shared_event_id: Option<String>,
}

impl Call {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        who: &Who,
        secs: i64,
        source: &'static str,
        name: &'static str,
        region: &'static str,
        ip: &str,
        user_agent: &str,
        recipient: &str,
    ) -> Call {
        Call {
            who: who.clone(),
            secs,
            source,
            name,
            region,
            ip: ip.to_string(),
            user_agent: user_agent.to_string(),
            recipient: recipient.to_string(),
            error: None,
            request: Value::Null,
            response: Value::Null,
            additional: None,
            resources: None,
            read_only: true,
            data: false,
            version: "1.08",
            host: None,
            shared_event_id: None,
        }
    }

    /// The record, with fresh eventID and requestID.
    pub(super) fn record(self, rng: &mut Rng) -> Value {
        let request_id = if self.source == "s3.amazonaws.com" {
            rng.chars(S3_REQUEST_ID, 16)
        } else {
            rng.uuid()
        };
        let event_id = rng.uuid();
        let mut r = Map::new();
        let mut put = |k: &str, v: Value| {
            r.insert(k.to_string(), v);
        };
        put("eventVersion", json!(self.version));
        put("userIdentity", self.who.identity());
        put("eventTime", json!(iso(self.secs)));
        put("eventSource", json!(self.source));
        put("eventName", json!(self.name));
        put("awsRegion", json!(self.region));
        put("sourceIPAddress", json!(self.ip));
        put("userAgent", json!(self.user_agent));
        if let Some((code, message)) = &self.error {
            put("errorCode", json!(code));
            put("errorMessage", json!(message));
        }
        put("requestParameters", self.request);
        put("responseElements", self.response);
        if let Some(extra) = self.additional {
            put("additionalEventData", extra);
        }
        put("requestID", json!(request_id));
        put("eventID", json!(event_id));
        put("readOnly", json!(self.read_only));
        if let Some(resources) = self.resources {
            put("resources", resources);
        }
        put("eventType", json!("AwsApiCall"));
        put("managementEvent", json!(!self.data));
        put("recipientAccountId", json!(self.recipient));
        if let Some(shared) = self.shared_event_id {
            put("sharedEventID", json!(shared));
        }
        put(
            "eventCategory",
            json!(if self.data { "Data" } else { "Management" }),
        );
        // AWS services calling on the account's behalf have no TLS session of their own.
        if !matches!(self.who, Who::Service(_)) {
            let host = self
                .host
                .unwrap_or_else(|| default_host(self.source, self.region));
            put(
                "tlsDetails",
                json!({
                    "tlsVersion": "TLSv1.3",
                    "cipherSuite": "TLS_AES_128_GCM_SHA256",
                    "clientProvidedHostHeader": host,
                }),
            );
        }
        if self.who.is_console() {
            put("sessionCredentialFromConsole", json!("true"));
        }
        Value::Object(r)
    }
}

/// The endpoint a client reaches for the service in the region.
fn default_host(source: &str, region: &str) -> String {
    let service = source.strip_suffix(".amazonaws.com").unwrap_or(source);
    match service {
        "iam" => "iam.amazonaws.com".to_string(),
        "sts" if region == "us-east-1" => "sts.amazonaws.com".to_string(),
        _ => format!("{service}.{region}.amazonaws.com"),
    }
}

/// An access key ID: AKIA (long-term) or ASIA (session) and 16 characters.
pub(super) fn key(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}{}", rng.chars(super::super::pools::ID_CHARS, 16))
}

/// A principal ID: AIDA (user) or AROA (role) and 17 characters.
pub(super) fn principal_id(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}{}", rng.chars(super::super::pools::ID_CHARS, 17))
}

/// An S3 object-level data event (GetObject, PutObject, DeleteObject) on `bucket/key`.
#[allow(clippy::too_many_arguments)]
pub(super) fn s3_object(
    who: &Who,
    secs: i64,
    name: &'static str,
    bucket: &str,
    bucket_account: &str,
    region: &'static str,
    object: &str,
    ip: &str,
    user_agent: &str,
    rng: &mut Rng,
) -> Call {
    let host = format!("{bucket}.s3.{region}.amazonaws.com");
    let mut call = Call::new(
        who,
        secs,
        "s3.amazonaws.com",
        name,
        region,
        ip,
        user_agent,
        bucket_account,
    );
    let size = 4_096 + rng.below(6_000_000);
    let (bytes_in, bytes_out) = match name {
        "GetObject" => (0, size),
        "PutObject" => (size, 0),
        _ => (0, 0),
    };
    call.read_only = name == "GetObject";
    call.data = true;
    call.request = json!({"bucketName": bucket, "Host": host, "key": object});
    call.additional = Some(json!({
        "SignatureVersion": "SigV4",
        "CipherSuite": "TLS_AES_128_GCM_SHA256",
        "bytesTransferredIn": bytes_in,
        "bytesTransferredOut": bytes_out,
        "AuthenticationMethod": "AuthHeader",
        "x-amz-id-2": format!("{}=", rng.chars(B64, 55)),
    }));
    call.resources = Some(json!([
        {"type": "AWS::S3::Object", "ARN": format!("arn:aws:s3:::{bucket}/{object}")},
        {"accountId": bucket_account, "type": "AWS::S3::Bucket", "ARN": format!("arn:aws:s3:::{bucket}")},
    ]));
    call.host = Some(host);
    call
}

/// What an AssumeRole hands out.
pub(super) struct Session {
    pub(super) role_account: String,
    pub(super) role: String,
    pub(super) role_id: String,
    pub(super) session: String,
    pub(super) key: String,
    pub(super) seconds: i64,
}

impl Session {
    pub(super) fn role_arn(&self) -> String {
        format!("arn:aws:iam::{}:role/{}", self.role_account, self.role)
    }

    /// The caller the new key acts as, from the moment it was minted.
    pub(super) fn who(&self, created: i64) -> Who {
        Who::Role {
            account: self.role_account.clone(),
            role: self.role.clone(),
            role_id: self.role_id.clone(),
            session: self.session.clone(),
            key: self.key.clone(),
            created,
        }
    }
}

/// `sts:AssumeRole` by `call.who` into `s`; the response names the new key and session.
/// Services' AssumeRole responses carry only the credentials, as the demo's do.
pub(super) fn assume_role(mut call: Call, s: &Session, rng: &mut Rng) -> Call {
    let arn = s.role_arn();
    let mut request = json!({"roleArn": arn, "roleSessionName": s.session});
    if !matches!(call.who, Who::Service(_)) {
        request["durationSeconds"] = json!(s.seconds);
    }
    call.request = request;
    let expiration = Civil::from_secs(call.secs + s.seconds).response_date(true);
    let token = format!("IQoJb3JpZ2luX2Vj{}=", rng.chars(B64, 96));
    let mut response = json!({
        "credentials": {"accessKeyId": s.key, "sessionToken": token, "expiration": expiration},
    });
    if !matches!(call.who, Who::Service(_)) {
        response["assumedRoleUser"] = json!({
            "assumedRoleId": format!("{}:{}", s.role_id, s.session),
            "arn": format!("arn:aws:sts::{}:assumed-role/{}/{}", s.role_account, s.role, s.session),
        });
    }
    call.response = response;
    call.resources = Some(json!([
        {"accountId": s.role_account, "type": "AWS::IAM::Role", "ARN": arn},
    ]));
    call.shared_event_id = Some(rng.uuid());
    call
}

/// The role account's copy of a cross-account AssumeRole: the same call (time, requestID,
/// sharedEventID, response) under its own eventID, recorded in the role's account, with the
/// caller shown as a foreign account.
pub(super) fn role_account_copy(caller_copy: &Value, caller: &Who, rng: &mut Rng) -> Value {
    let mut copy = caller_copy.clone();
    if let Some(map) = copy.as_object_mut() {
        let role_account = map
            .get("resources")
            .and_then(|r| r.get(0))
            .and_then(|r| r.get("accountId"))
            .cloned()
            .unwrap_or(Value::Null);
        map.insert(
            "userIdentity".to_string(),
            caller.as_foreign_account().identity(),
        );
        map.insert("eventID".to_string(), json!(rng.uuid()));
        map.insert("recipientAccountId".to_string(), role_account);
    }
    copy
}

/// `AccessDenied` as IAM words it for a user or role without the permission.
pub(super) fn denied(who: &Who, action: &str, resource: &str) -> String {
    format!(
        "User: {} is not authorized to perform: {action} on resource: {resource} because no \
         identity-based policy allows the {action} action",
        who.arn()
    )
}

/// EC2's wording of the same refusal (`Client.UnauthorizedOperation`).
pub(super) fn ec2_denied(who: &Who, action: &str) -> String {
    format!(
        "You are not authorized to perform this operation. User: {} is not authorized to \
         perform: {action} because no identity-based policy allows the {action} action",
        who.arn()
    )
}

#[cfg(test)]
mod tests {
    use super::super::super::rng::Purpose;
    use super::*;

    #[test]
    fn cross_account_copies_share_the_call_but_not_the_event() {
        let mut rng = Rng::stream(1, Purpose::Incident, 0);
        let caller = Who::User {
            account: "111122223333".into(),
            name: "ci".into(),
            id: "AIDAEXAMPLE".into(),
            key: "AKIAEXAMPLE".into(),
            console: None,
        };
        let s = Session {
            role_account: "444455556666".into(),
            role: "Admin".into(),
            role_id: "AROAEXAMPLE".into(),
            session: "s1".into(),
            key: "ASIAEXAMPLE".into(),
            seconds: 3600,
        };
        let call = Call::new(
            &caller,
            1_000_000,
            "sts.amazonaws.com",
            "AssumeRole",
            "us-east-1",
            "198.51.100.7",
            "ua",
            "111122223333",
        );
        let a = assume_role(call, &s, &mut rng).record(&mut rng);
        let b = role_account_copy(&a, &caller, &mut rng);
        for same in [
            "/requestID",
            "/sharedEventID",
            "/eventTime",
            "/responseElements",
        ] {
            assert_eq!(a.pointer(same), b.pointer(same), "{same}");
        }
        assert_ne!(a["eventID"], b["eventID"]);
        assert_eq!(b["recipientAccountId"], "444455556666");
        assert_eq!(b["userIdentity"]["type"], "AWSAccount");
        assert_eq!(b["userIdentity"]["accountId"], "111122223333");
        assert!(b["userIdentity"].get("accessKeyId").is_none());
        assert_eq!(
            a["responseElements"]["assumedRoleUser"]["arn"],
            "arn:aws:sts::444455556666:assumed-role/Admin/s1"
        );
        let keys: Vec<&str> = a.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(&keys[..3], ["eventVersion", "userIdentity", "eventTime"]);
    }
}
