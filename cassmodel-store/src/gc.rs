//! Purging of old partition, range, row and collection tombstones together with the data
//! they shadow (Cassandra's tombstone GC, `db/compaction/CompactionController.java`).
//!
//! A per-item compaction filter (`purge.rs`) cannot drop a tombstone that shadows other
//! keys: the shadowed keys may sit in a level the compaction does not read, and would
//! resurface once the tombstone is gone. So the store purges them itself, one partition per
//! write transaction: inside the serialized write section it reads the partition's current
//! records, and removes, in one atomic journal batch, every deletion record whose
//! `local_deletion_time + gc_grace_seconds` has passed *and* every record such a deletion
//! covers (timestamp `<=` the deletion's). Removing a key through the engine removes every
//! older version of it, whatever level it is in, so nothing the purged tombstone shadowed
//! can come back. Records newer than the tombstone, and tombstones younger than the grace
//! period, are kept. The engine tombstones left behind disappear in later compactions.
//!
//! Candidates are found by a scan over a snapshot (only deletion records are decoded); the
//! scan runs in the background every [`crate::StoreOptions::purge_interval`] and in
//! [`crate::Store::compact`].

use std::ops::Bound as RB;

use fjall::{Readable, SingleWriterTxDatabase, SingleWriterTxKeyspace};

use crate::error::StoreResult;
use crate::keys::{
    ITEM_COLUMN, ITEM_ROW_DELETION, KIND_COLLECTION_DELETION, RowItem, SECTION_PARTITION_DELETION,
    SECTION_RANGE_TOMBSTONE, SECTION_ROWS, SECTION_STATIC, parse_bound, parse_partition,
    parse_row_item, prefix_successor, unescape,
};
use crate::model::{ColumnId, Deletion, Slice};
use crate::read::slice_contains;
use crate::record::{StoredCell, decode_deletion};

/// What a stored record of a partition is.
enum Kind {
    Partition,
    Range(Slice),
    /// A row item; `None` clustering for the static row.
    Row(Option<Vec<u8>>, RowItem),
}

struct Record {
    key: Vec<u8>,
    kind: Kind,
    timestamp: i64,
    /// Set for deletion records.
    deletion: Option<Deletion>,
}

fn gc_able(d: &Deletion, now: i64, gc_grace: i64) -> bool {
    d.local_deletion_time.saturating_add(gc_grace) <= now
}

/// Where a deletion record's kind byte sits, if `key` holds one: partition deletion, range
/// tombstone, row deletion or collection deletion.
fn is_deletion_key(key: &[u8]) -> bool {
    let Ok((_, _, used)) = parse_partition(key) else {
        return false;
    };
    let tail = &key[used..];
    let item = match tail.first() {
        Some(&(SECTION_PARTITION_DELETION | SECTION_RANGE_TOMBSTONE)) => return true,
        Some(&SECTION_STATIC) => &tail[1..],
        Some(&SECTION_ROWS) => match unescape(&tail[1..]) {
            Ok((_, n)) => &tail[1 + n..],
            Err(_) => return false,
        },
        _ => return false,
    };
    match item.first() {
        Some(&ITEM_ROW_DELETION) => true,
        Some(&ITEM_COLUMN) => item.get(5) == Some(&KIND_COLLECTION_DELETION),
        _ => false,
    }
}

/// Partition prefixes (storage key prefixes) holding at least one deletion record that is
/// past its grace period at `now`, in key order.
pub fn candidates<R: Readable>(
    r: &R,
    ks: &SingleWriterTxKeyspace,
    now: i64,
    gc_grace: i64,
) -> StoreResult<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for kv in r.iter(ks) {
        let (k, v) = kv.into_inner()?;
        if out.last().is_some_and(|p| k.starts_with(p)) || !is_deletion_key(&k) {
            continue;
        }
        if decode_deletion(&v).is_ok_and(|d| gc_able(&d, now, gc_grace)) {
            let (_, _, used) = parse_partition(&k)?;
            out.push(k[..used].to_vec());
        }
    }
    Ok(out)
}

