//! Table generations: atomic TRUNCATE and DROP TABLE.
//!
//! Storage keys start with a *physical* table id. A table's physical id is its own
//! [`TableId`] until it is truncated or dropped; then one small transaction, in the `meta`
//! keyspace, maps the table to a fresh physical id (from `0x8000_0000` up, above every
//! table id the catalog hands out) and records the old physical id as garbage. That
//! transaction is the whole TRUNCATE as far as readers and a crash are concerned: before
//! it, every row is there; after it, none is. The old generation's keys are then removed in
//! chunks, and a crash in the middle only leaves garbage that no read can reach, whose
//! removal resumes when the store is opened again.
//!
//! `meta` records: `g | table u32` → physical u32; `c | physical u32` → pending removal;
//! `n` → the next free physical id.

use std::collections::HashMap;
use std::ops::Bound as RB;

use fjall::{Readable, SingleWriterTxDatabase, SingleWriterTxKeyspace, SingleWriterWriteTx};

use crate::error::{StoreError, StoreResult};
use crate::keys::{prefix_successor, table_prefix};
use crate::model::TableId;

/// The first physical id given to a new generation; table ids must stay below it.
pub const FIRST_GENERATION: u32 = 0x8000_0000;
/// How many keys one cleanup transaction removes.
const CLEANUP_CHUNK: usize = 4096;

const MAP: u8 = b'g';
const GARBAGE: u8 = b'c';
const NEXT: &[u8] = b"n";

/// Refuses table ids in the range reserved for generations.
pub fn check_table(table: TableId) -> StoreResult<()> {
    if table.0 >= FIRST_GENERATION {
        return Err(StoreError::ReservedTableId(table.0));
    }
    Ok(())
}

fn meta_key(kind: u8, id: u32) -> Vec<u8> {
    let mut k = vec![kind];
    k.extend_from_slice(&id.to_be_bytes());
    k
}

fn read_u32(bytes: &[u8]) -> StoreResult<u32> {
    let b: [u8; 4] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("bad table generation record".into()))?;
    Ok(u32::from_be_bytes(b))
}

/// The in-memory copy of the generation map. Changed only under the engine's write lock
/// (inside a write transaction), so every writer resolves ids consistently.
#[derive(Debug, Default)]
pub struct Generations {
    map: HashMap<u32, u32>,
    next: u32,
}

impl Generations {
    /// Loads the map; returns it with the physical ids whose removal is pending.
    pub fn load<R: Readable>(
        r: &R,
        meta: &SingleWriterTxKeyspace,
    ) -> StoreResult<(Generations, Vec<u32>)> {
        let mut g = Generations {
            map: HashMap::new(),
            next: FIRST_GENERATION,
        };
        let mut garbage = Vec::new();
        for kv in r.iter(meta) {
            let (k, v) = kv.into_inner()?;
            match (k.first(), k.len()) {
                (Some(&MAP), 5) => {
                    g.map.insert(read_u32(&k[1..])?, read_u32(&v)?);
                }
                (Some(&GARBAGE), 5) => garbage.push(read_u32(&k[1..])?),
                _ if &k[..] == NEXT => g.next = read_u32(&v)?,
                _ => {}
            }
        }
        Ok((g, garbage))
    }

    /// The physical id holding `table`'s data.
    pub fn physical(&self, table: TableId) -> TableId {
        TableId(self.map.get(&table.0).copied().unwrap_or(table.0))
    }

    /// Stages, in `tx`, the switch of `table` to a fresh, empty generation, and applies it
    /// to the map; returns the undo information `(table, previous mapping, previous next)`
    /// and the old physical id to remove once the transaction is committed.
    pub fn stage_switch(
        &mut self,
        tx: &mut SingleWriterWriteTx<'_>,
        meta: &SingleWriterTxKeyspace,
        table: TableId,
    ) -> StoreResult<(Undo, u32)> {
        check_table(table)?;
        let old = self.physical(table).0;
        let new = self.next;
        let next = new
            .checked_add(1)
            .ok_or_else(|| StoreError::Corrupt("table generations exhausted".into()))?;
        tx.insert(meta, meta_key(MAP, table.0), new.to_be_bytes().to_vec());
        tx.insert(meta, meta_key(GARBAGE, old), Vec::<u8>::new());
        tx.insert(meta, NEXT, next.to_be_bytes().to_vec());
        let undo = Undo {
            table: table.0,
            mapped: self.map.insert(table.0, new),
            next: self.next,
        };
        self.next = next;
        Ok((undo, old))
    }

