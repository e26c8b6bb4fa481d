//! Quiet: a finding suppressed for a principal, a role or a rule (or a rule for one principal),
//! with the reason, so a noisy CI role does not bury the attacker. Saved with the investigation
//! and listed in the findings view; suppressed findings neither mark rows nor match `finding:`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// A rule id (`ts_new_tool`), or none for every rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// A principal as the table shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    /// The role a session was issued by (`userIdentity.sessionContext.sessionIssuer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub reason: String,
}

impl Suppression {
    /// `rule ts_new_tool principal ci-deployer nightly terraform runs`: pairs of what and which,
    /// then the reason (required: the point is to know later why it was quieted).
    pub fn parse(words: &[&str]) -> Result<Suppression, String> {
        let mut s = Suppression::default();
        let mut rest = words;
        while let [kind @ ("rule" | "principal" | "role"), value, tail @ ..] = rest {
            let v = Some((*value).to_string());
            match *kind {
                "rule" => s.rule = v,
                "principal" => s.principal = v,
                _ => s.role = v,
            }
            rest = tail;
        }
        if s.rule.is_none() && s.principal.is_none() && s.role.is_none() {
            return Err(
                "say what to quiet: `suppress rule ID|principal NAME|role NAME REASON…`".into(),
            );
        }
        s.reason = rest.join(" ");
        if s.reason.trim().is_empty() {
            return Err(
                "give a reason after what to quiet (it is saved and listed with it)".into(),
            );
        }
        Ok(s)
    }

    /// Whether a finding of `rule` on an event by `principal` (issued by `role`) is quieted.
    pub fn covers(&self, rule: &str, principal: &str, role: &str) -> bool {
        self.rule.as_deref().is_none_or(|r| r == rule)
            && self.principal.as_deref().is_none_or(|p| p == principal)
            && self.role.as_deref().is_none_or(|r| r == role)
    }

    /// `rule ts_new_tool · principal ci-deployer`
    pub fn scope(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.rule {
            parts.push(format!("rule {r}"));
        }
        if let Some(p) = &self.principal {
            parts.push(format!("principal {p}"));
        }
        if let Some(r) = &self.role {
            parts.push(format!("role {r}"));
        }
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_scope_then_reason() {
        let s = Suppression::parse(&[
            "principal",
            "ci-deployer",
            "rule",
            "ts_new_tool",
            "nightly",
            "terraform",
        ])
        .unwrap_or_default();
        assert_eq!(s.principal.as_deref(), Some("ci-deployer"));
        assert_eq!(s.rule.as_deref(), Some("ts_new_tool"));
        assert_eq!(s.reason, "nightly terraform");
        assert!(s.covers("ts_new_tool", "ci-deployer", ""));
        assert!(!s.covers("ts_new_source_ip", "ci-deployer", ""));
        assert!(!s.covers("ts_new_tool", "alice", ""));
        assert!(Suppression::parse(&["role", "ci"]).is_err());
        assert!(Suppression::parse(&["because"]).is_err());
    }
}
