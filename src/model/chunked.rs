//! A growable array held in chunks of a fixed size, for the store's events: growing it never
//! copies what it holds. A `Vec` of 10M events (216 bytes each then) doubled at 8.4M into a new
//! 3.6 GB allocation while the old 1.8 GB was still held, and that moment was a 10M load's peak
//! memory (9.1 GB against 8.4 GB once loaded). Here the first chunk grows as a `Vec` does, so a
//! small store stays small, and every later chunk is allocated at its full size once.

/// Elements per chunk: 64Ki events are 14 MB, a copy of which is nothing next to a load.
const CHUNK_BITS: u32 = 16;
const CHUNK: usize = 1 << CHUNK_BITS;

#[derive(Debug)]
pub(crate) struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Chunked<T> {
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn push(&mut self, value: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => last.push(value),
            _ => {
                let mut chunk = match self.chunks.is_empty() {
                    true => Vec::new(),
                    false => Vec::with_capacity(CHUNK),
                };
                chunk.push(value);
                self.chunks.push(chunk);
            }
        }
        self.len += 1;
    }

    pub(crate) fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i >> CHUNK_BITS)?.get(i & (CHUNK - 1))
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flatten()
    }

    /// Elements room is allocated for.
    pub(crate) fn capacity(&self) -> usize {
        self.chunks.iter().map(Vec::capacity).sum()
    }
}

impl<T> std::ops::Index<usize> for Chunked<T> {
    type Output = T;

    /// Panics past the end, as a slice does: an index the store handed out is always held.
    fn index(&self, i: usize) -> &T {
        &self.chunks[i >> CHUNK_BITS][i & (CHUNK - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_was_pushed_across_chunks() {
        let mut c = Chunked::default();
        assert!(c.is_empty() && c.get(0).is_none());
        let n = 2 * CHUNK + 3;
        for i in 0..n {
            c.push(i);
        }
        assert_eq!(c.len(), n);
        for i in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, n - 1] {
            assert_eq!(c[i], i);
            assert_eq!(c.get(i), Some(&i));
        }
        assert_eq!(c.get(n), None);
        assert!(c.iter().copied().eq(0..n));
        // Only the first chunk grew by doubling; the others were allocated whole.
        assert!(c.chunks[1..].iter().all(|k| k.capacity() == CHUNK));
        assert!(c.capacity() >= n);
    }

    #[test]
    fn a_small_array_takes_a_small_allocation() {
        let mut c = Chunked::default();
        c.push(1u64);
        assert!(c.capacity() < 64);
    }
}
