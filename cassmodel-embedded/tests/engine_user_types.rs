//! Engine tests for user types and tuples: values written before `ALTER TYPE ... ADD`
//! inside keys (`C*: db/marshal/TupleType.java` compareCustom: missing trailing fields are
//! nulls), unset values inside tuple and UDT literals (`C*: cql3/Tuples.java`,
//! `cql3/UserTypes.java`), tuple string constants (`TupleType.fromString`) and the
//! messages of field deletions and CONTAINS KEY on clustering columns.
#![allow(clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::api::{BoundValue, BoundValues, QueryParams};
use cassmodel_embedded::{CqlError, ErrorCode};
use engine_common::*;

/// The error of a statement with positional values that must fail.
fn err_with(db: &mut Db, cql: &str, values: Vec<BoundValue>) -> CqlError {
    let params = QueryParams {
        values: BoundValues::Positional(values),
        ..QueryParams::default()
    };
    db.try_query(cql, &params).unwrap_err()
}

/// A serialized tuple or UDT value from its fields.
fn fields(items: &[Option<Vec<u8>>]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    for f in items {
        match f {
            Some(v) => {
                out.extend_from_slice(&i32::try_from(v.len()).unwrap().to_be_bytes());
                out.extend_from_slice(v);
            }
            None => out.extend_from_slice(&(-1i32).to_be_bytes()),
        }
    }
    Some(out)
}

/// A serialized set from its elements.
fn set(items: &[Option<Vec<u8>>]) -> Option<Vec<u8>> {
    let mut out = i32::try_from(items.len()).unwrap().to_be_bytes().to_vec();
    for v in items {
        let v = v.as_ref().unwrap();
        out.extend_from_slice(&i32::try_from(v.len()).unwrap().to_be_bytes());
        out.extend_from_slice(v);
    }
    Some(out)
}

#[test]
fn a_clustering_udt_written_before_a_field_was_added_is_the_same_key() {
    let mut db = db();
    db.exec("CREATE TYPE label (word text)");
    db.exec("CREATE TABLE tags (p int, l frozen<label>, n int, PRIMARY KEY (p, l))");
    db.exec("INSERT INTO tags (p, l, n) VALUES (1, {word: 'oak'}, 10)");
    db.exec("ALTER TYPE label ADD weight int");
    db.exec("INSERT INTO tags (p, l, n) VALUES (1, {word: 'oak', weight: null}, 20)");
    db.exec("INSERT INTO tags (p, l, n) VALUES (1, {word: 'oak', weight: 3}, 30)");
    let oak = fields(&[text("oak"), None]);
    let heavy = fields(&[text("oak"), int(3)]);
    assert_eq!(
        db.rows("SELECT l, n FROM tags WHERE p = 1").rows,
        vec![vec![oak, int(20)], vec![heavy, int(30)]]
    );
    assert_eq!(
        db.rows("SELECT n FROM tags WHERE p = 1 AND l = {word: 'oak'}")
            .rows,
        vec![vec![int(20)]]
    );
}

#[test]
fn set_elements_written_before_a_field_was_added_still_decode() {
    let mut db = db();
    db.exec("CREATE TYPE point (x int)");
    db.exec("CREATE TABLE shapes (k int PRIMARY KEY, pts set<frozen<point>>)");
    db.exec("INSERT INTO shapes (k, pts) VALUES (1, {{x: 4}, {x: 8}})");
    db.exec("ALTER TYPE point ADD y int");
    db.exec("UPDATE shapes SET pts = pts + {{x: 4, y: 1}, {x: 8, y: null}} WHERE k = 1");
    assert_eq!(
        db.rows("SELECT pts FROM shapes WHERE k = 1").rows,
        vec![vec![set(&[
            fields(&[int(4), None]),
            fields(&[int(4), int(1)]),
            fields(&[int(8), None]),
        ])]]
    );
}

