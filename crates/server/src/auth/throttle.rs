//! Login throttling: after too many failed sign-ins for one e-mail address or from one
//! client address within a window, further attempts are refused until the window passes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginThrottle {
    /// Seconds until `keys` may try again, if any of them is locked out.
    pub fn locked_for(&self, keys: &[String]) -> Option<u64> {
        let now = Instant::now();
        let mut map = self.failures.lock().expect("throttle lock is never poisoned");
        keys.iter()
            .filter_map(|key| {
                let times = map.get_mut(key)?;
                times.retain(|t| now.duration_since(*t) < WINDOW);
                (times.len() >= MAX_FAILURES)
                    .then(|| WINDOW.saturating_sub(now.duration_since(times[0])).as_secs().max(1))
            })
            .max()
    }

    pub fn record_failure(&self, keys: &[String]) {
        let now = Instant::now();
        let mut map = self.failures.lock().expect("throttle lock is never poisoned");
        if map.len() > 100_000 {
            map.retain(|_, times| times.iter().any(|t| now.duration_since(*t) < WINDOW));
        }
        for key in keys {
            map.entry(key.clone()).or_default().push(now);
        }
    }

    pub fn record_success(&self, keys: &[String]) {
        let mut map = self.failures.lock().expect("throttle lock is never poisoned");
        for key in keys {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_max_failures_and_success_clears() {
        let throttle = LoginThrottle::default();
        let keys = vec!["email:a@b.c".to_string()];
        for _ in 0..MAX_FAILURES - 1 {
            throttle.record_failure(&keys);
        }
        assert!(throttle.locked_for(&keys).is_none());
        throttle.record_failure(&keys);
        assert!(throttle.locked_for(&keys).is_some());
        throttle.record_success(&keys);
        assert!(throttle.locked_for(&keys).is_none());
    }
}
