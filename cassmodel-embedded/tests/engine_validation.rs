//! Values Cassandra 4.1 validates: bound values (`TypeSerializer.validate`), `blobAs<type>`
//! arguments, and the 65535-byte limit on each key component.
#![allow(clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::api::{BoundValue, BoundValues, QueryParams, QueryResult};
use cassmodel_embedded::{CqlError, ErrorCode};
use engine_common::*;

fn bind_err(db: &mut Db, cql: &str, values: Vec<BoundValue>) -> CqlError {
    let params = QueryParams {
        values: BoundValues::Positional(values),
        ..QueryParams::default()
    };
    match db.try_query(cql, &params) {
        Ok(r) => panic!("{cql}: expected an error, got {r:?}"),
        Err(e) => e,
    }
}

fn assert_invalid(e: &CqlError, message: &str) {
    assert_eq!(e.code, ErrorCode::Invalid, "{e}");
    assert_eq!(e.message, message);
}

fn b(bytes: &[u8]) -> BoundValue {
    BoundValue::Value(bytes.to_vec())
}

#[test]
fn bound_values_are_validated_like_cassandra_serializers() {
    let mut db = db();
    db.exec(
        "CREATE TABLE v (k int PRIMARY KEY, tu timeuuid, de decimal, du duration, ti time, \
         t text, a ascii, ip inet, lt list<timeuuid>, m map<int, decimal>, tup tuple<int, duration>)",
    );
    let k = b(&1i32.to_be_bytes());
    // A random (version 4) UUID is not a TimeUUID (TimeUUIDSerializer).
    let v4 = [
        0x9b, 0x2c, 0x1e, 0x4f, 0x3a, 0x11, 0x4c, 0x2d, 0x8e, 0x7f, 0x01, 0x23, 0x45, 0x67, 0x89,
        0xab,
    ];
    let cases: Vec<(&str, BoundValue, &str)> = vec![
        ("tu", b(&v4), "Invalid version for TimeUUID type."),
        ("tu", b(&[1; 5]), "UUID should be 16 or 0 bytes (5)"),
        ("de", b(&[1]), "Expected 0 or at least 4 bytes (1)"),
        ("de", b(&[0, 0, 1]), "Expected 0 or at least 4 bytes (3)"),
        (
            "du",
            b(&[2, 2]),
            "Expected at least 3 bytes for a duration (2)",
        ),
        ("du", b(&[]), "Expected at least 3 bytes for a duration (0)"),
        ("ti", b(&[0; 7]), "Expected 8 byte long for time (7)"),
        ("t", b(&[0xC3, 0x28]), "String didn't validate."),
        ("a", b(&[b'a', 0xC3]), "Invalid byte for ascii: -61"),
        (
            "ip",
            b(&[1, 2, 3, 4, 5]),
            "Expected 4 or 16 byte inetaddress; got 0x0102030405",
        ),
        (
            "lt",
            b(&[&1i32.to_be_bytes()[..], &16i32.to_be_bytes(), &v4].concat()),
            "Invalid version for TimeUUID type.",
        ),
        (
            "m",
            b(&[
                &1i32.to_be_bytes()[..],
                &4i32.to_be_bytes(),
                &7i32.to_be_bytes(),
                &2i32.to_be_bytes(),
                &[0, 1],
            ]
            .concat()),
            "Expected 0 or at least 4 bytes (2)",
        ),
        (
            "tup",
            b(&[
                &4i32.to_be_bytes()[..],
                &[0, 0, 0, 1],
                &1i32.to_be_bytes(),
                &[0],
            ]
            .concat()),
            "Expected at least 3 bytes for a duration (1)",
        ),
    ];
    for (col, value, message) in cases {
        let cql = format!("INSERT INTO v (k, {col}) VALUES (?, ?)");
        let e = bind_err(&mut db, &cql, vec![k.clone(), value]);
        assert_invalid(&e, message);
    }
    // Nothing above was stored.
    let rows = db.rows("SELECT * FROM v");
    assert!(rows.rows.is_empty(), "{:?}", rows.rows);

    // TimeSerializer.validate checks the length only: a time past one day is stored.
    db.exec_with(
        "INSERT INTO v (k, ti, tu) VALUES (?, ?, ?)",
        vec![
            k.clone(),
            b(&86_400_000_000_000i64.to_be_bytes()),
            b(&[
                0x5e, 0x1f, 0x6a, 0x80, 0x1d, 0x4f, 0x11, 0xee, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
                0x00, 0x01,
            ]),
        ],
    );
    assert_eq!(db.rows("SELECT ti FROM v WHERE k = 1").rows.len(), 1);
}

