//! The CloudTrail table in Athena: its columns as AWS documents them ("Create the table for
//! CloudTrail logs in Athena using partition projection", Athena user guide) and the CREATE
//! statement, with partition projection over account × region × day so that a query reads
//! only the folders its window, accounts and regions name, and no partition is ever added.
//!
//! SerDe: `org.apache.hive.hcatalog.data.JsonSerDe`, the one AWS documents now (the older
//! `com.amazon.emr.hive.serde.CloudTrailSerde` left the guide in November 2022). It reads
//! nested JSON objects into the STRING columns as their JSON text, which is what lets
//! `requestparameters` and friends be read with `json_extract_scalar` and rebuilt into
//! records. `CloudTrailInputFormat` unwraps each file's `{"Records":[…]}`.

use super::names;
use crate::model::time::EventTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// How a column comes back from a query.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string as the record holds it.
    Text,
    /// A string holding the field's JSON text (objects the SerDe keeps as text).
    Json,
    /// A STRUCT or ARRAY: selected through `json_format(CAST(… AS JSON))`.
    Nested,
}

/// One column: its name, Hive type, and how it comes back.
pub struct Column {
    pub name: &'static str,
    pub hive_type: &'static str,
    pub kind: Kind,
}

const fn col(name: &'static str, hive_type: &'static str, kind: Kind) -> Column {
    Column {
        name,
        hive_type,
        kind,
    }
}

/// AWS's columns, in AWS's order. Three `useridentity` fields AWS's example leaves out are
/// added because trailscope reads them (`identityprovider` names a SAML or web identity
/// principal, `credentialid`, `sessioncontext.sourceidentity`), and `managementevent` (what
/// tells management from data events); the JSON SerDe leaves a field a record lacks NULL, so
/// an extra field costs nothing.
pub const COLUMNS: &[Column] = &[
    col("eventversion", "STRING", Kind::Text),
    col(
        "useridentity",
        "STRUCT<\n    type: STRING,\n    principalid: STRING,\n    arn: STRING,\n    accountid: STRING,\n    invokedby: STRING,\n    accesskeyid: STRING,\n    username: STRING,\n    identityprovider: STRING,\n    credentialid: STRING,\n    onbehalfof: STRUCT<\n      userid: STRING,\n      identitystorearn: STRING>,\n    sessioncontext: STRUCT<\n      attributes: STRUCT<\n        mfaauthenticated: STRING,\n        creationdate: STRING>,\n      sessionissuer: STRUCT<\n        type: STRING,\n        principalid: STRING,\n        arn: STRING,\n        accountid: STRING,\n        username: STRING>,\n      sourceidentity: STRING,\n      ec2roledelivery: STRING,\n      webidfederationdata: STRUCT<\n        federatedprovider: STRING,\n        attributes: MAP<STRING,STRING>>>>",
        Kind::Nested,
    ),
    col("eventtime", "STRING", Kind::Text),
    col("eventsource", "STRING", Kind::Text),
    col("eventname", "STRING", Kind::Text),
    col("awsregion", "STRING", Kind::Text),
    col("sourceipaddress", "STRING", Kind::Text),
    col("useragent", "STRING", Kind::Text),
    col("errorcode", "STRING", Kind::Text),
    col("errormessage", "STRING", Kind::Text),
    col("requestparameters", "STRING", Kind::Json),
    col("responseelements", "STRING", Kind::Json),
    col("additionaleventdata", "STRING", Kind::Json),
    col("requestid", "STRING", Kind::Text),
    col("eventid", "STRING", Kind::Text),
    col("readonly", "STRING", Kind::Text),
    col(
        "resources",
        "ARRAY<STRUCT<\n    arn: STRING,\n    accountid: STRING,\n    type: STRING>>",
        Kind::Nested,
    ),
    col("eventtype", "STRING", Kind::Text),
    col("apiversion", "STRING", Kind::Text),
    col("recipientaccountid", "STRING", Kind::Text),
    col("serviceeventdetails", "STRING", Kind::Json),
    col("sharedeventid", "STRING", Kind::Text),
    col("vpcendpointid", "STRING", Kind::Text),
    col("vpcendpointaccountid", "STRING", Kind::Text),
    col("eventcategory", "STRING", Kind::Text),
    col("managementevent", "STRING", Kind::Text),
    col(
        "addendum",
        "STRUCT<\n    reason: STRING,\n    updatedfields: STRING,\n    originalrequestid: STRING,\n    originaleventid: STRING>",
        Kind::Nested,
    ),
    col("sessioncredentialfromconsole", "STRING", Kind::Text),
    col("edgedevicedetails", "STRING", Kind::Json),
    col(
        "tlsdetails",
        "STRUCT<\n    tlsversion: STRING,\n    ciphersuite: STRING,\n    clientprovidedhostheader: STRING>",
        Kind::Nested,
    ),
];

