//! Command-line interface.

pub use super::athena_args::AthenaArgs;
use crate::app::layout::Split;
use crate::app::sort::Sort;
use crate::config::settings::{parse_column, parse_sort, parse_split, ColorMode, Layer};
use crate::model::column::Column;
use crate::model::time_display::TimeDisplay;
use crate::source::lookup::scope::LookupRequest;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "trailscope",
    version = crate::VERSION,
    about = "Walk AWS CloudTrail in the terminal during an incident",
    long_about = "Walk AWS CloudTrail in the terminal during an incident.\n\n\
        Opens CloudTrail log files and folders (S3 trail layout, .json or .json.gz, bare JSON \
        arrays, JSON lines, `aws cloudtrail lookup-events` output), or `-` for standard input, \
        in an event table with a JSON detail pane. Press ? inside for keys, / to filter, ! for \
        what the detection rules found (shipped Sigma rules, trailscope's, yours in rules/ of \
        the config directory).\n\n\
        With --region (or --regions), fetches from CloudTrail's Event history (LookupEvents) \
        instead, streaming events in as pages arrive: m loads more, t/L go further back, Esc \
        stops.\n\n\
        With --lake EDS_ID, queries CloudTrail Lake instead: a SQL editor (E) with playbook \
        templates, pivots pushed down as SQL shown before they run, cost on screen, Esc \
        cancels.\n\n\
        With --athena DB.TABLE (preview; --athena alone picks a table), reads an organization's \
        trail through Athena: the window's days, accounts and regions only, the filter's exact \
        conditions as SQL, bytes scanned and cost on screen, Esc stops; pivots, the key chain \
        and playbooks (E, ctrl-t) go to every account as SQL shown before they run; \
        `trailscope athena create-table s3://BUCKET --run` makes the table.\n\n\
        Every session is saved as an investigation (events, walk, marks, notes) in the data \
        directory: `trailscope open NAME` reopens one offline, `trailscope` alone lists them, \
        `:export` inside writes evidence with its provenance.\n\n\
        Settings come from config.toml in the config directory (`trailscope config --path`), \
        under a reopened investigation's own and the command line's; keys from keymap.toml \
        there; themes from its themes/ folder; detection rules from its rules/ folder.",
    after_help = "Examples:\n  trailscope --demo\n  trailscope ~/incident/AWSLogs\n  \
        aws cloudtrail lookup-events --max-results 50 | trailscope -\n  \
        trailscope --profile incident --region eu-west-1 --since 7d --filter 'key:AKIA…'\n  \
        trailscope --save leaked-key-42 ~/incident/AWSLogs\n  \
        trailscope open leaked-key-42\n  \
        trailscope query ~/incident/AWSLogs --filter 'ip:198.51.100.77' --group-by event",
    subcommand_precedence_over_arg = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub open: OpenArgs,

    /// Where saved investigations are kept (default: TRAILSCOPE_DATA_DIR, else the platform's
    /// data directory, ~/.local/share/trailscope on Linux).
    #[arg(long, value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,

    /// Where config.toml, keymap.toml and themes/ are read from (default:
    /// TRAILSCOPE_CONFIG_DIR, else the platform's config directory, ~/.config/trailscope on
    /// Linux).
    #[arg(long, value_name = "DIR", global = true)]
    pub config_dir: Option<PathBuf>,

    /// Print where the event explanations come from (TrailDiscover, Stratus Red Team), with
    /// their authors and licences, and exit.
    #[arg(long)]
    pub credits: bool,
}

/// How the app looks and reads; each overrides config.toml and a reopened investigation.
#[derive(Args, Debug, Default, Clone)]
pub struct DisplayArgs {
    /// Colour theme: dark, light, high-contrast, colorblind, or a theme file's name from
    /// themes/ in the config directory (default: config.toml's, else dark).
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,

    /// Colours: auto (NO_COLOR turns colour off; else COLORTERM and TERM decide), truecolor,
    /// 256, 16 or none.
    #[arg(long, value_name = "MODE", value_parser = color_mode)]
    pub colors: Option<ColorMode>,

