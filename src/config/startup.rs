//! Everything a session needs from configuration, resolved once at start: the settings with
//! every layer applied, the keymap with the user's bindings, and the themes for this terminal.
//! A mistake in any file stops the start with the file and line: a tool that silently ignores
//! half a config is worse at 3 a.m. than one that says what is wrong.

use super::settings::{Layer, Settings};
use super::{config_dir, load_file};
use crate::app::layout::LayoutPrefs;
use crate::app::App;
use crate::keymap::Keymap;
use crate::model::column::Column;
use crate::session::state::SessionState;
use crate::theme::depth::{detect, ColorDepth};
use crate::theme::set::ThemeSet;
use crate::theme::Theme;
use std::path::{Path, PathBuf};

pub struct Startup {
    pub settings: Settings,
    pub keymap: Keymap,
    pub themes: ThemeSet,
    /// The index of `settings.theme` in `themes`.
    pub theme: usize,
    pub depth: ColorDepth,
    pub config_dir: Option<PathBuf>,
}

impl Startup {
    /// Defaults < `config.toml` < `session` (a reopened investigation) < `cli` (the command
    /// line's display flags, as a layer).
    pub fn prepare(
        config_flag: Option<&Path>,
        cli: Layer,
        session: Option<&SessionState>,
    ) -> Result<Startup, String> {
        let dir = config_dir(config_flag);
        let file = load_file(dir.as_deref())?;
        let session = session
            .map(super::sources::session_layer)
            .unwrap_or_default();
        Startup::from_layers(dir, &[file, session, cli], |k| std::env::var(k).ok())
    }

    /// The same with the layers given and the environment as a function (for tests).
    pub fn from_layers(
        dir: Option<PathBuf>,
        layers: &[Layer],
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Startup, String> {
        let settings = Settings::resolve(layers);
        let keymap = Keymap::load(dir.as_deref())?;
        let depth = detect(settings.colors, env);
        let themes = ThemeSet::load(dir.as_deref(), depth);
        let theme = themes.index_of(&settings.theme)?;
        Ok(Startup {
            settings,
            keymap,
            themes,
            theme,
            depth,
            config_dir: dir,
        })
    }

    /// Puts the settings into the app: after a reopened investigation's state is restored
    /// (`session::begin_restore`), since the settings already hold it under the command line.
    pub fn apply_to(&self, app: &mut App) {
        let s = &self.settings;
        app.columns = s.columns.clone();
        // Time order is no sort at all (no ▲ in the header), as before any sort was chosen.
        let time_order = s.sort.column == Column::Time && !s.sort.descending;
        app.sort = (!time_order).then_some(s.sort);
        app.detail.open = s.detail;
        app.time = s.time;
        app.prefs = LayoutPrefs {
            split: s.split,
            side_by_side_width: s.side_by_side_width,
        };
        app.clipboard = s.clipboard;
        app.themes = self.themes.names.clone();
        app.theme = self.theme.min(app.themes.len().saturating_sub(1));
        app.resort();
        // The user's rules join the shipped ones; a reopened investigation's suppressions stay.
        let quiet = app.detector.suppressions().to_vec();
        app.detector = crate::detect::Detector::new(self.config_dir.as_deref());
        app.detector.set_suppressions(&mut app.store, quiet);
        for s in app.detector.skipped() {
            app.warnings.push(crate::model::warning::Warning::problem(
                &std::sync::Arc::from("rules"),
                crate::model::warning::Location::WholeFile,
                format!("rule {} not run: {}", s.name, s.reason),
            ));
        }
    }

    /// The theme chosen at start (`theme` came from `index_of` on the same set, so the
    /// fallback is never used).
    pub fn theme(&self) -> Theme {
        self.themes
            .themes
            .get(self.theme)
            .cloned()
            .unwrap_or_else(Theme::empty)
    }
}
