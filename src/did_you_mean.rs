//! "Did you mean …?" for names typed by hand: filter fields, config keys, keymap commands,
//! theme meanings.

/// The candidate closest to a typo (edit distance ≤ 2), or one that starts with it.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let name = name.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&name, c), c))
        .filter(|&(d, c)| d <= 2 || c.starts_with(&name))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// " (did you mean `x`?)", or nothing when nothing is close.
pub(crate) fn hint<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(name, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// Levenshtein distance.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let names = ["colors", "columns", "theme"];
        assert_eq!(closest("colours", names), Some("colors"));
        assert_eq!(closest("them", names), Some("theme"));
        assert_eq!(closest("zzzzzz", names), None);
        assert_eq!(hint("thme", names), " (did you mean `theme`?)");
    }
}
