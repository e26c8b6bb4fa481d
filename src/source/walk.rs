//! Paths given on the command line → the list of inputs to read. Folders are walked
//! recursively (S3 sync and organization-trail layouts alike); digest files and files that
//! cannot be logs are skipped with a note rather than failing the whole load.

use crate::model::warning::{Location, Warning};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File {
        path: PathBuf,
        size: u64,
    },
    Stdin,
    /// Built into the binary (the demo).
    Embedded {
        label: &'static str,
        bytes: &'static [u8],
    },
    /// A block of a saved investigation's events (`session::reopen`).
    Stored {
        db: PathBuf,
        investigation: i64,
        seq: i64,
        events: u64,
    },
}

impl Input {
    pub fn size(&self) -> u64 {
        match self {
            Input::File { size, .. } => *size,
            Input::Stdin => 0,
            Input::Embedded { bytes, .. } => bytes.len() as u64,
            // Progress counts these in events, not bytes.
            Input::Stored { events, .. } => *events,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Input::File { path, .. } => path.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
            Input::Embedded { label, .. } => format!("demo:{label}"),
            Input::Stored { seq, .. } => format!("saved block {seq}"),
        }
    }
}

#[derive(Debug, Default)]
pub struct Plan {
    pub inputs: Vec<Input>,
    pub warnings: Vec<Warning>,
    /// Parse without keeping each record's raw JSON (headless counts and groupings).
    pub drop_raw: bool,
    /// Read these S3 locations instead (`inputs` stays empty).
    pub s3: Option<crate::source::s3::S3Load>,
}

/// Expands the user's paths. Named files are always read; inside folders only log-like names.
pub fn plan(paths: &[PathBuf]) -> Plan {
    let mut plan = Plan::default();
    let mut digests = 0usize;
    let mut other = 0usize;
    for path in paths {
        if path.as_os_str() == "-" {
            plan.inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk_dir(path, &mut plan, &mut digests, &mut other),
            Ok(m) => plan.inputs.push(Input::File {
                path: path.clone(),
                size: m.len(),
            }),
            Err(e) => plan.warnings.push(Warning::problem(
                &Arc::from(path.display().to_string()),
                Location::WholeFile,
                format!("cannot open: {e}"),
            )),
        }
    }
    if digests > 0 {
        plan.warnings.push(Warning::note(
            &Arc::from("CloudTrail-Digest"),
            format!("{digests} digest file(s) skipped: they hold integrity hashes, not events"),
        ));
    }
    if other > 0 {
        plan.warnings.push(Warning::note(
            &Arc::from("(folders)"),
            format!("{other} file(s) skipped: not .json, .jsonl, .ndjson or .gz (name them explicitly to read them)"),
        ));
    }
    plan
}

fn walk_dir(dir: &Path, plan: &mut Plan, digests: &mut usize, other: &mut usize) {
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).collect(),
        Err(e) => {
            let origin = Arc::from(dir.display().to_string());
            plan.warnings.push(Warning::problem(
                &origin,
                Location::WholeFile,
                format!("cannot list folder: {e}"),
            ));
            return;
        }
    };
    // Sorted so S3 key layouts (…/YYYY/MM/DD/…) are read roughly oldest first.
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            if name == "CloudTrail-Digest" {
                *digests += count_files(&path);
            } else {
                walk_dir(&path, plan, digests, other);
            }
        } else if name.contains("CloudTrail-Digest") {
            *digests += 1;
        } else if is_log_name(&name) {
            plan.inputs.push(Input::File {
                path,
                size: meta.len(),
            });
        } else if !name.starts_with('.') {
            *other += 1;
        }
    }
}

fn is_log_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".json", ".jsonl", ".ndjson", ".gz"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

fn count_files(dir: &Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.filter_map(Result::ok)
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => count_files(&e.path()),
            _ => 1,
        })
        .sum()
}
