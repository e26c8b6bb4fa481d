//! The layers that come from elsewhere than `config.toml`: a reopened investigation's own
//! settings, and the command line.

use super::settings::Layer;
use crate::app::layout::Split;
use crate::app::sort::Sort;
use crate::cli::DisplayArgs;
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

/// The display flags given on the command line (already checked by clap's value parsers).
pub fn cli_layer(args: &DisplayArgs) -> Layer {
    Layer {
        theme: args.theme.clone(),
        colors: args.colors,
        time: args.time,
        columns: (!args.columns.is_empty()).then(|| args.columns.clone()),
        sort: args.sort,
        split: args.split,
        mouse: args.no_mouse.then_some(false),
        ..Layer::default()
    }
}