    /// Reverts a switch whose transaction failed to commit.
    pub fn undo(&mut self, undo: Undo) {
        match undo.mapped {
            Some(p) => self.map.insert(undo.table, p),
            None => self.map.remove(&undo.table),
        };
        self.next = undo.next;
    }
}

/// What [`Generations::undo`] needs.
#[derive(Debug)]
pub struct Undo {
    table: u32,
    mapped: Option<u32>,
    next: u32,
}

/// Removes every key of physical table `physical` in chunks, then its garbage record.
/// Stops early (leaving the record, so a later open resumes) when `stop` says so. The
/// chunks are not waited for durability: a lost chunk is removed again after a restart.
pub fn remove_generation(
    db: &SingleWriterTxDatabase,
    data: &SingleWriterTxKeyspace,
    meta: &SingleWriterTxKeyspace,
    physical: u32,
    stop: &dyn Fn() -> bool,
) -> StoreResult<()> {
    let prefix = table_prefix(TableId(physical));
    let hi = match prefix_successor(&prefix) {
        Some(e) => RB::Excluded(e),
        None => RB::Unbounded,
    };
    loop {
        if stop() {
            return Ok(());
        }
        let mut tx = db.write_tx().durability(None);
        let keys: Vec<_> = tx
            .range(data, (RB::Included(prefix.clone()), hi.clone()))
            .take(CLEANUP_CHUNK)
            .map(|kv| kv.key())
            .collect::<Result<_, _>>()?;
        let done = keys.len() < CLEANUP_CHUNK;
        for k in keys {
            tx.remove(data, k);
        }
        if done {
            tx.remove(meta, meta_key(GARBAGE, physical));
        }
        tx.commit()?;
        if done {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ColumnId, Mutation, ReadSpec, RowKey, RowUpdate, Store, StoreOptions};

    const T: TableId = TableId(7);
    const OTHER: TableId = TableId(8);

    fn fill(s: &Store, table: TableId, n: u32) {
        let ms: Vec<_> = (0..n)
            .map(|i| {
                let row = RowUpdate::new(RowKey::Clustering(Vec::new())).set(
                    ColumnId(1),
                    1,
                    b"v".to_vec(),
                    None,
                );
                Mutation::new(table, i.to_be_bytes().to_vec()).row(row)
            })
            .collect();
        s.apply(&ms).unwrap();
    }

    fn count(s: &Store, table: TableId) -> usize {
        s.scan_partitions(
            table,
            &crate::ScanStart::Beginning,
            &crate::ScanEnd::Unbounded,
        )
        .count()
    }

    #[test]
    fn truncate_empties_only_its_table_and_later_writes_survive_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path(), StoreOptions::default()).unwrap();
            fill(&s, T, 100);
            fill(&s, OTHER, 10);
            s.truncate(T).unwrap();
            assert_eq!(count(&s, T), 0);
            assert_eq!(s.raw_len(), 10, "the old generation is removed");
            fill(&s, T, 3);
            s.truncate(OTHER).unwrap();
            s.drop_table(OTHER).unwrap();
        }
        let s = Store::open(dir.path(), StoreOptions::default()).unwrap();
        assert_eq!(count(&s, T), 3);
        assert_eq!(count(&s, OTHER), 0);
        let rows = s
            .read_partition(T, &1u32.to_be_bytes(), &ReadSpec::all(0))
            .unwrap()
            .count();
        assert_eq!(rows, 1);
        // The write section resolves the new generation too.
        s.write(|tx| -> StoreResult<()> {
            assert!(tx.partition_is_live(T, &2u32.to_be_bytes(), 0)?);
            assert!(!tx.partition_is_live(T, &50u32.to_be_bytes(), 0)?);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn interrupted_removal_is_invisible_and_resumes_at_open() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = Store::open(dir.path(), StoreOptions::default()).unwrap();
            fill(&s, T, 5000);
            // As if the process died right after the switch committed.
            s.switch_generation(T).unwrap();
            assert_eq!(count(&s, T), 0);
            assert_eq!(s.raw_len(), 5000, "old keys still stored, unreachable");
        }
        let s = Store::open(dir.path(), StoreOptions::default()).unwrap();
        assert_eq!(count(&s, T), 0);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while s.raw_len() > 0 {
            assert!(
                std::time::Instant::now() < deadline,
                "cleanup did not resume"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    #[test]
    fn reserved_table_ids_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path(), StoreOptions::default()).unwrap();
        let m = Mutation::new(TableId(FIRST_GENERATION), b"k".to_vec());
        assert!(matches!(
            s.apply(&[m]),
            Err(StoreError::ReservedTableId(FIRST_GENERATION))
        ));
        assert!(s.truncate(TableId(FIRST_GENERATION + 1)).is_err());
    }
}
