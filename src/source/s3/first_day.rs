//! The first day a trail's bucket holds: under each region folder, the lowest year folder,
//! the lowest month in it, the lowest day in that (three delimiter listings, never a walk of
//! the keys), and the earliest over all folders. A table's projection starts there, so a
//! query before it reads nothing rather than listing days that cannot exist.

use super::discover::{folders, Bucket, Ctx};
use super::errors::Failure;

/// Region folders read at most: an organization of a hundred accounts in every region has
/// thousands, and the first day is a starting point, not a census.
pub(crate) const MAX_REGION_FOLDERS: usize = 200;

/// The lowest sub-folder of `prefix` whose name is `width` digits, as `(name, full prefix)`.
async fn lowest(
    b: &Bucket,
    prefix: &str,
    width: usize,
    ctx: &Ctx<'_>,
) -> Result<Option<(String, String)>, Failure> {
    Ok(folders(b, prefix, ctx)
        .await?
        .into_iter()
        .filter_map(|p| {
            let name = p.trim_end_matches('/').rsplit('/').next()?.to_string();
            let digits = name.len() == width && name.bytes().all(|c| c.is_ascii_digit());
            digits.then_some((name, p))
        })
        .min())
}

/// `YYYY/MM/DD` of the earliest day folder under the first `MAX_REGION_FOLDERS` of
/// `region_prefixes`; `None` when none has one.
pub(crate) async fn first_day(
    b: &Bucket,
    region_prefixes: &[String],
    ctx: &Ctx<'_>,
) -> Result<Option<String>, Failure> {
    let mut best: Option<String> = None;
    for region in region_prefixes.iter().take(MAX_REGION_FOLDERS) {
        let Some((year, year_prefix)) = lowest(b, region, 4, ctx).await? else {
            continue;
        };
        // A later year than the best so far cannot hold an earlier day.
        if best.as_ref().is_some_and(|d| d[..4] < *year) {
            continue;
        }
        let Some((month, month_prefix)) = lowest(b, &year_prefix, 2, ctx).await? else {
            continue;
        };
        let Some((day, _)) = lowest(b, &month_prefix, 2, ctx).await? else {
            continue;
        };
        let found = format!("{year}/{month}/{day}");
        if best.as_ref().is_none_or(|d| found < *d) {
            best = Some(found);
        }
    }
    Ok(best)
}
