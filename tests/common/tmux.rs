//! A real terminal for end-to-end tests: the real binary runs in tmux (on a private socket),
//! keys are typed with send-keys and the screen is read with capture-pane. Waits poll the
//! screen with a deadline; nothing sleeps and hopes.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
    /// Saved investigations go here (TRAILSCOPE_DATA_DIR), never to the user's own.
    pub data_dir: tempfile::TempDir,
    /// Configuration is read from here (TRAILSCOPE_CONFIG_DIR): empty unless a test writes it.
    pub config_dir: tempfile::TempDir,
}

fn run(args: &[&str]) -> Output {
    Command::new("tmux").args(args).output().unwrap_or_else(|e| {
        panic!("tmux is needed for end-to-end tests (apt-get install tmux; .ci/run installs it): {e}")
    })
}

impl Tmux {
    /// Starts a shell in a `width`×`height` terminal.
    pub fn start(name: &str, width: u16, height: u16) -> Tmux {
        let socket = format!("trailscope-e2e-{name}-{}", std::process::id());
        let data_dir = tempfile::tempdir().expect("a temporary data directory");
        let data_env = format!("TRAILSCOPE_DATA_DIR={}", data_dir.path().display());
        let config_dir = tempfile::tempdir().expect("a temporary config directory");
        let config_env = format!("TRAILSCOPE_CONFIG_DIR={}", config_dir.path().display());
        let t = Tmux {
            socket,
            data_dir,
            config_dir,
        };
        let (w, h) = (width.to_string(), height.to_string());
        // A plain shell with a fixed prompt, so what we read is ours.
        let out = run(&[
            "-L",
            &t.socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            &w,
            "-y",
            &h,
            "env",
            "PS1=READY>",
            "TERM=xterm-256color",
            &data_env,
            &config_env,
            "sh",
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        t
    }

    pub fn send_line(&self, line: &str) {
        self.send_literal(line);
        self.send_keys(&["Enter"]);
    }

    pub fn send_literal(&self, text: &str) {
        let out = run(&["-L", &self.socket, "send-keys", "-t", "e2e", "-l", text]);
        assert!(out.status.success());
    }

    pub fn send_keys(&self, keys: &[&str]) {
        let mut args = vec!["-L", &self.socket, "send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        assert!(run(&args).status.success());
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(
            &run(&["-L", &self.socket, "capture-pane", "-p", "-t", "e2e"]).stdout,
        )
        .into_owned()
    }

    /// The screen with its colours and attributes as escape sequences, trailing spaces kept
    /// (a coloured bar is spaces too): capture-pane -e -N.
    pub fn screen_escaped(&self) -> String {
        String::from_utf8_lossy(
            &run(&[
                "-L",
                &self.socket,
                "capture-pane",
                "-e",
                "-N",
                "-p",
                "-t",
                "e2e",
            ])
            .stdout,
        )
        .into_owned()
    }

    /// A tmux command on this test's server (`set -g set-clipboard on`, `show-buffer`…).
    pub fn tmux(&self, args: &[&str]) -> Output {
        let mut all = vec!["-L", &self.socket];
        all.extend_from_slice(args);
        run(&all)
    }

    pub fn format(&self, fmt: &str) -> String {
        let out = run(&[
            "-L",
            &self.socket,
            "display-message",
            "-p",
            "-t",
            "e2e",
            fmt,
        ]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The screen once it satisfies `pred`, or `None` after `secs`.
    pub fn try_wait_for(&self, secs: u64, pred: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return Some(screen);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits until the screen satisfies `pred`; panics with the screen after `secs`.
    pub fn wait_for(&self, what: &str, secs: u64, pred: impl Fn(&str) -> bool) -> String {
        self.try_wait_for(secs, pred)
            .unwrap_or_else(|| panic!("timed out waiting for {what}; screen:\n{}", self.screen()))
    }

    pub fn wait_text(&self, text: &str, secs: u64) -> String {
        self.wait_for(&format!("{text:?}"), secs, |s| s.contains(text))
    }

    /// Waits until the screen stops changing (colours included, the status bar aside: its
    /// timings tick) for `quiet`: a frame's first rows can reach tmux before its last ones on
    /// a busy machine, so a picture taken the moment one text appears may be half of a frame.
    /// Returns the settled screen.
    pub fn settled_escaped(&self, quiet: Duration, secs: u64) -> String {
        self.settle(quiet, secs, Tmux::screen_escaped)
    }

    /// The same as `settled_escaped`, for the plain text.
    pub fn settled(&self, quiet: Duration, secs: u64) -> String {
        self.settle(quiet, secs, Tmux::screen)
    }

    fn settle(&self, quiet: Duration, secs: u64, capture: fn(&Tmux) -> String) -> String {
        let above_status = |screen: &str| {
            let rows: Vec<&str> = screen.lines().collect();
            rows[..rows.len().saturating_sub(1)].join("\n")
        };
        let deadline = Instant::now() + Duration::from_secs(secs);
        let mut last = capture(self);
        let mut since = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(25));
            let now = capture(self);
            if above_status(&now) != above_status(&last) {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return now;
            }
            if Instant::now() > deadline {
                panic!("the screen never settled; last:\n{last}");
            }
        }
    }

    /// Any tmux command on this server (`set-option …`, `list-buffers`); its standard output.
    pub fn command(&self, args: &[&str]) -> String {
        let mut all = vec!["-L", self.socket.as_str()];
        all.extend_from_slice(args);
        let out = run(&all);
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

/// Whether the screen shows a row of the events table with a time in `prefix` (`2026-11-`):
/// right after the border, or after the one-character gutter that marks and findings open.
pub fn has_table_row(screen: &str, prefix: &str) -> bool {
    ["│", "│  ", "│! ", "│● ", "│✎ "]
        .iter()
        .any(|start| screen.contains(&format!("{start}{prefix}")))
}
