//! Seeded randomness: one independent ChaCha stream per part of the dataset (so growing
//! the account count does not reshuffle partners), deterministic UUIDs, and integer-only
//! sampling helpers (percent chances, weighted picks) so no floating point is ever needed.

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The part of the dataset a random stream feeds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    VendorUsers = 1,
    Partners = 2,
    PartnerUsers = 3,
    Products = 4,
    Accounts = 5,
    Fx = 6,
    Facts = 7,
    Tiering = 8,
}

/// The random stream for `stream` under `seed`; the same pair always yields the same numbers.
pub(crate) fn stream(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream as u64);
    rng
}

/// A random (version 4) UUID drawn from `rng`, in canonical hyphenated form.
pub(crate) fn uuid(rng: &mut impl RngCore) -> String {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

/// True with a probability of `percent` in 100.
pub(crate) fn chance(rng: &mut impl Rng, percent: u32) -> bool {
    rng.random_range(0..100) < percent
}

/// A uniformly chosen element of a non-empty slice.
pub(crate) fn pick<'a, T>(rng: &mut impl Rng, items: &'a [T]) -> &'a T {
    assert!(
        !items.is_empty(),
        "pick is only called with the non-empty tables of this crate"
    );
    &items[rng.random_range(0..items.len())]
}

/// An element of a non-empty slice chosen with probability proportional to `weight`.
pub(crate) fn pick_weighted<'a, T>(rng: &mut impl Rng, items: &'a [T], weight: impl Fn(&T) -> u64) -> &'a T {
    let table = Cumulative::new(items.iter().map(&weight));
    let index = table
        .sample(rng)
        .expect("pick_weighted is only called with tables that have a positive weight");
    &items[index]
}

/// A number in `0..bound` skewed towards small values (the product of two uniform draws),
/// for things that are usually few and occasionally many.
pub(crate) fn skewed(rng: &mut impl Rng, bound: u64) -> u64 {
    if bound <= 1 {
        return 0;
    }
    let a = rng.random_range(0..bound);
    let b = rng.random_range(0..bound);
    a * b / bound
}

/// Running totals of integer weights, sampled by binary search: O(log n) per draw.
#[derive(Debug, Clone)]
pub(crate) struct Cumulative(Vec<u64>);

impl Cumulative {
    pub(crate) fn new(weights: impl IntoIterator<Item = u64>) -> Self {
        let mut total = 0u64;
        Self(
            weights
                .into_iter()
                .map(|w| {
                    total = total.saturating_add(w);
                    total
                })
                .collect(),
        )
    }

    /// The index of the drawn item, or `None` when every weight is zero.
    pub(crate) fn sample(&self, rng: &mut impl Rng) -> Option<usize> {
        let total = *self.0.last()?;
        if total == 0 {
            return None;
        }
        let point = rng.random_range(0..total);
        Some(self.0.partition_point(|&running| running <= point))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a = uuid(&mut stream(7, Stream::Partners));
        let b = uuid(&mut stream(7, Stream::Partners));
        let c = uuid(&mut stream(7, Stream::Accounts));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(uuid::Uuid::parse_str(&a).is_ok());
    }

    #[test]
    fn cumulative_never_picks_zero_weights() {
        let table = Cumulative::new([0, 5, 0, 1]);
        let mut rng = stream(1, Stream::Facts);
        for _ in 0..1000 {
            let i = table.sample(&mut rng).unwrap();
            assert!(i == 1 || i == 3);
        }
        assert_eq!(Cumulative::new([0, 0]).sample(&mut rng), None);
        assert_eq!(Cumulative::new([]).sample(&mut rng), None);
    }

    #[test]
    fn skewed_stays_in_bounds() {
        let mut rng = stream(3, Stream::Facts);
        assert!((0..1000).all(|_| skewed(&mut rng, 10) < 10));
        assert_eq!(skewed(&mut rng, 0), 0);
    }
}
