//! The table's shape, read from the region folders discovery found
//! (`[PREFIX/]AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/`): the prefix before `AWSLogs/`, the
//! organization if any, and the distinct accounts and regions, sorted. One table has one
//! location, so when a bucket holds several trails (two prefixes, or an account trail next to
//! an organization's) the one with the most accounts is taken and the others are named in a
//! note. Folders that are not account ids or region names are left out, also with a note: a
//! name that cannot enter the statement must not make the whole table fail. Pure: no I/O.

use super::names;
use crate::source::s3::plan::fixed;
use std::collections::{BTreeMap, BTreeSet};

/// What the CREATE statement needs from the bucket, besides its name and first day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The key prefix before `AWSLogs/`, without outer slashes (empty at the bucket's root).
    pub prefix: String,
    pub org: Option<String>,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    /// The region folders this table covers (the first day is read from these alone).
    pub region_prefixes: Vec<String>,
    /// What was left out, and why (the words quote folder names: pass them through
    /// `visible` before showing them).
    pub notes: Vec<String>,
}

/// One trail's folders: accounts and regions seen under one `[PREFIX/]AWSLogs/[o-ORG/]`.
#[derive(Default)]
struct Trail {
    accounts: BTreeSet<String>,
    regions: BTreeSet<String>,
    prefixes: BTreeSet<String>,
}

/// The layout of `region_prefixes`; `None` when none of them is a trail's region folder.
pub fn layout(region_prefixes: &[String]) -> Option<Layout> {
    let mut notes = Vec::new();
    let mut trails: BTreeMap<(String, Option<String>), Trail> = BTreeMap::new();
    let mut odd = BTreeSet::new();
    for p in region_prefixes {
        let Some(f) = fixed(p) else { continue };
        let (Some(account), Some(region), false) = (f.account, f.region, f.deeper) else {
            continue;
        };
        let prefix = f
            .base
            .strip_suffix("AWSLogs/")
            .unwrap_or(&f.base)
            .trim_matches('/')
            .to_string();
        if let Err(e) = names::prefix(&prefix) {
            odd.insert(e);
            continue;
        }
        match (names::account(&account), names::region(&region)) {
            (Ok(a), Ok(r)) => {
                let trail = trails.entry((prefix, f.org)).or_default();
                trail.accounts.insert(a);
                trail.regions.insert(r);
                trail.prefixes.insert(p.clone());
            }
            (Err(e), _) | (_, Err(e)) => {
                odd.insert(e);
            }
        }
    }
    notes.extend(
        odd.into_iter()
            .map(|e| format!("left out of the table: {e}")),
    );
    trails.retain(|_, t| !t.accounts.is_empty() && !t.regions.is_empty());
    // Most accounts first; ties by prefix and organization, so the choice is stable.
    let chosen = trails
        .iter()
        .max_by(|a, b| {
            a.1.accounts
                .len()
                .cmp(&b.1.accounts.len())
                .then_with(|| b.0.cmp(a.0))
        })
        .map(|(k, _)| k.clone())?;
    for ((prefix, org), t) in &trails {
        if (prefix, org) != (&chosen.0, &chosen.1) {
            notes.push(format!(
                "another trail is here too, not in this table: {} ({} account(s)); give its location for a table over it",
                location(prefix, org.as_deref()),
                t.accounts.len()
            ));
        }
    }
    let trail = trails.remove(&chosen)?;
    Some(Layout {
        prefix: chosen.0,
        org: chosen.1,
        accounts: trail.accounts.into_iter().collect(),
        regions: trail.regions.into_iter().collect(),
        region_prefixes: trail.prefixes.into_iter().collect(),
        notes,
    })
}

