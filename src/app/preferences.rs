//! The in-app switches of theme, time and split (the settings they start from are put in
//! by `config::startup`).

use super::layout::Split;
use super::App;
use crate::model::time_display::TimeDisplay;

impl App {
    /// The name of the theme in use.
    pub fn theme_name(&self) -> &str {
        self.themes.get(self.theme).map_or("dark", String::as_str)
    }

    /// Switches to the theme called `name`; `Err` lists the ones there are.
    pub fn set_theme(&mut self, name: &str) -> Result<(), String> {
        match self.themes.iter().position(|t| t == name) {
            Some(i) => {
                self.theme = i;
                self.notice = Some(format!("theme: {name}"));
                Ok(())
            }
            None => Err(format!(
                "no theme `{name}`{}; themes: {}",
                crate::did_you_mean::hint(name, self.themes.iter().map(String::as_str)),
                self.themes.join(", ")
            )),
        }
    }

    pub fn next_theme(&mut self) {
        self.theme = (self.theme + 1) % self.themes.len().max(1);
        self.notice = Some(format!(
            "theme: {} ({} of {}; :theme NAME picks one)",
            self.theme_name(),
            self.theme + 1,
            self.themes.len()
        ));
    }

    pub fn set_time(&mut self, time: TimeDisplay) {
        self.time = time;
        self.notice = Some(self.time.describe(&self.tz, self.now()));
    }

    /// Moves the split by `delta` percent (+ gives the table more room).
    pub fn move_split(&mut self, delta: i16) {
        let side = self.layout().side_by_side;
        let now = i16::from(self.prefs.split.share(side));
        let to = (now + delta).clamp(i16::from(Split::MIN), i16::from(Split::MAX));
        self.set_split(to as u8);
    }

    /// Puts the split at `percent`, keeping the selected row and the detail cursor on screen.
    pub fn set_split(&mut self, percent: u8) {
        self.prefs.split = Split::Percent(percent.clamp(Split::MIN, Split::MAX));
        self.keep_cursors_visible();
    }

    /// After the screen changed shape (a resize, a split moved): both cursors on screen.
    pub(crate) fn keep_cursors_visible(&mut self) {
        let page = self.layout().table_rows();
        self.table.scroll_into_view(page);
        let inner = self.detail_inner();
        self.detail.keep_cursor_visible(inner);
    }
}
