//! Detections in the app, through the reducer: the findings view (`!`) over the demo
//! incident, its pivot into the leaked key's walk, the table's marker, the rules named above
//! an event's JSON, suppressions saved with the investigation, and the user's own rules.

mod common;

use common::harness::given_demo;
use trailscope::app::Overlay;
use trailscope::detect::{Detector, Origin};

fn group_index(h: &common::harness::Harness, rule: &str, principal: &str) -> usize {
    h.app
        .findings
        .iter()
        .position(|g| {
            h.app.detector.rule(g.rule).is_some_and(|r| r.id == rule) && g.principal == principal
        })
        .unwrap_or_else(|| panic!("no {rule} finding for {principal}"))
}

#[test]
fn a_finding_leads_to_the_leaked_key_walk() {
    let h = given_demo(160, 40).keys("!");
    assert_eq!(h.app.overlay, Some(Overlay::Findings { cursor: 0 }));
    // Worst first: the cross-account IAM writes (high) lead.
    let first = h.app.detector.rule(h.app.findings[0].rule).expect("rule");
    assert_eq!(first.id, "ts_cross_account_iam_write");
    // The leaked key's owner called from a new address, then was refused a dozen times.
    let at = group_index(&h, "ts_new_source_ip", "ci-deploy");
    let h = h.keys(&"j".repeat(at)).keys("<enter>");
    assert_eq!(h.app.overlay, None);
    assert_eq!(
        h.app.filter.text,
        "finding:ts_new_source_ip principal:=ci-deploy"
    );
    assert_eq!(h.app.rows().len(), 1);
    let idx = h.app.selected().expect("the finding's event");
    let e = h.app.store.event(idx);
    assert_eq!(h.app.store.text(e.source_ip), "198.51.100.77");
    assert_eq!(
        h.app.store.text(e.identity.access_key_id),
        "AKIAXLEAKED0EXAMPLE1"
    );
    // Above its JSON: the rule that fired, and the pivot on the key is the walk.
    let explained = h.app.explanation().expect("an explanation");
    assert!(
        explained
            .findings
            .iter()
            .any(|f| f.contains("Credentials used from a new IP address")),
        "{:?}",
        explained.findings
    );
    let h = h.keys("pk");
    assert_eq!(h.app.filter.text, "key:=AKIAXLEAKED0EXAMPLE1");
    assert_eq!(h.app.rows().len(), 35);
}

#[test]
fn sigma_findings_name_their_author_and_events_are_marked() {
    let h = given_demo(160, 40).keys("/event:StopLogging<enter>");
    let idx = h.app.selected().expect("StopLogging");
    let explained = h.app.explanation().expect("an explanation");
    assert!(
        explained
            .findings
            .iter()
            .any(|f| f.contains("AWS CloudTrail Important Change")
                && f.contains("Sigma rule by vitaliy0x1 (DRL 1.1)")),
        "{:?}",
        explained.findings
    );
    assert!(h.app.finding_severity(idx).is_some());
    let screen = h.draw().join("\n");
    assert!(screen.contains("Finding: "), "{screen}");
    assert!(
        screen.contains("│! 20"),
        "the gutter flags the event:\n{screen}"
    );
    // `finding:` is a filter like any other.
    let h = h.keys("/<c-u>finding:aws_cloudtrail_disable_logging<enter>");
    assert_eq!(h.names(), ["StopLogging"]);
}

#[test]
fn a_suppression_quiets_a_finding_is_listed_and_saved() {
    let h = given_demo(160, 40).keys("!");
    let at = group_index(&h, "ts_access_denied_storm", "ci-deploy");
    // `x` fills in the command line; the reason is typed.
    let h = h.keys(&"j".repeat(at)).keys("x");
    let prompt = h.app.prompt.as_ref().expect("the command line");
    assert_eq!(
        prompt.bar.text(),
        "suppress rule ts_access_denied_storm principal ci-deploy "
    );
    let h = h.keys("pentest<space>of<space>the<space>CI<space>role<enter>");
    assert!(h
        .app
        .notice
        .as_deref()
        .unwrap_or("")
        .contains("suppressed rule ts_access_denied_storm"));
    let h = h.keys("!");
    assert!(h.app.findings.iter().all(|g| h
        .app
        .detector
        .rule(g.rule)
        .is_some_and(|r| r.id != "ts_access_denied_storm")));
    let screen = h.draw().join("\n");
    assert!(screen.contains("Suppressed"), "{screen}");
    assert!(screen.contains("pentest of the CI role"), "{screen}");
    let h = h.keys("<esc>/finding:ts_access_denied_storm<enter>");
    assert_eq!(h.app.rows().len(), 0, "suppressed findings do not match");
    let saved = trailscope::app::session::capture(&h.app);
    assert_eq!(saved.suppressions.len(), 1);
    assert_eq!(saved.suppressions[0].reason, "pentest of the CI role");
    // Lifted again.
    let h = h.keys(":unsuppress<space>rule<space>ts_access_denied_storm<space>principal<space>ci-deploy<enter>");
    assert!(h.app.detector.suppressions().is_empty());
    assert_eq!(h.app.rows().len(), 12);
    // A suppression without a reason is refused.
    let h = h.keys(":suppress<space>rule<space>ts_new_tool<enter>");
    let why = h
        .app
        .prompt
        .as_ref()
        .and_then(|p| p.error.clone())
        .or(h.app.notice.clone())
        .unwrap_or_default();
    assert!(why.contains("reason"), "{why:?}");
    assert!(h.app.detector.suppressions().is_empty());
}

