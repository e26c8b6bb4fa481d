//! The flags of an Athena source (`trailscope --athena`, `trailscope query --athena`), beside
//! LookupArgs' window, accounts, regions, profile and region, which it shares.

use clap::Args;

/// Querying an organization's trail through Athena (the window, accounts, regions, profile
/// and region are LookupArgs': --since/--from/--to, --accounts, --regions, --profile,
/// --region).
#[derive(Args, Debug, Clone, Default)]
pub struct AthenaArgs {
    /// Query Athena: the CloudTrail table DATABASE.TABLE over the trail's bucket (`trailscope
    /// athena create-table s3://BUCKET` makes one). Alone, offers the CloudTrail tables of the
    /// region's catalog to pick from (`query` lists them), with how each bounds its reads.
    /// Billed by the bytes scanned ($5 per TB, 10 MB at least per query): every statement
    /// trailscope writes reads only the window's days of a partitioned table (the session's
    /// first also only --accounts, --regions; pivots and playbooks ask every account); a
    /// large result of events comes back through UNLOAD and S3.
    #[arg(
        long,
        value_name = "DATABASE.TABLE",
        num_args = 0..=1,
        default_missing_value = "",
        conflicts_with_all = ["paths", "demo", "lake"]
    )]
    pub athena: Option<String>,

    /// The Athena workgroup to run in.
    #[arg(long, value_name = "NAME", default_value = "primary")]
    pub workgroup: String,

    /// Where Athena writes results (s3://BUCKET/PREFIX/), when the workgroup sets no location.
    #[arg(long, value_name = "S3_URL")]
    pub output_location: Option<String>,

    /// Stop a query once it has scanned more than this (e.g. 500MB, 2GB; StopQueryExecution):
    /// what it scanned until then is billed. Overrides config.toml's `max-scan`.
    #[arg(long, value_name = "SIZE")]
    pub max_scan: Option<String>,

    /// Run on a table without partitions, which makes every statement read (and bill) the
    /// whole trail.
    #[arg(long)]
    pub scan_all: bool,
}

impl AthenaArgs {
    pub fn wanted(&self) -> bool {
        self.athena.is_some()
    }
}
