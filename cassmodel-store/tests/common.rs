//! Helpers shared by the store's integration tests.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)]

use cassmodel_store::{
    ColumnId, Deletion, Liveness, Mutation, ReadSpec, Row, RowKey, RowUpdate, Store, StoreOptions,
    TableId, Ttl,
};

/// The table most tests use.
pub const T: TableId = TableId(1);
/// Column ids.
pub const C1: ColumnId = ColumnId(1);
/// Second column.
pub const C2: ColumnId = ColumnId(2);

/// A fresh store in a temp dir (the dir is returned to keep it alive).
pub fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path(), StoreOptions::default()).unwrap();
    (dir, s)
}

/// A clustering row key.
pub fn ck(b: &[u8]) -> RowKey {
    RowKey::Clustering(b.to_vec())
}

/// Writes one cell (UPDATE-style, no marker).
pub fn put(s: &Store, pk: &[u8], c: &[u8], col: ColumnId, ts: i64, v: &[u8], ttl: Option<Ttl>) {
    let row = RowUpdate::new(ck(c)).set(col, ts, v.to_vec(), ttl);
    s.apply(&[Mutation::new(T, pk.to_vec()).row(row)]).unwrap();
}

/// Writes a row marker (INSERT-style).
pub fn insert_marker(s: &Store, pk: &[u8], c: &[u8], ts: i64, ttl: Option<Ttl>) {
    let row = RowUpdate::new(ck(c)).with_marker(Liveness { timestamp: ts, ttl });
    s.apply(&[Mutation::new(T, pk.to_vec()).row(row)]).unwrap();
}

/// Deletes one cell.
pub fn del_cell(s: &Store, pk: &[u8], c: &[u8], col: ColumnId, ts: i64) {
    let row = RowUpdate::new(ck(c)).delete_cell(col, Deletion::new(ts, 0));
    s.apply(&[Mutation::new(T, pk.to_vec()).row(row)]).unwrap();
}

/// All live rows of a partition at `now`.
pub fn rows(s: &Store, pk: &[u8], now: i64) -> Vec<Row> {
    read(s, pk, &ReadSpec::all(now))
}

/// Rows for a spec.
pub fn read(s: &Store, pk: &[u8], spec: &ReadSpec) -> Vec<Row> {
    s.read_partition(T, pk, spec)
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap()
}

/// The value of a simple column in a row, if live.
pub fn val(row: &Row, col: ColumnId) -> Option<Vec<u8>> {
    row.column(col).next().map(|c| c.value.clone())
}

/// The clustering keys of rows.
pub fn keys(rows: &[Row]) -> Vec<Vec<u8>> {
    rows.iter().map(|r| r.clustering().to_vec()).collect()
}
