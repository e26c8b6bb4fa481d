//! What a call acted on: the bucket and key an S3 read touched, the user an IAM call changed,
//! the trail `StopLogging` stopped. Read once per record while parsing, from the record's own
//! `requestParameters` by the table of rules below, else its first `resources[].ARN`, and
//! interned as a hot field, so the column, facet, filter and group-by cost what any other
//! field costs.
//!
//! Every value here was written by the caller. It is only bounded here (cut in the middle past
//! `MAX_CHARS`); like every other field it is escaped where it is shown (`sanitize`).

use super::loose::Loose;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;

/// A longer target is cut in the middle: S3 keys run to 1,024 bytes, and the head (the bucket)
/// and the tail (the file name) are both what a responder reads.
pub const MAX_CHARS: usize = 256;
/// A call naming many things (SendCommand to fifty instances, GetParameters of ten names)
/// shows this many of them and how many more.
const MAX_VALUES: usize = 3;

/// One row of the table. For a call to `service` whose name matches one of `names` (every call
/// when empty; `Prefix*` and `*Suffix` allowed), the target is the `parts` found, joined by
/// `sep`; a part is the first of its `requestParameters` paths that holds a value. A path's
/// steps are keys separated by `.`; a list met on the way is read item by item
/// (`instancesSet.items.instanceId`). Rules are tried in order and the first that finds
/// something wins, so a specific rule goes before its service's general one.
struct Rule {
    service: &'static str,
    names: &'static [&'static str],
    parts: &'static [&'static [&'static str]],
    sep: &'static str,
}

const fn rule(
    service: &'static str,
    names: &'static [&'static str],
    parts: &'static [&'static [&'static str]],
    sep: &'static str,
) -> Rule {
    Rule {
        service,
        names,
        parts,
        sep,
    }
}