#[test]
fn blob_as_type_refuses_invalid_bytes() {
    let mut db = db();
    db.exec("CREATE TABLE f (k int PRIMARY KEY, bl blob, b2 blob, ok blob)");
    db.exec("INSERT INTO f (k, bl, b2, ok) VALUES (1, 0xcafebabe, 0x6869, 0x6869)");
    let e = db.err("SELECT blobAsText(bl) FROM f WHERE k = 1");
    assert_invalid(
        &e,
        "In call to function system.blobastext, value 0xcafebabe is not a valid binary representation for type text",
    );
    let e = db.err("SELECT blobAsInt(b2) FROM f WHERE k = 1");
    assert_invalid(
        &e,
        "In call to function system.blobasint, value 0x6869 is not a valid binary representation for type int",
    );
    // Valid bytes convert; a null stays null.
    let r = db.rows("SELECT blobAsText(ok) FROM f WHERE k = 1");
    assert_eq!(r.rows, vec![vec![Some(b"hi".to_vec())]]);
    db.exec("INSERT INTO f (k) VALUES (2)");
    let r = db.rows("SELECT blobAsInt(b2) FROM f WHERE k = 2");
    assert_eq!(r.rows, vec![vec![None]]);
}

#[test]
fn prepared_insert_result_is_void() {
    // Guards the helper: a valid bound row is accepted.
    let mut db = db();
    db.exec("CREATE TABLE p (k int PRIMARY KEY, de decimal)");
    let r = db.exec_with(
        "INSERT INTO p (k, de) VALUES (?, ?)",
        vec![val(int(1)), b(&[0, 0, 0, 1, 5])],
    );
    assert!(matches!(r, QueryResult::Void), "{r:?}");
}

fn t(s: String) -> BoundValue {
    BoundValue::Value(s.into_bytes())
}

#[test]
fn key_components_are_limited_to_65535_bytes_each() {
    let mut db = db();
    db.exec("CREATE TABLE big (k text, c text, v int, PRIMARY KEY (k, c))");
    db.exec("CREATE TABLE comp (k1 text, k2 text, v int, PRIMARY KEY ((k1, k2)))");
    let ins = "INSERT INTO big (k, c, v) VALUES (?, ?, 1)";
    let key_too_long = |n: usize| format!("Key length of {n} is longer than maximum of 65535");
    // Cassandra's per-component limits (QueryProcessor.validateKey, validateClustering).
    let e = bind_err(&mut db, ins, vec![t("k".repeat(70_000)), t("c".into())]);
    assert_invalid(&e, &key_too_long(70_000));
    let e = bind_err(&mut db, ins, vec![t("k".into()), t("c".repeat(70_000))]);
    assert_invalid(&e, &key_too_long(70_000));
    let e = bind_err(
        &mut db,
        "INSERT INTO comp (k1, k2, v) VALUES (?, ?, 1)",
        vec![t("a".repeat(40_000)), t("b".repeat(40_000))],
    );
    assert_invalid(&e, &key_too_long(80_006));
    // Within those limits, a row whose combined storage key is too long for the storage
    // engine is an InvalidRequest naming that limit (never a server error or a panic)...
    let e = bind_err(
        &mut db,
        ins,
        vec![t("k".repeat(65_000)), t("c".repeat(30_000))],
    );
    assert_eq!(e.code, ErrorCode::Invalid, "{e}");
    assert!(
        e.message.contains("storage engine") && e.message.contains("65535"),
        "{e}"
    );
    // ...and every row that fits is stored and read back.
    db.exec_with(ins, vec![t("k".repeat(40_000)), t("c".repeat(25_000))]);
    let r = db.exec_with("SELECT c FROM big WHERE k = ?", vec![t("k".repeat(40_000))]);
    let QueryResult::Rows(r) = r else {
        panic!("{r:?}")
    };
    assert_eq!(r.rows, vec![vec![Some("c".repeat(25_000).into_bytes())]]);
}

