//! Copying to the clipboard with OSC 52: the terminal itself sets its clipboard, so a copy
//! works over SSH from a jump host, and inside tmux (with `set-clipboard on`, or passthrough)
//! and screen. Event text is attacker-controlled and ends up pasted into shells and tickets,
//! so what is copied is what the screen shows: control and invisible characters made
//! visible (JSON keeps its validity with `\u` escapes instead), then base64, so no byte of an
//! event reaches the terminal as itself.

use crate::model::sanitize::{json_inert, visible};
use base64::Engine;

/// Larger copies are refused: terminals cap OSC 52 (xterm and others near 100 kB) and drop
/// longer ones silently.
pub const MAX_BYTES: usize = 74_000;

/// The terminal multiplexer between us and the terminal, which needs the sequence wrapped or
/// allowed.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Mux {
    None,
    Tmux,
    Screen,
}

impl Mux {
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Mux {
        if env("TMUX").is_some_and(|v| !v.is_empty()) {
            Mux::Tmux
        } else if env("STY").is_some_and(|v| !v.is_empty()) {
            Mux::Screen
        } else {
            Mux::None
        }
    }
}

/// A record as it is copied: compact JSON with every unsafe character as a `\uXXXX` escape
/// (valid JSON, the same data, nothing that can drive a terminal or hide in a paste).
pub fn json_text(raw: &str) -> String {
    let compact = match serde_json::from_str::<serde_json::Value>(raw) {
        Ok(v) => v.to_string(),
        // Not JSON (shown as plain lines): copied as the screen shows it.
        Err(_) => return visible(raw).into_owned(),
    };
    // Outside strings compact JSON has no unsafe characters, so each is inside a string,
    // where a \u escape means the same character.
    json_inert(&compact).into_owned()
}

/// A field or an ID as it is copied: as the screen shows it.
pub fn plain_text(text: &str) -> String {
    visible(text).into_owned()
}

/// The bytes that ask the terminal to put `text` on the clipboard. Inside tmux both forms go
/// out: the plain one for `set-clipboard on`, the wrapped one for `allow-passthrough on`.
pub fn osc52(text: &str, mux: Mux) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let plain = format!("\x1b]52;c;{b64}\x07");
    let out = match mux {
        Mux::None => plain,
        Mux::Tmux => format!("{plain}\x1bPtmux;\x1b\x1b]52;c;{b64}\x07\x1b\\"),
        Mux::Screen => format!("\x1bP\x1b]52;c;{b64}\x07\x1b\\"),
    };
    out.into_bytes()
}

/// Why a copy may not reach the clipboard here, as far as can be told from outside the
/// terminal (OSC 52 has no answer): `tmux_option` reads a tmux option (`None` outside tmux).
pub fn refusal(
    env: impl Fn(&str) -> Option<String>,
    tmux_option: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let term = env("TERM").unwrap_or_default();
    if term == "linux" || term == "dumb" {
        return Some(format!(
            "TERM={term} has no clipboard: use :export, or a terminal emulator"
        ));
    }
    if Mux::from_env(&env) == Mux::Tmux {
        // Only what tmux says: an option that cannot be read proves nothing.
        let clipboard = tmux_option("set-clipboard")?;
        let passthrough = tmux_option("allow-passthrough").unwrap_or_default();
        if clipboard != "on" && !matches!(passthrough.as_str(), "on" | "all") {
            return Some(format!(
                "tmux drops OSC 52 (set-clipboard {clipboard}): set -g set-clipboard on"
            ));
        }
    }
    None
}

/// A tmux option as the tmux around us has it (`tmux show-options -gv`); `None` when tmux
/// cannot be asked.
pub fn tmux_option(name: &str) -> Option<String> {
    let out = std::process::Command::new("tmux")
        .args(["show-options", "-gv", name])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let value = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !value.is_empty()).then_some(value)
}

/// Sends `text` to the terminal's clipboard (the runtime's side of `Effect::Copy`): what the
/// status bar says about it, or why it was not sent.
pub fn send(text: &str, what: &str) -> Result<String, String> {
    use std::io::Write;
    let env = |k: &str| std::env::var(k).ok();
    let bytes = osc52(text, Mux::from_env(env));
    let mut out = std::io::stdout();
    out.write_all(&bytes)
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write to the terminal: {e}"))?;
    // Short: the status bar of an 80-column terminal holds it.
    match refusal(env, tmux_option) {
        Some(why) => Err(why),
        None => Ok(format!(
            "copied {what} ({} B, OSC 52): nothing to paste? see help",
            text.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sanitize::is_unsafe;

    #[test]
    fn hostile_text_is_made_visible_and_json_stays_json() {
        let raw = "{\"userAgent\": \"x\\u001b]52;c;AAAA\\u0007\u{202e}y\u{9b}\",\n \"n\": 1}";
        let copied = json_text(raw);
        assert_eq!(
            copied,
            "{\"userAgent\":\"x\\u001b]52;c;AAAA\\u0007\\u202ey\\u009b\",\"n\":1}"
        );
        assert!(!copied.chars().any(is_unsafe));
        let back: serde_json::Value = serde_json::from_str(&copied).expect("still JSON");
        let orig: serde_json::Value = serde_json::from_str(raw).expect("JSON");
        assert_eq!(back, orig, "the same data");
        assert_eq!(plain_text("ad\u{200b}min\x1b[2J"), "ad\\u{200b}min\\x1b[2J");
    }

    #[test]
    fn the_sequence_is_base64_only() {
        let bytes = osc52("hi \x1b there", Mux::None);
        assert_eq!(bytes, b"\x1b]52;c;aGkgGyB0aGVyZQ==\x07");
        let tmux = String::from_utf8(osc52("hi", Mux::Tmux)).expect("ascii");
        assert!(tmux.starts_with("\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"));
    }

    #[test]
    fn says_where_a_copy_is_refused() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let tmux = env(&[
            ("TMUX", "/tmp/tmux-0/default,1,0"),
            ("TERM", "tmux-256color"),
        ]);
        let says = refusal(tmux, |o| {
            (o == "set-clipboard").then(|| "external".to_string())
        });
        assert_eq!(
            says.as_deref(),
            Some("tmux drops OSC 52 (set-clipboard external): set -g set-clipboard on")
        );
        assert_eq!(refusal(tmux, |_| Some("on".to_string())), None);
        assert!(refusal(env(&[("TERM", "linux")]), |_| None).is_some());
        assert_eq!(refusal(env(&[("TERM", "xterm-256color")]), |_| None), None);
        assert_eq!(refusal(tmux, |_| None), None, "tmux could not be asked");
    }
}
