//! The session database: one SQLite file in the data directory holding every investigation,
//! its state (a JSON document, see `state`) and its events (gzipped blocks of raw records).
//!
//! Why these choices:
//! - Every save is one transaction in WAL mode: a kill -9 or a full disk mid-save leaves the
//!   last committed state readable, and the app can read blocks while the saver writes.
//! - Incident data is sensitive: the directory is 0700 and the file is created 0600 before
//!   SQLite opens it (SQLite gives its -wal and -shm files the database file's mode).
//! - A file that is not ours, is damaged, or comes from a newer trailscope is described and
//!   left exactly as it is: the checks run read-only, before anything could write.
//! - Events are stored as blocks of raw JSON lines, gzipped, a few thousand per row: ten times
//!   smaller than rows of JSON, and reopening streams them through the ordinary file parser.

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The schema this build writes. Older files are migrated; newer ones are refused.
pub(crate) const SCHEMA_VERSION: i64 = 1;

/// `MIGRATIONS[v]` takes a file from version `v` to `v + 1`.
const MIGRATIONS: &[&str] = &["
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

const FILE_NAME: &str = "sessions.db";
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// Raw records per stored block: big enough to compress well, small enough that the first
/// block of a reopened session is on screen at once.
pub(crate) const BLOCK_EVENTS: usize = 2000;

/// One investigation, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub name: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// What it was opened from, in words.
    pub source: String,
    pub events: u64,
}

/// What one save writes: the state, and the events not written before.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SaveJob {
    pub name: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub source: String,
    pub state_json: String,
    pub new_events: Vec<Arc<str>>,
    /// The first save under this name: refused if another investigation has it.
    pub fresh: bool,
    /// Renames this investigation first (an automatic name replaced by `:save NAME`).
    pub rename_from: Option<String>,
}

pub struct Db {
    conn: Connection,
    path: PathBuf,
}

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
        let db = Db { conn, path };
        db.conn
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
            .map_err(|e| sql_error(&db.path, e))?;
        db.migrate()?;
        Ok(db)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&self) -> Result<(), String> {
        let have = user_version(&self.conn).map_err(|e| sql_error(&self.path, e))?;
        if have >= SCHEMA_VERSION {
            return Ok(());
        }
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(|e| sql_error(&self.path, e))?;
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

    /// An investigation's id, summary and state document.
    pub fn load(&self, name: &str) -> Result<Option<(i64, Summary, String)>, String> {
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

    /// Writes the state and appends the new events, all or nothing.
    pub fn save(&mut self, job: &SaveJob) -> Result<(), String> {
        let path = self.path.clone();
        let err = |e| sql_error(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
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
        tx.execute(
            "INSERT INTO investigations (name, created_ms, updated_ms, source, events, state)
             VALUES (?1, ?2, ?3, ?4, 0, ?5)
             ON CONFLICT(name) DO UPDATE SET updated_ms = ?3, source = ?4, state = ?5",
            params![
                job.name,
                job.created_ms,
                job.updated_ms,
                job.source,
                job.state_json
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
        tx.commit().map_err(err)
    }

    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), String> {
        if self.load(to)?.is_some() {
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

    /// Writes one investigation to a new file of its own (the same format), for a colleague.
    pub fn export(&self, name: &str, file: &Path) -> Result<u64, String> {
        let Some((id, summary, _)) = self.load(name)? else {
            return Err(no_such(name));
        };
        if file.exists() {
            return Err(format!("{} exists: choose a new file name", file.display()));
        }
        private_file(file)?;
        let result = (|| {
            let out = Connection::open(file).map_err(|e| sql_error(file, e))?;
            out.execute_batch(MIGRATIONS.join("\n").as_str())
                .and_then(|_| out.pragma_update(None, "user_version", SCHEMA_VERSION))
                .map_err(|e| sql_error(file, e))?;
            drop(out);
            self.conn
                .execute("ATTACH DATABASE ?1 AS dest", [file.to_string_lossy()])
                .map_err(|e| sql_error(file, e))?;
            let copied = self.conn.execute_batch(&format!(
                "BEGIN;
                 INSERT INTO dest.investigations SELECT * FROM main.investigations WHERE id = {id};
                 INSERT INTO dest.event_blocks SELECT * FROM main.event_blocks WHERE investigation = {id};
                 COMMIT;"
            ));
            let detached = self.conn.execute_batch("DETACH DATABASE dest");
            copied.and(detached).map_err(|e| sql_error(file, e))
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(file);
            return Err(e);
        }
        Ok(summary.events)
    }

    /// Reads every investigation in an exported file into this database; `rename` gives the
    /// (single) imported investigation a new name. Returns the names imported.
    pub fn import(&mut self, file: &Path, rename: Option<&str>) -> Result<Vec<String>, String> {
        check_file(file)?;
        let src = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| sql_error(file, e))?;
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
        let path = self.path.clone();
        let err = |e| sql_error(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        let mut names = Vec::new();
        for (their_id, name, created, updated, source, events, state) in theirs {
            let name = rename.map(str::to_string).unwrap_or(name);
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
fn uri_path(path: &Path) -> String {
    path.to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23")
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Turns SQLite's errors into what a user can act on.
fn sql_error(path: &Path, e: rusqlite::Error) -> String {
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

fn no_such(name: &str) -> String {
    format!("no investigation named {name:?} (`trailscope sessions list` shows them)")
}

fn gzip_lines(lines: &[Arc<str>]) -> std::io::Result<Vec<u8>> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for line in lines {
        gz.write_all(line.as_bytes())?;
        gz.write_all(b"\n")?;
    }
    gz.finish()
}

/// Creates the directory (and parents) private to the user.
fn private_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the data directory {}: {e}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("cannot make {} private: {e}", dir.display()))?;
    }
    Ok(())
}

/// Creates an empty file readable by the user alone (SQLite then fills it).
pub(crate) fn private_file(path: &Path) -> Result<(), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            format!("{} exists: choose another file name", path.display())
        }
        _ => format!("cannot create {}: {e}", path.display()),
    })
}
