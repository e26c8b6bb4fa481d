//! Help (generated from the keymap, so it cannot lie) and the load-warnings list.

use crate::app::command::Command;
use crate::app::layer::{Layer, Section};
use crate::app::nav::{Step, View};
use crate::app::{App, Overlay};
use crate::model::sanitize::visible;
use crate::model::warning::Severity;
use crate::model::warning_log::unlisted_line;
use crate::theme::{Meaning, Theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, overlay: Overlay) {
    let area = centered(frame.area());
    let key = |c| app.key_for(Layer::of(overlay), c);
    let (title, lines, scroll) = match overlay {
        Overlay::Help { scroll } => (
            format!(" help: keys ({} to close) ", key(Command::Back)),
            help_lines(app, theme, area.width.saturating_sub(2) as usize),
            scroll,
        ),
        Overlay::Warnings { scroll } => (
            format!(" load warnings ({} to close) ", key(Command::Back)),
            warning_lines(app, theme, scroll, area.height as usize),
            0,
        ),
        Overlay::Columns { cursor } => (
            format!(
                " columns: {} toggles, {} closes ",
                key(Command::Accept),
                key(Command::Back)
            ),
            column_lines(app, theme, cursor),
            0,
        ),
        Overlay::Marks { cursor } => (
            format!(
                " marked events: {} goes to one, {} on the table unmarks ",
                key(Command::Accept),
                app.key_for(Layer::Table, Command::ToggleMark)
            ),
            mark_lines(app, theme, cursor),
            cursor.saturating_sub(5),
        ),
        Overlay::Findings { cursor } => {
            let (lines, cursor_line) = super::findings::lines(app, theme, cursor);
            // Rows on screen above the cursor's line: long lines wrap.
            let inner = usize::from(area.width.saturating_sub(2)).max(1);
            let cursor_row: usize = lines[..cursor_line.min(lines.len())]
                .iter()
                .map(|l| l.width().div_ceil(inner).max(1))
                .sum();
            (
                format!(
                    " findings of the view, worst first: {} pivots to the events, {} suppresses, {} closes ",
                    key(Command::Accept),
                    key(Command::SuppressFinding),
                    key(Command::Back)
                ),
                lines,
                // The top (suppressions, the worst rule) stays in sight until the cursor nears the
                // bottom.
                cursor_row.saturating_sub(area.height.saturating_sub(4) as usize),
            )
        }
        Overlay::Views { cursor } => (
            format!(
                " views of the walk, newest first: {} goes to one, {} closes ",
                key(Command::Accept),
                key(Command::Back)
            ),
            view_lines(app, theme, cursor),
            cursor.saturating_sub(5),
        ),
        Overlay::Timeline { cursor, anchor } => (
            format!(
                " timeline: {}/{} move, {} starts a span, {} zooms in, {} closes ",
                key(Command::MoveLeft),
                key(Command::MoveRight),
                key(Command::StartSpan),
                key(Command::Accept),
                key(Command::Back)
            ),
            super::timeline::lines(app, theme, cursor, anchor),
            0,
        ),
        Overlay::Lineage { cursor } => {
            let (lines, cursor_row) =
                lineage_lines(app, theme, cursor, area.width.saturating_sub(2) as usize);
            (
                format!(
                    " credential lineage: {} pivots to the key, {} closes ",
                    key(Command::Accept),
                    key(Command::Back)
                ),
                lines,
                cursor_row.saturating_sub(3),
            )
        }
        Overlay::Fetch { cursor } => (
            format!(
                " LookupEvents: {} goes back to the time picked, {} closes ",
                key(Command::Accept),
                key(Command::Back)
            ),
            match &app.live {
                Some(live) => super::fetch::overlay_lines(app, live, theme, cursor),
                None => Vec::new(),
            },
            0,
        ),
    };
    let scroll = scroll.min(lines.len().saturating_sub(1));
    let block = Block::bordered()
        .border_style(theme.style(Meaning::BorderFocused))
        .title(Line::styled(title, theme.style(Meaning::Header)));
    frame.render_widget(Clear, area);
    let para = Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll as u16, 0));
    frame.render_widget(para, area);
}

