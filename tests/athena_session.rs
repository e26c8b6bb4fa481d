//! The app's Athena session, reducer-level on the demo: a pivot is offered as Athena SQL
//! across the window and every account, shown in the editor before anything is sent; a
//! lineage view is offered as the key chain the loaded events show (its activity and what
//! minted it); the playbook list is Athena's, filled from the pivot; the picker lists the
//! catalog's tables (one read whole says how much) and opens the editor on the one chosen;
//! and F5 starts an Athena statement, recorded with the source as evidence.

mod common;

use common::harness::given_demo;
use trailscope::app::effect::Effect;
use trailscope::app::lake::{AthenaOn, Engine, LakeSession};
use trailscope::athena::catalog::FoundTable;
use trailscope::athena::sql::{Partitioned, Table};
use trailscope::job::{JobMsg, JobSpec};
use trailscope::model::time::EventTime;
use trailscope::trino::Window;

fn window() -> Window {
    Window {
        start: EventTime::parse("2026-11-01T00:00:00Z").expect("a time"),
        end: EventTime::parse("2026-11-22T00:00:00Z").expect("a time"),
    }
}

fn on_table() -> Option<AthenaOn> {
    Some(AthenaOn {
        table: Table::new("trailscope", "cloudtrail").expect("a table"),
        partitioned: Partitioned::ByAccountRegionDay,
    })
}

fn athena_demo() -> common::harness::Harness {
    let mut h = given_demo(160, 44);
    h.app.lake = Some(LakeSession::athena(
        "trailscope.cloudtrail".into(),
        on_table(),
        "primary".into(),
        window(),
        "",
    ));
    h.app
        .session
        .sources
        .push(trailscope::session::state::SourceRecord {
            kind: "athena".into(),
            label: "Athena trailscope.cloudtrail".into(),
            ..Default::default()
        });
    h
}

fn editor_text(h: &common::harness::Harness) -> String {
    let lake = h.app.lake.as_ref().expect("a SQL session");
    assert!(lake.editing, "the editor is open");
    lake.editor.text()
}

#[test]
fn a_pivot_is_offered_as_athena_sql_across_every_account_before_it_runs() {
    let h = athena_demo().keys("/key:AKIAXLEAKED0EXAMPLE1<enter>pk");
    let sql = editor_text(&h);
    assert!(
        sql.contains("useridentity.accesskeyid = 'AKIAXLEAKED0EXAMPLE1'"),
        "{sql}"
    );
    assert!(sql.contains("FROM \"trailscope\".\"cloudtrail\""), "{sql}");
    assert!(sql.contains("\"timestamp\" BETWEEN '2026/11/01'"), "{sql}");
    // Every account: no account or region narrows a pivot.
    assert!(!sql.contains("\"account\" IN"), "{sql}");
    assert!(
        h.app
            .notice
            .as_deref()
            .is_some_and(|n| n.contains("Athena SQL across every account")),
        "{:?}",
        h.app.notice
    );
    // Nothing sent yet: a query costs money.
    assert!(
        !h.effects.iter().any(|e| matches!(e, Effect::Start { .. })),
        "{:?}",
        h.effects
    );
}

#[test]
fn a_lineage_view_is_offered_as_its_key_chain_and_what_minted_it() {
    let h = athena_demo().keys("/key:AKIAXLEAKED0EXAMPLE1<enter>pl");
    let sql = editor_text(&h);
    let chain = "'AKIAXLEAKED0EXAMPLE1', 'AKIAXPERSIST0BACKUP1', 'ASIAXATTACKSESSION01'";
    assert!(
        sql.contains(&format!("useridentity.accesskeyid IN ({chain})")),
        "{sql}"
    );
    assert!(
        sql.contains(&format!(
            "json_extract_scalar(responseelements, '$.credentials.accessKeyId') IN ({chain})"
        )),
        "{sql}"
    );
}

