//! Time for the engine: the wall clock every TTL and `now()` is measured against, and the
//! strictly increasing server timestamps of writes.
//!
//! Server timestamps follow `ClientState.getTimestamp` in apache/cassandra
//! (`src/java/org/apache/cassandra/service/ClientState.java`): `max(now_µs, last + 1)`, so two
//! writes from the same node never share a timestamp even when the clock stalls or steps back.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of wall-clock time in microseconds since the Unix epoch. Tests inject a manual
/// clock to expire TTLs without sleeping.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Microseconds since the Unix epoch.
    fn now_micros(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_micros(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}

/// A clock that only moves when told to (for tests).
#[derive(Debug, Default)]
pub struct ManualClock {
    micros: AtomicI64,
}

impl ManualClock {
    /// A clock reading `micros`.
    pub fn new(micros: i64) -> Arc<ManualClock> {
        Arc::new(ManualClock {
            micros: AtomicI64::new(micros),
        })
    }
    /// Moves the clock forward by `secs` seconds.
    pub fn advance_secs(&self, secs: i64) {
        self.micros
            .fetch_add(secs.saturating_mul(1_000_000), Ordering::SeqCst);
    }
    /// Sets the clock.
    pub fn set_micros(&self, micros: i64) {
        self.micros.store(micros, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_micros(&self) -> i64 {
        self.micros.load(Ordering::SeqCst)
    }
}

/// Hands out strictly increasing write timestamps.
#[derive(Debug)]
pub struct TimestampSource {
    clock: Arc<dyn Clock>,
    last: AtomicI64,
}

impl TimestampSource {
    /// A source reading `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> TimestampSource {
        TimestampSource {
            clock,
            last: AtomicI64::new(i64::MIN),
        }
    }

    /// The clock this source reads.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Now, in microseconds.
    pub fn now_micros(&self) -> i64 {
        self.clock.now_micros()
    }

    /// Now, in whole seconds (Cassandra's `nowInSec` for TTL expiry).
    pub fn now_secs(&self) -> i64 {
        self.clock.now_micros().div_euclid(1_000_000)
    }

    /// The next server timestamp: `max(now, last + 1)`.
    pub fn next(&self) -> i64 {
        let now = self.clock.now_micros();
        let mut last = self.last.load(Ordering::SeqCst);
        loop {
            let candidate = if last >= now { last + 1 } else { now };
            match self
                .last
                .compare_exchange(last, candidate, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => return candidate,
                Err(actual) => last = actual,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_increase_when_the_clock_stalls_or_steps_back() {
        let clock = ManualClock::new(1_000);
        let source = TimestampSource::new(clock.clone());
        assert_eq!(source.next(), 1_000);
        assert_eq!(source.next(), 1_001);
        clock.set_micros(500);
        assert_eq!(source.next(), 1_002);
        clock.set_micros(5_000);
        assert_eq!(source.next(), 5_000);
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(SystemClock.now_micros() > 1_577_836_800_000_000);
    }
}
