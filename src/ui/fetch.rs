//! LookupEvents progress: one line with every region (pages, events, throttles, how far back
//! it has read, its state), and the `t` overlay with the full story per region and the time
//! presets. Region names and error messages come from the user and from AWS: shown escaped.

use crate::app::fetch::{LiveFetch, TIME_PRESETS};
use crate::model::sanitize::visible;
use crate::model::time::EventTime;
use crate::source::lookup::accounts::Via;
use crate::source::lookup::progress::{FetchState, RegionFetch};
use crate::theme::{Meaning, Theme};
use crate::ui::text::{group, minute};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

pub fn draw_line(frame: &mut Frame, live: &LiveFetch, theme: &Theme, area: Rect) {
    // In full if it fits, else shorter, else only the totals (and where to see each region).
    let line = [counts, compact_counts]
        .into_iter()
        .map(|f| regions_line(live, theme, f))
        .find(|l| l.width() <= area.width as usize)
        .unwrap_or_else(|| summary_line(live, theme));
    frame.render_widget(Paragraph::new(line), area);
}

fn regions_line<'a>(
    live: &LiveFetch,
    theme: &Theme,
    counts: fn(&RegionFetch) -> String,
) -> Line<'a> {
    let dim = theme.style(Meaning::Dim);
    let mut spans = Vec::new();
    for (i, run) in live.regions.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" │ ", dim));
        }
        let p = &run.progress;
        let (mark, meaning) = state_mark(&p.state);
        spans.push(Span::styled(format!("{mark} "), theme.style(meaning)));
        spans.push(Span::raw(visible(&p.lane()).into_owned()));
        spans.push(Span::styled(format!(" {}", counts(p)), dim));
    }
    Line::from(spans)
}

/// `600 ev 1 thr ↓11-20 14:02`
fn compact_counts(p: &RegionFetch) -> String {
    let mut s = format!("{} ev", group(p.events as usize));
    if p.throttles > 0 {
        s.push_str(&format!(" {} thr", p.throttles));
    }
    if p.retries > 0 {
        s.push_str(&format!(" {} retry", p.retries));
    }
    if let Some(oldest) = p.oldest {
        s.push_str(&format!(" ↓{}", short(oldest)));
    }
    s
}

fn summary_line<'a>(live: &LiveFetch, theme: &Theme) -> Line<'a> {
    let count =
        |f: fn(&FetchState) -> bool| live.regions.iter().filter(|r| f(&r.progress.state)).count();
    let fetching = count(|s| *s == FetchState::Fetching);
    let done = count(|s| *s == FetchState::Done);
    let failed = count(|s| matches!(s, FetchState::Failed(_)));
    let paused = live.regions.len() - fetching - done - failed;
    let t = live.totals();
    let accounts = live.accounts().len();
    let mut parts = vec![match accounts {
        1 => format!("{} regions:", live.regions.len()),
        n => format!("{n} accounts × {} regions:", live.region_names().len()),
    }];
    for (n, what) in [
        (fetching, "fetching"),
        (paused, "paused"),
        (done, "done"),
        (failed, "failed"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let text = format!("{} · {} · t shows each region", parts.join(" "), counts(&t));
    let meaning = if failed > 0 {
        Meaning::Warning
    } else {
        Meaning::Normal
    };
    Line::styled(text, theme.style(meaning))
}

fn state_mark(state: &FetchState) -> (&'static str, Meaning) {
    match state {
        FetchState::Fetching => ("⟳", Meaning::StatusAccent),
        FetchState::Done => ("✓", Meaning::Normal),
        FetchState::Paused => ("‖", Meaning::Dim),
        FetchState::Failed(_) => ("✗", Meaning::Error),
    }
}

fn state_word(state: &FetchState) -> &'static str {
    match state {
        FetchState::Fetching => "fetching",
        FetchState::Done => "done",
        FetchState::Paused => "paused",
        FetchState::Failed(_) => "failed",
    }
}

/// `12 pages · 600 events · 1 throttle · back to 11-20 14:02`
fn counts(p: &RegionFetch) -> String {
    let plural = |n: u64, one: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{} {one}s", group(n as usize)),
    };
    let mut s = format!(
        "{} · {}",
        plural(p.pages.into(), "page"),
        plural(p.events, "event")
    );
    if p.throttles > 0 {
        s.push_str(&format!(" · {}", plural(p.throttles.into(), "throttle")));
    }
    if p.retries > 0 {
        let retries = match p.retries {
            1 => "1 retry".to_string(),
            n => format!("{n} retries"),
        };
        s.push_str(&format!(" · {retries}"));
    }
    if let Some(oldest) = p.oldest {
        s.push_str(&format!(" · back to {}", short(oldest)));
    }
    s
}

