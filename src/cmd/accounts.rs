//! The accounts a LookupEvents session reads, from `--accounts`, `--role-name` and
//! `--profiles`: checked without a call when it can be (a mistake is a usage error), else
//! asked of AWS Organizations or the config files before the first LookupEvents call.

use crate::cmd::args::LookupArgs;
use crate::source::lookup::accounts::resolve::{resolve, without_calls, AccountList};
use crate::source::lookup::client::load_config;

/// What went wrong, and the exit status it deserves: 2 for the command line, 1 for AWS.
pub(crate) struct Refused {
    pub message: String,
    pub code: u8,
}

/// The accounts to read. `region` picks the partition Organizations is asked in.
pub(crate) fn accounts(lookup: &LookupArgs, region: &str) -> Result<AccountList, Refused> {
    let req = lookup.accounts_request();
    let usage = |message| Refused { message, code: 2 };
    if let Some(list) = without_calls(&req).map_err(usage)? {
        return Ok(list);
    }
    if req.accounts.iter().any(|a| a.eq_ignore_ascii_case("all")) {
        eprintln!("trailscope: listing the organization's accounts (AWS Organizations)…");
    }
    // A runtime of its own: the SDK's connections belong to the runtime that made them, and
    // the session's jobs run on another.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Refused {
            message: format!("cannot start the runtime: {e}"),
            code: 1,
        })?;
    let global = crate::source::lookup::scope::global_region(region);
    rt.block_on(resolve(
        &req,
        load_config(lookup.profile.as_deref()),
        global,
    ))
    .map_err(|message| Refused { message, code: 1 })
}
