//! Downloaded objects kept in the data directory, so reopening a window does not download it
//! again. An entry is named by a SHA-256 of bucket, key and ETag: bucket and key are chosen by
//! whoever writes to the bucket and never become file names, and a rewritten object (new
//! ETag) is a new entry. Entries are written to a temporary file and renamed, so a crash or a
//! cut download never leaves a partial entry under a real name; the listed size is checked
//! again on every read. Least recently used entries go first once past the size limit.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// 2 GiB: a few days of a busy organization's trail, compressed.
pub const DEFAULT_LIMIT: u64 = 2 << 30;

pub struct Cache {
    dir: PathBuf,
    limit: u64,
    /// Bytes written since the last eviction: evicting every so often, not once per object.
    written: AtomicU64,
}

impl Cache {
    /// `<data dir>/s3-cache`, created private to the user.
    pub fn open(data_dir: &Path, limit: u64) -> Result<Cache, String> {
        let dir = data_dir.join("s3-cache");
        // The data directory is made private only when trailscope creates it: one the user
        // made (and perhaps shares) keeps its mode. The cache folder inside is ours alone.
        let ours = [
            (!data_dir.is_dir()).then_some(data_dir),
            Some(dir.as_path()),
        ];
        for d in ours.into_iter().flatten() {
            std::fs::create_dir_all(d)
                .map_err(|e| format!("cannot create the S3 cache {}: {e}", d.display()))?;
            private(d, 0o700)?;
        }
        Ok(Cache {
            dir,
            limit,
            written: AtomicU64::new(0),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, bucket: &str, key: &str, etag: &str) -> PathBuf {
        let mut h = Sha256::new();
        // Lengths first: ("ab","c") and ("a","bc") must not meet.
        for part in [bucket, key, etag] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{hex}.obj"))
    }

    /// The object's bytes when cached whole (its size as listed); marks it recently used.
    pub fn get(&self, bucket: &str, key: &str, etag: &str, size: u64) -> Option<Vec<u8>> {
        if etag.is_empty() {
            return None;
        }
        let path = self.path(bucket, key, etag);
        let bytes = std::fs::read(&path).ok()?;
        if bytes.len() as u64 != size {
            // Not what S3 listed: never trusted, replaced by the next download.
            let _ = std::fs::remove_file(&path);
            return None;
        }
        // The modification time is the LRU clock; failing to set it only ages the entry.
        if let Ok(f) = std::fs::File::options().append(true).open(&path) {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
        Some(bytes)
    }

    /// Stores a complete download. Failures (a full disk) only cost the next run a download.
    pub fn put(&self, bucket: &str, key: &str, etag: &str, bytes: &[u8]) -> Result<(), String> {
        if etag.is_empty() || bytes.len() as u64 > self.limit {
            return Ok(());
        }
        let path = self.path(bucket, key, etag);
        let tmp = self.dir.join(format!(
            "tmp-{}-{:?}-{}",
            std::process::id(),
            std::thread::current().id(),
            path.file_name().and_then(|n| n.to_str()).unwrap_or("x")
        ));
        let written = create_private(&tmp).and_then(|mut f| f.write_all(bytes));
        if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, &path)) {
            let _ = std::fs::remove_file(&tmp);
            return Err(format!(
                "cannot write the S3 cache in {}: {e}",
                self.dir.display()
            ));
        }
        let since = self
            .written
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if since + bytes.len() as u64 > self.limit / 8 {
            self.written.store(0, Ordering::Relaxed);
            self.evict();
        }
        Ok(())
    }

    /// Removes least recently used entries until the cache is within its limit (and leftover
    /// temporary files of runs that died). Returns the bytes removed.
    pub fn evict(&self) -> u64 {
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        let mut entries = Vec::new();
        let mut removed = 0;
        let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
        for e in rd.filter_map(Result::ok) {
            let Ok(meta) = e.metadata() else { continue };
            let name = e.file_name();
            let name = name.to_string_lossy();
            let modified = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
            if name.starts_with("tmp-") && modified < day_ago {
                removed += meta.len();
                let _ = std::fs::remove_file(e.path());
            } else if name.ends_with(".obj") {
                entries.push((modified, meta.len(), e.path()));
            }
        }
        let mut total: u64 = entries.iter().map(|(_, len, _)| len).sum();
        entries.sort();
        for (_, len, path) in entries {
            if total <= self.limit {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= len;
                removed += len;
            }
        }
        removed
    }
}

fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn private(path: &Path, mode: u32) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(|e| format!("cannot make {} private: {e}", path.display()))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// `2G`, `500M`, `1024K` or bytes: the `--s3-cache-limit` value.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size (like 2G, 500M or 0)"))?;
    let mult: u64 = match unit
        .to_ascii_uppercase()
        .trim_end_matches("IB")
        .trim_end_matches('B')
    {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => return Err(format!("{text:?}: the unit is K, M, G or T")),
    };
    Ok(n.saturating_mul(mult))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_are_private_and_hashed() {
        let tmp = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let cache = Cache::open(tmp.path(), 1 << 20).unwrap();
        let key = "../../etc/passwd\u{1b}[31m";
        cache.put("b", key, "\"e1\"", b"hello").unwrap();
        assert_eq!(
            cache.get("b", key, "\"e1\"", 5).as_deref(),
            Some(&b"hello"[..])
        );
        assert_eq!(cache.get("b", key, "\"e2\"", 5), None, "another ETag");
        assert_eq!(cache.get("b", key, "\"e1\"", 6), None, "another size");
        assert_eq!(
            cache.get("b", key, "\"e1\"", 5),
            None,
            "the bad entry was dropped"
        );
        cache.put("b", key, "\"e1\"", b"hello").unwrap();
        let names: Vec<String> = std::fs::read_dir(cache.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1);
        assert!(
            names[0].len() == 68 && names[0].ends_with(".obj"),
            "{names:?}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(cache.dir()), 0o700);
            assert_eq!(
                mode(tmp.path()),
                0o755,
                "the user's own data directory keeps its mode"
            );
            assert_eq!(mode(&cache.dir().join(&names[0])), 0o600);
        }
    }

    #[test]
    fn the_least_recently_used_go_first_past_the_limit() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::open(tmp.path(), 1 << 20).unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(100);
        for (i, k) in ["a", "b", "c"].iter().enumerate() {
            cache.put("b", k, "e", &[0u8; 100]).unwrap();
            let f = std::fs::File::options()
                .append(true)
                .open(cache.path("b", k, "e"))
                .unwrap();
            f.set_modified(old + std::time::Duration::from_secs(i as u64))
                .unwrap();
        }
        let cache = Cache::open(tmp.path(), 250).unwrap();
        // Reading "a" makes it the most recent: "b" is the oldest now.
        assert!(cache.get("b", "a", "e", 100).is_some());
        assert_eq!(cache.evict(), 100);
        assert!(cache.get("b", "b", "e", 100).is_none());
        assert!(cache.get("b", "a", "e", 100).is_some());
        assert!(cache.get("b", "c", "e", 100).is_some());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("500MiB"), Ok(500 << 20));
        assert_eq!(parse_size("0"), Ok(0));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5X").is_err());
    }
}