    /// The time column: utc, local or relative (ages). T switches inside.
    #[arg(long, value_name = "HOW", value_parser = time_display)]
    pub time: Option<TimeDisplay>,

    /// Visible columns, in order: time,event,principal,source-ip,error,target,source,region,
    /// access-key,account,user-agent,identity-type,read-only,event-id.
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_column)]
    pub columns: Vec<Column>,

    /// Sort by a column; a leading - sorts descending (-time: newest first).
    #[arg(long, value_name = "COLUMN", allow_hyphen_values = true, value_parser = parse_sort)]
    pub sort: Option<Sort>,

    /// The table's share of the screen in percent (20-80), or auto.
    #[arg(long, value_name = "PERCENT", value_parser = parse_split)]
    pub split: Option<Split>,

    /// Leave the mouse to the terminal (no wheel, clicks or drags in the app).
    #[arg(long)]
    pub no_mouse: bool,
}

impl DisplayArgs {
    /// The display flags given (already checked by clap's value parsers) as a settings layer.
    pub fn layer(&self) -> Layer {
        Layer {
            theme: self.theme.clone(),
            colors: self.colors,
            time: self.time,
            columns: (!self.columns.is_empty()).then(|| self.columns.clone()),
            sort: self.sort,
            split: self.split,
            mouse: self.no_mouse.then_some(false),
            ..Layer::default()
        }
    }
}

fn color_mode(text: &str) -> Result<ColorMode, String> {
    ColorMode::parse(text).ok_or_else(|| {
        format!(
            "unknown colour mode `{text}` (one of: {})",
            ColorMode::NAMES.join(", ")
        )
    })
}

fn time_display(text: &str) -> Result<TimeDisplay, String> {
    TimeDisplay::parse(text).ok_or_else(|| format!("`{text}`: utc, local or relative"))
}

#[derive(Args, Debug, Default)]
#[command(group(clap::ArgGroup::new("engine").args(["lake", "athena"]).multiple(true)))]
pub struct OpenArgs {
    /// Files or folders to open (folders are walked recursively); `-` reads standard input;
    /// s3://BUCKET[/PREFIX] reads a trail's bucket (window: --since/--from/--to).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Open the bundled demo incident (no AWS account needed).
    #[arg(long, conflicts_with = "paths")]
    pub demo: bool,

    #[command(flatten)]
    pub display: DisplayArgs,

    /// Start with this filter applied (the same language as the / filter bar). With --region,
    /// its most selective condition is also sent to AWS (see the title bar).
    #[arg(long, short = 'f', value_name = "EXPR")]
    pub filter: Option<String>,

    /// Save this investigation under NAME (default: a name from the source and the time).
    /// It autosaves as you work; `trailscope open NAME` reopens it, offline.
    #[arg(long, value_name = "NAME", conflicts_with = "no_save")]
    pub save: Option<String>,

    /// Do not save this investigation.
    #[arg(long)]
    pub no_save: bool,

    #[command(flatten)]
    pub lookup: LookupArgs,

    #[command(flatten)]
    pub lake: LakeArgs,

    #[command(flatten)]
    pub athena: AthenaArgs,

    #[command(flatten)]
    pub s3: S3Args,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Reopen a saved investigation: its events, walk, marks and notes, with no network.
    Open(OpenSavedArgs),
    /// List, remove, rename, export or import saved investigations.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// Filter events without the UI and print them, count them or group them (scriptable).
    #[command(after_help = "Examples:\n  trailscope query logs/ --output count\n  \
        trailscope query logs/ --filter 'ip:198.51.100.77' --group-by event\n  \
        trailscope query logs/ --filter 'error:AccessDenied* after:2024-05-01' --output jsonl\n  \
        trailscope query logs/ --lineage AKIAXLEAKED0EXAMPLE1 --output tree\n  \
        trailscope query --lake EDS_ID --region us-east-1 --since 7d --template ip-across-accounts --param ip=198.51.100.77")]
    Query(Box<QueryArgs>),
    /// Athena over a trail's bucket (preview): print the table to create for it.
    #[command(subcommand)]
    Athena(AthenaCommand),
    /// Configuration: print the defaults, where it is read from, or check it.
    #[command(
        after_help = "Examples:\n  trailscope config --print-defaults > ~/.config/trailscope/config.toml\n  \
        trailscope config --check"
    )]
    Config(ConfigArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  trailscope completions bash > ~/.local/share/bash-completion/completions/trailscope\n  \
        trailscope completions zsh > ~/.zfunc/_trailscope\n  \
        trailscope completions fish > ~/.config/fish/completions/trailscope.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `trailscope man | man -l -`.
    Man,
}

