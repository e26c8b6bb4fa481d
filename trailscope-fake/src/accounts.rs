//! The AWS organization the fake pretends to be, as a responder meets it: a management
//! account, member accounts (those the served events were recorded in, plus any named on the
//! command line), roles to assume into them, and the temporary keys AssumeRole issued. Which
//! account a request's key belongs to decides what LookupEvents shows it and whose rate limit
//! it spends, as in AWS, where Event history is per account and region.

use super::throttle::RateLimit;
use std::collections::{BTreeSet, HashMap};
use std::hash::BuildHasher;

/// The role every account of the organization has unless `--role-names` says otherwise
/// (the one Organizations creates in the accounts it creates).
pub const DEFAULT_ROLE: &str = "OrganizationAccountAccessRole";

/// The management account when no flag names one and the events name no account.
const FALLBACK_ACCOUNT: &str = "123456789012";

/// One AssumeRole call, granted or not, in the order received: tests assert on them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumeCall {
    pub account: String,
    pub role: String,
    pub session: String,
    pub granted: bool,
}

/// Temporary credentials AssumeRole issued, looked up by their access key ID.
#[derive(Clone, Debug)]
pub struct Issued {
    pub account: String,
    pub role: String,
    pub session: String,
    pub partition: String,
    /// `AROA…:SESSION`, AssumedRoleUser's AssumedRoleId.
    pub role_id: String,
    /// On the fake's monotonic clock (the rate limit's), so tests expire keys without sleeping
    /// and a pinned `--now` does not keep keys alive forever.
    pub expires_clock_ms: u64,
}

impl Issued {
    pub fn arn(&self) -> String {
        format!(
            "arn:{}:sts::{}:assumed-role/{}/{}",
            self.partition, self.account, self.role, self.session
        )
    }
}

/// Who signed a request: a static key (the caller's own, whatever its ID) or a key AssumeRole
/// issued.
#[derive(Clone, Debug)]
pub enum Caller {
    Static,
    Issued(Issued),
}

/// An issued key used past its expiry.
#[derive(Debug)]
pub struct Expired;

/// The organization and its keys; `Default` is the fake without any account flag, where a
/// static key sees every account's events (as before accounts existed).
#[derive(Debug)]
pub struct Accounts {
    /// `--caller-account`: the account static keys belong to; `None`: they see every account.
    pub caller: Option<String>,
    /// `--management-account` (default: the caller account).
    pub management: Option<String>,
    /// `--no-organization`: ListAccounts answers AWSOrganizationsNotInUseException.
    pub no_organization: bool,
    /// `--org-account`: accounts in the organization beyond those the events name.
    pub extra: BTreeSet<String>,
    /// `--closed-account`: listed CLOSED/SUSPENDED; AssumeRole into them is refused.
    pub closed: BTreeSet<String>,
    /// `--deny-role`: AssumeRole into these accounts is refused (an SCP, a trust policy).
    pub denied: BTreeSet<String>,
    /// `--role-names`: the roles every account has.
    pub role_names: Vec<String>,
    /// `--account-rate`: LookupEvents limits of some accounts instead of the default.
    pub rates: HashMap<String, RateLimit>,
    /// `--credential-seconds`: lifetime of issued keys instead of the request's.
    pub credential_seconds: Option<u64>,
    /// Every AssumeRole call received.
    pub assumed: Vec<AssumeCall>,
    /// recipientAccountId of the served events.
    in_events: BTreeSet<String>,
    keys: HashMap<String, Issued>,
    /// Keys issued so far, which numbers the next one (so each is unique).
    issued: u64,
}

impl Default for Accounts {
    fn default() -> Self {
        Accounts::new(BTreeSet::new())
    }
}

impl Accounts {
    /// The organization of the served events' accounts (`recipientAccountId`s).
    pub fn new(in_events: BTreeSet<String>) -> Accounts {
        Accounts {
            caller: None,
            management: None,
            no_organization: false,
            extra: BTreeSet::new(),
            closed: BTreeSet::new(),
            denied: BTreeSet::new(),
            role_names: vec![DEFAULT_ROLE.to_string()],
            rates: HashMap::new(),
            credential_seconds: None,
            assumed: Vec::new(),
            in_events,
            keys: HashMap::new(),
            issued: 0,
        }
    }

    /// The management account: `--management-account`, else the caller account, else the
    /// lowest account the events name (a fake without flags still has an organization).
    pub fn management(&self) -> String {
        self.management
            .clone()
            .or_else(|| self.caller.clone())
            .or_else(|| self.in_events.first().cloned())
            .unwrap_or_else(|| FALLBACK_ACCOUNT.to_string())
    }

    /// The organization's accounts, sorted by ID (what ListAccounts lists).
    pub fn members(&self) -> BTreeSet<String> {
        let mut all = self.in_events.clone();
        all.extend(self.extra.iter().cloned());
        all.extend(self.closed.iter().cloned());
        all.extend(self.caller.iter().cloned());
        all.insert(self.management());
        all
    }

    /// Who signed with `key`; an issued key past its expiry at `clock_ms` is refused. Keys the
    /// fake did not issue are the caller's static keys, whatever their form.
    pub fn caller_of(&self, key: &str, clock_ms: u64) -> Result<Caller, Expired> {
        match self.keys.get(key) {
            None => Ok(Caller::Static),
            Some(k) if clock_ms >= k.expires_clock_ms => Err(Expired),
            Some(k) => Ok(Caller::Issued(k.clone())),
        }
    }

