//! The bundled demo tells its story (assets/demo/STORY.md; counts from the jq queries there).

use trailscope::model::store::IndexedField;
use trailscope::model::warning::Severity;
use trailscope::source::demo;
use trailscope::source::files::load_blocking;

#[test]
fn demo_holds_the_incident_buried_in_noise() {
    let (store, warnings) = load_blocking(demo::plan());
    assert_eq!(store.len(), 6707);
    assert_eq!(store.duplicates(), 0);
    assert!(
        warnings.iter().all(|w| w.severity == Severity::Note),
        "{warnings:?}"
    );
    assert!(warnings
        .iter()
        .any(|w| w.reason.contains("2 digest file(s) skipped")));
    assert_eq!(
        store.lookup(IndexedField::SourceIp, "198.51.100.77").len(),
        113
    );
    assert_eq!(
        store
            .lookup(IndexedField::AccessKey, "AKIAXLEAKED0EXAMPLE1")
            .len(),
        35
    );
    assert_eq!(
        store
            .lookup(IndexedField::AccessKey, "ASIAXATTACKSESSION01")
            .len(),
        12
    );
    assert_eq!(
        store
            .lookup(IndexedField::AccessKey, "AKIAXPERSIST0BACKUP1")
            .len(),
        83
    );
    let deletes = store
        .lookup(IndexedField::AccessKey, "AKIAXPERSIST0BACKUP1")
        .iter()
        .filter(|&&i| store.text(store.event(i).name) == "DeleteObject")
        .count();
    assert_eq!(deletes, 30);
    let stop = store.lookup(IndexedField::EventName, "StopLogging");
    assert_eq!(stop.len(), 1);
    assert_eq!(
        store.event(stop[0]).time.format_utc(),
        "2026-11-19 02:38:52"
    );
    let root = store
        .time_order()
        .iter()
        .filter(|&&i| store.event(i).is_root())
        .count();
    assert!(root >= 1, "a Root sign-in stands out");
}
