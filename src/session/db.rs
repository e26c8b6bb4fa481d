//! The session database: one SQLite file in the data directory holding every investigation,
//! its state (a JSON document, see `state`) and its events (gzipped blocks of raw records).
//!
//! Why these choices:
//! - Every save is one transaction in WAL mode: a kill -9 or a full disk mid-save leaves the
//!   last committed state readable, and the app can read blocks while the saver writes.
//! - Incident data is sensitive: a data directory trailscope creates is 0700 (one the user
//!   made is left as it is), and the file is created 0600 before SQLite opens it (SQLite
//!   gives its -wal and -shm files the database file's mode).
//! - A file's schema is checked to be exactly ours before any query reads a table, and
//!   every connection runs with `trusted_schema` off and defensive mode on (`schema`).
//! - Two processes may share the file: writes start with BEGIN IMMEDIATE (a deferred
//!   transaction that must upgrade to write gets SQLITE_BUSY at once, without waiting) and
//!   wait out the other's write; a save merges marks and notes (`merge`).
//! - A file that is not ours, is damaged, or comes from a newer trailscope is described and
//!   left exactly as it is: the checks run read-only, before anything could write.
//! - Events are stored as blocks of raw JSON lines, gzipped, a few thousand per row: ten times
//!   smaller than rows of JSON, and reopening streams them through the ordinary file parser.

use super::merge::{merge, Annotations};
use super::messages::{SaveJob, Summary};
use super::schema::{check_objects, harden, MIGRATIONS, SCHEMA_VERSION};
use super::state::SessionState;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

const FILE_NAME: &str = "sessions.db";
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// Raw records per stored block: big enough to compress well, small enough that the first
/// block of a reopened session is on screen at once.
pub(crate) const BLOCK_EVENTS: usize = 2000;

pub struct Db {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
    /// Per investigation, the marks and notes as this process last loaded or saved them:
    /// what its next save's changes are measured from.
    base: RefCell<HashMap<String, Annotations>>,
}

/// How long a write waits for another process's write to end.
const BUSY_WAIT: Duration = Duration::from_secs(5);

/// Where sessions live: `--data-dir`, else `TRAILSCOPE_DATA_DIR`, else the platform's data
/// directory (`~/.local/share/trailscope` on Linux).
pub fn data_dir(flag: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(dir) = flag {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os("TRAILSCOPE_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "trailscope")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            "no home directory to keep sessions in: pass --data-dir or set TRAILSCOPE_DATA_DIR"
                .to_string()
        })
}

impl Db {
    /// Opens (creating if needed) the session database in `dir`.
    pub fn open(dir: &Path) -> Result<Db, String> {
        private_dir(dir)?;
        let path = dir.join(FILE_NAME);
        if path.exists() {
            check_file(&path)?;
        } else {
            private_file(&path)?;
        }
        let conn = Connection::open(&path).map_err(|e| sql_error(&path, e))?;
        let mut db = Db {
            conn,
            path,
            base: RefCell::default(),
        };
        harden(&db.conn)
            .and_then(|()| db.conn.busy_timeout(BUSY_WAIT))
            .and_then(|()| db.conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"))
            .map_err(|e| sql_error(&db.path, e))?;
        db.migrate()?;
        Ok(db)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&mut self) -> Result<(), String> {
        let have = user_version(&self.conn).map_err(|e| sql_error(&self.path, e))?;
        if have >= SCHEMA_VERSION {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql_error(&self.path, e))?;
        // Another process may have migrated while this one waited for the write lock.
        let have = user_version(&tx).map_err(|e| sql_error(&self.path, e))?;
        for (v, sql) in MIGRATIONS.iter().enumerate().skip(have.max(0) as usize) {
            tx.execute_batch(sql)
                .and_then(|_| tx.pragma_update(None, "user_version", v as i64 + 1))
                .map_err(|e| sql_error(&self.path, e))?;
        }
        tx.commit().map_err(|e| sql_error(&self.path, e))
    }

    /// Every investigation, most recently updated first.
    pub fn list(&self) -> Result<Vec<Summary>, String> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, created_ms, updated_ms, source, events FROM investigations ORDER BY updated_ms DESC, name")
            .map_err(|e| sql_error(&self.path, e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Summary {
                    name: r.get(0)?,
                    created_ms: r.get(1)?,
                    updated_ms: r.get(2)?,
                    source: r.get(3)?,
                    events: r.get::<_, i64>(4)?.max(0) as u64,
                })
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| sql_error(&self.path, e));
        rows
    }

    /// An investigation's id, summary and state document; its marks and notes become what
    /// this process's next save of it is measured from.
    pub fn load(&self, name: &str) -> Result<Option<(i64, Summary, String)>, String> {
        let found = self.read(name)?;
        if let Some((_, _, json)) = &found {
            let state = serde_json::from_str(json).unwrap_or_default();
            self.base
                .borrow_mut()
                .insert(name.to_string(), Annotations::of(&state));
        }
        Ok(found)
    }

