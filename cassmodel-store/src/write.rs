//! Applying mutations inside a write transaction: every record is merged with what is
//! already stored (Cassandra's reconciliation), so a late write with an older timestamp
//! never replaces a newer one.

use std::cmp::Ordering;

use fjall::{Readable, SingleWriterTxKeyspace, SingleWriterWriteTx as WriteTransaction};

use crate::StoreError;
use crate::error::StoreResult;
use crate::generations::Generations;
use crate::keys::{
    ITEM_MARKER, ITEM_ROW_DELETION, KIND_COLLECTION_DELETION, KIND_ELEMENT, KIND_SIMPLE,
    MAX_KEY_LEN, MAX_TABLE_ID_LEN, SECTION_PARTITION_DELETION, SECTION_RANGE_TOMBSTONE,
    SECTION_STATIC, check_partition_key, check_storage_key, parse_table_id, partition_prefix,
    push_bound, push_column, push_row, push_table_id,
};
use crate::model::{Bound, Deletion, Mutation, RowKey, RowUpdate};
use crate::newest::{Merge, Seen};
use crate::record::{StoredCell, decode_deletion, encode_deletion, reconcile};

/// One encoded write: key and what to merge into it.
pub enum Write {
    /// A cell or marker.
    Cell(Vec<u8>, StoredCell),
    /// A deletion record.
    Deletion(Vec<u8>, Deletion),
}

fn check_clustering(c: &[u8]) -> StoreResult<()> {
    // A clustering prefix holds several values of at most 65535 bytes each plus encoding
    // overhead; the storage key check below is the binding one.
    if c.len() > 4 * MAX_KEY_LEN {
        return Err(StoreError::KeyTooLarge { length: c.len() });
    }
    Ok(())
}

fn bound_prefix(b: &Bound) -> &[u8] {
    match b {
        Bound::Unbounded => &[],
        Bound::Inclusive(p) | Bound::Exclusive(p) => p,
    }
}

fn encode_row(base: &[u8], row: &RowUpdate, out: &mut Vec<Write>) -> StoreResult<()> {
    let mut row_prefix = base.to_vec();
    match &row.key {
        RowKey::Static => row_prefix.push(SECTION_STATIC),
        RowKey::Clustering(c) => {
            check_clustering(c)?;
            push_row(&mut row_prefix, c);
        }
    }
    let item = |extra: &dyn Fn(&mut Vec<u8>)| -> StoreResult<Vec<u8>> {
        let mut k = row_prefix.clone();
        extra(&mut k);
        check_storage_key(&k)?;
        Ok(k)
    };
    if let Some(d) = row.deletion {
        out.push(Write::Deletion(item(&|k| k.push(ITEM_ROW_DELETION))?, d));
    }
    if let Some(m) = &row.marker {
        out.push(Write::Cell(
            item(&|k| k.push(ITEM_MARKER))?,
            StoredCell::from_marker(m),
        ));
    }
    for (col, d) in &row.collection_deletions {
        out.push(Write::Deletion(
            item(&|k| push_column(k, *col, KIND_COLLECTION_DELETION, None))?,
            *d,
        ));
    }
    for cell in &row.cells {
        let key = match &cell.path {
            None => item(&|k| push_column(k, cell.column, KIND_SIMPLE, None))?,
            // Cassandra sets no 64 KiB limit on a cell path (a set element or map key);
            // a path too long for a storage key is the engine's limit, reported as such.
            Some(p) => item(&|k| push_column(k, cell.column, KIND_ELEMENT, Some(p)))?,
        };
        out.push(Write::Cell(key, StoredCell::from_op(&cell.op)));
    }
    Ok(())
}

fn encode_mutation(m: &Mutation, out: &mut Vec<Write>) -> StoreResult<()> {
    crate::generations::check_table(m.table)?;
    check_partition_key(&m.partition_key)?;
    let base = partition_prefix(m.table, &m.partition_key);
    if let Some(d) = m.partition_deletion {
        let mut k = base.clone();
        k.push(SECTION_PARTITION_DELETION);
        out.push(Write::Deletion(k, d));
    }
    for rt in &m.range_tombstones {
        check_clustering(bound_prefix(&rt.slice.start))?;
        check_clustering(bound_prefix(&rt.slice.end))?;
        let mut k = base.clone();
        k.push(SECTION_RANGE_TOMBSTONE);
        push_bound(&mut k, &rt.slice.start);
        push_bound(&mut k, &rt.slice.end);
        check_storage_key(&k)?;
        out.push(Write::Deletion(k, rt.deletion));
    }
    for row in &m.rows {
        encode_row(&base, row, out)?;
    }
    Ok(())
}