fn load<R: Readable>(
    r: &R,
    ks: &SingleWriterTxKeyspace,
    prefix: &[u8],
) -> StoreResult<Vec<Record>> {
    let hi = match prefix_successor(prefix) {
        Some(h) => RB::Excluded(h),
        None => RB::Unbounded,
    };
    let mut out = Vec::new();
    for kv in r.range(ks, (RB::Included(prefix.to_vec()), hi)) {
        let (k, v) = kv.into_inner()?;
        let tail = &k[prefix.len()..];
        let kind = match tail.first() {
            Some(&SECTION_PARTITION_DELETION) => Kind::Partition,
            Some(&SECTION_RANGE_TOMBSTONE) => {
                let (start, used) = parse_bound(&tail[1..])?;
                let (end, _) = parse_bound(&tail[1 + used..])?;
                Kind::Range(Slice { start, end })
            }
            Some(&SECTION_STATIC) => Kind::Row(None, parse_row_item(&tail[1..])?),
            Some(&SECTION_ROWS) => {
                let (ck, n) = unescape(&tail[1..])?;
                Kind::Row(Some(ck), parse_row_item(&tail[1 + n..])?)
            }
            _ => continue,
        };
        let is_deletion = match &kind {
            Kind::Partition | Kind::Range(_) => true,
            Kind::Row(_, item) => {
                matches!(item, RowItem::Deletion | RowItem::CollectionDeletion(_))
            }
        };
        let (timestamp, deletion) = if is_deletion {
            let d = decode_deletion(&v)?;
            (d.timestamp, Some(d))
        } else {
            (StoredCell::decode(&v)?.timestamp(), None)
        };
        out.push(Record {
            key: k.to_vec(),
            kind,
            timestamp,
            deletion,
        });
    }
    Ok(out)
}

/// A purgeable row deletion (column `None`) or collection deletion of a row (clustering
/// `None`: the static row).
type RowDeletion<'a> = (&'a Option<Vec<u8>>, Option<ColumnId>, Deletion);

/// The keys of a partition's records that can go: purgeable deletions and what they cover.
fn doomed(records: &[Record], now: i64, gc_grace: i64) -> Vec<Vec<u8>> {
    let purgeable = |r: &Record| r.deletion.filter(|d| gc_able(d, now, gc_grace));
    let mut partition: Option<Deletion> = None;
    let mut ranges: Vec<(&Slice, Deletion)> = Vec::new();
    let mut rows: Vec<RowDeletion<'_>> = Vec::new();
    for r in records {
        let Some(d) = purgeable(r) else { continue };
        match &r.kind {
            Kind::Partition => partition = Some(d),
            Kind::Range(s) => ranges.push((s, d)),
            Kind::Row(ck, RowItem::Deletion) => rows.push((ck, None, d)),
            Kind::Row(ck, RowItem::CollectionDeletion(c)) => rows.push((ck, Some(*c), d)),
            Kind::Row(..) => {}
        }
    }
    let mut out = Vec::new();
    for r in records {
        let ts = r.timestamp;
        let covered = purgeable(r).is_some()
            || partition.is_some_and(|d| d.covers(ts))
            || match &r.kind {
                Kind::Partition | Kind::Range(_) => false,
                Kind::Row(ck, item) => {
                    let in_range = ck.as_ref().is_some_and(|c| {
                        ranges
                            .iter()
                            .any(|(s, d)| d.covers(ts) && slice_contains(s, c))
                    });
                    let column = match item {
                        RowItem::Element(c, _) => Some(*c),
                        _ => None,
                    };
                    in_range
                        || rows.iter().any(|(rck, col, d)| {
                            *rck == ck && d.covers(ts) && (col.is_none() || *col == column)
                        })
                }
            };
        if covered {
            out.push(r.key.clone());
        }
    }
    out
}

