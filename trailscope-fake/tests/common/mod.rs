//! Helpers shared by the test rig's integration tests.
#![allow(dead_code)]

/// Test keys and no config files, profiles or IMDS probe: nothing of the developer's AWS
/// setup can leak into (or out of) these tests. (The same as the product's tests/common.)
pub fn isolated_aws_env() -> [(&'static str, &'static str); 5] {
    [
        ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
        (
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
}

/// The `aws` CLI: $AWS_CLI, the venv .ci/run makes (in the workspace's target/, one folder
/// up from this package), or PATH.
pub fn aws_cli() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("AWS_CLI") {
        return Some(p.into());
    }
    let venv =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/aws-venv/bin/aws");
    if venv.exists() {
        return Some(venv);
    }
    std::process::Command::new("aws")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| "aws".into())
}

/// Every file under `dir`, by path relative to it, with its bytes (what the generator wrote).
pub fn tree(dir: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    fn walk_into(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk_into(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk_into(dir, dir, &mut out);
    out
}

/// The records of one gzipped trail file, which holds `Records` and nothing else.
pub fn records(gz: &[u8]) -> Vec<serde_json::Value> {
    use std::io::Read;
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(gz)
        .read_to_string(&mut text)
        .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc.as_object().unwrap().len(), 1, "only Records at the top");
    doc["Records"].as_array().unwrap().clone()
}
