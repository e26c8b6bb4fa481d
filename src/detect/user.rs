//! The user's own rules, from `rules/` in the config directory: Sigma YAML files (`*.yml`,
//! `*.yaml`) and filter-language rules in TOML (`*.toml`, a `[[rule]]` table each). They join
//! the shipped rules; a file or rule that cannot be used is named with the reason, never fatal.

use super::attack::Tactic;
use super::rule::{Origin, Rule, Severity};
use super::sigma::{self, Compiled, Skipped};
use crate::filter::Expr;
use serde::Deserialize;
use std::path::Path;

/// A rule written in the filter language.
pub(crate) struct FilterRule {
    pub(crate) rule: Rule,
    pub(crate) expr: Expr,
}

#[derive(Default)]
pub(crate) struct UserRules {
    pub(crate) sigma: Vec<Compiled>,
    pub(crate) filters: Vec<FilterRule>,
    pub(crate) skipped: Vec<Skipped>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    rule: Vec<TomlRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlRule {
    id: String,
    title: String,
    filter: String,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    tactic: Option<String>,
    #[serde(default)]
    techniques: Vec<String>,
    #[serde(default)]
    why: Option<String>,
    #[serde(default)]
    author: Option<String>,
}

/// At most this many files are read (a rules folder is a few dozen).
const MAX_FILES: usize = 1000;
/// A rule file larger than this is not a rule file.
const MAX_BYTES: u64 = 1 << 20;

pub(crate) fn load(config_dir: Option<&Path>) -> UserRules {
    let mut out = UserRules::default();
    let Some(dir) = config_dir.map(|d| d.join("rules")) else {
        return out;
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    let mut files: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .take(MAX_FILES)
        .collect();
    files.sort();
    for path in files {
        let shown = path.display().to_string();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "yml" | "yaml" | "toml") {
            continue;
        }
        let text = match std::fs::metadata(&path) {
            Ok(m) if m.len() > MAX_BYTES => Err(format!("larger than {} KB", MAX_BYTES >> 10)),
            _ => std::fs::read_to_string(&path).map_err(|e| e.to_string()),
        };
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                out.skipped.push(Skipped {
                    name: shown,
                    reason: format!("cannot read it: {e}"),
                });
                continue;
            }
        };
        if ext == "toml" {
            let origin = Origin::User {
                path: shown.clone(),
            };
            toml_rules(&shown, &text, origin, &mut out);
        } else {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            sigma::load(
                &name,
                &text,
                Origin::User { path: shown },
                &mut out.sigma,
                &mut out.skipped,
            );
        }
    }
    out
}

pub(crate) fn toml_rules(shown: &str, text: &str, origin: Origin, out: &mut UserRules) {
    let file: TomlFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            out.skipped.push(Skipped {
                name: shown.to_string(),
                reason: crate::toml_error::toml_error(shown, text, &e),
            });
            return;
        }
    };
    for r in file.rule {
        let expr = match crate::filter::parse(&r.filter) {
            Ok(e) => e,
            Err(e) => {
                out.skipped.push(Skipped {
                    name: format!("{shown}: {}", r.id),
                    reason: format!("its filter does not parse ({e})"),
                });
                continue;
            }
        };
        let severity = match r.severity.as_deref().map(Severity::parse) {
            None => Severity::Medium,
            Some(Some(s)) => s,
            Some(None) => {
                out.skipped.push(Skipped {
                    name: format!("{shown}: {}", r.id),
                    reason: "severity is one of info, low, medium, high, critical".into(),
                });
                continue;
            }
        };
        let tactics = r
            .tactic
            .as_deref()
            .and_then(Tactic::parse)
            .into_iter()
            .collect();
        out.filters.push(FilterRule {
            rule: Rule {
                id: r.id,
                title: r.title,
                severity,
                tactics,
                techniques: r.techniques,
                author: r.author.unwrap_or_else(|| match &origin {
                    Origin::User { .. } => "you".into(),
                    _ => "trailscope".into(),
                }),
                origin: origin.clone(),
                reference: shown.to_string(),
                why: r.why.unwrap_or_default(),
                noisy: false,
            },
            expr,
        });
    }
}
