//! The catalog's CloudTrail tables as the picker and `--athena` alone list them, each table
//! read whole with how much that is (a bounded S3 listing of its location, and the cost of
//! reading it once).

use super::catalog::FoundTable;
use super::client::connect;
use super::sql::Partitioned;

/// The catalog's CloudTrail tables, and the region asked; a table read whole carries how
/// much that is. For `--athena` alone and the app's picker.
pub async fn tables(
    profile: Option<&str>,
    region: Option<&str>,
) -> Result<(Vec<FoundTable>, String), String> {
    let (client, region) = connect(profile, region).await?;
    let mut tables = crate::athena::client::cloudtrail_tables(&client, &region).await?;
    for t in tables
        .iter_mut()
        .filter(|t| t.partitioned == Partitioned::No)
    {
        t.whole_size = Some(whole_size(&t.location, profile, &region).await);
    }
    Ok((tables, region))
}

/// `3.2 GiB in 1200 objects ≈ $0.01600 a statement`, or why the size is unknown.
pub async fn whole_size(location: &str, profile: Option<&str>, region: &str) -> String {
    let config = crate::source::lookup::client::load_config(profile).await;
    match crate::source::s3::size::measure(&config, region, location).await {
        Ok(m) => {
            let dollars = crate::athena::cost::dollars(m.bytes as i64);
            format!("{} ≈ ${dollars:.5} a statement", m.describe())
        }
        Err(why) => format!("of a size trailscope could not list ({why})"),
    }
}
