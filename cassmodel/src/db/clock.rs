//! The client-side write timestamp source: microseconds since the Unix epoch, strictly
//! increasing across every write issued through one [`crate::Db`] (and its clones), so two
//! writes in a row never share a timestamp even within one microsecond. Cassandra resolves
//! conflicting cells by timestamp (last write wins), so a later write must carry a larger one.
//!
//! The same clock stamps every request of the Db's session (the driver's timestamp
//! generator), so writes that bind their timestamp and writes that leave it to the
//! request draw from one sequence.

use scylla::policies::timestamp_generator::TimestampGenerator;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A monotonic microsecond clock.
#[derive(Debug, Default)]
pub struct Clock {
    last: AtomicI64,
}

impl Clock {
    /// A new clock.
    pub fn new() -> Clock {
        Clock::default()
    }

    /// The next timestamp: the wall clock in µs, or one more than the previous timestamp if
    /// the wall clock has not advanced (or went backwards).
    pub fn next(&self) -> i64 {
        let now = wall_micros();
        let mut prev = self.last.load(Ordering::Relaxed);
        loop {
            let next = if now > prev { now } else { prev + 1 };
            match self
                .last
                .compare_exchange_weak(prev, next, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => return next,
                Err(actual) => prev = actual,
            }
        }
    }
}

/// The driver asks the clock for the timestamp of each request that sets none itself.
impl TimestampGenerator for Clock {
    fn next_timestamp(&self) -> i64 {
        self.next()
    }
}

fn wall_micros() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn strictly_increasing() {
        let clock = Clock::new();
        let mut prev = clock.next();
        for _ in 0..100_000 {
            let t = clock.next();
            assert!(t > prev, "{t} <= {prev}");
            prev = t;
        }
    }

    #[test]
    fn close_to_wall_clock() {
        let t = Clock::new().next();
        assert!((t - wall_micros()).abs() < 1_000_000);
    }

    #[test]
    fn unique_across_threads() {
        let clock = Arc::new(Clock::new());
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let c = Arc::clone(&clock);
                std::thread::spawn(move || (0..10_000).map(|_| c.next()).collect::<Vec<_>>())
            })
            .collect();
        let mut all: Vec<i64> = threads
            .into_iter()
            .flat_map(|t| t.join().unwrap_or_default())
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n);
        assert_eq!(n, 40_000);
    }
}
