//! Sigma rules → compiled conditions. `rsigma-parser` reads the YAML (selections, modifiers,
//! wildcards, the condition grammar); this lowers its AST to `Cond`, exactly or not at all: a
//! rule using something trailscope cannot evaluate as Sigma means it is left out and named,
//! with the reason, at start-up (`Loaded::skipped`).

pub(crate) mod pattern;

use super::attack::{technique_of_tag, Tactic};
use super::cond::{Cond, Field, Test, Value};
use super::rule::{Origin, Rule, Severity};
use pattern::{Anchor, Pattern};
use rsigma_parser::{
    ConditionExpr, Detection, DetectionItem, Detections, Modifier, Quantifier, SelectorPattern,
    SigmaRule, SigmaValue,
};

include!(concat!(env!("OUT_DIR"), "/sigma_rules.rs"));

/// The shipped rule set, for links in credits and rule references.
pub const RULE_SET_URL: &str =
    "https://github.com/SigmaHQ/sigma/tree/master/rules/cloud/aws/cloudtrail";

/// A rule ready to run.
pub(crate) struct Compiled {
    pub(crate) rule: Rule,
    pub(crate) cond: Cond,
}

/// A rule that was not loaded, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// File name (or rule id).
    pub name: String,
    pub reason: String,
}

/// The shipped rules.
pub(crate) fn shipped() -> (Vec<Compiled>, Vec<Skipped>) {
    let mut rules = Vec::new();
    let mut skipped = Vec::new();
    for (file, text) in SIGMA_RULES {
        load(file, text, Origin::Sigma, &mut rules, &mut skipped);
    }
    (rules, skipped)
}

/// Every rule of one YAML text (a file may hold several documents).
pub(crate) fn load(
    file: &str,
    text: &str,
    origin: Origin,
    rules: &mut Vec<Compiled>,
    skipped: &mut Vec<Skipped>,
) {
    let stem = file.trim_end_matches(".yml").trim_end_matches(".yaml");
    let collection = match rsigma_parser::parse_sigma_yaml(text) {
        Ok(c) => c,
        Err(e) => {
            skipped.push(Skipped {
                name: file.to_string(),
                reason: format!("not a Sigma rule: {e}"),
            });
            return;
        }
    };
    for e in &collection.errors {
        skipped.push(Skipped {
            name: file.to_string(),
            reason: format!("not a Sigma rule: {e}"),
        });
    }
    if !collection.correlations.is_empty() || !collection.filters.is_empty() {
        skipped.push(Skipped {
            name: file.to_string(),
            reason: "correlation and filter documents are not supported (trailscope's own rules cover sequences)".into(),
        });
    }
    let several = collection.rules.len() > 1;
    for (n, sigma) in collection.rules.iter().enumerate() {
        let id = if several {
            format!("{stem}#{}", n + 1)
        } else {
            stem.to_string()
        };
        match lower(sigma) {
            Ok(mut cond) => {
                cond.columns_first();
                rules.push(Compiled {
                    rule: describe(sigma, id, origin.clone()),
                    cond,
                });
            }
            Err(reason) => skipped.push(Skipped { name: id, reason }),
        }
    }
}

fn describe(sigma: &SigmaRule, id: String, origin: Origin) -> Rule {
    let tactics: Vec<Tactic> = {
        let mut t: Vec<Tactic> = sigma.tags.iter().filter_map(|t| Tactic::parse(t)).collect();
        t.dedup();
        t
    };
    let techniques = sigma
        .tags
        .iter()
        .filter_map(|t| technique_of_tag(t))
        .collect();
    let severity = match sigma.level {
        Some(rsigma_parser::Level::Critical) => Severity::Critical,
        Some(rsigma_parser::Level::High) => Severity::High,
        Some(rsigma_parser::Level::Medium) => Severity::Medium,
        Some(rsigma_parser::Level::Low) => Severity::Low,
        Some(rsigma_parser::Level::Informational) | None => Severity::Info,
    };
    let why = sigma
        .description
        .as_deref()
        .unwrap_or(&sigma.title)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let reference = match &origin {
        Origin::Sigma => format!("{RULE_SET_URL}/{}.yml", id.split('#').next().unwrap_or(&id)),
        Origin::User { path } => path.clone(),
        Origin::Trailscope => String::new(),
    };
    Rule {
        id,
        title: sigma.title.clone(),
        severity,
        tactics,
        techniques,
        origin,
        author: sigma
            .author
            .clone()
            .unwrap_or_else(|| "unknown author".into()),
        reference,
        why,
        noisy: false,
    }
}

fn lower(sigma: &SigmaRule) -> Result<Cond, String> {
    let d: &Detections = &sigma.detection;
    if d.timeframe.is_some() {
        return Err("`timeframe` aggregation is not supported".into());
    }
    if let Some(ls) = Some(&sigma.logsource) {
        let product_ok = ls
            .product
            .as_deref()
            .is_none_or(|p| p.eq_ignore_ascii_case("aws"));
        let service_ok = ls
            .service
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("cloudtrail"));
        if !product_ok || !service_ok {
            return Err(format!(
                "its log source is not AWS CloudTrail (product {:?}, service {:?})",
                ls.product.as_deref().unwrap_or("-"),
                ls.service.as_deref().unwrap_or("-")
            ));
        }
    }
    let mut conds = d
        .conditions
        .iter()
        .map(|c| condition(c, d))
        .collect::<Result<Vec<_>, _>>()?;
    match conds.len() {
        0 => Err("no condition".into()),
        1 => Ok(conds.remove(0)),
        _ => Ok(Cond::Any(conds)),
    }
}