#[derive(Subcommand, Debug)]
pub enum AthenaCommand {
    /// Print CREATE EXTERNAL TABLE for a trail's bucket: its accounts, regions and first day,
    /// found by listing folders (nothing is downloaded), with partition projection; --run
    /// runs it in Athena (a DDL statement: free, and safe to run twice).
    #[command(
        after_help = "Examples:\n  trailscope athena create-table s3://org-trail-logs\n  \
        trailscope athena create-table s3://logs/security --database trailscope --table org_trail --profile audit\n  \
        trailscope athena create-table s3://org-trail-logs --run --region us-east-1"
    )]
    CreateTable(CreateTableArgs),
}

#[derive(Args, Debug)]
pub struct CreateTableArgs {
    /// The trail's bucket: s3://BUCKET[/PREFIX], at or above its AWSLogs/ folder.
    #[arg(value_name = "S3_URL")]
    pub location: String,

    /// The Athena (Glue) database the table goes in.
    #[arg(long, value_name = "NAME", default_value = "default")]
    pub database: String,

    /// The table's name (default: cloudtrail_ and the bucket's name, other characters as _).
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,

    /// The AWS profile whose credentials list the bucket.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,

    /// The bucket's region (default: found from S3's answer); with --run, also Athena's.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Run the statement in Athena instead of printing it (CREATE … IF NOT EXISTS: a table
    /// already there is kept as it is).
    #[arg(long)]
    pub run: bool,

    /// With --run: the Athena workgroup.
    #[arg(long, value_name = "NAME", default_value = "primary", requires = "run")]
    pub workgroup: String,

    /// With --run: where Athena writes results (s3://BUCKET/PREFIX/), when the workgroup sets
    /// no location.
    #[arg(long, value_name = "S3_URL", requires = "run")]
    pub output_location: Option<String>,
}

#[derive(Args, Debug)]
pub struct OpenSavedArgs {
    /// The investigation's name (`trailscope sessions list`).
    pub name: String,

    #[command(flatten)]
    pub display: DisplayArgs,
}

#[derive(Args, Debug)]
#[group(required = true, multiple = false)]
pub struct ConfigArgs {
    /// Print the documented default config.toml (every setting, with what it does).
    #[arg(long)]
    pub print_defaults: bool,

    /// Print where config.toml, keymap.toml and themes/ are read from.
    #[arg(long)]
    pub path: bool,

    /// Check config.toml, keymap.toml and every theme; print the settings in force.
    #[arg(long)]
    pub check: bool,
}

#[derive(Subcommand, Debug)]
pub enum SessionsCommand {
    /// Every saved investigation: name, events, last saved, source.
    List,
    /// Delete an investigation and its events.
    Rm { name: String },
    /// Rename an investigation.
    Rename { from: String, to: String },
    /// Write one investigation to FILE (a single file a colleague can import).
    Export { name: String, file: PathBuf },
    /// Add the investigations in FILE (written by `sessions export`).
    Import {
        file: PathBuf,
        /// Import it under this name instead.
        #[arg(long = "as", value_name = "NAME")]
        rename: Option<String>,
    },
}

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("engine").args(["lake", "athena"]).multiple(true)))]
pub struct QueryArgs {
    /// Files or folders to read (folders are walked recursively); `-` reads standard input;
    /// s3://BUCKET[/PREFIX] reads a trail's bucket (window: --since/--from/--to).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Read the bundled demo incident instead of files.
    #[arg(long, conflicts_with = "paths")]
    pub demo: bool,

    /// Filter expression (see docs/filter-language.md); default: every event.
    #[arg(long, short = 'f', value_name = "EXPR", default_value = "")]
    pub filter: String,

