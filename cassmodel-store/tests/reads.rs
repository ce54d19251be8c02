//! Slices, reversed reads, limits, resume-after paging and token-ordered scans.

#![allow(clippy::unwrap_used)]
mod common;
use cassmodel_store::{Bound, ReadSpec, ScanEnd, ScanStart, Slice, token::murmur3_token};
use common::*;

fn spec(now: i64) -> ReadSpec {
    ReadSpec::all(now)
}

fn ten(s: &cassmodel_store::Store) {
    for i in 0u8..10 {
        put(s, b"p", &[i], C1, 1, &[i], None);
    }
}

#[test]
fn forward_reversed_and_limit() {
    let (_d, s) = store();
    ten(&s);
    let fwd = keys(&rows(&s, b"p", 0));
    assert_eq!(fwd, (0u8..10).map(|i| vec![i]).collect::<Vec<_>>());
    let mut sp = spec(0);
    sp.reversed = true;
    sp.limit = Some(3);
    assert_eq!(keys(&read(&s, b"p", &sp)), vec![vec![9], vec![8], vec![7]]);
}

#[test]
fn slices_forward_and_reversed() {
    let (_d, s) = store();
    ten(&s);
    let mut sp = spec(0);
    sp.slices = vec![
        Slice {
            start: Bound::Inclusive(vec![1]),
            end: Bound::Exclusive(vec![3]),
        },
        Slice::prefix(vec![5]),
        Slice {
            start: Bound::Exclusive(vec![7]),
            end: Bound::Unbounded,
        },
    ];
    let want: Vec<Vec<u8>> = vec![vec![1], vec![2], vec![5], vec![8], vec![9]];
    assert_eq!(keys(&read(&s, b"p", &sp)), want);
    sp.reversed = true;
    let mut rev = want.clone();
    rev.reverse();
    assert_eq!(keys(&read(&s, b"p", &sp)), rev);
}

#[test]
fn resume_after_pages_through_a_partition() {
    let (_d, s) = store();
    ten(&s);
    for reversed in [false, true] {
        let mut seen = Vec::new();
        let mut after: Option<Vec<u8>> = None;
        loop {
            let mut sp = spec(0);
            sp.reversed = reversed;
            sp.limit = Some(3);
            sp.resume_after = after.clone();
            let page = keys(&read(&s, b"p", &sp));
            if page.is_empty() {
                break;
            }
            after = page.last().cloned();
            seen.extend(page);
        }
        let mut want: Vec<Vec<u8>> = (0u8..10).map(|i| vec![i]).collect();
        if reversed {
            want.reverse();
        }
        assert_eq!(seen, want, "reversed={reversed}");
    }
}

#[test]
fn dead_rows_do_not_count_toward_limit() {
    let (_d, s) = store();
    ten(&s);
    for i in 0u8..5 {
        del_cell(&s, b"p", &[i], C1, 2);
    }
    let mut sp = spec(0);
    sp.limit = Some(2);
    assert_eq!(keys(&read(&s, b"p", &sp)), vec![vec![5], vec![6]]);
}

#[test]
fn scans_follow_token_order_and_bounds() {
    let (_d, s) = store();
    let pks: Vec<Vec<u8>> = (0i32..50).map(|i| i.to_be_bytes().to_vec()).collect();
    for pk in &pks {
        put(&s, pk, b"", C1, 1, b"v", None);
    }
    // Another table must not leak into the scan.
    let other = cassmodel_store::Mutation::new(cassmodel_store::TableId(2), b"zz".to_vec())
        .row(cassmodel_store::RowUpdate::new(ck(b"")).set(C1, 1, b"v".to_vec(), None));
    s.apply(&[other]).unwrap();
    let all: Vec<_> = s
        .scan_partitions(T, &ScanStart::Beginning, &ScanEnd::Unbounded)
        .map(|p| p.unwrap())
        .collect();
    assert_eq!(all.len(), 50);
    for w in all.windows(2) {
        assert!(w[0].token < w[1].token);
    }
    for p in &all {
        assert_eq!(p.token, murmur3_token(&p.key));
    }
    // Paging by key: exclusive restart after each partition.
    let mut paged = Vec::new();
    let mut start = ScanStart::Beginning;
    loop {
        let page: Vec<_> = s
            .scan_partitions(T, &start, &ScanEnd::Unbounded)
            .take(7)
            .map(|p| p.unwrap())
            .collect();
        let Some(last) = page.last() else { break };
        start = ScanStart::Key {
            key: last.key.clone(),
            inclusive: false,
        };
        paged.extend(page);
    }
    assert_eq!(paged, all);
    // Token ranges: (t10, t20].
    let (t10, t20) = (all[10].token, all[20].token);
    let range: Vec<_> = s
        .scan_partitions(
            T,
            &ScanStart::Token {
                token: t10,
                inclusive: false,
            },
            &ScanEnd::Token {
                token: t20,
                inclusive: true,
            },
        )
        .map(|p| p.unwrap())
        .collect();
    assert_eq!(range, all[11..=20].to_vec());
    let inclusive: Vec<_> = s
        .scan_partitions(
            T,
            &ScanStart::Token {
                token: t10,
                inclusive: true,
            },
            &ScanEnd::Token {
                token: t20,
                inclusive: false,
            },
        )
        .map(|p| p.unwrap())
        .collect();
    assert_eq!(inclusive, all[10..20].to_vec());
}

