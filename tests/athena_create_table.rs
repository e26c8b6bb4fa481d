//! `trailscope athena create-table` against a real S3 on loopback (moto's server, see
//! common/moto.rs): the statement names exactly the accounts and regions in the bucket, starts
//! its projection at the first day folder, points its template at the trail's folders, and
//! parses as Hive DDL; a bucket without a trail is refused with exit 1, a bad name with 2;
//! `--run` makes the table in Athena (the fake's, through the real SDK), twice safely.

mod common;
#[path = "common/moto.rs"]
mod moto;

use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::process::Command;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn trailscope(endpoint: &str, args: &[&str]) -> Run {
    trailscope_with(endpoint, args, &[])
}

/// `trailscope athena create-table ARGS` with S3 at `endpoint` and `env` besides.
fn trailscope_with(endpoint: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_trailscope"))
        .args(["athena", "create-table"])
        .args(args)
        .envs(common::isolated_aws_env())
        .env("AWS_ENDPOINT_URL", endpoint)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_ENDPOINT_URL_S3")
        .env_remove("AWS_ENDPOINT_URL_ATHENA")
        .envs(env.iter().copied())
        .output()
        .expect("run trailscope");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A tiny gzipped trail file holding one event.
fn trail_file(account: &str, region: &str) -> Vec<u8> {
    let json = format!(
        r#"{{"Records":[{{"eventVersion":"1.08","eventTime":"2024-01-15T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"{region}","recipientAccountId":"{account}","eventID":"e-{account}-{region}"}}]}}"#
    );
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(json.as_bytes()).expect("gzip");
    gz.finish().expect("gzip")
}

/// One object per (account, region, day) under `base` (`…/AWSLogs/[o-ORG/]`).
fn objects(base: &str, cells: &[(&str, &str, &str)]) -> Vec<(String, Vec<u8>)> {
    cells
        .iter()
        .map(|(account, region, day)| {
            let stamp = day.replace('/', "");
            (
                format!("{base}{account}/CloudTrail/{region}/{day}/{account}_CloudTrail_{region}_{stamp}T1000Z_abc.json.gz"),
                trail_file(account, region),
            )
        })
        .collect()
}

fn property(sql: &str, key: &str) -> String {
    let start = format!("'{key}'='");
    let at = sql
        .find(&start)
        .unwrap_or_else(|| panic!("{key} missing from\n{sql}"))
        + start.len();
    sql[at..].split('\'').next().unwrap_or("").to_string()
}

/// The statement with each STRUCT/ARRAY column's type as STRING: sqlparser's Hive dialect
/// does not read `STRUCT<…>` in a column definition (0.63: "Expected: ',' or ')' after column
/// definition, found: <"), though Hive and Athena do; everything else is kept.
fn flat_types(sql: &str) -> String {
    let mut out = Vec::new();
    let mut depth = 0i32;
    for line in sql.lines() {
        let opens = line.matches('<').count() as i32 - line.matches('>').count() as i32;
        if depth == 0 && opens > 0 {
            let name = line.split_whitespace().next().unwrap_or("");
            out.push(format!("  {name} STRING"));
        } else if depth == 0 {
            out.push(line.to_string());
        }
        depth += opens;
        // The line closing a nested type carries the column's comma.
        if depth == 0 && opens < 0 && line.trim_end().ends_with(',') {
            if let Some(last) = out.last_mut() {
                last.push(',');
            }
        }
    }
    out.join("\n")
}

/// The statement as sqlparser reads it: Hive's dialect over everything but the nested column
/// types (see `flat_types`), which Databricks' dialect (Spark SQL, Hive's DDL) reads in the
/// whole statement. Checked on the parsed tree: an external table, the three partition
/// columns, the JSON SerDe, the location and the eleven properties.
fn check_parsed(sql: &str, location: &str) {
    use sqlparser::ast::{CreateTableOptions, HiveDistributionStyle, HiveRowFormat, Statement};
    use sqlparser::dialect::{DatabricksDialect, HiveDialect};
    use sqlparser::parser::Parser;
    if let Err(e) = Parser::parse_sql(&DatabricksDialect {}, sql) {
        panic!("Databricks' dialect does not read the statement: {e}\n{sql}");
    }
    let flat = flat_types(sql);
    let parsed = Parser::parse_sql(&HiveDialect {}, &flat)
        .unwrap_or_else(|e| panic!("Hive's dialect does not read the statement: {e}\n{flat}"));
    let [Statement::CreateTable(table)] = parsed.as_slice() else {
        panic!("not one CREATE TABLE: {parsed:?}");
    };
    assert!(table.external && table.if_not_exists);
    assert_eq!(table.columns.len(), sql.matches("\n  `").count() - 3);
    let HiveDistributionStyle::PARTITIONED { columns } = &table.hive_distribution else {
        panic!("no PARTITIONED BY: {:?}", table.hive_distribution);
    };
    let partitions: Vec<String> = columns.iter().map(|c| c.name.value.clone()).collect();
    assert_eq!(partitions, ["account", "region", "timestamp"]);
    let formats = table.hive_formats.as_ref().expect("Hive formats");
    assert_eq!(formats.location.as_deref(), Some(location));
    assert!(
        matches!(&formats.row_format, Some(HiveRowFormat::SERDE { class }) if class == "org.apache.hive.hcatalog.data.JsonSerDe"),
        "{:?}",
        formats.row_format
    );
    let CreateTableOptions::TableProperties(properties) = &table.table_options else {
        panic!("no TBLPROPERTIES: {:?}", table.table_options);
    };
    assert_eq!(properties.len(), 11);
}

#[test]
fn an_organization_bucket_gives_its_accounts_regions_and_first_day() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    let org = "AWSLogs/o-a1b2c3d4e5/";
    let mut cells = Vec::new();
    for account in ["222233334444", "111122223333"] {
        for region in ["us-east-1", "eu-west-1"] {
            cells.push((account, region, "2024/01/15"));
            cells.push((account, region, "2024/02/01"));
        }
    }
    // The earliest day is in one account and region only, in the year before.
    cells.push(("222233334444", "eu-west-1", "2023/12/30"));
    let mut all = objects(org, &cells);
    // Digests and a stray file beside the trail are not accounts or regions.
    all.push((
        format!("{org}111122223333/CloudTrail-Digest/us-east-1/2022/01/01/d.json.gz"),
        b"{}".to_vec(),
    ));
    all.push(("README.txt".to_string(), b"not a trail".to_vec()));
    // Older folders that are not this trail's must not move its first day: a folder that is
    // not an account, and an account trail of one account beside the organization's.
    all.extend(objects(org, &[("backup", "us-east-1", "2021/01/01")]));
    all.extend(objects(
        "AWSLogs/",
        &[("999988887777", "us-east-1", "2022/05/05")],
    ));
    moto::upload(&moto.url, "org-trail-logs", all);

    let run = trailscope(&moto.url, &["s3://org-trail-logs"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let sql = run.stdout.trim_end();
    assert!(
        sql.starts_with(
            "CREATE EXTERNAL TABLE IF NOT EXISTS `default`.`cloudtrail_org_trail_logs` ("
        ),
        "{sql}"
    );
    assert_eq!(
        property(sql, "projection.account.values"),
        "111122223333,222233334444"
    );
    assert_eq!(
        property(sql, "projection.region.values"),
        "eu-west-1,us-east-1"
    );
    assert_eq!(
        property(sql, "projection.timestamp.range"),
        "2023/12/30,NOW"
    );
    assert_eq!(
        property(sql, "storage.location.template"),
        "s3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}"
    );
    assert!(sql.contains("LOCATION 's3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/'\n"));
    assert!(
        run.stderr
            .contains("left out of the table: `backup` is not an account id"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("another trail is here too, not in this table: AWSLogs/ (1 account(s))"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("projection starts"),
        "the first day was found: {}",
        run.stderr
    );
    // The statement alone is on stdout, so it can be piped.
    assert_eq!(run.stdout.matches("CREATE").count(), 1);
    check_parsed(sql, "s3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/");
}

#[test]
fn an_account_trail_under_a_user_prefix_keeps_the_prefix_and_the_names_given() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    let cells = [
        ("333344445555", "ap-southeast-2", "2024/03/05"),
        ("333344445555", "ap-southeast-2", "2024/03/04"),
        ("333344445555", "us-east-1", "2024/04/01"),
    ];
    moto::upload(
        &moto.url,
        "acct-logs",
        objects("security/trails/AWSLogs/", &cells),
    );
    let run = trailscope(
        &moto.url,
        &[
            "s3://acct-logs/security",
            "--database",
            "trailscope",
            "--table",
            "acct",
            "--region",
            "us-east-1",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let sql = run.stdout.trim_end();
    assert!(
        sql.starts_with("CREATE EXTERNAL TABLE IF NOT EXISTS `trailscope`.`acct` ("),
        "{sql}"
    );
    assert_eq!(property(sql, "projection.account.values"), "333344445555");
    assert_eq!(
        property(sql, "projection.region.values"),
        "ap-southeast-2,us-east-1"
    );
    assert_eq!(
        property(sql, "projection.timestamp.range"),
        "2024/03/04,NOW"
    );
    assert_eq!(
        property(sql, "storage.location.template"),
        "s3://acct-logs/security/trails/AWSLogs/${account}/CloudTrail/${region}/${timestamp}"
    );
    assert!(!sql.contains("o-"), "no organization folder: {sql}");
    check_parsed(sql, "s3://acct-logs/security/trails/AWSLogs/");
}

#[test]
fn a_bucket_without_a_trail_is_refused_with_exit_1() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    moto::upload(
        &moto.url,
        "other-data",
        vec![("data/2024/x.csv".to_string(), b"a,b\n".to_vec())],
    );
    let run = trailscope(&moto.url, &["s3://other-data"]);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("no CloudTrail trail under s3://other-data/: expected AWSLogs/"),
        "{}",
        run.stderr
    );
}

#[test]
fn names_the_statement_cannot_hold_are_refused_with_exit_2_before_any_listing() {
    // No endpoint answers here: a name is refused before the bucket is asked.
    let endpoint = format!("http://127.0.0.1:{}", moto::free_port());
    for (args, words) in [
        (
            &["s3://org-trail-logs", "--table", "Bad-Name"][..],
            "--table: `Bad-Name` is not a table name",
        ),
        (
            &["s3://org-trail-logs", "--database", "db;drop"][..],
            "--database: `db;drop` is not a database name",
        ),
        (&["s3://Legacy_Bucket"][..], "is not an S3 bucket name"),
    ] {
        let run = trailscope(&endpoint, args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(words), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn without_day_folders_the_projection_starts_ninety_days_ago_and_says_so() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    moto::upload(
        &moto.url,
        "flat-trail",
        vec![(
            "AWSLogs/111122223333/CloudTrail/us-east-1/stray.json.gz".to_string(),
            trail_file("111122223333", "us-east-1"),
        )],
    );
    let run = trailscope(&moto.url, &["s3://flat-trail"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no year/month/day folder found: the projection starts 90 days ago"),
        "{}",
        run.stderr
    );
    let range = property(&run.stdout, "projection.timestamp.range");
    let day = range.trim_end_matches(",NOW");
    let expected: Vec<String> = (89..=90)
        .map(|d| {
            let t = std::time::SystemTime::now() - std::time::Duration::from_secs(d * 86_400);
            let ts = jiff::Timestamp::try_from(t).expect("a time");
            ts.to_zoned(jiff::tz::TimeZone::UTC)
                .strftime("%Y/%m/%d")
                .to_string()
        })
        .collect();
    assert!(
        expected.contains(&day.to_string()),
        "{range} vs {expected:?}"
    );
}

#[test]
fn run_makes_the_table_in_athena_and_is_safe_twice() {
    let Some(moto) = moto::Moto::start() else {
        return;
    };
    let org = "AWSLogs/o-a1b2c3d4e5/";
    let cells = [
        ("111122223333", "us-east-1", "2024/01/15"),
        ("222233334444", "eu-west-1", "2024/01/16"),
    ];
    moto::upload(&moto.url, "run-trail-logs", objects(org, &cells));
    let fake = common::FakeEndpoint::demo(100.0);
    let env = [("AWS_ENDPOINT_URL_ATHENA", fake.url.as_str())];
    let args = [
        "s3://run-trail-logs",
        "--database",
        "trailscope",
        "--table",
        "org",
        "--run",
        "--region",
        "us-east-1",
    ];
    for _ in 0..2 {
        let run = trailscope_with(&moto.url, &args, &env);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "run, not printed: {}", run.stdout);
        assert!(
            run.stderr.contains("trailscope.org is ready")
                && run.stderr.contains("--athena trailscope.org"),
            "{}",
            run.stderr
        );
    }
    let (tables, statements) = fake.with_fake(|f| {
        let tables: Vec<_> = f
            .athena
            .tables
            .iter()
            .filter(|t| t.name == "org")
            .map(|t| (t.location.clone(), t.partitioning.clone()))
            .collect();
        let statements = f
            .athena
            .calls
            .iter()
            .filter(|(op, _)| op == "StartQueryExecution")
            .count();
        (tables, statements)
    });
    assert_eq!(statements, 2);
    assert_eq!(
        tables,
        [(
            "s3://run-trail-logs/AWSLogs/o-a1b2c3d4e5/".to_string(),
            trailscope_fake::athena::Partitioning::Projected {
                accounts: Some(vec!["111122223333".to_string(), "222233334444".to_string()]),
                regions: Some(vec!["eu-west-1".to_string(), "us-east-1".to_string()]),
                since: "2024/01/15".to_string(),
            }
        )],
        "one table, with the bucket's projection"
    );
}