    /// What to print.
    #[arg(long, short = 'o', value_enum, default_value_t = Output::Table)]
    pub output: Output,

    /// Count matching events per value of a field instead of listing them (most frequent
    /// first, as "COUNT<tab>VALUE" lines; --output csv gives value,count).
    #[arg(long, short = 'g', value_enum, value_name = "FIELD")]
    pub group_by: Option<GroupBy>,

    /// Follow credentials from this access key, principal ARN or Identity Center access-portal
    /// session (portal:ID): the events done with it and with every credential it minted
    /// (AssumeRole, CreateAccessKey, GetRoleCredentials…), or with --output tree the
    /// credential graph itself.
    #[arg(long, value_name = "KEY_OR_ARN")]
    pub lineage: Option<String>,

    /// Print the findings of the matching events instead of the events: the shipped Sigma
    /// rules, trailscope's own and yours (`rules/` in the config directory), grouped by rule
    /// then principal, worst first (--output table, csv or jsonl; count gives the groups).
    #[arg(long, conflicts_with_all = ["group_by", "lineage"])]
    pub findings: bool,

    /// Print at most this many events or groups.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Also print load warnings (bad files and lines) on standard error; by default only a count.
    #[arg(long)]
    pub warnings: bool,

    #[command(flatten)]
    pub lookup: LookupArgs,

    #[command(flatten)]
    pub s3: S3Args,

    #[command(flatten)]
    pub lake: LakeArgs,

    #[command(flatten)]
    pub athena: AthenaArgs,
}

/// Querying CloudTrail Lake instead of reading files (the window, profile and region are
/// LookupArgs': --since/--from/--to, --profile, --region).
#[derive(Args, Debug, Clone, Default)]
pub struct LakeArgs {
    /// Query CloudTrail Lake: this event data store (its id or ARN). Alone, lists the event
    /// data stores of the region to pick from. Billed by bytes scanned: every query
    /// trailscope writes is bounded by the window (--since, --from/--to).
    #[arg(
        long,
        value_name = "EDS_ID",
        num_args = 0..=1,
        default_missing_value = "",
        conflicts_with_all = ["paths", "demo"]
    )]
    pub lake: Option<String>,

    /// SQL to run on the event data store (with --lake); `-` reads it from standard input.
    #[arg(
        long,
        value_name = "SQL",
        requires = "lake",
        conflicts_with = "template"
    )]
    pub sql: Option<String>,

    /// A playbook query to run (with --lake or --athena): key-activity, roles-assumed,
    /// ip-across-accounts, role-counts, role-writes, keys-created, s3-objects,
    /// identity-center, denied, vpce-evidence; on Athena also key-chain.
    #[arg(long, value_name = "NAME", requires = "engine")]
    pub template: Option<String>,

    /// A template parameter (repeatable): key=AKIA…, ip=198.51.100.7, role=ARN, arn=ARN,
    /// chain=AKIA…,ASIA… (key-chain).
    #[arg(long, value_name = "NAME=VALUE", requires = "template")]
    pub param: Vec<String>,
}

impl LakeArgs {
    pub fn wanted(&self) -> bool {
        self.lake.is_some()
    }
}

/// Fetching from CloudTrail's Event history (LookupEvents) instead of reading files.
#[derive(Args, Debug, Clone, Default)]
pub struct LookupArgs {
    /// Fetch from LookupEvents in this region (credentials from the usual chain: environment,
    /// profiles, SSO, `aws-vault exec`; AWS_ENDPOINT_URL points at another endpoint). With
    /// s3:// paths: the bucket's region (found from S3's answer when not given).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Fetch from several regions in parallel: `eu-west-1,us-west-2`, or `all`. With s3://
    /// paths: read only these regions' logs.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub regions: Vec<String>,

