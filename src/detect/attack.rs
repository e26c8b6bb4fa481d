//! One ATT&CK tactic vocabulary. TrailDiscover and Panther write `TA0005 - Defense Evasion`;
//! Sigma writes `attack.defense-evasion`, and since ATT&CK split Defense Evasion it also writes
//! `attack.stealth` and `attack.defense-impairment`. Findings sort and group by one name, so
//! every spelling lands on the enterprise tactic it belongs to (both halves of the split on
//! TA0005, the tactic the other sources and every earlier rule call it).

/// The ATT&CK Enterprise tactics, in kill-chain order (the findings view sorts by it).
#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Tactic {
    Reconnaissance,
    ResourceDevelopment,
    InitialAccess,
    Execution,
    Persistence,
    PrivilegeEscalation,
    DefenseEvasion,
    CredentialAccess,
    Discovery,
    LateralMovement,
    Collection,
    CommandAndControl,
    Exfiltration,
    Impact,
}

/// (tactic, TA number, name, the spellings that mean it).
const TACTICS: &[(Tactic, &str, &str, &[&str])] = &[
    (
        Tactic::Reconnaissance,
        "TA0043",
        "Reconnaissance",
        &["reconnaissance"],
    ),
    (
        Tactic::ResourceDevelopment,
        "TA0042",
        "Resource Development",
        &["resource-development", "resource_development"],
    ),
    (
        Tactic::InitialAccess,
        "TA0001",
        "Initial Access",
        &["initial-access", "initial_access"],
    ),
    (Tactic::Execution, "TA0002", "Execution", &["execution"]),
    (
        Tactic::Persistence,
        "TA0003",
        "Persistence",
        &["persistence"],
    ),
    (
        Tactic::PrivilegeEscalation,
        "TA0004",
        "Privilege Escalation",
        &["privilege-escalation", "privilege_escalation"],
    ),
    (
        Tactic::DefenseEvasion,
        "TA0005",
        "Defense Evasion",
        &[
            "defense-evasion",
            "defense_evasion",
            "stealth",
            "defense-impairment",
            "defense_impairment",
        ],
    ),
    (
        Tactic::CredentialAccess,
        "TA0006",
        "Credential Access",
        &["credential-access", "credential_access"],
    ),
    (Tactic::Discovery, "TA0007", "Discovery", &["discovery"]),
    (
        Tactic::LateralMovement,
        "TA0008",
        "Lateral Movement",
        &["lateral-movement", "lateral_movement"],
    ),
    (Tactic::Collection, "TA0009", "Collection", &["collection"]),
    (
        Tactic::CommandAndControl,
        "TA0011",
        "Command and Control",
        &["command-and-control", "command_and_control"],
    ),
    (
        Tactic::Exfiltration,
        "TA0010",
        "Exfiltration",
        &["exfiltration"],
    ),
    (Tactic::Impact, "TA0040", "Impact", &["impact"]),
];

impl Tactic {
    fn entry(self) -> &'static (Tactic, &'static str, &'static str, &'static [&'static str]) {
        // Every variant has its row; the index is its position.
        &TACTICS[self as usize]
    }

    /// `TA0005`
    pub fn id(self) -> &'static str {
        self.entry().1
    }

    /// `Defense Evasion`
    pub fn name(self) -> &'static str {
        self.entry().2
    }

    /// Any spelling the sources use: `attack.stealth`, `stealth`, `TA0005`,
    /// `TA0005 - Defense Evasion`, `Defense Evasion`, `TA0007:T1538` (Panther's pair).
    pub fn parse(text: &str) -> Option<Tactic> {
        let t = text.trim();
        let t = t.strip_prefix("attack.").unwrap_or(t);
        let head = t.split([' ', ':']).next().unwrap_or(t);
        TACTICS.iter().find_map(|(tactic, id, name, words)| {
            let hit = head.eq_ignore_ascii_case(id)
                || t.eq_ignore_ascii_case(name)
                || words.iter().any(|w| t.eq_ignore_ascii_case(w));
            hit.then_some(*tactic)
        })
    }
}

/// A technique in a Sigma tag (`attack.t1078.004`) as ATT&CK writes it (`T1078.004`).
pub fn technique_of_tag(tag: &str) -> Option<String> {
    let t = tag.strip_prefix("attack.")?;
    let rest = t.strip_prefix('t').or_else(|| t.strip_prefix('T'))?;
    let digits = rest.split('.').next()?;
    (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| format!("T{rest}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_lands_on_one_tactic() {
        for text in [
            "attack.defense-evasion",
            "attack.stealth",
            "attack.defense-impairment",
            "TA0005",
            "TA0005 - Defense Evasion",
            "Defense Evasion",
        ] {
            assert_eq!(Tactic::parse(text), Some(Tactic::DefenseEvasion), "{text}");
        }
        assert_eq!(Tactic::parse("TA0007:T1538"), Some(Tactic::Discovery));
        assert_eq!(
            Tactic::parse("attack.initial-access"),
            Some(Tactic::InitialAccess)
        );
        assert_eq!(Tactic::parse("attack.t1078"), None);
        for (i, row) in TACTICS.iter().enumerate() {
            assert_eq!(row.0 as usize, i, "TACTICS is in enum order");
        }
    }

    #[test]
    fn techniques_from_tags() {
        assert_eq!(
            technique_of_tag("attack.t1078.004").as_deref(),
            Some("T1078.004")
        );
        assert_eq!(technique_of_tag("attack.t1485").as_deref(), Some("T1485"));
        assert_eq!(technique_of_tag("attack.persistence"), None);
    }
}
