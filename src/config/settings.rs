//! The settings and their layers. Each source (the built-in defaults, `config.toml`, a
//! reopened investigation, the command line) gives a `Layer` in which every setting may be
//! missing; `Settings::resolve` lays them over the defaults, later layers winning:
//! defaults < file < session < command line.

use crate::app::layout::Split;
use crate::app::sort::Sort;
use crate::model::column::{Column, DEFAULT_COLUMNS};
use crate::model::time_display::TimeDisplay;
use serde::{Deserialize, Deserializer};

pub use crate::theme::depth::ColorMode;

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Settings {
    pub theme: String,
    pub colors: ColorMode,
    pub time: TimeDisplay,
    pub columns: Vec<Column>,
    pub sort: Sort,
    pub detail: bool,
    pub split: Split,
    pub side_by_side_width: u16,
    pub mouse: bool,
    pub clipboard: bool,
    /// Stop an Athena query past this many bytes scanned (`--max-scan` wins over it).
    pub max_scan: Option<u64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: "dark".to_string(),
            colors: ColorMode::Auto,
            time: TimeDisplay::Utc,
            columns: DEFAULT_COLUMNS.to_vec(),
            sort: Sort {
                column: Column::Time,
                descending: false,
            },
            detail: true,
            split: Split::Auto,
            side_by_side_width: crate::app::layout::SIDE_BY_SIDE_MIN_WIDTH,
            mouse: true,
            clipboard: true,
            max_scan: None,
        }
    }
}

/// One source's settings; `None` leaves the setting to the layers below.
#[derive(Clone, PartialEq, Eq, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Layer {
    pub theme: Option<String>,
    pub colors: Option<ColorMode>,
    pub time: Option<TimeDisplay>,
    pub columns: Option<Vec<Column>>,
    #[serde(default, deserialize_with = "sort_setting")]
    pub sort: Option<Sort>,
    pub detail: Option<bool>,
    #[serde(default, deserialize_with = "split_setting")]
    pub split: Option<Split>,
    pub side_by_side_width: Option<u16>,
    pub mouse: Option<bool>,
    #[serde(default, deserialize_with = "clipboard_setting")]
    pub clipboard: Option<bool>,
    #[serde(default, deserialize_with = "size_setting")]
    pub max_scan: Option<u64>,
}

/// Every key `config.toml` takes (for "did you mean").
pub const KEYS: [&str; 11] = [
    "theme",
    "colors",
    "time",
    "columns",
    "sort",
    "detail",
    "split",
    "side-by-side-width",
    "mouse",
    "clipboard",
    "max-scan",
];

impl Settings {
    /// The layers over the defaults, in order: each wins over the ones before it.
    pub fn resolve<'a>(layers: impl IntoIterator<Item = &'a Layer>) -> Settings {
        let mut s = Settings::default();
        for layer in layers {
            s.apply(layer);
        }
        s
    }

    fn apply(&mut self, l: &Layer) {
        if let Some(v) = &l.theme {
            self.theme = v.clone();
        }
        if let Some(v) = l.colors {
            self.colors = v;
        }
        if let Some(v) = l.time {
            self.time = v;
        }
        if let Some(v) = l.columns.as_ref().filter(|c| !c.is_empty()) {
            self.columns = v.clone();
        }
        if let Some(v) = l.sort {
            self.sort = v;
        }
        if let Some(v) = l.detail {
            self.detail = v;
        }
        if let Some(v) = l.split {
            self.split = v;
        }
        if let Some(v) = l.side_by_side_width {
            self.side_by_side_width = v;
        }
        if let Some(v) = l.mouse {
            self.mouse = v;
        }
        if let Some(v) = l.clipboard {
            self.clipboard = v;
        }
        if let Some(v) = l.max_scan {
            self.max_scan = Some(v);
        }
    }
}

