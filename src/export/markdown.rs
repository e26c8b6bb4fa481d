//! Markdown export: an incident timeline for a report or a ticket. Event strings are written
//! by whoever made the calls (a userName, an error message), so each one is made inert before
//! it reaches a table cell: no line breaks, no control characters, no markup.

use crate::model::event::Event;
use crate::model::sanitize::visible;
use crate::model::store::{EventIdx, Store};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Error messages are long (a full policy ARN and reason); a timeline cell needs the gist.
const MESSAGE_CHARS: usize = 80;

pub(crate) fn write(
    out: &mut impl Write,
    store: &Store,
    rows: &[EventIdx],
    notes: &BTreeMap<EventIdx, String>,
    investigation: Option<&str>,
    header: &[(String, String)],
) -> io::Result<()> {
    match investigation {
        Some(name) => writeln!(out, "# Incident timeline: {}", inline(name))?,
        None => writeln!(out, "# Incident timeline")?,
    }
    writeln!(out)?;
    for (label, value) in header {
        writeln!(out, "- **{label}:** {}", inline(value))?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "| Time (UTC) | Principal | Key | IP | Action | Target | Outcome | Note |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    for &i in rows {
        let e = store.event(i);
        let cells = [
            e.time.format_utc(),
            store.interner.resolve(e.principal_name).to_string(),
            store.text(e.identity.access_key_id).to_string(),
            store.text(e.source_ip).to_string(),
            action(store, e),
            store.text(e.target).to_string(),
            outcome(store, e),
            notes.get(&i).cloned().unwrap_or_default(),
        ];
        let cells: Vec<String> = cells.iter().map(|c| inline(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

/// `iam:CreateAccessKey`: the service as the table shows it, then the call.
fn action(store: &Store, e: &Event) -> String {
    let source = store.text(e.source);
    let service = source.strip_suffix(".amazonaws.com").unwrap_or(source);
    match (service, store.text(e.name)) {
        ("", name) => name.to_string(),
        (service, "") => service.to_string(),
        (service, name) => format!("{service}:{name}"),
    }
}

/// `ok`, or the error code with the start of its message.
fn outcome(store: &Store, e: &Event) -> String {
    let code = store.text(e.error_code);
    let message = store.text(e.error_message).trim();
    match (code, message) {
        ("", "") => "ok".to_string(),
        ("", message) => shorten(message),
        (code, "") => code.to_string(),
        (code, message) => format!("{code}: {}", shorten(message)),
    }
}

/// At most `MESSAGE_CHARS` characters, cut on a character boundary, with `…` when cut.
/// Runs before escaping, so an escape sequence is never cut in half.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(MESSAGE_CHARS) {
        None => text.to_string(),
        Some(_) => {
            let kept: String = text.chars().take(MESSAGE_CHARS - 1).collect();
            format!("{kept}…")
        }
    }
}

/// One table cell or bullet value, inert: line breaks become spaces (a newline would end the
/// table row), other control and invisible characters become visible escapes (`visible`),
/// then every character Markdown or HTML could act on is backslash-escaped. The backslash
/// itself is escaped too, or a hostile `\|` would turn our `\|` into `\\|` and split the cell.
pub(crate) fn inline(text: &str) -> String {
    let one_line: String = defang(text)
        .chars()
        .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c })
        .collect();
    let shown = visible(&one_line);
    let mut out = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        if matches!(
            c,
            '\\' | '|' | '`' | '<' | '>' | '[' | ']' | '*' | '_' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What a ticket system would act on, written as responders write indicators: `https[:]//`
/// style, so a URL is no link, `[@]` so a userName pings nobody and an e-mail address is no
/// mailto, `[#]` so `#12` is no cross-reference, `www[.]` so no extended autolink. Applied
/// before Markdown escaping, so the brackets print as they read.
fn defang(text: &str) -> String {
    text.replace("://", "[:]//")
        .replace('@', "[@]")
        .replace('#', "[#]")
        .replace("www.", "www[.]")
        .replace("WWW.", "WWW[.]")
}

#[cfg(test)]
mod tests {
    use super::{inline, shorten};

    #[test]
    fn links_mentions_and_references_are_inert() {
        let cell =
            inline("see https://evil.example/x @octocat mail a@b.example #12 www.evil.example");
        assert_eq!(
            cell,
            "see https\\[:\\]//evil.example/x \\[@\\]octocat mail a\\[@\\]b.example \\[#\\]12 www\\[.\\]evil.example"
        );
        for bare in ["://", "@octocat", "#12", "www.evil"] {
            assert!(!cell.contains(bare), "{bare} in {cell}");
        }
    }

    #[test]
    fn inline_is_inert() {
        assert_eq!(inline("a|b"), "a\\|b");
        assert_eq!(inline("\\|"), "\\\\\\|");
        assert_eq!(inline("x\ny\r\nz"), "x y  z");
        assert_eq!(inline("\u{1b}[31m"), "\\\\x1b\\[31m");
        assert_eq!(
            inline("[a](http://e) <b>"),
            "\\[a\\](http\\[:\\]//e) \\<b\\>"
        );
    }

    #[test]
    fn shorten_cuts_on_characters() {
        assert_eq!(shorten("short"), "short");
        let long = "é".repeat(100);
        let cut = shorten(&long);
        assert_eq!(cut.chars().count(), 80);
        assert!(cut.ends_with('…'));
    }
}
