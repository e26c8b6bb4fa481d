//! `s3://BUCKET[/PREFIX]` on the command line. Paths stay `PathBuf`s everywhere else, so an S3
//! location is recognised by its text; a bucket name that S3 would refuse is refused here, with
//! the rule it breaks, rather than later as an opaque 400.

use std::path::Path;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Url {
    pub bucket: String,
    /// The key prefix, without a leading `/`; `""` for the whole bucket. A non-empty prefix
    /// ends with `/` (trail prefixes are folders: `s3://b/logs` means `logs/`).
    pub prefix: String,
}

impl S3Url {
    pub fn display(&self) -> String {
        format!("s3://{}/{}", self.bucket, self.prefix)
    }

    /// Where one object is, for warnings and provenance.
    pub fn object(bucket: &str, key: &str) -> String {
        format!("s3://{bucket}/{key}")
    }
}

/// Whether a command-line path names an S3 location.
pub fn is_s3(path: &Path) -> bool {
    path.to_str()
        .is_some_and(|p| p.len() >= 5 && p[..5].eq_ignore_ascii_case("s3://"))
}

/// Parses `s3://bucket[/prefix]`.
pub fn parse(text: &str) -> Result<S3Url, String> {
    let rest = match text.get(..5) {
        Some(scheme) if scheme.eq_ignore_ascii_case("s3://") => &text[5..],
        _ => return Err(format!("{text:?} is not an s3:// location")),
    };
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    check_bucket(bucket)?;
    let mut prefix = prefix.trim_start_matches('/').to_string();
    if !prefix.is_empty() && !prefix.ends_with('/') {
        prefix.push('/');
    }
    Ok(S3Url {
        bucket: bucket.to_string(),
        prefix,
    })
}

/// S3's naming rules for buckets (3–63 characters of lowercase letters, digits, dots and
/// hyphens, starting and ending with a letter or digit); legacy buckets may also have
/// uppercase letters and underscores, so those pass.
fn check_bucket(bucket: &str) -> Result<(), String> {
    let shown = crate::model::sanitize::visible(bucket);
    if bucket.is_empty() {
        return Err("an s3:// location needs a bucket: s3://BUCKET[/PREFIX]".to_string());
    }
    if !(3..=255).contains(&bucket.len()) {
        return Err(format!(
            "{shown:?} is not a bucket name (3 to 63 characters)"
        ));
    }
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    if !bucket.chars().all(ok_char) {
        return Err(format!(
            "{shown:?} is not a bucket name (letters, digits, dots and hyphens only)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_and_prefixes() {
        let u = parse("s3://my-trail").unwrap();
        assert_eq!((u.bucket.as_str(), u.prefix.as_str()), ("my-trail", ""));
        let u = parse("s3://my-trail/").unwrap();
        assert_eq!(u.prefix, "");
        let u = parse("S3://my-trail/org/logs").unwrap();
        assert_eq!(u.prefix, "org/logs/");
        let u = parse("s3://my-trail/AWSLogs/o-abc/").unwrap();
        assert_eq!(u.prefix, "AWSLogs/o-abc/");
        assert_eq!(u.display(), "s3://my-trail/AWSLogs/o-abc/");
    }

    #[test]
    fn bad_buckets_are_refused_with_the_rule() {
        assert!(parse("s3://").unwrap_err().contains("needs a bucket"));
        assert!(parse("s3://ab").unwrap_err().contains("3 to 63"));
        assert!(parse("s3://bad bucket/x")
            .unwrap_err()
            .contains("letters, digits"));
        assert!(parse("s3://b\u{1b}[31m/x").is_err());
        assert!(parse("/tmp/x").is_err());
    }

    #[test]
    fn recognised_by_text() {
        assert!(is_s3(Path::new("s3://b")));
        assert!(is_s3(Path::new("S3://b/p")));
        assert!(!is_s3(Path::new("./s3://b")));
        assert!(!is_s3(Path::new("AWSLogs")));
    }
}