/// The projected partition columns, in the order of the folders they stand for.
pub const PARTITIONS: [&str; 3] = ["account", "region", "timestamp"];

/// What the table is over. Every field is checked by `create_table` (`names`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSpec {
    pub database: String,
    pub table: String,
    pub bucket: String,
    /// The key prefix before `AWSLogs/` (empty when the trail writes at the bucket's root).
    pub prefix: String,
    /// `o-…` for an organization trail's layout; `None` for one account's trail.
    pub org: Option<String>,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    /// The first day the projection covers; a window before it reads nothing (Athena then
    /// returns zero rows, not an error, so the app has to say so).
    pub since: EventTime,
}

/// `yyyy/MM/dd` in UTC: how CloudTrail names its day folders and the projection reads them.
pub fn day_folder(t: EventTime) -> Option<String> {
    let ts = Timestamp::from_millisecond(t.millis()?).ok()?;
    Some(ts.to_zoned(TimeZone::UTC).strftime("%Y/%m/%d").to_string())
}

/// `s3://bucket/[prefix/]AWSLogs/[o-…/]`: where the accounts' folders are.
fn base(bucket: &str, prefix: &str, org: Option<&str>) -> String {
    let mut out = format!("s3://{bucket}/");
    if !prefix.is_empty() {
        out.push_str(prefix);
        out.push('/');
    }
    out.push_str("AWSLogs/");
    if let Some(o) = org {
        out.push_str(o);
        out.push('/');
    }
    out
}

/// `db.table` as a DDL name (Hive quotes with backticks).
pub fn ddl_name(spec: &TableSpec) -> Result<String, String> {
    Ok(format!(
        "`{}`.`{}`",
        names::identifier("database", &spec.database)?,
        names::identifier("table", &spec.table)?
    ))
}

