//! Engine tests of writes: collections, TTL (with the injected clock), counters, statics,
//! deletions, LWT and batches.
#![allow(clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::api::{
    BatchKind, BatchRequest, BatchStatement, BoundValues, Consistency, QueryParams, QueryResult,
};
use engine_common::*;

fn list_int(v: &[i32]) -> Option<Vec<u8>> {
    let mut out = (v.len() as i32).to_be_bytes().to_vec();
    for x in v {
        out.extend_from_slice(&4i32.to_be_bytes());
        out.extend_from_slice(&x.to_be_bytes());
    }
    Some(out)
}

fn map_text_int(v: &[(&str, i32)]) -> Option<Vec<u8>> {
    let mut out = (v.len() as i32).to_be_bytes().to_vec();
    for (k, x) in v {
        out.extend_from_slice(&(k.len() as i32).to_be_bytes());
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(&4i32.to_be_bytes());
        out.extend_from_slice(&x.to_be_bytes());
    }
    Some(out)
}

#[test]
fn list_operations() {
    let mut db = db();
    db.exec("CREATE TABLE l (k int PRIMARY KEY, l list<int>)");
    db.exec("INSERT INTO l (k, l) VALUES (1, [1, 2, 3])");
    db.exec("UPDATE l SET l = l + [4] WHERE k = 1");
    db.exec("UPDATE l SET l = [0] + l WHERE k = 1");
    assert_eq!(
        db.rows("SELECT l FROM l WHERE k = 1").rows,
        vec![vec![list_int(&[0, 1, 2, 3, 4])]]
    );
    db.exec("UPDATE l SET l[1] = 10 WHERE k = 1");
    db.exec("DELETE l[0] FROM l WHERE k = 1");
    db.exec("UPDATE l SET l = l - [3] WHERE k = 1");
    assert_eq!(
        db.rows("SELECT l FROM l WHERE k = 1").rows,
        vec![vec![list_int(&[10, 2, 4])]]
    );
    let e = db.err("UPDATE l SET l[5] = 1 WHERE k = 1");
    assert_eq!(e.message, "List index 5 out of bound, list has size 3");
    let e = db.err("UPDATE l SET l[0] = 1 WHERE k = 2");
    assert_eq!(
        e.message,
        "Attempted to set an element on a list which is null"
    );
    db.exec("UPDATE l SET l = [7] WHERE k = 1");
    assert_eq!(
        db.rows("SELECT l FROM l WHERE k = 1").rows,
        vec![vec![list_int(&[7])]]
    );
}

#[test]
fn set_and_map_operations() {
    let mut db = db();
    db.exec("CREATE TABLE sm (k int PRIMARY KEY, s set<int>, m map<text, int>)");
    db.exec("INSERT INTO sm (k, s, m) VALUES (1, {3, 1, 2}, {'b': 2, 'a': 1})");
    db.exec("UPDATE sm SET s = s + {5}, s = s - {1}, m['c'] = 3 WHERE k = 1");
    db.exec("UPDATE sm SET m = m - {'a'} WHERE k = 1");
    db.exec("DELETE m['b'] FROM sm WHERE k = 1");
    let r = db.rows("SELECT s, m FROM sm WHERE k = 1");
    assert_eq!(
        r.rows,
        vec![vec![list_int(&[2, 3, 5]), map_text_int(&[("c", 3)])]]
    );
    let r = db.rows("SELECT k FROM sm WHERE s CONTAINS 5 ALLOW FILTERING");
    assert_eq!(r.rows, vec![vec![int(1)]]);
    let r = db.rows("SELECT k FROM sm WHERE m CONTAINS KEY 'c' ALLOW FILTERING");
    assert_eq!(r.rows, vec![vec![int(1)]]);
}

