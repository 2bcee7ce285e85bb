//! Fixed word tables (legal forms, generic words, exonyms …) as hash sets and maps with a
//! small, fast hash (FNV-1a): the keys are short, known words, so the default hasher's
//! protection against chosen keys buys nothing and costs a lot per lookup.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

pub type WordSet = HashSet<&'static str, BuildHasherDefault<Fnv>>;
pub type WordMap = HashMap<&'static str, &'static str, BuildHasherDefault<Fnv>>;