#[test]
fn reads_with_over_long_keys_are_refused_or_empty() {
    let mut db = db();
    db.exec("CREATE TABLE big (k text, c text, v int, PRIMARY KEY (k, c))");
    db.exec("INSERT INTO big (k, c, v) VALUES ('z', 'b', 1)");
    db.exec("INSERT INTO big (k, c, v) VALUES ('z', 'd', 2)");
    // SelectStatement validates each partition key (QueryProcessor.validateKey).
    let e = bind_err(
        &mut db,
        "SELECT c FROM big WHERE k = ?",
        vec![t("k".repeat(70_000))],
    );
    assert_invalid(&e, "Key length of 70000 is longer than maximum of 65535");
    let e = bind_err(
        &mut db,
        "SELECT c FROM big WHERE k IN ('z', ?)",
        vec![t("k".repeat(70_000))],
    );
    assert_invalid(&e, "Key length of 70000 is longer than maximum of 65535");
    // Clustering values are not validated on reads: an over-long one matches nothing, and
    // slices bounded by one select the right rows.
    let long = "c".repeat(70_000);
    let sel = |db: &mut Db, cql: &str| match db.exec_with(cql, vec![t(long.clone())]) {
        QueryResult::Rows(r) => r.rows,
        other => panic!("{other:?}"),
    };
    assert!(sel(&mut db, "SELECT c FROM big WHERE k = 'z' AND c = ?").is_empty());
    assert_eq!(
        sel(&mut db, "SELECT c FROM big WHERE k = 'z' AND c > ?"),
        vec![vec![Some(b"d".to_vec())]]
    );
    assert_eq!(
        sel(&mut db, "SELECT c FROM big WHERE k = 'z' AND c <= ?"),
        vec![vec![Some(b"b".to_vec())]]
    );
    assert!(sel(&mut db, "SELECT c FROM big WHERE k = 'z' AND c IN ('a', ?)").is_empty());
    // A DELETE of such a row is refused like the write (validateClustering).
    let e = bind_err(
        &mut db,
        "DELETE FROM big WHERE k = 'z' AND c = ?",
        vec![t(long.clone())],
    );
    assert_invalid(&e, "Key length of 70000 is longer than maximum of 65535");
}

