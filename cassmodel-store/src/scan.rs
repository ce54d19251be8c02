//! Partition scans in token order (full-table SELECTs, paging across partitions,
//! `token()` ranges).

use std::ops::Bound as RB;

use fjall::{Iter, Readable, SingleWriterTxKeyspace, Snapshot};

use crate::error::StoreResult;
use crate::keys::{
    engine_range, parse_partition, partition_prefix, prefix_successor, table_prefix, token_start,
};
use crate::model::{PartitionKey, ScanEnd, ScanStart, TableId};

/// The storage key where a scan starts (inclusive).
fn start_key(table: TableId, start: &ScanStart) -> Option<Vec<u8>> {
    match start {
        ScanStart::Beginning => Some(table_prefix(table)),
        ScanStart::Token {
            token,
            inclusive: true,
        } => Some(token_start(table, *token)),
        ScanStart::Token {
            token,
            inclusive: false,
        } => prefix_successor(&token_start(table, *token)),
        ScanStart::Key {
            key,
            inclusive: true,
        } => Some(partition_prefix(table, key)),
        ScanStart::Key {
            key,
            inclusive: false,
        } => prefix_successor(&partition_prefix(table, key)),
    }
}

/// The storage key where a scan ends (exclusive), `None` for the end of the keyspace.
fn end_key(table: TableId, end: &ScanEnd) -> Option<Vec<u8>> {
    match end {
        ScanEnd::Unbounded => prefix_successor(&table_prefix(table)),
        ScanEnd::Token {
            token,
            inclusive: true,
        } => prefix_successor(&token_start(table, *token)),
        ScanEnd::Token {
            token,
            inclusive: false,
        } => Some(token_start(table, *token)),
    }
}

/// Partition keys of one table in token order (then unsigned key bytes), from a
/// consistent snapshot. A partition is listed if anything is stored for it, which
/// includes partitions whose data is all deleted or expired: check liveness with a read.
pub struct PartitionScan {
    snapshot: Snapshot,
    ks: SingleWriterTxKeyspace,
    table: TableId,
    lo: Option<Vec<u8>>,
    hi: Option<Vec<u8>>,
    /// The open iterator and the prefix of the partition last returned from it.
    current: Option<(Iter, Vec<u8>)>,
}

/// How many keys of the previous partition to step over before seeking past it instead.
const SKIP_BEFORE_SEEK: usize = 8;

impl std::fmt::Debug for PartitionScan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartitionScan")
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

impl PartitionScan {
    /// A scan of `table` between `start` and `end`.
    pub fn new(
        snapshot: Snapshot,
        ks: SingleWriterTxKeyspace,
        table: TableId,
        start: &ScanStart,
        end: &ScanEnd,
    ) -> Self {
        PartitionScan {
            snapshot,
            ks,
            table,
            lo: start_key(table, start),
            hi: end_key(table, end),
            current: None,
        }
    }

    /// Yields the partition of `key` and remembers where the next one starts.
    fn found(&mut self, key: &[u8], it: Iter) -> StoreResult<Option<PartitionKey>> {
        let (token, pk, used) = parse_partition(key)?;
        self.lo = prefix_successor(&key[..used]);
        self.current = Some((it, key[..used].to_vec()));
        Ok(Some(PartitionKey { token, key: pk }))
    }

    fn step(&mut self) -> StoreResult<Option<PartitionKey>> {
        // Cheap path: step over the rest of the previous partition in the open iterator.
        if let Some((mut it, prefix)) = self.current.take() {
            for _ in 0..SKIP_BEFORE_SEEK {
                let Some(kv) = it.next() else {
                    return Ok(None);
                };
                let key = kv.key()?;
                if !key.starts_with(&prefix) {
                    return self.found(&key, it);
                }
            }
        }
        let Some(lo) = self.lo.take() else {
            return Ok(None);
        };
        if self.hi.as_ref().is_some_and(|hi| lo >= *hi) {
            return Ok(None);
        }
        let hi = match &self.hi {
            Some(h) => RB::Excluded(h.clone()),
            None => RB::Unbounded,
        };
        let mut it = self
            .snapshot
            .range(&self.ks, engine_range(RB::Included(lo), hi));
        let Some(kv) = it.next() else {
            return Ok(None);
        };
        let key = kv.key()?;
        self.found(&key, it)
    }
}

impl Iterator for PartitionScan {
    type Item = StoreResult<PartitionKey>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(Some(p)) => Some(Ok(p)),
            Ok(None) => None,
            Err(e) => {
                self.lo = None;
                self.current = None;
                Some(Err(e))
            }
        }
    }
}
