//! The themes a session can switch between: the built-in ones, then the user's own from
//! `themes/*.toml` in the config directory. A user theme is partial: what it leaves out comes
//! from the theme it names in `inherits` (built in or the user's), else from dark. A user
//! theme with a built-in's name replaces it, over the built-in.

use super::depth::ColorDepth;
use super::{Theme, BUILTIN};
use serde::Deserialize;
use std::path::Path;

/// The user's themes live here, in the config directory.
pub const USER_DIR: &str = "themes";

pub struct ThemeSet {
    pub names: Vec<String>,
    pub themes: Vec<Theme>,
    /// User theme files that could not be read (name: why); they are left out of the set.
    pub problems: Vec<String>,
}

/// Only the header, read before the whole file.
#[derive(Deserialize)]
struct Header {
    inherits: Option<String>,
}

/// A theme's source before it is built: its text, and where it came from (for errors).
struct Source {
    name: String,
    text: String,
    file: String,
    builtin: bool,
}

impl ThemeSet {
    /// Every built-in theme and every theme in `config_dir/themes/`, for a terminal of `depth`.
    pub fn load(config_dir: Option<&Path>, depth: ColorDepth) -> ThemeSet {
        let mut sources: Vec<Source> = BUILTIN
            .iter()
            .map(|(name, text)| Source {
                name: name.to_string(),
                text: text.to_string(),
                file: format!("themes/{name}.toml"),
                builtin: true,
            })
            .collect();
        let mut problems = Vec::new();
        if let Some(dir) = config_dir.map(|d| d.join(USER_DIR)) {
            sources.extend(user_sources(&dir, &mut problems));
        }
        let mut set = ThemeSet {
            names: Vec::new(),
            themes: Vec::new(),
            problems,
        };
        for i in 0..sources.len() {
            match build(&sources, i, 0) {
                Ok(theme) => set.insert(&sources[i].name, theme.for_depth(depth)),
                Err(e) => set.problems.push(e),
            }
        }
        set
    }

    fn insert(&mut self, name: &str, theme: Theme) {
        match self.names.iter().position(|n| n == name) {
            Some(i) => self.themes[i] = theme,
            None => {
                self.names.push(name.to_string());
                self.themes.push(theme);
            }
        }
    }

    /// The index of the theme called `name`, or why there is none (a broken file says so).
    pub fn index_of(&self, name: &str) -> Result<usize, String> {
        if let Some(i) = self.names.iter().position(|n| n == name) {
            return Ok(i);
        }
        let prefix = format!("{name}.toml");
        if let Some(p) = self.problems.iter().find(|p| p.contains(&prefix)) {
            return Err(p.clone());
        }
        Err(format!(
            "unknown theme `{name}`{} (themes: {})",
            crate::did_you_mean::hint(name, self.names.iter().map(String::as_str)),
            self.names.join(", ")
        ))
    }
}

/// `dir/*.toml`, sorted by name; unreadable files are reported, not fatal.
fn user_sources(dir: &Path, problems: &mut Vec<String>) -> Vec<Source> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let name = path.file_stem()?.to_string_lossy().into_owned();
            match std::fs::read_to_string(&path) {
                Ok(text) => Some(Source {
                    name,
                    text,
                    file: path.display().to_string(),
                    builtin: false,
                }),
                Err(e) => {
                    problems.push(format!("{}: {e}", path.display()));
                    None
                }
            }
        })
        .collect()
}

/// Builds `sources[i]` over what it inherits; `depth` stops inheritance loops.
fn build(sources: &[Source], i: usize, depth: usize) -> Result<Theme, String> {
    let src = &sources[i];
    if depth > 8 {
        return Err(format!("{}: `inherits` goes round in a loop", src.file));
    }
    let header: Header = toml::from_str(&src.text)
        .map_err(|e| crate::toml_error::toml_error(&src.file, &src.text, &e))?;
    let base = match (header.inherits.as_deref(), src.builtin, src.name.as_str()) {
        // Dark is the root of every chain.
        (_, true, "dark") => None,
        (None, true, _) => Some(build(sources, 0, depth + 1)?),
        // A user theme named like a built-in lies over that built-in.
        (None, false, name) => Some(
            match sources.iter().position(|s| s.builtin && s.name == name) {
                Some(b) => build(sources, b, depth + 1)?,
                None => build(sources, 0, depth + 1)?,
            },
        ),
        (Some(parent), _, _) => {
            // The parent defined last wins, as the set does; never the theme itself.
            let p = sources
                .iter()
                .rposition(|s| s.name == parent && !std::ptr::eq(s, src))
                .ok_or_else(|| {
                    format!(
                        "{}: inherits unknown theme `{parent}`{}",
                        src.file,
                        crate::did_you_mean::hint(parent, sources.iter().map(|s| s.name.as_str()))
                    )
                })?;
            Some(build(sources, p, depth + 1)?)
        }
    };
    Theme::parse_named(&src.text, base.as_ref(), &src.file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::Meaning;
    use ratatui::style::Color;

    #[test]
    fn user_themes_inherit_and_broken_ones_are_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        let themes = dir.path().join(USER_DIR);
        std::fs::create_dir_all(&themes).expect("mkdir");
        let write = |n: &str, t: &str| std::fs::write(themes.join(n), t).expect("write");
        write(
            "mine.toml",
            "inherits = \"light\"\n[styles]\nerror = { fg = \"#ff0000\" }\n",
        );
        write("loop-a.toml", "inherits = \"loop-b\"\n");
        write("loop-b.toml", "inherits = \"loop-a\"\n");
        write("typo.toml", "[styles]\n\nerorr = { fg = \"red\" }\n");
        write("light.toml", "[styles]\ndim = { fg = \"#123456\" }\n");
        let set = ThemeSet::load(Some(dir.path()), ColorDepth::TrueColor);
        let mine = &set.themes[set.index_of("mine").expect("mine loads")];
        let light = &set.themes[set.index_of("light").expect("light")];
        let builtin_light = Theme::builtin("light", false).expect("light");
        assert_eq!(mine.style(Meaning::Error).fg, Some(Color::Rgb(255, 0, 0)));
        // Over the built-in light, and the user's light over that.
        assert_eq!(
            mine.style(Meaning::Header),
            builtin_light.style(Meaning::Header)
        );
        assert_eq!(
            light.style(Meaning::Dim).fg,
            Some(Color::Rgb(0x12, 0x34, 0x56))
        );
        assert_eq!(
            light.style(Meaning::Title),
            builtin_light.style(Meaning::Title)
        );
        let err = set.index_of("typo").expect_err("broken");
        assert!(
            err.contains("typo.toml:3: unknown style meaning `erorr` (did you mean `error`?)"),
            "{err}"
        );
        assert!(set.index_of("loop-a").expect_err("loop").contains("loop"));
        assert!(set
            .index_of("dakr")
            .expect_err("typo")
            .contains("did you mean `dark`"));
        assert_eq!(
            &set.names[..4],
            ["dark", "light", "high-contrast", "colorblind"]
        );
    }
}