fn condition(c: &ConditionExpr, d: &Detections) -> Result<Cond, String> {
    Ok(match c {
        ConditionExpr::And(parts) => Cond::All(
            parts
                .iter()
                .map(|p| condition(p, d))
                .collect::<Result<_, _>>()?,
        ),
        ConditionExpr::Or(parts) => Cond::Any(
            parts
                .iter()
                .map(|p| condition(p, d))
                .collect::<Result<_, _>>()?,
        ),
        ConditionExpr::Not(inner) => Cond::Not(Box::new(condition(inner, d)?)),
        ConditionExpr::Identifier(name) => {
            let det = d
                .named
                .get(name)
                .ok_or_else(|| format!("the condition names `{name}`, which is not defined"))?;
            detection(det)?
        }
        ConditionExpr::Selector {
            quantifier,
            pattern,
        } => {
            let mut names: Vec<&String> = d
                .named
                .keys()
                .filter(|n| match pattern {
                    SelectorPattern::Them => !n.starts_with('_'),
                    SelectorPattern::Pattern(p) => rsigma_parser::detection_name_matches(p, n),
                })
                .collect();
            names.sort();
            let parts = names
                .iter()
                .map(|n| {
                    d.named
                        .get(*n)
                        .map(detection)
                        .unwrap_or(Ok(Cond::Any(Vec::new())))
                })
                .collect::<Result<Vec<_>, _>>()?;
            match quantifier {
                Quantifier::Any | Quantifier::Count(1) => Cond::Any(parts),
                Quantifier::All => Cond::All(parts),
                Quantifier::Count(n) => {
                    return Err(format!("`{n} of …` in the condition is not supported"))
                }
            }
        }
    })
}

fn detection(det: &Detection) -> Result<Cond, String> {
    Ok(match det {
        Detection::AllOf(items) => Cond::All(items.iter().map(item).collect::<Result<_, _>>()?),
        Detection::AnyOf(dets) => Cond::Any(dets.iter().map(detection).collect::<Result<_, _>>()?),
        Detection::And(dets) => Cond::All(dets.iter().map(detection).collect::<Result<_, _>>()?),
        Detection::Keywords(values) => Cond::Keywords(
            values
                .iter()
                .map(|v| plain_text(v).map(|t| t.to_lowercase()))
                .collect::<Result<_, _>>()?,
        ),
        Detection::ArrayMatch { .. } => {
            return Err("array quantifiers (`field[any]:`) are not supported".into())
        }
        Detection::Conditional { .. } => {
            return Err("nested conditional detections are not supported".into())
        }
    })
}

fn plain_text(v: &SigmaValue) -> Result<String, String> {
    match v {
        SigmaValue::String(s) => s
            .as_plain()
            .ok_or_else(|| "wildcards in keywords are not supported".to_string()),
        SigmaValue::Integer(i) => Ok(i.to_string()),
        SigmaValue::Float(f) => Ok(f.to_string()),
        SigmaValue::Bool(b) => Ok(b.to_string()),
        SigmaValue::Null => Err("a null keyword is not supported".into()),
    }
}

fn item(it: &DetectionItem) -> Result<Cond, String> {
    let Some(name) = &it.field.name else {
        return Ok(Cond::Keywords(
            it.values
                .iter()
                .map(|v| plain_text(v).map(|t| t.to_lowercase()))
                .collect::<Result<_, _>>()?,
        ));
    };
    let mods = &it.field.modifiers;
    let mut anchor = Anchor::Whole;
    let (mut all, mut cased, mut re, mut exists, mut fieldref) =
        (false, false, false, false, false);
    let mut re_flags = String::new();
    for m in mods {
        match m {
            Modifier::Contains => anchor = Anchor::Contains,
            Modifier::StartsWith => anchor = Anchor::StartsWith,
            Modifier::EndsWith => anchor = Anchor::EndsWith,
            Modifier::All => all = true,
            Modifier::Cased => cased = true,
            Modifier::Re => re = true,
            Modifier::IgnoreCase => re_flags.push('i'),
            Modifier::Multiline => re_flags.push('m'),
            Modifier::DotAll => re_flags.push('s'),
            Modifier::Exists => exists = true,
            Modifier::FieldRef => fieldref = true,
            other => {
                return Err(format!(
                    "the `|{}` modifier (on {name}) is not supported",
                    format!("{other:?}").to_lowercase()
                ))
            }
        }
    }
    let field = Field::of(name);
    let values = it
        .values
        .iter()
        .map(|v| -> Result<Value, String> {
            if exists {
                return match v {
                    SigmaValue::Bool(b) => Ok(Value::Exists(*b)),
                    _ => Err(format!("`|exists` on {name} needs true or false")),
                };
            }
            if fieldref {
                return match v {
                    SigmaValue::String(s) => Ok(Value::FieldRef(Field::of(&s.original))),
                    _ => Err(format!("`|fieldref` on {name} needs a field name")),
                };
            }
            if re {
                let SigmaValue::String(s) = v else {
                    return Err(format!("`|re` on {name} needs a string"));
                };
                let flags = if re_flags.is_empty() {
                    String::new()
                } else {
                    format!("(?{re_flags})")
                };
                return regex::RegexBuilder::new(&format!("{flags}{}", s.original))
                    .size_limit(1 << 20)
                    .build()
                    .map(Value::Re)
                    .map_err(|e| {
                        format!("the regular expression on {name} does not compile: {e}")
                    });
            }
            Ok(match v {
                SigmaValue::Null => Value::Null,
                SigmaValue::String(s) => Value::Pattern(Pattern::new(s, anchor, cased)),
                other => {
                    let text = plain_text(other)?;
                    Value::Pattern(Pattern::new(
                        &rsigma_parser::SigmaString::from_raw(&text),
                        anchor,
                        cased,
                    ))
                }
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Cond::Test(Test::new(field, values, all)))
}
