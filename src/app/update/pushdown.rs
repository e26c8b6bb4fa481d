//! After a pivot the app asks the active source one question: can you evaluate this view's
//! filter yourself, beyond what is loaded, and how? Each source answers in its own terms
//! (a LookupEvents attribute, Lake SQL); the files hold everything there is, so they never
//! offer. A new source adds its answer here.

use super::App;
use crate::app::command::Command;
use crate::app::layer::Layer;
use crate::lake::pushdown::condition;
use crate::lake::sql::events_query;
use crate::model::sanitize::visible;
use crate::source::lookup::plan::plan as lookup_plan;

/// What the active source would do with the view's filter.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Pushdown {
    /// LookupEvents takes one attribute (`key=value`); the rest is filtered here.
    Lookup { attribute: String },
    /// Lake runs the whole filter as this statement.
    Lake { sql: String },
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
    Some(match condition(&filter) {
        Ok(c) => Pushdown::Lake {
            sql: events_query(&lake.store, lake.window, Some(&c)),
        },
        Err(why) => Pushdown::Refused(format!("not sent to Lake: {}", visible(&why))),
    })
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
        Some(Pushdown::Lake { sql }) => {
            if let Some(lake) = app.lake.as_mut() {
                lake.editor.set_text(&sql);
                lake.editor.error = None;
                lake.editing = true;
            }
            app.notice = Some(format!(
                "the pivot as Lake SQL: {} runs it, {} keeps to loaded events",
                app.keymap.key_for(Layer::LakeEditor, Command::RunSql),
                app.keymap.key_for(Layer::LakeEditor, Command::Back)
            ));
        }
        Some(Pushdown::Refused(why)) => app.notice = Some(why),
    }
}
