//! A large result read through S3. GetQueryResults hands back 1,000 rows a call, one call
//! after another: a million events would take a thousand round trips. So when a statement's
//! result holds more than `UNLOAD_OVER` rows (GetQueryRuntimeStatistics says, for free once
//! it SUCCEEDED), the same SELECT runs again as `UNLOAD … WITH (format = 'JSON', compression =
//! 'GZIP')` into a fresh folder beside the query's results, and the gzipped JSON objects it
//! writes are downloaded in parallel by the S3 source's machinery (`source::s3::objects`)
//! and rebuilt into pages of rows as they arrive.
//!
//! The price is a second scan of the same bytes (billed again, shown in the status bar and
//! counted against `--max-scan`), so it is paid only when it is small: a result of whole
//! events (the store re-sorts them; an aggregate's order would be lost across objects) whose
//! statement scanned at most `SECOND_SCAN_MAX` (a dime). Past that, or when the UNLOAD fails
//! before any row came through S3, the SELECT's own result is paged.

use super::execution::{execute, Page, Report, Target};
use crate::job::{Ending, QueryProgress};
use crate::lake::client::Polling;
use crate::source::files::CancelToken;
use aws_sdk_athena::Client;
use serde_json::Value;
use std::io::Read;
use std::sync::Arc;
use tokio::sync::watch;

/// Results with more rows than this are read through UNLOAD and S3.
pub const UNLOAD_OVER: u64 = 100_000;

/// The most a SELECT may have scanned for its UNLOAD to be worth a second scan: 20 GB, $0.10.
const SECOND_SCAN_MAX: i64 = 20_000_000_000;

/// One UNLOAD object inflated: no JSON result object Athena writes comes near it, and a
/// forged one cannot take the memory.
const MAX_INFLATED: u64 = 1 << 30;

/// The rows of a SUCCEEDED statement's result when it should come through UNLOAD: a SELECT
/// of whole events, more than `over` rows, a second scan that costs little. `None`: page it.
pub(crate) async fn worth_it(
    client: &Client,
    sql: &str,
    p: &QueryProgress,
    over: u64,
) -> Option<u64> {
    let word = sql.split_whitespace().next()?.to_ascii_uppercase();
    if !matches!(word.as_str(), "SELECT" | "WITH") || p.bytes_scanned > SECOND_SCAN_MAX {
        return None;
    }
    let rows = output_rows(client, &p.query_id)
        .await
        .filter(|r| *r > over)?;
    whole_events(client, &p.query_id).await.then_some(rows)
}

