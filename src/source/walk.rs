//! Paths given on the command line → the list of inputs to read. Folders are walked
//! recursively (S3 sync and organization-trail layouts alike); digest files and files that
//! cannot be logs are skipped with a note rather than failing the whole load.

use crate::model::warning::{Location, Warning};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A regular file (when planned). Its size is read when it is opened, not when its folder
    /// is listed: a stat per file was most of the listing's time (100,000 files, 0.1 s).
    File {
        path: PathBuf,
    },
    Stdin,
    /// A FIFO named on the command line (`trailscope <(zcat …)`): read as a stream, its size
    /// unknown until it ends.
    Pipe {
        path: PathBuf,
    },
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
    pub fn label(&self) -> String {
        match self {
            Input::File { path } | Input::Pipe { path } => path.display().to_string(),
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
    /// The parts of records nobody will read (headless counts and groupings).
    pub unread: crate::model::record::Unread,
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
        let origin = || Arc::from(path.display().to_string());
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let first = plan.inputs.len();
                walk_dir(path, &mut plan, &mut digests, &mut other);
                plan.inputs[first..].sort_by_cached_key(delivery_stamp);
            }
            Ok(m) if m.is_file() => plan.inputs.push(Input::File { path: path.clone() }),
            // Named on purpose: process substitution hands trailscope a pipe.
            Ok(m) if is_fifo(&m) => plan.inputs.push(Input::Pipe { path: path.clone() }),
            Ok(m) => plan.warnings.push(Warning::problem(
                &origin(),
                Location::WholeFile,
                format!(
                    "not read: {} (only files, folders and pipes are read)",
                    kind(&m)
                ),
            )),
            Err(e) => plan.warnings.push(Warning::problem(
                &origin(),
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

/// When CloudTrail delivered a trail file, from its name
/// (`ACCOUNT_CloudTrail_REGION_20240626T1833Z_UNIQUE.json.gz`: `20240626T1833Z`, which sorts as
/// time does); empty for any other name. A folder's files are read in this order, so a trail
/// of many accounts and regions loads oldest first across all of them: the first rows on
/// screen are the first events, and each batch joins the store's time order near its end
/// instead of before most of it (a cost that grows with the store: minutes at 10M events
/// when the folders were read one account and region after another). The sort is stable;
/// names without a stamp (`None`) come first.
fn delivery_stamp(input: &Input) -> Option<[u8; 13]> {
    let Input::File { path } = input else {
        return None;
    };
    let name = path.file_name()?.as_encoded_bytes();
    let at = memchr::memmem::find(name, b"_CloudTrail_")?;
    name[at..]
        .windows(14)
        .find(|w| {
            w[0] == b'_'
                && w[1..9].iter().all(u8::is_ascii_digit)
                && w[9] == b'T'
                && w[10..14].iter().all(u8::is_ascii_digit)
        })
        .and_then(|w| w[1..].try_into().ok())
}

fn walk_dir(dir: &Path, plan: &mut Plan, digests: &mut usize, other: &mut usize) {
    // Each name read once: sorting by `DirEntry::file_name` made a copy per comparison.
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| (e.file_name(), e))
            .collect(),
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
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, entry) in entries {
        let path = entry.path();
        let name = name.to_string_lossy();
        let Ok(kind_here) = entry.file_type() else {
            continue;
        };
        if kind_here.is_dir() {
            if name == "CloudTrail-Digest" {
                *digests += count_files(&path);
            } else {
                walk_dir(&path, plan, digests, other);
            }
            continue;
        }
        if name.contains("CloudTrail-Digest") {
            *digests += 1;
            continue;
        }
        if !is_log_name(&name) {
            if !name.starts_with('.') {
                *other += 1;
            }
            continue;
        }
        // The entry's type comes with the listing (no stat): a regular file is planned as it
        // is; the loader checks again when it opens it.
        if kind_here.is_file() {
            plan.inputs.push(Input::File { path });
            continue;
        }
        // A link is followed to a regular file only: a link to a folder could loop, one to
        // /dev/zero never ends.
        let meta = match kind_here.is_symlink() {
            true => std::fs::metadata(&path),
            false => entry.metadata(),
        };
        match meta {
            Ok(m) if m.is_file() => plan.inputs.push(Input::File { path }),
            Ok(m) => plan.warnings.push(Warning::problem(
                &Arc::from(path.display().to_string()),
                Location::WholeFile,
                match kind_here.is_symlink() {
                    true => format!(
                        "not read: a link to {} (inside folders only regular files are read)",
                        kind(&m)
                    ),
                    false => format!(
                        "not read: {} (inside folders only regular files are read)",
                        kind(&m)
                    ),
                },
            )),
            Err(e) => plan.warnings.push(Warning::problem(
                &Arc::from(path.display().to_string()),
                Location::WholeFile,
                format!("cannot open: {e}"),
            )),
        }
    }
}

#[cfg(unix)]
fn is_fifo(m: &std::fs::Metadata) -> bool {
    std::os::unix::fs::FileTypeExt::is_fifo(&m.file_type())
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

/// What a path that is not a regular file is, in words.
fn kind(m: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return "a pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if m.is_dir() {
        return "a folder";
    }
    "not a regular file"
}

fn is_log_name(name: &str) -> bool {
    let name = name.as_bytes();
    [".json", ".jsonl", ".ndjson", ".gz"].iter().any(|ext| {
        name.len() >= ext.len()
            && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
    })
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

#[cfg(test)]
mod order_tests {
    use super::*;

    #[test]
    fn a_trail_folder_is_read_oldest_first_across_accounts_and_regions() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [
            "AWSLogs/111/CloudTrail/eu-west-1/2024/06/02/111_CloudTrail_eu-west-1_20240602T0005Z_a.json.gz",
            "AWSLogs/111/CloudTrail/us-east-1/2024/06/01/111_CloudTrail_us-east-1_20240601T2355Z_b.json.gz",
            "AWSLogs/222/CloudTrail/eu-west-1/2024/06/01/222_CloudTrail_eu-west-1_20240601T0000Z_c.json.gz",
            "AWSLogs/222/CloudTrail/eu-west-1/2024/06/02/222_CloudTrail_eu-west-1_20240602T0005Z_d.json.gz",
            "exports/zz.json",
        ];
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folders");
            std::fs::write(&path, b"{}").expect("file");
        }
        let read: Vec<String> = plan(&[dir.path().to_path_buf()])
            .inputs
            .iter()
            .map(|i| i.label().rsplit('/').next().unwrap_or_default().to_string())
            .collect();
        let expected = [
            "zz.json",
            "222_CloudTrail_eu-west-1_20240601T0000Z_c.json.gz",
            "111_CloudTrail_us-east-1_20240601T2355Z_b.json.gz",
            "111_CloudTrail_eu-west-1_20240602T0005Z_a.json.gz",
            "222_CloudTrail_eu-west-1_20240602T0005Z_d.json.gz",
        ];
        assert_eq!(read, expected);
    }
}
