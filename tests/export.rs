//! Evidence export: the provenance header, the digest, and every format's body, on hand-written
//! records whose strings were chosen by an attacker.

#[path = "export/packed_raw.rs"]
mod packed_raw;

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;
use trailscope::export::{export, Exported, Format, Provenance, Scope};
use trailscope::model::parse::parse_text;
use trailscope::model::record::Record;
use trailscope::model::store::{EventIdx, Store};
use trailscope::model::time::EventTime;

/// Compact single-line JSON, so the store keeps each record byte for byte as written here.
const RECORDS: [&str; 4] = [
    // A userName a spreadsheet would run as a formula.
    r##"{"eventVersion":"1.09","eventTime":"2026-11-19T02:21:40Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/2.15.30","userIdentity":{"type":"IAMUser","accountId":"111122223333","accessKeyId":"AKIAXLEAKED0EXAMPLE1","userName":"=HYPERLINK(\"http://evil\")"},"eventID":"e-0001","recipientAccountId":"111122223333"}"##,
    // Terminal escapes, a pipe and Markdown/HTML in the userName; an escape and a pipe in the userAgent.
    r##"{"eventVersion":"1.09","eventTime":"2026-11-19T02:22:10Z","eventSource":"iam.amazonaws.com","eventName":"ListUsers","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"curl/8.0 \u001b[31m|red","userIdentity":{"type":"IAMUser","accountId":"111122223333","accessKeyId":"AKIAXMALLORY00000001","userName":"mallory|\u001b[31m[click](http://evil)<b>`x`*_"},"eventID":"e-0002","recipientAccountId":"111122223333"}"##,
    // A long error message with a newline and a pipe in it; a target (the userName asked for)
    // a spreadsheet would run and Markdown would read.
    r##"{"eventVersion":"1.09","eventTime":"2026-11-19T02:23:00Z","eventSource":"iam.amazonaws.com","eventName":"AttachUserPolicy","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.23","userAgent":"curl/8.0","userIdentity":{"type":"IAMUser","accountId":"111122223333","accessKeyId":"AKIAXMALLORY00000001","userName":"mallory"},"requestParameters":{"userName":"@SUM(1)|<b>admin</b>","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"},"errorCode":"AccessDenied","errorMessage":"User: mallory is not authorized\nto perform: iam:AttachUserPolicy | on resource: user/admin because no identity-based policy allows it","eventID":"e-0003","recipientAccountId":"111122223333"}"##,
    // No eventID at all.
    r##"{"eventVersion":"1.09","eventTime":"2026-11-19T02:24:30Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.9","userAgent":"Mozilla/5.0","userIdentity":{"type":"Root","accountId":"111122223333"},"recipientAccountId":"111122223333"}"##,
];

const ERROR_MESSAGE: &str = "User: mallory is not authorized\nto perform: iam:AttachUserPolicy | on resource: user/admin because no identity-based policy allows it";
const LOOKUP_SOURCE: &str = "LookupEvents eu-west-1 (profile ir) 2026-11-20T00:00:00Z..2026-11-21T00:00:00Z, fetched 2026-11-21T03:12:00Z";

fn store() -> Store {
    let mut sink = (Vec::new(), Vec::new());
    parse_text(&Arc::from("test"), &RECORDS.join("\n"), &mut sink);
    assert!(sink.1.is_empty(), "{:?}", sink.1);
    let mut store = Store::default();
    store.insert_batch(sink.0);
    assert_eq!(store.len(), RECORDS.len());
    store
}

fn rows(store: &Store) -> Vec<EventIdx> {
    let rows = store.time_order().to_vec();
    assert_eq!(rows, vec![0, 1, 2, 3], "records are written in time order");
    rows
}

fn notes() -> BTreeMap<EventIdx, String> {
    BTreeMap::from([
        (0, "leaked key, first use".to_string()),
        (
            2,
            "=cmd|' /C calc'!A0 escalation attempt | denied".to_string(),
        ),
    ])
}