    /// AWS profile to use.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Time window ending now: 24h, 90m, 7d (LookupEvents keeps 90 days).
    #[arg(
        long,
        value_name = "AGE",
        default_value = "24h",
        conflicts_with = "from"
    )]
    pub since: String,

    /// Window start (RFC 3339 or a date), instead of --since.
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,

    /// Window end (RFC 3339 or a date); default now.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,

    /// Do not add us-east-1, where IAM, STS and other global services record their events.
    #[arg(long)]
    pub no_global: bool,

    /// Stop each region after this many events (newest first); default: the whole window. In
    /// the app, m then loads this many more (default 1000).
    #[arg(long, value_name = "N")]
    pub max_events: Option<u64>,

    /// Requests per second per region (LookupEvents allows 2).
    #[arg(long, default_value_t = 2.0, hide = true)]
    pub rate: f64,

    /// LookupEvents in several accounts: `all` (the organization's accounts, from AWS
    /// Organizations: run it from the management or a delegated administrator account) or
    /// 12-digit IDs, comma-separated; trailscope assumes --role-name in each. With s3://
    /// paths: read only these accounts' logs (default every account under AWSLogs/).
    #[arg(long, value_name = "all|LIST", value_delimiter = ',')]
    pub accounts: Vec<String>,

    /// The role --accounts assumes in each account.
    #[arg(long, value_name = "NAME", default_value = crate::source::lookup::accounts::DEFAULT_ROLE)]
    pub role_name: String,

    /// LookupEvents in the account of each of these profiles (names, or globs like
    /// 'prod-*' over the AWS config files), each with its own credential chain.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        conflicts_with = "accounts"
    )]
    pub profiles: Vec<String>,

    /// Accounts fetched at once with --accounts or --profiles (each of their regions at its
    /// own 2 requests/s).
    #[arg(long, value_name = "N", default_value_t = crate::source::lookup::accounts::DEFAULT_CONCURRENCY)]
    pub account_concurrency: usize,
}

impl LookupArgs {
    pub fn wanted(&self) -> bool {
        self.region.is_some() || !self.regions.is_empty()
    }

    /// Which accounts LookupEvents reads, as the sources take it.
    pub fn accounts_request(&self) -> crate::source::lookup::accounts::resolve::AccountsRequest {
        crate::source::lookup::accounts::resolve::AccountsRequest {
            accounts: self.accounts.clone(),
            role: self.role_name.clone(),
            profiles: self.profiles.clone(),
        }
    }

    /// The regions and window asked for, as the sources take them.
    pub fn request(&self) -> LookupRequest {
        LookupRequest {
            region: self.region.clone(),
            regions: self.regions.clone(),
            no_global: self.no_global,
            since: self.since.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Aligned columns for reading (control characters escaped).
    Table,
    /// One raw CloudTrail record per line.
    Jsonl,
    /// RFC 4180 CSV, safe to open in a spreadsheet.
    Csv,
    /// Just the number of matching events.
    Count,
    /// The credential tree (with --lineage).
    Tree,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// Who did it (trailscope's principal: ARN, or what identifies it when there is none).
    Principal,
    /// userIdentity.arn exactly as recorded ("" when absent).
    Arn,
    /// sourceIPAddress.
    Ip,
    /// userIdentity.accessKeyId.
    Key,
    /// eventName.
    Event,
    /// eventSource.
    Source,
    /// awsRegion.
    Region,
    /// errorCode.
    Error,
    /// recipientAccountId.
    Account,
    /// What the call acted on, from its request parameters or resources: bucket/key, user,
    /// role, trail, instance, secret…
    Target,
    /// The role session: its assumed-role ARN (role and session name); events made without
    /// one are counted apart.
    Session,
    /// The role behind a session (sessionContext.sessionIssuer.arn).
    Role,
    /// userAgent.
    UserAgent,
    /// userIdentity.type: IAMUser, AssumedRole, Root, AWSService…
    Type,
}

/// Flags for `s3://` locations.
#[derive(Args, Debug, Clone, Default)]
pub struct S3Args {
    /// With s3:// paths: objects downloading at once (default 12).
    #[arg(long, value_name = "N")]
    pub s3_concurrency: Option<usize>,

    /// With s3:// paths: size limit of the download cache in the data directory's s3-cache/
    /// (default 2G; least recently used objects go first; 0 turns the cache off).
    #[arg(long, value_name = "SIZE")]
    pub s3_cache_limit: Option<String>,
}
