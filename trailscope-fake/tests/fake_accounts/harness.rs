//! What the account tests share: the demo served with flags, requests signed for a service
//! with a key, and what LookupEvents should serve an account.

use clap::Parser;
use std::collections::BTreeSet;
use trailscope::model::store::Store;
use trailscope::source::demo;
use trailscope::source::files::load_blocking;
use trailscope_fake::cli::ServeArgs;
use trailscope_fake::{FakeCloudTrail, Reply};

pub const MEMBER: &str = "444455556666";
pub const CALLER: &str = "111122223333";
pub const ROLE: &str = "OrganizationAccountAccessRole";
const NOW: &str = "2026-11-21T12:00:00Z";

/// `serve` flags as the binary takes them (after `serve --demo`).
pub fn args(flags: &[&str]) -> ServeArgs {
    let words = ["serve", "--demo", "--port", "0", "--now", NOW];
    ServeArgs::try_parse_from(words.iter().chain(flags)).expect("valid flags")
}

pub fn demo_store() -> Store {
    load_blocking(demo::plan()).0
}

/// The demo, served by `FakeCloudTrail::handle` with these flags applied.
pub fn fake(flags: &[&str]) -> FakeCloudTrail {
    let mut f = FakeCloudTrail::from_store(&demo_store());
    trailscope_fake::endpoint::configure(&mut f, &args(flags)).expect("flags apply");
    f
}

pub fn now_ms() -> i64 {
    trailscope::model::time::EventTime::parse(NOW)
        .and_then(|t| t.millis())
        .unwrap_or(0)
}

/// One signed request to `service` with `key`, at `clock_ms` on the fake's monotonic clock.
pub fn call(
    f: &mut FakeCloudTrail,
    service: &str,
    key: &str,
    target: Option<&str>,
    body: &str,
    clock_ms: u64,
) -> Reply {
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential={key}/20261121/us-east-1/{service}/aws4_request, \
         SignedHeaders=host;x-amz-date, Signature=00"
    );
    f.handle(
        target,
        Some(&auth),
        Some("20261121T120000Z"),
        body.as_bytes(),
        now_ms(),
        clock_ms,
    )
}

/// AssumeRole of `role` in `account` with the static key; the issued access key ID.
pub fn assume(f: &mut FakeCloudTrail, account: &str, extra: &str, clock_ms: u64) -> String {
    let body = format!(
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A{account}%3Arole%2F\
         {ROLE}&RoleSessionName=trailscope-test{extra}"
    );
    let r = call(f, "sts", "AKIDEXAMPLE", None, &body, clock_ms);
    assert_eq!(r.status, 200, "{r:?}");
    xml_text(&r.body, "AccessKeyId").expect("an access key")
}

/// The text of the first `<tag>` of an XML answer (the fake's are flat enough for this).
pub fn xml_text(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    Some(xml[start..end].to_string())
}

/// IDs of the events LookupEvents should serve in `region` for `account` ("" counts as the
/// caller's account, as the fake does).
pub fn expected_ids(store: &Store, region: &str, account: &str) -> BTreeSet<String> {
    store
        .time_order()
        .iter()
        .map(|&i| store.event(i))
        .filter(|e| store.text(e.region) == region)
        .filter(|e| trailscope_fake::served_by_lookup(store, e))
        .filter(|e| match store.text(e.account) {
            "" => account == CALLER,
            a => a == account,
        })
        .filter_map(|e| e.event_id.as_ref().map(ToString::to_string))
        .collect()
}