/// The table: (service, event names) → the request parameters to read, in order, and how to
/// join them. Services are `eventSource` without `.amazonaws.com`.
const RULES: &[Rule] = &[
    // The bucket, then the object when there is one (data events): `bucket/key`.
    rule("s3", &[], &[&["bucketName"], &["key"]], "/"),
    // Who was put into (or out of) which group; who got (or lost) which policy.
    rule(
        "iam",
        &["AddUserToGroup", "RemoveUserFromGroup"],
        &[&["userName"], &["groupName"]],
        " → ",
    ),
    rule(
        "iam",
        &["*Policy"],
        &[
            &["userName", "roleName", "groupName"],
            &["policyArn", "policyName"],
        ],
        " ← ",
    ),
    rule(
        "iam",
        &[],
        &[&[
            "userName",
            "roleName",
            "groupName",
            "policyArn",
            "instanceProfileName",
            "openIDConnectProviderArn",
            "sAMLProviderArn",
            "serverCertificateName",
            "virtualMFADeviceName",
            "serialNumber",
            "name",
        ]],
        "",
    ),
    // AssumeRole, AssumeRoleWithSAML/WebIdentity: the role; GetFederationToken: its name.
    rule("sts", &[], &[&["roleArn", "name"]], ""),
    rule(
        "cloudtrail",
        &[],
        &[&[
            "name",
            "trailName",
            "trailNameList",
            "eventDataStore",
            "channelArn",
            "resourceId",
        ]],
        "",
    ),
    rule("guardduty", &[], &[&["detectorId"]], ""),
    rule(
        "secretsmanager",
        &[],
        &[&["secretId", "name", "secretIdList"]],
        "",
    ),
    // The instances a call names first, then the image, snapshot, volume, group or network
    // part; RunInstances names no instance yet, only the image it starts from.
    rule(
        "ec2",
        &[],
        &[&[
            "instancesSet.items.instanceId",
            "instanceId",
            "instancesSet.items.imageId",
            "imageId",
            "snapshotId",
            "volumeId",
            "groupId",
            "groupName",
            "networkAclId",
            "routeTableId",
            "internetGatewayId",
            "keyName",
            "DeleteFlowLogsRequest.FlowLogId.content",
            "vpcId",
            "subnetId",
        ]],
        "",
    ),
    rule("ec2-instance-connect", &[], &[&["instanceId"]], ""),
    rule(
        "ssm",
        &[],
        &[&[
            "instanceIds",
            "target",
            "name",
            "names",
            "instanceId",
            "sessionId",
            "documentName",
        ]],
        "",
    ),
    rule("kms", &[], &[&["keyId", "targetKeyId", "aliasName"]], ""),
    rule("lambda", &[], &[&["functionName", "layerName"]], ""),
    rule(
        "organizations",
        &[],
        &[&[
            "accountId",
            "targetId",
            "policyId",
            "organizationalUnitId",
            "parentId",
        ]],
        "",
    ),
    rule(
        "rds",
        &[],
        &[&[
            "dBInstanceIdentifier",
            "dBClusterIdentifier",
            "dBSnapshotIdentifier",
            "dBClusterSnapshotIdentifier",
            "sourceDBSnapshotIdentifier",
            "sourceDBClusterSnapshotIdentifier",
            "globalClusterIdentifier",
            "dBSecurityGroupName",
            "resourceArn",
            "sourceArn",
            "dbiResourceId",
            "dbClusterResourceId",
        ]],
        "",
    ),
    rule(
        "config",
        &[],
        &[&[
            "configurationRecorderName",
            "deliveryChannelName",
            "configRuleName",
            "configurationRecorder.name",
            "deliveryChannel.name",
        ]],
        "",
    ),
    rule(
        "logs",
        &[],
        &[&["logGroupName", "logGroupIdentifier"], &["logStreamName"]],
        ":",
    ),
    rule("ecr", &[], &[&["repositoryName"], &["imageTag"]], ":"),
    rule("dynamodb", &[], &[&["tableName", "tableArn"]], ""),
    rule(
        "glue",
        &[],
        &[&["databaseName"], &["tableName", "name"]],
        ".",
    ),
    rule(
        "route53resolver",
        &[],
        &[&[
            "resolverQueryLogConfigId",
            "resolverRuleId",
            "resolverEndpointId",
        ]],
        "",
    ),
    rule("route53", &[], &[&["hostedZoneId", "id"]], ""),
    rule("bedrock", &[], &[&["modelId", "guardrailIdentifier"]], ""),
    rule("wafv2", &[], &[&["resourceArn", "name"]], ""),
    rule("sqs", &[], &[&["queueUrl", "queueName"]], ""),
    rule("sns", &[], &[&["topicArn", "name"]], ""),
    rule(
        "codebuild",
        &[],
        &[&["projectArn", "projectName", "name"]],
        "",
    ),
    rule(
        "rolesanywhere",
        &[],
        &[&["name", "trustAnchorId", "profileId"]],
        "",
    ),
    rule("eks", &[], &[&["name", "clusterName"]], ""),
    rule("cloudformation", &[], &[&["stackName"]], ""),
    rule("es", &[], &[&["domainName"]], ""),
    rule(
        "elasticloadbalancing",
        &[],
        &[&["loadBalancerName", "loadBalancerArn", "targetGroupArn"]],
        "",
    ),
    rule("events", &[], &[&["name", "ruleName"]], ""),
    rule("backup", &[], &[&["backupVaultName", "backupPlanId"]], ""),
    rule("monitoring", &[], &[&["alarmNames", "alarmName"]], ""),
    rule("athena", &[], &[&["workGroup", "name"]], ""),
];

