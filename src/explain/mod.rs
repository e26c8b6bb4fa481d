//! What an event is: what the call does, how attackers use it, its MITRE ATT&CK tactics and
//! techniques, and the Stratus Red Team techniques whose detonation produces it. At 3 a.m.
//! nobody remembers what `PutBucketReplication` can do for an attacker; the detail pane says.
//! The catalogue is assets/explain/events.json, derived from TrailDiscover (CC BY 4.0) and
//! Stratus Red Team (Apache-2.0); `CREDITS` is the attribution both licences ask for.

use crate::model::sanitize::visible;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One event of the catalogue.
#[derive(Deserialize, Debug, Default, Clone, PartialEq, Eq)]
#[serde(default)]
pub struct Explanation {
    pub source: String,
    pub name: String,
    /// The service as people call it (`Secrets Manager`).
    pub service: String,
    /// What the call does.
    pub description: String,
    /// How attackers use it.
    pub implications: String,
    /// `TA0005 - Defense Evasion`
    pub tactics: Vec<String>,
    /// `T1562.008 - Impair Defenses: Disable or Modify Cloud Logs`
    pub techniques: Vec<String>,
    pub used_in_wild: bool,
    /// Stratus Red Team techniques that produce it: (id, title).
    pub stratus: Vec<(String, String)>,
    /// The detection rules this event raised, each `severity · title · credit` (filled in by
    /// the app for the selected event; not part of the catalogue).
    #[serde(skip)]
    pub findings: Vec<String>,
}

impl Explanation {
    /// (label, text) for each line shown, most useful first, escaped for a terminal.
    pub fn parts(&self) -> Vec<(&'static str, String)> {
        let e = self;
        let mut parts: Vec<(&'static str, String)> = e
            .findings
            .iter()
            .map(|f| ("Finding: ", visible(f).into_owned()))
            .collect();
        if !e.implications.is_empty() {
            let wild = if e.used_in_wild {
                " (seen in real incidents)"
            } else {
                ""
            };
            parts.push(("Attackers: ", format!("{}{wild}", visible(&e.implications))));
        }
        if !e.description.is_empty() {
            parts.push(("Does: ", visible(&e.description).into_owned()));
        }
        let attack: Vec<String> = e
            .tactics
            .iter()
            .chain(&e.techniques)
            .map(|t| visible(t).into_owned())
            .collect();
        if !attack.is_empty() {
            parts.push(("ATT&CK: ", attack.join(" · ")));
        }
        if !e.stratus.is_empty() {
            let made: Vec<String> = e
                .stratus
                .iter()
                .map(|(id, title)| format!("{} ({})", visible(id), visible(title)))
                .collect();
            parts.push(("In Stratus Red Team detonations: ", made.join(", ")));
        }
        parts
    }

    /// The rows these lines need at `width` columns inside a border, the border included (the
    /// layout gives the pane that much, up to a share of the detail pane).
    pub fn rows(&self, width: u16) -> u16 {
        use unicode_width::UnicodeWidthStr;
        let width = usize::from(width.max(1));
        let text_rows: usize = self
            .parts()
            .iter()
            .map(|(label, text)| (label.width() + text.width()).div_ceil(width).max(1))
            .sum();
        // Word wrap breaks a little earlier than a character count: a row to spare.
        (text_rows + 3).min(usize::from(u16::MAX)) as u16
    }
}

const CATALOGUE_JSON: &str = include_str!("../../assets/explain/events.json");

/// Where the explanations come from, as their licences ask: who made them, the licence with
/// its link, where from, and what was changed. `trailscope --credits` prints it.
pub const CREDITS: &str = "\
What trailscope says about an event (the detail pane, `e`) comes from:

  TrailDiscover, by Adan Alvarez and the TrailDiscover contributors
    https://github.com/adanalvarez/TrailDiscover (https://traildiscover.cloud/)
    Licence: Creative Commons Attribution 4.0 International,
    https://creativecommons.org/licenses/by/4.0/
    Changed: fields selected, whitespace collapsed, technique lists joined
    (assets/explain/SOURCE.md).

  Stratus Red Team, Copyright 2021-Present Datadog, Inc.
    https://github.com/DataDog/stratus-red-team
    Licence: Apache License 2.0, https://www.apache.org/licenses/LICENSE-2.0
    Used: each AWS technique's title and the CloudTrail events it generates.

The shipped detection rules (the findings view, `!`, and `trailscope query --findings`):

  Sigma rules for AWS CloudTrail, by SigmaHQ and each rule's author
    https://github.com/SigmaHQ/sigma/tree/master/rules/cloud/aws/cloudtrail
    Licence: Detection Rule License (DRL) 1.1,
    https://github.com/SigmaHQ/Detection-Rule-License
    Used unchanged; every finding a Sigma rule raises names the rule's author.

  trailscope's own rules (assets/detections/trailscope.toml, src/detect/own/),
    under trailscope's licence.

The licence texts ship in assets/explain/ and assets/detections/ of trailscope's source.
";

fn catalogue() -> &'static HashMap<(String, String), Explanation> {
    static CATALOGUE: OnceLock<HashMap<(String, String), Explanation>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        // Shipped inside the binary and checked by a test: a parse error would leave the
        // pane without explanations, never stop the app.
        let list: Vec<Explanation> = serde_json::from_str(CATALOGUE_JSON).unwrap_or_default();
        list.into_iter()
            .map(|e| ((e.source.clone(), e.name.clone()), e))
            .collect()
    })
}

/// What the catalogue says about `name` from `source`, if it knows the event.
pub fn of(source: &str, name: &str) -> Option<&'static Explanation> {
    catalogue().get(&(source.to_string(), name.to_string()))
}

/// How many events the catalogue explains.
pub fn len() -> usize {
    catalogue().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_reads_whole() {
        assert_eq!(len(), 387);
        let e = of("cloudtrail.amazonaws.com", "DeleteTrail")
            .cloned()
            .unwrap_or_default();
        assert_eq!(e.description, "Deletes a trail.");
        assert!(e.tactics.iter().any(|t| t.contains("Defense Evasion")));
        assert!(e.techniques.iter().any(|t| t.starts_with("T1562.008")));
        assert_eq!(
            e.stratus,
            vec![(
                "aws.defense-evasion.cloudtrail-delete".to_string(),
                "Delete CloudTrail Trail".to_string()
            )]
        );
        assert!(of("cloudtrail.amazonaws.com", "NoSuchCall").is_none());
        assert!(CREDITS.contains("creativecommons.org/licenses/by/4.0"));
    }
}
