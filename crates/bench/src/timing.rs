//! Wall-clock measurement and printing with integer arithmetic only: medians of repeated
//! runs, milliseconds with one decimal, and ratios with two.

use std::time::{Duration, Instant};

/// Runs `work` and returns its result with the time it took.
pub fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let result = work();
    (result, start.elapsed())
}

/// The median of `runs` runs of `work` (the upper middle one for an even count), and the
/// last run's result. Each run's result is dropped before the next run starts, so memory
/// peaks at one result, not two.
pub fn median_of<T>(runs: usize, mut work: impl FnMut() -> T) -> (T, Duration, Vec<Duration>) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        drop(last.take());
        let (result, time) = timed(&mut work);
        times.push(time);
        last = Some(result);
    }
    (last.expect("at least one run"), median(&times), times)
}

pub fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

/// "1234.5 ms".
pub fn ms(time: Duration) -> String {
    let micros = time.as_micros();
    format!("{}.{} ms", micros / 1000, (micros % 1000) / 100)
}

/// How many times `slow` is slower than `fast`, e.g. "12.34×".
pub fn ratio(slow: Duration, fast: Duration) -> String {
    let fast = fast.as_micros().max(1);
    let hundredths = slow.as_micros() * 100 / fast;
    format!("{}.{:02}×", hundredths / 100, hundredths % 100)
}

/// "12.3 ms, 11.9 ms, …": every run's time.
pub fn list(times: &[Duration]) -> String {
    times.iter().map(|t| ms(*t)).collect::<Vec<_>>().join(", ")
}
