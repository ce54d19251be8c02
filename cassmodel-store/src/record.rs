//! Stored values (cells, markers, deletions) and Cassandra's reconciliation rules.
//!
//! Cell value layout: `flag(1) | timestamp(i64 BE) | ...`:
//! `0x00` live: `value`; `0x01` expiring: `ttl(u32 BE) expires_at(i64 BE) value`;
//! `0x02` tombstone: `local_deletion_time(i64 BE)`.
//! Deletion records (partition, range, row, collection): `timestamp(i64 BE) ldt(i64 BE)`.

use std::cmp::Ordering;

use crate::error::{StoreError, StoreResult};
use crate::model::{CellOp, Deletion, Liveness, Ttl};

const LIVE: u8 = 0x00;
const EXPIRING: u8 = 0x01;
const TOMBSTONE: u8 = 0x02;

/// A stored cell (or row marker, whose value is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredCell {
    /// A live or expiring value.
    Live {
        /// Write timestamp (µs).
        timestamp: i64,
        /// Optional TTL.
        ttl: Option<Ttl>,
        /// Value bytes.
        value: Vec<u8>,
    },
    /// A tombstone.
    Tombstone(Deletion),
}

impl StoredCell {
    /// From a cell write.
    pub fn from_op(op: &CellOp) -> StoredCell {
        match op {
            CellOp::Write {
                timestamp,
                value,
                ttl,
            } => StoredCell::Live {
                timestamp: *timestamp,
                ttl: *ttl,
                value: value.clone(),
            },
            CellOp::Delete(d) => StoredCell::Tombstone(*d),
        }
    }

    /// From a row marker.
    pub fn from_marker(m: &Liveness) -> StoredCell {
        StoredCell::Live {
            timestamp: m.timestamp,
            ttl: m.ttl,
            value: Vec::new(),
        }
    }

    /// The write timestamp.
    pub fn timestamp(&self) -> i64 {
        match self {
            StoredCell::Live { timestamp, .. } => *timestamp,
            StoredCell::Tombstone(d) => d.timestamp,
        }
    }

    /// Live at `now` (not a tombstone, not expired).
    pub fn is_live(&self, now: i64) -> bool {
        match self {
            StoredCell::Live { ttl, .. } => ttl.is_none_or(|t| !t.is_expired(now)),
            StoredCell::Tombstone(_) => false,
        }
    }

    /// Encodes the cell.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            StoredCell::Live {
                timestamp,
                ttl: None,
                value,
            } => {
                let mut out = Vec::with_capacity(9 + value.len());
                out.push(LIVE);
                out.extend_from_slice(&timestamp.to_be_bytes());
                out.extend_from_slice(value);
                out
            }
            StoredCell::Live {
                timestamp,
                ttl: Some(t),
                value,
            } => {
                let mut out = Vec::with_capacity(21 + value.len());
                out.push(EXPIRING);
                out.extend_from_slice(&timestamp.to_be_bytes());
                out.extend_from_slice(&t.ttl.to_be_bytes());
                out.extend_from_slice(&t.expires_at.to_be_bytes());
                out.extend_from_slice(value);
                out
            }
            StoredCell::Tombstone(d) => {
                let mut out = Vec::with_capacity(17);
                out.push(TOMBSTONE);
                out.extend_from_slice(&d.timestamp.to_be_bytes());
                out.extend_from_slice(&d.local_deletion_time.to_be_bytes());
                out
            }
        }
    }

    /// Decodes a cell written by [`StoredCell::encode`].
    pub fn decode(bytes: &[u8]) -> StoreResult<StoredCell> {
        let bad = || StoreError::Corrupt("bad cell record".into());
        let flag = *bytes.first().ok_or_else(bad)?;
        let timestamp = read_i64(bytes, 1).ok_or_else(bad)?;
        match flag {
            LIVE => Ok(StoredCell::Live {
                timestamp,
                ttl: None,
                value: bytes[9..].to_vec(),
            }),
            EXPIRING => {
                let ttl = read_u32(bytes, 9).ok_or_else(bad)?;
                let expires_at = read_i64(bytes, 13).ok_or_else(bad)?;
                Ok(StoredCell::Live {
                    timestamp,
                    ttl: Some(Ttl { ttl, expires_at }),
                    value: bytes[21..].to_vec(),
                })
            }
            TOMBSTONE => Ok(StoredCell::Tombstone(Deletion {
                timestamp,
                local_deletion_time: read_i64(bytes, 9).ok_or_else(bad)?,
            })),
            _ => Err(bad()),
        }
    }

    /// "Local deletion time" as Cassandra defines it: none for live cells, the expiry for
    /// expiring cells, the deletion time for tombstones.
    fn local_deletion_time(&self) -> Option<i64> {
        match self {
            StoredCell::Live { ttl, .. } => ttl.map(|t| t.expires_at),
            StoredCell::Tombstone(d) => Some(d.local_deletion_time),
        }
    }
}

