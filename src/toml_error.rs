//! A TOML file's mistake as `file:line: message`: the config, keymap and theme files all say
//! where a mistake is the same way.

/// The 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A TOML error as `file:line: message`.
pub(crate) fn toml_error(name: &str, text: &str, e: &toml::de::Error) -> String {
    let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
    format!("{name}:{line}: {}", e.message().trim())
}
