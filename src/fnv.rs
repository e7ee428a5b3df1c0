//! The one stable hash: 64-bit FNV-1a, for hashes stored in an index or compared across
//! runs (article keys, content hashes, furniture line counts). Unlike std's hashers it is
//! fixed across runs, builds and Rust versions.

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a of `bytes`.
pub fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(OFFSET, |h, &b| step(h, b))
}

/// FNV-1a over byte strings, each followed by a 0xff separator (which UTF-8 never holds),
/// so `["ab", "c"]` and `["a", "bc"]` differ.
pub fn hash_parts(parts: &[&[u8]]) -> u64 {
    parts.iter().fold(OFFSET, |h, part| {
        part.iter().chain(&[0xff]).fold(h, |h, &b| step(h, b))
    })
}

/// One FNV-1a step: what a streaming hasher does per byte.
pub fn step(h: u64, byte: u8) -> u64 {
    (h ^ u64::from(byte)).wrapping_mul(PRIME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_and_separated_parts() {
        // Pinned: these values are stored in indexes.
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(hash_parts(&[b"ab", b"c"]), hash_parts(&[b"a", b"bc"]));
        assert_eq!(hash_parts(&[b"a"]), hash(b"a\xff"));
    }
}
