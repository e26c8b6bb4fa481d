//! LookupEvents as AWS serves it: newest first; one lookup attribute honoured and any others
//! silently ignored; a 90-day window; MaxResults 1–50; NextToken bound to the parameters;
//! 2 requests/s per region; SigV4 headers required; errors as awsJson1_1 `__type` bodies.

use super::accounts::Accounts;
use super::athena::FakeAthena;
use super::faults::{Fault, Faults};
use super::lake::FakeLake;
use super::throttle::{Buckets, RateLimit};
use super::token::{self, Params};
use super::Reply;
use serde_json::{json, Value};
use trailscope::filter::session_of;
use trailscope::model::store::Store;

const NINETY_DAYS_MS: i64 = 90 * 86_400_000;
pub(crate) const TARGETS: [&str; 2] = [
    "CloudTrail_20131101.LookupEvents",
    "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
];

/// One event as LookupEvents describes it.
#[derive(Clone, Debug)]
struct Served {
    time_ms: i64,
    region: String,
    event_id: String,
    name: String,
    source: String,
    read_only: Option<bool>,
    access_key: String,
    username: String,
    /// (ResourceType, ResourceName)
    resources: Vec<(String, String)>,
    raw: std::sync::Arc<str>,
    /// recipientAccountId ("" when the record has none): whose Event history holds it.
    account: String,
    /// A management event: LookupEvents serves these (and Insights), never data or network
    /// activity events, which only trails, Lake and Athena hold.
    management: bool,
}

pub struct FakeCloudTrail {
    events: Vec<Served>,
    pub limit: RateLimit,
    buckets: Buckets,
    /// Every LookupEvents request body received, with its region: tests assert on them.
    pub requests: Vec<(String, Value)>,
    /// Faults injected by call number (see `faults`).
    pub faults: Faults,
    /// CloudTrail Lake over the same events; its calls are not LookupEvents calls (no
    /// `requests`, faults or rate limit).
    pub lake: FakeLake,
    /// Athena's CloudTrail table over the same events.
    pub athena: FakeAthena,
    /// The organization: which account a key belongs to, the keys AssumeRole issued, the
    /// per-account rate limits.
    pub accounts: Accounts,
}

/// Whether LookupEvents returns this event: management events only (AWS: "management events
/// and CloudTrail Insights events"), never data or network activity events.
pub fn served_by_lookup(store: &Store, e: &trailscope::model::event::Event) -> bool {
    matches!(store.text(e.category), "" | "Management") && e.management != Some(false)
}

