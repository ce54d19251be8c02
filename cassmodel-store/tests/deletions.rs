//! Partition, range, row and collection tombstones, and the static row.

#![allow(clippy::unwrap_used)]
mod common;
use cassmodel_store::{
    Bound, CellOp, CellUpdate, Deletion, Mutation, RangeTombstone, ReadSpec, RowKey, RowUpdate,
    Slice,
};
use common::*;

fn range_delete(s: &cassmodel_store::Store, pk: &[u8], slice: Slice, ts: i64) {
    let mut m = Mutation::new(T, pk.to_vec());
    m.range_tombstones.push(RangeTombstone {
        slice,
        deletion: Deletion::new(ts, 0),
    });
    s.apply(&[m]).unwrap();
}

fn fill(s: &cassmodel_store::Store, pk: &[u8], keys: &[&[u8]], ts: i64) {
    for k in keys {
        put(s, pk, k, C1, ts, b"v", None);
    }
}

#[test]
fn partition_deletion_hides_older_data_only() {
    let (_d, s) = store();
    fill(&s, b"p", &[b"a", b"b"], 10);
    let mut m = Mutation::new(T, b"p".to_vec());
    m.partition_deletion = Some(Deletion::new(15, 0));
    s.apply(&[m]).unwrap();
    assert!(rows(&s, b"p", 0).is_empty());
    assert!(!s.partition_is_live(T, b"p", 0).unwrap());
    put(&s, b"p", b"c", C1, 16, b"v", None);
    put(&s, b"p", b"a", C1, 15, b"v", None); // ts == deletion: still deleted
    assert_eq!(keys(&rows(&s, b"p", 0)), vec![b"c".to_vec()]);
    assert!(s.partition_is_live(T, b"p", 0).unwrap());
}

#[test]
fn range_tombstone_bounds() {
    let (_d, s) = store();
    let all: [&[u8]; 6] = [b"a", b"b1", b"b2", b"c", b"d", b"e"];
    fill(&s, b"p", &all, 10);
    // Delete (b, d]: prefix b excluded (b1, b2 stay), c and d gone.
    range_delete(
        &s,
        b"p",
        Slice {
            start: Bound::Exclusive(b"b".to_vec()),
            end: Bound::Inclusive(b"d".to_vec()),
        },
        11,
    );
    assert_eq!(
        keys(&rows(&s, b"p", 0)),
        vec![b"a".to_vec(), b"b1".to_vec(), b"b2".to_vec(), b"e".to_vec()]
    );
    // Prefix deletion of b removes b1 and b2.
    range_delete(&s, b"p", Slice::prefix(b"b".to_vec()), 11);
    assert_eq!(keys(&rows(&s, b"p", 0)), vec![b"a".to_vec(), b"e".to_vec()]);
    // Newer writes inside the range are visible again.
    put(&s, b"p", b"c", C1, 12, b"new", None);
    assert_eq!(
        keys(&rows(&s, b"p", 0)),
        vec![b"a".to_vec(), b"c".to_vec(), b"e".to_vec()]
    );
    // [.., a) deletes nothing before a; (.., e) excludes e.
    range_delete(
        &s,
        b"p",
        Slice {
            start: Bound::Unbounded,
            end: Bound::Exclusive(b"e".to_vec()),
        },
        20,
    );
    assert_eq!(keys(&rows(&s, b"p", 0)), vec![b"e".to_vec()]);
}

#[test]
fn row_deletion_and_marker() {
    let (_d, s) = store();
    insert_marker(&s, b"p", b"a", 10, None);
    put(&s, b"p", b"a", C1, 10, b"v", None);
    let mut row = RowUpdate::new(ck(b"a"));
    row.deletion = Some(Deletion::new(10, 0));
    s.apply(&[Mutation::new(T, b"p".to_vec()).row(row)])
        .unwrap();
    assert!(rows(&s, b"p", 0).is_empty());
    // A later INSERT brings the row back with only the new marker.
    insert_marker(&s, b"p", b"a", 11, None);
    let r = rows(&s, b"p", 0);
    assert_eq!(r.len(), 1);
    assert!(r[0].cells.is_empty());
}

fn elem(col: cassmodel_store::ColumnId, path: &[u8], ts: i64, v: &[u8]) -> CellUpdate {
    CellUpdate {
        column: col,
        path: Some(path.to_vec()),
        op: CellOp::Write {
            timestamp: ts,
            value: v.to_vec(),
            ttl: None,
        },
    }
}

#[test]
fn collection_tombstone_covers_older_elements() {
    let (_d, s) = store();
    let mut row = RowUpdate::new(ck(b""));
    row.cells.push(elem(C1, b"k2", 10, b"2"));
    row.cells.push(elem(C1, b"k1", 10, b"1"));
    row.cells.push(elem(C2, b"x", 10, b"other column"));
    s.apply(&[Mutation::new(T, b"p".to_vec()).row(row)])
        .unwrap();
    let r = rows(&s, b"p", 0);
    let paths: Vec<_> = r[0].column(C1).map(|c| c.path.clone().unwrap()).collect();
    assert_eq!(paths, vec![b"k1".to_vec(), b"k2".to_vec()], "path order");
    // SET c = {k3}: tombstone at ts-1, element at ts.
    let mut row = RowUpdate::new(ck(b""));
    row.collection_deletions.push((C1, Deletion::new(19, 0)));
    row.cells.push(elem(C1, b"k3", 20, b"3"));
    s.apply(&[Mutation::new(T, b"p".to_vec()).row(row)])
        .unwrap();
    let r = rows(&s, b"p", 0);
    let c1: Vec<_> = r[0].column(C1).map(|c| c.value.clone()).collect();
    assert_eq!(c1, vec![b"3".to_vec()]);
    assert_eq!(r[0].column(C2).count(), 1, "other columns untouched");
}

#[test]
fn static_row_sorts_first_and_survives_range_deletes() {
    let (_d, s) = store();
    let st = RowUpdate::new(RowKey::Static).set(C2, 10, b"s".to_vec(), None);
    s.apply(&[Mutation::new(T, b"p".to_vec()).row(st)]).unwrap();
    fill(&s, b"p", &[b"a"], 10);
    let mut rows_iter = s.read_partition(T, b"p", &ReadSpec::all(0)).unwrap();
    let st = rows_iter.static_row.clone().unwrap();
    assert_eq!(st.key, RowKey::Static);
    assert_eq!(val(&st, C2), Some(b"s".to_vec()));
    assert_eq!(rows_iter.next().unwrap().unwrap().clustering(), b"a");
    range_delete(&s, b"p", Slice::ALL, 11);
    assert!(rows(&s, b"p", 0).is_empty());
    // Only the static row is left; the partition is still live.
    assert!(s.partition_is_live(T, b"p", 0).unwrap());
    let mut m = Mutation::new(T, b"p".to_vec());
    m.partition_deletion = Some(Deletion::new(11, 0));
    s.apply(&[m]).unwrap();
    assert!(!s.partition_is_live(T, b"p", 0).unwrap());
}

#[test]
fn older_deletion_does_not_replace_newer() {
    let (_d, s) = store();
    fill(&s, b"p", &[b"a"], 10);
    let del = |ts| {
        let mut m = Mutation::new(T, b"p".to_vec());
        m.partition_deletion = Some(Deletion::new(ts, 0));
        s.apply(&[m]).unwrap();
    };
    del(20);
    del(5);
    put(&s, b"p", b"b", C1, 15, b"v", None);
    assert!(
        rows(&s, b"p", 0).is_empty(),
        "deletion at 20 still covers ts 15"
    );
}
