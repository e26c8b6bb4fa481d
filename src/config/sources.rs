//! The layers that come from elsewhere than `config.toml`: a reopened investigation's own
//! settings, and the command line.

use super::settings::Layer;
use crate::app::layout::Split;
use crate::app::sort::Sort;
use crate::model::column::Column;
use crate::session::state::SessionState;

/// What a saved investigation says about the screen: columns, sort, the detail pane, the
/// split and the time column. A sort never chosen was time order, and says so (it must win
/// over a config file's sort like any other saved choice).
pub fn session_layer(state: &SessionState) -> Layer {
    Layer {
        columns: (!state.columns.is_empty()).then(|| state.columns.clone()),
        sort: Some(state.sort.map_or(
            Sort {
                column: Column::Time,
                descending: false,
            },
            |(column, descending)| Sort { column, descending },
        )),
        detail: Some(state.detail_open),
        split: state.split.map(Split::Percent),
        time: state.time,
        ..Layer::default()
    }
}
