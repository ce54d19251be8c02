//! Partition scans in token order (full-table SELECTs, paging across partitions,
//! `token()` ranges).

use std::ops::Bound as RB;

use fjall::{Readable, SingleWriterTxKeyspace, Snapshot};

use crate::error::StoreResult;
use crate::keys::{parse_partition, partition_prefix, prefix_successor, table_prefix, token_start};
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
}

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
        }
    }

    fn step(&mut self) -> StoreResult<Option<PartitionKey>> {
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
        let mut it = self.snapshot.range(&self.ks, (RB::Included(lo), hi));
        let Some(kv) = it.next() else {
            return Ok(None);
        };
        let key = kv.key()?;
        let (token, pk, used) = parse_partition(&key)?;
        self.lo = prefix_successor(&key[..used]);
        Ok(Some(PartitionKey { token, key: pk }))
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
                Some(Err(e))
            }
        }
    }
}
