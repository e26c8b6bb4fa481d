//! An organization's Event history for the fake endpoint: management events in every account
//! × region, recent (LookupEvents keeps 90 days and the tests use the real clock), each with
//! its own eventID, so a test can check that every one arrives exactly once.

use std::collections::BTreeMap;
use std::path::Path;

/// Writes `per_lane` events for every account × region into `dir/org.json`, the newest a
/// minute ago, one every 10 s going back; returns each account's event IDs.
pub fn write_organization(
    dir: &Path,
    accounts: &[&str],
    regions: &[&str],
    per_lane: usize,
) -> BTreeMap<String, Vec<String>> {
    let now = trailscope::model::time::EventTime::now()
        .millis()
        .unwrap_or(0);
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut records = Vec::new();
    for (a, account) in accounts.iter().enumerate() {
        for (r, region) in regions.iter().enumerate() {
            for n in 0..per_lane {
                let id = format!("{:08x}-0000-4000-8000-{:04x}{:08x}", a, r, n);
                let time = trailscope::model::time::EventTime::from_millis(
                    now - 60_000 - n as i64 * 10_000,
                );
                records.push(serde_json::json!({
                    "eventVersion": "1.09",
                    "userIdentity": {
                        "type": "IAMUser",
                        "principalId": "AIDAEXAMPLE",
                        "arn": format!("arn:aws:iam::{account}:user/ops"),
                        "accountId": account,
                        "accessKeyId": format!("AKIAORG{a:013}"),
                        "userName": "ops"
                    },
                    "eventTime": time.format_utc(),
                    "eventSource": "ec2.amazonaws.com",
                    "eventName": "DescribeInstances",
                    "awsRegion": region,
                    "sourceIPAddress": "198.51.100.20",
                    "userAgent": "aws-cli/2.15.0",
                    "requestParameters": null,
                    "responseElements": null,
                    "requestID": id,
                    "eventID": id,
                    "readOnly": true,
                    "eventType": "AwsApiCall",
                    "managementEvent": true,
                    "recipientAccountId": account,
                    "eventCategory": "Management"
                }));
                ids.entry(account.to_string()).or_default().push(id);
            }
        }
    }
    let doc = serde_json::json!({ "Records": records });
    std::fs::write(dir.join("org.json"), doc.to_string()).expect("write org.json");
    ids
}
