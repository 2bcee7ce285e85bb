//! Blocking keys: 64-bit hashes of the strings an account can be found by.
//!
//! A name is found by each of its tokens that carries weight, by each pair of neighbouring
//! tokens written together ("data soft" → "datasoft", so a customer typing "Datasoft" finds
//! it, and the other way round), and — only when all its tokens are connecting words — by
//! its whole text. Typing slips are found through the deletion neighbourhoods of the
//! dictionary ([`deletion_keys`]): two tokens one edit apart always share a string made by
//! deleting at most one character from each.
//!
//! The hash is FNV-1a over the UTF-8 bytes with a final avalanche; a collision can only add
//! a candidate, which exact scoring then judges, never lose one.

use tributary_domain::matching::{NormalizedName, token_weight};

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

fn feed(mut hash: u64, bytes: &[u8]) -> u64 {
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(PRIME);
    }
    hash
}

fn finish(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// A hasher for the index's maps: [`key`]'s hash, fast on short strings and on keys that
/// are hashes already.
#[derive(Clone, Copy)]
pub struct KeyHasher(u64);

impl Default for KeyHasher {
    fn default() -> Self {
        KeyHasher(OFFSET)
    }
}

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        finish(self.0)
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = feed(self.0, bytes);
    }

    fn write_u64(&mut self, value: u64) {
        self.0 ^= value;
    }
}

pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// The key of a string.
pub fn key(text: &str) -> u64 {
    finish(feed(OFFSET, text.as_bytes()))
}

/// The key of two strings written together.
pub fn joined_key(first: &str, second: &str) -> u64 {
    finish(feed(feed(OFFSET, first.as_bytes()), second.as_bytes()))
}

/// The keys of `token` and of every string made by deleting one of its characters.
pub fn deletion_keys(token: &str) -> Vec<u64> {
    let bytes = token.as_bytes();
    let mut keys = Vec::with_capacity(token.len() + 1);
    keys.push(key(token));
    let mut prefix = OFFSET;
    for (start, c) in token.char_indices() {
        let end = start + c.len_utf8();
        keys.push(finish(feed(prefix, &bytes[end..])));
        prefix = feed(prefix, &bytes[start..end]);
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The name keys an account is found by (see the module documentation), each once.
pub fn name_keys(name: &NormalizedName) -> Vec<u64> {
    let tokens = &name.tokens;
    let mut keys = Vec::with_capacity(tokens.len() * 2);
    for token in tokens.iter().filter(|t| token_weight(t) > 0) {
        keys.push(key(token));
    }
    for pair in tokens.windows(2) {
        keys.push(joined_key(&pair[0], &pair[1]));
    }
    if !tokens.is_empty() && tokens.iter().all(|t| token_weight(t) == 0) {
        keys.push(whole_name_key(&name.text));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The key of a whole name made of connecting words only.
pub fn whole_name_key(text: &str) -> u64 {
    joined_key("\u{0}name\u{0}", text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_keys_are_keys_of_the_concatenation() {
        assert_eq!(joined_key("data", "soft"), key("datasoft"));
        assert_ne!(key("datasoft"), key("data soft"));
    }

    #[test]
    fn deletions_meet_for_one_edit() {
        let shared = |a: &str, b: &str| deletion_keys(a).iter().any(|k| deletion_keys(b).contains(k));
        assert!(shared("varnex", "varnix"));
        assert!(shared("varnex", "varnexx"));
        assert!(shared("varnex", "vranex"));
        assert!(shared("muller", "mueller"));
        assert!(shared("straße", "strase"));
        assert!(!shared("varnex", "kolbrin"));
        assert_eq!(deletion_keys("aab").len(), 3); // aab, ab, aa
        assert!(deletion_keys("abc").contains(&key("ac")));
    }
}
