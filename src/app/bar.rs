//! The `/` filter bar: a one-line tui-textarea (so editing keys work as in a shell: ctrl-w,
//! ctrl-u, alt-b, undo) that re-filters on every keystroke.

use super::key::{Key, KeyCode};
use ratatui_textarea::{CursorMove, Input, Key as TaKey, TextArea};

pub struct FilterBar {
    pub input: TextArea<'static>,
    /// The filter when the bar opened: Esc goes back to it.
    pub before: String,
}

/// What a key did in the bar.
#[derive(Debug, PartialEq, Eq)]
pub enum BarOutcome {
    Edited,
    Accept,
    Cancel,
    Ignored,
}

impl FilterBar {
    pub fn open(current: &str) -> FilterBar {
        let mut input = TextArea::from([current.to_string()]);
        input.move_cursor(CursorMove::End);
        FilterBar {
            input,
            before: current.to_string(),
        }
    }

    pub fn text(&self) -> &str {
        self.input.lines().first().map(String::as_str).unwrap_or("")
    }

    /// Cursor position in characters.
    pub fn cursor(&self) -> usize {
        self.input.cursor().1
    }

    pub fn key(&mut self, key: Key) -> BarOutcome {
        let ta_key = match key.code {
            KeyCode::Enter => return BarOutcome::Accept,
            KeyCode::Esc => return BarOutcome::Cancel,
            // One line only: no newlines, and tab/arrows up-down have no meaning here.
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                return BarOutcome::Ignored
            }
            KeyCode::Char('m' | 'j') if key.ctrl => return BarOutcome::Accept,
            // Shell habits over the widget's defaults (where ctrl-u is undo).
            KeyCode::Char('u') if key.ctrl => return edited(self.input.delete_line_by_head()),
            KeyCode::Char('z') if key.ctrl => return edited(self.input.undo()),
            KeyCode::Char(c) => TaKey::Char(c),
            KeyCode::Backspace => TaKey::Backspace,
            KeyCode::Delete => TaKey::Delete,
            KeyCode::Left => TaKey::Left,
            KeyCode::Right => TaKey::Right,
            KeyCode::Home => TaKey::Home,
            KeyCode::End => TaKey::End,
            KeyCode::PageUp | KeyCode::PageDown | KeyCode::F(_) => return BarOutcome::Ignored,
        };
        let changed = self.input.input(Input {
            key: ta_key,
            ctrl: key.ctrl,
            alt: key.alt,
            shift: false,
        });
        edited(changed)
    }

    /// Pasted text: one line, control characters dropped.
    pub fn paste(&mut self, text: &str) {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        self.input.insert_str(clean);
    }
}

fn edited(changed: bool) -> BarOutcome {
    if changed {
        BarOutcome::Edited
    } else {
        BarOutcome::Ignored
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::key::parse_keys;

    fn typed(bar: &mut FilterBar, dsl: &str) {
        for k in parse_keys(dsl).unwrap_or_default() {
            bar.key(k);
        }
    }

    #[test]
    fn edits_like_a_shell_line() {
        let mut bar = FilterBar::open("ip:10.0.0.1");
        typed(&mut bar, " error:any");
        assert_eq!(bar.text(), "ip:10.0.0.1 error:any");
        typed(&mut bar, "<c-w>");
        assert_eq!(bar.text(), "ip:10.0.0.1 error:");
        typed(&mut bar, "<c-u>");
        assert_eq!(bar.text(), "");
        typed(&mut bar, "<c-z>");
        assert_eq!(bar.text(), "ip:10.0.0.1 error:");
        assert_eq!(bar.key(Key::plain(KeyCode::Enter)), BarOutcome::Accept);
        assert_eq!(bar.before, "ip:10.0.0.1");
    }
}
