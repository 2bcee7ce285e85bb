//! A radix directory over a list sorted by 64-bit hash keys: the start of every bucket of
//! keys sharing their top bits, about one bucket per item, so a lookup is one index and a
//! search among a handful of items instead of a binary search over millions.

use std::ops::Range;

#[derive(Debug, Default)]
pub struct Directory {
    shift: u32,
    starts: Vec<u32>,
}

impl Directory {
    /// The directory of `keys`, which must be sorted.
    pub fn new(keys: impl ExactSizeIterator<Item = u64>) -> Self {
        let len = keys.len();
        let bits = (usize::BITS - len.leading_zeros()).clamp(1, 24);
        let shift = 64 - bits;
        let buckets = 1usize << bits;
        let mut starts = Vec::with_capacity(buckets + 1);
        for (i, key) in keys.enumerate() {
            let bucket = (key >> shift) as usize;
            while starts.len() <= bucket {
                starts.push(i as u32);
            }
        }
        while starts.len() <= buckets {
            starts.push(len as u32);
        }
        Directory { shift, starts }
    }

    /// The positions whose keys share `key`'s bucket (a superset of those equal to it).
    pub fn bucket(&self, key: u64) -> Range<usize> {
        if self.starts.is_empty() {
            return 0..0;
        }
        let bucket = (key >> self.shift) as usize;
        self.starts[bucket] as usize..self.starts[bucket + 1] as usize
    }
}

/// The range of `items` (sorted by `key_of`) whose key is `key`.
pub fn equal_range<T>(items: &[T], directory: &Directory, key: u64, key_of: impl Fn(&T) -> u64) -> Range<usize> {
    let bucket = directory.bucket(key);
    let within = &items[bucket.clone()];
    let start = within.partition_point(|item| key_of(item) < key);
    let end = start + within[start..].partition_point(|item| key_of(item) == key);
    bucket.start + start..bucket.start + end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_key() {
        let keys: Vec<u64> = {
            let mut k: Vec<u64> = (0..1000u64).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).collect();
            k.extend([0, 0, u64::MAX, u64::MAX, 7]);
            k.sort_unstable();
            k
        };
        let directory = Directory::new(keys.iter().copied());
        for key in keys.iter().copied().chain([1, 2, u64::MAX - 1]) {
            let range = equal_range(&keys, &directory, key, |k| *k);
            let expected = keys.iter().filter(|k| **k == key).count();
            assert_eq!(range.len(), expected, "{key}");
            assert!(keys[range].iter().all(|k| *k == key));
        }
        let empty = Directory::new(std::iter::empty());
        assert_eq!(equal_range::<u64>(&[], &empty, 5, |k| *k), 0..0);
    }
}