impl Write {
    fn key_mut(&mut self) -> &mut Vec<u8> {
        match self {
            Write::Cell(k, _) | Write::Deletion(k, _) => k,
        }
    }

    fn key(&self) -> &[u8] {
        match self {
            Write::Cell(k, _) | Write::Deletion(k, _) => k,
        }
    }

    fn timestamp(&self) -> i64 {
        match self {
            Write::Cell(_, c) => c.timestamp(),
            Write::Deletion(_, d) => d.timestamp,
        }
    }

    /// True if this record replaces `stored` (the record under its key, if any).
    fn wins_over(&self, stored: Option<&[u8]>) -> StoreResult<bool> {
        let Some(old) = stored else { return Ok(true) };
        Ok(match self {
            Write::Cell(_, cell) => reconcile(cell, &StoredCell::decode(old)?) == Ordering::Greater,
            Write::Deletion(_, d) => d.supersedes(&decode_deletion(old)?),
        })
    }

    /// The key and the stored form of the record.
    fn into_record(self) -> (Vec<u8>, Vec<u8>) {
        match self {
            Write::Cell(k, cell) => (k, cell.encode()),
            Write::Deletion(k, d) => (k, encode_deletion(&d)),
        }
    }
}

/// Rewrites the table id at the front of every key to the table's current physical
/// generation (call under the engine's write lock, where generations cannot change).
pub fn relocate(writes: &mut [Write], generations: &Generations) {
    for w in writes {
        let key = w.key_mut();
        let Ok((table, len)) = parse_table_id(key) else {
            continue;
        };
        let physical = generations.physical(table);
        if physical != table {
            let mut id = Vec::with_capacity(MAX_TABLE_ID_LEN);
            push_table_id(&mut id, physical);
            key.splice(..len, id);
        }
    }
}

/// Validates and encodes every mutation (pure CPU, done before taking any lock).
pub fn encode_all(mutations: &[Mutation]) -> StoreResult<Vec<Write>> {
    let mut writes = Vec::new();
    for m in mutations {
        encode_mutation(m, &mut writes)?;
    }
    Ok(writes)
}

/// Merges encoded writes into the transaction (a read-write section): each record is
/// reconciled with what is stored or written earlier in the transaction, and written only
/// if it wins. `max_written` is raised to the newest timestamp among them.
pub fn merge_writes(
    tx: &mut WriteTransaction<'_>,
    ks: &SingleWriterTxKeyspace,
    writes: Vec<Write>,
    max_written: &mut i64,
) -> StoreResult<()> {
    for w in writes {
        *max_written = (*max_written).max(w.timestamp());
        let stored = tx.get(ks, w.key())?;
        if w.wins_over(stored.as_deref())? {
            let (key, record) = w.into_record();
            tx.insert(ks, key, record);
        }
    }
    Ok(())
}

/// Merges a group of blind writes (no reads in between) into `out` as final records,
/// each key once: a record newer than everything stored wins unread, one whose key was
/// written earlier in the group reconciles with that earlier record, any other with what
/// `tx` (holding the write lock, with nothing of its own written) reads. The records are
/// then committed as one batch, skipping the transaction's own write buffer.
pub fn merge_blind(
    tx: &WriteTransaction<'_>,
    ks: &SingleWriterTxKeyspace,
    writes: Vec<Write>,
    merge: &mut Merge,
    out: &mut Vec<(Vec<u8>, Vec<u8>)>,
) -> StoreResult<()> {
    for w in writes {
        let seen = merge.note(w.key(), w.timestamp());
        let earlier = match seen {
            Seen::First { .. } => None,
            Seen::Again => out.iter().rposition(|(k, _)| k.as_slice() == w.key()),
        };
        let wins = match (seen, earlier) {
            (Seen::First { newest: true }, _) => true,
            (_, Some(i)) => w.wins_over(Some(&out[i].1))?,
            (_, None) => w.wins_over(tx.get(ks, w.key())?.as_deref())?,
        };
        if wins {
            let (key, record) = w.into_record();
            match earlier {
                Some(i) => out[i].1 = record,
                None => out.push((key, record)),
            }
        }
    }
    Ok(())
}
