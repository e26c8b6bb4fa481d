//! The terminal: raw mode and the alternate screen on the way in, and a restore that runs on
//! every way out: normal exit, error, panic (hook) and signals (handled by the runtime).

use crossterm::cursor::{Hide, Show};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{self, Stdout};
use std::sync::{Mutex, OnceLock};
use std::thread::ThreadId;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal while the TUI runs; dropping it puts the terminal back.
pub struct TerminalGuard {
    pub terminal: Term,
}

impl TerminalGuard {
    /// `mouse`: the app takes the mouse (wheel, clicks, drags); otherwise the terminal keeps
    /// it for its own text selection.
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        let entered = execute!(
            io::stdout(),
            EnterAlternateScreen,
            Hide,
            EnableBracketedPaste
        )
        .and_then(|()| {
            if mouse {
                execute!(io::stdout(), EnableMouseCapture)
            } else {
                Ok(())
            }
        });
        if let Err(e) = entered {
            restore();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => Ok(TerminalGuard { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        // Unwinding from a panic nobody caught: its words, now that they can be read.
        if let Some(words) = take_ui_panic() {
            eprintln!("trailscope: internal error: {words}");
        }
    }
}

/// Idempotent: safe to call from the panic hook and from `Drop` both.
pub fn restore() {
    // Mouse reporting off whether or not it was on: a shell left with it on prints garbage
    // at every click.
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
    let _ = disable_raw_mode();
}

/// The thread that draws the screen, and what a panic on it said: printed once the terminal
/// is back, by whoever restores it (the runtime after saving, or the guard while unwinding).
static UI_THREAD: OnceLock<ThreadId> = OnceLock::new();
static UI_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// The words of a panic on the UI thread, once.
pub fn take_ui_panic() -> Option<String> {
    UI_PANIC.lock().ok().and_then(|mut p| p.take())
}

fn install_panic_hook() {
    let _ = UI_THREAD.set(std::thread::current().id());
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if UI_THREAD.get() == Some(&std::thread::current().id()) {
            // Nothing printed into the alternate screen and nothing restored yet: the runtime
            // catches this, saves the investigation, then restores the terminal and says it.
            if let Ok(mut p) = UI_PANIC.lock() {
                *p = Some(info.to_string());
            }
            return;
        }
        if std::thread::current().name().is_some_and(is_reader) {
            // A reader catches its own panic and reports its input as failed; printing here
            // would scribble over the screen.
            return;
        }
        // Any other thread: the screen cannot be trusted any more.
        restore();
        previous(info);
    }));
}

/// Threads that read input and catch their own panics (`source::files`, `source::s3`).
fn is_reader(name: &str) -> bool {
    name.starts_with("load-") || name.starts_with("s3-parse")
}
