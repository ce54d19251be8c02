//! Value types for model fields, beyond std's: the driver's CQL types re-exported under
//! the names the derive recognises, plus time-UUID helpers.
//!
//! | CQL | Rust |
//! |---|---|
//! | `timeuuid` | [`TimeUuid`] |
//! | `timestamp` / `date` / `time` | [`CqlTimestamp`] / [`CqlDate`] / [`CqlTime`] |
//! | `duration` | [`CqlDuration`] |
//! | `decimal` / `varint` | [`CqlDecimal`] / [`CqlVarint`] |
//! | `counter` | [`Counter`] |

pub use scylla::value::{
    Counter, CqlDate, CqlDecimal, CqlDuration, CqlTime, CqlTimestamp, CqlTimeuuid, CqlVarint,
};
pub use uuid::Uuid;

/// A `timeuuid` (version 1 UUID); CQL compares them by their embedded time.
pub type TimeUuid = CqlTimeuuid;

/// A new time UUID for the current time (random node and clock sequence).
pub fn timeuuid_now() -> TimeUuid {
    let mut node = [0u8; 6];
    node.copy_from_slice(&Uuid::new_v4().as_bytes()[..6]);
    TimeUuid::from(Uuid::now_v1(&node))
}

/// A time UUID for `micros` since the Unix epoch (random node), e.g. for clustering
/// slices by time: every UUID made for a later time compares greater.
pub fn timeuuid_at(micros: i64) -> TimeUuid {
    let mut node = [0u8; 6];
    node.copy_from_slice(&Uuid::new_v4().as_bytes()[..6]);
    let micros = micros.max(0).unsigned_abs();
    let ts = uuid::Timestamp::from_unix(
        uuid::NoContext,
        micros / 1_000_000,
        u32::try_from((micros % 1_000_000) * 1000).unwrap_or(0),
    );
    TimeUuid::from(Uuid::new_v1(ts, &node))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeuuids_are_version_1_and_ordered_by_time() {
        let a = timeuuid_at(1_000_000);
        let b = timeuuid_at(2_000_000);
        assert_eq!(Uuid::from(a).get_version_num(), 1);
        assert!(a < b, "{a:?} !< {b:?}");
        assert_eq!(Uuid::from(timeuuid_now()).get_version_num(), 1);
    }
}
