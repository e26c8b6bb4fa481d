//! The reducer's part for detections: rules run as events arrive, the findings view (`!`)
//! and its pivot, and suppressions.

use super::walk::pivot_to;
use super::{reanchor, App, Overlay};
use crate::app::prompt::{Prompt, PromptKind};
use crate::detect::Suppression;
use crate::filter::facet::quote;

/// Runs the rules over the events that arrived (and the cross-event rules when `own`); a
/// view on `finding:` and an open findings view follow the change.
pub(super) fn detect(app: &mut App, own: bool) {
    let now = app.now();
    if own {
        app.own_rules_ms = Some(app.now_ms);
    }
    let started = std::time::Instant::now();
    let changed = app.detector.update(&mut app.store, now, own);
    if own {
        app.own_rules_took_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    }
    if changed {
        after_change(app);
    }
}

fn after_change(app: &mut App) {
    app.filter.findings_changed();
    if app.profile_pane {
        super::refresh_profile(app);
    }
    if matches!(app.overlay, Some(Overlay::Findings { .. })) {
        regroup(app);
    }
}

/// The view's findings, worst first.
fn regroup(app: &mut App) {
    let rows = app.filter.rows.as_deref();
    app.findings = app.detector.groups(&app.store, rows);
}

pub(super) fn open(app: &mut App) {
    // Everything that arrived, the cross-event rules included, before listing.
    app.own_rules_ms = Some(app.now_ms);
    let now = app.now();
    if app.detector.update(&mut app.store, now, true) {
        app.filter.findings_changed();
    }
    super::finish_work(app);
    regroup(app);
    app.overlay = Some(Overlay::Findings { cursor: 0 });
}

/// Lines the overlay can move over: one per group.
pub(super) fn rows(app: &App) -> usize {
    app.findings.len()
}

/// Enter: the group's events (its rule, by its principal) as a new view.
pub(super) fn pivot(app: &mut App, cursor: usize) {
    let Some(g) = app.findings.get(cursor) else {
        return;
    };
    let Some(rule) = app.detector.rule(g.rule) else {
        return;
    };
    let term = format!(
        "finding:{} principal:={}",
        quote(&rule.id),
        quote(&g.principal)
    );
    let first = g.events.first().copied();
    app.overlay = None;
    app.table.anchor = first;
    pivot_to(app, term);
    app.table.anchor = first;
    super::finish_work(app);
    reanchor(app);
}

/// `x`: the command line, filled in for this group's rule and principal; the user gives why.
pub(super) fn ask_suppress(app: &mut App, cursor: usize) {
    let Some(g) = app.findings.get(cursor) else {
        return;
    };
    let Some(rule) = app.detector.rule(g.rule) else {
        return;
    };
    let text = format!(
        "suppress rule {} principal {} ",
        rule.id,
        word(&g.principal)
    );
    app.overlay = None;
    app.prompt = Some(Prompt::open(PromptKind::Command, &text));
}

/// A value as one word of the command line (spaces would split it).
fn word(value: &str) -> String {
    value.replace(' ', "\u{a0}")
}

fn unword(value: &str) -> String {
    value.replace('\u{a0}', " ")
}

fn parse(operand: &str) -> Result<Suppression, String> {
    let words: Vec<String> = operand.split_whitespace().map(unword).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    Suppression::parse(&words)
}

pub(super) fn suppress(app: &mut App, operand: &str) -> Result<(), String> {
    let s = parse(operand)?;
    let scope = s.scope();
    app.detector.suppress(&mut app.store, s);
    app.notice = Some(format!(
        "suppressed {scope} (listed in the findings view, saved with the investigation)"
    ));
    after_change(app);
    Ok(())
}

pub(super) fn unsuppress(app: &mut App, operand: &str) -> Result<(), String> {
    let words: Vec<String> = operand.split_whitespace().map(unword).collect();
    let mut words: Vec<&str> = words.iter().map(String::as_str).collect();
    words.push("-");
    let scope = Suppression::parse(&words)?.scope();
    if !app.detector.unsuppress(&mut app.store, &scope) {
        return Err(format!("nothing is suppressed for {scope}"));
    }
    app.notice = Some(format!("{scope} no longer suppressed"));
    after_change(app);
    Ok(())
}

#[cfg(test)]
mod pace_tests {
    use crate::app::App;
    use crate::keymap::Keymap;
    use crate::model::record::Record;

    /// Records with IDs of their own (the store drops repeats).
    fn records(from: usize, to: usize) -> Vec<Record> {
        (from..to)
            .map(|n| Record {
                event_id: Some(format!("e{n}").into()),
                ..Record::default()
            })
            .collect()
    }

    /// While a load streams in, a slow run of the cross-event rules spaces the next one out.
    #[test]
    fn cross_event_rules_run_four_times_their_length_apart_while_loading() {
        let mut app = App::new(Keymap::default_keymap(), "t".into(), 80, 24);
        app.store.insert_batch(records(0, 1));
        app.load.loading = true;
        app.own_rules_ms = Some(0);
        app.now_ms = 1500;
        assert!(app.own_rules_due(), "a quick run: once a second");
        app.own_rules_took_ms = 2000;
        assert!(!app.own_rules_due());
        app.now_ms = 8000;
        assert!(app.own_rules_due(), "four times 2 s after the last run");
        app.now_ms = 10;
        app.load.loading = false;
        assert!(app.own_rules_due(), "the load is over: at once");
    }

    /// While a load streams in, the cross-event rules wait for the store to grow by half.
    #[test]
    fn cross_event_rules_wait_for_the_store_to_grow_by_half_while_loading() {
        let mut app = App::new(Keymap::default_keymap(), "t".into(), 80, 24);
        app.store.insert_batch(records(0, 10));
        app.load.loading = true;
        assert!(app.own_rules_due(), "never run: at once");
        super::detect(&mut app, true);
        assert_eq!(app.detector.own_seen(), 10);
        app.store.insert_batch(records(10, 14));
        let ran = app.own_rules_ms.unwrap_or(0);
        app.now_ms = ran + 20_000;
        assert!(
            !app.own_rules_due(),
            "14 events after a run over 10: not yet"
        );
        app.now_ms = ran + 30_000;
        assert!(
            app.own_rules_due(),
            "events trickling in: every half minute"
        );
        app.now_ms = ran + 20_000;
        app.store.insert_batch(records(14, 15));
        assert!(app.own_rules_due(), "15 is half as many again");
        app.store.insert_batch(records(15, 16));
        super::detect(&mut app, true);
        app.store.insert_batch(records(16, 17));
        app.load.loading = false;
        assert!(
            app.own_rules_due(),
            "the load is over: at once, however few arrived"
        );
    }
}