    pub(super) fn read(&self, name: &str) -> Result<Option<(i64, Summary, String)>, String> {
        self.conn
            .query_row(
                "SELECT id, name, created_ms, updated_ms, source, events, state FROM investigations WHERE name = ?1",
                [name],
                |r| {
                    let summary = Summary {
                        name: r.get(1)?,
                        created_ms: r.get(2)?,
                        updated_ms: r.get(3)?,
                        source: r.get(4)?,
                        events: r.get::<_, i64>(5)?.max(0) as u64,
                    };
                    Ok((r.get(0)?, summary, r.get(6)?))
                },
            )
            .optional()
            .map_err(|e| sql_error(&self.path, e))
    }

    /// Writes the state and appends the new events, all or nothing. Marks and notes are
    /// merged with what another process saved meanwhile (`merge`).
    pub fn save(&mut self, job: &SaveJob) -> Result<(), String> {
        let path = self.path.clone();
        let err = |e| sql_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let exists = |name: &str| {
            tx.query_row(
                "SELECT COUNT(*) FROM investigations WHERE name = ?1",
                [name],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
        };
        if (job.fresh || job.rename_from.is_some()) && exists(&job.name).map_err(err)? {
            return Err(format!(
                "there is already an investigation named {:?}: choose another name",
                job.name
            ));
        }
        if let Some(old) = &job.rename_from {
            tx.execute(
                "UPDATE investigations SET name = ?2 WHERE name = ?1",
                [old, &job.name],
            )
            .map_err(err)?;
        }
        let ours: Option<SessionState> = serde_json::from_str(&job.state_json).ok();
        let stored: Option<String> = tx
            .query_row(
                "SELECT state FROM investigations WHERE name = ?1",
                [&job.name],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        let base_key = job.rename_from.as_ref().unwrap_or(&job.name);
        let base = match job.fresh {
            true => Annotations::default(),
            false => self
                .base
                .borrow()
                .get(base_key)
                .cloned()
                .unwrap_or_default(),
        };
        let state_json = match (&ours, stored.and_then(|s| serde_json::from_str(&s).ok())) {
            (Some(ours), Some(stored)) => {
                serde_json::to_string(&merge(&base, ours.clone(), &stored))
                    .unwrap_or_else(|_| job.state_json.clone())
            }
            _ => job.state_json.clone(),
        };
        tx.execute(
            "INSERT INTO investigations (name, created_ms, updated_ms, source, events, state)
             VALUES (?1, ?2, ?3, ?4, 0, ?5)
             ON CONFLICT(name) DO UPDATE SET updated_ms = ?3, source = ?4, state = ?5",
            params![
                job.name,
                job.created_ms,
                job.updated_ms,
                job.source,
                state_json
            ],
        )
        .map_err(err)?;
        let id: i64 = tx
            .query_row(
                "SELECT id FROM investigations WHERE name = ?1",
                [&job.name],
                |r| r.get(0),
            )
            .map_err(err)?;
        let first_seq: i64 = tx
            .query_row(
                "SELECT COALESCE(MAX(seq) + 1, 0) FROM event_blocks WHERE investigation = ?1",
                [id],
                |r| r.get(0),
            )
            .map_err(err)?;
        for (seq, chunk) in (first_seq..).zip(job.new_events.chunks(BLOCK_EVENTS)) {
            let data = gzip_lines(chunk).map_err(|e| format!("cannot compress events: {e}"))?;
            tx.execute(
                "INSERT INTO event_blocks (investigation, seq, events, data) VALUES (?1, ?2, ?3, ?4)",
                params![id, seq, chunk.len() as i64, data],
            )
            .map_err(err)?;
        }
        tx.execute(
            "UPDATE investigations SET events = events + ?2 WHERE id = ?1",
            params![id, job.new_events.len() as i64],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        let mut bases = self.base.borrow_mut();
        if let Some(old) = &job.rename_from {
            bases.remove(old);
        }
        bases.insert(
            job.name.clone(),
            ours.as_ref().map(Annotations::of).unwrap_or_default(),
        );
        Ok(())
    }

    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), String> {
        let to = super::name::check_name(to)?;
        if self.read(to)?.is_some() {
            return Err(format!("there is already an investigation named {to:?}"));
        }
        let n = self
            .conn
            .execute(
                "UPDATE investigations SET name = ?2 WHERE name = ?1",
                [from, to],
            )
            .map_err(|e| sql_error(&self.path, e))?;
        if n == 0 {
            return Err(no_such(from));
        }
        Ok(())
    }

    pub fn remove(&mut self, name: &str) -> Result<(), String> {
        let n = self
            .conn
            .execute("DELETE FROM investigations WHERE name = ?1", [name])
            .map_err(|e| sql_error(&self.path, e))?;
        if n == 0 {
            return Err(no_such(name));
        }
        Ok(())
    }

    /// The event blocks of an investigation, in order: (seq, events).
    pub fn blocks(&self, id: i64) -> Result<Vec<(i64, u64)>, String> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq, events FROM event_blocks WHERE investigation = ?1 ORDER BY seq")
            .map_err(|e| sql_error(&self.path, e))?;
        let rows = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| sql_error(&self.path, e));
        rows
    }

