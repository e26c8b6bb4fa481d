//! `trailscope-fake serve|generate`: the command line of the test rig. The argument structs
//! are public so tests start the endpoint in-process with the flags the binary takes.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "trailscope-fake",
    version = trailscope::VERSION,
    about = "trailscope's test rig: a fake CloudTrail endpoint and a synthetic-trail generator"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve files as a fake CloudTrail endpoint (LookupEvents and Lake; STS AssumeRole and
    /// Organizations ListAccounts for several accounts) on 127.0.0.1 (tests, benchmarks).
    #[command(
        after_help = "Example:\n  trailscope-fake serve --demo --port 4599 &\n  \
        AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url http://127.0.0.1:4599 \
        cloudtrail lookup-events --region eu-west-1"
    )]
    // Boxed: its many flags make it far larger than `Generate` (clippy::large_enum_variant).
    Serve(Box<ServeArgs>),
    /// Write N synthetic CloudTrail events as gzipped AWSLogs/… files (for benchmarks).
    Generate(GenerateArgs),
}

/// `serve`'s flags. Derived as a `Parser` (which is also `Args`), so a test builds them from
/// the words it would pass the binary (`ServeArgs::try_parse_from`).
#[derive(Parser, Debug, Clone)]
#[command(name = "serve")]
pub struct ServeArgs {
    /// CloudTrail files or folders whose events it serves.
    #[arg(value_name = "PATH", required_unless_present = "demo")]
    pub paths: Vec<PathBuf>,

    /// Serve the bundled demo incident.
    #[arg(long, conflicts_with = "paths")]
    pub demo: bool,

    /// Port on 127.0.0.1 (0: any free port; the address is printed).
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Pretend it is this time (RFC 3339) for the 90-day window; default: the real clock.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,

    /// Requests per second allowed per region (AWS: 2).
    #[arg(long, default_value_t = 2.0)]
    pub rate: f64,

    /// Inject a fault (repeatable): CALLS=FAULT, where CALLS is N, N-M or N+ (LookupEvents
    /// calls numbered from 1) and FAULT is throttle, 500, 503, reset, stall:SECONDS,
    /// malformed, expired or denied; e.g. `--fault 7+=expired --fault 3-5=503`.
    #[arg(long, value_name = "CALLS=FAULT")]
    pub fault: Vec<String>,

    /// CloudTrail Lake: DescribeQuery/GetQueryResults calls a query spends QUEUED, then as
    /// many RUNNING, before it ends.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub lake_polls: u32,

    /// CloudTrail Lake: queries end TIMED_OUT with only their first N rows readable.
    #[arg(long, value_name = "N")]
    pub lake_timeout_rows: Option<usize>,

    /// CloudTrail Lake: every Lake call answers this error, e.g.
    /// UnsupportedOperationException (Lake closed to new customers) or
    /// OperationNotPermittedException.
    #[arg(long, value_name = "TYPE")]
    pub lake_unavailable: Option<String>,

    /// CloudTrail Lake: queries QUEUED or RUNNING at once before
    /// MaxConcurrentQueriesException (AWS: 10).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub lake_max_concurrent: usize,

    /// The account (12 digits) the caller's own keys belong to: every key the fake did not
    /// issue. With it, LookupEvents signed with such a key serves only events whose
    /// recipientAccountId is this account (events without one count as its); without it,
    /// such keys see every account's events.
    #[arg(long, value_name = "ID")]
    pub caller_account: Option<String>,

    /// The organization's management account, the only one allowed Organizations
    /// ListAccounts (default: --caller-account). Keys AssumeRole issues belong to the account
    /// assumed into, a member unless it is this one.
    #[arg(long, value_name = "ID")]
    pub management_account: Option<String>,

    /// The account is in no organization: ListAccounts answers
    /// AWSOrganizationsNotInUseException.
    #[arg(long)]
    pub no_organization: bool,

    /// An account of the organization beyond the management/caller account and the
    /// recipientAccountIds of the served events (repeatable); ListAccounts lists them all,
    /// sorted by ID.
    #[arg(long, value_name = "ID")]
    pub org_account: Vec<String>,

