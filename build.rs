//! Embeds the demo dataset (assets/demo/AWSLogs) in the binary, so `trailscope --demo` works
//! from any directory and from an installed binary, with no AWS account and no network; embeds
//! the shipped Sigma rules (assets/detections/sigma), so the detections need no files beside
//! the binary; and names the git revision in `--version`.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    version();
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
    write_out("demo_files.rs", &out);
    sigma_rules(&root);
}

/// SIGMA_RULES: (file name, text) of every shipped rule, in name order.
fn sigma_rules(root: &Path) {
    let dir = root.join("assets/detections/sigma");
    println!("cargo:rerun-if-changed=assets/detections/sigma");
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.retain(|f| f.extension().is_some_and(|e| e == "yml"));
    files.sort();
    let mut out = String::from("/// (file name, YAML) of every shipped Sigma rule.\npub(crate) static SIGMA_RULES: &[(&str, &str)] = &[\n");
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            f.display().to_string()
        );
    }
    out.push_str("];\n");
    write_out("sigma_rules.rs", &out);
}

fn write_out(name: &str, text: &str) {
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join(name);
    if let Err(e) = std::fs::write(&dest, text) {
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

/// TRAILSCOPE_VERSION: the package version and the commit it was built from ("0.1.0 (git
/// 3d39923)"); just the version outside a git checkout (a crates.io tarball). Packagers may
/// set TRAILSCOPE_GIT_REV themselves.
fn version() {
    println!("cargo:rerun-if-env-changed=TRAILSCOPE_GIT_REV");
    let pkg = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let rev = std::env::var("TRAILSCOPE_GIT_REV")
        .ok()
        .filter(|r| !r.is_empty())
        .or_else(|| git(&["rev-parse", "--short=10", "HEAD"]));
    let version = match rev {
        Some(rev) => format!("{pkg} (git {rev})"),
        None => pkg,
    };
    println!("cargo:rustc-env=TRAILSCOPE_VERSION={version}");
    // Rebuild when HEAD moves: HEAD itself (a checkout), the branch it names (a commit) and
    // packed refs. A worktree's HEAD is in its own git dir, branches in the common one.
    if let (Some(git_dir), Some(common)) = (
        git(&["rev-parse", "--git-dir"]),
        git(&["rev-parse", "--git-common-dir"]),
    ) {
        let (git_dir, common) = (PathBuf::from(git_dir), PathBuf::from(common));
        let mut watched = vec![git_dir.join("HEAD"), common.join("packed-refs")];
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            watched.push(common.join(branch));
        }
        // Only files that exist: cargo reruns a script on every build for a missing one.
        for path in watched.iter().filter(|p| p.exists()) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}
