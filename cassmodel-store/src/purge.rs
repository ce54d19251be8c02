//! Background purging during fjall compactions (Cassandra purges in compaction too):
//! expired TTL cells and markers, and cell tombstones, once `gc_grace_seconds` have
//! passed since they expired or were written.
//!
//! Only records that stand alone are purged. A purged record is replaced by an engine
//! tombstone (`Verdict::Remove`), so an older version of the same key in a lower level
//! can never resurface. Row, range, partition and collection deletions are kept here: they
//! shadow other keys, which a per-item filter cannot see; `gc.rs` purges them with the
//! data they shadow.

use std::time::{SystemTime, UNIX_EPOCH};

use fjall::compaction::filter::{
    CompactionFilter, CompactionFilterResult, Context, Factory, ItemAccessor, Verdict,
};

use crate::keys::{
    ITEM_COLUMN, ITEM_MARKER, KIND_ELEMENT, KIND_SIMPLE, SECTION_ROWS, SECTION_STATIC,
    parse_partition, unescape,
};
use crate::record::StoredCell;

/// Seconds since the epoch.
pub fn now_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// True if the key holds a cell or a row marker (not a deletion record).
fn is_cell_key(key: &[u8]) -> bool {
    let Ok((_, _, used)) = parse_partition(key) else {
        return false;
    };
    let tail = &key[used..];
    let item = match tail.first() {
        Some(&SECTION_STATIC) => &tail[1..],
        Some(&SECTION_ROWS) => match unescape(&tail[1..]) {
            Ok((_, n)) => &tail[1 + n..],
            Err(_) => return false,
        },
        _ => return false,
    };
    match item.first() {
        Some(&ITEM_MARKER) => true,
        Some(&ITEM_COLUMN) => matches!(item.get(5), Some(&KIND_SIMPLE) | Some(&KIND_ELEMENT)),
        _ => false,
    }
}

/// Whether a stored cell can be dropped at `now`.
pub fn purgeable(cell: &StoredCell, now: i64, gc_grace: i64) -> bool {
    match cell {
        StoredCell::Live { ttl: Some(t), .. } => t.expires_at.saturating_add(gc_grace) <= now,
        StoredCell::Live { ttl: None, .. } => false,
        StoredCell::Tombstone(d) => d.local_deletion_time.saturating_add(gc_grace) <= now,
    }
}

struct PurgeFilter {
    now: i64,
    gc_grace: i64,
}

impl CompactionFilter for PurgeFilter {
    fn filter_item(&mut self, item: ItemAccessor<'_>, _ctx: &Context) -> CompactionFilterResult {
        if !is_cell_key(item.key()) {
            return Ok(Verdict::Keep);
        }
        let value = item.value()?;
        Ok(match StoredCell::decode(&value) {
            Ok(cell) if purgeable(&cell, self.now, self.gc_grace) => Verdict::Remove,
            _ => Verdict::Keep,
        })
    }
}

/// Creates a purge filter for every compaction of the data keyspace.
pub struct PurgeFactory {
    /// Grace period after expiry/deletion, in seconds.
    pub gc_grace: i64,
}

impl Factory for PurgeFactory {
    fn name(&self) -> &str {
        "cassmodel-purge"
    }

    fn make_filter(&self, _ctx: &Context) -> Box<dyn CompactionFilter> {
        Box::new(PurgeFilter {
            now: now_seconds(),
            gc_grace: self.gc_grace,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        ColumnId, Deletion, Mutation, ReadSpec, RowKey, RowUpdate, Store, StoreOptions, TableId,
        Ttl,
    };

    #[test]
    fn compaction_purges_expired_cells_and_old_tombstones_only() {
        let dir = tempfile::tempdir().unwrap();
        let opts = StoreOptions {
            gc_grace_seconds: 0,
            ..StoreOptions::default()
        };
        let s = Store::open(dir.path(), opts).unwrap();
        let now = now_seconds();
        let t = TableId(1);
        let row = |c: u8| RowUpdate::new(RowKey::Clustering(vec![c]));
        s.apply(&[Mutation::new(t, b"p".to_vec())
            // expired long ago: purged
            .row(row(1).set(
                ColumnId(1),
                1,
                b"old".to_vec(),
                Some(Ttl::new(1, now - 100)),
            ))
            // cell tombstone: purged
            .row(row(2).delete_cell(ColumnId(1), Deletion::new(1, now - 100)))
            // live forever / not yet expired: kept
            .row(row(3).set(ColumnId(1), 1, b"v".to_vec(), None))
            .row(row(4).set(ColumnId(1), 1, b"v".to_vec(), Some(Ttl::new(3600, now))))])
            .unwrap();
        // An old row deletion goes too, through the store's tombstone pass (`gc.rs`).
        let mut del = row(5);
        del.deletion = Some(Deletion::new(1, now - 100));
        s.apply(&[Mutation::new(t, b"p".to_vec()).row(del)])
            .unwrap();
        assert_eq!(s.raw_len(), 5);
        s.compact().unwrap();
        assert_eq!(s.raw_len(), 2);
        let rows: Vec<_> = s
            .read_partition(t, b"p", &ReadSpec::all(now))
            .unwrap()
            .map(|r| r.unwrap().clustering().to_vec())
            .collect();
        assert_eq!(rows, vec![vec![3], vec![4]]);
    }

    #[test]
    fn grace_period_is_respected() {
        let cell = StoredCell::Tombstone(crate::Deletion::new(1, 100));
        assert!(!purgeable(&cell, 150, 100));
        assert!(purgeable(&cell, 200, 100));
        let live = StoredCell::Live {
            timestamp: 1,
            ttl: None,
            value: Vec::new(),
        };
        assert!(!purgeable(&live, i64::MAX, 0));
    }
}
