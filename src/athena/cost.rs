//! What an Athena query costs: $5 per TB scanned, each query billed for at least 10 MB and
//! rounded up to the next MB (AWS's list price in us-east-1; regions differ a little, so it
//! is shown as an estimate). Failed queries are free; a stopped one pays for what it read.

const DOLLARS_PER_TB: f64 = 5.0;
const MB: u64 = 1 << 20;
const MINIMUM: u64 = 10 * MB;

/// The bytes a query that scanned `bytes` is billed for.
pub fn billed(bytes: i64) -> u64 {
    let mbs = (bytes.max(0) as u64).div_ceil(MB);
    (mbs * MB).max(MINIMUM)
}

/// What a query that scanned `bytes` costs, in dollars.
pub fn dollars(bytes: i64) -> f64 {
    billed(bytes) as f64 / 1e12 * DOLLARS_PER_TB
}

/// `1.2 GB scanned ≈ $0.0060`, the minimum said when it applies.
pub fn describe(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    let size = if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} KB", b / 1e3)
    } else {
        format!("{b:.0} B")
    };
    let dollars = dollars(bytes);
    let minimum = match billed(bytes) == MINIMUM {
        true => " (the 10 MB minimum)",
        false => "",
    };
    format!("{size} scanned ≈ ${dollars:.5}{minimum}")
}

/// `Athena query ID RUNNING · 1.2 MB scanned ≈ $0.00005 · 40 rows`: no cost before anything
/// ran, none for a failed query (they are free).
pub fn progress_line(p: &crate::job::QueryProgress) -> String {
    let mut line = format!("Athena query {} {}", p.query_id, p.status);
    match p.status.as_str() {
        "STARTING" | "QUEUED" => {}
        "FAILED" => line.push_str(" · failed queries are not billed"),
        _ => line.push_str(&format!(" · {}", describe(p.bytes_scanned))),
    }
    if p.rows > 0 {
        line.push_str(&format!(" · {} rows", p.rows));
    }
    if p.retries > 0 {
        line.push_str(&format!(" · {} retries", p.retries));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_pays_ten_megabytes_then_by_the_megabyte() {
        assert_eq!(billed(0), 10 << 20);
        assert_eq!(billed(11 << 20), 11 << 20);
        assert_eq!(billed((11 << 20) + 1), 12 << 20);
        assert_eq!(
            describe(2_000_000_000_000),
            "2000.00 GB scanned ≈ $10.00000"
        );
        assert_eq!(
            describe(1_500),
            "1.5 KB scanned ≈ $0.00005 (the 10 MB minimum)"
        );
    }
}