#[test]
fn unset_values_inside_tuple_and_udt_literals_are_refused() {
    let mut db = db();
    db.exec("CREATE TYPE pair (left int, right int)");
    db.exec("CREATE TABLE holders (k int PRIMARY KEY, t tuple<int, int>, p frozen<pair>)");
    let e = err_with(
        &mut db,
        "INSERT INTO holders (k, t) VALUES (1, (?, ?))",
        vec![val(int(1)), BoundValue::Unset],
    );
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(e.message, "Invalid unset value for tuple field number 1");
    let e = err_with(
        &mut db,
        "INSERT INTO holders (k, p) VALUES (1, {left: ?, right: ?})",
        vec![BoundValue::Unset, val(int(2))],
    );
    assert_eq!(
        e.message,
        "Invalid unset value for field 'left' of user defined type pair"
    );
}

#[test]
fn tuple_string_constants_follow_tuple_type_from_string() {
    let mut db = db();
    db.exec("CREATE TABLE notes (k int PRIMARY KEY, t frozen<tuple<int, text>>)");
    db.exec(r"INSERT INTO notes (k, t) VALUES (1, '5:a\:b')");
    db.exec("INSERT INTO notes (k, t) VALUES (2, '@:z')");
    db.exec("INSERT INTO notes (k, t) VALUES (3, '9')");
    assert_eq!(
        db.rows("SELECT t FROM notes WHERE k = 1").rows,
        vec![vec![fields(&[int(5), text("a:b")])]]
    );
    assert_eq!(
        db.rows("SELECT t FROM notes WHERE k = 2").rows,
        vec![vec![fields(&[None, text("z")])]]
    );
    assert_eq!(
        db.rows("SELECT t FROM notes WHERE k = 3").rows,
        vec![vec![fields(&[int(9)])]]
    );
    let e = db.err("INSERT INTO notes (k, t) VALUES (4, '1:x:y')");
    assert_eq!(
        e.message,
        "Invalid tuple literal: too many elements. Type frozen<tuple<int, text>> expects 2 but got 3"
    );
    // The constant is parsed before the key columns are checked.
    db.exec("CREATE TABLE pages (k int, c int, t frozen<tuple<int, text>>, PRIMARY KEY (k, c))");
    let e = db.err("INSERT INTO pages (k, t) VALUES (4, '1:x:y')");
    assert_eq!(
        e.message,
        "Invalid tuple literal: too many elements. Type frozen<tuple<int, text>> expects 2 but got 3"
    );
}

#[test]
fn nested_tuple_literals_with_too_many_components_name_the_component() {
    let mut db = db();
    db.exec("CREATE TABLE nests (k int PRIMARY KEY, t frozen<tuple<int, tuple<int, text>>>)");
    let e = db.err("INSERT INTO nests (k, t) VALUES (1, (2, (3, 'x', 4)))");
    assert_eq!(
        e.message,
        "Invalid tuple literal for t: component 1 is not of type frozen<tuple<int, text>>"
    );
}

#[test]
fn field_deletions_and_assignments_need_a_non_frozen_udt_column() {
    let mut db = db();
    db.exec("CREATE TYPE cell (v int)");
    db.exec("CREATE TABLE grid (k int PRIMARY KEY, f frozen<cell>, n int)");
    let e = db.err("DELETE n.v FROM grid WHERE k = 1");
    assert_eq!(
        e.message,
        "Invalid field deletion operation for non-UDT column n"
    );
    let e = db.err("DELETE f.nope FROM grid WHERE k = 1");
    assert_eq!(
        e.message,
        "Frozen UDT column f does not support field deletions"
    );
    let e = db.err("UPDATE grid SET n.v = 4 WHERE k = 1");
    assert_eq!(
        e.message,
        "Invalid operation (n.v = 4) for non-UDT column n"
    );
    let e = db.err("UPDATE grid SET f.v = 4 WHERE k = 1");
    assert_eq!(
        e.message,
        "Invalid operation (f.v = 4) for frozen UDT column f"
    );
}

#[test]
fn contains_key_on_a_clustering_list_names_the_column() {
    let mut db = db();
    db.exec("CREATE TABLE seqs (k int, s frozen<list<int>>, PRIMARY KEY (k, s))");
    let e = db.err("SELECT * FROM seqs WHERE s CONTAINS KEY 1 ALLOW FILTERING");
    assert_eq!(e.message, "Cannot use CONTAINS KEY on non-map column s");
}
