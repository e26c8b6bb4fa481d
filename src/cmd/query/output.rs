//! Writing query results: aligned text (escaped for the terminal), raw JSON lines, or CSV that
//! a spreadsheet cannot mistake for formulas.

use super::group::Group;
use crate::cmd::args::Output;
use crate::export::csv::csv_cell;
use crate::model::column::DEFAULT_COLUMNS;
use crate::model::sanitize::{json_inert, visible};
use crate::model::store::{EventIdx, Store};
use std::io::{self, Write};

/// Where the output goes: a terminal gets every cell through the sanitizer; a file or pipe gets
/// CSV's exact text (still formula-guarded) for the scripts that read it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
// pub: the fuzz targets use it (fuzz/fuzz_targets/query_output.rs).
pub enum Dest {
    Terminal,
    File,
}

impl Dest {
    pub(crate) fn stdout() -> Dest {
        match std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            true => Dest::Terminal,
            false => Dest::File,
        }
    }

    /// A CSV cell for this destination.
    pub(crate) fn csv(self, value: &str) -> String {
        match self {
            Dest::Terminal => csv_cell(&visible(value)),
            Dest::File => csv_cell(value),
        }
    }
}

// pub: the fuzz targets use it (fuzz/fuzz_targets/query_output.rs).
pub fn events(
    out: &mut impl Write,
    store: &Store,
    rows: &[EventIdx],
    (format, dest): (Output, Dest),
    limit: Option<usize>,
) -> io::Result<()> {
    let rows = &rows[..limit.unwrap_or(usize::MAX).min(rows.len())];
    match format {
        Output::Jsonl => {
            for &i in rows {
                // JSON escapes for C1, DEL, bidi and the like, wherever it goes: lossless.
                writeln!(out, "{}", json_inert(&store.event(i).raw.text()))?;
            }
        }
        Output::Csv => {
            writeln!(out, "{}", CSV_HEADER.join(","))?;
            for &i in rows {
                let e = store.event(i);
                let cells = [
                    e.time.format_utc(),
                    store.text(e.name).to_string(),
                    store.text(e.source).to_string(),
                    store.interner.resolve(e.principal).to_string(),
                    store.text(e.identity.access_key_id).to_string(),
                    store.text(e.source_ip).to_string(),
                    store.text(e.region).to_string(),
                    store.text(e.account).to_string(),
                    store.text(e.error_code).to_string(),
                    e.event_id
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    store.text(e.target).to_string(),
                ];
                let line: Vec<String> = cells.iter().map(|c| dest.csv(c)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
        Output::Table | Output::Count | Output::Tree => {
            let widths: Vec<usize> = DEFAULT_COLUMNS
                .iter()
                .map(|c| c.widths().1 as usize)
                .collect();
            let header: Vec<String> = DEFAULT_COLUMNS
                .iter()
                .zip(&widths)
                .map(|(c, &w)| format!("{:<w$}", c.header()))
                .collect();
            writeln!(out, "{}", header.join(" ").trim_end())?;
            for &i in rows {
                let e = store.event(i);
                let cells: Vec<String> = DEFAULT_COLUMNS
                    .iter()
                    .zip(&widths)
                    .map(|(&c, &w)| format!("{:<w$}", c.cell(store, e)))
                    .collect();
                writeln!(out, "{}", cells.join(" ").trim_end())?;
            }
        }
    }
    Ok(())
}

/// New columns go at the end, so scripts that read columns by position keep working.
const CSV_HEADER: [&str; 11] = [
    "eventTime",
    "eventName",
    "eventSource",
    "principal",
    "accessKeyId",
    "sourceIPAddress",
    "awsRegion",
    "recipientAccountId",
    "errorCode",
    "eventID",
    "target",
];

// pub: the fuzz targets use it (fuzz/fuzz_targets/query_output.rs).
pub fn groups(
    out: &mut impl Write,
    store: &Store,
    groups: &[Group],
    (format, dest): (Output, Dest),
    limit: Option<usize>,
) -> io::Result<()> {
    let groups = &groups[..limit.unwrap_or(usize::MAX).min(groups.len())];
    if format == Output::Csv {
        writeln!(out, "value,count")?;
    }
    for g in groups {
        let value = store.text(g.sym);
        match format {
            Output::Csv => writeln!(out, "{},{}", dest.csv(value), g.count)?,
            Output::Jsonl => {
                let line = serde_json::json!({ "value": g.sym.map(|_| value), "count": g.count });
                writeln!(out, "{}", json_inert(&line.to_string()))?
            }
            Output::Table | Output::Count | Output::Tree => {
                writeln!(out, "{}\t{}", g.count, visible(value))?
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::export::csv::csv_cell;

    #[test]
    fn csv_cells_are_inert() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
    }
}
