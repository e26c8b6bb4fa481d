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

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Restore first, or the panic message lands in the alternate screen and vanishes.
        restore();
        previous(info);
    }));
}