    /// One block's gzipped JSON lines.
    pub fn block(&self, id: i64, seq: i64) -> Result<Vec<u8>, String> {
        self.conn
            .query_row(
                "SELECT data FROM event_blocks WHERE investigation = ?1 AND seq = ?2",
                [id, seq],
                |r| r.get(0),
            )
            .map_err(|e| sql_error(&self.path, e))
    }
}

/// Refuses, without writing, a file that is not a session database we can read.
pub fn check_file(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let mut head = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    if read < 16 || &head != SQLITE_MAGIC {
        return Err(format!(
            "{shown} is not a trailscope session database (damaged, or another kind of file); it was left untouched: move it aside to start a new one, or restore it from a backup"
        ));
    }
    // Immutable: SQLite then creates no -wal or -shm beside a file it may not touch.
    let uri = format!("file:{}?mode=ro&immutable=1", uri_path(path));
    let conn = Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|e| sql_error(path, e))?;
    harden(&conn).map_err(|e| sql_error(path, e))?;
    let version = user_version(&conn).map_err(|e| sql_error(path, e))?;
    if version > SCHEMA_VERSION {
        return Err(format!(
            "{shown} was written by a newer trailscope (session format {version}, this one reads up to {SCHEMA_VERSION}); it was left untouched: upgrade trailscope to open it"
        ));
    }
    // Reading the catalogue touches the schema pages: a scrambled file fails here.
    let objects = conn
        .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| sql_error(path, e))?;
    if version == 0 && objects > 0 {
        return Err(format!(
            "{shown} is an SQLite database but not a trailscope session database; it was left untouched"
        ));
    }
    // A cut-off file: shorter than its header says (unless the rest is still in the WAL,
    // after a crash, which the next open replays).
    let pages: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .map_err(|e| sql_error(path, e))?;
    let page_size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .map_err(|e| sql_error(path, e))?;
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as i64;
    let wal = Path::new(&format!("{}-wal", path.display())).exists();
    if !wal && len < pages.saturating_mul(page_size) {
        return Err(format!(
            "{shown} is damaged (cut off at {len} bytes of {}); it was left untouched: move it aside to start a new one, or restore it from a backup",
            pages.saturating_mul(page_size)
        ));
    }
    // Before any table is read: a view or a virtual table would run as it is read.
    check_objects(&conn, version, &shown.to_string())?;
    if version >= 1 {
        for table in ["investigations", "event_blocks"] {
            conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| {
                r.get::<_, i64>(0)
            })
            .map_err(|e| sql_error(path, e))?;
        }
    }
    Ok(())
}

/// A path for an SQLite URI: `%`, `?` and `#` would be read as URI syntax.
pub(super) fn uri_path(path: &Path) -> String {
    path.to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23")
}

pub(super) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Turns SQLite's errors into what a user can act on.
pub(super) fn sql_error(path: &Path, e: rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    let shown = path.display();
    match e.sqlite_error_code() {
        Some(C::DatabaseCorrupt | C::NotADatabase) => format!(
            "{shown} is damaged ({e}); it was left untouched: move it aside to start a new one, or restore it from a backup"
        ),
        Some(C::DiskFull) => format!("the disk holding {shown} is full: the last saved state is kept; free some space and save again"),
        Some(C::ReadOnly | C::PermissionDenied | C::CannotOpen) => {
            format!("cannot write {shown} ({e}): check its permissions, or pass --data-dir")
        }
        Some(C::DatabaseBusy | C::DatabaseLocked) => {
            format!("{shown} is busy (another trailscope is saving): try again")
        }
        _ => format!("session database {shown}: {e}"),
    }
}

pub(super) fn no_such(name: &str) -> String {
    format!("no investigation named {name:?} (`trailscope sessions list` shows them)")
}

fn gzip_lines(lines: &[crate::model::raw::Raw]) -> std::io::Result<Vec<u8>> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for line in lines {
        gz.write_all(line.text().as_bytes())?;
        gz.write_all(b"\n")?;
    }
    gz.finish()
}

/// Creates the directory (and parents) private to the user. A directory that exists is the
/// user's choice and is left as it is: it may be shared on purpose (a team's 0755 folder).
fn private_dir(dir: &Path) -> Result<(), String> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| format!("cannot create the data directory {}: {e}", dir.display()))
}

/// Creates an empty file readable by the user alone (SQLite then fills it).
pub(crate) fn private_file(path: &Path) -> Result<(), String> {
    crate::export::file::create_private(path).map(drop)
}