impl FakeCloudTrail {
    /// Serves the events of `store` (raw records must have been kept).
    pub fn from_store(store: &Store) -> FakeCloudTrail {
        let mut events: Vec<Served> = store
            .time_order()
            .iter()
            .map(|&i| {
                let e = store.event(i);
                let id = &e.identity;
                // LookupEvents' Username: the IAM user name, or the role session name.
                let username = store.text(id.user_name).to_string();
                let username = if username.is_empty() {
                    session_of(store.text(id.arn))
                        .unwrap_or_default()
                        .to_string()
                } else {
                    username
                };
                Served {
                    time_ms: e.time.millis().unwrap_or(0),
                    region: store.text(e.region).to_string(),
                    event_id: e
                        .event_id
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    name: store.text(e.name).to_string(),
                    source: store.text(e.source).to_string(),
                    read_only: e.read_only,
                    access_key: store.text(id.access_key_id).to_string(),
                    username,
                    resources: e
                        .resources
                        .iter()
                        .map(|r| {
                            (
                                store.text(r.kind).to_string(),
                                store.text(r.arn).to_string(),
                            )
                        })
                        .collect(),
                    raw: std::sync::Arc::from(&*e.raw.text()),
                    account: store.text(e.account).to_string(),
                    management: served_by_lookup(store, e),
                }
            })
            .collect();
        // Newest first, as AWS pages; ties by event ID so pages are stable.
        events.sort_by(|a, b| {
            b.time_ms
                .cmp(&a.time_ms)
                .then_with(|| a.event_id.cmp(&b.event_id))
        });
        let raw: Vec<_> = events.iter().map(|e| e.raw.clone()).collect();
        let athena = FakeAthena::new(raw.clone());
        let lake = FakeLake::new(raw);
        let in_events = events
            .iter()
            .filter(|e| !e.account.is_empty())
            .map(|e| e.account.clone())
            .collect();
        FakeCloudTrail {
            events,
            lake,
            athena,
            accounts: Accounts::new(in_events),
            limit: RateLimit::default(),
            buckets: Buckets::default(),
            requests: Vec::new(),
            faults: Faults::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// One LookupEvents call (signed and routed by `handle`) from a caller who sees `scope`'s
    /// events (`None`: every account's); `clock_ms` is the rate limit's clock.
    pub(crate) fn lookup_events(
        &mut self,
        scope: Option<&str>,
        region: &str,
        body: &[u8],
        now_ms: i64,
        clock_ms: u64,
    ) -> Reply {
        let request: Value = match serde_json::from_slice(body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return Reply::error(400, "SerializationException", "body is not a JSON object"),
        };
        self.requests.push((region.to_string(), request.clone()));
        let fault = self.faults.next_call();
        match fault {
            Some(Fault::Error { status, kind }) => {
                let message = match kind.as_str() {
                    "ThrottlingException" => "Rate exceeded".to_string(),
                    _ => format!("injected fault: {kind}"),
                };
                return Reply::error(status, &kind, &message);
            }
            Some(Fault::MalformedJson) => {
                return Reply::ok(200, r#"{"Events": [{"EventId": "cut here"#.to_string())
            }
            _ => {}
        }
        // AWS limits each account separately; a static key seeing every account spends one
        // shared bucket (account "").
        let account = scope.unwrap_or_default();
        let limit = self.accounts.limit_for(account, self.limit);
        if !self.buckets.take(limit, account, region, clock_ms) {
            return Reply::error(400, "ThrottlingException", "Rate exceeded");
        }
        let mut reply = self.lookup(scope, region, &request, now_ms);
        reply.transport = fault;
        reply
    }

    fn lookup(&self, scope: Option<&str>, region: &str, request: &Value, now_ms: i64) -> Reply {
        // AWS honours the first attribute and silently ignores the rest.
        let attribute = match request.get("LookupAttributes") {
            None | Some(Value::Null) => None,
            Some(Value::Array(list)) => match list.first() {
                None => None,
                Some(a) => match (a["AttributeKey"].as_str(), a["AttributeValue"].as_str()) {
                    (Some(k), Some(v)) if KEYS.contains(&k) => Some((k, v)),
                    _ => {
                        return Reply::error(
                            400,
                            "InvalidLookupAttributesException",
                            "Invalid lookup attribute key or value",
                        )
                    }
                },
            },
            Some(_) => {
                return Reply::error(
                    400,
                    "SerializationException",
                    "LookupAttributes is not a list",
                )
            }
        };
        let oldest = now_ms - NINETY_DAYS_MS;
        let start_ms = epoch_ms(request.get("StartTime"))
            .unwrap_or(oldest)
            .max(oldest);
        let end_ms = epoch_ms(request.get("EndTime")).unwrap_or(now_ms);
        if start_ms > end_ms {
            return Reply::error(
                400,
                "InvalidTimeRangeException",
                "StartTime is after EndTime",
            );
        }
        let max = match request.get("MaxResults") {
            None | Some(Value::Null) => 50,
            Some(v) => match v.as_u64() {
                Some(n @ 1..=50) => n as usize,
                _ => {
                    return Reply::error(
                        400,
                        "InvalidMaxResultsException",
                        "MaxResults must be 1 to 50",
                    )
                }
            },
        };
        let category = request.get("EventCategory").and_then(Value::as_str);
        if category.is_some_and(|c| c != "insight") {
            return Reply::error(
                400,
                "InvalidEventCategoryException",
                "EventCategory must be insight",
            );
        }
        let params = Params {
            account: scope,
            region,
            attribute,
            start_ms,
            end_ms,
            category,
        };
        let offset = match request.get("NextToken").and_then(Value::as_str) {
            None => 0,
            Some(t) => match token::decode(t, &params) {
                Some(o) => o,
                None => {
                    return Reply::error(
                        400,
                        "InvalidNextTokenException",
                        "Invalid NextToken: it must be sent with the parameters of the call that returned it",
                    )
                }
            },
        };
        // Insight events are not served: the fake holds management and data events only, and
        // LookupEvents answers with the management ones, as AWS does.
        let matching = self.events.iter().filter(|e| {
            category.is_none()
                && e.management
                && e.region == region
                && self.accounts.in_scope(scope, &e.account)
                && (start_ms..=end_ms).contains(&e.time_ms)
                && attribute.is_none_or(|(k, v)| matches(e, k, v))
        });
        let page: Vec<&Served> = matching.clone().skip(offset).take(max).collect();
        let more = matching.clone().nth(offset + page.len()).is_some();
        let events: Vec<Value> = page.iter().map(|e| describe(e)).collect();
        let mut body = json!({ "Events": events });
        if more {
            body["NextToken"] = Value::String(token::encode(&params, offset + page.len()));
        }
        Reply::ok(200, body.to_string())
    }
}

const KEYS: [&str; 8] = [
    "EventId",
    "EventName",
    "ReadOnly",
    "Username",
    "ResourceType",
    "ResourceName",
    "EventSource",
    "AccessKeyId",
];

/// Exact, case-sensitive, as AWS compares lookup values.
fn matches(e: &Served, key: &str, value: &str) -> bool {
    match key {
        "EventId" => e.event_id == value,
        "EventName" => e.name == value,
        "ReadOnly" => e.read_only.map(|b| b.to_string()).as_deref() == Some(value),
        "Username" => e.username == value,
        "ResourceType" => e.resources.iter().any(|(t, _)| t == value),
        "ResourceName" => e.resources.iter().any(|(_, n)| n == value),
        "EventSource" => e.source == value,
        "AccessKeyId" => e.access_key == value,
        _ => false,
    }
}

fn describe(e: &Served) -> Value {
    let mut v = json!({
        "EventId": e.event_id,
        "EventName": e.name,
        "EventTime": e.time_ms as f64 / 1000.0,
        "EventSource": e.source,
        "Resources": e.resources.iter().map(|(t, n)| json!({"ResourceType": t, "ResourceName": n})).collect::<Vec<_>>(),
        "CloudTrailEvent": &*e.raw,
    });
    if let Some(ro) = e.read_only {
        v["ReadOnly"] = Value::String(ro.to_string());
    }
    if !e.access_key.is_empty() {
        v["AccessKeyId"] = Value::String(e.access_key.clone());
    }
    if !e.username.is_empty() {
        v["Username"] = Value::String(e.username.clone());
    }
    v
}

/// awsJson1_1 timestamps are epoch seconds (fractions allowed).
fn epoch_ms(v: Option<&Value>) -> Option<i64> {
    v.and_then(Value::as_f64)
        .map(|s| (s * 1000.0).round() as i64)
}
