//! The `/` filter bar (and every one-line prompt): a one-line tui-textarea, so editing keys
//! work as in a shell (ctrl-w, alt-b; ctrl-u and undo through the keymap), that re-filters on
//! every keystroke.

use super::key::{Key, KeyCode};
use super::nav::View;
use ratatui_textarea::{CursorMove, Input, Key as TaKey, TextArea};

pub struct FilterBar {
    pub input: TextArea<'static>,
    /// The filter when the bar opened: Esc goes back to it.
    pub before: String,
    /// The `/` bar only: the view on screen when it opened, which a new filter leaves (so
    /// `[` comes back to it, as after a pivot).
    pub left: Option<View>,
}

impl FilterBar {
    pub fn open(current: &str) -> FilterBar {
        let mut input = TextArea::from([current.to_string()]);
        input.move_cursor(CursorMove::End);
        FilterBar {
            input,
            before: current.to_string(),
            left: None,
        }
    }

    pub fn text(&self) -> &str {
        self.input.lines().first().map(String::as_str).unwrap_or("")
    }

    /// Cursor position in characters.
    pub fn cursor(&self) -> usize {
        self.input.cursor().1
    }

    /// A key that edits the line (characters, backspace, ←/→, home/end, the line editor's
    /// ctrl- and alt- keys); whether the text or the cursor changed. Keys that make no sense
    /// on one line (enter, tab, ↑/↓, pgup…) do nothing: accepting, cancelling and the rest
    /// are the prompts' bindings in the keymap.
    pub fn edit(&mut self, key: Key) -> bool {
        let ta_key = match key.code {
            // The widget's newline keys: one line only.
            KeyCode::Char('m' | 'j') if key.ctrl => return false,
            KeyCode::Char(c) => TaKey::Char(c),
            KeyCode::Backspace => TaKey::Backspace,
            KeyCode::Delete => TaKey::Delete,
            KeyCode::Left => TaKey::Left,
            KeyCode::Right => TaKey::Right,
            KeyCode::Home => TaKey::Home,
            KeyCode::End => TaKey::End,
            KeyCode::Enter
            | KeyCode::Esc
            | KeyCode::Tab
            | KeyCode::BackTab
            | KeyCode::Up
            | KeyCode::Down
            | KeyCode::PageUp
            | KeyCode::PageDown
            | KeyCode::F(_) => return false,
        };
        self.input.input(Input {
            key: ta_key,
            ctrl: key.ctrl,
            alt: key.alt,
            shift: false,
        })
    }

    /// Deletes up to the cursor: a shell's ctrl-u (the widget's own ctrl-u is undo).
    pub fn clear_to_start(&mut self) -> bool {
        self.input.delete_line_by_head()
    }

    pub fn undo(&mut self) -> bool {
        self.input.undo()
    }

    /// Pasted text: one line, control characters dropped.
    pub fn paste(&mut self, text: &str) {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        self.input.insert_str(clean);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::key::parse_keys;

    fn typed(bar: &mut FilterBar, dsl: &str) {
        for k in parse_keys(dsl).unwrap_or_default() {
            bar.edit(k);
        }
    }

    #[test]
    fn edits_like_a_shell_line() {
        let mut bar = FilterBar::open("ip:10.0.0.1");
        typed(&mut bar, " error:any");
        assert_eq!(bar.text(), "ip:10.0.0.1 error:any");
        typed(&mut bar, "<c-w>");
        assert_eq!(bar.text(), "ip:10.0.0.1 error:");
        // ctrl-u and ctrl-z are the prompts' bindings (clear-line, undo) in the keymap.
        assert!(bar.clear_to_start());
        assert_eq!(bar.text(), "");
        assert!(bar.undo());
        assert_eq!(bar.text(), "ip:10.0.0.1 error:");
        assert!(!bar.edit(Key::plain(KeyCode::Enter)), "one line");
        assert_eq!(bar.text(), "ip:10.0.0.1 error:");
        assert_eq!(bar.before, "ip:10.0.0.1");
    }
}
