//! Engine-level tests for Cassandra behaviours the conformance run found missing:
//! byte-conversion functions as terms (`C*: cql3/functions/BytesConversionFcts.java`).
#![allow(clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::ErrorCode;
use cassmodel_embedded::api::{BoundValues, QueryParams};
use engine_common::*;

#[test]
fn type_as_blob_stores_the_value_bytes() {
    let mut db = db();
    db.exec("CREATE TABLE b (k blob PRIMARY KEY, v blob)");
    db.exec("INSERT INTO b (k, v) VALUES (textAsBlob('key'), intAsBlob(7))");
    let r = db.rows("SELECT k, v FROM b WHERE k = textAsBlob('key')");
    assert_eq!(r.rows, vec![vec![text("key"), int(7)]]);
}

#[test]
fn blob_as_type_validates_the_bytes() {
    let mut db = db();
    db.exec("CREATE TABLE n (k int PRIMARY KEY, i int, s smallint, a ascii)");
    db.exec("INSERT INTO n (k, i) VALUES (1, blobAsInt(0x0000002a))");
    assert_eq!(
        db.rows("SELECT i FROM n WHERE k = 1").rows,
        vec![vec![int(42)]]
    );
    let e = db.err("INSERT INTO n (k, i) VALUES (1, blobAsInt(0x00002a))");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        e.message,
        "In call to function system.blobasint, value 0x00002a is not a valid binary representation for type int"
    );
    let e = db.err("INSERT INTO n (k, s) VALUES (1, blobAsSmallint(0x000001))");
    assert!(
        e.message
            .contains("not a valid binary representation for type smallint")
    );
    // Non-ASCII bytes are not an ascii value.
    let e = db.err("INSERT INTO n (k, a) VALUES (1, blobAsAscii(0xc3a9))");
    assert!(
        e.message
            .contains("not a valid binary representation for type ascii")
    );
}

#[test]
fn conversion_result_must_suit_the_receiver() {
    let mut db = db();
    db.exec("CREATE TABLE r (k int PRIMARY KEY, t text)");
    let e = db.err("INSERT INTO r (k, t) VALUES (1, intAsBlob(3))");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        e.message,
        "Type error: cannot assign result of function system.intasblob (type blob) to t (type text)"
    );
    // ascii is assignable to text.
    db.exec("INSERT INTO r (k, t) VALUES (1, blobAsAscii(0x6869))");
    assert_eq!(
        db.rows("SELECT t FROM r WHERE k = 1").rows,
        vec![vec![text("hi")]]
    );
}

#[test]
fn conversion_markers_take_the_argument_type() {
    let mut db = db();
    db.exec("CREATE TABLE m (k int PRIMARY KEY, v blob)");
    db.exec_with(
        "INSERT INTO m (k, v) VALUES (1, bigintAsBlob(?))",
        vec![val(bigint(5))],
    );
    assert_eq!(
        db.rows("SELECT v FROM m WHERE k = 1").rows,
        vec![vec![bigint(5)]]
    );
    let params = QueryParams {
        values: BoundValues::Positional(vec![val(int(5))]),
        ..QueryParams::default()
    };
    let e = db
        .try_query("INSERT INTO m (k, v) VALUES (1, bigintAsBlob(?))", &params)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Invalid);
}
