//! Time-based (version 1) UUIDs: `now()` and list cell keys, which must be unique and
//! increasing (`C*: utils/TimeUUID.java`). Prepended list elements use keys that
//! decrease from a fixed reference in the past (`C*: cql3/Lists.java` `PrecisionTime`).

use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use super::clock::{Clock, SystemClock};

/// 100 ns intervals between 1582-10-15 and 1970-01-01.
const GREGORIAN_OFFSET: i64 = 0x01B2_1DD2_1381_4000;

static LAST: AtomicI64 = AtomicI64::new(0);
static NODE: Mutex<Option<u64>> = Mutex::new(None);

fn node() -> u64 {
    let mut n = NODE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *n.get_or_insert_with(|| rand::random::<u64>() | 0x0000_0100_0000_0000)
}

/// A version-1 UUID from a count of 100 ns intervals since 1582-10-15.
pub fn from_ticks(ticks: i64) -> [u8; 16] {
    let t = ticks as u64;
    let time_low = t & 0xFFFF_FFFF;
    let time_mid = (t >> 32) & 0xFFFF;
    let time_hi = (t >> 48) & 0x0FFF;
    let msb = (time_low << 32) | (time_mid << 16) | 0x1000 | time_hi;
    let lsb = 0x8000_0000_0000_0000 | (node() & 0x3FFF_FFFF_FFFF_FFFF);
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&msb.to_be_bytes());
    out[8..].copy_from_slice(&lsb.to_be_bytes());
    out
}

/// A fresh, strictly increasing time UUID.
pub fn now() -> [u8; 16] {
    let ticks = SystemClock.now_micros() * 10 + GREGORIAN_OFFSET;
    let mut last = LAST.load(Ordering::SeqCst);
    loop {
        let next = if ticks > last { ticks } else { last + 1 };
        match LAST.compare_exchange(last, next, Ordering::SeqCst, Ordering::SeqCst) {
            Ok(_) => return from_ticks(next),
            Err(actual) => last = actual,
        }
    }
}

static PREPEND: AtomicI64 = AtomicI64::new(0);

/// A key for a prepended list element: smaller than every key handed out before, by
/// counting down from 2010-01-01 (as Cassandra's `Lists.PrecisionTime` does).
pub fn prepend_key() -> [u8; 16] {
    const REFERENCE_MS: i64 = 1_262_304_000_000;
    let n = PREPEND.fetch_add(1, Ordering::SeqCst);
    from_ticks(REFERENCE_MS * 10_000 + GREGORIAN_OFFSET - n - 1)
}
