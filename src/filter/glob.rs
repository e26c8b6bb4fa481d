//! Shell-style wildcards: `*` any run of characters, `?` one character. No classes: event
//! names, ARNs and user agents contain `[` and `]` literally.

pub fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Whole-string match. Iterative with one backtrack point, so hostile patterns stay linear-ish.
pub fn glob_match(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let eq =
        |a: char, b: char| a == b || (case_insensitive && a.to_lowercase().eq(b.to_lowercase()));
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && (p[pi] == '?' || eq(p[pi], t[ti])) {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn globs() {
        let cases = [
            ("Delete*", "DeleteObject", true),
            ("delete*", "DeleteObject", true),
            ("*Policy", "PutBucketPolicy", true),
            ("Put*Policy", "PutBucketPolicy", true),
            ("Put*Policy", "PutBucketPolicyStatus", false),
            ("Get?bject", "GetObject", true),
            ("*", "", true),
            ("?", "", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false),
            ("[x]", "[x]", true),
        ];
        for (p, t, want) in cases {
            assert_eq!(glob_match(p, t, true), want, "{p} vs {t}");
        }
        assert!(!glob_match("delete*", "DeleteObject", false));
        // Pathological pattern stays fast.
        let long = "a".repeat(5000);
        assert!(!glob_match("*a*a*a*a*a*b", &long, true));
    }
}
