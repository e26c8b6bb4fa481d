//! What an investigation may be called: one rule for `:save NAME`, renames and imports. A
//! name is shown in lists, titles and messages, so it holds no control characters (no ESC to
//! drive a terminal, no newline to forge a line of `sessions list`). Names never become file
//! paths as they are (exports build a file name of safe characters), so `/` is allowed:
//! automatic names carry a path's last part.

/// Longer than any name a person types; bounds what a hostile file can make us show.
const MAX_BYTES: usize = 200;

/// `name` without surrounding spaces, or why it cannot name an investigation.
pub fn check_name(name: &str) -> Result<&str, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("save needs a name: :save NAME".into());
    }
    if name.chars().any(char::is_control) || name.len() > MAX_BYTES {
        return Err(format!(
            "a name is up to {MAX_BYTES} characters, without control characters"
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::check_name;

    #[test]
    fn names_with_terminal_controls_or_line_breaks_are_refused() {
        assert_eq!(check_name("  incident-7 "), Ok("incident-7"));
        assert_eq!(check_name("s3 acme/2026 09:00"), Ok("s3 acme/2026 09:00"));
        for bad in [
            "",
            "   ",
            "a\u{1b}[2Jb",
            "two\nlines",
            "nul\0",
            "c1\u{9b}",
            &"x".repeat(201),
        ] {
            assert!(check_name(bad).is_err(), "{bad:?} accepted");
        }
    }
}
