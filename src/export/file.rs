//! Putting an export on disk: written in full to a temporary file beside the target (private
//! to the user), then moved into place, so a reader never sees half a file and a crash leaves
//! no truncated evidence under the chosen name. Nothing is written through a symbolic link: a
//! link at the target is replaced by the file, never followed to whatever it points at. A
//! regular file there is evidence already and is never overwritten.

use std::fs::File;
use std::path::{Path, PathBuf};

/// Writes `path` through `fill`, which gets the temporary file, open for writing, and its
/// path (for writers that open by name, like SQLite).
pub fn write_new(
    path: &Path,
    fill: impl FnOnce(File, &Path) -> Result<(), String>,
) -> Result<(), String> {
    let link = is_link(path)?;
    let (tmp, file) = temporary(path)?;
    if let Err(e) = fill(file, &tmp).and_then(|()| sync(&tmp)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let placed = place(&tmp, path, link);
    let _ = std::fs::remove_file(&tmp);
    placed
}

/// Writes `bytes` to a new file at `path`.
pub fn write_new_bytes(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_new(path, |mut file, _| {
        std::io::Write::write_all(&mut file, bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    })
}

/// Creates an empty file readable by the user alone; fails if anything, a dangling link
/// included, is at `path` (`O_EXCL` follows no link).
pub(crate) fn create_private(path: &Path) -> Result<File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => exists(path),
        _ => format!("cannot create {}: {e}", path.display()),
    })
}

fn exists(path: &Path) -> String {
    format!("{} exists: choose another file name", path.display())
}

/// Whether `path` is a symbolic link; an error when something else is there.
fn is_link(path: &Path) -> Result<bool, String> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Ok(true),
        Ok(_) => Err(exists(path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(format!("cannot write {}: {e}", path.display())),
    }
}

/// `.NAME.PID-N.tmp` beside `path`, created new and private.
fn temporary(path: &Path) -> Result<(PathBuf, File), String> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{} is not a file name", path.display()))?;
    let mut last = String::new();
    for n in 0..100u32 {
        let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        match create_private(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn sync(path: &Path) -> Result<(), String> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Moves the finished file to `path`: over a link (rename replaces the link itself), or
/// where nothing is (a hard link, which fails rather than replace anything that appeared
/// meanwhile; a rename on file systems without hard links).
fn place(tmp: &Path, path: &Path, link: bool) -> Result<(), String> {
    let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    if link {
        return std::fs::rename(tmp, path).map_err(failed);
    }
    match std::fs::hard_link(tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(path)),
        Err(e) => match is_link(path) {
            Ok(false) => std::fs::rename(tmp, path).map_err(failed),
            Ok(true) => Err(failed(e)),
            Err(why) => Err(why),
        },
    }
}
