//! What a detection rule is, whatever it came from: an id, a title, how bad, where in ATT&CK,
//! who wrote it, and a line on why a responder should care.

use super::attack::Tactic;

#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// `high`, `High`, `informational`…
    pub fn parse(text: &str) -> Option<Severity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "info" | "informational" => Some(Severity::Info),
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

/// Where a rule came from: it decides the attribution a finding must carry.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Origin {
    /// SigmaHQ's rules (DRL 1.1: a finding names the rule's author).
    Sigma,
    /// trailscope's own rules over several events.
    Trailscope,
    /// A rule file in the user's config directory.
    User { path: String },
}

impl Origin {
    pub fn label(&self) -> &str {
        match self {
            Origin::Sigma => "Sigma",
            Origin::Trailscope => "trailscope",
            Origin::User { .. } => "yours",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Rule {
    /// Short and stable: the Sigma file's stem, `ts_…` for trailscope's own, the user's id.
    /// `finding:ID` in the filter language names it.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// The first is the one findings group under.
    pub tactics: Vec<Tactic>,
    /// `T1562.008`
    pub techniques: Vec<String>,
    pub origin: Origin,
    pub author: String,
    /// Where to read the rule (a URL or a path).
    pub reference: String,
    /// Why it matters, in one line.
    pub why: String,
    /// Fires often on ordinary activity (measured on the generator's trail: BENCHMARKS.md):
    /// its findings sort after the others of their severity.
    pub noisy: bool,
}

impl Rule {
    pub fn tactic(&self) -> Option<Tactic> {
        self.tactics.first().copied()
    }

    /// `TA0005 Defense Evasion · T1562.008`
    pub fn attack_text(&self) -> String {
        let mut parts: Vec<String> = self
            .tactics
            .iter()
            .map(|t| format!("{} {}", t.id(), t.name()))
            .collect();
        parts.extend(self.techniques.iter().cloned());
        parts.join(" · ")
    }

    /// The attribution a finding carries: `Sigma rule by vitaliy0x1 (DRL 1.1)`.
    pub fn credit(&self) -> String {
        match &self.origin {
            Origin::Sigma => format!("Sigma rule by {} (DRL 1.1)", self.author),
            Origin::Trailscope => "trailscope rule".to_string(),
            Origin::User { path } => format!("your rule ({path})"),
        }
    }
}