fn provenance() -> Provenance {
    Provenance {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        investigation: Some("IR-2026-11 leaked key".to_string()),
        sources: vec![
            LOOKUP_SOURCE.to_string(),
            "file trail.json\nwith a newline".to_string(),
        ],
        caller: None,
        filter: "eventName = CreateAccessKey\nor errorCode exists".to_string(),
        scope: Scope::View,
        exported_at: EventTime::parse("2026-11-21T03:15:00Z").expect("valid time"),
    }
}

fn run(format: Format) -> (String, Exported) {
    let store = store();
    let mut out = Vec::new();
    let done = export(
        &mut out,
        format,
        &store,
        &rows(&store),
        &notes(),
        &provenance(),
    )
    .expect("export");
    (String::from_utf8(out).expect("utf-8"), done)
}

/// What a colleague computes to check an export: SHA-256 over the record lines.
fn expected_sha256() -> String {
    let mut h = Sha256::new();
    for r in RECORDS {
        h.update(r.as_bytes());
        h.update(b"\n");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn jsonl_header_then_the_records_unchanged() {
    let (text, done) = run(Format::Jsonl);
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.split_terminator('\n').collect();
    assert_eq!(lines.len(), 1 + RECORDS.len());

    let header: serde_json::Value = serde_json::from_str(lines[0]).expect("header is JSON");
    let p = &header["trailscope_provenance"];
    assert_eq!(p["tool"], "trailscope");
    assert_eq!(p["tool_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(p["investigation"], "IR-2026-11 leaked key");
    assert_eq!(
        p["sources"],
        serde_json::json!([LOOKUP_SOURCE, "file trail.json\nwith a newline"])
    );
    assert!(p["caller"].is_null());
    assert_eq!(
        p["filter"],
        "eventName = CreateAccessKey\nor errorCode exists"
    );
    assert_eq!(p["scope"], Scope::View.label());
    assert_eq!(p["exported_at"], "2026-11-21T03:15:00Z");
    assert_eq!(p["events"], 4);
    assert_eq!(p["sha256"], expected_sha256().as_str());
    let covers = p["sha256_covers"].as_str().expect("a string");
    assert!(
        covers.starts_with("sha256 of the 4 records as JSON lines"),
        "{covers}"
    );
    assert_eq!(
        done,
        Exported {
            events: 4,
            sha256: expected_sha256()
        }
    );

    assert_eq!(&lines[1..], &RECORDS[..]);
    // The body is exactly the bytes the digest covers.
    let body = &text[lines[0].len() + 1..];
    let digest: String = Sha256::digest(body.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(digest, done.sha256);
}

#[test]
fn csv_provenance_lines_stay_single_lines() {
    let (text, done) = run(Format::Csv);
    let comments: Vec<&str> = text.lines().take_while(|l| l.starts_with("# ")).collect();
    let sha = expected_sha256();
    let expected = [
        format!("# tool,trailscope {}", env!("CARGO_PKG_VERSION")),
        "# investigation,IR-2026-11 leaked key".to_string(),
        // A comma in the value: quoted, but still one line that starts with `# `.
        format!("# source,\"{LOOKUP_SOURCE}\""),
        // The newline is written as `\n`, not as a line break.
        "# source,file trail.json\\nwith a newline".to_string(),
        "# caller identity,not recorded".to_string(),
        "# filter,eventName = CreateAccessKey\\nor errorCode exists".to_string(),
        "# scope,events in the current view".to_string(),
        "# exported at,2026-11-21T03:15:00Z".to_string(),
        "# events,4".to_string(),
        format!("# sha256 of the 4 records as JSON lines,{sha}"),
    ];
    assert_eq!(comments, expected);
    assert_eq!(done.sha256, sha);
    let header_line = text.lines().nth(expected.len()).expect("a header row");
    assert_eq!(
        header_line,
        "eventTime,eventName,eventSource,principal,accessKeyId,sourceIPAddress,awsRegion,\
         recipientAccountId,errorCode,errorMessage,userAgent,eventID,target,note"
    );
    // The formula-shaped userName is guarded with `'` and quoted (it holds quotes).
    assert!(
        text.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\","),
        "{text}"
    );
}

#[test]
fn csv_rows_read_back_cell_by_cell() {
    let (text, _) = run(Format::Csv);
    let table = read_csv(&text);
    // Ten `# ` lines (each one row of two cells), the header row, four events.
    assert_eq!(table.len(), 10 + 1 + 4);
    assert!(table[..10]
        .iter()
        .all(|r| r.len() == 2 && r[0].starts_with("# ")));
    assert_eq!(table[10].len(), 14);
    let events = &table[11..];
    assert!(events.iter().all(|r| r.len() == 14));

    let row = |i: usize| -> Vec<&str> { events[i].iter().map(String::as_str).collect() };
    assert_eq!(
        row(0),
        [
            "2026-11-19T02:21:40Z",
            "CreateAccessKey",
            "iam.amazonaws.com",
            "'=HYPERLINK(\"http://evil\")",
            "AKIAXLEAKED0EXAMPLE1",
            "203.0.113.7",
            "us-east-1",
            "111122223333",
            "",
            "",
            "aws-cli/2.15.30",
            "e-0001",
            "",
            "leaked key, first use",
        ]
    );
    // Event values are evidence: kept as they are, quoting keeps them in their cell.
    assert_eq!(
        row(1),
        [
            "2026-11-19T02:22:10Z",
            "ListUsers",
            "iam.amazonaws.com",
            "mallory|\u{1b}[31m[click](http://evil)<b>`x`*_",
            "AKIAXMALLORY00000001",
            "198.51.100.23",
            "us-east-1",
            "111122223333",
            "",
            "",
            "curl/8.0 \u{1b}[31m|red",
            "e-0002",
            "",
            "",
        ]
    );
    assert_eq!(
        row(2),
        [
            "2026-11-19T02:23:00Z",
            "AttachUserPolicy",
            "iam.amazonaws.com",
            "mallory",
            "AKIAXMALLORY00000001",
            "198.51.100.23",
            "us-east-1",
            "111122223333",
            "AccessDenied",
            ERROR_MESSAGE,
            "curl/8.0",
            "e-0003",
            "'@SUM(1)|<b>admin</b> ← arn:aws:iam::aws:policy/AdministratorAccess",
            "'=cmd|' /C calc'!A0 escalation attempt | denied",
        ]
    );
    assert_eq!(
        row(3),
        [
            "2026-11-19T02:24:30Z",
            "ConsoleLogin",
            "signin.amazonaws.com",
            "root (111122223333)",
            "",
            "198.51.100.9",
            "us-east-1",
            "111122223333",
            "",
            "",
            "Mozilla/5.0",
            "",
            "",
            "",
        ]
    );
}

#[test]
fn markdown_timeline_is_inert() {
    let (text, done) = run(Format::Markdown);
    assert!(!text.contains('\u{1b}'), "no raw ESC byte");
    assert!(!text.contains("<b>"), "no live HTML");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "# Incident timeline: IR-2026-11 leaked key");

    let bullets: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("- "))
        .collect();
    assert_eq!(
        bullets,
        [
            format!("- **tool:** trailscope {}", env!("CARGO_PKG_VERSION")),
            "- **investigation:** IR-2026-11 leaked key".to_string(),
            format!("- **source:** {LOOKUP_SOURCE}"),
            "- **source:** file trail.json with a newline".to_string(),
            "- **caller identity:** not recorded".to_string(),
            "- **filter:** eventName = CreateAccessKey or errorCode exists".to_string(),
            "- **scope:** events in the current view".to_string(),
            "- **exported at:** 2026-11-21T03:15:00Z".to_string(),
            "- **events:** 4".to_string(),
            format!(
                "- **sha256 of the 4 records as JSON lines:** {}",
                done.sha256
            ),
        ]
    );

    let header = lines
        .iter()
        .position(|l| {
            *l == "| Time (UTC) | Principal | Key | IP | Action | Target | Outcome | Note |"
        })
        .expect("the table header");
    assert_eq!(lines[header + 1], "|---|---|---|---|---|---|---|---|");
    let table: Vec<&str> = lines[header + 2..]
        .iter()
        .copied()
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(table.len(), 4);
    assert_eq!(
        header + 2 + table.len(),
        lines.len(),
        "nothing after the table"
    );

    let cells: Vec<Vec<String>> = table.iter().map(|r| split_row(r)).collect();
    for (row, raw) in cells.iter().zip(&table) {
        assert_eq!(row.len(), 8, "eight cells in {raw}");
        for cell in row {
            assert_inert(cell);
        }
    }
    let shown = |i: usize| -> Vec<String> { cells[i].iter().map(|c| unescape(c)).collect() };
    assert_eq!(
        shown(0),
        [
            "2026-11-19 02:21:40",
            // Defanged: a ticket system makes no link of it.
            "=HYPERLINK(\"http[:]//evil\")",
            "AKIAXLEAKED0EXAMPLE1",
            "203.0.113.7",
            "iam:CreateAccessKey",
            "",
            "ok",
            "leaked key, first use",
        ]
    );
    assert_eq!(
        shown(1),
        [
            "2026-11-19 02:22:10",
            // The escape is shown as text; the pipe and markup are literal characters.
            "mallory|\\x1b[31m[click](http[:]//evil)<b>`x`*_",
            "AKIAXMALLORY00000001",
            "198.51.100.23",
            "iam:ListUsers",
            "",
            "ok",
            "",
        ]
    );
    let cut: String = ERROR_MESSAGE.chars().take(79).collect();
    assert!(
        cut.contains('|') && cut.contains('\n'),
        "the cut keeps both"
    );
    assert_eq!(
        shown(2),
        [
            "2026-11-19 02:23:00".to_string(),
            "mallory".to_string(),
            "AKIAXMALLORY00000001".to_string(),
            "198.51.100.23".to_string(),
            "iam:AttachUserPolicy".to_string(),
            // Defanged like every cell: `[@]` pings nobody.
            "[@]SUM(1)|<b>admin</b> ← arn:aws:iam::aws:policy/AdministratorAccess".to_string(),
            format!("AccessDenied: {}…", cut.replace('\n', " ")),
            "=cmd|' /C calc'!A0 escalation attempt | denied".to_string(),
        ]
    );
    assert_eq!(
        shown(3),
        [
            "2026-11-19 02:24:30",
            "root (111122223333)",
            "",
            "198.51.100.9",
            "signin:ConsoleLogin",
            "",
            "ok",
            "",
        ]
    );
}

#[test]
fn sha256_is_the_same_in_every_format() {
    let (jsonl, a) = run(Format::Jsonl);
    let (csv, b) = run(Format::Csv);
    let (md, c) = run(Format::Markdown);
    assert_eq!(a, b);
    assert_eq!(b, c);
    assert_eq!(a.sha256, expected_sha256());
    assert_eq!(a.sha256.len(), 64);
    assert!(a
        .sha256
        .chars()
        .all(|ch| ch.is_ascii_digit() || ('a'..='f').contains(&ch)));
    // And each file says so itself.
    for text in [&jsonl, &csv, &md] {
        assert!(text.contains(&a.sha256));
    }
}

#[test]
fn an_empty_selection_has_the_empty_digest() {
    let store = store();
    let mut out = Vec::new();
    let done = export(
        &mut out,
        Format::Jsonl,
        &store,
        &[],
        &BTreeMap::new(),
        &provenance(),
    )
    .expect("export");
    assert_eq!(done.events, 0);
    assert_eq!(
        done.sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let text = String::from_utf8(out).expect("utf-8");
    assert_eq!(text.lines().count(), 1, "only the header");
}

#[test]
fn an_export_that_cannot_be_verified_writes_nothing() {
    // A store loaded without raw records (headless counting drops them).
    let mut store = Store::default();
    store.insert_batch(vec![Record {
        event_id: Some("e-1".into()),
        ..Record::default()
    }]);
    for format in [Format::Jsonl, Format::Csv, Format::Markdown] {
        let mut out = Vec::new();
        let err = export(
            &mut out,
            format,
            &store,
            &[0],
            &BTreeMap::new(),
            &provenance(),
        )
        .expect_err("no raw record, no export");
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        assert!(out.is_empty());

        let err = export(
            &mut out,
            format,
            &store,
            &[7],
            &BTreeMap::new(),
            &provenance(),
        )
        .expect_err("not in the store");
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(out.is_empty());
    }
}

#[test]
fn formats_and_scopes_parse() {
    assert_eq!(Format::parse("jsonl"), Some(Format::Jsonl));
    assert_eq!(Format::parse("csv"), Some(Format::Csv));
    assert_eq!(Format::parse("md"), Some(Format::Markdown));
    assert_eq!(Format::parse("Markdown"), Some(Format::Markdown));
    assert_eq!(Format::parse("json"), None);
    assert_eq!(Format::Jsonl.extension(), "jsonl");
    assert_eq!(Format::Csv.extension(), "csv");
    assert_eq!(Format::Markdown.extension(), "md");
    assert_eq!(Scope::parse("marked"), Some(Scope::Marked));
    assert_eq!(Scope::parse("view"), Some(Scope::View));
    assert_eq!(Scope::parse("all"), Some(Scope::All));
    assert_eq!(Scope::parse("some"), None);
    assert_eq!(Scope::Marked.label(), "marked events");
    assert_eq!(Scope::All.label(), "all loaded events");
}

/// A strict RFC 4180 reader: quotes open only at a field's start, `""` inside is a quote, and
/// a closing quote must end the field.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut field_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if field_start => {
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            cell.push('"');
                        }
                        Some('"') => break,
                        Some(ch) => cell.push(ch),
                        None => panic!("unterminated quoted cell"),
                    }
                }
                assert!(
                    matches!(chars.peek(), Some(',' | '\n') | None),
                    "text after a closing quote"
                );
                field_start = false;
            }
            '"' => panic!("quote inside an unquoted cell: {cell}"),
            ',' => {
                row.push(std::mem::take(&mut cell));
                field_start = true;
            }
            '\n' => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                field_start = true;
            }
            '\r' => panic!("bare carriage return outside quotes"),
            ch => {
                cell.push(ch);
                field_start = false;
            }
        }
    }
    assert!(
        row.is_empty() && cell.is_empty(),
        "the last row ends with a newline"
    );
    rows
}

