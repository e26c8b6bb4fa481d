//! How much lies under an S3 location, from a bounded listing: what a statement over an
//! Athena table without partitions reads (and bills) whatever it asks, said before it runs.
//! Athena bills the objects' stored (gzipped) bytes, which is what the listing sums. An
//! organization's trail can hold millions of objects, so the count stops after a few pages
//! and says it is a lower bound rather than keep a responder waiting on a number.

use super::client::client;
use super::connect::words;
use super::errors::{classify, Doing};
use super::url::parse;
use aws_config::SdkConfig;
use std::time::{Duration, Instant};

/// ListObjectsV2 pages read at most (1,000 objects each).
const MAX_PAGES: usize = 50;
/// And for at most this long.
const MAX_TIME: Duration = Duration::from_secs(10);

/// What the listing found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Measured {
    pub bytes: u64,
    pub objects: u64,
    /// The listing reached the end; otherwise the figures are a lower bound.
    pub complete: bool,
}

impl Measured {
    /// `1.2 GiB in 3,400 objects`, or `at least 40.0 GiB (the first 50,000 objects)`.
    pub(crate) fn describe(&self) -> String {
        let size = crate::model::size::bytes(self.bytes);
        match self.complete {
            true => format!("{size} in {} objects", self.objects),
            false => format!(
                "at least {size} (counted the first {} objects)",
                self.objects
            ),
        }
    }
}

/// Sums the objects under `location` (`s3://BUCKET/PREFIX/`), asking S3 in `region`.
pub(crate) async fn measure(
    config: &SdkConfig,
    region: &str,
    location: &str,
) -> Result<Measured, String> {
    let url = parse(location)?;
    let s3 = client(config, region);
    let started = Instant::now();
    let mut found = Measured {
        bytes: 0,
        objects: 0,
        complete: false,
    };
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = s3
            .list_objects_v2()
            .bucket(&url.bucket)
            .prefix(&url.prefix)
            .set_continuation_token(token.take())
            .send()
            .await
            .map_err(|e| {
                let doing = Doing::List {
                    bucket: &url.bucket,
                    prefix: &url.prefix,
                };
                words(classify(&e, doing), &url.bucket)
            })?;
        for obj in page.contents() {
            found.bytes += obj.size().unwrap_or(0).max(0) as u64;
            found.objects += 1;
        }
        token = page.next_continuation_token().map(str::to_string);
        if token.is_none() {
            found.complete = true;
            break;
        }
        if started.elapsed() > MAX_TIME {
            break;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::Measured;

    #[test]
    fn a_partial_count_says_it_is_a_lower_bound() {
        let whole = Measured {
            bytes: 3 << 30,
            objects: 1200,
            complete: true,
        };
        assert_eq!(whole.describe(), "3.0 GiB in 1200 objects");
        let part = Measured {
            complete: false,
            ..whole
        };
        assert_eq!(
            part.describe(),
            "at least 3.0 GiB (counted the first 1200 objects)"
        );
    }
}
