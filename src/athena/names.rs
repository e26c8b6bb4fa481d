//! Every name that enters an Athena statement outside a value literal (a database, a table,
//! a bucket, a prefix, an organization, accounts and regions) is checked against what such a
//! name is made of, and refused otherwise: the DDL is Hive's, whose string literals escape
//! with backslashes rather than doubled quotes, so nothing is escaped there; a name that needs
//! escaping is not a name. Pure: no I/O.

use crate::model::sanitize::visible;

/// A database or table name: lowercase letters, digits and underscores (what Glue and Athena
/// keep as written), 1 to 255 of them.
pub fn identifier(what: &str, name: &str) -> Result<String, String> {
    let ok = (1..=255).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(name.to_string())
    } else {
        Err(format!(
            "`{}` is not a {what} name: lowercase letters, digits and _ only",
            visible(name)
        ))
    }
}

/// An S3 bucket name as S3 allows it: 3 to 63 lowercase letters, digits, dots and dashes,
/// starting and ending with a letter or digit, no `..`.
pub fn bucket(name: &str) -> Result<String, String> {
    let b = name.as_bytes();
    let edge = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ok = (3..=63).contains(&b.len())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-')
        && edge(b.first())
        && edge(b.last())
        && !name.contains("..");
    if ok {
        Ok(name.to_string())
    } else {
        Err(format!(
            "`{}` is not an S3 bucket name (3-63 lowercase letters, digits, dots and dashes)",
            visible(name)
        ))
    }
}

/// The key prefix before `AWSLogs/` (may be empty), without its outer slashes: folders of
/// S3's safe characters (letters, digits, `! - _ . * ( )`), no empty folder. A quote, a
/// backslash, `$`, braces or a space could end the location's literal or add a projection
/// variable, so they are refused rather than escaped.
pub fn prefix(input: &str) -> Result<String, String> {
    let p = input.trim_matches('/');
    let safe = |c: char| c.is_ascii_alphanumeric() || "!-_.*()".contains(c);
    let ok = p.is_empty()
        || (p.len() <= 900
            && p.split('/')
                .all(|f| !f.is_empty() && f != "." && f != ".." && f.chars().all(safe)));
    if ok {
        Ok(p.to_string())
    } else {
        Err(format!(
            "`{}` is not a prefix Athena's table can hold: folders of letters, digits and ! - _ . * ( ) only",
            visible(input)
        ))
    }
}

/// An account id: 12 digits.
pub fn account(id: &str) -> Result<String, String> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id.to_string())
    } else {
        Err(format!(
            "`{}` is not an account id (12 digits)",
            visible(id)
        ))
    }
}

/// A region name: lowercase words joined by dashes, the last a number (`us-east-1`,
/// `us-gov-west-1`, `ap-southeast-5`).
pub fn region(name: &str) -> Result<String, String> {
    let parts: Vec<&str> = name.split('-').collect();
    let word = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    let ok = parts.len() >= 3
        && name.len() <= 32
        && parts[..parts.len() - 1].iter().all(word)
        && parts.last().is_some_and(|n| {
            !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit())
        });
    if ok {
        Ok(name.to_string())
    } else {
        Err(format!(
            "`{}` is not a region name (like us-east-1)",
            visible(name)
        ))
    }
}

/// An organization's folder: `o-` and 10 to 32 lowercase letters or digits.
pub fn org(id: &str) -> Result<String, String> {
    if crate::source::s3::plan::is_org(id) {
        Ok(id.to_string())
    } else {
        Err(format!(
            "`{}` is not an organization id (o- and 10-32 lowercase letters or digits)",
            visible(id)
        ))
    }
}

/// Each of `items` checked by `check`, sorted and without repeats; refused when empty, since
/// an enum projection needs at least one value.
pub fn list(
    what: &str,
    items: &[String],
    check: fn(&str) -> Result<String, String>,
) -> Result<Vec<String>, String> {
    let mut out = items
        .iter()
        .map(|i| check(i.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(format!("name at least one {what}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_what_they_claim_or_refused() {
        assert!(identifier("table", "cloudtrail_logs_2").is_ok());
        for bad in ["", "Trail", "a-b", "a b", "x;drop", "t`", "t\""] {
            assert!(identifier("table", bad).is_err(), "{bad}");
        }
        assert!(bucket("my-trail.logs").is_ok());
        for bad in ["ab", "My", "-a-b", "a..b", "a'b", "a/b", "bucket-"] {
            assert!(bucket(bad).is_err(), "{bad}");
        }
        assert_eq!(prefix("/trails/org/").as_deref(), Ok("trails/org"));
        assert_eq!(prefix("").as_deref(), Ok(""));
        for bad in [
            "a//b",
            "a'b",
            "a\\b",
            "${account}",
            "a b",
            "../x",
            "a\u{1b}b",
        ] {
            assert!(prefix(bad).is_err(), "{bad}");
        }
        assert!(account("111122223333").is_ok());
        for bad in [
            "11112222333",
            "1111222233334",
            "11112222333a",
            " 111122223333",
        ] {
            assert!(account(bad).is_err(), "{bad}");
        }
        for good in [
            "us-east-1",
            "us-gov-west-1",
            "ap-southeast-5",
            "il-central-1",
        ] {
            assert!(region(good).is_ok(), "{good}");
        }
        for bad in [
            "us-east",
            "US-EAST-1",
            "us_east_1",
            "east-1",
            "us-east-1'",
            "us--1",
        ] {
            assert!(region(bad).is_err(), "{bad}");
        }
        assert!(org("o-a1b2c3d4e5").is_ok());
        assert!(org("o-short").is_err());
        let accounts = ["222233334444".to_string(), "111122223333".to_string()];
        assert_eq!(
            list("account", &accounts, account),
            Ok(vec!["111122223333".to_string(), "222233334444".to_string()])
        );
        assert!(list("account", &[], account).is_err());
    }
}
