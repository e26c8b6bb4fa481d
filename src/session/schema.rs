//! The session database's schema, and how a file is made safe to query. A sessions file may
//! come from someone else (`sessions import`), and SQLite runs what a file's schema says: a
//! view runs its SELECT when read, a trigger its statements on a write, a virtual table its
//! module. So before any query touches a table, the file's catalogue must be exactly the one
//! our migrations make, and every connection runs with `trusted_schema` off and defensive
//! mode on (no functions with side effects from the schema, no writes to the catalogue).

use rusqlite::config::DbConfig;
use rusqlite::Connection;
use std::collections::BTreeSet;

/// The schema this build writes. Older files are migrated; newer ones are refused.
pub(crate) const SCHEMA_VERSION: i64 = 1;

/// `MIGRATIONS[v]` takes a file from version `v` to `v + 1`.
pub(super) const MIGRATIONS: &[&str] = &["
    CREATE TABLE investigations (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE,
        created_ms  INTEGER NOT NULL,
        updated_ms  INTEGER NOT NULL,
        source      TEXT NOT NULL,
        events      INTEGER NOT NULL DEFAULT 0,
        state       TEXT NOT NULL
    );
    CREATE TABLE event_blocks (
        investigation INTEGER NOT NULL REFERENCES investigations(id) ON DELETE CASCADE,
        seq           INTEGER NOT NULL,
        events        INTEGER NOT NULL,
        data          BLOB NOT NULL,
        PRIMARY KEY (investigation, seq)
    ) WITHOUT ROWID;
"];

/// One catalogue entry: type, name, table, and the SQL that made it.
type Object = (String, String, String, Option<String>);

/// Every connection, before its first query: the schema is not trusted to call functions
/// with side effects, and the catalogue cannot be written through SQL.
pub(crate) fn harden(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    Ok(())
}

/// Refuses a file at schema `version` whose catalogue is not exactly what our migrations up
/// to that version make: no view, trigger, virtual table or anything else besides.
/// Reading `sqlite_master` runs nothing the file defines.
pub(crate) fn check_objects(conn: &Connection, version: i64, shown: &str) -> Result<(), String> {
    let found = objects(conn).map_err(|e| format!("cannot read the catalogue of {shown}: {e}"))?;
    let expected = expected(version).map_err(|e| format!("cannot build the schema: {e}"))?;
    if let Some((kind, name, _, _)) = found.difference(&expected).next() {
        return Err(format!(
            "{shown} is not a trailscope session database: it holds the {kind} {}, which trailscope does not make; it was left untouched and nothing was read from it",
            crate::model::sanitize::visible(name)
        ));
    }
    if let Some((kind, name, _, _)) = expected.difference(&found).next() {
        return Err(format!(
            "{shown} is not a trailscope session database: its {kind} {name} is missing; it was left untouched"
        ));
    }
    Ok(())
}

fn objects(conn: &Connection) -> rusqlite::Result<BTreeSet<Object>> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// The catalogue our migrations make, read from a scratch database in memory.
fn expected(version: i64) -> rusqlite::Result<BTreeSet<Object>> {
    let conn = Connection::open_in_memory()?;
    for sql in MIGRATIONS.iter().take(version.max(0) as usize) {
        conn.execute_batch(sql)?;
    }
    objects(&conn)
}
