//! Saved investigations: the database (`db`), the state document (`state`), the background
//! saver (`saver`) and reopening (`reopen`). The app's side (what is captured from and restored
//! into the screen) is `app::session`.

pub mod cli;
pub mod db;
pub mod reopen;
pub mod saver;
pub mod state;
