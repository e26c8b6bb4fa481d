//! After a pivot the app asks the active source one question: can you evaluate this view's
//! filter yourself, beyond what is loaded, and how? Each source answers in its own terms
//! (a LookupEvents attribute, Lake or Athena SQL across the window and every account); the
//! files hold everything there is, so they never offer. A new source adds its answer here.
//!
//! Athena also answers a lineage view (`lineage:KEY`), which no SQL condition can say as
//! such: the key chain the loaded events show, asked for everything each key did and for
//! the events that minted them, in every account. Each answer joins the store and may show
//! further keys, so the next `l` asks again, one billed step at a time.

use super::App;
use crate::app::command::Command;
use crate::app::lake::Engine;
use crate::app::layer::Layer;
use crate::filter::field::Field;
use crate::filter::Expr;
use crate::lake::pushdown::condition;
use crate::lineage::Cred;
use crate::model::sanitize::visible;
use crate::source::lookup::plan::plan as lookup_plan;

/// What the active source would do with the view's filter.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Pushdown {
    /// LookupEvents takes one attribute (`key=value`); the rest is filtered here.
    Lookup { attribute: String },
    /// Lake or Athena (`engine`) runs the whole filter as this statement.
    Sql { engine: &'static str, sql: String },
    /// The source cannot evaluate it, and why.
    Refused(String),
}

/// The one question, asked of whichever source the session reads from.
pub(crate) fn ask(app: &App) -> Option<Pushdown> {
    let filter = app.filter.effective();
    if app.live.is_some() {
        let plan = lookup_plan(&filter, app.now());
        return plan.attribute.map(|(key, value)| Pushdown::Lookup {
            attribute: format!("{}={}", key.as_str(), visible(&value)),
        });
    }
    let lake = app.lake.as_ref().filter(|l| !l.store.is_empty())?;
    let engine = lake.engine_name();
    let condition = match lake.engine {
        Engine::Lake => condition(&filter),
        Engine::Athena { .. } => athena_condition(app, &filter),
    };
    Some(match condition.and_then(|c| lake.events_sql(Some(&c))) {
        Ok(sql) => Pushdown::Sql { engine, sql },
        Err(why) => Pushdown::Refused(format!("not sent to {engine}: {}", visible(&why))),
    })
}

/// The filter as Athena SQL; a lineage view as its key chain's activity and minting.
fn athena_condition(app: &App, filter: &Expr) -> Result<String, String> {
    if let Expr::Field {
        field: Field::Lineage,
        value,
        ..
    } = filter
    {
        let keys = match Cred::parse(value) {
            Cred::Key(k) => chain_of(app, &k),
            _ => {
                return Err(
                    "a lineage from a key is asked across accounts; this one is not a key's".into(),
                )
            }
        };
        return Ok(crate::athena::templates::chain_condition(
            keys.iter().map(String::as_str),
        ));
    }
    crate::athena::pushdown::condition(filter)
}

/// `key` and every key it minted, as far as the loaded events show.
pub(super) fn chain_of(app: &App, key: &str) -> Vec<String> {
    let lineage = crate::lineage::Lineage::build(&app.store);
    let mut keys: Vec<String> = lineage
        .reachable(&app.store, &Cred::Key(key.to_string()))
        .into_iter()
        .filter_map(|c| match c {
            Cred::Key(k) => Some(k),
            _ => None,
        })
        .collect();
    if !keys.iter().any(|k| k == key) {
        keys.insert(0, key.to_string());
    }
    keys
}

/// Offers the answer: a notice for LookupEvents, the SQL in the editor for Lake (shown before
/// it runs: a query costs money).
pub(super) fn offer(app: &mut App) {
    match ask(app) {
        None => {}
        Some(Pushdown::Lookup { attribute }) => {
            let fetch = app.key_for(Layer::Table, Command::FetchView);
            app.notice = Some(format!(
                "{fetch} fetches {attribute} from AWS beyond what is loaded"
            ));
        }
        Some(Pushdown::Sql { engine, sql }) => {
            if let Some(lake) = app.lake.as_mut() {
                lake.editor.set_text(&sql);
                lake.editor.error = None;
                lake.editing = true;
            }
            app.notice = Some(format!(
                "the pivot as {engine} SQL across every account: {} runs it, {} keeps to loaded events",
                app.keymap.key_for(Layer::LakeEditor, Command::RunSql),
                app.keymap.key_for(Layer::LakeEditor, Command::Back)
            ));
        }
        Some(Pushdown::Refused(why)) => app.notice = Some(why),
    }
}