/// Purges one partition in its own transaction; returns the number of records removed.
/// Not waited for durability: if a crash loses it, the tombstones are simply purged again.
fn purge_partition(
    db: &SingleWriterTxDatabase,
    ks: &SingleWriterTxKeyspace,
    prefix: &[u8],
    now: i64,
    gc_grace: i64,
) -> StoreResult<usize> {
    let mut tx = db.write_tx().durability(None);
    let keys = doomed(&load(&tx, ks, prefix)?, now, gc_grace);
    let n = keys.len();
    for k in keys {
        tx.remove(ks, k);
    }
    if n > 0 {
        tx.commit()?;
    }
    Ok(n)
}

/// Purges every old tombstone (and what it shadows) of the keyspace; returns the number of
/// records removed. `stop` is polled between partitions.
pub fn purge_tombstones(
    db: &SingleWriterTxDatabase,
    ks: &SingleWriterTxKeyspace,
    now: i64,
    gc_grace: i64,
    stop: &dyn Fn() -> bool,
) -> StoreResult<usize> {
    let found = candidates(&db.read_tx(), ks, now, gc_grace)?;
    let mut removed = 0;
    for prefix in found {
        if stop() {
            break;
        }
        removed += purge_partition(db, ks, &prefix, now, gc_grace)?;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::purge::now_seconds;
    use crate::{
        Bound, CellOp, CellUpdate, Mutation, RangeTombstone, ReadSpec, RowKey, RowUpdate, Store,
        StoreOptions, TableId,
    };

    const T: TableId = TableId(1);
    const C: ColumnId = ColumnId(1);
    const L: ColumnId = ColumnId(2);

    fn store(dir: &tempfile::TempDir) -> Store {
        let opts = StoreOptions {
            gc_grace_seconds: 3600,
            purge_interval: None,
            ..StoreOptions::default()
        };
        Store::open(dir.path(), opts).unwrap()
    }

    fn row(c: &[u8], ts: i64) -> RowUpdate {
        RowUpdate::new(RowKey::Clustering(c.to_vec())).set(C, ts, b"v".to_vec(), None)
    }

    fn put(s: &Store, m: Mutation) {
        s.apply(&[m]).unwrap();
    }

    fn live(s: &Store, pk: &[u8]) -> Vec<(Vec<u8>, i64)> {
        s.read_partition(T, pk, &ReadSpec::all(now_seconds()))
            .unwrap()
            .map(|r| {
                let r = r.unwrap();
                let ts = r.cells.first().map_or(0, |c| c.timestamp);
                (r.clustering().to_vec(), ts)
            })
            .collect()
    }

    /// A deletion whose grace period ended long ago.
    fn old(ts: i64) -> Deletion {
        Deletion::new(ts, now_seconds() - 7200)
    }

    #[test]
    fn old_partition_tombstone_goes_with_the_data_it_shadows() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir);
        put(
            &s,
            Mutation::new(T, b"p".to_vec())
                .row(row(b"a", 1))
                .row(row(b"b", 1)),
        );
        // The shadowed rows are moved to the last level first, so the purge must reach
        // data the tombstone's own level does not hold.
        s.compact().unwrap();
        let mut m = Mutation::new(T, b"p".to_vec()).row(row(b"c", 10));
        m.partition_deletion = Some(old(5));
        put(&s, m);
        assert_eq!(s.raw_len(), 4);
        assert_eq!(live(&s, b"p"), vec![(b"c".to_vec(), 10)]);
        s.compact().unwrap();
        // Only the newer row's cell is left: tombstone and shadowed cells are gone.
        assert_eq!(s.raw_len(), 1);
        assert_eq!(live(&s, b"p"), vec![(b"c".to_vec(), 10)]);
        drop(s);
        let s = store(&dir);
        assert_eq!(live(&s, b"p"), vec![(b"c".to_vec(), 10)]);
        assert_eq!(s.raw_len(), 1);
    }

    #[test]
    fn old_range_and_row_tombstones_are_purged_newer_data_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir);
        let mut m = Mutation::new(T, b"p".to_vec());
        for c in [b"a", b"b", b"c", b"d", b"e"] {
            m = m.row(row(c, 1));
        }
        put(&s, m);
        s.compact().unwrap();
        let mut m = Mutation::new(T, b"p".to_vec()).row(row(b"c", 10));
        m.range_tombstones.push(RangeTombstone {
            slice: crate::Slice {
                start: Bound::Inclusive(b"b".to_vec()),
                end: Bound::Inclusive(b"d".to_vec()),
            },
            deletion: old(5),
        });
        let mut del = RowUpdate::new(RowKey::Clustering(b"e".to_vec()));
        del.deletion = Some(old(5));
        m = m.row(del);
        put(&s, m);
        let expected = vec![(b"a".to_vec(), 1), (b"c".to_vec(), 10)];
        assert_eq!(live(&s, b"p"), expected);
        s.compact().unwrap();
        // a's cell and c's newer cell: the range tombstone, the row deletion, and b, c
        // (old), d, e are gone.
        assert_eq!(s.raw_len(), 2);
        assert_eq!(live(&s, b"p"), expected);
    }

    #[test]
    fn old_collection_tombstone_goes_with_the_elements_it_covers() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir);
        let element = |path: &[u8], ts: i64| CellUpdate {
            column: L,
            path: Some(path.to_vec()),
            op: CellOp::Write {
                timestamp: ts,
                value: Vec::new(),
                ttl: None,
            },
        };
        let mut r = row(b"a", 1);
        r.cells.push(element(b"x", 1));
        r.cells.push(element(b"y", 1));
        put(&s, Mutation::new(T, b"p".to_vec()).row(r));
        let mut r = RowUpdate::new(RowKey::Clustering(b"a".to_vec()));
        r.collection_deletions.push((L, old(5)));
        r.cells.push(element(b"z", 10));
        put(&s, Mutation::new(T, b"p".to_vec()).row(r));
        assert_eq!(s.raw_len(), 5);
        s.compact().unwrap();
        // The simple cell (not covered) and the newer element remain.
        assert_eq!(s.raw_len(), 2);
        let rows: Vec<_> = s
            .read_partition(T, b"p", &ReadSpec::all(now_seconds()))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let paths: Vec<_> = rows[0].column(L).map(|c| c.path.clone()).collect();
        assert_eq!(paths, vec![Some(b"z".to_vec())]);
    }

    #[test]
    fn tombstones_younger_than_gc_grace_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir);
        put(&s, Mutation::new(T, b"p".to_vec()).row(row(b"a", 1)));
        let mut m = Mutation::new(T, b"p".to_vec());
        // Deleted a minute ago, grace is an hour.
        m.partition_deletion = Some(Deletion::new(5, now_seconds() - 60));
        let mut del = RowUpdate::new(RowKey::Clustering(b"b".to_vec()));
        del.deletion = Some(Deletion::new(5, now_seconds() - 60));
        put(&s, m.row(del));
        assert_eq!(s.raw_len(), 3);
        assert_eq!(s.purge_tombstones().unwrap(), 0);
        s.compact().unwrap();
        assert_eq!(s.raw_len(), 3);
        assert!(live(&s, b"p").is_empty());
    }

    #[test]
    fn background_pass_purges_without_compact() {
        let dir = tempfile::tempdir().unwrap();
        let opts = StoreOptions {
            gc_grace_seconds: 3600,
            purge_interval: Some(std::time::Duration::from_millis(20)),
            ..StoreOptions::default()
        };
        let s = Store::open(dir.path(), opts).unwrap();
        let mut m = Mutation::new(T, b"p".to_vec()).row(row(b"a", 1));
        m.partition_deletion = Some(old(5));
        put(&s, m);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while s.raw_len() > 0 {
            assert!(std::time::Instant::now() < deadline, "not purged in 10 s");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}