/// Whether the result's columns are the table's own (its header, one GetQueryResults row).
async fn whole_events(client: &Client, query_id: &str) -> bool {
    let Ok(first) = client
        .get_query_results()
        .query_execution_id(query_id)
        .max_results(1)
        .send()
        .await
    else {
        return false;
    };
    let header: Vec<String> = first
        .result_set()
        .and_then(|r| r.rows().first())
        .map(|row| {
            row.data()
                .iter()
                .map(|d| d.var_char_value().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    super::rows::are_events(&Page {
        header: Arc::from(header),
        rows: Vec::new(),
    })
}

/// The rows a SUCCEEDED statement's result holds, when Athena says (a missing
/// `athena:GetQueryRuntimeStatistics` permission only means the result is paged).
async fn output_rows(client: &Client, query_id: &str) -> Option<u64> {
    let out = client
        .get_query_runtime_statistics()
        .query_execution_id(query_id)
        .send()
        .await
        .ok()?;
    let rows = out.query_runtime_statistics()?.rows()?.output_rows()?;
    u64::try_from(rows).ok()
}

/// The SELECT whose result is too large to page, and where Athena wrote that result.
pub(crate) struct Unload<'a> {
    pub select: &'a str,
    /// The SELECT's result (`s3://BUCKET/PREFIX/ID.csv`): the UNLOAD goes beside it.
    pub location: &'a str,
    /// How many rows the SELECT returned.
    pub rows: u64,
}

impl Unload<'_> {
    /// Runs the UNLOAD and reads what it wrote, reporting progress and rows as `results`
    /// does; `p` holds the SELECT's progress and ends with both statements' bytes.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn fetch<Sent: std::future::Future<Output = ()>>(
        &self,
        client: &Client,
        region: &str,
        target: &Target,
        polling: Polling,
        cancel: &mut watch::Receiver<bool>,
        p: &mut QueryProgress,
        report: &mut impl FnMut(Report) -> Sent,
    ) -> Result<(), Ending> {
        let folder = self.folder(&p.query_id);
        let statement = statement(self.select, &folder);
        let first = p.clone();
        let target = Target {
            max_scan: target
                .max_scan
                .map(|m| m.saturating_sub(first.bytes_scanned.max(0) as u64)),
            unload_over: None,
            ..target.clone()
        };
        let mut u = QueryProgress {
            status: "STARTING".to_string(),
            ..QueryProgress::default()
        };
        let rows = self.rows;
        let mut forward = |r: Report| {
            report(match r {
                Report::Progress(u) => Report::Progress(combined(&first, &u, rows)),
                other => other,
            })
        };
        let ran = execute(
            client,
            region,
            &statement,
            &target,
            polling,
            cancel,
            &mut u,
            &mut forward,
        )
        .await;
        *p = combined(&first, &u, rows);
        ran?;
        let done = format!("SUCCEEDED (read through UNLOAD {})", u.query_id);
        p.status = "SUCCEEDED".to_string();
        read(
            &folder,
            target.profile.as_deref(),
            region,
            cancel,
            p,
            report,
        )
        .await?;
        p.status = done;
        Ok(())
    }

    /// A folder of its own (Athena refuses to UNLOAD into one that holds anything).
    fn folder(&self, query_id: &str) -> String {
        let dir = match self.location.rfind('/') {
            Some(i) => &self.location[..=i],
            None => self.location,
        };
        format!("{dir}trailscope-unload/{query_id}/")
    }
}

/// `UNLOAD (SELECT …) TO 's3://…/' WITH (format = 'JSON', compression = 'GZIP')`.
pub fn statement(select: &str, folder: &str) -> String {
    let select = select.trim().trim_end_matches(';').trim_end();
    format!(
        "UNLOAD (\n{select}\n)\nTO {} WITH (format = 'JSON', compression = 'GZIP')",
        crate::trino::literal::literal(folder)
    )
}

/// The progress the user sees: the SELECT's id, the UNLOAD's state, both statements' bytes.
fn combined(first: &QueryProgress, unload: &QueryProgress, rows: u64) -> QueryProgress {
    QueryProgress {
        query_id: first.query_id.clone(),
        status: format!(
            "UNLOAD of {rows} rows {} {}",
            unload.query_id, unload.status
        ),
        bytes_scanned: first.bytes_scanned + unload.bytes_scanned,
        millis: first.millis + unload.millis,
        retries: first.retries + unload.retries,
        ..first.clone()
    }
}

/// Downloads the UNLOAD's objects and reports each as a page of rows.
async fn read<Sent: std::future::Future<Output = ()>>(
    folder: &str,
    profile: Option<&str>,
    region: &str,
    cancel: &mut watch::Receiver<bool>,
    p: &mut QueryProgress,
    report: &mut impl FnMut(Report) -> Sent,
) -> Result<(), Ending> {
    let config = crate::source::lookup::client::load_config(profile).await;
    let stop = CancelToken::default();
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let folder_owned = folder.to_string();
    let region_owned = region.to_string();
    let token = stop.clone();
    let listing = tokio::spawn(async move {
        crate::source::s3::objects::read_all(&config, &region_owned, &folder_owned, &token, tx)
            .await
    });
    let mut failed = Vec::new();
    let mut objects = 0;
    loop {
        let next = tokio::select! {
            got = rx.recv() => got,
            Ok(()) = cancel.changed() => match *cancel.borrow() {
                true => { stop.cancel(); None }
                false => continue,
            },
        };
        let Some((key, got)) = next else { break };
        objects += 1;
        // Inflating and parsing an object takes a while: off the runtime's thread (the
        // app's), and handed on a thousand rows at a time like GetQueryResults' pages.
        let parsed = match got {
            Ok(bytes) => tokio::task::spawn_blocking(move || page(&bytes))
                .await
                .unwrap_or_else(|e| Err(format!("the reader stopped: {e}"))),
            Err(why) => Err(why),
        };
        match parsed {
            Ok(page) => {
                for rows in page.rows.chunks(1000) {
                    p.rows += rows.len() as u64;
                    let part = Page {
                        header: page.header.clone(),
                        rows: rows.to_vec(),
                    };
                    report(Report::Rows(part)).await;
                }
            }
            Err(why) => failed.push(format!("s3://…/{key}: {why}")),
        }
        p.status = format!("SUCCEEDED, read {objects} object(s) of UNLOAD");
        report(Report::Progress(p.clone())).await;
    }
    if *cancel.borrow() {
        return Err(Ending::Stopped);
    }
    let listed = match listing.await {
        Ok(listed) => listed,
        Err(e) => Err(format!("the UNLOAD reader stopped: {e}")),
    };
    p.status = "SUCCEEDED".to_string();
    match (listed, failed.first()) {
        (Err(why), _) => Err(Ending::Failed(format!(
            "the UNLOAD's result under {folder} could not be listed ({why}); {} row(s) read are kept",
            p.rows
        ))),
        (Ok(_), Some(first)) => Err(Ending::Failed(format!(
            "{} of the UNLOAD's objects could not be read (first: {first}); {} row(s) read are kept",
            failed.len(),
            p.rows
        ))),
        (Ok(_), None) => Ok(()),
    }
}

