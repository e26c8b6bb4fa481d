//! A rule's logic in compiled form: selections of field tests under and/or/not. Tests on a
//! column are decided once per distinct value (a memo by symbol, as the filter's `SymSet`),
//! so a million events cost a byte load per test; tests on the rest of the record read the
//! event's parsed JSON, which `Subject` builds once and only for events that got that far.

use super::sigma::pattern::Pattern;
use super::subject::{ColField, Subject};
use crate::model::intern::Interner;
use std::cell::RefCell;

pub(crate) enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Test(Test),
    /// Sigma keywords: any of these occurs in the raw record (case-insensitive).
    Keywords(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Col(ColField),
    /// A dotted path into the record, split.
    Path(Vec<String>),
}

impl Field {
    pub(crate) fn of(path: &str) -> Field {
        match ColField::of_path(path) {
            Some(c) => Field::Col(c),
            None => Field::Path(path.split('.').map(String::from).collect()),
        }
    }
}

pub(crate) enum Value {
    Pattern(Pattern),
    Re(regex::Regex),
    /// The field is absent or null.
    Null,
    Exists(bool),
    /// Equal to another field of the same event.
    FieldRef(Field),
}

pub(crate) struct Test {
    pub(crate) field: Field,
    pub(crate) values: Vec<Value>,
    /// `|all`: every value must match (otherwise any).
    pub(crate) all: bool,
    /// Per symbol of a column field: 0 not decided, 1 no, 2 yes.
    memo: RefCell<Vec<u8>>,
}

impl Test {
    pub(crate) fn new(field: Field, values: Vec<Value>, all: bool) -> Test {
        Test {
            field,
            values,
            all,
            memo: RefCell::new(Vec::new()),
        }
    }

    fn memoizable(&self) -> bool {
        matches!(self.field, Field::Col(_))
            && !self.values.iter().any(|v| matches!(v, Value::FieldRef(_)))
    }

    fn eval(&self, s: &Subject) -> bool {
        if let (Field::Col(col), true) = (&self.field, self.memoizable()) {
            if let Some(sym) = col.sym(s.event) {
                let i = Interner::index_of(sym);
                if let Some(&known) = self.memo.borrow().get(i) {
                    if known != 0 {
                        return known == 2;
                    }
                }
                let text = s.store.interner.resolve(sym);
                let hit = self.decide(s, Some(vec![text.into()]));
                let mut memo = self.memo.borrow_mut();
                if memo.len() <= i {
                    memo.resize(i + 1, 0);
                }
                memo[i] = if hit { 2 } else { 1 };
                return hit;
            }
        }
        let leaves = read(s, &self.field);
        self.decide(s, leaves)
    }

    fn decide(&self, s: &Subject, leaves: Option<Vec<std::borrow::Cow<'_, str>>>) -> bool {
        let one = |v: &Value| match v {
            Value::Null => leaves.is_none(),
            Value::Exists(want) => leaves.is_some() == *want,
            Value::Pattern(p) => leaves.iter().flatten().any(|l| p.matches(l)),
            Value::Re(re) => leaves.iter().flatten().any(|l| re.is_match(l)),
            Value::FieldRef(other) => {
                let theirs = read(s, other).unwrap_or_default();
                leaves
                    .iter()
                    .flatten()
                    .any(|l| theirs.iter().any(|t| t == l))
            }
        };
        if self.all {
            self.values.iter().all(one)
        } else {
            self.values.iter().any(one)
        }
    }
}

fn read<'s>(s: &'s Subject, field: &Field) -> Option<Vec<std::borrow::Cow<'s, str>>> {
    match field {
        Field::Col(c) => c
            .sym(s.event)
            .map(|sym| vec![s.store.interner.resolve(sym).into()]),
        Field::Path(p) => s.leaves(p),
    }
}

impl Cond {
    pub(crate) fn eval(&self, s: &Subject) -> bool {
        match self {
            Cond::All(parts) => parts.iter().all(|c| c.eval(s)),
            Cond::Any(parts) => parts.iter().any(|c| c.eval(s)),
            Cond::Not(inner) => !inner.eval(s),
            Cond::Test(t) => t.eval(s),
            Cond::Keywords(words) => {
                let raw = s.raw().to_lowercase();
                words.iter().any(|w| raw.contains(w.as_str()))
            }
        }
    }

    /// A necessary condition on the event name alone, when the rule has one: the detector
    /// asks only the rules whose gate passes for an event's name (decided once per name).
    pub(crate) fn name_gate(&self) -> Option<&Cond> {
        match self {
            Cond::Test(t) if t.field == Field::Col(ColField::EventName) && t.memoizable() => {
                // `eventName: null` passes events without a name: no gate.
                (!t.values
                    .iter()
                    .any(|v| matches!(v, Value::Null | Value::Exists(false))))
                .then_some(self)
            }
            Cond::All(parts) => parts.iter().find_map(Cond::name_gate),
            _ => None,
        }
    }

    /// Put column tests before path tests in every conjunction: the JSON is then parsed only
    /// for events whose columns already matched.
    pub(crate) fn columns_first(&mut self) {
        match self {
            Cond::All(parts) | Cond::Any(parts) => {
                for p in parts.iter_mut() {
                    p.columns_first();
                }
                parts.sort_by_key(|p| !p.columns_only());
            }
            Cond::Not(inner) => inner.columns_first(),
            Cond::Test(_) | Cond::Keywords(_) => {}
        }
    }

    fn columns_only(&self) -> bool {
        match self {
            Cond::All(parts) | Cond::Any(parts) => parts.iter().all(Cond::columns_only),
            Cond::Not(inner) => inner.columns_only(),
            Cond::Test(t) => t.memoizable(),
            Cond::Keywords(_) => false,
        }
    }
}