/// `text` in rows of at most `width` (one row when there is no room to wrap sensibly).
fn hanging(text: &str, width: usize) -> Vec<String> {
    use crate::app::json_view::JsonTok;
    if width < 20 {
        return vec![text.to_string()];
    }
    crate::app::wrap::wrap(&vec![(JsonTok::Plain, text.to_string())], width)
        .into_iter()
        .map(|row| row.into_iter().map(|(_, t)| t).collect::<String>())
        .map(|row| row.trim_end().to_string())
        .collect()
}

fn centered(full: Rect) -> Rect {
    let w = full.width.saturating_sub(4).min(100);
    let h = full.height.saturating_sub(2);
    Rect::new(
        full.x + (full.width - w) / 2,
        full.y + (full.height - h) / 2,
        w,
        h,
    )
}

/// The key column's width in the help, with the two spaces after it.
const KEY_COLUMN: usize = 24;

fn help_lines<'a>(app: &'a App, theme: &Theme, width: usize) -> Vec<Line<'a>> {
    let key_style = theme.style(Meaning::HelpKey);
    let mut lines: Vec<Line> = Vec::new();
    // The table's keys first, under the overlay's title; then every other layer's, under
    // its name (keys a layer shares are listed once, in the shared section).
    for section in app.keymap.sections() {
        if section != Section::Layer(Layer::Table) {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!("  {}", section.title()),
                theme.style(Meaning::Header),
            ));
        }
        binding_lines(app, section, key_style, width, &mut lines);
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::raw("  Rows: "),
        Span::styled("errors", theme.style(Meaning::Error)),
        Span::raw(" and "),
        Span::styled("root", theme.style(Meaning::Root)),
        Span::raw(format!(
            " stand out; times are {} ({}: UTC, local, ages). Control characters in event data are shown as ",
            match app.time {
                crate::model::time_display::TimeDisplay::Utc => "UTC",
                crate::model::time_display::TimeDisplay::Local => "local",
                crate::model::time_display::TimeDisplay::Relative => "ages",
            },
            app.key_for(Layer::Table, Command::ToggleTime)
        )),
        Span::styled("\\x1b", theme.style(Meaning::Escaped)),
        Span::raw(", never sent to the terminal, and copied that way too."),
    ]));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "  Clipboard, mouse, themes",
        theme.style(Meaning::Header),
    ));
    lines.push(Line::raw(
        "  Copies use OSC 52: the terminal sets its own clipboard, so they work over SSH. Refused by: tmux without `set -g set-clipboard on`, the Linux console, terminals with it turned off (some ask first). Too large (over 74 kB): :export.",
    ));
    lines.push(Line::raw(
        "  Mouse: wheel scrolls, click selects, click a header sorts (again: reverses), drag the border between the panes. Shift+drag selects text in most terminals; mouse = false in config.toml gives the mouse back.",
    ));
    let next = app.key_for(Layer::Table, Command::NextTheme);
    lines.push(Line::raw(format!(
        "  Theme: {} ({next} next, :theme NAME); keys, themes and settings: `trailscope config --path`.",
        visible(app.theme_name())
    )));
    lines.extend(filter_help(app, theme));
    lines
}

/// A section's bindings: keys, then the description wrapped under itself.
fn binding_lines<'a>(
    app: &'a App,
    section: Section,
    key_style: ratatui::style::Style,
    width: usize,
    lines: &mut Vec<Line<'a>>,
) {
    for b in app.keymap.bindings_in(section) {
        let keys = b
            .keys
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        // Descriptions wrap under themselves, not under the keys (a user's own desc is
        // sanitized like any text from a file).
        let desc = visible(&b.desc).into_owned();
        let rows = hanging(&desc, width.saturating_sub(KEY_COLUMN));
        for (i, row) in rows.into_iter().enumerate() {
            let head = if i == 0 {
                format!("{keys:>w$}  ", w = KEY_COLUMN - 2)
            } else {
                " ".repeat(KEY_COLUMN)
            };
            lines.push(Line::from(vec![
                Span::styled(head, key_style),
                Span::raw(row),
            ]));
        }
    }
}

