//! The lineage across accounts (issue 21): a role assumed in another account is logged in
//! both, but what its session did is recorded only in the role's account. With that
//! account's events not loaded, the tree stops there, and says whose events are missing so
//! the app can offer to fetch them.

use std::sync::Arc;
use trailscope::lineage::{accounts_not_loaded, tree, Cred, Lineage};
use trailscope::model::parse::parse_text;
use trailscope::model::store::Store;
use trailscope::source::demo;
use trailscope::source::files::load_blocking;

fn key(k: &str) -> Cred {
    Cred::Key(k.to_string())
}

/// Only the caller's account loaded: the tree stops at the role assumed in the second
/// account, and says whose events are missing (issue 21: the app offers to fetch them).
#[test]
fn an_account_walked_into_but_not_loaded_is_named() {
    let whole = load_blocking(demo::plan()).0;
    let lineage = Lineage::build(&whole);
    let lines = tree(&lineage, &whole, &key("AKIAXLEAKED0EXAMPLE1"));
    assert_eq!(accounts_not_loaded(&whole, &lines), Vec::<String>::new());

    // The same events without the second account's own records.
    let mut sink = (Vec::new(), Vec::new());
    for i in whole.time_order() {
        let e = whole.event(*i);
        if whole.text(e.account) != "444455556666" {
            parse_text(&Arc::from("a"), &e.raw.text(), &mut sink);
        }
    }
    let mut one = Store::default();
    one.insert_batch(sink.0);
    let lineage = Lineage::build(&one);
    let lines = tree(&lineage, &one, &key("AKIAXLEAKED0EXAMPLE1"));
    assert!(
        lines
            .iter()
            .any(|l| l.cred.text() == "ASIAXATTACKSESSION01"),
        "the AssumeRole is logged in the caller's account too"
    );
    assert_eq!(
        accounts_not_loaded(&one, &lines),
        vec!["444455556666".to_string()]
    );
}
