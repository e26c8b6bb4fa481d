//! The only impure loop: terminal input, source messages and timers → `update` → effects →
//! draw when something changed (at most ~60 times a second, never once per event).

mod jobs;

use crate::app::boot::{Boot, Start};
use crate::app::effect::Effect;
use crate::app::key::{Key, KeyCode};
use crate::app::msg::Msg;
use crate::app::msg::{Mouse, MouseKind};
use crate::app::session::SessionMeta;
use crate::app::{update, App};
use crate::config::startup::Startup;
use crate::job::CHANNEL_CAPACITY;
use crate::lake::runner::LakeContext;
use crate::session::db::Db;
use crate::session::saver::{Reply, Saver};
use crate::source::lookup::live::LookupContext;
use crate::terminal::TerminalGuard;
use crossterm::event::{Event as TermEvent, KeyEventKind, KeyModifiers};
use jobs::JobRunner;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const FRAME: Duration = Duration::from_millis(16);
/// Longest stretch of message handling before the screen is redrawn.
const DRAIN_BUDGET: Duration = Duration::from_millis(30);

pub struct RunOptions {
    /// What the session opens on.
    pub start: Start,
    /// How jobs reach AWS, for the sessions that do.
    pub reach: Reach,
    pub source_label: String,
    /// Settings, keymap and themes, resolved from every layer.
    pub startup: Startup,
    /// A filter to start with (`--filter`), already checked to parse.
    pub filter: Option<String>,
    /// The investigation: its name for autosave, or the state of one being reopened.
    pub session: SessionMeta,
    /// The session database; `Err` says why there is none (the app runs, without saving).
    pub db: Result<Db, String>,
}

/// How a session's jobs reach AWS: LookupEvents (profile, pace), Lake (profile, region) and
/// Athena (profile, region, workgroup).
#[derive(Default)]
pub struct Reach {
    pub lookup: Option<LookupContext>,
    pub lake: Option<LakeContext>,
    pub athena: Option<crate::athena::runner::AthenaContext>,
}

/// How the session ended.
pub enum Outcome {
    Quit,
    Failed(String),
    /// Open this saved investigation instead.
    Open(String),
}

pub fn run(opts: RunOptions) -> Result<Outcome, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    rt.block_on(run_async(opts))
}