/// The target of one call: from its request parameters by the first rule that finds one,
/// else its first resource ARN. At most `MAX_CHARS` characters.
pub(crate) fn of(
    source: Option<&str>,
    name: Option<&str>,
    request_parameters: Option<&RawValue>,
    first_arn: Option<&str>,
) -> Option<Box<str>> {
    let from_request = request_parameters.and_then(|params| {
        let service = source?.strip_suffix(".amazonaws.com")?;
        let name = name.unwrap_or("");
        let mut rules = RULES
            .iter()
            .filter(|r| r.service == service && r.applies_to(name))
            .peekable();
        rules.peek()?;
        // Read once, only for calls some rule covers.
        let top = Entries::read(params)?;
        rules.find_map(|r| r.read(&top))
    });
    from_request
        .or_else(|| first_arn.filter(|a| !a.is_empty()).map(str::to_string))
        .map(bounded)
}

impl Rule {
    fn applies_to(&self, name: &str) -> bool {
        self.names.is_empty() || self.names.iter().any(|p| name_matches(p, name))
    }

    fn read(&self, top: &Entries<'_>) -> Option<String> {
        let found: Vec<String> = self
            .parts
            .iter()
            .filter_map(|paths| paths.iter().find_map(|path| top.values_at(path)))
            .collect();
        (!found.is_empty()).then(|| found.join(self.sep))
    }
}

/// `Delete*`, `*Policy` or a whole name.
fn name_matches(pattern: &str, name: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(suffix), _) => name.ends_with(suffix),
        (None, Some(prefix)) => name.starts_with(prefix),
        (None, None) => name == pattern,
    }
}

/// An object's keys with their values still unread: a record names a handful of parameters
/// and a rule asks for one or two of them.
struct Entries<'a>(Vec<(Loose<'a>, &'a RawValue)>);

impl<'a> Entries<'a> {
    /// `None` for anything but an object (`null`, a string some exports put there).
    fn read(raw: &'a RawValue) -> Option<Entries<'a>> {
        if !raw.get().trim_start().starts_with('{') {
            return None;
        }
        serde_json::from_str(raw.get()).ok()
    }

    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|&(_, v)| v)
    }

    /// The values at a dotted path, as the target shows them: `a, b, c +2 more`.
    fn values_at(&self, path: &str) -> Option<String> {
        let mut steps = path.split('.');
        let first = self.get(steps.next()?)?;
        let rest: Vec<&str> = steps.collect();
        let mut found = Found::default();
        found.collect(first, &rest, false);
        found.text()
    }
}

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Loose<'de>>()? {
                    entries.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(EntriesVisitor)
    }
}

/// The texts found along a path, the first few kept and the rest counted.
#[derive(Default)]
struct Found {
    kept: Vec<String>,
    total: usize,
}

impl Found {
    /// Walks `raw` down `path`. A list is read item by item, once per step: a list of lists
    /// is not a name anything is called by, and hostile nesting must not steer the recursion.
    fn collect(&mut self, raw: &RawValue, path: &[&str], in_list: bool) {
        let text = raw.get().trim_start();
        if text.starts_with('[') {
            if in_list {
                return;
            }
            if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) {
                for item in items {
                    self.collect(item, path, true);
                }
            }
        } else if text.starts_with('{') {
            let Some((step, rest)) = path.split_first() else {
                return;
            };
            if let Some(value) = Entries::read(raw).and_then(|o| o.get(step)) {
                self.collect(value, rest, false);
            }
        } else if path.is_empty() {
            if let Ok(Loose::Text(t)) = serde_json::from_str::<Loose>(text) {
                if !t.is_empty() {
                    self.total += 1;
                    if self.kept.len() < MAX_VALUES {
                        self.kept.push(t.into_owned());
                    }
                }
            }
        }
    }

    fn text(self) -> Option<String> {
        let more = self.total.saturating_sub(self.kept.len());
        let list = self.kept.join(", ");
        match (list.is_empty(), more) {
            (true, _) => None,
            (false, 0) => Some(list),
            (false, more) => Some(format!("{list} +{more} more")),
        }
    }
}