#[test]
fn the_profile_pane_lists_the_views_findings() {
    let h = given_demo(160, 40).keys("/key:AKIAXLEAKED0EXAMPLE1<enter>i");
    let ids: Vec<&str> = h
        .app
        .profile
        .findings
        .iter()
        .map(|c| c.value.as_str())
        .collect();
    assert!(ids.contains(&"ts_access_denied_storm"), "{ids:?}");
    assert!(ids.contains(&"ts_new_source_ip"), "{ids:?}");
}

#[test]
fn user_rules_join_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = dir.path().join("rules");
    std::fs::create_dir_all(&rules).expect("rules dir");
    std::fs::write(
        rules.join("mine.toml"),
        r#"
[[rule]]
id = "my_bucket_deleted"
title = "Our evidence bucket touched"
severity = "high"
tactic = "impact"
filter = "event:DeleteObject target:acme-finance-reports*"

[[rule]]
id = "broken"
title = "Does not parse"
filter = "event:(("
"#,
    )
    .expect("write");
    std::fs::write(
        rules.join("mine.yml"),
        "title: Root console login\nauthor: me\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  sel:\n    eventName: ConsoleLogin\n    userIdentity.type: Root\n  condition: sel\nlevel: high\n",
    )
    .expect("write");
    std::fs::write(
        rules.join("base64.yml"),
        "title: Unsupported\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  sel:\n    userAgent|base64: x\n  condition: sel\n",
    )
    .expect("write");
    let d = Detector::new(Some(dir.path()));
    let mine = d
        .rules()
        .iter()
        .find(|r| r.id == "my_bucket_deleted")
        .expect("the TOML rule");
    assert!(matches!(mine.origin, Origin::User { .. }));
    assert!(d.rules().iter().any(|r| r.id == "mine" && r.author == "me"));
    let skipped: Vec<String> = d
        .skipped()
        .iter()
        .map(|s| format!("{}: {}", s.name, s.reason))
        .collect();
    assert!(
        skipped
            .iter()
            .any(|s| s.contains("broken") && s.contains("does not parse")),
        "{skipped:?}"
    );
    assert!(
        skipped
            .iter()
            .any(|s| s.contains("base64") && s.contains("not supported")),
        "{skipped:?}"
    );

    let mut store = common::demo_store_owned();
    let mut d = d;
    d.update(&mut store, trailscope::model::time::EventTime::now(), false);
    let deleted = store.hits.events_where(|id| id == "my_bucket_deleted");
    assert_eq!(deleted.len(), 30);
    assert_eq!(store.hits.events_where(|id| id == "mine").len(), 1);
}

#[test]
fn a_reopened_investigation_keeps_its_suppressions() {
    let h = given_demo(160, 40)
        .keys(":suppress<space>role<space>GitHubActionsTerraform<space>CI<space>plans<enter>");
    let state = trailscope::app::session::capture(&h.app);
    assert_eq!(state.suppressions.len(), 1);
    let mut session = trailscope::app::session::SessionMeta::default();
    session.restore = Some(state);
    let h =
        common::harness::given_session(trailscope::source::demo::plan(), "demo", 160, 40, session)
            .keys("!");
    let quiet = h.app.detector.suppressions();
    assert_eq!(quiet.len(), 1);
    assert_eq!(quiet[0].role.as_deref(), Some("GitHubActionsTerraform"));
    assert_eq!(quiet[0].reason, "CI plans");
    assert!(h.draw().join("\n").contains("role GitHubActionsTerraform"));
}