/// Null and unset bind values where a collection element or a limit is expected: the messages of
/// `Maps.SetterByKey`/`DiscarderByKey`, `Lists.SetterByIndex`/`DiscarderByIndex`,
/// `Sets.ElementDiscarder` and `SelectStatement.getLimit` (one method for both limits).
#[test]
fn null_and_unset_element_keys_and_limits() {
    let mut db = db();
    db.exec("CREATE TABLE nl (k int PRIMARY KEY, m map<int, text>, l list<text>, s set<text>)");
    db.exec("INSERT INTO nl (k, m, l, s) VALUES (1, {1: 'a'}, ['x', 'y'], {'', 'b'})");
    let k = b(&1i32.to_be_bytes());
    let one = b(&1i32.to_be_bytes());
    let txt = b(b"v");
    let cases: Vec<(&str, Vec<BoundValue>, &str)> = vec![
        (
            "UPDATE nl SET m[?] = ? WHERE k = ?",
            vec![BoundValue::Null, txt.clone(), k.clone()],
            "Invalid null map key",
        ),
        (
            "UPDATE nl SET m[?] = ? WHERE k = ?",
            vec![BoundValue::Unset, txt.clone(), k.clone()],
            "Invalid unset map key",
        ),
        // The key is checked even when the value is unset.
        (
            "UPDATE nl SET m[?] = ? WHERE k = ?",
            vec![BoundValue::Null, BoundValue::Unset, k.clone()],
            "Invalid null map key",
        ),
        (
            "DELETE m[?] FROM nl WHERE k = ?",
            vec![BoundValue::Null, k.clone()],
            "Invalid null map key",
        ),
        (
            "DELETE m[?] FROM nl WHERE k = ?",
            vec![BoundValue::Unset, k.clone()],
            "Invalid unset map key",
        ),
        (
            "UPDATE nl SET l[?] = ? WHERE k = ?",
            vec![BoundValue::Null, txt.clone(), k.clone()],
            "Invalid null value for list index",
        ),
        (
            "UPDATE nl SET l[?] = ? WHERE k = ?",
            vec![BoundValue::Unset, txt.clone(), k.clone()],
            "Invalid unset value for list index",
        ),
        (
            "DELETE l[?] FROM nl WHERE k = ?",
            vec![BoundValue::Null, k.clone()],
            "Invalid null value for list index",
        ),
        (
            "DELETE s[?] FROM nl WHERE k = ?",
            vec![BoundValue::Null, k.clone()],
            "Invalid null set element",
        ),
        (
            "SELECT * FROM nl LIMIT ?",
            vec![BoundValue::Null],
            "Invalid null value of limit",
        ),
        (
            "SELECT * FROM nl PER PARTITION LIMIT ?",
            vec![BoundValue::Null],
            "Invalid null value of limit",
        ),
        (
            "SELECT * FROM nl PER PARTITION LIMIT ?",
            vec![b(&0i32.to_be_bytes())],
            "LIMIT must be strictly positive",
        ),
    ];
    for (cql, values, message) in cases {
        let e = bind_err(&mut db, cql, values);
        assert_invalid(&e, message);
    }
    // Nothing above changed the row.
    let before = db.rows("SELECT m, l, s FROM nl WHERE k = 1").rows;
    // An unset list index in DELETE is a no-op; an unset limit is no limit.
    db.exec_with(
        "DELETE l[?] FROM nl WHERE k = ?",
        vec![BoundValue::Unset, k.clone()],
    );
    let params = QueryParams {
        values: BoundValues::Positional(vec![BoundValue::Unset]),
        ..QueryParams::default()
    };
    match db.try_query("SELECT * FROM nl LIMIT ?", &params).unwrap() {
        QueryResult::Rows(r) => assert_eq!(r.rows.len(), 1),
        other => panic!("{other:?}"),
    }
    // Sets.ElementDiscarder does not check unset: its empty bytes delete the '' element.
    db.exec_with(
        "DELETE s[?] FROM nl WHERE k = ?",
        vec![BoundValue::Unset, k.clone()],
    );
    let after = db.rows("SELECT m, l, s FROM nl WHERE k = 1").rows;
    assert_eq!(before[0][..2], after[0][..2]);
    assert_ne!(before[0][2], after[0][2]);
    db.exec_with("UPDATE nl SET s = s - {'b'} WHERE k = ?", vec![k.clone()]);
    assert_eq!(db.rows("SELECT s FROM nl WHERE k = 1").rows[0][0], None);
    // A valid index with an unset value writes nothing.
    db.exec_with(
        "UPDATE nl SET l[?] = ? WHERE k = ?",
        vec![one, BoundValue::Unset, k],
    );
    assert_eq!(
        db.rows("SELECT l FROM nl WHERE k = 1").rows[0],
        after[0][1..2]
    );
    // SetterByIndex checks the list before looking at the value: an unset value does not
    // excuse a missing list.
    let e = bind_err(
        &mut db,
        "UPDATE nl SET l[?] = ? WHERE k = ?",
        vec![
            b(&0i32.to_be_bytes()),
            BoundValue::Unset,
            b(&2i32.to_be_bytes()),
        ],
    );
    assert_invalid(&e, "Attempted to set an element on a list which is null");
}
