//! LookupEvents query planning. The API takes exactly one lookup attribute per call and
//! silently ignores any others (tools have shipped that bug), so from the user's filter we send
//! the single most selective condition AWS can evaluate exactly as the filter means it, narrow
//! the time window with the filter's time bounds, and apply the whole filter locally to what
//! comes back. Pushing down is only ever an optimisation: the local filter decides.

use crate::filter::field::Field;
use crate::filter::Expr;
use crate::model::time::EventTime;

/// AWS's `LookupAttributeKey` values (see assets/api/cloudtrail-service-2.json), in order of
/// selectivity: the planner sends the first one the filter pins.
#[derive(Copy, Clone, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub enum LookupKey {
    AccessKeyId,
    EventId,
    ResourceName,
    Username,
    EventName,
    EventSource,
    ReadOnly,
}

impl LookupKey {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LookupKey::AccessKeyId => "AccessKeyId",
            LookupKey::EventId => "EventId",
            LookupKey::ResourceName => "ResourceName",
            LookupKey::Username => "Username",
            LookupKey::EventName => "EventName",
            LookupKey::EventSource => "EventSource",
            LookupKey::ReadOnly => "ReadOnly",
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LookupPlan {
    /// The one attribute sent to AWS, if any condition can be.
    pub attribute: Option<(LookupKey, String)>,
    /// The condition that attribute stands for, as the user wrote it.
    pub pushed: Option<Expr>,
    /// Time bounds from the filter's top-level `after:` / `before:`, to narrow the request.
    pub after: Option<EventTime>,
    pub before: Option<EventTime>,
    /// The whole filter, applied locally to every fetched event.
    pub local: Expr,
}

impl LookupPlan {
    /// For the status bar: what ran at AWS and what runs here.
    pub fn describe(&self) -> String {
        let remote = match &self.attribute {
            Some((key, value)) => format!("AWS: {}={value}", key.as_str()),
            None => "AWS: every event in the window".to_string(),
        };
        let rest: Vec<String> = conjuncts(&self.local)
            .iter()
            .filter(|&&c| Some(c) != self.pushed.as_ref())
            .map(|c| c.to_string())
            .collect();
        match rest.is_empty() {
            true => remote,
            false => format!("{remote} · here: {}", rest.join(" ")),
        }
    }
}

/// Plans a fetch for `filter`; `now` resolves relative times (`after:-3h`).
pub fn plan(filter: &Expr, now: EventTime) -> LookupPlan {
    let parts = conjuncts(filter);
    let best = parts
        .iter()
        .filter_map(|e| pushable(e).map(|(k, v)| (k, v, (*e).clone())))
        .min_by_key(|(k, _, _)| *k);
    let mut after = None;
    let mut before = None;
    for part in &parts {
        if let Expr::Field { field, value, .. } = part {
            let bound = crate::filter::time_bound(value, now);
            match field {
                Field::After => after = after.max(bound),
                Field::Before => before = min_some(before, bound),
                _ => {}
            }
        }
    }
    LookupPlan {
        attribute: best.as_ref().map(|(k, v, _)| (*k, v.clone())),
        pushed: best.map(|(_, _, e)| e),
        after,
        before,
        local: filter.clone(),
    }
}

fn min_some(a: Option<EventTime>, b: Option<EventTime>) -> Option<EventTime> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// The conditions that must all hold: only these can be pushed down (never a branch of an
/// OR, never a negation).
fn conjuncts(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::And(parts) => parts.iter().collect(),
        other => vec![other],
    }
}

/// The attribute that selects exactly the events this condition keeps, or a superset the
/// local filter then trims; `None` when AWS cannot express it (substrings, globs, case
/// folding, IPs, ARNs as user names).
fn pushable(e: &Expr) -> Option<(LookupKey, String)> {
    let Expr::Field {
        field,
        value,
        exact,
    } = e
    else {
        return None;
    };
    let v = value.as_str();
    if v.contains(['*', '?']) {
        return None;
    }
    let key = match field {
        // Key IDs compare exactly in the filter too.
        Field::Key => LookupKey::AccessKeyId,
        // `id:` also matches request IDs locally; AWS looks up event IDs only, so pushing it
        // would miss those: only a UUID-shaped value (what eventIDs are) is sent.
        Field::Id if is_uuid(v) => LookupKey::EventId,
        Field::Resource if *exact => LookupKey::ResourceName,
        // Username is a user name, never an ARN or a principal key.
        Field::Principal if *exact && !v.contains(['/', ':']) => LookupKey::Username,
        // AWS compares event names case-sensitively; the filter does not. CamelCase as typed
        // is what a real event name looks like, so it is sent; `event:deleteobject` is not.
        Field::Event if *exact || v.starts_with(|c: char| c.is_ascii_uppercase()) => {
            LookupKey::EventName
        }
        Field::Source if *exact || v.ends_with(".amazonaws.com") => LookupKey::EventSource,
        Field::ReadOnly => {
            let b = match v.to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" => "true",
                "false" | "no" | "0" => "false",
                _ => return None,
            };
            return Some((LookupKey::ReadOnly, b.to_string()));
        }
        _ => return None,
    };
    Some((key, v.to_string()))
}

fn is_uuid(v: &str) -> bool {
    let groups: Vec<&str> = v.split('-').collect();
    groups.len() == 5
        && groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}