#[test]
fn ttl_expires_with_the_clock_and_default_ttl_applies() {
    let mut db = db();
    db.exec("CREATE TABLE t (k int PRIMARY KEY, v int, w int) WITH default_time_to_live = 100");
    db.exec("INSERT INTO t (k, v) VALUES (1, 1) USING TTL 10");
    db.exec("INSERT INTO t (k, w) VALUES (2, 2)");
    db.exec("INSERT INTO t (k, w) VALUES (3, 3) USING TTL 0");
    let r = db.rows("SELECT ttl(v) FROM t WHERE k = 1");
    assert_eq!(r.rows, vec![vec![int(10)]]);
    db.clock.advance_secs(11);
    assert!(db.rows("SELECT * FROM t WHERE k = 1").rows.is_empty());
    assert_eq!(db.rows("SELECT w FROM t WHERE k = 2").rows.len(), 1);
    db.clock.advance_secs(100);
    assert!(db.rows("SELECT * FROM t WHERE k = 2").rows.is_empty());
    assert_eq!(
        db.rows("SELECT w FROM t WHERE k = 3").rows,
        vec![vec![int(3)]]
    );
    let e = db.err("INSERT INTO t (k, v) VALUES (1, 1) USING TTL -1");
    assert_eq!(e.message, "A TTL must be greater or equal to 0, but was -1");
    let e = db.err("INSERT INTO t (k, v) VALUES (1, 1) USING TTL 630720001");
    assert_eq!(
        e.message,
        "ttl is too large. requested (630720001) maximum (630720000)"
    );
}

#[test]
fn writetime_and_using_timestamp() {
    let mut db = db();
    db.exec("CREATE TABLE w (k int PRIMARY KEY, v int)");
    db.exec("INSERT INTO w (k, v) VALUES (1, 1) USING TIMESTAMP 1000");
    db.exec("INSERT INTO w (k, v) VALUES (1, 2) USING TIMESTAMP 999");
    let r = db.rows("SELECT v, writetime(v) FROM w WHERE k = 1");
    assert_eq!(r.rows, vec![vec![int(1), bigint(1000)]]);
    assert_eq!(r.columns[1].name, "writetime(v)");
    let e = db.err("SELECT writetime(k) FROM w");
    assert_eq!(
        e.message,
        "Cannot use selection function writeTime on PRIMARY KEY part k"
    );
}

#[test]
fn update_created_rows_vanish_when_nulled_but_inserted_rows_stay() {
    let mut db = db();
    db.exec("CREATE TABLE r (k int, c int, v int, PRIMARY KEY (k, c))");
    db.exec("UPDATE r SET v = 1 WHERE k = 1 AND c = 1");
    db.exec("INSERT INTO r (k, c, v) VALUES (1, 2, 2)");
    db.exec("UPDATE r SET v = null WHERE k = 1 AND c = 1");
    db.exec("UPDATE r SET v = null WHERE k = 1 AND c = 2");
    let r = db.rows("SELECT c, v FROM r WHERE k = 1");
    assert_eq!(r.rows, vec![vec![int(2), None]]);
}

#[test]
fn deletions_of_rows_ranges_and_partitions() {
    let mut db = db();
    db.exec("CREATE TABLE d (k int, c int, v int, PRIMARY KEY (k, c))");
    for c in 0..6 {
        db.exec(&format!("INSERT INTO d (k, c, v) VALUES (1, {c}, {c})"));
        db.exec(&format!("INSERT INTO d (k, c, v) VALUES (2, {c}, {c})"));
    }
    db.exec("DELETE FROM d WHERE k = 1 AND c = 0");
    db.exec("DELETE FROM d WHERE k = 1 AND c > 3");
    db.exec("DELETE v FROM d WHERE k = 1 AND c = 2");
    db.exec("DELETE FROM d WHERE k = 2");
    let r = db.rows("SELECT c, v FROM d WHERE k = 1");
    assert_eq!(
        r.rows,
        vec![
            vec![int(1), int(1)],
            vec![int(2), None],
            vec![int(3), int(3)]
        ]
    );
    assert!(db.rows("SELECT * FROM d WHERE k = 2").rows.is_empty());
}