/// One UNLOAD object (JSON lines, gzipped) as a page: one row per line, the columns named
/// by the keys in the order first met, a member absent or `null` a NULL cell, strings as
/// they are and other values as their JSON text.
pub fn page(bytes: &[u8]) -> Result<Page, String> {
    let mut text = Vec::new();
    let inflated = match bytes.starts_with(&[0x1f, 0x8b]) {
        true => flate2::read::MultiGzDecoder::new(bytes)
            .take(MAX_INFLATED + 1)
            .read_to_end(&mut text)
            .map(|_| ())
            .map_err(|e| format!("not readable gzip: {e}")),
        false => {
            text.extend_from_slice(bytes);
            Ok(())
        }
    };
    inflated?;
    if text.len() as u64 > MAX_INFLATED {
        return Err(format!("inflates past {MAX_INFLATED} bytes"));
    }
    let mut names: Vec<String> = Vec::new();
    let mut objects = Vec::new();
    for (n, line) in text.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(line) else {
            return Err(format!("line {} is not a JSON object", n + 1));
        };
        for k in map.keys() {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
        objects.push(map);
    }
    let rows = objects
        .into_iter()
        .map(|mut map| {
            names
                .iter()
                .map(|name| match map.remove(name) {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s),
                    Some(other) => Some(other.to_string()),
                })
                .collect()
        })
        .collect();
    Ok(Page {
        header: Arc::from(names),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_rows_under_the_keys_first_met() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(
            &mut gz,
            b"{\"eventid\":\"a\",\"readonly\":\"true\"}\n{\"eventid\":\"b\",\"errorcode\":null,\"n\":3}\n",
        )
        .expect("gzip");
        let page = page(&gz.finish().expect("gzip")).expect("a page");
        assert_eq!(&*page.header, ["eventid", "readonly", "errorcode", "n"]);
        assert_eq!(
            page.rows,
            vec![
                vec![Some("a".into()), Some("true".into()), None, None],
                vec![Some("b".into()), None, None, Some("3".into())],
            ]
        );
    }

    #[test]
    fn a_broken_object_is_refused_with_where() {
        assert!(page(b"{\"a\":1}\nnot json\n")
            .unwrap_err()
            .contains("line 2"));
        assert!(page(&[0x1f, 0x8b, 0, 1, 2]).unwrap_err().contains("gzip"));
    }

    #[test]
    fn the_statement_writes_gzipped_json_into_a_fresh_folder() {
        let u = Unload {
            select: "SELECT 1",
            location: "s3://results/athena/abc.csv",
            rows: 200_000,
        };
        let folder = u.folder("abc");
        assert_eq!(folder, "s3://results/athena/trailscope-unload/abc/");
        assert_eq!(
            statement("SELECT 1", &folder),
            "UNLOAD (\nSELECT 1\n)\nTO 's3://results/athena/trailscope-unload/abc/' WITH (format = 'JSON', compression = 'GZIP')"
        );
    }
}
