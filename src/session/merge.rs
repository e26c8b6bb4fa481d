//! Two trailscope processes may save the same investigation (one reopened it while another
//! still has it open). A save must then not replace the other's marks and notes with this
//! process's memory of them. So a save writes its *changes*: the marks, event notes and the
//! investigation's note as they were when this process last saved or loaded (`base`), compared
//! with what it saves now (`ours`), applied to what is stored. Everything else in the state
//! (the walk, columns, layout) is the last saver's.

use super::state::SessionState;
use std::collections::{BTreeMap, BTreeSet};

/// What a save must not lose.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Annotations {
    marks: BTreeSet<String>,
    notes: BTreeMap<String, String>,
    note: String,
}

impl Annotations {
    pub(crate) fn of(state: &SessionState) -> Annotations {
        Annotations {
            marks: state.marks.iter().cloned().collect(),
            notes: state.notes.iter().cloned().collect(),
            note: state.note.clone(),
        }
    }
}

/// `ours` with its annotations replaced by `stored`'s plus the changes `ours` made since
/// `base`: a mark added here is added, one removed here is removed, a note written or
/// deleted here is written or deleted; the rest is as stored.
pub(crate) fn merge(base: &Annotations, ours: SessionState, stored: &SessionState) -> SessionState {
    let now = Annotations::of(&ours);
    let mut merged = Annotations::of(stored);
    for added in now.marks.difference(&base.marks) {
        merged.marks.insert(added.clone());
    }
    for removed in base.marks.difference(&now.marks) {
        merged.marks.remove(removed);
    }
    let keys: BTreeSet<&String> = base.notes.keys().chain(now.notes.keys()).collect();
    for key in keys {
        match (base.notes.get(key), now.notes.get(key)) {
            (a, b) if a == b => {}
            (_, Some(text)) => {
                merged.notes.insert(key.clone(), text.clone());
            }
            (_, None) => {
                merged.notes.remove(key);
            }
        }
    }
    if now.note != base.note {
        merged.note = now.note;
    }
    SessionState {
        marks: merged.marks.into_iter().collect(),
        notes: merged.notes.into_iter().collect(),
        note: merged.note,
        ..ours
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(marks: &[&str], notes: &[(&str, &str)]) -> SessionState {
        SessionState {
            marks: marks.iter().map(|s| s.to_string()).collect(),
            notes: notes
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..SessionState::default()
        }
    }

    #[test]
    fn changes_since_base_apply_to_what_is_stored() {
        let base = Annotations::of(&state(&["a", "b"], &[("a", "old")]));
        let ours = state(&["a", "c"], &[("a", "new"), ("c", "mine")]);
        let stored = state(&["a", "b", "d"], &[("a", "old"), ("d", "theirs")]);
        let merged = merge(&base, ours, &stored);
        assert_eq!(merged.marks, ["a", "c", "d"]);
        assert_eq!(
            merged.notes,
            [
                ("a".to_string(), "new".to_string()),
                ("c".to_string(), "mine".to_string()),
                ("d".to_string(), "theirs".to_string())
            ]
        );
    }
}