#[test]
fn the_playbooks_are_athenas_and_f5_runs_one_as_evidence() {
    let mut h = athena_demo().keys("/key:AKIAXLEAKED0EXAMPLE1<enter>pk");
    let names: Vec<&str> = h
        .app
        .lake
        .as_ref()
        .expect("a session")
        .templates()
        .iter()
        .map(|t| t.name)
        .collect();
    assert!(names.contains(&"key-chain"), "{names:?}");
    h.effects.clear();
    // The template list, down to key-chain (the second), filled from the pivot.
    let h = h.keys("<c-t><down><enter>");
    let sql = editor_text(&h);
    assert!(
        sql.contains("useridentity.accesskeyid IN ('AKIAXLEAKED0EXAMPLE1', "),
        "{sql}"
    );
    let h = h.keys("<f5>");
    let started: Vec<&JobSpec> = h
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Start { spec, .. } => Some(spec.as_ref()),
            _ => None,
        })
        .collect();
    assert!(
        matches!(started[..], [JobSpec::AthenaQuery { sql: ref s, ref origin }] if *s == sql && origin == "Athena trailscope.cloudtrail"),
        "{started:?}"
    );
    let recorded = &h.app.session.sources.last().expect("the source").queries;
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        (
            recorded[0].workgroup.as_str(),
            recorded[0].statement.as_str()
        ),
        ("primary", sql.as_str())
    );
}

#[test]
fn the_picker_lists_the_tables_and_opens_the_editor_on_the_one_chosen() {
    use trailscope::app::boot::{Boot, Start};
    let session = LakeSession::athena(String::new(), None, "primary".into(), window(), "");
    let start = Start::Athena {
        session: Box::new(session),
        first_sql: None,
    };
    let (app, effects) = trailscope::app::App::boot(Boot::new(start, "Athena", 160, 44), |_| {});
    // The picker asks the catalog as a job.
    let job = effects
        .iter()
        .find_map(|e| match e {
            Effect::Start { job, spec } if matches!(**spec, JobSpec::AthenaTables) => Some(*job),
            _ => None,
        })
        .expect("the catalog is asked");
    let mut h = common::harness::Harness {
        app,
        effects: Vec::new(),
    };
    let projected = FoundTable::new(
        "trailscope.cloudtrail".into(),
        "s3://trail/AWSLogs/".into(),
        vec!["account".into(), "region".into(), "timestamp".into()],
        true,
        Some("2020/01/01".into()),
    );
    let mut plain = FoundTable::new(
        "trailscope.cloudtrail_plain".into(),
        "s3://trail/AWSLogs/".into(),
        Vec::new(),
        false,
        None,
    );
    plain.whole_size = Some("3.0 GiB in 1200 objects ≈ $0.01500 a statement".into());
    trailscope::app::update(
        &mut h.app,
        trailscope::app::msg::Msg::Job(job, JobMsg::Tables(vec![projected, plain])),
    );
    let screen = h.draw().join("\n");
    assert!(
        screen.contains("Athena: pick a CloudTrail table"),
        "{screen}"
    );
    assert!(screen.contains("trailscope.cloudtrail_plain"), "{screen}");
    assert!(screen.contains("3.0 GiB in 1200 objects"), "{screen}");
    // The plain table: the editor says it is read whole, and how much.
    let h = h.keys("<down><enter>");
    let lake = h.app.lake.as_ref().expect("a session");
    assert_eq!(lake.store, "trailscope.cloudtrail_plain");
    assert!(
        matches!(lake.engine, Engine::Athena { on: Some(ref on), .. } if on.partitioned == Partitioned::No)
    );
    let sql = editor_text(&h);
    assert!(
        sql.contains("FROM \"trailscope\".\"cloudtrail_plain\""),
        "{sql}"
    );
    assert!(!sql.contains("\"timestamp\" BETWEEN"), "{sql}");
    let warning = lake.editor.error.clone().unwrap_or_default();
    assert!(
        warning.contains("read whole") && warning.contains("3.0 GiB"),
        "{warning}"
    );
}
