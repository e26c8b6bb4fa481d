//! Themes name meanings, not colours: widgets ask for `Meaning::Error`, the theme file says
//! what that looks like. A partial theme falls back to the theme it inherits (dark unless it
//! says otherwise); `NO_COLOR` keeps only modifiers (bold, reversed), so selection stays
//! visible without colour; 16- and 256-colour terminals get the nearest colours they have
//! (`depth`). User themes live in `themes/` in the config directory (`set`).

pub mod depth;
pub mod set;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum Meaning {
    Normal,
    Dim,
    Title,
    Header,
    Border,
    BorderFocused,
    Selected,
    SelectedUnfocused,
    Error,
    Root,
    Warning,
    Escaped,
    Status,
    StatusAccent,
    HelpKey,
    JsonKey,
    JsonString,
    JsonNumber,
    JsonBool,
    JsonNull,
    JsonPunct,
}

impl Meaning {
    pub const ALL: [Meaning; 21] = [
        Meaning::Normal,
        Meaning::Dim,
        Meaning::Title,
        Meaning::Header,
        Meaning::Border,
        Meaning::BorderFocused,
        Meaning::Selected,
        Meaning::SelectedUnfocused,
        Meaning::Error,
        Meaning::Root,
        Meaning::Warning,
        Meaning::Escaped,
        Meaning::Status,
        Meaning::StatusAccent,
        Meaning::HelpKey,
        Meaning::JsonKey,
        Meaning::JsonString,
        Meaning::JsonNumber,
        Meaning::JsonBool,
        Meaning::JsonNull,
        Meaning::JsonPunct,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Meaning::Normal => "normal",
            Meaning::Dim => "dim",
            Meaning::Title => "title",
            Meaning::Header => "header",
            Meaning::Border => "border",
            Meaning::BorderFocused => "border-focused",
            Meaning::Selected => "selected",
            Meaning::SelectedUnfocused => "selected-unfocused",
            Meaning::Error => "error",
            Meaning::Root => "root",
            Meaning::Warning => "warning",
            Meaning::Escaped => "escaped",
            Meaning::Status => "status",
            Meaning::StatusAccent => "status-accent",
            Meaning::HelpKey => "help-key",
            Meaning::JsonKey => "json-key",
            Meaning::JsonString => "json-string",
            Meaning::JsonNumber => "json-number",
            Meaning::JsonBool => "json-bool",
            Meaning::JsonNull => "json-null",
            Meaning::JsonPunct => "json-punct",
        }
    }
}

/// The built-in themes, by name: dark first (the base of every other).
pub const BUILTIN: [(&str, &str); 4] = [
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("colorblind", include_str!("../../themes/colorblind.toml")),
];

#[derive(Debug, Clone)]
pub struct Theme {
    styles: HashMap<Meaning, Style>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    /// The theme this one is laid over (default: dark).
    #[allow(dead_code)] // read by `set` before the full parse
    inherits: Option<String>,
    #[serde(default)]
    styles: HashMap<String, toml::Spanned<StyleSpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    modifiers: Vec<String>,
}