    /// A closed account of the organization (repeatable): ListAccounts lists it with State
    /// CLOSED and Status SUSPENDED, and AssumeRole into it answers AccessDenied.
    #[arg(long, value_name = "ID")]
    pub closed_account: Vec<String>,

    /// AssumeRole into any role of this account answers AccessDenied, as an SCP or a trust
    /// policy not naming the caller would (repeatable).
    #[arg(long, value_name = "ID")]
    pub deny_role: Vec<String>,

    /// The roles every account of the organization has; AssumeRole of any other answers
    /// AccessDenied.
    #[arg(
        long,
        value_name = "NAME,NAME",
        value_delimiter = ',',
        default_value = crate::accounts::DEFAULT_ROLE
    )]
    pub role_names: Vec<String>,

    /// ID=RATE: that account's LookupEvents limit, in requests per second per region,
    /// instead of --rate (repeatable).
    #[arg(long, value_name = "ID=RATE")]
    pub account_rate: Vec<String>,

    /// Lifetime in seconds of the credentials AssumeRole issues (default: the request's
    /// DurationSeconds, else 3600). A call signed with an issued key past it answers
    /// ExpiredTokenException.
    #[arg(long, value_name = "N")]
    pub credential_seconds: Option<u64>,
}

#[derive(Args, Debug, Clone)]
pub struct GenerateArgs {
    /// How many events to write.
    #[arg(long, short = 'n', default_value_t = 100_000)]
    pub events: u64,

    /// Folder to write into (AWSLogs/… is created under it).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: PathBuf,

    /// Seed: the same seed and arguments write the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Events per file.
    #[arg(long, default_value_t = 100)]
    pub events_per_file: u64,

    /// Real CloudTrail files or folders whose records are replicated (default: the bundled demo).
    #[arg(long, value_name = "PATH")]
    pub templates: Vec<PathBuf>,

    /// How many days the generated events span, ending at --end.
    #[arg(long, default_value_t = 7)]
    pub days: u32,

    /// Last day of the generated window (YYYY-MM-DD, UTC).
    #[arg(long, default_value = "2024-06-30")]
    pub end: String,

    /// Also write an attack, different for every seed, hidden among the events, and
    /// DIR/incident.json with its answers (keys, addresses, accounts, event IDs).
    ///
    /// A long-term key (AKIA…) of a CI user in account A, used normally from its usual
    /// address, is used from a new address (198.51.100.0/24 or 203.0.113.0/24) with another
    /// tool: GetCallerIdentity, recon (ListBuckets, ListUsers, ListRoles, DescribeInstances),
    /// then a cross-account AssumeRole into a role of account B (logged in both accounts) that
    /// mints an ASIA… key. With it, in B: CreateUser, CreateAccessKey (a new AKIA… key, tried
    /// once from a second address) and AttachUserPolicy AdministratorAccess for a backdoor user,
    /// StopLogging and/or DeleteTrail, then GetObject and DeleteObject of payroll exports.
    /// Ordinary events with the same names (an ETL role on the same bucket, other deletions,
    /// other cross-account AssumeRoles, admins creating users, trail maintenance, a security
    /// scanner making the recon calls) come with it.
    ///
    /// The incident's records go into delivery files of their account and region, mixed with
    /// ordinary events; a time slice needing more than its one regular file gets extra files
    /// of --events-per-file events, so the total is somewhat more than --events.
    ///
    /// incident.json: leaked_key, victim, attacker_ips, account_a, account_b, role_arn,
    /// session_key, backdoor_user, backdoor_key, trail_name, bucket, stolen_objects,
    /// write_event_ids (the attacker's writes: IAM, trail, DeleteObject),
    /// destructive_event_ids (the damage: the trail stopped or deleted, objects deleted),
    /// chain_event_ids (every event done with the three keys, which is what
    /// `trailscope query DIR/AWSLogs --lineage LEAKED_KEY` selects), attack_event_ids and
    /// more. Give trailscope DIR/AWSLogs: from DIR it would also read incident.json, and say
    /// that file holds no CloudTrail records.
    #[arg(long)]
    pub incident: bool,
}
