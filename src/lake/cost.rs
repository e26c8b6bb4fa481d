//! What a query cost: Lake bills by the bytes a query scans.

/// US dollars per GB scanned: AWS's list price in us-east-1 (regions differ a little; it is
/// an estimate, shown as one).
pub const DOLLARS_PER_GB: f64 = 0.005;

/// `1.2 GB scanned ≈ $0.0060`.
pub fn describe(bytes: i64) -> String {
    let bytes = bytes.max(0) as f64;
    let size = if bytes >= 1e9 {
        format!("{:.2} GB", bytes / 1e9)
    } else if bytes >= 1e6 {
        format!("{:.1} MB", bytes / 1e6)
    } else if bytes >= 1e3 {
        format!("{:.1} KB", bytes / 1e3)
    } else {
        format!("{bytes:.0} B")
    };
    format!("{size} scanned ≈ ${:.4}", bytes / 1e9 * DOLLARS_PER_GB)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cost_follows_bytes() {
        assert_eq!(super::describe(2_000_000_000), "2.00 GB scanned ≈ $0.0100");
        assert_eq!(super::describe(1_500), "1.5 KB scanned ≈ $0.0000");
        assert_eq!(super::describe(-1), "0 B scanned ≈ $0.0000");
    }
}