    /// The account a caller acts as (GetCallerIdentity, ListAccounts' permission).
    pub fn account_of(&self, caller: &Caller) -> String {
        match caller {
            Caller::Issued(k) => k.account.clone(),
            Caller::Static => self.caller.clone().unwrap_or_else(|| self.management()),
        }
    }

    /// The caller's ARN, as AWS names it in GetCallerIdentity and AccessDenied messages.
    pub fn arn_of(&self, caller: &Caller) -> String {
        match caller {
            Caller::Issued(k) => k.arn(),
            Caller::Static => format!("arn:aws:iam::{}:user/fake-caller", self.account_of(caller)),
        }
    }

    /// Whose events LookupEvents shows this caller: one account, or `None` for every account
    /// (a static key when `--caller-account` is not given, the fake's behaviour before it
    /// knew of accounts).
    pub fn lookup_scope(&self, caller: &Caller) -> Option<String> {
        match caller {
            Caller::Issued(k) => Some(k.account.clone()),
            Caller::Static => self.caller.clone(),
        }
    }

    /// Whether an event recorded in `event_account` is in `scope`. Events without a
    /// recipientAccountId count as the caller account's: single-account trails may omit it.
    pub fn in_scope(&self, scope: Option<&str>, event_account: &str) -> bool {
        match scope {
            None => true,
            Some(a) if event_account.is_empty() => self.caller.as_deref() == Some(a),
            Some(a) => a == event_account,
        }
    }

    /// An account's LookupEvents limit: its `--account-rate`, or `default`.
    pub fn limit_for(&self, account: &str, default: RateLimit) -> RateLimit {
        self.rates.get(account).copied().unwrap_or(default)
    }

    /// Whether AssumeRole into `role` of `account` is refused: only the organization's open
    /// accounts have roles, only the `--role-names` ones, and `--deny-role` accounts trust
    /// nobody.
    pub fn refuses(&self, account: &str, role: &str) -> bool {
        !self.members().contains(account)
            || self.closed.contains(account)
            || self.denied.contains(account)
            || !self.role_names.iter().any(|r| r == role)
    }

    /// Issues a key for `role` of `account`, alive `seconds` from `clock_ms`. Returns the access
    /// key ID and what was recorded for it.
    pub fn issue(
        &mut self,
        partition: &str,
        account: &str,
        role: &str,
        session: &str,
        seconds: u64,
        clock_ms: u64,
    ) -> (String, Issued) {
        self.issued += 1;
        // Multiplying by a number coprime to 36 permutes 0..36^16, so keys stay unique while
        // not looking like a counter (no fake issues the 10^13 keys it takes to wrap).
        let n = u128::from(self.issued).wrapping_mul(4_918_723_070_491_744_169_623_553)
            % 36u128.pow(16);
        let key = format!("ASIA{}", base36(n, 16));
        let issued = Issued {
            account: account.to_string(),
            role: role.to_string(),
            session: session.to_string(),
            partition: partition.to_string(),
            role_id: format!("AROA{}:{session}", noise(&(account, role), 17)),
            expires_clock_ms: clock_ms.saturating_add(seconds.saturating_mul(1000)),
        };
        self.keys.insert(key.clone(), issued.clone());
        (key, issued)
    }
}

/// A stable hash, for identifiers derived from names.
pub(crate) fn digest<T: std::hash::Hash>(value: &T) -> u64 {
    foldhash::quality::FixedState::with_seed(0x6f72_6773).hash_one(value)
}

/// `len` characters of base 36 that look random, the same for the same `seed`.
pub(crate) fn noise<T: std::hash::Hash>(seed: &T, len: usize) -> String {
    let mut out = String::with_capacity(len + 12);
    let mut h = digest(seed);
    while out.len() < len {
        // 12 base-36 digits of a 64-bit hash, so none is a padding zero.
        out.push_str(&base36(u128::from(h) % 36u128.pow(12), 12));
        h = digest(&h);
    }
    out.truncate(len);
    out
}

/// `n` in base 36 (digits and uppercase letters), `width` characters, left-padded with 0.
pub(crate) fn base36(mut n: u128, width: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(n % 36) as usize];
        n /= 36;
    }
    out.into_iter().map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_keys_are_unique_asia_keys_that_expire_on_the_clock() {
        let mut a = Accounts::new(BTreeSet::from(["444455556666".to_string()]));
        let mut seen = BTreeSet::new();
        for _ in 0..1000 {
            let (key, _) = a.issue("aws", "444455556666", DEFAULT_ROLE, "s", 900, 0);
            assert!(key.starts_with("ASIA") && key.len() == 20, "{key}");
            assert!(key[4..]
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
            assert!(seen.insert(key));
        }
        let key = seen.first().cloned().unwrap_or_default();
        assert!(matches!(a.caller_of(&key, 899_999), Ok(Caller::Issued(_))));
        assert!(a.caller_of(&key, 900_000).is_err(), "expired at 900 s");
        assert!(matches!(a.caller_of("AKIDEXAMPLE", 0), Ok(Caller::Static)));
    }

    #[test]
    fn events_without_an_account_are_the_callers() {
        let mut a = Accounts::default();
        assert!(a.in_scope(None, "444455556666"), "no caller: everything");
        a.caller = Some("111122223333".to_string());
        assert!(a.in_scope(Some("111122223333"), ""));
        assert!(!a.in_scope(Some("444455556666"), ""));
        assert!(!a.in_scope(Some("111122223333"), "444455556666"));
    }
}
