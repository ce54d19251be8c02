//! Per-call options of reads and writes. Every field is optional: unset means the
//! [`crate::Db`]'s default (its URL's consistency and page size, the client clock's
//! timestamp, the table's default TTL).

use crate::error::WriteError;
pub use scylla::statement::{Consistency, SerialConsistency};
use std::time::Duration;

/// Cassandra's maximum TTL: 20 years (`Attributes.MAX_TTL`).
pub const MAX_TTL_SECONDS: u64 = 630_720_000;

/// Options of one write (`insert`, `update`, `delete`, a batch entry).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WriteOptions {
    /// Time to live of the written cells (whole seconds, 1 s to 20 years); `None` = the
    /// model's `#[cassmodel(ttl = N)]` if it has one, else the table's
    /// `default_time_to_live`.
    ///
    /// The two defaults differ: `ttl = N` is client side — the runtime sends
    /// `USING TTL N` with each write of the model (including the copies in its query
    /// tables), it needs no schema change, and writes from other clients (cqlsh, another
    /// program) are not affected. `options(default_time_to_live = N)` is a table option:
    /// the server applies it to every write that sets no TTL, whoever sends it, and
    /// changing it needs `cassmodel migrate`.
    pub ttl: Option<Duration>,
    /// Write timestamp in microseconds since the epoch; `None` = the Db's monotonic clock.
    pub timestamp: Option<i64>,
    /// Consistency level; `None` = the Db's default.
    pub consistency: Option<Consistency>,
    /// Serial consistency of a conditional write; `None` = `LOCAL_SERIAL`.
    pub serial_consistency: Option<SerialConsistency>,
}

impl WriteOptions {
    /// No option set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the TTL.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// Sets the write timestamp (µs since the epoch).
    pub fn timestamp(mut self, micros: i64) -> Self {
        self.timestamp = Some(micros);
        self
    }

    /// Sets the consistency level.
    pub fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = Some(consistency);
        self
    }

    /// Sets the serial consistency of conditional writes.
    pub fn serial_consistency(mut self, serial: SerialConsistency) -> Self {
        self.serial_consistency = Some(serial);
        self
    }

    /// The TTL in seconds as bound to `USING TTL ?`, validated.
    pub(crate) fn ttl_seconds(&self) -> Result<Option<i32>, WriteError> {
        match self.ttl {
            None => Ok(None),
            Some(d) => {
                let seconds = d.as_secs();
                if d.subsec_nanos() != 0 || seconds == 0 || seconds > MAX_TTL_SECONDS {
                    return Err(WriteError::BadTtl {
                        seconds,
                        nanos: d.subsec_nanos(),
                    });
                }
                i32::try_from(seconds)
                    .map(Some)
                    .map_err(|_| WriteError::BadTtl { seconds, nanos: 0 })
            }
        }
    }
}

/// Options of one read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadOptions {
    /// Consistency level; `None` = the Db's default.
    pub consistency: Option<Consistency>,
    /// Rows per page of a paged read; `None` = the Db's default (5000).
    pub page_size: Option<i32>,
}

impl ReadOptions {
    /// No option set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the consistency level.
    pub fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = Some(consistency);
        self
    }

    /// Sets the page size (at least 1).
    pub fn page_size(mut self, rows: i32) -> Self {
        self.page_size = Some(rows.max(1));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_validation() {
        assert_eq!(WriteOptions::new().ttl_seconds().ok(), Some(None));
        let ok = WriteOptions::new().ttl(Duration::from_secs(60));
        assert_eq!(ok.ttl_seconds().ok(), Some(Some(60)));
        for bad in [
            Duration::ZERO,
            Duration::from_millis(1500),
            Duration::from_secs(MAX_TTL_SECONDS + 1),
        ] {
            let err = WriteOptions::new().ttl(bad).ttl_seconds();
            assert!(matches!(err, Err(WriteError::BadTtl { .. })), "{bad:?}");
        }
        let max = WriteOptions::new().ttl(Duration::from_secs(MAX_TTL_SECONDS));
        assert_eq!(max.ttl_seconds().ok(), Some(Some(630_720_000)));
    }

    #[test]
    fn builders_set_fields() {
        let o = WriteOptions::new()
            .timestamp(42)
            .consistency(Consistency::One)
            .serial_consistency(SerialConsistency::Serial);
        assert_eq!(o.timestamp, Some(42));
        assert_eq!(o.consistency, Some(Consistency::One));
        assert_eq!(o.serial_consistency, Some(SerialConsistency::Serial));
        let r = ReadOptions::new()
            .page_size(0)
            .consistency(Consistency::All);
        assert_eq!(r.page_size, Some(1));
        assert_eq!(r.consistency, Some(Consistency::All));
    }
}