#[test]
fn statics_and_static_only_partitions() {
    let mut db = db();
    db.exec("CREATE TABLE s (k int, c int, s int STATIC, v int, PRIMARY KEY (k, c))");
    db.exec("INSERT INTO s (k, s) VALUES (1, 10)");
    let r = db.rows("SELECT * FROM s WHERE k = 1");
    assert_eq!(
        r.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["k", "c", "s", "v"]
    );
    assert_eq!(r.rows, vec![vec![int(1), None, int(10), None]]);
    db.exec("INSERT INTO s (k, c, v) VALUES (1, 1, 1)");
    db.exec("INSERT INTO s (k, c, v) VALUES (1, 2, 2)");
    let r = db.rows("SELECT c, s FROM s WHERE k = 1");
    assert_eq!(r.rows, vec![vec![int(1), int(10)], vec![int(2), int(10)]]);
    let r = db.rows("SELECT DISTINCT k, s FROM s");
    assert_eq!(r.rows, vec![vec![int(1), int(10)]]);
}

#[test]
fn counters() {
    let mut db = db();
    db.exec("CREATE TABLE c (k int PRIMARY KEY, n counter)");
    db.exec("UPDATE c SET n = n + 5 WHERE k = 1");
    db.exec("UPDATE c SET n = n - 2 WHERE k = 1");
    assert_eq!(
        db.rows("SELECT n FROM c WHERE k = 1").rows,
        vec![vec![bigint(3)]]
    );
    let e = db.err("INSERT INTO c (k, n) VALUES (1, 1)");
    assert_eq!(
        e.message,
        "INSERT statements are not allowed on counter tables, use UPDATE instead"
    );
    let e = db.err("UPDATE c SET n = 1 WHERE k = 1");
    assert_eq!(
        e.message,
        "Cannot set the value of counter column n (counters can only be incremented/decremented, not set)"
    );
}

#[test]
fn lwt_results() {
    let mut db = db();
    db.exec("CREATE TABLE x (k int PRIMARY KEY, v int, w text)");
    let QueryResult::Rows(r) = db.exec("INSERT INTO x (k, v, w) VALUES (1, 1, 'a') IF NOT EXISTS")
    else {
        panic!()
    };
    assert_eq!(r.columns[0].name, "[applied]");
    assert_eq!(r.rows, vec![vec![Some(vec![1])]]);
    let QueryResult::Rows(r) = db.exec("INSERT INTO x (k, v, w) VALUES (1, 2, 'b') IF NOT EXISTS")
    else {
        panic!()
    };
    assert_eq!(
        r.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["[applied]", "k", "v", "w"]
    );
    assert_eq!(r.rows, vec![vec![Some(vec![0]), int(1), int(1), text("a")]]);
    let QueryResult::Rows(r) = db.exec("UPDATE x SET v = 3 WHERE k = 1 IF v = 5") else {
        panic!()
    };
    assert_eq!(
        r.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["[applied]", "v"]
    );
    assert_eq!(r.rows, vec![vec![Some(vec![0]), int(1)]]);
    let QueryResult::Rows(r) = db.exec("UPDATE x SET v = 3 WHERE k = 1 IF v = 1") else {
        panic!()
    };
    assert_eq!(r.rows, vec![vec![Some(vec![1])]]);
    let QueryResult::Rows(r) = db.exec("DELETE FROM x WHERE k = 2 IF EXISTS") else {
        panic!()
    };
    assert_eq!(r.rows, vec![vec![Some(vec![0])]]);
    assert_eq!(r.columns.len(), 1);
    let e = db.err("UPDATE x USING TIMESTAMP 5 SET v = 1 WHERE k = 1 IF v = 1");
    assert_eq!(
        e.message,
        "Cannot provide custom timestamp for conditional updates"
    );
    let params = QueryParams {
        consistency: Consistency::Serial,
        ..QueryParams::default()
    };
    let e = db
        .try_query("INSERT INTO x (k, v) VALUES (9, 9)", &params)
        .unwrap_err();
    assert_eq!(
        e.message,
        "You must use conditional updates for serializable writes"
    );
}

