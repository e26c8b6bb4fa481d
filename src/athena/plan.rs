//! A filter split for Athena, like LookupEvents's plan: the top-level conditions Athena can
//! evaluate exactly are sent (ANDed into the query), the rest stay here, and top-level
//! `after:`/`before:` narrow the window Athena reads. The whole filter is still applied to
//! every event that comes back: pushing down only ever reduces what is fetched.

use super::pushdown::condition;
use crate::filter::field::Field;
use crate::filter::Expr;
use crate::model::time::EventTime;
use crate::trino::Window;

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AthenaPlan {
    /// The conditions sent, as the user wrote them, and their SQL (ANDed).
    pub sent: Vec<Expr>,
    pub condition: Option<String>,
    /// The conditions kept here, each with why.
    pub kept: Vec<(Expr, String)>,
    /// The window Athena reads: the asked window narrowed by the filter's time bounds.
    pub window: Window,
    /// The whole filter, applied locally to every fetched event.
    pub local: Expr,
}

impl AthenaPlan {
    /// For the title: what runs in Athena and what runs here.
    pub fn describe(&self) -> String {
        let remote = match self.sent.is_empty() {
            true => "Athena: every event in the window".to_string(),
            false => {
                let sent: Vec<String> = self.sent.iter().map(Expr::to_string).collect();
                format!("Athena: {}", sent.join(" "))
            }
        };
        let here: Vec<String> = self
            .kept
            .iter()
            .filter(|(e, _)| !is_time(e))
            .map(|(e, _)| e.to_string())
            .collect();
        match here.is_empty() {
            true => remote,
            false => format!("{remote} · here: {}", here.join(" ")),
        }
    }
}

/// Plans a query for `filter` over `window`; `now` resolves relative times (`after:-3h`).
pub fn plan(filter: &Expr, window: Window, now: EventTime) -> AthenaPlan {
    let mut sent = Vec::new();
    let mut sql = Vec::new();
    let mut kept = Vec::new();
    let mut window = window;
    for part in conjuncts(filter) {
        if let Expr::Field { field, value, .. } = part {
            let bound = crate::filter::time_bound(value, now);
            match (field, bound) {
                (Field::After, Some(t)) => window.start = window.start.max(t),
                (Field::Before, Some(t)) => window.end = window.end.min(t),
                _ => {}
            }
        }
        match condition(part) {
            Ok(c) => {
                sent.push(part.clone());
                sql.push(format!("({c})"));
            }
            Err(why) => kept.push((part.clone(), why)),
        }
    }
    AthenaPlan {
        sent,
        condition: (!sql.is_empty()).then(|| sql.join(" AND ")),
        kept,
        window,
        local: filter.clone(),
    }
}

fn is_time(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Field {
            field: Field::After | Field::Before,
            ..
        }
    )
}

/// The conditions that must all hold; the empty filter has none.
fn conjuncts(e: &Expr) -> Vec<&Expr> {
    match e {
        Expr::And(parts) => parts.iter().collect(),
        other => vec![other],
    }
}
