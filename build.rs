//! Embeds the demo dataset (assets/demo/AWSLogs) in the binary, so `trailscope --demo` works
//! from any directory and from an installed binary, with no AWS account and no network.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let demo = root.join("assets/demo/AWSLogs");
    println!("cargo:rerun-if-changed=assets/demo");
    let mut files = Vec::new();
    collect(&demo, &mut files);
    files.sort();
    let mut out = String::from("/// (path relative to assets/demo, bytes) of every demo file.\npub(crate) static DEMO_FILES: &[(&str, &[u8])] = &[\n");
    for f in &files {
        let rel = f.strip_prefix(root.join("assets/demo")).unwrap_or(f);
        let _ = writeln!(
            out,
            "    ({:?}, include_bytes!({:?})),",
            rel.display().to_string(),
            f.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("demo_files.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