#[test]
fn truncate_and_drop_remove_only_that_table() {
    let (_d, s) = store();
    for i in 0u32..5000 {
        put(&s, &i.to_be_bytes(), b"c", C1, 1, b"v", None);
    }
    let other = cassmodel_store::Mutation::new(cassmodel_store::TableId(2), b"k".to_vec())
        .row(cassmodel_store::RowUpdate::new(ck(b"")).set(C1, 1, b"v".to_vec(), None));
    s.apply(&[other]).unwrap();
    s.truncate(T).unwrap();
    assert_eq!(
        s.scan_partitions(T, &ScanStart::Beginning, &ScanEnd::Unbounded)
            .count(),
        0
    );
    assert!(
        s.partition_is_live(cassmodel_store::TableId(2), b"k", 0)
            .unwrap()
    );
    s.drop_table(cassmodel_store::TableId(2)).unwrap();
    assert!(
        !s.partition_is_live(cassmodel_store::TableId(2), b"k", 0)
            .unwrap()
    );
}

#[test]
fn key_limits() {
    let (_d, s) = store();
    let m = |pk: Vec<u8>| {
        cassmodel_store::Mutation::new(T, pk).row(cassmodel_store::RowUpdate::new(ck(b"")).set(
            C1,
            1,
            b"v".to_vec(),
            None,
        ))
    };
    let e = s.apply(&[m(Vec::new())]).unwrap_err();
    assert_eq!(e.to_string(), "Key may not be empty");
    let e = s.apply(&[m(vec![1; 65536])]).unwrap_err();
    assert!(matches!(
        e,
        cassmodel_store::StoreError::KeyTooLarge { length: 65536 }
    ));
    // A cell path has no limit of its own: one too long for a storage key is refused as
    // the engine's limit, not as Cassandra's per-component one.
    let mut row = cassmodel_store::RowUpdate::new(ck(b""));
    row.cells.push(cassmodel_store::CellUpdate {
        column: C1,
        path: Some(vec![7; 70_000]),
        op: cassmodel_store::CellOp::Write {
            timestamp: 1,
            value: Vec::new(),
            ttl: None,
        },
    });
    let e = s
        .apply(&[cassmodel_store::Mutation::new(T, b"p".to_vec()).row(row)])
        .unwrap_err();
    assert!(
        matches!(
            e,
            cassmodel_store::StoreError::StorageKeyTooLarge { limit: 65535, .. }
        ),
        "{e}"
    );
    // An invalid mutation aborts the whole apply.
    let e = s.apply(&[m(b"ok".to_vec()), m(Vec::new())]);
    assert!(e.is_err());
    assert!(!s.partition_is_live(T, b"ok", 0).unwrap());
}

#[test]
fn scans_skip_large_and_small_partitions() {
    let (_d, s) = store();
    // Partition i has i rows: both the step-over and the seek paths are taken.
    for i in 1u8..=20 {
        for c in 0..i {
            put(&s, &[i], &[c], C1, 1, b"v", None);
        }
    }
    let found: Vec<_> = s
        .scan_partitions(T, &ScanStart::Beginning, &ScanEnd::Unbounded)
        .map(|p| p.unwrap().key)
        .collect();
    let mut want: Vec<Vec<u8>> = (1u8..=20).map(|i| vec![i]).collect();
    want.sort_by_key(|k| murmur3_token(k));
    assert_eq!(found, want);
}

