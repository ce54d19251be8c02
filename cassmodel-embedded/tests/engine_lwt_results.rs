//! Conditional writes: IF conditions checked when prepared (`ColumnCondition.Raw.prepare`),
//! and the `[applied] = false` result sets of statements and batches, as Cassandra 4.1
//! builds them from the partition its CAS request reads (`CQL3CasRequest.readCommand`,
//! `ModificationStatement.buildCasFailureResultSet`).
#![allow(missing_docs, clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::api::{BoundValue, BoundValues, QueryParams, QueryResult};
use engine_common::*;

const FAILED: Option<Vec<u8>> = Some(Vec::new());

type Row = Vec<Option<Vec<u8>>>;

/// Column names and rows, with `[applied]` shown as `FAILED` (false) so rows read easily.
fn cas(db: &mut Db, cql: &str) -> (Vec<String>, Vec<Row>) {
    let r = db.rows(cql);
    let names = r.columns.iter().map(|c| c.name.clone()).collect();
    let rows = r
        .rows
        .into_iter()
        .map(|mut row| {
            if row[0] == Some(vec![0]) {
                row[0] = FAILED;
            }
            row
        })
        .collect();
    (names, rows)
}

fn versioned(db: &mut Db) {
    db.exec("CREATE TABLE sv (id int, k text, version int static, v text, PRIMARY KEY (id, k))");
    db.exec("INSERT INTO sv (id, k, v) VALUES (0, 'k1', 'one')");
    db.exec("INSERT INTO sv (id, k, v) VALUES (0, 'k2', 'two')");
    db.exec("UPDATE sv SET version = 2 WHERE id = 0");
}

#[test]
fn batch_with_only_a_static_condition_reports_the_first_row_of_the_partition() {
    let mut db = db();
    versioned(&mut db);
    let (names, rows) = cas(
        &mut db,
        "BEGIN BATCH UPDATE sv SET v = 'x' WHERE id = 0 AND k = 'k2'; \
         UPDATE sv SET version = 3 WHERE id = 0 IF version = 1; APPLY BATCH",
    );
    assert_eq!(names, ["[applied]", "id", "k", "version"]);
    assert_eq!(rows, vec![vec![FAILED, int(0), text("k1"), int(2)]]);
}

#[test]
fn batch_reports_every_row_with_a_condition_in_clustering_order() {
    let mut db = db();
    versioned(&mut db);
    let (names, rows) = cas(
        &mut db,
        "BEGIN BATCH UPDATE sv SET v = 'b' WHERE id = 0 AND k = 'k2' IF v = 'two'; \
         UPDATE sv SET version = 3 WHERE id = 0 IF version = 2; \
         UPDATE sv SET v = 'a' WHERE id = 0 AND k = 'k1' IF v = 'zzz'; APPLY BATCH",
    );
    // The first statement holds, yet its row is reported too.
    assert_eq!(names, ["[applied]", "id", "k", "v", "version"]);
    assert_eq!(
        rows,
        vec![
            vec![FAILED, int(0), text("k1"), text("one"), int(2)],
            vec![FAILED, int(0), text("k2"), text("two"), int(2)],
        ]
    );
}

#[test]
fn batch_with_an_existence_condition_reports_whole_rows() {
    let mut db = db();
    versioned(&mut db);
    let (names, rows) = cas(
        &mut db,
        "BEGIN BATCH UPDATE sv SET v = 'x' WHERE id = 0 AND k = 'k1' IF v = 'nope'; \
         INSERT INTO sv (id, k, v) VALUES (0, 'k3', 'three') IF NOT EXISTS; APPLY BATCH",
    );
    assert_eq!(names, ["[applied]", "id", "k", "version", "v"]);
    // No statement writes the static row nor tests a static column: version is not read.
    assert_eq!(
        rows,
        vec![vec![FAILED, int(0), text("k1"), None, text("one")]]
    );
}

#[test]
fn batch_with_two_conditions_on_one_row_reports_it_once() {
    let mut db = db();
    versioned(&mut db);
    let (names, rows) = cas(
        &mut db,
        "BEGIN BATCH UPDATE sv SET v = 'a' WHERE id = 0 AND k = 'k1' IF v = 'one'; \
         UPDATE sv SET v = 'b' WHERE id = 0 AND k = 'k1' IF v = 'two'; APPLY BATCH",
    );
    assert_eq!(names, ["[applied]", "id", "k", "v"]);
    assert_eq!(rows, vec![vec![FAILED, int(0), text("k1"), text("one")]]);
}

