//! How many colours the terminal shows, and a theme brought down to them: a 16-colour console
//! gets the nearest of its 16 named colours (so "#303030" is black, not a guess by the
//! terminal), a 256-colour one the nearest of the xterm palette; no colour at all keeps bold
//! and reverse only.

use super::Theme;
use ratatui::style::Color;
use serde::Deserialize;

/// How many colours to use.
#[derive(Copy, Clone, PartialEq, Eq, Debug, Default, Deserialize)]
pub enum ColorMode {
    /// From the terminal: none with NO_COLOR, else COLORTERM and TERM decide.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "truecolor")]
    TrueColor,
    #[serde(rename = "256")]
    Ansi256,
    #[serde(rename = "16")]
    Ansi16,
    /// Modifiers only (bold, reversed): what NO_COLOR gives.
    #[serde(rename = "none")]
    NoColor,
}

impl ColorMode {
    pub const NAMES: [&'static str; 5] = ["auto", "truecolor", "256", "16", "none"];

    pub fn parse(text: &str) -> Option<ColorMode> {
        Some(match text {
            "auto" => ColorMode::Auto,
            "truecolor" | "24bit" => ColorMode::TrueColor,
            "256" => ColorMode::Ansi256,
            "16" => ColorMode::Ansi16,
            "none" | "never" => ColorMode::NoColor,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            ColorMode::Auto => "auto",
            ColorMode::TrueColor => "truecolor",
            ColorMode::Ansi256 => "256",
            ColorMode::Ansi16 => "16",
            ColorMode::NoColor => "none",
        }
    }
}

#[derive(Copy, Clone, PartialEq, Eq, Debug)]
pub enum ColorDepth {
    NoColor,
    Ansi16,
    Ansi256,
    TrueColor,
}

/// The depth for a setting; `auto` reads the environment (`env` is `std::env::var` outside
/// tests). NO_COLOR wins only over `auto`: a colour set in the config or on the command line
/// is a deliberate choice (as no-color.org asks).
pub fn detect(mode: ColorMode, env: impl Fn(&str) -> Option<String>) -> ColorDepth {
    match mode {
        ColorMode::TrueColor => ColorDepth::TrueColor,
        ColorMode::Ansi256 => ColorDepth::Ansi256,
        ColorMode::Ansi16 => ColorDepth::Ansi16,
        ColorMode::NoColor => ColorDepth::NoColor,
        ColorMode::Auto => {
            if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                return ColorDepth::NoColor;
            }
            let term = env("TERM").unwrap_or_default();
            let colorterm = env("COLORTERM").unwrap_or_default();
            if term == "dumb" {
                ColorDepth::NoColor
            } else if matches!(colorterm.as_str(), "truecolor" | "24bit")
                || term.ends_with("-direct")
            {
                ColorDepth::TrueColor
            } else if term.contains("256color") {
                ColorDepth::Ansi256
            } else {
                ColorDepth::Ansi16
            }
        }
    }
}

impl Theme {
    /// This theme as a terminal of `depth` can show it.
    pub fn for_depth(self, depth: ColorDepth) -> Theme {
        match depth {
            ColorDepth::TrueColor => self,
            ColorDepth::Ansi256 => self.map_colours(to_256),
            ColorDepth::Ansi16 => self.map_colours(to_16),
            ColorDepth::NoColor => self.without_colour(),
        }
    }
}

/// The 16 named colours with xterm's default values.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

fn to_16(c: Color) -> Color {
    let rgb = match c {
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) if i < 16 => return ANSI16[i as usize].0,
        Color::Indexed(i) => indexed_rgb(i),
        named => return named,
    };
    ANSI16
        .iter()
        .min_by_key(|(_, v)| distance(rgb, *v))
        .map_or(Color::Reset, |(c, _)| *c)
}

fn to_256(c: Color) -> Color {
    let Color::Rgb(r, g, b) = c else {
        return c;
    };
    // The nearest of the 6×6×6 cube and of the grey ramp.
    let level = |v: u8| -> u8 {
        const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
        (0..6u8)
            .min_by_key(|&i| (i16::from(STEPS[i as usize]) - i16::from(v)).abs())
            .unwrap_or(0)
    };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = 16 + 36 * ri + 6 * gi + bi;
    let avg = (u16::from(r) + u16::from(g) + u16::from(b)) / 3;
    let grey = 232 + ((avg.saturating_sub(8)) / 10).min(23) as u8;
    let best = [cube, grey]
        .into_iter()
        .min_by_key(|&i| distance((r, g, b), indexed_rgb(i)))
        .unwrap_or(cube);
    Color::Indexed(best)
}

/// The RGB value of an xterm 256-colour index.
fn indexed_rgb(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => ANSI16[i as usize].1,
        16..=231 => {
            let n = i - 16;
            let step = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            (step(n / 36), step(n / 6 % 6), step(n % 6))
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

/// Colour distance weighted for the eye ("redmean").
fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let rmean = (u32::from(a.0) + u32::from(b.0)) / 2;
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).unsigned_abs();
    let (dr, dg, db) = (d(a.0, b.0), d(a.1, b.1), d(a.2, b.2));
    (((512 + rmean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rmean) * db * db) >> 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn depth_from_the_environment() {
        let auto = ColorMode::Auto;
        assert_eq!(
            detect(
                auto,
                env(&[("TERM", "xterm-256color"), ("COLORTERM", "truecolor")])
            ),
            ColorDepth::TrueColor
        );
        assert_eq!(
            detect(auto, env(&[("TERM", "xterm-256color")])),
            ColorDepth::Ansi256
        );
        assert_eq!(detect(auto, env(&[("TERM", "linux")])), ColorDepth::Ansi16);
        assert_eq!(detect(auto, env(&[("TERM", "dumb")])), ColorDepth::NoColor);
        let no_color = [("TERM", "xterm-256color"), ("NO_COLOR", "1")];
        assert_eq!(detect(auto, env(&no_color)), ColorDepth::NoColor);
        assert_eq!(
            detect(auto, env(&[("NO_COLOR", "")])),
            ColorDepth::Ansi16,
            "empty: unset"
        );
        // A colour chosen on purpose beats NO_COLOR.
        assert_eq!(
            detect(ColorMode::Ansi16, env(&no_color)),
            ColorDepth::Ansi16
        );
    }

    #[test]
    fn nearest_colours() {
        assert_eq!(to_16(Color::Rgb(0x30, 0x30, 0x30)), Color::Black);
        assert_eq!(to_16(Color::Rgb(0xd5, 0x5e, 0x00)), Color::Red);
        assert_eq!(to_16(Color::Rgb(0x56, 0xb4, 0xe9)), Color::Cyan);
        assert_eq!(to_16(Color::LightCyan), Color::LightCyan);
        assert_eq!(to_256(Color::Rgb(0x30, 0x30, 0x30)), Color::Indexed(236));
        assert_eq!(to_256(Color::Rgb(255, 0, 0)), Color::Indexed(196));
        assert_eq!(indexed_rgb(196), (255, 0, 0));
    }
}