/// The filter language, from the same tables the parser uses.
fn filter_help<'a>(app: &App, theme: &Theme) -> Vec<Line<'a>> {
    use crate::filter::field::FIELDS;
    use crate::filter::preset::Preset;
    let key_style = theme.style(Meaning::HelpKey);
    let head = theme.style(Meaning::Header);
    let mut lines = vec![
        Line::raw(""),
        Line::styled(
            format!(
                "  Filter language ({})",
                app.key_for(Layer::Table, Command::Filter)
            ),
            head,
        ),
        Line::raw("  words: free text anywhere in the record, any case   field:value   field:=exact"),
        Line::raw("  a b: both   a | b, a or b: either   -a, !a, not a: not   ( ): group   \"quoted value\""),
        Line::raw("  a value with * or ? is a glob over the whole value; otherwise text fields match a substring"),
    ];
    for f in FIELDS {
        let names = f.names.join(", ");
        lines.push(Line::from(vec![
            Span::styled(format!("{names:>22}  "), key_style),
            Span::raw(f.help),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "  Presets (AND-ed with the filter; the key before each)",
        head,
    ));
    for p in Preset::ALL {
        let key = app.key_for(Layer::Table, Command::Preset(p));
        lines.push(Line::from(vec![
            Span::styled(
                format!("{:>22}  ", format!("{key} {}", p.name())),
                key_style,
            ),
            Span::raw(
                p.expression()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        ]));
    }
    lines
}

/// The tree around the selected event's credential; the cursor's line highlighted.
/// The lineage tree, one node per line where it fits; a node too long for the overlay wraps
/// under its own text, the guides drawn through its continuation rows. Also the row the
/// cursor's node starts on, for the scroll.
fn lineage_lines<'a>(
    app: &'a App,
    theme: &Theme,
    cursor: usize,
    width: usize,
) -> (Vec<Line<'a>>, usize) {
    use unicode_width::UnicodeWidthStr;
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor_row = 0;
    for (i, node) in app.lineage.iter().enumerate() {
        if i == cursor {
            cursor_row = lines.len();
        }
        let guide = format!(" {}", node.guide);
        let room = width.saturating_sub(guide.width()).max(20);
        let style = match i == cursor {
            true => theme.style(Meaning::Selected),
            false => ratatui::style::Style::default(),
        };
        for (row, text) in hanging(&node.compact_text(), room).into_iter().enumerate() {
            let lead = match row {
                0 => guide.clone(),
                _ => format!(" {}", node.continued),
            };
            lines.push(
                Line::from(vec![
                    Span::styled(lead, theme.style(Meaning::Dim)),
                    Span::raw(text),
                ])
                .style(style),
            );
        }
    }
    if app.lineage.len() <= 1 {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            " Nothing minted by or leading to this credential among the loaded events (AssumeRole, GetSessionToken, GetFederationToken, CreateAccessKey, GetRoleCredentials, Federate).",
            theme.style(Meaning::Dim),
        ));
    }
    // What the tree leaves out is said, never dropped silently.
    if app.lineage.len() >= crate::lineage::MAX_TREE_LINES {
        lines.push(Line::styled(
            format!(
                " The tree stops at {} credentials: pivot on a key further down to see its own.",
                crate::lineage::MAX_TREE_LINES
            ),
            theme.style(Meaning::Dim),
        ));
    }
    // The walk crosses into an account whose own events are not here: say so, and how to
    // fetch them when the session is live.
    for account in &app.lineage_elsewhere {
        let how = match &app.live {
            Some(_) => {
                format!(": `:account {account}` fetches them (the session's role assumed there)")
            }
            None => ": read them from its trail (or start with --accounts)".to_string(),
        };
        lines.push(Line::styled(
            format!(" Account {account}'s own events are not loaded, so what was done there is not in this tree{how}."),
            theme.style(Meaning::Warning),
        ));
    }
    let (unread, unmatched) = app.lineage_left_out();
    if unread > 0 {
        lines.push(Line::styled(
            format!(" {unread} minting event(s) succeeded without a readable new key (no responseElements): not in any tree; filter event:AssumeRole etc. to see them."),
            theme.style(Meaning::Dim),
        ));
    }
    if unmatched > 0 {
        lines.push(Line::styled(
            format!(" {unmatched} Identity Center grant(s) matched no AWSReservedSSO_ role session among the loaded events: not in any tree; filter event:GetRoleCredentials to see them."),
            theme.style(Meaning::Dim),
        ));
    }
    (lines, cursor_row)
}

