//! Engine tests of how Cassandra refuses WHERE relations: `!=` anywhere
//! (`C*: cql3/Relation.java` toRestriction), malformed `token()` arguments
//! (`C*: cql3/TokenRelation.java` toReceivers), nulls inside multi-column tuples and
//! multi-column relations merged with others on the same column
//! (`C*: cql3/restrictions/MultiColumnRestriction.java`).
#![allow(clippy::unwrap_used)]

mod engine_common;

use engine_common::*;

fn message(db: &mut Db, cql: &str) -> String {
    db.err(cql).message
}

#[test]
fn not_equal_is_refused_with_the_relation_text() {
    let mut db = db();
    db.exec("CREATE TABLE ne (id int, pos int, note int, PRIMARY KEY (id, pos))");
    assert_eq!(
        message(
            &mut db,
            "SELECT * FROM ne WHERE id = 1 AND note != 3 ALLOW FILTERING"
        ),
        "Unsupported \"!=\" relation: note != 3"
    );
    assert_eq!(
        message(&mut db, "SELECT * FROM ne WHERE id = 1 AND (pos) != (4)"),
        "Unsupported \"!=\" relation: (pos) != (4)"
    );
    assert_eq!(
        message(&mut db, "SELECT * FROM ne WHERE token(id) != 5"),
        "Unsupported \"!=\" relation: token(id) != 5"
    );
}

#[test]
fn token_arguments_are_checked_one_problem_at_a_time() {
    let mut db = db();
    db.exec("CREATE TABLE tk (x int, y int, z int, PRIMARY KEY ((x, y)))");
    for (cql, expected) in [
        (
            "SELECT * FROM tk WHERE token(x) > 0",
            "The token() function must be applied to all partition key components or none of them",
        ),
        (
            "SELECT * FROM tk WHERE token(x, y, x) > 0",
            "The token() function contains duplicate partition key components",
        ),
        (
            "SELECT * FROM tk WHERE token(x, y, z) > 0",
            "The token() function must contains only partition key components",
        ),
        (
            "SELECT * FROM tk WHERE token(y, x) > 0",
            "The token function arguments must be in the partition key order: x, y",
        ),
    ] {
        assert_eq!(message(&mut db, cql), expected, "{cql}");
    }
}

#[test]
fn nulls_in_multi_column_tuples_name_their_columns() {
    let mut db = db();
    db.exec("CREATE TABLE mc (h int, r1 int, r2 int, PRIMARY KEY (h, r1, r2))");
    assert_eq!(
        message(
            &mut db,
            "SELECT * FROM mc WHERE h = 0 AND (r1, r2) IN ((1, 2), (3, null))"
        ),
        "Invalid null value in condition for columns: [r1, r2]"
    );
    assert_eq!(
        message(
            &mut db,
            "SELECT * FROM mc WHERE h = 0 AND (r1, r2) > (1, null)"
        ),
        "Invalid null value in condition for column r2"
    );
}

#[test]
fn multi_column_relations_merge_like_single_column_ones() {
    let mut db = db();
    db.exec("CREATE TABLE mm (h int, r int, v int, PRIMARY KEY (h, r))");
    assert_eq!(
        message(
            &mut db,
            "SELECT * FROM mm WHERE h = 0 AND (r) = (1) AND (r) < (5)"
        ),
        "r cannot be restricted by more than one relation if it includes an Equal"
    );
    assert_eq!(
        message(
            &mut db,
            "SELECT * FROM mm WHERE h = 0 AND (r) IN ((1)) AND (r) = (2)"
        ),
        "r cannot be restricted by more than one relation if it includes a IN"
    );
    assert_eq!(
        message(
            &mut db,
            "SELECT * FROM mm WHERE h = 0 AND (r) < (1) AND (r) <= (2)"
        ),
        "More than one restriction was found for the end bound on r"
    );
    db.exec("INSERT INTO mm (h, r, v) VALUES (0, 3, 30)");
    let r = db.rows("SELECT v FROM mm WHERE h = 0 AND (r) > (1) AND (r) < (5)");
    assert_eq!(r.rows, vec![vec![int(30)]]);
}

#[test]
fn aggregates_are_no_values() {
    let mut db = db();
    db.exec("CREATE TABLE ag (id int PRIMARY KEY, n int)");
    for cql in [
        "SELECT * FROM ag WHERE id = max((int)3)",
        "INSERT INTO ag (id, n) VALUES (1, sum((int)2))",
    ] {
        assert_eq!(
            message(&mut db, cql),
            "Aggregation function are not supported in the where clause",
            "{cql}"
        );
    }
}