async fn run_async(opts: RunOptions) -> Result<Outcome, String> {
    let startup = opts.startup;
    let mut guard = TerminalGuard::enter(startup.settings.mouse)
        .map_err(|e| format!("cannot set up the terminal: {e}"))?;
    let size = guard
        .terminal
        .size()
        .map_err(|e| format!("cannot read the terminal size: {e}"))?;
    let boot = Boot {
        start: opts.start,
        keymap: startup.keymap.clone(),
        source_label: opts.source_label,
        width: size.width,
        height: size.height,
        clock_origin: crate::model::time::EventTime::now(),
        tz: jiff::tz::TimeZone::system(),
        filter: opts.filter,
        session: opts.session,
    };
    // After the reopened investigation's state: the settings already hold it, under the
    // command line's.
    let (mut app, mut effects_at_start) = App::boot(boot, |app| startup.apply_to(app));
    for problem in &startup.themes.problems {
        app.warnings.push(crate::model::warning::Warning::problem(
            &std::sync::Arc::from("themes"),
            crate::model::warning::Location::WholeFile,
            format!("theme not loaded: {problem}"),
        ));
    }
    let themes = startup.themes.themes;
    let (reply_tx, mut reply_rx) = mpsc::unbounded_channel();
    let mut db_error = None;
    let mut saver = match opts.db {
        Ok(db) => Some(Saver::start(db, reply_tx)),
        Err(why) => {
            db_error = Some(why.clone());
            if app.session.name.take().is_some() {
                app.warnings.push(crate::model::warning::Warning::problem(
                    &std::sync::Arc::from("sessions"),
                    crate::model::warning::Location::WholeFile,
                    format!("this investigation is not being saved: {why}"),
                ));
                let w = app.key_for(
                    crate::app::layer::Layer::Table,
                    crate::app::command::Command::ToggleWarnings,
                );
                app.notice = Some(format!("not saving this investigation: {w} says why"));
            }
            None
        }
    };
    let started = Instant::now();

    let mut term_rx = take_input();
    let (job_tx, mut job_rx) = mpsc::channel(CHANNEL_CAPACITY);
    let mut runner = JobRunner::new(job_tx, opts.reach);

    let mut signals = Signals::new();
    let mut ticker = tokio::time::interval(Duration::from_millis(100));
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    // A panic in the core or the drawing (a bug) ends the session, but the investigation is
    // saved first and the terminal restored before the words are printed.
    let mut panicked = false;
    let planted = planted_panic();
    macro_rules! step {
        ($run:lifetime, $msg:expr) => {{
            let msg = $msg;
            let stepped = catch_unwind(AssertUnwindSafe(|| {
                trip(&planted, &msg);
                update(&mut app, msg)
            }));
            match stepped {
                Ok(effects) => effects,
                Err(_) => {
                    panicked = true;
                    break $run internal_error();
                }
            }
        }};
    }
    let outcome = 'run: loop {
        if dirty && last_draw.elapsed() >= FRAME {
            let drawn = catch_unwind(AssertUnwindSafe(|| {
                guard
                    .terminal
                    .draw(|f| match themes.get(app.theme) {
                        Some(theme) => crate::ui::draw(f, &app, theme),
                        None => crate::ui::draw(f, &app, &crate::theme::Theme::empty()),
                    })
                    .map(drop)
            }));
            let Ok(drawn) = drawn else {
                panicked = true;
                break 'run internal_error();
            };
            drawn.map_err(|e| format!("cannot draw: {e}"))?;
            last_draw = Instant::now();
            dirty = false;
        }
        let next_frame = tokio::time::Instant::from_std(last_draw + FRAME);
        let first = tokio::select! {
            Some(m) = term_rx.recv() => Some(m),
            Some((job, m)) = job_rx.recv() => Some(Msg::Job(job, m)),
            Some(r) = reply_rx.recv() => Some(reply_msg(r)),
            _ = ticker.tick() => None,
            _ = tokio::time::sleep_until(next_frame), if dirty => None,
            // Pending filter work runs whenever nothing else is ready.
            _ = std::future::ready(()), if app.wants_work() => None,
            name = signals.recv() => break Outcome::Failed(format!("stopped by {name}")),
        };
        let mut effects = step!('run, Msg::Tick(started.elapsed().as_millis() as u64));
        dirty |= app.load.loading;
        if let Some(msg) = first {
            effects.extend(step!('run, msg));
            dirty = true;
        }
        // Drain what is ready, then draw once.
        let budget = Instant::now() + DRAIN_BUDGET;
        while Instant::now() < budget {
            let msg = match term_rx.try_recv() {
                Ok(m) => m,
                Err(_) => match job_rx.try_recv() {
                    Ok((job, m)) => Msg::Job(job, m),
                    Err(_) => match reply_rx.try_recv() {
                        Ok(r) => reply_msg(r),
                        Err(_) => break,
                    },
                },
            };
            effects.extend(step!('run, msg));
            dirty = true;
        }
        // One slice of filtering per turn, after input: keys are never queued behind a scan.
        if app.wants_work() {
            effects.extend(step!('run, Msg::Work));
            dirty = true;
        }
        effects.splice(0..0, effects_at_start.drain(..));
        // Effects answered at once (a file written, no database to ask) answer with messages.
        while !effects.is_empty() {
            let mut answers = Vec::new();
            for effect in std::mem::take(&mut effects) {
                if let Some(end) = perform(effect, &mut runner, &saver, &db_error, &mut answers) {
                    break 'run end;
                }
            }
            for msg in answers {
                effects.extend(step!('run, msg));
                dirty = true;
            }
        }
    };
    // A query still running would keep scanning (and billing) after we are gone.
    runner.shutdown().await;
    if panicked {
        // Saved while the screen still shows the last frame, before anything else can fail.
        final_save(saver.take(), &mut app);
    }
    drop(guard);
    // The input thread outlives this session (it blocks in `read`): the next session (an
    // investigation opened from the picker) takes its keys from here, so none is lost.
    give_back_input(term_rx);
    // The last state, whatever ended the session (q, a signal, an error): the terminal is
    // already restored, so a long final save is not a frozen screen.
    final_save(saver, &mut app);
    Ok(outcome)
}

fn final_save(saver: Option<Saver>, app: &mut App) {
    let Some(saver) = saver else { return };
    if let Some(job) = crate::app::session::autosave(app, true) {
        if job.new_events.len() > 50_000 {
            // Seconds of compressing: say why the prompt is not back yet.
            eprintln!(
                "trailscope: saving {} events to {}…",
                job.new_events.len(),
                crate::model::sanitize::visible(&job.name)
            );
        }
        saver.save(job);
    }
    saver.finish();
}

/// Debug builds only (the tests' binary): a key named by `TRAILSCOPE_DEBUG_PANIC_KEY` makes
/// the next step panic, so `tests/e2e_panic.rs` can check that a bug saves the investigation
/// and gives the terminal back. Release builds have no such key.
#[cfg(debug_assertions)]
fn planted_panic() -> Option<Key> {
    std::env::var("TRAILSCOPE_DEBUG_PANIC_KEY")
        .ok()
        .and_then(|k| Key::parse(&k).ok())
}

#[cfg(not(debug_assertions))]
fn planted_panic() -> Option<Key> {
    None
}

fn trip(planted: &Option<Key>, msg: &Msg) {
    if let (Some(key), Msg::Key(pressed)) = (planted, msg) {
        if key == pressed {
            panic!("the planted test panic (TRAILSCOPE_DEBUG_PANIC_KEY)");
        }
    }
}

/// How a session that hit a bug ends: the panic's words and where the work is.
fn internal_error() -> Outcome {
    let words = crate::terminal::take_ui_panic().unwrap_or_else(|| "a panic".to_string());
    Outcome::Failed(format!(
        "internal error: {words}\nThe investigation was saved: `trailscope open` lists it. Please report this."
    ))
}

fn reply_msg(reply: Reply) -> Msg {
    match reply {
        Reply::Saved(s) => Msg::Saved(s),
        Reply::Sessions(list) => Msg::Sessions(list),
    }
}

/// Carries out one effect; `Some` when it ends the session.
fn perform(
    effect: Effect,
    runner: &mut JobRunner,
    saver: &Option<Saver>,
    db_error: &Option<String>,
    answers: &mut Vec<Msg>,
) -> Option<Outcome> {
    match effect {
        Effect::Save(job) => {
            if let Some(s) = saver {
                s.save(job);
            }
            None
        }
        Effect::ListSessions => {
            let asked = saver.as_ref().is_some_and(Saver::list);
            if !asked {
                let why = db_error
                    .clone()
                    .unwrap_or_else(|| "the saver stopped".into());
                answers.push(Msg::Sessions(Err(format!("no session database: {why}"))));
            }
            None
        }
        Effect::OpenSession(name) => Some(Outcome::Open(name)),
        Effect::Copy { text, what } => {
            answers.push(Msg::Copied(crate::clipboard::send(&text, &what)));
            None
        }
        Effect::WriteFile { path, bytes, what } => {
            answers.push(Msg::Wrote(write_new_file(&path, &bytes).map(|()| what)));
            None
        }
        Effect::Quit => Some(Outcome::Quit),
        Effect::Fail(msg) => Some(Outcome::Failed(msg)),
        Effect::Start { job, spec } => {
            runner.start(job, *spec);
            None
        }
        Effect::Cancel(job) => {
            runner.cancel(job);
            None
        }
    }
}

/// Writes an export to a new file, private to the user (evidence is never overwritten; a
/// symbolic link there is replaced, not followed).
fn write_new_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    crate::export::file::write_new_bytes(path, bytes)
}

/// The terminal's keys, shared by every session this process runs.
static INPUT: std::sync::Mutex<Option<mpsc::UnboundedReceiver<Msg>>> = std::sync::Mutex::new(None);

/// The input channel: the one a previous session gave back, or a new one with its thread.
fn take_input() -> mpsc::UnboundedReceiver<Msg> {
    let kept = INPUT.lock().ok().and_then(|mut slot| slot.take());
    kept.unwrap_or_else(|| {
        let (tx, rx) = mpsc::unbounded_channel();
        spawn_input_thread(tx);
        rx
    })
}

fn give_back_input(rx: mpsc::UnboundedReceiver<Msg>) {
    if let Ok(mut slot) = INPUT.lock() {
        *slot = Some(rx);
    }
}

/// crossterm's `read` blocks, so it gets its own thread; it ends with the process.
fn spawn_input_thread(tx: mpsc::UnboundedSender<Msg>) {
    std::thread::spawn(move || loop {
        let msg = match crossterm::event::read() {
            Ok(TermEvent::Key(k)) if k.kind != KeyEventKind::Release => match convert_key(k) {
                Some(key) => Msg::Key(key),
                None => continue,
            },
            Ok(TermEvent::Resize(width, height)) => Msg::Resize { width, height },
            Ok(TermEvent::Mouse(m)) => match convert_mouse(m) {
                Some(m) => Msg::Mouse(m),
                None => continue,
            },
            Ok(TermEvent::Paste(text)) => Msg::Paste(text),
            Ok(_) => continue,
            Err(_) => return,
        };
        if tx.send(msg).is_err() {
            return;
        }
    });
}

/// The left button, drags and the wheel; the rest stays the terminal's.
fn convert_mouse(m: crossterm::event::MouseEvent) -> Option<Mouse> {
    use crossterm::event::{MouseButton, MouseEventKind as K};
    let kind = match m.kind {
        K::ScrollUp => MouseKind::ScrollUp,
        K::ScrollDown => MouseKind::ScrollDown,
        K::Down(MouseButton::Left) => MouseKind::Down,
        K::Drag(MouseButton::Left) => MouseKind::Drag,
        K::Up(MouseButton::Left) => MouseKind::Up,
        _ => return None,
    };
    Some(Mouse {
        kind,
        column: m.column,
        row: m.row,
    })
}

fn convert_key(k: crossterm::event::KeyEvent) -> Option<Key> {
    use crossterm::event::KeyCode as C;
    let code = match k.code {
        C::Char(c) => KeyCode::Char(c),
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Backspace => KeyCode::Backspace,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::Delete => KeyCode::Delete,
        C::F(n) => KeyCode::F(n),
        _ => return None,
    };
    Some(Key {
        code,
        ctrl: k.modifiers.contains(KeyModifiers::CONTROL),
        alt: k.modifiers.contains(KeyModifiers::ALT),
    })
}

/// SIGTERM, SIGHUP (the SSH session dropped) and SIGINT end the session cleanly, so the
/// terminal is restored instead of left in raw mode.
struct Signals {
    #[cfg(unix)]
    streams: Vec<(tokio::signal::unix::Signal, &'static str)>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let kinds = [
                (SignalKind::terminate(), "SIGTERM"),
                (SignalKind::hangup(), "SIGHUP"),
                (SignalKind::interrupt(), "SIGINT"),
            ];
            let streams = kinds
                .into_iter()
                .filter_map(|(k, n)| signal(k).ok().map(|s| (s, n)))
                .collect();
            Signals { streams }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn recv(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            if self.streams.is_empty() {
                return std::future::pending().await;
            }
            let futures = self.streams.iter_mut().map(|(s, n)| {
                let name = *n;
                Box::pin(async move {
                    s.recv().await;
                    name
                })
            });
            let (name, _, _) = futures_select_all(futures.collect()).await;
            name
        }
        #[cfg(not(unix))]
        std::future::pending().await
    }
}

/// Waits for the first of several futures (a tiny `select_all`, to avoid a dependency).
async fn futures_select_all<F: std::future::Future<Output = &'static str> + Unpin>(
    mut futs: Vec<F>,
) -> (&'static str, usize, ()) {
    std::future::poll_fn(move |cx| {
        for (i, f) in futs.iter_mut().enumerate() {
            if let std::task::Poll::Ready(v) = std::pin::Pin::new(f).poll(cx) {
                return std::task::Poll::Ready((v, i, ()));
            }
        }
        std::task::Poll::Pending
    })
    .await
}
