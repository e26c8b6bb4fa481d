//! Progress of the current load, for the status bar and the closing summary.

use crate::source::Progress;

#[derive(Debug, Clone, Default)]
pub struct LoadState {
    pub loading: bool,
    pub progress: Progress,
    pub started_ms: u64,
    pub first_rows_ms: Option<u64>,
    pub done_ms: Option<u64>,
    /// Esc asked the load to stop; it ends when the readers notice. Esc then goes on to its
    /// other meanings (a filter, the detail pane).
    pub stopping: bool,
}

impl LoadState {
    pub fn elapsed_ms(&self, now_ms: u64) -> u64 {
        self.done_ms
            .unwrap_or(now_ms)
            .saturating_sub(self.started_ms)
    }
}