#[test]
fn batches_share_a_timestamp_and_follow_the_rules() {
    let mut db = db();
    db.exec("CREATE TABLE b (k int, c int, v int, PRIMARY KEY (k, c))");
    db.exec("CREATE TABLE bc (k int PRIMARY KEY, n counter)");
    db.exec("BEGIN BATCH INSERT INTO b (k, c, v) VALUES (1, 1, 1); INSERT INTO b (k, c, v) VALUES (2, 1, 2); APPLY BATCH");
    let r = db.rows("SELECT writetime(v) FROM b WHERE k IN (1, 2)");
    assert_eq!(r.rows.len(), 2);
    assert_eq!(r.rows[0], r.rows[1]);
    let e = db.err("BEGIN BATCH UPDATE bc SET n = n + 1 WHERE k = 1; APPLY BATCH");
    assert_eq!(
        e.message,
        "Cannot include a counter statement in a logged batch"
    );
    let e = db.err("BEGIN BATCH USING TTL 5 INSERT INTO b (k, c, v) VALUES (1, 1, 1); APPLY BATCH");
    assert_eq!(
        e.message,
        "Global TTL on the BATCH statement is not supported."
    );
    let e = db.err("BEGIN BATCH USING TIMESTAMP 5 INSERT INTO b (k, c, v) VALUES (1, 1, 1) USING TIMESTAMP 6; APPLY BATCH");
    assert_eq!(
        e.message,
        "Timestamp must be set either on BATCH or individual statements"
    );
    let e = db.err(
        "BEGIN BATCH INSERT INTO b (k, c, v) VALUES (1, 1, 1) IF NOT EXISTS; INSERT INTO b (k, c, v) VALUES (2, 1, 1); APPLY BATCH",
    );
    assert_eq!(
        e.message,
        "Batch with conditions cannot span multiple partitions"
    );
    db.exec("BEGIN COUNTER BATCH UPDATE bc SET n = n + 2 WHERE k = 1; UPDATE bc SET n = n + 3 WHERE k = 1; APPLY BATCH");
    assert_eq!(
        db.rows("SELECT n FROM bc WHERE k = 1").rows,
        vec![vec![bigint(5)]]
    );

    let request = BatchRequest {
        kind: BatchKind::Unlogged,
        statements: vec![
            BatchStatement::Query {
                cql: "INSERT INTO b (k, c, v) VALUES (?, ?, ?)".into(),
                values: BoundValues::Positional(vec![val(int(5)), val(int(1)), val(int(50))]),
            },
            BatchStatement::Query {
                cql: "DELETE FROM b WHERE k = 1".into(),
                values: BoundValues::None,
            },
        ],
        consistency: Consistency::One,
        serial_consistency: None,
        timestamp: Some(77),
    };
    db.engine.batch(&db.session, &request).unwrap();
    // The batch's client timestamp (77) is older than the row: the delete does not cover it.
    assert_eq!(db.rows("SELECT * FROM b WHERE k = 1").rows.len(), 1);
    assert_eq!(
        db.rows("SELECT writetime(v) FROM b WHERE k = 5").rows,
        vec![vec![bigint(77)]]
    );
}

#[test]
fn a_one_value_in_on_the_partition_key_is_an_equality_for_conditions() {
    let mut db = db();
    db.exec("CREATE TABLE one (k int, c int, v int, PRIMARY KEY (k, c))");
    db.exec("INSERT INTO one (k, c, v) VALUES (1, 1, 1)");
    let r = db.rows("UPDATE one SET v = 2 WHERE k IN (1) AND c IN (1) IF v = 1");
    assert_eq!(r.rows, vec![vec![Some(vec![1])]]);
    assert_eq!(
        db.err("UPDATE one SET v = 2 WHERE k IN (1, 2) AND c = 1 IF v = 1")
            .message,
        "IN on the partition key is not supported with conditional updates"
    );
}

