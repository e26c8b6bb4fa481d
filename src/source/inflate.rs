//! A gzip trail file inflated in one call: libdeflate's whole-buffer inflater, 2–3× faster
//! than a streaming one, into a buffer sized by the gzip trailer. Trail objects are small
//! (CloudTrail delivers one every few minutes per account and region), so they are read
//! whole anyway. Used only when the result can be trusted to be the whole file: one member,
//! its length and CRC-32 those the trailer records. Anything else (several members, a cut
//! or damaged file, a trailer that lies) returns `None`, and the streaming inflater reads it
//! and keeps what precedes the damage.

use std::cell::RefCell;

/// The most one call may inflate to: a trailer claiming more is not believed up front (the
/// streaming path, which grows as it reads, handles it).
const WHOLE_MAX: usize = 256 << 20;
/// DEFLATE cannot expand data by more than about 1032:1; a trailer claiming more lies.
const MAX_RATIO: usize = 1100;

thread_local! {
    /// One inflater per worker thread (it holds tables worth reusing).
    static INFLATER: RefCell<libdeflater::Decompressor> =
        RefCell::new(libdeflater::Decompressor::new());
}

/// `gz` inflated whole, when it is one intact member inflating to at most `limit` bytes.
pub fn whole(gz: &[u8], limit: usize) -> Option<Vec<u8>> {
    let trailer = gz.len().checked_sub(8).map(|at| &gz[at..])?;
    let crc = u32::from_le_bytes(trailer[..4].try_into().ok()?);
    // ISIZE is the length modulo 2^32: a file past 4 GiB is not one this path takes.
    let size = u32::from_le_bytes(trailer[4..].try_into().ok()?) as usize;
    if size > limit.min(WHOLE_MAX) || size > gz.len().saturating_mul(MAX_RATIO) {
        return None;
    }
    let mut out = vec![0u8; size];
    let n = INFLATER.with(|d| d.try_borrow_mut().ok()?.gzip_decompress(gz, &mut out).ok())?;
    // libdeflate stops at the end of the first member: a file of several (whose last
    // trailer is the one read above) shows as a length or CRC that do not match, unless its
    // members are the same text, whose records the store would merge as duplicates anyway.
    (n == size && libdeflater::crc32(&out) == crc).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::whole;
    use crate::source::input::tests::gz;

    #[test]
    fn one_intact_member_is_inflated_whole() {
        let text = br#"{"Records":[{"eventName":"GetObject"}]}"#.repeat(100);
        assert_eq!(whole(&gz(&text), usize::MAX), Some(text.clone()));
        // Past the caller's limit: left to the streaming path.
        assert_eq!(whole(&gz(&text), 10), None);
    }

    #[test]
    fn several_members_a_cut_and_a_lying_trailer_are_left_to_the_streaming_path() {
        let a = gz(b"first member ");
        let b = gz(b"second");
        assert_eq!(whole(&[a.clone(), b.clone()].concat(), usize::MAX), None);
        // The one case the trailer cannot tell: the same member twice reads once, the same
        // records the store would merge as duplicates anyway; never other data.
        let twice = whole(&[b.clone(), b.clone()].concat(), usize::MAX);
        assert_eq!(twice.as_deref(), Some(&b"second"[..]));
        let cut = &a[..a.len() - 3];
        assert_eq!(whole(cut, usize::MAX), None);
        let mut lying = a.clone();
        let at = lying.len() - 4;
        lying[at..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(whole(&lying, usize::MAX), None);
        assert_eq!(whole(b"\x1f\x8b", usize::MAX), None);
    }
}