fn read_i64(b: &[u8], at: usize) -> Option<i64> {
    let s = b.get(at..at + 8)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(i64::from_be_bytes(a))
}

fn read_u32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    let mut a = [0u8; 4];
    a.copy_from_slice(s);
    Some(u32::from_be_bytes(a))
}

/// Cassandra 4.x `Cells.resolveRegular` (`C*: src/java/org/apache/cassandra/db/rows/Cells.java`):
/// the higher timestamp wins; on a tie, a tombstone or expiring cell beats a plain live
/// cell (CASSANDRA-14592), a tombstone beats an expiring cell, then the later local
/// deletion time (expiry) wins, and finally the greater value (unsigned bytes).
/// Returns `Ordering::Greater` if `a` wins, `Less` if `b` wins, `Equal` if identical.
pub fn reconcile(a: &StoredCell, b: &StoredCell) -> Ordering {
    let by_ts = a.timestamp().cmp(&b.timestamp());
    if by_ts != Ordering::Equal {
        return by_ts;
    }
    let (la, lb) = (a.local_deletion_time(), b.local_deletion_time());
    if la.is_some() || lb.is_some() {
        if la.is_some() != lb.is_some() {
            return if la.is_some() {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let ta = matches!(a, StoredCell::Tombstone(_));
        let tb = matches!(b, StoredCell::Tombstone(_));
        if ta != tb {
            return if ta {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        if la != lb {
            return la.cmp(&lb);
        }
    }
    match (a, b) {
        (StoredCell::Live { value: va, .. }, StoredCell::Live { value: vb, .. }) => va.cmp(vb),
        _ => Ordering::Equal,
    }
}

/// Encodes a deletion record.
pub fn encode_deletion(d: &Deletion) -> Vec<u8> {
    let mut out = Vec::with_capacity(16);
    out.extend_from_slice(&d.timestamp.to_be_bytes());
    out.extend_from_slice(&d.local_deletion_time.to_be_bytes());
    out
}

/// Decodes a deletion record.
pub fn decode_deletion(bytes: &[u8]) -> StoreResult<Deletion> {
    match (read_i64(bytes, 0), read_i64(bytes, 8)) {
        (Some(timestamp), Some(local_deletion_time)) => Ok(Deletion {
            timestamp,
            local_deletion_time,
        }),
        _ => Err(StoreError::Corrupt("bad deletion record".into())),
    }
}

/// The later of two optional deletions (Cassandra's `DeletionTime.supersedes`).
pub fn max_deletion(a: Option<Deletion>, b: Option<Deletion>) -> Option<Deletion> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.supersedes(&x) { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(ts: i64, v: &[u8]) -> StoredCell {
        StoredCell::Live {
            timestamp: ts,
            ttl: None,
            value: v.to_vec(),
        }
    }

    #[test]
    fn round_trips() {
        let cells = [
            live(5, b"abc"),
            StoredCell::Live {
                timestamp: -3,
                ttl: Some(Ttl::new(10, 100)),
                value: vec![0, 1],
            },
            StoredCell::Tombstone(Deletion::new(9, 77)),
        ];
        for c in cells {
            assert_eq!(StoredCell::decode(&c.encode()).unwrap(), c);
        }
        let d = Deletion::new(i64::MIN, 3);
        assert_eq!(decode_deletion(&encode_deletion(&d)).unwrap(), d);
    }

    #[test]
    fn tie_rules() {
        let t = StoredCell::Tombstone(Deletion::new(5, 0));
        assert_eq!(reconcile(&live(5, b"zz"), &t), Ordering::Less);
        assert_eq!(reconcile(&live(5, b"a"), &live(5, b"b")), Ordering::Less);
        assert_eq!(reconcile(&live(6, b"a"), &live(5, b"b")), Ordering::Greater);
        let e1 = StoredCell::Live {
            timestamp: 5,
            ttl: Some(Ttl::new(10, 0)),
            value: b"a".to_vec(),
        };
        let e2 = StoredCell::Live {
            timestamp: 5,
            ttl: Some(Ttl::new(20, 0)),
            value: b"a".to_vec(),
        };
        assert_eq!(reconcile(&e1, &e2), Ordering::Less);
        assert_eq!(reconcile(&e1, &live(5, b"zz")), Ordering::Greater);
        assert_eq!(reconcile(&e1, &t), Ordering::Less);
    }
}
