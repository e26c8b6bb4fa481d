//! One input (file or stdin) → its text: gunzipped when it is gzip (by magic bytes, not by
//! name: in one call when it is one intact member, `inflate`; else streamed, every member
//! read and what precedes damage kept), and decoded as UTF-8 with bad bytes replaced, not
//! fatal.

use crate::model::warning::{Location, Warning};
use flate2::read::MultiGzDecoder;
use std::io::{self, Read};
use std::sync::Arc;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

pub struct Decoded {
    pub text: String,
    pub warnings: Vec<Warning>,
}

/// Decodes raw bytes. Never fails: what could be decoded is returned with warnings saying
/// what could not.
pub fn decode(origin: &Arc<str>, bytes: Vec<u8>) -> Decoded {
    // No text is longer than usize::MAX, so this is never the Err arm.
    decode_within(origin, bytes, usize::MAX).unwrap_or_else(|_| Decoded {
        text: String::new(),
        warnings: Vec::new(),
    })
}

/// `decode`, unless gzip data inflates past `limit` bytes (a huge log or a gzip bomb): then
/// the compressed bytes come back, to be streamed instead of held whole.
pub(crate) fn decode_within(
    origin: &Arc<str>,
    bytes: Vec<u8>,
    limit: usize,
) -> Result<Decoded, Vec<u8>> {
    let mut warnings = Vec::new();
    let plain = if is_gzip(&bytes) {
        match gunzip(origin, &bytes, limit, &mut warnings) {
            Some(plain) => plain,
            None => return Err(bytes),
        }
    } else {
        bytes
    };
    let text = match String::from_utf8(plain) {
        Ok(t) => t,
        Err(e) => {
            let first_bad = e.utf8_error().valid_up_to();
            warnings.push(Warning::problem(
                origin,
                Location::Byte(first_bad),
                "invalid UTF-8 bytes (first here) shown as \u{fffd}; the rest of the file was read",
            ));
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    Ok(Decoded { text, warnings })
}

pub(crate) fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

/// The whole text, or `None` once it passes `limit`.
fn gunzip(
    origin: &Arc<str>,
    bytes: &[u8],
    limit: usize,
    warnings: &mut Vec<Warning>,
) -> Option<Vec<u8>> {
    if let Some(whole) = super::inflate::whole(bytes, limit) {
        return Some(whole);
    }
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(8).min(limit));
    let mut decoder = MultiGzDecoder::new(bytes);
    // Read in chunks so a truncated stream still yields everything before the damage.
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match decoder.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) if out.len() + n > limit => return None,
            Ok(n) => out.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let reason = read_error_reason(&e);
                warnings.push(Warning::problem(origin, Location::Byte(out.len()), reason));
                break;
            }
        }
    }
    Some(out)
}

/// Why reading stopped, in words: for gzip the error is about the compressed data.
pub(crate) fn read_error_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            "gzip data is truncated (incomplete download?): records before the cut were kept"
                .to_string()
        }
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            format!("gzip data is corrupt ({e}): records before the damage were kept")
        }
        _ => format!("reading stopped ({e}): records before this point were kept"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    /// One gzip member of `data` (also `inflate`'s tests').
    pub(crate) fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).expect("write to Vec");
        e.finish().expect("finish to Vec")
    }

    #[test]
    fn concatenated_members_are_all_read() {
        let mut both = gz(b"first ");
        both.extend(gz(b"second"));
        let d = decode(&Arc::from("t"), both);
        assert_eq!(d.text, "first second");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn truncated_gzip_keeps_prefix_and_warns() {
        let data: String = (0..20000).map(|i| format!("line {i}\n")).collect();
        let mut g = gz(data.as_bytes());
        g.truncate(g.len() / 2);
        let d = decode(&Arc::from("t"), g);
        assert!(!d.text.is_empty() && data.starts_with(&d.text));
        assert_eq!(d.warnings.len(), 1);
        assert!(
            d.warnings[0].reason.contains("truncated"),
            "{}",
            d.warnings[0].reason
        );
    }

    #[test]
    fn invalid_utf8_is_replaced_with_a_warning() {
        let d = decode(&Arc::from("t"), b"ab\xffcd".to_vec());
        assert_eq!(d.text, "ab\u{fffd}cd");
        assert_eq!(d.warnings[0].location, Location::Byte(2));
    }
}
