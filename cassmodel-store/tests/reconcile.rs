//! Reconciliation of cells, markers and tombstones (Cassandra 4.x `Cells.reconcile`).

#![allow(clippy::unwrap_used)]
mod common;
use cassmodel_store::Ttl;
use common::*;

#[test]
fn higher_timestamp_wins_regardless_of_order() {
    let (_d, s) = store();
    put(&s, b"p", b"a", C1, 20, b"new", None);
    put(&s, b"p", b"a", C1, 10, b"old", None);
    let r = rows(&s, b"p", 0);
    assert_eq!(val(&r[0], C1), Some(b"new".to_vec()));
    assert_eq!(r[0].column(C1).next().unwrap().timestamp, 20);
}

#[test]
fn tie_greater_value_wins() {
    let (_d, s) = store();
    put(&s, b"p", b"a", C1, 10, b"b", None);
    put(&s, b"p", b"a", C1, 10, b"a", None);
    assert_eq!(val(&rows(&s, b"p", 0)[0], C1), Some(b"b".to_vec()));
    put(&s, b"p", b"a", C1, 10, b"c", None);
    assert_eq!(val(&rows(&s, b"p", 0)[0], C1), Some(b"c".to_vec()));
}

#[test]
fn tie_tombstone_beats_live() {
    let (_d, s) = store();
    put(&s, b"p", b"a", C1, 10, b"v", None);
    del_cell(&s, b"p", b"a", C1, 10);
    assert!(rows(&s, b"p", 0).is_empty());
    // A later live write at the same timestamp does not resurrect it.
    put(&s, b"p", b"a", C1, 10, b"zzz", None);
    assert!(rows(&s, b"p", 0).is_empty());
    put(&s, b"p", b"a", C1, 11, b"x", None);
    assert_eq!(rows(&s, b"p", 0).len(), 1);
}

#[test]
fn ttl_expiry_uses_injected_now() {
    let (_d, s) = store();
    put(&s, b"p", b"a", C1, 10, b"v", Some(Ttl::new(100, 1000)));
    let r = rows(&s, b"p", 1050);
    let cell = r[0].column(C1).next().unwrap().clone();
    assert_eq!(cell.ttl.unwrap().remaining(1050), 50);
    assert!(rows(&s, b"p", 1100).is_empty(), "expired at now == expiry");
    assert_eq!(rows(&s, b"p", 1099).len(), 1);
}

#[test]
fn expired_cell_hides_older_value() {
    let (_d, s) = store();
    put(&s, b"p", b"a", C1, 10, b"old", None);
    put(&s, b"p", b"a", C1, 11, b"new", Some(Ttl::new(5, 0)));
    assert_eq!(val(&rows(&s, b"p", 1)[0], C1), Some(b"new".to_vec()));
    assert!(rows(&s, b"p", 10).is_empty());
}

#[test]
fn row_without_marker_vanishes_when_last_cell_is_nulled() {
    let (_d, s) = store();
    put(&s, b"p", b"a", C1, 10, b"v", None);
    del_cell(&s, b"p", b"a", C1, 11);
    assert!(rows(&s, b"p", 0).is_empty());
    insert_marker(&s, b"p", b"b", 10, None);
    put(&s, b"p", b"b", C1, 10, b"v", None);
    del_cell(&s, b"p", b"b", C1, 11);
    let r = rows(&s, b"p", 0);
    assert_eq!(keys(&r), vec![b"b".to_vec()]);
    assert!(r[0].cells.is_empty());
    assert!(r[0].marker.is_some());
}

#[test]
fn an_older_write_loses_after_a_restart() {
    // The newest-timestamp bound survives a restart: a write older than what is stored
    // still reconciles against it instead of replacing it.
    let dir = tempfile::tempdir().unwrap();
    {
        let s = cassmodel_store::Store::open(dir.path(), Default::default()).unwrap();
        put(&s, b"p", b"a", C1, 1_000, b"newer", None);
    }
    let s = cassmodel_store::Store::open(dir.path(), Default::default()).unwrap();
    put(&s, b"p", b"a", C1, 999, b"older", None);
    put(&s, b"p", b"a", C1, 1_000, b"a", None);
    assert_eq!(val(&rows(&s, b"p", 0)[0], C1), Some(b"newer".to_vec()));
}

#[test]
fn two_writes_of_a_key_in_one_apply_reconcile() {
    use cassmodel_store::{Mutation, RowUpdate};
    let (_d, s) = store();
    put(&s, b"p", b"b", C1, 5, b"x", None);
    // Both newer than anything stored; the second must still lose to the first.
    let newer = RowUpdate::new(ck(b"a")).set(C1, 300, b"first".to_vec(), None);
    let older = RowUpdate::new(ck(b"a")).set(C1, 200, b"second".to_vec(), None);
    s.apply(&[
        Mutation::new(T, b"p".to_vec()).row(newer),
        Mutation::new(T, b"p".to_vec()).row(older),
    ])
    .unwrap();
    assert_eq!(val(&rows(&s, b"p", 0)[0], C1), Some(b"first".to_vec()));
}

#[test]
fn a_repeated_key_whose_first_write_lost_still_reconciles_with_the_stored_record() {
    use cassmodel_store::{Mutation, RowUpdate};
    let (_d, s) = store();
    put(&s, b"p", b"a", C1, 500, b"stored", None);
    let first = RowUpdate::new(ck(b"a")).set(C1, 100, b"x".to_vec(), None);
    let second = RowUpdate::new(ck(b"a")).set(C1, 300, b"y".to_vec(), None);
    let third = RowUpdate::new(ck(b"b")).set(C1, 600, b"z".to_vec(), None);
    s.apply(&[
        Mutation::new(T, b"p".to_vec()).row(first),
        Mutation::new(T, b"p".to_vec()).row(second),
        Mutation::new(T, b"p".to_vec()).row(third),
    ])
    .unwrap();
    let r = rows(&s, b"p", 0);
    assert_eq!(val(&r[0], C1), Some(b"stored".to_vec()));
    assert_eq!(val(&r[1], C1), Some(b"z".to_vec()));
}