#[test]
fn counter_decrement_by_the_minimum_long_and_null_increments_are_refused() {
    let mut db = db();
    db.exec("CREATE TABLE cm (k int PRIMARY KEY, n counter)");
    assert_eq!(
        db.err("UPDATE cm SET n = n - -9223372036854775808 WHERE k = 1")
            .message,
        "The negation of -9223372036854775808 overflows supported counter precision (signed 8 bytes integer)"
    );
    assert_eq!(
        db.err("UPDATE cm SET n = n + null WHERE k = 1").message,
        "Invalid null value for counter increment"
    );
    // Adding it is fine (the total wraps, as Java's long addition does).
    db.exec("UPDATE cm SET n = n + -9223372036854775808 WHERE k = 1");
    assert_eq!(
        db.rows("SELECT n FROM cm WHERE k = 1").rows,
        vec![vec![bigint(i64::MIN)]]
    );
}

#[test]
fn element_deletion_on_a_non_collection_says_so_before_frozen() {
    let mut db = db();
    db.exec("CREATE TABLE ed (k int PRIMARY KEY, v int, fl frozen<list<int>>)");
    assert_eq!(
        db.err("DELETE v[0] FROM ed WHERE k = 1").message,
        "Invalid deletion operation for non collection column v"
    );
    assert_eq!(
        db.err("DELETE fl[0] FROM ed WHERE k = 1").message,
        "Invalid deletion operation for frozen collection column fl"
    );
}

#[test]
fn dropped_column_hides_older_cells_after_readding() {
    let mut db = db();
    db.exec("CREATE TABLE gauge (site int, at int, temp int, note text, PRIMARY KEY (site, at))");
    for (at, ts) in [(1, 500), (2, 1500), (3, 2500)] {
        db.exec(&format!(
            "INSERT INTO gauge (site, at, temp, note) VALUES (8, {at}, {at}, 'n{at}') USING TIMESTAMP {ts}"
        ));
    }
    db.exec("ALTER TABLE gauge DROP note USING TIMESTAMP 1500");
    db.exec("ALTER TABLE gauge ADD note text");
    db.exec("INSERT INTO gauge (site, at, note) VALUES (8, 4, 'late') USING TIMESTAMP 3000");
    let r = db.rows("SELECT at, note FROM gauge WHERE site = 8");
    assert_eq!(
        r.rows,
        vec![
            vec![int(1), None],
            vec![int(2), None],
            vec![int(3), text("n3")],
            vec![int(4), text("late")],
        ]
    );
    // A row whose only cells belong to a dropped column is gone.
    db.exec("CREATE TABLE lone (k int PRIMARY KEY, a int, b int)");
    db.exec("UPDATE lone SET a = 3 WHERE k = 1");
    db.exec("ALTER TABLE lone DROP a");
    assert!(db.rows("SELECT * FROM lone").rows.is_empty());
}

#[test]
fn counter_updates_of_one_row_in_a_batch_all_count() {
    let mut db = db();
    db.exec("CREATE TABLE votes (poll int, option text, yes counter, no counter, PRIMARY KEY (poll, option))");
    db.exec(
        "BEGIN COUNTER BATCH \
         UPDATE votes SET yes = yes + 5, no = no + 2 WHERE poll = 1 AND option = 'a'; \
         UPDATE votes SET yes = yes - 1, no = no - 2 WHERE poll = 1 AND option = 'a'; \
         UPDATE votes SET yes = yes + 3 WHERE poll = 1 AND option = 'a'; APPLY BATCH",
    );
    let r = db.rows("SELECT yes, no FROM votes WHERE poll = 1");
    assert_eq!(r.rows, vec![vec![bigint(7), bigint(0)]]);
    db.exec("UPDATE votes SET yes = yes + 1 WHERE poll = 1 AND option = 'a'");
    let r = db.rows("SELECT yes FROM votes WHERE poll = 1");
    assert_eq!(r.rows, vec![vec![bigint(8)]]);
    let e = db.err("SELECT * FROM votes WHERE no = null ALLOW FILTERING");
    assert_eq!(
        e.message,
        "Invalid null value for counter increment/decrement"
    );
}