/// The CREATE EXTERNAL TABLE IF NOT EXISTS statement for `spec`, every name in it checked.
/// IF NOT EXISTS keeps a table already there as it is, projection values included: adding
/// an account later is an ALTER TABLE … SET TBLPROPERTIES, not this.
pub fn create_table(spec: &TableSpec) -> Result<String, String> {
    let name = ddl_name(spec)?;
    let bucket = names::bucket(&spec.bucket)?;
    let prefix = names::prefix(&spec.prefix)?;
    let org = spec.org.as_deref().map(names::org).transpose()?;
    let accounts = names::list("account", &spec.accounts, names::account)?;
    let regions = names::list("region", &spec.regions, names::region)?;
    let since = day_folder(spec.since).ok_or("the projection's first day is not a known time")?;
    let base = base(&bucket, &prefix, org.as_deref());

    let mut sql = format!("CREATE EXTERNAL TABLE IF NOT EXISTS {name} (\n");
    let columns: Vec<String> = COLUMNS
        .iter()
        .map(|c| format!("  `{}` {}", c.name, c.hive_type.replace('\n', "\n  ")))
        .collect();
    sql.push_str(&columns.join(",\n"));
    sql.push_str("\n)\nPARTITIONED BY (\n");
    let partitions: Vec<String> = PARTITIONS
        .iter()
        .map(|p| format!("  `{p}` STRING"))
        .collect();
    sql.push_str(&partitions.join(",\n"));
    sql.push_str(
        "\n)\n\
         ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'\n\
         STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'\n\
         OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n",
    );
    sql.push_str(&format!("LOCATION '{base}'\nTBLPROPERTIES (\n"));
    let properties = [
        ("projection.enabled", "true".to_string()),
        ("projection.account.type", "enum".to_string()),
        ("projection.account.values", accounts.join(",")),
        ("projection.region.type", "enum".to_string()),
        ("projection.region.values", regions.join(",")),
        ("projection.timestamp.type", "date".to_string()),
        ("projection.timestamp.format", "yyyy/MM/dd".to_string()),
        ("projection.timestamp.interval", "1".to_string()),
        ("projection.timestamp.interval.unit", "DAYS".to_string()),
        ("projection.timestamp.range", format!("{since},NOW")),
        (
            "storage.location.template",
            format!("{base}${{account}}/CloudTrail/${{region}}/${{timestamp}}"),
        ),
    ];
    let properties: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("  '{k}'='{v}'"))
        .collect();
    sql.push_str(&properties.join(",\n"));
    sql.push_str("\n)");
    Ok(sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(org: Option<&str>) -> TableSpec {
        TableSpec {
            database: "trailscope".to_string(),
            table: "cloudtrail_org".to_string(),
            bucket: "org-trail-logs".to_string(),
            prefix: "security/".to_string(),
            org: org.map(str::to_string),
            accounts: vec!["222233334444".to_string(), "111122223333".to_string()],
            regions: vec!["us-east-1".to_string(), "eu-west-1".to_string()],
            since: EventTime::parse("2024-01-01T00:00:00Z").unwrap_or_default(),
        }
    }

    #[test]
    fn an_organization_table_projects_account_region_and_day() {
        let sql = create_table(&spec(Some("o-a1b2c3d4e5"))).unwrap_or_else(|e| e);
        assert!(sql.starts_with("CREATE EXTERNAL TABLE IF NOT EXISTS `trailscope`.`cloudtrail_org` (\n  `eventversion` STRING,\n  `useridentity` STRUCT<\n      type: STRING,"), "{sql}");
        assert!(sql.contains("  `requestparameters` STRING,\n"));
        assert!(sql.contains("  `resources` ARRAY<STRUCT<\n      arn: STRING,\n      accountid: STRING,\n      type: STRING>>,\n"));
        assert!(sql.contains("  `tlsdetails` STRUCT<\n      tlsversion: STRING,\n      ciphersuite: STRING,\n      clientprovidedhostheader: STRING>\n)\n"));
        assert!(sql.contains(
            "PARTITIONED BY (\n  `account` STRING,\n  `region` STRING,\n  `timestamp` STRING\n)\n"
        ));
        assert!(sql.contains("ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'\nSTORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'\nOUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'\n"));
        assert!(sql.contains("LOCATION 's3://org-trail-logs/security/AWSLogs/o-a1b2c3d4e5/'\n"));
        for property in [
            "'projection.enabled'='true'",
            "'projection.account.type'='enum'",
            "'projection.account.values'='111122223333,222233334444'",
            "'projection.region.type'='enum'",
            "'projection.region.values'='eu-west-1,us-east-1'",
            "'projection.timestamp.type'='date'",
            "'projection.timestamp.format'='yyyy/MM/dd'",
            "'projection.timestamp.interval'='1'",
            "'projection.timestamp.interval.unit'='DAYS'",
            "'projection.timestamp.range'='2024/01/01,NOW'",
            "'storage.location.template'='s3://org-trail-logs/security/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}'",
        ] {
            assert!(sql.contains(property), "{property} missing from\n{sql}");
        }
        assert!(sql.ends_with("}'\n)"));
    }

    #[test]
    fn an_account_table_has_no_organization_folder() {
        let mut s = spec(None);
        s.prefix = String::new();
        let sql = create_table(&s).unwrap_or_else(|e| e);
        assert!(
            sql.contains("LOCATION 's3://org-trail-logs/AWSLogs/'\n"),
            "{sql}"
        );
        assert!(sql.contains("'storage.location.template'='s3://org-trail-logs/AWSLogs/${account}/CloudTrail/${region}/${timestamp}'"));
    }

    #[test]
    fn nothing_unchecked_enters_the_statement() {
        type Spoil = fn(&mut TableSpec);
        let cases: [(&str, Spoil); 7] = [
            ("table", |s| s.table = "t; DROP TABLE x".to_string()),
            ("database", |s| s.database = "DB".to_string()),
            ("bucket", |s| s.bucket = "b'x".to_string()),
            ("prefix", |s| s.prefix = "a/${region}".to_string()),
            ("account", |s| s.accounts.push("1234".to_string())),
            ("region", |s| s.regions = vec![]),
            ("org", |s| s.org = Some("o-x'".to_string())),
        ];
        for (what, spoil) in cases {
            let mut s = spec(Some("o-a1b2c3d4e5"));
            spoil(&mut s);
            assert!(create_table(&s).is_err(), "{what} accepted");
        }
    }
}