/// `11-20 14:02`: enough to follow progress, short enough for many regions on a line.
fn short(t: EventTime) -> String {
    let full = t.format_utc();
    full.get(5..16).unwrap_or(&full).to_string()
}

/// The `t` overlay: how far back to go (the cursor's list), then every region in full.
pub fn overlay_lines<'a>(
    app: &crate::app::App,
    live: &LiveFetch,
    theme: &Theme,
    cursor: usize,
) -> Vec<Line<'a>> {
    use crate::app::command::Command as C;
    use crate::app::layer::Layer;
    let now = app.now();
    let hint = |layer, command| app.key_for(layer, command);
    let head = theme.style(Meaning::Header);
    let key = theme.style(Meaning::HelpKey);
    let reached = live.reached();
    let mut lines = vec![
        Line::styled(
            format!(
                "  Window {} → {} UTC · {}",
                minute(live.start),
                minute(live.end),
                held(live)
            ),
            head,
        ),
        Line::raw(format!("  {}", visible(&live.plan.describe()))),
    ];
    // What failed comes first: on a small terminal the list below runs off the screen.
    for (lane, why) in failures(live) {
        lines.push(Line::styled(
            format!("  ✗ {}: {}", visible(&lane), visible(&why)),
            theme.style(Meaning::Error),
        ));
    }
    lines.extend([
        Line::raw(""),
        Line::styled(
            format!(
                "  Go back to… ({} fetches what is missing)",
                hint(Layer::Fetch, C::Accept)
            ),
            head,
        ),
    ]);
    let now_ms = now.millis().unwrap_or(0);
    for (i, (name, age)) in TIME_PRESETS.iter().enumerate() {
        let from = EventTime::from_millis(now_ms.saturating_sub(*age));
        let held = if from >= reached { "  (held)" } else { "" };
        let line = Line::from(vec![
            Span::styled(format!("  {name:>5}  "), key),
            Span::raw(format!("since {}{held}", minute(from))),
        ]);
        lines.push(if i == cursor {
            line.style(theme.style(Meaning::Selected))
        } else {
            line
        });
    }
    lines.push(Line::raw(format!(
        "  {}: any time (2026-05-01, 36h) or a count of events · {}: load more · {} on the table: stop",
        hint(Layer::Table, C::LoadUntil),
        hint(Layer::Table, C::LoadMore),
        hint(Layer::Table, C::Back)
    )));
    lines.push(Line::raw(""));
    let several = live.accounts().len() > 1;
    lines.push(Line::styled(
        match several {
            true => "  Accounts and their regions",
            false => "  Regions",
        },
        head,
    ));
    for via in live.accounts() {
        if several {
            lines.push(Line::styled(
                format!("  {}", visible(&account_heading(live, &via))),
                head,
            ));
        }
        region_lines(live, &via, theme, several, &mut lines);
    }
    lines
}

/// The failed lanes, one line per account and reason: `444455556666 eu-west-1, us-east-1`
/// and why (a refused role fails every region of its account the same way).
fn failures(live: &LiveFetch) -> Vec<(String, String)> {
    let mut out: Vec<(String, Vec<String>, String)> = Vec::new();
    for run in &live.regions {
        let FetchState::Failed(why) = &run.progress.state else {
            continue;
        };
        let account = run.progress.account.clone();
        let region = run.progress.region.clone();
        match out.iter_mut().find(|(a, _, w)| *a == account && w == why) {
            Some((_, regions, _)) => regions.push(region),
            None => out.push((account, vec![region], why.clone())),
        }
    }
    out.into_iter()
        .map(|(account, regions, why)| {
            let lane = match account.as_str() {
                "" => regions.join(", "),
                a => format!("{a} {}", regions.join(", ")),
            };
            (lane, why)
        })
        .collect()
}