#[test]
fn insert_if_not_exists_leaves_unread_static_columns_null() {
    let mut db = db();
    versioned(&mut db);
    let (_, rows) = cas(
        &mut db,
        "INSERT INTO sv (id, k, v) VALUES (0, 'k1', 'again') IF NOT EXISTS",
    );
    assert_eq!(
        rows,
        vec![vec![FAILED, int(0), text("k1"), None, text("one")]]
    );
    let (_, rows) = cas(
        &mut db,
        "INSERT INTO sv (id, k, v, version) VALUES (0, 'k1', 'again', 9) IF NOT EXISTS",
    );
    assert_eq!(
        rows,
        vec![vec![FAILED, int(0), text("k1"), int(2), text("one")]]
    );
}

#[test]
fn conditions_are_checked_against_their_receiver_when_prepared() {
    let mut db = db();
    db.exec("CREATE TYPE pt (x int, y int)");
    db.exec(
        "CREATE TABLE c (k int PRIMARY KEY, v int, s set<int>, l list<int>, p pt, \
         d duration, ld list<duration>)",
    );
    for (cql, message) in [
        (
            "IF s[1] = 1",
            "Invalid element access syntax for set column s",
        ),
        (
            "IF v[1] = 1",
            "Invalid element access syntax for non-collection column v",
        ),
        ("IF p.z = 1", "Unknown field z for column p"),
        (
            "IF v CONTAINS 1",
            "Cannot use CONTAINS on non-collection column v",
        ),
        (
            "IF l CONTAINS KEY 1",
            "Cannot use CONTAINS KEY on non-map column l",
        ),
        (
            "IF d > 1d",
            "Slice conditions ( > ) are not supported on durations",
        ),
        (
            "IF ld[0] <= 1d",
            "Slice conditions ( <= ) are not supported on durations",
        ),
        (
            "IF ld > [1d]",
            "Slice conditions are not supported on collections containing durations",
        ),
    ] {
        let e = db
            .engine
            .prepare(
                &db.session,
                &format!("UPDATE c SET v = 1 WHERE k = 1 {cql}"),
            )
            .unwrap_err();
        assert_eq!(e.message, message, "{cql}");
    }
}

#[test]
fn condition_markers_are_named_after_their_receivers() {
    let mut db = db();
    db.exec("CREATE TABLE c (k int PRIMARY KEY, l list<int>, m map<int, text>)");
    let prepared = db
        .engine
        .prepare(
            &db.session,
            "UPDATE c SET l = [] WHERE k = 1 IF l[?] = ? AND m CONTAINS ? AND m CONTAINS KEY ?",
        )
        .unwrap();
    let names: Vec<&str> = prepared.bind.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["idx(l)", "value(l)", "value(m)", "key(m)"]);
}

fn err_with(db: &mut Db, cql: &str, values: Vec<BoundValue>) -> String {
    let params = QueryParams {
        values: BoundValues::Positional(values),
        ..QueryParams::default()
    };
    db.try_query(cql, &params).unwrap_err().message
}

#[test]
fn unset_and_null_condition_values_are_checked_before_any_condition_is_evaluated() {
    let mut db = db();
    db.exec("CREATE TABLE u (k int PRIMARY KEY, v int, w int)");
    db.exec("INSERT INTO u (k, v, w) VALUES (1, 1, 1)");
    let unset = "Invalid 'unset' value in condition";
    // The first condition already fails, yet the unset value of the second is refused.
    let cql = "UPDATE u SET v = 3 WHERE k = 1 IF v = 7 AND w = ?";
    assert_eq!(err_with(&mut db, cql, vec![BoundValue::Unset]), unset);
    let cql = "UPDATE u SET v = 3 WHERE k = 1 IF v IN ?";
    assert_eq!(err_with(&mut db, cql, vec![BoundValue::Unset]), unset);
    assert_eq!(
        err_with(&mut db, cql, vec![BoundValue::Null]),
        "Invalid null list in IN condition"
    );
    // Unset items of an IN list are dropped, not compared as null.
    let cql = "UPDATE u SET v = 3 WHERE k = 1 IF w IN (?, ?)";
    let QueryResult::Rows(r) = db.exec_with(cql, vec![BoundValue::Unset, val(int(1))]) else {
        panic!()
    };
    assert_eq!(r.rows, vec![vec![Some(vec![1])]]);
    db.exec("UPDATE u SET w = null WHERE k = 1");
    let QueryResult::Rows(r) = db.exec_with(cql, vec![BoundValue::Unset, val(int(1))]) else {
        panic!()
    };
    assert_eq!(r.rows, vec![vec![Some(vec![0]), None]]);
}

