//! Reopening an investigation: its event blocks become inputs to the ordinary loader, so they
//! are decompressed and parsed on the same worker threads as files, and stream to the screen
//! block by block.

use super::db::Db;
use super::state::SessionState;
use crate::source::walk::{Input, Plan};
use rusqlite::{Connection, OpenFlags};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// What the app needs to reopen `name`: its events to load, its saved state, and a title.
pub struct Reopen {
    pub plan: Plan,
    pub name: String,
    pub created_ms: i64,
    pub state: SessionState,
    pub label: String,
}

pub fn prepare(db: &Db, name: &str) -> Result<Reopen, String> {
    let Some((id, summary, json)) = db.load(name)? else {
        let names: Vec<String> = db.list()?.into_iter().map(|s| s.name).collect();
        let close: Vec<&String> = names
            .iter()
            .filter(|n| n.to_lowercase().contains(&name.to_lowercase()))
            .take(5)
            .collect();
        let hint = match close.as_slice() {
            [] => "`trailscope sessions list` shows them".to_string(),
            some => format!(
                "did you mean {}?",
                some.iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Err(format!("no investigation named {name:?}: {hint}"));
    };
    let state: SessionState = serde_json::from_str(&json).map_err(|e| {
        format!("the saved state of {name:?} cannot be read ({e}); its events are intact: `trailscope sessions export` keeps a copy")
    })?;
    Ok(Reopen {
        plan: plan(db, id)?,
        label: format!("{} (saved · {})", summary.name, summary.source),
        name: summary.name,
        created_ms: summary.created_ms,
        state,
    })
}

/// The inputs for every stored block of investigation `id`.
pub fn plan(db: &Db, id: i64) -> Result<Plan, String> {
    let inputs = db
        .blocks(id)?
        .into_iter()
        .map(|(seq, events)| Input::Stored {
            db: db.path().to_path_buf(),
            investigation: id,
            seq,
            events,
        })
        .collect();
    Ok(Plan {
        inputs,
        ..Plan::default()
    })
}

thread_local! {
    /// Each loader thread keeps its read-only connection for the blocks that follow.
    static READER: RefCell<Option<(PathBuf, Connection)>> = const { RefCell::new(None) };
}

/// One block's gzipped JSON lines (the loader gunzips by magic bytes).
pub(crate) fn read_block(db: &Path, investigation: i64, seq: i64) -> std::io::Result<Vec<u8>> {
    let io = |e: rusqlite::Error| std::io::Error::other(e.to_string());
    READER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|(p, _)| p != db) {
            let conn =
                Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(io)?;
            super::schema::harden(&conn).map_err(io)?;
            *slot = Some((db.to_path_buf(), conn));
        }
        let Some((_, conn)) = slot.as_ref() else {
            return Err(std::io::Error::other("no connection"));
        };
        conn.query_row(
            "SELECT data FROM event_blocks WHERE investigation = ?1 AND seq = ?2",
            [investigation, seq],
            |r| r.get(0),
        )
        .map_err(io)
    })
}