/// `444455556666 · role OrganizationAccountAccessRole · 2 regions, 1 failed`
fn account_heading(live: &LiveFetch, via: &Via) -> String {
    let runs: Vec<&RegionFetch> = live
        .regions
        .iter()
        .filter(|r| r.via == *via)
        .map(|r| &r.progress)
        .collect();
    let failed = runs
        .iter()
        .filter(|p| matches!(p.state, FetchState::Failed(_)))
        .count();
    let events: u64 = runs.iter().map(|p| p.events).sum();
    let name = match via.label() {
        "" => "this account",
        label => label,
    };
    let how = match via {
        Via::Own => String::new(),
        Via::Role { role, .. } => format!(" · role {role}"),
        Via::Profile(_) => " · profile".to_string(),
    };
    let mut s = format!("{name}{how} · {} events", group(events as usize));
    if failed > 0 {
        s.push_str(&format!(" · {failed} of {} failed", runs.len()));
    }
    s
}

/// One account's regions in the overlay, indented under its heading when there are several.
fn region_lines<'a>(
    live: &LiveFetch,
    via: &Via,
    theme: &Theme,
    indent: bool,
    lines: &mut Vec<Line<'a>>,
) {
    let pad = if indent { "  " } else { "" };
    for run in live.regions.iter().filter(|r| r.via == *via) {
        let p = &run.progress;
        let (mark, meaning) = state_mark(&p.state);
        lines.push(Line::from(vec![
            Span::styled(format!("  {pad}{mark} "), theme.style(meaning)),
            Span::raw(format!(
                "{:<15} {:<9} {}",
                visible(&p.region),
                state_word(&p.state),
                counts(p)
            )),
        ]));
        if let FetchState::Failed(why) = &p.state {
            lines.push(Line::styled(
                format!("      {pad}{}", visible(why)),
                theme.style(Meaning::Error),
            ));
        } else if let Some(problem) = &p.last_problem {
            // A failure that was retried: say what it was, even once overcome.
            lines.push(Line::styled(
                format!("      {pad}last problem: {}", visible(problem)),
                theme.style(Meaning::Warning),
            ));
        }
    }
}

/// How much of the window is held in every region: "all held back to 11-19 02:00", or, when a
/// region has nothing yet (a failed start, no credentials), "nothing held yet" rather than
/// the window's end dressed up as a time reached.
pub(crate) fn held(live: &crate::app::fetch::LiveFetch) -> String {
    let reached = live.reached();
    if reached >= live.end {
        "nothing held yet".to_string()
    } else {
        format!("all held back to {}", minute(reached))
    }
}

#[cfg(test)]
mod tests {
    use crate::app::fetch::LiveFetch;
    use crate::model::time::EventTime;
    use crate::source::lookup::progress::{FetchState, RegionFetch};

    /// A region that failed before its first event (no credentials) holds nothing: the status
    /// says so instead of "all held back to" the window's end (issue 21, item 6).
    #[test]
    fn nothing_held_is_not_a_time_reached() {
        let t = |s| EventTime::parse(s).expect("time");
        let plan = crate::source::lookup::plan::plan(
            &crate::filter::parse("").expect("filter"),
            t("2026-11-21T12:00:00Z"),
        );
        let window = (t("2026-11-20T12:00:00Z"), t("2026-11-21T12:00:00Z"));
        let (mut live, _) = LiveFetch::new(plan, &["us-east-1".to_string()], window, Some(50), 50);
        live.regions[0].progress = RegionFetch {
            state: FetchState::Failed("no usable AWS credentials".to_string()),
            ..RegionFetch::idle("us-east-1")
        };
        assert_eq!(super::held(&live), "nothing held yet");
        live.regions[0].progress = RegionFetch {
            state: FetchState::Paused,
            events: 50,
            oldest: Some(t("2026-11-21T02:00:00Z")),
            ..RegionFetch::idle("us-east-1")
        };
        assert_eq!(super::held(&live), "all held back to 2026-11-21 02:00");
    }
}
