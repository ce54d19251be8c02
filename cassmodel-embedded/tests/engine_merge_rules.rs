//! Several relations on one column (Cassandra 4.1 `SingleColumnRestriction.doMergeWith`,
//! `ClusteringColumnRestrictions.mergeWith`), LIKE without a SASI index, ORDER BY with IN
//! on the partition key under paging (`SelectStatement.execute`) and the INSERT / LWT /
//! counter messages of `UpdateStatement` and `ModificationStatement`: the code and message
//! Cassandra sends, and the valid neighbours that must keep working.
#![allow(clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::ErrorCode;
use cassmodel_embedded::api::{QueryParams, QueryResult, ResultRows};
use engine_common::*;

fn check(db: &mut Db, cases: &[(&str, &str)]) {
    let mut failures = Vec::new();
    for (cql, message) in cases {
        match db.try_query(cql, &QueryParams::default()) {
            Ok(r) => failures.push(format!("{cql}: accepted ({r:?})")),
            Err(e) => {
                if e.code != ErrorCode::Invalid || e.message != *message {
                    failures.push(format!(
                        "{cql}:\n  got    {:?} {}\n  wanted Invalid {message}",
                        e.code, e.message
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn int_rows(r: &ResultRows) -> Vec<Vec<i64>> {
    r.rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|v| {
                    let b = v.as_ref().unwrap();
                    match b.len() {
                        4 => i64::from(i32::from_be_bytes(b.clone().try_into().unwrap())),
                        _ => i64::from_be_bytes(b.clone().try_into().unwrap()),
                    }
                })
                .collect()
        })
        .collect()
}

fn setup(db: &mut Db) {
    db.exec("CREATE TABLE t (p int, a int, b int, v text, PRIMARY KEY (p, a, b))");
    db.exec("CREATE TABLE u (uid int PRIMARY KEY, name text)");
    for a in 1..=2 {
        for b in 1..=3 {
            db.exec(&format!(
                "INSERT INTO t (p, a, b, v) VALUES (1, {a}, {b}, 'v{a}{b}')"
            ));
        }
    }
}

#[test]
fn equal_or_in_merges_with_no_other_relation() {
    let mut db = db();
    setup(&mut db);
    let eq = |c: &str| {
        format!("{c} cannot be restricted by more than one relation if it includes an Equal")
    };
    let in_ =
        |c: &str| format!("{c} cannot be restricted by more than one relation if it includes a IN");
    let both = |c: &str| {
        format!(
            "Column \"{c}\" cannot be restricted by both an equality and an inequality relation"
        )
    };
    let cases = [
        // Clustering column: the slice used to narrow the next column (wrong rows).
        ("SELECT a, b FROM t WHERE p = 1 AND a = 2 AND a > 1", eq("a")),
        ("SELECT a, b FROM t WHERE p = 1 AND a = 2 AND a < 5", eq("a")),
        ("SELECT a, b FROM t WHERE p = 1 AND a = 2 AND a = 2", eq("a")),
        ("SELECT a, b FROM t WHERE p = 1 AND a = 2 AND a IN (1, 2)", eq("a")),
        ("SELECT a, b FROM t WHERE p = 1 AND a IN (1, 2) AND a = 2", in_("a")),
        ("SELECT a, b FROM t WHERE p = 1 AND a IN (1, 2) AND a > 1", in_("a")),
        // A one-value IN is an EQ (SingleColumnRelation.newINRestriction).
        ("SELECT a, b FROM t WHERE p = 1 AND a IN (2) AND a = 2", eq("a")),
        ("SELECT a, b FROM t WHERE p = 1 AND a > 1 AND a = 2", both("a")),
        ("SELECT a, b FROM t WHERE p = 1 AND a > 1 AND a IN (2)", both("a")),
        (
            "SELECT a, b FROM t WHERE p = 1 AND a > 1 AND a >= 2",
            "More than one restriction was found for the start bound on a".into(),
        ),
        // Partition key, with or without ALLOW FILTERING.
        ("SELECT * FROM u WHERE uid = 1 AND uid > 0", eq("uid")),
        ("SELECT * FROM u WHERE uid = 1 AND uid > 0 ALLOW FILTERING", eq("uid")),
        ("SELECT * FROM u WHERE uid IN (1, 2) AND uid = 1", in_("uid")),
        ("SELECT * FROM u WHERE uid > 0 AND uid = 1 ALLOW FILTERING", both("uid")),
        // Regular columns under ALLOW FILTERING.
        (
            "SELECT * FROM t WHERE p = 1 AND v = 'x' AND v = 'y' ALLOW FILTERING",
            eq("v"),
        ),
        (
            "SELECT * FROM t WHERE p = 1 AND v = 'x' AND v > 'a' ALLOW FILTERING",
            eq("v"),
        ),
        (
            "SELECT * FROM t WHERE p = 1 AND v IN ('x', 'y') AND v = 'x' ALLOW FILTERING",
            in_("v"),
        ),
        (
            "SELECT * FROM t WHERE p = 1 AND v IN ('x') AND v = 'x' ALLOW FILTERING",
            eq("v"),
        ),
        // ClusteringColumnRestrictions.mergeWith: a slice before a restricted column.
        (
            "SELECT * FROM t WHERE p = 1 AND b = 1 AND a > 1",
            "PRIMARY KEY column \"b\" cannot be restricted (preceding column \"a\" is restricted by a non-EQ relation)".into(),
        ),
    ];
    let cases: Vec<(&str, &str)> = cases.iter().map(|(q, m)| (*q, m.as_str())).collect();
    check(&mut db, &cases);
}

#[test]
fn single_relations_and_two_bounds_still_work() {
    let mut db = db();
    setup(&mut db);
    let r = db.rows("SELECT a, b FROM t WHERE p = 1 AND a > 1 AND a < 5");
    assert_eq!(int_rows(&r), vec![vec![2, 1], vec![2, 2], vec![2, 3]]);
    let r = db.rows("SELECT a, b FROM t WHERE p = 1 AND a = 2 AND b > 1");
    assert_eq!(int_rows(&r), vec![vec![2, 2], vec![2, 3]]);
    let r = db.rows("SELECT a, b FROM t WHERE p = 1 AND a IN (1, 2) AND b = 3");
    assert_eq!(int_rows(&r), vec![vec![1, 3], vec![2, 3]]);
    let r = db.rows("SELECT a, b FROM t WHERE p = 1 AND b > 1 AND b <= 2 ALLOW FILTERING");
    assert_eq!(int_rows(&r), vec![vec![1, 2], vec![2, 2]]);
    // With ALLOW FILTERING a slice may precede a restricted column.
    let r = db.rows("SELECT a, b FROM t WHERE p = 1 AND b = 1 AND a > 1 ALLOW FILTERING");
    assert_eq!(int_rows(&r), vec![vec![2, 1]]);
}

#[test]
fn like_needs_a_sasi_index() {
    let mut db = db();
    setup(&mut db);
    check(
        &mut db,
        &[
            (
                "SELECT * FROM t WHERE v LIKE 'v1%' ALLOW FILTERING",
                "LIKE restriction is only supported on properly indexed columns. v LIKE 'v1%' is not valid.",
            ),
            (
                "SELECT * FROM t WHERE p = 1 AND v LIKE ? ALLOW FILTERING",
                "LIKE restriction is only supported on properly indexed columns. v LIKE ? is not valid.",
            ),
        ],
    );
    // A regular secondary index does not support LIKE either.
    db.exec("CREATE INDEX ON t (v)");
    check(
        &mut db,
        &[(
            "SELECT * FROM t WHERE v LIKE 'v%'",
            "LIKE restriction is only supported on properly indexed columns. v LIKE 'v%' is not valid.",
        )],
    );
}

const POST_ORDER_PAGED: &str = "Cannot page queries with both ORDER BY and a IN restriction on the partition key; you must either remove the ORDER BY or the IN and sort client side, or disable paging for this query";

fn paged(page_size: Option<i32>) -> QueryParams {
    QueryParams {
        page_size,
        ..QueryParams::default()
    }
}

fn rows_with(db: &mut Db, cql: &str, params: &QueryParams) -> ResultRows {
    match db.try_query(cql, params) {
        Ok(QueryResult::Rows(r)) => r,
        other => panic!("{cql}: {other:?}"),
    }
}

#[test]
fn order_by_with_partition_in_is_refused_when_paged() {
    let mut db = db();
    db.exec("CREATE TABLE pg (p int, c int, v int, PRIMARY KEY (p, c))");
    for p in 1..=2 {
        for c in 0..4 {
            db.exec(&format!(
                "INSERT INTO pg (p, c, v) VALUES ({p}, {c}, {})",
                p * 10 + c
            ));
        }
    }
    // Paged: refused for plain, aggregate and GROUP BY queries.
    for cql in [
        "SELECT p, count(*) FROM pg WHERE p IN (1, 2) GROUP BY p ORDER BY c DESC",
        "SELECT count(*) FROM pg WHERE p IN (1, 2) ORDER BY c DESC",
        "SELECT * FROM pg WHERE p IN (1, 2) ORDER BY c DESC",
        "SELECT * FROM pg WHERE p IN (1, 2) ORDER BY c DESC LIMIT 2",
    ] {
        let e = db.try_query(cql, &paged(Some(100))).unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (ErrorCode::Invalid, POST_ORDER_PAGED),
            "{cql}"
        );
    }
    // Paged without IN, or with IN but no ORDER BY: accepted. A one-value IN is an EQ
    // (SingleColumnRelation.newINRestriction).
    for cql in [
        "SELECT c FROM pg WHERE p = 1 ORDER BY c DESC",
        "SELECT c FROM pg WHERE p IN (1) ORDER BY c DESC",
    ] {
        let r = rows_with(&mut db, cql, &paged(Some(100)));
        assert_eq!(int_rows(&r), vec![vec![3], vec![2], vec![1], vec![0]]);
    }
    let r = rows_with(
        &mut db,
        "SELECT p, count(*) FROM pg WHERE p IN (1, 2) GROUP BY p",
        &paged(Some(100)),
    );
    assert_eq!(int_rows(&r), vec![vec![1, 4], vec![2, 4]]);

    // Paging off: the groups are made first, then sorted (one row per partition).
    let unpaged = paged(None);
    let r = rows_with(
        &mut db,
        "SELECT p, count(*) FROM pg WHERE p IN (1, 2) GROUP BY p ORDER BY c DESC",
        &unpaged,
    );
    assert_eq!(int_rows(&r), vec![vec![1, 4], vec![2, 4]]);
    let r = rows_with(
        &mut db,
        "SELECT p, c, count(*) FROM pg WHERE p IN (1, 2) GROUP BY p, c ORDER BY c DESC LIMIT 3",
        &unpaged,
    );
    assert_eq!(
        int_rows(&r),
        vec![vec![1, 3, 1], vec![2, 3, 1], vec![1, 2, 1]]
    );
    let r = rows_with(
        &mut db,
        "SELECT count(*) FROM pg WHERE p IN (1, 2) ORDER BY c DESC",
        &unpaged,
    );
    assert_eq!(int_rows(&r), vec![vec![8]]);
    // LIMIT applies after the rows of both partitions are sorted.
    let r = rows_with(
        &mut db,
        "SELECT p, c FROM pg WHERE p IN (1, 2) ORDER BY c DESC LIMIT 3",
        &unpaged,
    );
    assert_eq!(int_rows(&r), vec![vec![1, 3], vec![2, 3], vec![1, 2]]);
}

#[test]
fn insert_and_conditional_write_messages() {
    let mut db = db();
    db.exec("CREATE TABLE users (id int PRIMARY KEY, name text)");
    db.exec("CREATE TABLE cl (p int, c int, v int, PRIMARY KEY (p, c))");
    db.exec("CREATE TABLE co (k int PRIMARY KEY, s set<int>, l list<int>, m map<int, int>)");
    check(
        &mut db,
        &[
            // UpdateStatement.ParsedInsert: counts, then duplicates, before column lookup.
            (
                "INSERT INTO users (id, name) VALUES (1)",
                "Unmatched column names/values",
            ),
            (
                "INSERT INTO users (id) VALUES (1, 'x')",
                "Unmatched column names/values",
            ),
            (
                "INSERT INTO users (id, id) VALUES (1, 1)",
                "The column names contains duplicates",
            ),
            (
                "INSERT INTO users (id, nope, nope) VALUES (1, 1, 1)",
                "The column names contains duplicates",
            ),
            // ModificationStatement.makeCasRequest.
            (
                "UPDATE users SET name = 'x' WHERE id IN (1, 2) IF name = 'y'",
                "IN on the partition key is not supported with conditional updates",
            ),
            (
                "DELETE FROM users WHERE id IN (1, 2) IF name = 'y'",
                "IN on the partition key is not supported with conditional deletions",
            ),
            (
                "DELETE FROM cl WHERE p = 1 AND c IN (1, 2) IF v = 1",
                "IN on the clustering key columns is not supported with conditional deletions",
            ),
            (
                "UPDATE cl SET v = 1 WHERE p = 1 AND c IN (1, 2) IF v = 1",
                "IN on the clustering key columns is not supported with conditional updates",
            ),
            // StatementRestrictions: the statement type ends the message.
            (
                "DELETE FROM cl WHERE p > 1",
                "Only EQ and IN relation are supported on the partition key (unless you use the token() function) for DELETE statements",
            ),
            // Lists/Sets/Maps.DelayedValue.bind: one message for every collection.
            (
                "INSERT INTO co (k, s) VALUES (1, {1, null})",
                "null is not supported inside collections",
            ),
            (
                "INSERT INTO co (k, l) VALUES (1, [null])",
                "null is not supported inside collections",
            ),
            (
                "INSERT INTO co (k, m) VALUES (1, {1: null})",
                "null is not supported inside collections",
            ),
        ],
    );
    // The valid forms still apply.
    db.exec("INSERT INTO users (id, name) VALUES (1, 'a')");
    db.exec("UPDATE users SET name = 'b' WHERE id = 1 IF name = 'a'");
    db.exec("DELETE FROM users WHERE id IN (1, 2)");
    assert!(db.rows("SELECT * FROM users").rows.is_empty());
}