/// `PREFIX/AWSLogs/o-ORG/` as a key prefix, for notes.
fn location(prefix: &str, org: Option<&str>) -> String {
    let mut out = String::new();
    if !prefix.is_empty() {
        out.push_str(prefix);
        out.push('/');
    }
    out.push_str("AWSLogs/");
    if let Some(o) = org {
        out.push_str(o);
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefixes(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn an_organization_trail_gives_its_org_accounts_and_regions_sorted() {
        let found = layout(&prefixes(&[
            "AWSLogs/o-a1b2c3d4e5/222233334444/CloudTrail/us-east-1/",
            "AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/",
            "AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/",
            "AWSLogs/o-a1b2c3d4e5/222233334444/CloudTrail/eu-west-1/",
        ]))
        .expect("a layout");
        assert_eq!(found.prefix, "");
        assert_eq!(found.org.as_deref(), Some("o-a1b2c3d4e5"));
        assert_eq!(found.accounts, ["111122223333", "222233334444"]);
        assert_eq!(found.regions, ["eu-west-1", "us-east-1"]);
        assert!(found.notes.is_empty(), "{:?}", found.notes);
    }

    #[test]
    fn an_organization_trail_under_a_user_prefix_keeps_the_prefix() {
        let found = layout(&prefixes(&[
            "security/trails/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/ap-southeast-2/",
        ]))
        .expect("a layout");
        assert_eq!(found.prefix, "security/trails");
        assert_eq!(found.org.as_deref(), Some("o-a1b2c3d4e5"));
        assert_eq!(found.regions, ["ap-southeast-2"]);
    }

    #[test]
    fn an_account_trail_has_no_organization() {
        let found = layout(&prefixes(&[
            "AWSLogs/111122223333/CloudTrail/us-east-1/",
            "AWSLogs/111122223333/CloudTrail/us-east-1/",
        ]))
        .expect("a layout");
        assert_eq!((found.prefix.as_str(), found.org), ("", None));
        assert_eq!(found.accounts, ["111122223333"]);
        assert_eq!(found.regions, ["us-east-1"], "distinct");
        let found = layout(&prefixes(&[
            "logs/AWSLogs/111122223333/CloudTrail/us-east-1/",
        ]))
        .expect("a layout");
        assert_eq!(found.prefix, "logs");
    }

    #[test]
    fn odd_folders_are_left_out_with_a_note() {
        let found = layout(&prefixes(&[
            "AWSLogs/111122223333/CloudTrail/us-east-1/",
            "AWSLogs/111122223333/CloudTrail/not a region/",
            "AWSLogs/backup/CloudTrail/us-east-1/",
        ]))
        .expect("a layout");
        assert_eq!(found.accounts, ["111122223333"]);
        assert_eq!(found.regions, ["us-east-1"]);
        assert_eq!(found.notes.len(), 2, "{:?}", found.notes);
        assert!(found.notes.iter().any(|n| n.contains("`backup`")));
    }

    #[test]
    fn of_two_trails_the_one_with_more_accounts_is_taken_and_the_other_named() {
        let found = layout(&prefixes(&[
            "AWSLogs/999988887777/CloudTrail/us-east-1/",
            "AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/",
            "AWSLogs/o-a1b2c3d4e5/222233334444/CloudTrail/us-east-1/",
        ]))
        .expect("a layout");
        assert_eq!(found.org.as_deref(), Some("o-a1b2c3d4e5"));
        assert_eq!(found.accounts, ["111122223333", "222233334444"]);
        assert_eq!(
            found.region_prefixes,
            [
                "AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/",
                "AWSLogs/o-a1b2c3d4e5/222233334444/CloudTrail/us-east-1/"
            ],
            "the other trail's folders are not read for the first day"
        );
        assert_eq!(found.notes.len(), 1);
        assert!(
            found.notes[0].contains("AWSLogs/ (1 account(s))"),
            "{:?}",
            found.notes
        );
    }

    #[test]
    fn no_region_folder_is_no_layout() {
        assert_eq!(layout(&[]), None);
        assert_eq!(layout(&prefixes(&["logs/", "AWSLogs/111122223333/"])), None);
        assert_eq!(
            layout(&prefixes(&["AWSLogs/x/CloudTrail/us-east-1/"])),
            None
        );
        // A prefix that cannot be a table's location.
        assert_eq!(
            layout(&prefixes(&[
                "a b/AWSLogs/111122223333/CloudTrail/us-east-1/"
            ])),
            None
        );
    }
}