/// Keys longer than the engine accepts (lsm-tree panics on a key over 65535 bytes, in a
/// range bound as in a write) are never handed to it: such reads find nothing, slices with
/// over-long bounds select the same rows, and such writes are refused with an error.
#[test]
fn over_long_keys_never_reach_the_engine() {
    let (_d, s) = store();
    put(&s, b"p", b"b", C1, 1, b"1", None);
    put(&s, b"p", b"d", C1, 1, b"2", None);
    let huge_pk = vec![b'k'; 70_000];
    assert!(rows(&s, &huge_pk, 0).is_empty());
    let long_c = vec![b'c'; 70_000];
    let read_slice = |start: Bound, end: Bound| {
        let mut sp = spec(0);
        sp.slices = vec![Slice { start, end }];
        keys(&read(&s, b"p", &sp))
    };
    assert_eq!(
        read_slice(Bound::Exclusive(long_c.clone()), Bound::Unbounded),
        vec![b"d".to_vec()]
    );
    assert_eq!(
        read_slice(Bound::Inclusive(long_c.clone()), Bound::Unbounded),
        vec![b"d".to_vec()]
    );
    assert_eq!(
        read_slice(Bound::Unbounded, Bound::Inclusive(long_c.clone())),
        vec![b"b".to_vec()]
    );
    assert!(
        read_slice(
            Bound::Inclusive(long_c.clone()),
            Bound::Inclusive(long_c.clone())
        )
        .is_empty()
    );
    let mut sp = spec(0);
    sp.resume_after = Some(long_c.clone());
    assert_eq!(keys(&read(&s, b"p", &sp)), vec![b"d".to_vec()]);
    for start in [
        ScanStart::Key {
            key: huge_pk.clone(),
            inclusive: true,
        },
        ScanStart::Key {
            key: huge_pk.clone(),
            inclusive: false,
        },
    ] {
        for p in s.scan_partitions(T, &start, &ScanEnd::Unbounded) {
            p.unwrap();
        }
    }
    // Writes: the partition key alone, and a clustering that makes the key too long.
    let row = cassmodel_store::RowUpdate::new(ck(b"c")).set(C1, 1, b"v".to_vec(), None);
    let e = s
        .apply(&[cassmodel_store::Mutation::new(T, huge_pk.clone()).row(row)])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Key length of 70000 is longer than maximum of 65535"
    );
    let row =
        cassmodel_store::RowUpdate::new(ck(&vec![b'c'; 60_000])).set(C1, 1, b"v".to_vec(), None);
    let e = s
        .apply(&[cassmodel_store::Mutation::new(T, vec![b'k'; 6_000]).row(row)])
        .unwrap_err();
    assert!(
        matches!(
            e,
            cassmodel_store::StoreError::StorageKeyTooLarge { limit: 65535, .. }
        ),
        "{e}"
    );
}

#[test]
fn the_storage_key_limit_does_not_depend_on_truncation() {
    // After TRUNCATE a table's keys carry its generation's id, longer than its own: a key
    // accepted before must still fit the engine (which panics on a longer one), and the
    // limit must not move.
    let (_d, s) = store();
    let pk = vec![b'k'; 5_000];
    let write = |len: usize| {
        let row =
            cassmodel_store::RowUpdate::new(ck(&vec![b'c'; len])).set(C1, 1, b"v".to_vec(), None);
        s.apply(&[cassmodel_store::Mutation::new(T, pk.clone()).row(row)])
    };
    // The longest clustering value accepted with this partition key.
    let (mut ok, mut refused) = (0usize, 65_535usize);
    while refused - ok > 1 {
        let mid = (ok + refused) / 2;
        if write(mid).is_ok() {
            ok = mid;
        } else {
            refused = mid;
        }
    }
    assert!(ok > 50_000, "{ok}");
    s.truncate(T).unwrap();
    write(ok).unwrap();
    assert!(
        matches!(
            write(ok + 1),
            Err(cassmodel_store::StoreError::StorageKeyTooLarge { limit: 65535, .. })
        ),
        "the limit moved after TRUNCATE"
    );
    assert_eq!(keys(&read(&s, &pk, &spec(0))), vec![vec![b'c'; ok]]);
}

#[test]
fn dropped_columns_hide_cells_up_to_their_drop() {
    let (_d, s) = store();
    put(&s, b"q", &[1], C1, 10, b"old", None);
    put(&s, b"q", &[1], C2, 10, b"kept", None);
    put(&s, b"q", &[2], C1, 30, b"new", None);
    put(&s, b"q", &[3], C1, 20, b"gone", None);
    let mut sp = spec(0);
    sp.dropped = vec![(C1, 20)];
    let got = read(&s, b"q", &sp);
    // Row 3 held only dropped cells: it is not live any more.
    assert_eq!(keys(&got), vec![vec![1], vec![2]]);
    assert_eq!(val(&got[0], C1), None);
    assert_eq!(val(&got[0], C2), Some(b"kept".to_vec()));
    assert_eq!(val(&got[1], C1), Some(b"new".to_vec()));
}