/// A principal name, a user agent and a user rule's title an attacker (or a careless
/// colleague) chose: every renderer of findings shows them inert.
#[test]
fn hostile_strings_in_findings_stay_inert() {
    let evil = "ev\u{1b}]52;c;cHduZWQ=\u{7}il\u{1b}[2J\u{202e}gnol\nname\r\u{9b}31m";
    let dir = tempfile::tempdir().expect("temp dir");
    let record = serde_json::json!({"Records": [{
        "eventVersion": "1.09",
        "eventTime": "2026-11-19T02:38:52Z",
        "eventSource": "cloudtrail.amazonaws.com",
        "eventName": "StopLogging",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.77",
        "userAgent": evil,
        "eventID": "11111111-2222-3333-4444-555555555555",
        "userIdentity": {"type": "IAMUser", "userName": evil,
            "arn": format!("arn:aws:iam::111122223333:user/{evil}"),
            "accountId": "111122223333", "accessKeyId": "AKIAXEVILEXAMPLE0001"},
        "requestParameters": {"name": evil}
    }]});
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).expect("logs dir");
    std::fs::write(logs.join("evil.json"), record.to_string()).expect("write");
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("rules")).expect("rules dir");
    let title = evil.replace('\n', " ").replace('"', "'");
    std::fs::write(
        config.join("rules/evil.toml"),
        format!(
            "[[rule]]\nid = \"evil\"\ntitle = {}\nwhy = {}\nfilter = \"event:StopLogging\"\n",
            toml_string(&title),
            toml_string(&title)
        ),
    )
    .expect("write rule");
    let unsafe_char =
        |c: char| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c);
    for format in ["table", "csv", "jsonl"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_trailscope"))
            .args(["query", "--findings", "-o", format])
            .arg(&logs)
            .env("TRAILSCOPE_CONFIG_DIR", &config)
            .output()
            .expect("run trailscope query");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("aws_cloudtrail_disable_logging"),
            "{format}: {text}"
        );
        assert!(
            text.contains("evil"),
            "{format}: the user's rule fired: {text}"
        );
        // CSV into a file or pipe is the exact text, as `--output csv` of events is (a
        // terminal gets it escaped); the table and JSONL are inert wherever they go.
        if format != "csv" {
            let bad: Vec<char> = text.chars().filter(|&c| unsafe_char(c)).collect();
            assert!(bad.is_empty(), "{format}: raw {bad:?} in\n{text}");
        }
        if format == "jsonl" {
            for line in text.lines() {
                let v: serde_json::Value = serde_json::from_str(line).expect("JSONL");
                if v["rule"] == "evil" {
                    // Inert, and still exactly what was written.
                    assert_eq!(v["title"], title.as_str());
                }
            }
        }
    }
    // In the app: the findings view and the pane above the JSON.
    let planned = trailscope::source::walk::plan(&[logs]);
    let h = common::harness::given_session(
        planned,
        "evil",
        120,
        30,
        trailscope::app::session::SessionMeta::default(),
    );
    let mut h = h;
    h.app.detector = Detector::new(Some(&config));
    let now = h.app.now();
    h.app.detector.update(&mut h.app.store, now, true);
    let h = h.keys("<enter>");
    for screen in [h.draw(), h.keys("!").draw()] {
        let text = screen.join("\n");
        let bad: Vec<char> = text.chars().filter(|&c| unsafe_char(c)).collect();
        assert!(bad.is_empty(), "raw {bad:?} on screen:\n{text}");
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Rules run batch by batch as events stream in (as from LookupEvents or S3): after each
/// batch the findings of the events so far are there, and at the end they are exactly the
/// findings of loading everything at once.
#[test]
fn findings_arrive_while_events_stream_in() {
    use trailscope::model::store::Store;
    use trailscope::model::time::EventTime;
    let dir = common::fixture("stratus-red-team-detonation-logs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let now = EventTime::now();
    let mut streamed = Store::default();
    let mut d = Detector::shipped();
    let mut seen_after_each = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let mut out = (Vec::new(), Vec::new());
        trailscope::model::parse::parse_text(&std::sync::Arc::from("t"), &text, &mut out);
        streamed.insert_batch(out.0);
        d.update(&mut streamed, now, false);
        seen_after_each.push(streamed.hits.events_where(|_| true).len());
    }
    d.update(&mut streamed, now, true);
    // Findings grew with the batches, the first file's already after the first batch.
    assert!(seen_after_each[0] > 0, "{seen_after_each:?}");
    assert!(seen_after_each.windows(2).all(|w| w[0] <= w[1]));
    let (whole, _) = common::load(&[dir]);
    let mut whole = whole;
    Detector::shipped().update(&mut whole, now, true);
    let ids = |s: &Store| {
        let mut v: Vec<(String, String)> = s
            .hits
            .events_where(|_| true)
            .into_iter()
            .flat_map(|i| {
                let e = s.event(i);
                let id = e
                    .event_id
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                s.hits
                    .of_event(i)
                    .iter()
                    .map(move |&r| (s.hits.rule_id(r).to_string(), id.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(&streamed), ids(&whole));
}
