//! The CloudTrail tables an Athena catalog holds, as the picker and `--athena` alone show
//! them: the table's name, its location, and how a statement's reads are bounded, which
//! decides what every query over it costs.

use super::sql::Partitioned;

/// A CloudTrail table of the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundTable {
    /// `db.table`.
    pub name: String,
    pub location: String,
    /// How a statement's reads are bounded: `projection: account × region × timestamp from
    /// 2024/01/15`, `partitions: dt`, or `none: every statement reads the whole trail`.
    pub scheme: String,
    /// What trailscope's statements can bound their reads by.
    pub partitioned: Partitioned,
    /// For a table read whole: how much that is (`2.9 GiB in 41 objects ≈ $0.0145 a
    /// statement`), once measured.
    pub whole_size: Option<String>,
}

impl FoundTable {
    /// A table with partition keys `keys` (lowercase), projected or not; `first_day` is
    /// where its projected days start.
    pub fn new(
        name: String,
        location: String,
        keys: Vec<String>,
        projected: bool,
        first_day: Option<String>,
    ) -> FoundTable {
        let partitioned = match ["account", "region", "timestamp"]
            .iter()
            .all(|k| keys.iter().any(|p| p == k))
        {
            true => Partitioned::ByAccountRegionDay,
            false => Partitioned::No,
        };
        let scheme = match (projected, keys.is_empty()) {
            (_, true) => "none: every statement reads the whole trail".to_string(),
            (true, false) => format!(
                "projection: {} from {}",
                keys.join(" × "),
                first_day.unwrap_or_else(|| "?".to_string())
            ),
            (false, false) => format!("partitions: {}", keys.join(", ")),
        };
        FoundTable {
            name,
            location,
            scheme,
            partitioned,
            whole_size: None,
        }
    }

    /// `db` and `table`.
    pub fn parts(&self) -> Option<(&str, &str)> {
        self.name.split_once('.')
    }

    /// The scheme, with the size a whole-table statement reads when it was measured.
    pub fn bounds(&self) -> String {
        match &self.whole_size {
            Some(size) => format!("{} ({size})", self.scheme),
            None => self.scheme.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_account_region_and_day_partitions_bound_a_statement() {
        let keys = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let t = |k: &[&str], projected| {
            FoundTable::new(
                "db.t".into(),
                "s3://b/AWSLogs/".into(),
                keys(k),
                projected,
                Some("2024/01/15".into()),
            )
        };
        let projected = t(&["account", "region", "timestamp"], true);
        assert_eq!(projected.partitioned, Partitioned::ByAccountRegionDay);
        assert_eq!(
            projected.scheme,
            "projection: account × region × timestamp from 2024/01/15"
        );
        let dt = t(&["dt"], false);
        assert_eq!(
            (dt.partitioned, dt.scheme.as_str()),
            (Partitioned::No, "partitions: dt")
        );
        let mut plain = t(&[], false);
        assert_eq!(plain.partitioned, Partitioned::No);
        plain.whole_size = Some("1.0 GiB in 10 objects".into());
        assert_eq!(
            plain.bounds(),
            "none: every statement reads the whole trail (1.0 GiB in 10 objects)"
        );
    }
}
