//! Athena's REST routes (`GET /query-executions/{id}/results?NextToken=…`), as botocore's
//! current model describes the service (`rest-json`) and so as the official `aws` CLI calls
//! it, mapped onto the same operations the SDK's `awsJson1_1` targets reach: the path's and
//! query's members become the JSON body those operations read.

use serde_json::{Map, Value};

/// The operation a REST request names and the request as a JSON body, or `None` when it
/// names none of the fake's Athena operations.
pub fn route(
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> Option<(&'static str, Vec<u8>)> {
    let segments: Vec<String> = path
        .trim_matches('/')
        .split('/')
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    let mut members = match (method, body.is_empty()) {
        ("POST", false) => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(m)) => m,
            _ => return Some(("StartQueryExecution", body.to_vec())),
        },
        _ => Map::new(),
    };
    let mut put = |k: &str, v: &str| {
        members.insert(k.to_string(), Value::String(v.to_string()));
    };
    let op = match (method, parts.as_slice()) {
        ("POST", ["query-executions"]) => "StartQueryExecution",
        ("GET", ["query-executions", id]) => {
            put("QueryExecutionId", id);
            "GetQueryExecution"
        }
        ("GET", ["query-executions", id, "results"]) => {
            put("QueryExecutionId", id);
            "GetQueryResults"
        }
        ("POST", ["query-executions", id, "stop"]) => {
            put("QueryExecutionId", id);
            "StopQueryExecution"
        }
        ("GET", ["workgroups"]) => "ListWorkGroups",
        ("GET", ["workgroups", name]) => {
            put("WorkGroup", name);
            "GetWorkGroup"
        }
        ("GET", ["data-catalogs"]) => "ListDataCatalogs",
        ("GET", ["data-catalogs", catalog, "databases"]) => {
            put("CatalogName", catalog);
            "ListDatabases"
        }
        ("GET", ["data-catalogs", catalog, "databases", db, "tables"]) => {
            put("CatalogName", catalog);
            put("DatabaseName", db);
            "ListTableMetadata"
        }
        ("GET", ["data-catalogs", catalog, "databases", db, "tables", table]) => {
            put("CatalogName", catalog);
            put("DatabaseName", db);
            put("TableName", table);
            "GetTableMetadata"
        }
        _ => return None,
    };
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let value = match (k.as_ref(), v.parse::<u64>()) {
            ("MaxResults", Ok(n)) => Value::from(n),
            _ => Value::String(v.into_owned()),
        };
        members.insert(k.into_owned(), value);
    }
    Some((op, Value::Object(members).to_string().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::route;
    use serde_json::{json, Value};

    fn body(r: Option<(&'static str, Vec<u8>)>) -> (&'static str, Value) {
        let (op, b) = r.unwrap_or(("none", Vec::new()));
        (op, serde_json::from_slice(&b).unwrap_or(Value::Null))
    }

    #[test]
    fn paths_and_queries_become_the_operations_members() {
        assert_eq!(
            body(route(
                "GET",
                "/query-executions/ab-12/results",
                Some("MaxResults=5&NextToken=t%2B1"),
                b""
            )),
            (
                "GetQueryResults",
                json!({"QueryExecutionId": "ab-12", "MaxResults": 5, "NextToken": "t+1"})
            )
        );
        assert_eq!(
            body(route(
                "POST",
                "/query-executions",
                None,
                br#"{"QueryString":"SELECT 1"}"#
            )),
            ("StartQueryExecution", json!({"QueryString": "SELECT 1"}))
        );
        assert_eq!(
            body(route(
                "GET",
                "/data-catalogs/AwsDataCatalog/databases/trailscope/tables/cloudtrail",
                None,
                b""
            ))
            .0,
            "GetTableMetadata"
        );
        assert!(route("DELETE", "/workgroups/x", None, b"").is_none());
    }
}
