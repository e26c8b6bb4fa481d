//! A tiny deterministic PRNG (SplitMix64). Not cryptographic, and it need not be: it only has
//! to be fast, well spread and identical on every platform, so a seed always writes the same
//! bytes. Kept in-house because the project carries no `rand` dependency.

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;
const HEX: &[u8; 16] = b"0123456789abcdef";

/// What a stream is for: separate purposes get unrelated sequences from the same seed.
#[derive(Copy, Clone, Debug)]
pub(crate) enum Purpose {
    Pools = 1,
    File = 2,
    /// `--incident`: who the attacker is, when, and the records written for it.
    Incident = 3,
    /// `--incident`: the ordinary events padding the extra files the incident needs.
    IncidentFile = 4,
}

#[derive(Clone, Debug)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    /// The sequence for (seed, purpose, index). Each output file gets its own stream, so its
    /// content depends on the seed and its index only, never on which thread wrote it or when.
    pub(crate) fn stream(seed: u64, purpose: Purpose, index: u64) -> Self {
        let salt = mix((purpose as u64).wrapping_mul(GOLDEN) ^ mix(index));
        Rng {
            state: mix(seed ^ salt),
        }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix(self.state)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift: no modulo bias worth the name, no loop).
    /// `n == 0` gives 0.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    pub(crate) fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// One element of a non-empty slice (the pools and templates are never empty).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// Appends `n` characters drawn from `alphabet`.
    pub(crate) fn push_chars(&mut self, out: &mut String, alphabet: &[u8], n: usize) {
        for _ in 0..n {
            out.push(char::from(*self.pick(alphabet)));
        }
    }

    pub(crate) fn chars(&mut self, alphabet: &[u8], n: usize) -> String {
        let mut s = String::with_capacity(n);
        self.push_chars(&mut s, alphabet, n);
        s
    }

    /// A version-4-shaped UUID in lowercase hex, as CloudTrail writes eventIDs.
    pub(crate) fn uuid(&mut self) -> String {
        let hi = self.next_u64();
        let lo = self.next_u64();
        let mut digits = [0u8; 32];
        for (i, d) in digits.iter_mut().enumerate() {
            let word = if i < 16 { hi } else { lo };
            let shift = 60 - 4 * (i % 16);
            *d = HEX[((word >> shift) & 0xf) as usize];
        }
        // Version and variant nibbles, so the IDs look like the real (random) ones.
        digits[12] = b'4';
        digits[16] = HEX[8 + (lo >> 62) as usize];
        let mut s = String::with_capacity(36);
        for (i, &d) in digits.iter().enumerate() {
            if matches!(i, 8 | 12 | 16 | 20) {
                s.push('-');
            }
            s.push(char::from(d));
        }
        s
    }
}

/// SplitMix64's finaliser: a bijection that scatters nearby inputs (seeds 1, 2, 3…) far apart.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::stream(7, Purpose::File, 3);
                move |_| r.next_u64()
            })
            .collect();
        let mut again = Rng::stream(7, Purpose::File, 3);
        assert!(a.iter().all(|&x| x == again.next_u64()));
        let mut other = Rng::stream(7, Purpose::File, 4);
        assert_ne!(a[0], other.next_u64());
    }

    #[test]
    fn uuid_shape() {
        let mut r = Rng::stream(1, Purpose::File, 0);
        let id = r.uuid();
        assert_eq!(id.len(), 36);
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(id.bytes().all(|b| b == b'-' || HEX.contains(&b)));
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = Rng::stream(9, Purpose::Pools, 0);
        assert!((0..1000).all(|_| r.below(7) < 7));
        assert_eq!(r.below(0), 0);
    }
}
