//! Keys as the app sees them: independent of crossterm so the core stays terminal-free.
//! The same spelling (`j`, `G`, `ctrl-c`, `pgdown`, `enter`) is used by the keymap file, the
//! help overlay and the reducer tests' key DSL.

use std::fmt;

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum KeyCode {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Delete,
    F(u8),
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Self {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    /// Parses `j`, `G`, `?`, `space`, `ctrl-c`, `alt-x`, `pgdown`, `enter`, `f1`…
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut key = Key::plain(KeyCode::Esc);
        let mut rest = spec;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                key.ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                key.alt = true;
                rest = r;
            } else {
                break;
            }
        }
        key.code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdown" | "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "delete" | "del" => KeyCode::Delete,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => return Err(format!("unknown key `{spec}`")),
                }
            }
        };
        Ok(key)
    }
}

impl Key {
    /// How hints on screen name the key: arrows as arrows, function keys as on the keyboard
    /// (`F5`), anything else as the keymap spells it.
    pub fn hint(&self) -> String {
        let glyph = match self.code {
            KeyCode::Up => "↑",
            KeyCode::Down => "↓",
            KeyCode::Left => "←",
            KeyCode::Right => "→",
            KeyCode::F(n) if !self.ctrl && !self.alt => return format!("F{n}"),
            _ => return self.to_string(),
        };
        match (self.ctrl, self.alt) {
            (false, false) => glyph.to_string(),
            _ => self.to_string(),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdown"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::F(n) => write!(f, "f{n}"),
        }
    }
}

/// The reducer tests' key DSL: every character is a key, `<name>` is a named key.
/// `"jj<enter>G<c-c>"` → j, j, enter, G, ctrl-c.
pub fn parse_keys(dsl: &str) -> Result<Vec<Key>, String> {
    let mut keys = Vec::new();
    let mut chars = dsl.chars();
    while let Some(c) = chars.next() {
        if c == '<' {
            let name: String = chars.by_ref().take_while(|&c| c != '>').collect();
            let spec = name.replace("c-", "ctrl-").replace("a-", "alt-");
            keys.push(Key::parse(&spec)?);
        } else {
            keys.push(Key::plain(KeyCode::Char(c)));
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for spec in [
            "j", "G", "?", "space", "ctrl-c", "alt-x", "pgdown", "enter", "esc", "f1", "home",
        ] {
            let key = Key::parse(spec).expect(spec);
            assert_eq!(key.to_string(), spec);
        }
        assert!(Key::parse("nonsense").is_err());
    }

    #[test]
    fn dsl() {
        let keys = parse_keys("j<enter><c-c>").expect("valid dsl");
        assert_eq!(keys[0], Key::plain(KeyCode::Char('j')));
        assert_eq!(keys[1], Key::plain(KeyCode::Enter));
        assert_eq!(
            keys[2],
            Key {
                code: KeyCode::Char('c'),
                ctrl: true,
                alt: false
            }
        );
    }
}
