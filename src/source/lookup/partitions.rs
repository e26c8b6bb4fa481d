//! The regions AWS's partitions know, from the partition data the AWS SDK embeds (copied into
//! assets/api/partitions.json, see its SOURCE.md): what `--region` names are checked against,
//! offline, and what `--regions all` means.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const PARTITIONS_JSON: &str = include_str!("../../../assets/api/partitions.json");

#[derive(Deserialize)]
struct File {
    partitions: Vec<Partition>,
}

#[derive(Deserialize)]
struct Partition {
    id: String,
    regions: BTreeMap<String, serde::de::IgnoredAny>,
}

/// Every partition's regions, the pseudo-regions (`aws-global`) left out.
fn partitions() -> &'static [(String, Vec<String>)] {
    static PARSED: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        // The file is part of the binary and a test parses it: empty only if it is broken.
        let file: File = serde_json::from_str(PARTITIONS_JSON).unwrap_or(File {
            partitions: Vec::new(),
        });
        file.partitions
            .into_iter()
            .map(|p| {
                let regions = p
                    .regions
                    .into_keys()
                    .filter(|r| !r.ends_with("-global"))
                    .collect();
                (p.id, regions)
            })
            .collect()
    })
}

/// The commercial (`aws`) partition's regions: `--regions all`.
pub(crate) fn commercial() -> Vec<String> {
    partitions()
        .iter()
        .filter(|(id, _)| id == "aws")
        .flat_map(|(_, regions)| regions.iter().cloned())
        .collect()
}

/// Every region of every partition.
pub(crate) fn known() -> impl Iterator<Item = &'static str> {
    partitions()
        .iter()
        .flat_map(|(_, regions)| regions.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_partitions_parse_and_hold_the_usual_regions() {
        let all = commercial();
        assert!(all.len() >= 30, "{all:?}");
        for r in ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"] {
            assert!(all.iter().any(|a| a == r), "{r}");
        }
        assert!(!all.iter().any(|r| r.ends_with("-global")));
        assert!(known().any(|r| r == "us-gov-west-1"));
        assert!(known().any(|r| r == "cn-north-1"));
        assert!(
            !all.iter().any(|r| r == "cn-north-1"),
            "other partitions are not in all"
        );
    }
}