/// The walk's views, newest first: the one on screen marked, each with its place in the
/// back/forward path when it has one. Filters can hold event values: shown escaped.
fn view_lines<'a>(app: &'a App, theme: &Theme, cursor: usize) -> Vec<Line<'a>> {
    let here = app.current_view();
    app.nav
        .history(&here)
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let place = if i == 0 {
                "on screen"
            } else if app
                .nav
                .back
                .iter()
                .any(|b| b.filter == v.filter && b.presets == v.presets)
            {
                "back"
            } else if app
                .nav
                .forward
                .iter()
                .any(|f| f.filter == v.filter && f.presets == v.presets)
            {
                "forward"
            } else {
                "branch left"
            };
            // Out of the breadcrumbs' context a narrowing step reads as its whole filter.
            let whole = View {
                step: Step::Replace,
                ..v.clone()
            };
            let line = Line::raw(format!(" {place:<11}  {}", visible(&whole.label())));
            if i == cursor {
                line.style(theme.style(Meaning::Selected))
            } else {
                line
            }
        })
        .collect()
}

/// One line per marked event: when, what, who, from where, and its note (all escaped).
fn mark_lines<'a>(app: &'a App, theme: &Theme, cursor: usize) -> Vec<Line<'a>> {
    use crate::model::column::Column;
    let marked = app.marked();
    if marked.is_empty() {
        let mark = app.key_for(
            crate::app::layer::Layer::Table,
            crate::app::command::Command::ToggleMark,
        );
        return vec![Line::raw(format!(
            " Nothing marked yet: {mark} marks the selected event."
        ))];
    }
    marked
        .iter()
        .enumerate()
        .map(|(i, &idx)| {
            let e = app.store.event(idx);
            let cells: Vec<String> = [
                Column::Time,
                Column::Event,
                Column::Principal,
                Column::SourceIp,
            ]
            .iter()
            .map(|&c| visible(&app.cell_text(c, e)).into_owned())
            .collect();
            let note = app
                .notes
                .get(&idx)
                .map(|n| format!("  ✎ {}", visible(n)))
                .unwrap_or_default();
            let line = Line::raw(format!(" ● {}{note}", cells.join("  ")));
            if i == cursor {
                line.style(theme.style(Meaning::Selected))
            } else {
                line
            }
        })
        .collect()
}

fn column_lines<'a>(app: &'a App, theme: &Theme, cursor: usize) -> Vec<Line<'a>> {
    use crate::model::column::ALL_COLUMNS;
    let (shown, _) = app.fitted_columns(app.layout().table.width);
    ALL_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mark = if app.columns.contains(c) {
                "[x]"
            } else {
                "[ ]"
            };
            // Chosen but not drawn: the table is too narrow for it (small terminals).
            let hidden = if app.columns.contains(c) && !shown.contains(c) {
                "  (hidden: the table is too narrow)"
            } else {
                ""
            };
            let line = Line::raw(format!(" {mark} {}{hidden}", c.header()));
            if i == cursor {
                line.style(theme.style(Meaning::Selected))
            } else {
                line
            }
        })
        .collect()
}

/// Only the rows that can be on screen: the log is bounded, but drawing stays per screen.
fn warning_lines(app: &App, theme: &Theme, scroll: usize, height: usize) -> Vec<Line<'static>> {
    let log = &app.warnings;
    if log.is_empty() {
        return vec![Line::raw("No warnings: every input was read completely.")];
    }
    let scroll = scroll.min(log.rows().saturating_sub(1));
    let kept = log.kept().skip(scroll).take(height).map(|k| {
        let (label, meaning) = match k.warning.severity {
            Severity::Problem => ("problem", Meaning::Warning),
            Severity::Note => ("note   ", Meaning::Dim),
        };
        Line::from(vec![
            Span::styled(format!("{label} "), theme.style(meaning)),
            Span::raw(visible(&k.to_string()).into_owned()),
        ])
    });
    let unlisted = (log.unlisted() > 0)
        .then(|| Line::styled(unlisted_line(log.unlisted()), theme.style(Meaning::Dim)));
    kept.chain(unlisted).take(height).collect()
}