/// `time`, `-time` (descending), `event`, `-principal`…: a column name, `-` for descending.
pub fn parse_sort(text: &str) -> Result<Sort, String> {
    let (descending, name) = match text.trim().strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.trim()),
    };
    let column = parse_column(name)?;
    Ok(Sort { column, descending })
}

/// A column by its name in settings (`source-ip`, `user-agent`…).
pub fn parse_column(name: &str) -> Result<Column, String> {
    let names = crate::model::column::ALL_COLUMNS.map(column_name);
    crate::model::column::ALL_COLUMNS
        .into_iter()
        .find(|&c| column_name(c) == name)
        .ok_or_else(|| {
            format!(
                "unknown column `{name}`{} (columns: {})",
                crate::did_you_mean::hint(name, names),
                names.join(", ")
            )
        })
}

/// The settings name of a column (its serde name).
pub fn column_name(c: Column) -> &'static str {
    match c {
        Column::Time => "time",
        Column::Event => "event",
        Column::Source => "source",
        Column::Principal => "principal",
        Column::SourceIp => "source-ip",
        Column::Region => "region",
        Column::Error => "error",
        Column::AccessKey => "access-key",
        Column::Account => "account",
        Column::UserAgent => "user-agent",
        Column::IdentityType => "identity-type",
        Column::ReadOnly => "read-only",
        Column::EventId => "event-id",
        Column::Target => "target",
    }
}

/// `"auto"` or a percentage.
pub fn parse_split(text: &str) -> Result<Split, String> {
    match text.trim() {
        "auto" => Ok(Split::Auto),
        t => match t.trim_end_matches('%').parse::<i64>() {
            Ok(n) => Split::percent(n),
            Err(_) => Split::percent(-1),
        },
    }
}

fn sort_setting<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Sort>, D::Error> {
    let text = String::deserialize(d)?;
    parse_sort(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

/// `"2GB"`, `"500MB"`, `"1TB"`…: a size as `--max-scan` takes it.
fn size_setting<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let text = String::deserialize(d)?;
    crate::source::s3::cache::parse_size(&text)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

fn split_setting<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Split>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Percent(i64),
        Word(String),
    }
    match Raw::deserialize(d)? {
        Raw::Percent(n) => Split::percent(n),
        Raw::Word(w) => parse_split(&w),
    }
    .map(Some)
    .map_err(serde::de::Error::custom)
}

fn clipboard_setting<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match String::deserialize(d)?.as_str() {
        "osc52" => Ok(Some(true)),
        "off" => Ok(Some(false)),
        other => Err(serde::de::Error::custom(format!(
            "clipboard is \"osc52\" or \"off\", not {other:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_layers_win_and_missing_settings_fall_through() {
        let file = Layer {
            theme: Some("light".into()),
            time: Some(TimeDisplay::Local),
            ..Layer::default()
        };
        let cli = Layer {
            time: Some(TimeDisplay::Relative),
            ..Layer::default()
        };
        let s = Settings::resolve([&file, &cli]);
        assert_eq!(s.theme, "light");
        assert_eq!(s.time, TimeDisplay::Relative);
        assert_eq!(s.columns, DEFAULT_COLUMNS.to_vec());
    }

    #[test]
    fn values_are_read_or_refused_with_reasons() {
        assert_eq!(
            parse_sort("-principal"),
            Ok(Sort {
                column: Column::Principal,
                descending: true
            })
        );
        let err = parse_sort("principle").expect_err("typo");
        assert!(err.contains("did you mean `principal`"), "{err}");
        assert_eq!(parse_split("auto"), Ok(Split::Auto));
        assert_eq!(parse_split("70%"), Ok(Split::Percent(70)));
        assert!(parse_split("95").is_err() && parse_split("wide").is_err());
        for c in crate::model::column::ALL_COLUMNS {
            let json = serde_json::to_string(&c).expect("serializes");
            assert_eq!(
                json.trim_matches('"'),
                column_name(c),
                "one name per column"
            );
        }
    }
}
