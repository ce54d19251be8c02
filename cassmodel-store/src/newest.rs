//! The newest write timestamp: an upper bound of every timestamp the store holds, so that
//! a write newer than all of them skips reading the record it replaces.
//!
//! Reconciliation (`write.rs`) reads the stored record before each write so that an older
//! write never replaces a newer one. Most writes carry a timestamp greater than anything
//! ever written (server timestamps strictly increase; drivers' client timestamps too), and
//! such a write wins against any stored record of its key (the higher timestamp wins,
//! Cassandra's `db/rows/Cells.java` `reconcile`), so the read — a memtable and SSTable
//! lookup, the largest cost of a blind write — is skipped.
//!
//! The bound lives in memory, only changed under the engine's write lock. It is also
//! persisted in the meta keyspace, in the transaction of any commit that exceeds it, with a
//! margin so that it is rewritten about once a minute of timestamps; at open the persisted
//! bound is where the in-memory one starts. A store written before the bound existed (data
//! but no bound) never skips.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;

use fjall::{Readable, SingleWriterTxKeyspace, SingleWriterWriteTx as WriteTransaction};

use crate::error::{StoreError, StoreResult};

/// The meta key of the persisted bound (the generation map uses `g`, `c` and `n`).
const KEY: &[u8] = b"t";
/// How far above the newest timestamp the persisted bound is set (µs): one minute.
const MARGIN_MICROS: i64 = 60_000_000;

#[derive(Debug, Clone, Copy)]
struct Bounds {
    /// Every stored timestamp is `<=` this.
    newest: i64,
    /// The bound on disk (`>= newest`).
    persisted: i64,
}

/// The store's newest-timestamp bound (see the module docs).
#[derive(Debug)]
pub(crate) struct NewestTimestamp {
    bounds: Mutex<Bounds>,
}

impl NewestTimestamp {
    /// Loads the persisted bound; a fresh store starts below every timestamp.
    pub(crate) fn load<R: Readable>(
        snapshot: &R,
        meta: &SingleWriterTxKeyspace,
        data: &SingleWriterTxKeyspace,
    ) -> StoreResult<Self> {
        let bound = match snapshot.get(meta, KEY)? {
            Some(v) => {
                let bytes: [u8; 8] = v[..].try_into().map_err(|_| {
                    StoreError::Corrupt(format!("newest timestamp of {} bytes", v.len()))
                })?;
                i64::from_be_bytes(bytes)
            }
            None if snapshot.is_empty(data)? => i64::MIN,
            // Written before the bound existed: nothing is known, never skip a read.
            None => i64::MAX,
        };
        Ok(NewestTimestamp {
            bounds: Mutex::new(Bounds {
                newest: bound,
                persisted: bound,
            }),
        })
    }

    fn bounds(&self) -> Bounds {
        *self.bounds.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A merge for a transaction starting now (under the write lock).
    pub(crate) fn merge(&self) -> Merge {
        Merge::new(self.bounds().newest)
    }

    /// Before committing a transaction whose newest timestamp is `max_written`: the
    /// higher bound to persist in it, if one is needed (write it with
    /// [`Self::record`], then pass it to [`Self::committed`]).
    pub(crate) fn stage(&self, max_written: i64) -> Option<i64> {
        (max_written > self.bounds().persisted).then(|| max_written.saturating_add(MARGIN_MICROS))
    }

    /// The meta record persisting `bound`.
    pub(crate) fn record(bound: i64) -> (&'static [u8], Vec<u8>) {
        (KEY, bound.to_be_bytes().to_vec())
    }

    /// [`Self::stage`] and [`Self::record`] into a write transaction.
    pub(crate) fn stage_in(
        &self,
        tx: &mut WriteTransaction<'_>,
        meta: &SingleWriterTxKeyspace,
        max_written: i64,
    ) -> Option<i64> {
        let bound = self.stage(max_written)?;
        let (k, v) = Self::record(bound);
        tx.insert(meta, k, v);
        Some(bound)
    }

    /// After the transaction committed: raises the in-memory bounds.
    pub(crate) fn committed(&self, max_written: i64, staged: Option<i64>) {
        let mut b = self.bounds.lock().unwrap_or_else(|p| p.into_inner());
        b.newest = b.newest.max(max_written);
        if let Some(p) = staged {
            b.persisted = b.persisted.max(p);
        }
    }
}

/// What one transaction's merges need: whether a write may skip the read, and the newest
/// timestamp written.
#[derive(Debug)]
pub(crate) struct Merge {
    /// The bound when the transaction started (`i64::MAX`: never skip a read).
    newest: i64,
    /// Hashes of the keys written so far in this transaction: a second write of a key
    /// must reconcile with the first (a hash collision only costs a read).
    seen: HashSet<u64>,
    hasher: RandomState,
    /// The newest timestamp written in this transaction.
    pub(crate) max_written: i64,
}

impl Merge {
    fn new(newest: i64) -> Self {
        Merge {
            newest,
            seen: HashSet::new(),
            hasher: RandomState::new(),
            max_written: i64::MIN,
        }
    }

    /// Records a write of `key` at `timestamp`: whether the key may have been written
    /// before in this transaction, and if not, whether it is newer than everything stored.
    pub(crate) fn note(&mut self, key: &[u8], timestamp: i64) -> Seen {
        self.max_written = self.max_written.max(timestamp);
        if self.seen.insert(self.hasher.hash_one(key)) {
            Seen::First {
                newest: timestamp > self.newest,
            }
        } else {
            Seen::Again
        }
    }
}

/// What [`Merge::note`] knows of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seen {
    /// The key's first write in this transaction; `newest`: newer than everything stored.
    First {
        /// The write wins against anything stored.
        newest: bool,
    },
    /// The key (or one with the same hash) was written before in this transaction.
    Again,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// True if the write may skip the read.
    fn wins_unread(m: &mut Merge, key: &[u8], timestamp: i64) -> bool {
        m.note(key, timestamp) == Seen::First { newest: true }
    }

    #[test]
    fn only_a_first_write_newer_than_everything_skips_the_read() {
        let mut m = Merge::new(100);
        assert!(!wins_unread(&mut m, b"a", 100), "not newer than the bound");
        assert!(wins_unread(&mut m, b"b", 101));
        assert!(
            !wins_unread(&mut m, b"b", 500),
            "second write of a key reconciles"
        );
        assert!(
            wins_unread(&mut m, b"c", 101),
            "same timestamp, another key"
        );
        assert!(
            !wins_unread(&mut m, b"a", 200),
            "a was written in this transaction"
        );
        assert_eq!(m.max_written, 500);
    }

    #[test]
    fn a_store_without_a_bound_never_skips() {
        let mut m = Merge::new(i64::MAX);
        assert!(!wins_unread(&mut m, b"a", i64::MAX - 1));
        assert_eq!(m.max_written, i64::MAX - 1);
    }
}
