//! An investigation handed over as a file of its own: `sessions export` and `sessions
//! import`. An imported file is someone else's: its catalogue is checked to be exactly ours
//! before a table is read (`schema`), and its names pass the rule `:save` names pass.

use super::db::{check_file, no_such, sql_error, user_version, Db};
use super::name::check_name;
use super::schema::{check_objects, harden, MIGRATIONS, SCHEMA_VERSION};
use crate::export::file::write_new;
use crate::model::sanitize::visible;
use rusqlite::{params, Connection, OpenFlags, TransactionBehavior};
use std::path::Path;

impl Db {
    /// Writes one investigation to a new file of its own (the same format), for a colleague:
    /// built beside it under a temporary name, then moved into place (`export::file`).
    pub fn export(&self, name: &str, file: &Path) -> Result<u64, String> {
        let Some((id, summary, _)) = self.read(name)? else {
            return Err(no_such(name));
        };
        write_new(file, |handle, tmp| {
            drop(handle);
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NOFOLLOW;
            let out = Connection::open_with_flags(tmp, flags).map_err(|e| sql_error(file, e))?;
            harden(&out)
                .and_then(|()| out.execute_batch(MIGRATIONS.join("\n").as_str()))
                .and_then(|_| out.pragma_update(None, "user_version", SCHEMA_VERSION))
                .map_err(|e| sql_error(file, e))?;
            drop(out);
            self.conn
                .execute("ATTACH DATABASE ?1 AS dest", [tmp.to_string_lossy()])
                .map_err(|e| sql_error(file, e))?;
            let copied = self.conn.execute_batch(&format!(
                "BEGIN;
                 INSERT INTO dest.investigations SELECT * FROM main.investigations WHERE id = {id};
                 INSERT INTO dest.event_blocks SELECT * FROM main.event_blocks WHERE investigation = {id};
                 COMMIT;"
            ));
            let detached = self.conn.execute_batch("DETACH DATABASE dest");
            copied.and(detached).map_err(|e| sql_error(file, e))
        })?;
        Ok(summary.events)
    }

    /// Reads every investigation in an exported file into this database; `rename` gives the
    /// (single) imported investigation a new name. Returns the names imported.
    pub fn import(&mut self, file: &Path, rename: Option<&str>) -> Result<Vec<String>, String> {
        check_file(file)?;
        let src = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| sql_error(file, e))?;
        // Checked again on the connection that reads: the file may have changed since.
        harden(&src).map_err(|e| sql_error(file, e))?;
        let version = user_version(&src).map_err(|e| sql_error(file, e))?;
        check_objects(&src, version, &file.display().to_string())?;
        let mut theirs = Vec::new();
        {
            let mut stmt = src
                .prepare("SELECT id, name, created_ms, updated_ms, source, events, state FROM investigations ORDER BY id")
                .map_err(|e| sql_error(file, e))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                })
                .map_err(|e| sql_error(file, e))?;
            for row in rows {
                theirs.push(row.map_err(|e| sql_error(file, e))?);
            }
        }
        if rename.is_some() && theirs.len() != 1 {
            return Err(format!(
                "{} holds {} investigations: --as renames only one",
                file.display(),
                theirs.len()
            ));
        }
        // Every name is checked as `:save` checks one, before anything is written.
        let mut checked = Vec::with_capacity(theirs.len());
        for (their_id, name, created, updated, source, events, state) in theirs {
            let name = check_name(rename.unwrap_or(&name))
                .map_err(|why| {
                    format!(
                        "{} holds an investigation named {}: {why}; nothing was imported (import it under another name with --as NAME)",
                        file.display(),
                        visible(&name)
                    )
                })?
                .to_string();
            checked.push((their_id, name, created, updated, source, events, state));
        }
        let path = self.path.clone();
        let err = |e| sql_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut names = Vec::new();
        for (their_id, name, created, updated, source, events, state) in checked {
            let taken: bool = tx
                .query_row(
                    "SELECT COUNT(*) FROM investigations WHERE name = ?1",
                    [&name],
                    |r| r.get::<_, i64>(0),
                )
                .map_err(err)?
                > 0;
            if taken {
                return Err(format!(
                    "there is already an investigation named {name:?}: import it under another name with --as NAME"
                ));
            }
            tx.execute(
                "INSERT INTO investigations (name, created_ms, updated_ms, source, events, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![name, created, updated, source, events, state],
            )
            .map_err(err)?;
            let id = tx.last_insert_rowid();
            let mut stmt = src
                .prepare("SELECT seq, events, data FROM event_blocks WHERE investigation = ?1 ORDER BY seq")
                .map_err(|e| sql_error(file, e))?;
            let blocks = stmt
                .query_map([their_id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                    ))
                })
                .map_err(|e| sql_error(file, e))?;
            for block in blocks {
                let (seq, n, data) = block.map_err(|e| sql_error(file, e))?;
                tx.execute(
                    "INSERT INTO event_blocks (investigation, seq, events, data) VALUES (?1, ?2, ?3, ?4)",
                    params![id, seq, n, data],
                )
                .map_err(err)?;
            }
            names.push(name);
        }
        tx.commit().map_err(err)?;
        Ok(names)
    }
}
