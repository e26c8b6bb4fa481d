//! The parsed form of a filter expression.

use super::field::Field;

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Expr {
    /// Every child matches. An empty `And` matches everything (the empty filter).
    And(Vec<Expr>),
    /// Any child matches.
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// Free text: a case-insensitive substring of the whole record.
    Text(String),
    /// `field:value`; `exact` for `field:=value` (the whole value, case-sensitive: what facet
    /// picks insert, and what an API lookup attribute means).
    Field {
        field: Field,
        value: String,
        exact: bool,
    },
}

impl Default for Expr {
    fn default() -> Self {
        Expr::all()
    }
}

impl Expr {
    pub fn all() -> Expr {
        Expr::And(Vec::new())
    }

    /// Whether any part searches the raw record (free text).
    pub fn has_text(&self) -> bool {
        match self {
            Expr::And(p) | Expr::Or(p) => p.iter().any(Expr::has_text),
            Expr::Not(e) => e.has_text(),
            Expr::Text(_) => true,
            Expr::Field { .. } => false,
        }
    }

    /// Whether any part is a `field:` term.
    pub fn mentions(&self, field: Field) -> bool {
        match self {
            Expr::And(p) | Expr::Or(p) => p.iter().any(|e| e.mentions(field)),
            Expr::Not(e) => e.mentions(field),
            Expr::Text(_) => false,
            Expr::Field { field: f, .. } => *f == field,
        }
    }

    pub fn is_all(&self) -> bool {
        matches!(self, Expr::And(v) if v.is_empty())
    }

    /// True when every event this expression matches is also matched by `wider`, judged from
    /// the syntax alone: the filter bar uses it to search only the previous result while the
    /// user keeps typing (`dele` → `delet`, `ip:10.0.0.0/8` → `ip:10.0.0.0/8 error:any`).
    /// False negatives only cost speed; a false positive would hide events, so this is strict.
    pub fn narrows(&self, wider: &Expr) -> bool {
        if wider.is_all() || self == wider {
            return true;
        }
        match (self, wider) {
            (Expr::And(mine), Expr::And(theirs)) => {
                // Every condition of the wider filter is implied by one of ours.
                theirs.iter().all(|t| mine.iter().any(|m| m.narrows(t)))
            }
            (Expr::And(mine), _) => mine.iter().any(|m| m.narrows(wider)),
            (Expr::Or(mine), Expr::Or(theirs)) if mine.len() == theirs.len() => {
                mine.iter().zip(theirs).all(|(m, t)| m.narrows(t))
            }
            (_, Expr::Or(theirs)) => theirs.iter().any(|t| self.narrows(t)),
            (Expr::Text(mine), Expr::Text(theirs)) => {
                mine.to_lowercase().contains(&theirs.to_lowercase())
            }
            (
                Expr::Field {
                    field: f,
                    value: v,
                    exact: false,
                },
                Expr::Field {
                    field: g,
                    value: w,
                    exact: false,
                },
            ) if f == g && super::field::substring_semantics(*f, v, w) => {
                v.to_lowercase().contains(&w.to_lowercase())
            }
            _ => false,
        }
    }
}

/// A canonical, unambiguous rendering (`(and ip:10.0.0.1 (not "x"))`): tests compare it, and
/// it shows how a filter was understood.
impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |f: &mut std::fmt::Formatter<'_>, op: &str, parts: &[Expr]| {
            write!(f, "({op}")?;
            for p in parts {
                write!(f, " {p}")?;
            }
            write!(f, ")")
        };
        match self {
            Expr::And(parts) => list(f, "and", parts),
            Expr::Or(parts) => list(f, "or", parts),
            Expr::Not(inner) => write!(f, "(not {inner})"),
            Expr::Text(t) => write!(f, "{t:?}"),
            Expr::Field {
                field,
                value,
                exact,
            } => {
                let eq = if *exact { "=" } else { "" };
                write!(f, "{}:{eq}{value:?}", field.name())
            }
        }
    }
}