/// At most `MAX_CHARS` characters: a third of the head, the rest of the tail, `…` between.
fn bounded(text: String) -> Box<str> {
    let count = text.chars().count();
    if count <= MAX_CHARS {
        return text.into_boxed_str();
    }
    let room = MAX_CHARS - 1;
    let head = room / 3;
    let tail = room - head;
    let mut out: String = text.chars().take(head).collect();
    out.push('…');
    out.extend(text.chars().skip(count - tail));
    out.into_boxed_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(source: &str, name: &str, params: &str) -> Option<String> {
        let raw: Box<RawValue> = serde_json::from_str(params).expect("test JSON");
        of(Some(source), Some(name), Some(&raw), None).map(String::from)
    }

    #[test]
    fn rules_read_the_parameters_they_name() {
        let s3 = r#"{"bucketName":"b","Host":"h","key":"a/b.csv"}"#;
        assert_eq!(
            target("s3.amazonaws.com", "GetObject", s3).as_deref(),
            Some("b/a/b.csv")
        );
        let attach = r#"{"policyArn":"arn:aws:iam::aws:policy/Admin","userName":"bob"}"#;
        assert_eq!(
            target("iam.amazonaws.com", "AttachUserPolicy", attach).as_deref(),
            Some("bob ← arn:aws:iam::aws:policy/Admin")
        );
        let stop = r#"{"force":true,"instancesSet":{"items":[{"instanceId":"i-1"},{"instanceId":"i-2"}]}}"#;
        assert_eq!(
            target("ec2.amazonaws.com", "StopInstances", stop).as_deref(),
            Some("i-1, i-2")
        );
        let many = r#"{"instanceIds":["i-1","i-2","i-3","i-4","i-5"]}"#;
        assert_eq!(
            target("ssm.amazonaws.com", "SendCommand", many).as_deref(),
            Some("i-1, i-2, i-3 +2 more")
        );
    }

    #[test]
    fn falls_back_to_the_first_resource_and_else_to_nothing() {
        let arn = "arn:aws:kms:us-east-1:111122223333:key/k";
        let raw: Box<RawValue> = serde_json::from_str(r#"{"encryptionContext":{}}"#).expect("JSON");
        let source = Some("kms.amazonaws.com");
        assert_eq!(
            of(source, Some("Decrypt"), Some(&raw), Some(arn)).as_deref(),
            Some(arn)
        );
        assert_eq!(of(source, Some("Decrypt"), Some(&raw), None), None);
        assert_eq!(of(source, Some("Decrypt"), None, Some("")), None);
    }

    #[test]
    fn hostile_parameters_are_bounded_and_never_fatal() {
        for params in [
            r#""a string""#,
            "null",
            "[1,2]",
            r#"{"bucketName":{"nested":[[[["x"]]]]}}"#,
            r#"{"bucketName":[[["deep"]]]}"#,
            r#"{"bucketName":12}"#,
        ] {
            // Never a panic; a number is a value like any other.
            let _ = target("s3.amazonaws.com", "GetObject", params);
        }
        assert_eq!(
            target("s3.amazonaws.com", "GetObject", r#"{"bucketName":12}"#).as_deref(),
            Some("12")
        );
        let long = format!(
            r#"{{"bucketName":"b","key":"{}end.txt"}}"#,
            "k".repeat(5000)
        );
        let cut = target("s3.amazonaws.com", "GetObject", &long).unwrap_or_default();
        assert_eq!(cut.chars().count(), MAX_CHARS);
        assert!(cut.starts_with("b/k") && cut.ends_with("end.txt") && cut.contains('…'));
    }

    #[test]
    fn name_patterns() {
        assert!(name_matches("*Policy", "AttachRolePolicy"));
        assert!(!name_matches("*Policy", "ListPolicies"));
        assert!(name_matches("Delete*", "DeleteTrail"));
        assert!(name_matches("GetObject", "GetObject"));
        assert!(!name_matches("GetObject", "GetObjectAcl"));
    }
}
