//! The findings view end to end in a real terminal: on the demo incident, with no lead typed,
//! `!` lists what the rules found; a finding on the leaked key's owner pivots to its event,
//! and from there `p k` is the leaked key's walk. Headless, `query --findings` prints the same
//! findings with each Sigma rule's author.

mod common;
use common::tmux::Tmux;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_trailscope")
}

/// The findings as `query --findings` lists them: the view lists them in the same order.
fn findings_jsonl() -> Vec<serde_json::Value> {
    let out = std::process::Command::new(bin())
        .args(["query", "--demo", "--findings", "-o", "jsonl"])
        .env("TRAILSCOPE_CONFIG_DIR", "/nonexistent-trailscope-config")
        .output()
        .expect("run trailscope query");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSONL"))
        .collect()
}

#[test]
fn from_a_finding_to_the_leaked_key_walk() {
    let at = findings_jsonl()
        .iter()
        .position(|l| l["rule"] == "ts_new_source_ip" && l["principal"] == "ci-deploy")
        .expect("the leaked key's owner called from a new address");
    let t = Tmux::start("findings", 140, 40);
    t.wait_text("READY>", 10);
    t.send_line(&format!(
        "TRAILSCOPE_CONFIG_DIR=/nonexistent-trailscope-config {} --demo --no-save; echo EXIT-CODE=$?",
        bin()
    ));
    t.wait_for("the demo loaded", 60, |s| s.contains("loaded in"));
    t.send_keys(&["!"]);
    let screen = t.wait_text("findings of the view", 20);
    // Worst first, with the ATT&CK tactic and who wrote each rule.
    assert!(screen.contains("HIGH"), "{screen}");
    assert!(
        screen.contains("Role assumed into another account"),
        "{screen}"
    );
    assert!(screen.contains("TA0008 Lateral Movement"), "{screen}");
    // Down to the leaked key's owner calling from a new address, and Enter.
    for _ in 0..at {
        t.send_keys(&["j"]);
    }
    t.send_keys(&["Enter"]);
    let view = t.wait_text("finding:ts_new_source_ip principal:=ci-deploy", 10);
    let view = if view.contains("198.51.100.77") {
        view
    } else {
        t.wait_text("198.51.100.77", 10)
    };
    assert!(view.contains("events 1/1"), "one event:\n{view}");
    let view = t.wait_text("Finding:", 10);
    assert!(
        view.contains("Credentials used from a new IP"),
        "the rule above the JSON:\n{view}"
    );
    // The pivot on its key is the leaked key's walk: its 35 events.
    t.send_keys(&["p", "k"]);
    t.wait_text("key:=AKIAXLEAKED0EXAMPLE1", 10);
    let walk = t.wait_for("the key's 35 events", 10, |s| s.contains("/35 "));
    assert!(walk.contains("ci-deploy"), "{walk}");
    t.send_keys(&["q"]);
    t.wait_text("EXIT-CODE=0", 10);
}

#[test]
fn query_findings_name_the_rule_authors() {
    let lines = findings_jsonl();
    let stop = lines
        .iter()
        .find(|l| l["rule"] == "aws_cloudtrail_disable_logging")
        .expect("the StopLogging finding");
    assert_eq!(stop["author"], "vitaliy0x1");
    assert_eq!(stop["licence"], "DRL 1.1");
    assert_eq!(
        stop["principal"],
        "OrganizationAccountAccessRole/deploy-sync"
    );
    let new_ip = lines
        .iter()
        .find(|l| l["rule"] == "ts_new_source_ip" && l["principal"] == "ci-deploy")
        .expect("the leaked key's new address");
    assert_eq!(new_ip["events"], 1);
    // The worst first.
    assert_eq!(lines[0]["severity"], "high");
}

#[test]
fn query_filters_on_findings() {
    let count = |filter: &str| {
        let out = std::process::Command::new(bin())
            .args(["query", "--demo", "-o", "count", "-f", filter])
            .env("TRAILSCOPE_CONFIG_DIR", "/nonexistent-trailscope-config")
            .output()
            .expect("run trailscope query");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(count("finding:ts_access_denied_storm"), "12");
    // Every group's principal as the findings view pivots on it.
    assert_eq!(
        count("finding:any principal:=\"account 111122223333\""),
        "1"
    );
    assert_eq!(count("finding:any principal:=\"root (111122223333)\""), "3");
    // Globs name several rules: the leaked key listed the account's buckets (Sigma's
    // aws_enum_buckets) once.
    assert_eq!(count("finding:aws_enum* key:AKIAXLEAKED0EXAMPLE1"), "1");
}