#[test]
fn a_batch_row_takes_one_kind_of_condition() {
    let mut db = db();
    versioned(&mut db);
    for (cql, message) in [
        (
            "BEGIN BATCH INSERT INTO sv (id, k, v) VALUES (0, 'k9', 'x') IF NOT EXISTS; \
             UPDATE sv SET v = 'y' WHERE id = 0 AND k = 'k9' IF v = 'x'; APPLY BATCH",
            "Cannot mix IF conditions and IF NOT EXISTS for the same row",
        ),
        (
            "BEGIN BATCH UPDATE sv SET v = 'y' WHERE id = 0 AND k = 'k1' IF v = 'one'; \
             DELETE FROM sv WHERE id = 0 AND k = 'k1' IF EXISTS; APPLY BATCH",
            "Cannot mix IF conditions and IF EXISTS for the same row",
        ),
        (
            "BEGIN BATCH INSERT INTO sv (id, k, v) VALUES (0, 'k1', 'x') IF NOT EXISTS; \
             DELETE FROM sv WHERE id = 0 AND k = 'k1' IF EXISTS; APPLY BATCH",
            "Cannot mix IF EXISTS and IF NOT EXISTS conditions for the same row",
        ),
    ] {
        assert_eq!(db.err(cql).message, message);
    }
    // Two IF NOT EXISTS on one row are one condition (CASSANDRA-12867).
    let (_, rows) = cas(
        &mut db,
        "BEGIN BATCH INSERT INTO sv (id, k, v) VALUES (0, 'k9', 'x') IF NOT EXISTS; \
         INSERT INTO sv (id, k, version) VALUES (0, 'k9', 3) IF NOT EXISTS; APPLY BATCH",
    );
    assert_eq!(rows, vec![vec![Some(vec![1])]]);
}

#[test]
fn insert_of_static_columns_with_a_clustering_tests_that_row() {
    let mut db = db();
    versioned(&mut db);
    // The partition has a static value, but row k9 does not exist: applied.
    let (_, rows) = cas(
        &mut db,
        "INSERT INTO sv (id, k, version) VALUES (0, 'k9', 3) IF NOT EXISTS",
    );
    assert_eq!(rows, vec![vec![Some(vec![1])]]);
    let (_, rows) = cas(
        &mut db,
        "INSERT INTO sv (id, k, version) VALUES (0, 'k9', 4) IF NOT EXISTS",
    );
    assert_eq!(rows[0][0], FAILED);
}

#[test]
fn a_conditional_delete_not_naming_a_row_may_only_touch_static_columns() {
    let mut db = db();
    versioned(&mut db);
    assert_eq!(
        db.err("DELETE FROM sv WHERE id = 0 IF version = 2").message,
        "DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to delete non static columns"
    );
    assert_eq!(
        db.err("DELETE v FROM sv WHERE id = 0 IF EXISTS").message,
        "DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to delete non static columns"
    );
    assert_eq!(
        db.err("DELETE version FROM sv WHERE id = 0 IF v = 'one'")
            .message,
        "DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to use IF condition on non static columns"
    );
    // Static columns only: allowed, and tested against the static row.
    let (_, rows) = cas(
        &mut db,
        "DELETE version FROM sv WHERE id = 0 IF version = 2",
    );
    assert_eq!(rows, vec![vec![Some(vec![1])]]);
    assert_eq!(
        db.rows("SELECT version FROM sv WHERE id = 0").rows,
        vec![vec![None], vec![None]]
    );
}
