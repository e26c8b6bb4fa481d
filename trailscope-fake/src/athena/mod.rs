//! Athena on the fake endpoint: the CloudTrail table over the same events the fake serves
//! (`catalog`, `conform`), and the operations an Athena client uses, with AWS's shapes
//! (assets/api/athena-service-2.json): StartQueryExecution, GetQueryExecution,
//! GetQueryResults (pages of up to 1,000 rows, the header row first on the first page only),
//! StopQueryExecution, ListWorkGroups, GetWorkGroup, ListDataCatalogs, ListDatabases,
//! ListTableMetadata and GetTableMetadata. Statements run on the fake Lake's engine
//! (`execute`), which `DataScannedInBytes` counts from the partitions actually read.
//!
//! The SDK calls them as `awsJson1_1` targets; the `aws` CLI as REST routes (`rest`).
//!
//! Knobs are public fields, so tests can make Athena slow, throttled or misconfigured.

mod catalog;
mod conform;
mod ddl;
mod execute;
pub mod rest;
mod results;
mod unload;

pub use catalog::{FakeTable, FakeWorkGroup, Partitioning, CATALOG};

use crate::lake::params::Params;
use crate::lake::query::{Outcome, Query};
use crate::lake::run::Stats;
use crate::lake::{answer, sql};
use crate::Reply;
use execute::AthenaEvent;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

const OPERATIONS: [&str; 11] = [
    "StartQueryExecution",
    "GetQueryExecution",
    "GetQueryResults",
    "GetQueryRuntimeStatistics",
    "StopQueryExecution",
    "ListWorkGroups",
    "GetWorkGroup",
    "ListDataCatalogs",
    "ListDatabases",
    "ListTableMetadata",
    "GetTableMetadata",
];

/// `AmazonAthena.StartQueryExecution` → the operation it names, if the fake serves it.
pub(crate) fn operation(target: &str) -> Option<&'static str> {
    let op = target.strip_prefix("AmazonAthena.")?;
    OPERATIONS.iter().copied().find(|o| *o == op)
}

pub struct FakeAthena {
    /// GetQueryExecution calls a query spends QUEUED, then as many RUNNING.
    pub polls_per_state: u32,
    /// The next this many StartQueryExecution calls answer TooManyRequestsException.
    pub throttle_starts: u32,
    /// Statements run on a thread of their own, as Athena runs them: StartQueryExecution
    /// answers at once and the query is RUNNING until its result is ready. For large trails
    /// (a million events take longer than a client waits for an answer); off, a statement runs
    /// before StartQueryExecution answers and its states follow the polls exactly (tests).
    pub background: bool,
    /// Every statement started while this is set ends FAILED with this reason, as Athena
    /// reports access failures met while running (the trail's objects, the output
    /// location, a KMS key).
    pub fail_with: Option<String>,
    /// StartQueryExecution answers this error (type, message): the caller lacks
    /// `athena:StartQueryExecution`, say.
    pub refuse_start: Option<(String, String)>,
    /// The S3 endpoint UNLOAD writes into (moto's, in tests); without one an UNLOAD fails.
    pub unload_s3: Option<String>,
    /// Every Athena request: the operation and its body (null if not JSON).
    pub calls: Vec<(String, Value)>,
    pub tables: Vec<FakeTable>,
    pub workgroups: Vec<FakeWorkGroup>,
    raw: Vec<Arc<str>>,
    /// The trail's events with their partitions, made on the first statement that reads it.
    events: Option<Arc<Vec<AthenaEvent>>>,
    queries: Vec<AthenaQuery>,
}