impl Theme {
    /// A built-in theme by name, over the dark base. `no_color` strips colours.
    pub fn builtin(name: &str, no_color: bool) -> Result<Theme, String> {
        let text = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
                format!("unknown theme `{name}` (built in: {})", names.join(", "))
            })?;
        let base = Theme::parse(BUILTIN[0].1, None)?;
        let theme = Theme::parse_named(text, Some(&base), &format!("themes/{name}.toml"))?;
        Ok(if no_color {
            theme.without_colour()
        } else {
            theme
        })
    }

    /// Parses a theme file; meanings it does not define come from `base`.
    pub fn parse(text: &str, base: Option<&Theme>) -> Result<Theme, String> {
        Theme::parse_named(text, base, "theme")
    }

    /// Parses a theme file named `name` in errors (`name:line: why`).
    pub fn parse_named(text: &str, base: Option<&Theme>, name: &str) -> Result<Theme, String> {
        let file: ThemeFile =
            toml::from_str(text).map_err(|e| crate::toml_error::toml_error(name, text, &e))?;
        let mut styles = base.map(|b| b.styles.clone()).unwrap_or_default();
        for (key, spec) in file.styles {
            let line = crate::toml_error::line_of(text, spec.span().start);
            let meaning = Meaning::ALL
                .into_iter()
                .find(|m| m.name() == key)
                .ok_or_else(|| {
                    let names = Meaning::ALL.map(Meaning::name);
                    format!(
                        "{name}:{line}: unknown style meaning `{key}`{}",
                        crate::did_you_mean::hint(&key, names)
                    )
                })?;
            let style = spec
                .get_ref()
                .to_style()
                .map_err(|e| format!("{name}:{line}: {key}: {e}"))?;
            styles.insert(meaning, style);
        }
        Ok(Theme { styles })
    }

    /// No styles at all: the terminal's defaults everywhere.
    pub fn empty() -> Theme {
        Theme {
            styles: HashMap::new(),
        }
    }

    pub fn style(&self, meaning: Meaning) -> Style {
        self.styles.get(&meaning).copied().unwrap_or_default()
    }

    pub fn defines(&self, meaning: Meaning) -> bool {
        self.styles.contains_key(&meaning)
    }

    pub(crate) fn without_colour(mut self) -> Theme {
        for style in self.styles.values_mut() {
            style.fg = None;
            style.bg = None;
        }
        // Without colour, selection and escapes must still be told apart.
        for m in [
            Meaning::Selected,
            Meaning::Escaped,
            Meaning::Title,
            Meaning::Status,
        ] {
            let s = self.style(m).add_modifier(Modifier::REVERSED);
            self.styles.insert(m, s);
        }
        let bold = self.style(Meaning::Error).add_modifier(Modifier::BOLD);
        self.styles.insert(Meaning::Error, bold);
        self
    }

    /// Every colour passed through `f` (to fit a terminal's palette).
    pub(crate) fn map_colours(mut self, f: impl Fn(Color) -> Color) -> Theme {
        for style in self.styles.values_mut() {
            style.fg = style.fg.map(&f);
            style.bg = style.bg.map(&f);
        }
        self
    }

    /// The colours this theme uses (for tests of degraded palettes).
    pub fn colours(&self) -> Vec<Color> {
        self.styles
            .values()
            .flat_map(|s| s.fg.into_iter().chain(s.bg))
            .collect()
    }
}

impl StyleSpec {
    fn to_style(&self) -> Result<Style, String> {
        let mut style = Style::default();
        if let Some(fg) = &self.fg {
            style = style.fg(parse_color(fg)?);
        }
        if let Some(bg) = &self.bg {
            style = style.bg(parse_color(bg)?);
        }
        for m in &self.modifiers {
            style = style.add_modifier(match m.as_str() {
                "bold" => Modifier::BOLD,
                "dim" => Modifier::DIM,
                "italic" => Modifier::ITALIC,
                "underlined" => Modifier::UNDERLINED,
                "reversed" => Modifier::REVERSED,
                other => return Err(format!("unknown modifier `{other}`")),
            });
        }
        Ok(style)
    }
}

fn parse_color(name: &str) -> Result<Color, String> {
    if let Some(hex) = name.strip_prefix('#') {
        let v = u32::from_str_radix(hex, 16).map_err(|_| format!("bad colour `{name}`"))?;
        if hex.len() != 6 {
            return Err(format!("bad colour `{name}` (use #rrggbb)"));
        }
        return Ok(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    Ok(match name {
        "reset" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" => Color::Gray,
        "dark-gray" => Color::DarkGray,
        "light-red" => Color::LightRed,
        "light-green" => Color::LightGreen,
        "light-yellow" => Color::LightYellow,
        "light-blue" => Color::LightBlue,
        "light-magenta" => Color::LightMagenta,
        "light-cyan" => Color::LightCyan,
        "white" => Color::White,
        other => return Err(format!("unknown colour `{other}`")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_defines_every_meaning() {
        for (name, _) in BUILTIN {
            let theme = Theme::builtin(name, false).expect(name);
            for m in Meaning::ALL {
                assert!(theme.defines(m), "{name} lacks {}", m.name());
            }
        }
    }

    #[test]
    fn partial_theme_falls_back_and_no_color_strips() {
        let base = Theme::builtin("dark", false).expect("dark");
        let partial =
            Theme::parse("[styles]\nerror = { fg = \"#ff0000\" }\n", Some(&base)).expect("parses");
        assert_eq!(
            partial.style(Meaning::Error).fg,
            Some(Color::Rgb(255, 0, 0))
        );
        assert_eq!(
            partial.style(Meaning::JsonKey),
            base.style(Meaning::JsonKey)
        );
        let plain = Theme::builtin("dark", true).expect("dark");
        assert!(Meaning::ALL
            .iter()
            .all(|&m| plain.style(m).fg.is_none() && plain.style(m).bg.is_none()));
        assert!(Theme::parse("[styles]\nerorr = {}\n", None).is_err());
    }
}
