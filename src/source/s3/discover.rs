//! What to list in a bucket: the organizations, accounts and regions under `AWSLogs/`, found
//! with ListObjectsV2 and a `/` delimiter (one request a level, never a walk of every key),
//! narrowed by what the location and `--accounts` / `--regions` already say.

use super::errors::{Doing, Failure};
use super::plan::{fixed, is_org, region_prefix, Fixed};
use super::retry::with_retries;
use super::stats::Stats;
use crate::source::files::CancelToken;
use aws_sdk_s3::Client;

/// A bucket and the client that reaches it (in its region).
pub(crate) struct Bucket {
    pub client: Client,
    pub name: String,
}

/// Where to list objects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// `…/CloudTrail/REGION/`: listed by date prefixes of the window.
    Region(String),
    /// Listed whole, objects pruned by the times in their names only.
    Whole(String),
}

/// What discovery found, and what it has to say (in plain words, without bucket strings).
pub(crate) struct Found {
    pub targets: Vec<Target>,
    pub notes: Vec<String>,
}

pub(crate) struct Ctx<'a> {
    pub stats: &'a Stats,
    pub cancel: &'a CancelToken,
}

/// The sub-folders of `prefix` (full prefixes, ending in `/`).
pub(crate) async fn folders(
    b: &Bucket,
    prefix: &str,
    ctx: &Ctx<'_>,
) -> Result<Vec<String>, Failure> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let doing = Doing::List {
            bucket: &b.name,
            prefix,
        };
        let page = with_retries(ctx.stats, ctx.cancel, doing, || {
            b.client
                .list_objects_v2()
                .bucket(&b.name)
                .prefix(prefix)
                .delimiter("/")
                .set_continuation_token(token.clone())
                .send()
        })
        .await;
        let page = match page {
            None => return Ok(out),
            Some(p) => p?,
        };
        out.extend(
            page.common_prefixes()
                .iter()
                .filter_map(|p| p.prefix().map(str::to_string)),
        );
        match page.next_continuation_token() {
            Some(t) if page.is_truncated() == Some(true) => token = Some(t.to_string()),
            _ => return Ok(out),
        }
    }
}

/// The last folder name of a prefix: `a/b/c/` → `c`.
fn leaf(prefix: &str) -> &str {
    prefix
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
}

/// The targets for one location. `accounts` and `regions` narrow (empty: everything found).
pub(crate) async fn discover(
    b: &Bucket,
    prefix: &str,
    accounts: &[String],
    regions: &[String],
    ctx: &Ctx<'_>,
) -> Result<Found, Failure> {
    let mut notes = Vec::new();
    let layouts = match fixed(prefix) {
        Some(f) => vec![f],
        None => find_awslogs(b, prefix, ctx).await?,
    };
    if layouts.is_empty() {
        notes.push(
            "no AWSLogs/ folder here: every log object under the location is read, pruned only by the times in the file names".to_string(),
        );
        return Ok(Found {
            targets: vec![Target::Whole(prefix.to_string())],
            notes,
        });
    }
    let mut targets = Vec::new();
    for f in layouts {
        if f.deeper {
            targets.push(Target::Whole(prefix.to_string()));
            continue;
        }
        for (org, account) in org_accounts(b, &f, accounts, ctx).await? {
            let regions_here = match (&f.region, regions.is_empty()) {
                (Some(r), _) => vec![r.clone()],
                (None, false) => regions.to_vec(),
                (None, true) => {
                    let base = match &org {
                        Some(o) => format!("{}{o}/{account}/CloudTrail/", f.base),
                        None => format!("{}{account}/CloudTrail/", f.base),
                    };
                    folders(b, &base, ctx)
                        .await?
                        .iter()
                        .map(|p| leaf(p).to_string())
                        .collect()
                }
            };
            for r in regions_here {
                if regions.is_empty() || regions.contains(&r) {
                    targets.push(Target::Region(region_prefix(
                        &f.base,
                        org.as_deref(),
                        &account,
                        &r,
                    )));
                }
            }
        }
    }
    Ok(Found { targets, notes })
}

/// Every (organization, account) pair under `AWSLogs/` that the location and `--accounts`
/// allow.
async fn org_accounts(
    b: &Bucket,
    f: &Fixed,
    accounts: &[String],
    ctx: &Ctx<'_>,
) -> Result<Vec<(Option<String>, String)>, Failure> {
    let wanted = |a: &str| accounts.is_empty() || accounts.iter().any(|w| w == a);
    if let Some(a) = &f.account {
        return Ok(vec![(f.org.clone(), a.clone())]
            .into_iter()
            .filter(|(_, a)| wanted(a))
            .collect());
    }
    let orgs: Vec<Option<String>> = match &f.org {
        Some(o) => vec![Some(o.clone())],
        None => {
            // Both layouts can share a bucket: an account trail next to an organization's.
            let top = folders(b, &f.base, ctx).await?;
            let mut orgs: Vec<Option<String>> = Vec::new();
            let mut out = Vec::new();
            for p in &top {
                let name = leaf(p);
                if is_org(name) {
                    orgs.push(Some(name.to_string()));
                } else if wanted(name) {
                    out.push((None, name.to_string()));
                }
            }
            let mut rest = Vec::new();
            for org in orgs {
                rest.extend(accounts_of(b, f, org, ctx, &wanted).await?);
            }
            out.extend(rest);
            return Ok(out);
        }
    };
    let mut out = Vec::new();
    for org in orgs {
        out.extend(accounts_of(b, f, org, ctx, &wanted).await?);
    }
    Ok(out)
}

async fn accounts_of(
    b: &Bucket,
    f: &Fixed,
    org: Option<String>,
    ctx: &Ctx<'_>,
    wanted: &impl Fn(&str) -> bool,
) -> Result<Vec<(Option<String>, String)>, Failure> {
    let base = format!("{}{}/", f.base, org.as_deref().unwrap_or(""));
    Ok(folders(b, &base, ctx)
        .await?
        .iter()
        .map(|p| leaf(p).to_string())
        .filter(|a| wanted(a))
        .map(|a| (org.clone(), a))
        .collect())
}

/// `AWSLogs/` right under the location, or one folder down (trails' own key prefixes; a
/// bucket can hold several).
async fn find_awslogs(b: &Bucket, prefix: &str, ctx: &Ctx<'_>) -> Result<Vec<Fixed>, Failure> {
    let children = folders(b, prefix, ctx).await?;
    if let Some(p) = children.iter().find(|p| leaf(p) == "AWSLogs") {
        return Ok(fixed(p).into_iter().collect());
    }
    // Bounded: a bucket of other data is not searched folder by folder.
    let mut found = Vec::new();
    for child in children.iter().take(20) {
        let below = folders(b, child, ctx).await?;
        found.extend(
            below
                .iter()
                .filter(|p| leaf(p) == "AWSLogs")
                .filter_map(|p| fixed(p)),
        );
    }
    Ok(found)
}
