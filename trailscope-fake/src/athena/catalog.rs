//! What the fake's Glue catalog and Athena workgroups hold: the CloudTrail tables (one with
//! partition projection over account × region × day, as `trailscope athena create-table`
//! writes it, and one without partitions, as the CloudTrail console's "Create Athena table"
//! makes it) and the workgroups, with the metadata calls' answers in AWS's shapes.

use serde_json::{json, Value};
use trailscope::athena::table::{COLUMNS, PARTITIONS};

/// The one data catalog (Athena's default).
pub const CATALOG: &str = "AwsDataCatalog";

/// How a table is partitioned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Partitioning {
    /// Projected: `account` and `region` enums (`None`: every value the trail holds) and a
    /// `timestamp` date range from `since` (`yyyy/MM/dd`) to NOW.
    Projected {
        accounts: Option<Vec<String>>,
        regions: Option<Vec<String>>,
        since: String,
    },
    /// No partitions: every statement reads every file.
    None,
}

#[derive(Clone, Debug)]
pub struct FakeTable {
    pub database: String,
    pub name: String,
    /// `s3://bucket/prefix/AWSLogs/…/`
    pub location: String,
    pub partitioning: Partitioning,
}

#[derive(Clone, Debug)]
pub struct FakeWorkGroup {
    pub name: String,
    /// Where results go; `None`: the caller must give one.
    pub output_location: Option<String>,
    /// The workgroup's per-query cutoff (`BytesScannedCutoffPerQuery`).
    pub bytes_cutoff: Option<u64>,
}

impl FakeTable {
    /// The table's parameters (TBLPROPERTIES), projection included.
    pub fn parameters(&self) -> Value {
        let mut p = json!({
            "EXTERNAL": "TRUE",
            "classification": "cloudtrail",
            "inputformat": "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
            "location": self.location,
            "serde.serialization.lib": "org.apache.hive.hcatalog.data.JsonSerDe",
        });
        if let Partitioning::Projected {
            accounts,
            regions,
            since,
        } = &self.partitioning
        {
            let values =
                |v: &Option<Vec<String>>| v.as_ref().map(|v| v.join(",")).unwrap_or_default();
            p["projection.enabled"] = json!("true");
            p["projection.account.type"] = json!("enum");
            p["projection.account.values"] = json!(values(accounts));
            p["projection.region.type"] = json!("enum");
            p["projection.region.values"] = json!(values(regions));
            p["projection.timestamp.type"] = json!("date");
            p["projection.timestamp.format"] = json!("yyyy/MM/dd");
            p["projection.timestamp.interval"] = json!("1");
            p["projection.timestamp.interval.unit"] = json!("DAYS");
            p["projection.timestamp.range"] = json!(format!("{since},NOW"));
            p["storage.location.template"] = json!(format!(
                "{}${{account}}/CloudTrail/${{region}}/${{timestamp}}",
                self.location
            ));
        }
        p
    }

    pub fn partition_names(&self) -> &'static [&'static str] {
        match self.partitioning {
            Partitioning::Projected { .. } => &PARTITIONS,
            Partitioning::None => &[],
        }
    }

    /// GetTableMetadata's `TableMetadata`.
    pub fn metadata(&self) -> Value {
        let columns: Vec<Value> = COLUMNS
            .iter()
            .map(|c| json!({ "Name": c.name, "Type": hive_lower(c.hive_type) }))
            .collect();
        let keys: Vec<Value> = self
            .partition_names()
            .iter()
            .map(|p| json!({ "Name": p, "Type": "string" }))
            .collect();
        json!({
            "Name": self.name,
            "CreateTime": 1_764_547_200.0,
            "TableType": "EXTERNAL_TABLE",
            "Columns": columns,
            "PartitionKeys": keys,
            "Parameters": self.parameters(),
        })
    }
}

/// Glue reports types in lower case, without the DDL's line breaks.
fn hive_lower(t: &str) -> String {
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join("")
        .to_ascii_lowercase()
}

impl FakeWorkGroup {
    pub fn primary() -> FakeWorkGroup {
        FakeWorkGroup {
            name: "primary".to_string(),
            output_location: Some("s3://trailscope-fake-athena-results/".to_string()),
            bytes_cutoff: None,
        }
    }

    /// GetWorkGroup's `WorkGroup`.
    pub fn describe(&self) -> Value {
        let mut config = json!({
            "EnforceWorkGroupConfiguration": false,
            "PublishCloudWatchMetricsEnabled": false,
            "RequesterPaysEnabled": false,
            "EngineVersion": {
                "SelectedEngineVersion": "AUTO",
                "EffectiveEngineVersion": "Athena engine version 3"
            },
        });
        if let Some(o) = &self.output_location {
            config["ResultConfiguration"] = json!({ "OutputLocation": o });
        }
        if let Some(c) = self.bytes_cutoff {
            config["BytesScannedCutoffPerQuery"] = json!(c);
        }
        json!({
            "Name": self.name,
            "State": "ENABLED",
            "Configuration": config,
            "Description": "",
            "CreationTime": 1_764_547_200.0,
        })
    }
}