/// Cells of a Markdown table row, split only on unescaped pipes (a backslash escapes the next
/// character, as in CommonMark), trimmed, still escaped.
fn split_row(line: &str) -> Vec<String> {
    let inner = line
        .strip_prefix('|')
        .and_then(|l| l.strip_suffix('|'))
        .unwrap_or_else(|| panic!("a row is framed by pipes: {line}"));
    let mut cells = vec![String::new()];
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let cell = cells.last_mut().expect("a cell");
                cell.push('\\');
                cell.extend(chars.next());
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().expect("a cell").push(c),
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// Every character Markdown or HTML could act on is escaped, and no control character is left.
fn assert_inert(cell: &str) {
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        assert!(!c.is_control(), "control character in {cell:?}");
        match c {
            '\\' => {
                let next = chars.next();
                assert!(next.is_some(), "dangling backslash in {cell:?}");
            }
            '|' | '`' | '<' | '>' | '[' | ']' | '*' | '_' => {
                panic!("unescaped {c:?} in {cell:?}")
            }
            _ => {}
        }
    }
}

fn unescape(cell: &str) -> String {
    let mut out = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// The app's exports go through one writer: a symbolic link at the chosen path is replaced by
/// the export, never written through; a regular file there is never overwritten.
#[cfg(unix)]
#[test]
fn an_export_replaces_a_symlink_and_never_writes_through_it() {
    use std::os::unix::fs::PermissionsExt;
    use trailscope::export::file::write_new_bytes;
    let dir = tempfile::tempdir().expect("tempdir");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep me").expect("victim");
    let path = dir.path().join("export.jsonl");
    std::os::unix::fs::symlink(&victim, &path).expect("symlink");
    write_new_bytes(&path, b"{\"evidence\":1}\n").expect("written");
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
    let meta = std::fs::symlink_metadata(&path).expect("export");
    assert!(meta.file_type().is_file());
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::read_to_string(&path).expect("export"),
        "{\"evidence\":1}\n"
    );
    let err = write_new_bytes(&victim, b"x").expect_err("a file is there");
    assert!(err.contains("exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
}
