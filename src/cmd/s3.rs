//! The command line's S3 part: which paths are `s3://` locations, and the load their flags
//! (`args::S3Args`) ask for. `--since/--from/--to` and `--regions` mean what they mean for
//! LookupEvents (us-east-1, where global services record, joins a region list unless
//! `--no-global`); `--region` is the bucket's region; `--accounts` narrows to those accounts.

use crate::cmd::args::{LookupArgs, S3Args};
use crate::model::time::EventTime;
use crate::source::s3::cache::{parse_size, DEFAULT_LIMIT};
use crate::source::s3::url::{is_s3, parse};
use crate::source::s3::{S3Load, DEFAULT_CONCURRENCY};
use std::path::{Path, PathBuf};

/// Whether the paths are S3 locations: all of them, or none (a mix is refused).
pub fn wanted(paths: &[PathBuf]) -> Result<bool, String> {
    let s3 = paths.iter().filter(|p| is_s3(p)).count();
    match s3 {
        0 => Ok(false),
        n if n == paths.len() => Ok(true),
        _ => Err("s3:// locations and local files cannot be mixed in one session: open them separately (or `aws s3 sync` the bucket and open the folder)".to_string()),
    }
}

/// The S3 load the command line asks for; `Ok(None)` when it names no `s3://` location.
/// Flags that only narrow S3 or LookupEvents are refused with local files.
pub fn from_args(
    paths: &[PathBuf],
    lookup: &LookupArgs,
    s3: &S3Args,
    data_dir: Option<&Path>,
    now: EventTime,
) -> Result<Option<S3Load>, String> {
    if !wanted(paths)? {
        if !paths.is_empty() && lookup.wanted() {
            return Err("--region and --regions fetch from LookupEvents, or narrow s3:// locations: they do not apply to local files".to_string());
        }
        if !paths.is_empty() && !lookup.accounts.is_empty() {
            return Err(
                "--accounts narrows s3:// locations: filter local files with --filter 'account:…'"
                    .to_string(),
            );
        }
        let across = !lookup.accounts.is_empty() || !lookup.profiles.is_empty();
        if across && !lookup.wanted() {
            return Err("--accounts and --profiles read LookupEvents, which is asked region by region: add --region R or --regions a,b|all".to_string());
        }
        return Ok(None);
    }
    if !lookup.profiles.is_empty() {
        return Err("--profiles reads LookupEvents in each profile's account; an s3:// bucket is read with one --profile".to_string());
    }
    let urls = paths
        .iter()
        .map(|p| parse(&p.to_string_lossy()))
        .collect::<Result<Vec<_>, _>>()?;
    // `all` is what S3 reads anyway: every account under AWSLogs/.
    let accounts: Vec<String> = lookup
        .accounts
        .iter()
        .filter(|a| *a != "all")
        .cloned()
        .collect();
    for a in &accounts {
        if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "--accounts {:?}: an account ID is 12 digits",
                crate::model::sanitize::visible(a)
            ));
        }
    }
    let window = crate::source::lookup::scope::window(&lookup.request(), now)?;
    let regions = if lookup.regions.is_empty() || lookup.regions.iter().any(|r| r == "all") {
        Vec::new()
    } else {
        let narrowing = crate::source::lookup::scope::LookupRequest {
            region: None,
            ..lookup.request()
        };
        crate::source::lookup::scope::regions(&narrowing)?
    };
    let limit = match &s3.s3_cache_limit {
        Some(text) => parse_size(text).map_err(|e| format!("--s3-cache-limit: {e}"))?,
        None => DEFAULT_LIMIT,
    };
    let cache = match limit {
        0 => None,
        _ => Some((crate::session::db::data_dir(data_dir)?, limit)),
    };
    Ok(Some(S3Load {
        urls,
        window,
        accounts,
        regions,
        profile: lookup.profile.clone(),
        bucket_region: lookup.region.clone(),
        concurrency: s3
            .s3_concurrency
            .unwrap_or(DEFAULT_CONCURRENCY)
            .clamp(1, 64),
        cache,
        unread: Default::default(),
    }))
}
