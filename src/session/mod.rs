//! Saved investigations: the database (`db`), the state document (`state`), the background
//! saver (`saver`) and reopening (`reopen`). The app's side (what is captured from and restored
//! into the screen) is `app::session`.

pub mod db;
mod merge;
pub mod messages;
pub mod name;
pub mod reopen;
pub mod saver;
pub(crate) mod schema;
pub mod state;
mod transfer;