/// A query and what Athena keeps beside it.
pub(crate) struct AthenaQuery {
    pub query: Query,
    pub header: Vec<(String, &'static str)>,
    pub database: String,
    pub workgroup: String,
    pub output: String,
    /// DDL (CREATE) or DML (SELECT, UNLOAD).
    pub statement_type: &'static str,
    /// An UNLOAD: its rows went to S3, not to GetQueryResults.
    pub unload: bool,
    /// The result of a statement still running in the background, once it is ready.
    pub pending: Option<Arc<Mutex<Option<Finished>>>>,
}

/// How a statement ended: its statistics, outcome and result header.
pub(crate) type Finished = (Stats, Outcome, Vec<(String, &'static str)>);

impl FakeAthena {
    /// Athena over these raw records: the database `trailscope` with `cloudtrail` (projected
    /// over every account and region the trail holds, from 2020/01/01) and `cloudtrail_plain`
    /// (no partitions), and the workgroup `primary` with an output location.
    pub(crate) fn new(raw: Vec<Arc<str>>) -> FakeAthena {
        let location = "s3://trailscope-fake-trail/AWSLogs/".to_string();
        FakeAthena {
            polls_per_state: 1,
            throttle_starts: 0,
            background: false,
            fail_with: None,
            refuse_start: None,
            unload_s3: None,
            calls: Vec::new(),
            tables: vec![
                FakeTable {
                    database: "trailscope".to_string(),
                    name: "cloudtrail".to_string(),
                    location: location.clone(),
                    partitioning: Partitioning::Projected {
                        accounts: None,
                        regions: None,
                        since: "2020/01/01".to_string(),
                    },
                },
                FakeTable {
                    database: "trailscope".to_string(),
                    name: "cloudtrail_plain".to_string(),
                    location,
                    partitioning: Partitioning::None,
                },
            ],
            workgroups: vec![FakeWorkGroup::primary()],
            raw,
            events: None,
            queries: Vec::new(),
        }
    }

    /// One Athena request (already authenticated by the caller).
    pub(crate) fn handle(&mut self, op: &str, body: &[u8], now_ms: i64) -> Reply {
        let request = match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => map,
            _ => {
                self.calls.push((op.to_string(), Value::Null));
                return invalid("the request body is not a JSON object");
            }
        };
        self.calls
            .push((op.to_string(), Value::Object(request.clone())));
        let p = Params(&request);
        match op {
            "StartQueryExecution" => self.start(&p, now_ms),
            "ListWorkGroups" => answer(json!({
                "WorkGroups": self.workgroups.iter().map(|w| json!({
                    "Name": w.name,
                    "State": "ENABLED",
                    "Description": "",
                    "CreationTime": 1_764_547_200.0,
                })).collect::<Vec<_>>()
            })),
            "GetWorkGroup" => match self.workgroup(p.str("WorkGroup")) {
                Ok(w) => answer(json!({ "WorkGroup": w.describe() })),
                Err(e) => e,
            },
            "ListDataCatalogs" => answer(json!({
                "DataCatalogsSummary": [{ "CatalogName": CATALOG, "Type": "GLUE" }]
            })),
            "ListDatabases" => self.list_databases(&p),
            "ListTableMetadata" | "GetTableMetadata" => self.table_metadata(op, &p),
            _ => results::answer_for(&mut self.queries, op, &p),
        }
    }

    fn workgroup(&self, name: Option<&str>) -> Result<&FakeWorkGroup, Reply> {
        let name = name.unwrap_or("primary");
        self.workgroups
            .iter()
            .find(|w| w.name == name)
            .ok_or_else(|| invalid(&format!("WorkGroup {name} is not found.")))
    }

    fn catalog_checked(&self, p: &Params) -> Result<(), Reply> {
        match p.str("CatalogName") {
            Some(c) if !c.eq_ignore_ascii_case(CATALOG) => Err(metadata(&format!(
                "Catalog {} is not found.",
                trailscope::model::sanitize::visible(c)
            ))),
            _ => Ok(()),
        }
    }

    fn list_databases(&self, p: &Params) -> Reply {
        if let Err(e) = self.catalog_checked(p) {
            return e;
        }
        let mut names: Vec<&str> = self.tables.iter().map(|t| t.database.as_str()).collect();
        names.push("default");
        names.sort_unstable();
        names.dedup();
        answer(json!({
            "DatabaseList": names.iter().map(|n| json!({ "Name": n })).collect::<Vec<_>>()
        }))
    }

    fn table_metadata(&self, op: &str, p: &Params) -> Reply {
        if let Err(e) = self.catalog_checked(p) {
            return e;
        }
        let database = match p.required_athena("DatabaseName") {
            Ok(d) => d.to_ascii_lowercase(),
            Err(e) => return e,
        };
        let known = self.tables.iter().any(|t| t.database == database) || database == "default";
        if !known {
            return metadata(&format!(
                "Database {} is not found.",
                trailscope::model::sanitize::visible(&database)
            ));
        }
        let in_db = self.tables.iter().filter(|t| t.database == database);
        if op == "ListTableMetadata" {
            let list: Vec<Value> = in_db.map(FakeTable::metadata).collect();
            return answer(json!({ "TableMetadataList": list }));
        }
        let name = match p.required_athena("TableName") {
            Ok(n) => n.to_ascii_lowercase(),
            Err(e) => return e,
        };
        match self
            .tables
            .iter()
            .find(|t| t.database == database && t.name == name)
        {
            Some(t) => answer(json!({ "TableMetadata": t.metadata() })),
            None => metadata(&format!(
                "Table {} is not found.",
                trailscope::model::sanitize::visible(&name)
            )),
        }
    }

    fn start(&mut self, p: &Params, now_ms: i64) -> Reply {
        if self.throttle_starts > 0 {
            self.throttle_starts -= 1;
            return Reply::error(400, "TooManyRequestsException", "Rate exceeded");
        }
        if let Some((kind, message)) = &self.refuse_start {
            return Reply::error(400, kind, message);
        }
        let statement = match p.required_athena("QueryString") {
            Ok(s) if s.len() <= 262_144 => s.to_string(),
            Ok(_) => return invalid("QueryString is longer than 262144 bytes."),
            Err(e) => return e,
        };
        if p.0.contains_key("ExecutionParameters") {
            return invalid(
                "ExecutionParameters are not supported by the fake Athena; send literals",
            );
        }
        let workgroup = match self.workgroup(p.str("WorkGroup")) {
            Ok(w) => w.clone(),
            Err(e) => return e,
        };
        let given =
            p.0.get("ResultConfiguration")
                .and_then(|r| r.get("OutputLocation"))
                .and_then(Value::as_str)
                .map(str::to_string);
        let Some(output) = given.or(workgroup.output_location.clone()) else {
            return invalid("No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.");
        };
        let database =
            p.0.get("QueryExecutionContext")
                .and_then(|c| c.get("Database"))
                .and_then(Value::as_str)
                .unwrap_or("default")
                .to_ascii_lowercase();
        let ddl = ddl::is_ddl(&statement);
        let mut pending = None;
        let (stats, outcome, header) = match (&self.fail_with, ddl) {
            (Some(why), _) => (Stats::default(), Outcome::Failed(why.clone()), Vec::new()),
            (None, ddl) => match ddl {
                true => match ddl::run(&statement, &database, &mut self.tables) {
                    Ok(()) => (Stats::default(), Outcome::Finished(Vec::new()), Vec::new()),
                    Err(why) => (Stats::default(), Outcome::Failed(why), Vec::new()),
                },
                false => match self.statement(&statement, &database) {
                    Err(failed) => failed,
                    Ok(run) if self.background => {
                        let slot = Arc::new(Mutex::new(None));
                        let fill = slot.clone();
                        std::thread::spawn(move || {
                            let done = run.run();
                            if let Ok(mut slot) = fill.lock() {
                                *slot = Some(done);
                            }
                        });
                        pending = Some(slot);
                        (Stats::default(), Outcome::Finished(Vec::new()), Vec::new())
                    }
                    Ok(run) => run.run(),
                },
            },
        };
        let number = self.queries.len() as u64 + 1;
        let query = Query::new(
            number,
            &statement,
            now_ms,
            self.polls_per_state,
            stats,
            outcome,
        );
        let id = query.id.clone();
        self.queries.push(AthenaQuery {
            query,
            header,
            database,
            workgroup: workgroup.name.clone(),
            statement_type: if ddl { "DDL" } else { "DML" },
            unload: unload::parse(&statement).is_some(),
            pending,
            output: format!("{}{id}.csv", with_slash(&output)),
        });
        answer(json!({ "QueryExecutionId": id }))
    }

    /// A SELECT or an UNLOAD, parsed and bound to its table: ready to run, or how it failed.
    fn statement(&mut self, statement: &str, database: &str) -> Result<Run, Finished> {
        let failed = |why: String| Err((Stats::default(), Outcome::Failed(why), Vec::new()));
        let (q, unload) = match unload::parse(statement) {
            None => match sql::parse_statement(statement) {
                Ok(q) => (q, None),
                Err(why) => return failed(format!("line 1:1: {why}")),
            },
            Some(Err(why)) => return failed(why),
            Some(Ok(u)) => match &self.unload_s3 {
                None => {
                    return failed(
                        "the fake Athena has no S3 to UNLOAD into (set FakeAthena::unload_s3)"
                            .to_string(),
                    )
                }
                Some(s3) => {
                    let name = format!("fake{:06}", self.queries.len() + 1);
                    (u.query.clone(), Some((u, s3.clone(), name)))
                }
            },
        };
        let names = crate::lake::plan::tables(&q);
        let [name] = names.as_slice() else {
            return failed("the fake Athena reads exactly one table per statement".to_string());
        };
        let Some(table) = self.resolve(name, database) else {
            return failed(format!(
                "TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.{}' does not exist",
                trailscope::model::sanitize::visible(&name.replace('"', "").to_ascii_lowercase())
            ));
        };
        let raw = &self.raw;
        let events = self
            .events
            .get_or_insert_with(|| Arc::new(execute::events(raw)))
            .clone();
        Ok(Run {
            q,
            table,
            events,
            unload,
        })
    }

    /// `db.table`, `"db"."table"` or `table` (in the query's database).
    fn resolve(&self, name: &str, database: &str) -> Option<FakeTable> {
        let parts: Vec<String> = name
            .split('.')
            .map(|p| crate::lake::plan::unquote(p.trim()).to_ascii_lowercase())
            .collect();
        let (db, table) = match parts.as_slice() {
            [t] => (database.to_string(), t.clone()),
            [d, t] => (d.clone(), t.clone()),
            [c, d, t] if c.eq_ignore_ascii_case(CATALOG) => (d.clone(), t.clone()),
            _ => return None,
        };
        self.tables
            .iter()
            .find(|t| t.database == db && t.name == table)
            .cloned()
    }
}

/// A statement ready to run, on this thread or one of its own.
struct Run {
    q: sqlparser::ast::Query,
    table: FakeTable,
    events: Arc<Vec<AthenaEvent>>,
    /// For an UNLOAD: where it writes, the S3 endpoint, and its objects' name.
    unload: Option<(unload::Unload, String, String)>,
}

impl Run {
    fn run(self) -> Finished {
        let answer = execute::execute(&self.q, &self.table, &self.events);
        let Some((u, s3, name)) = &self.unload else {
            return finished(answer);
        };
        match answer.and_then(|a| {
            unload::write(s3, u, &a.header, &a.rows, name)?;
            Ok(a)
        }) {
            Ok(a) => (
                Stats {
                    matched: a.rows.len() as u64,
                    scanned: 0,
                    bytes: a.scanned_bytes,
                },
                Outcome::Finished(Vec::new()),
                Vec::new(),
            ),
            Err(why) => (Stats::default(), Outcome::Failed(why), Vec::new()),
        }
    }
}

/// A statement's answer as the query keeps it.
fn finished(answer: Result<execute::Answer, String>) -> Finished {
    match answer {
        Ok(a) => (
            Stats {
                matched: a.rows.len() as u64,
                scanned: 0,
                bytes: a.scanned_bytes,
            },
            Outcome::Finished(a.rows),
            a.header,
        ),
        Err(why) => (Stats::default(), Outcome::Failed(why), Vec::new()),
    }
}

fn with_slash(location: &str) -> String {
    match location.ends_with('/') {
        true => location.to_string(),
        false => format!("{location}/"),
    }
}

/// Athena's InvalidRequestException (HTTP 400).
pub(crate) fn invalid(message: &str) -> Reply {
    Reply::error(
        400,
        "InvalidRequestException",
        &crate::lake::bounded(message),
    )
}

/// Glue's answer through Athena for a missing database or table.
fn metadata(message: &str) -> Reply {
    Reply::error(400, "MetadataException", &crate::lake::bounded(message))
}

impl Params<'_> {
    /// A required string member, or Athena's InvalidRequestException.
    pub(crate) fn required_athena(&self, name: &str) -> Result<&str, Reply> {
        self.str(name)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid(&format!("{name} is required.")))
    }
}
