//! Engine tests of JSON support: `SELECT JSON`, `toJson()`, `INSERT JSON` (literal and
//! bound), `DEFAULT NULL` / `DEFAULT UNSET`, and Cassandra 4.1's messages.
#![allow(clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::api::{BoundValue, QueryParams, QueryResult};
use engine_common::*;

/// The `[json]` texts of a SELECT JSON.
fn json(db: &mut Db, cql: &str) -> Vec<String> {
    let r = db.rows(cql);
    assert_eq!(r.columns.len(), 1, "{cql}");
    assert_eq!(r.columns[0].name, "[json]");
    r.rows
        .into_iter()
        .map(|row| String::from_utf8(row[0].clone().expect("json is never null")).unwrap())
        .collect()
}

fn one(db: &mut Db, cql: &str) -> String {
    let mut rows = json(db, cql);
    assert_eq!(rows.len(), 1, "{cql}: {rows:?}");
    rows.remove(0)
}

#[test]
fn select_json_of_native_types() {
    let mut db = db();
    db.exec(
        "CREATE TABLE n (k int PRIMARY KEY, a ascii, bi bigint, b blob, bo boolean, d date, \
         de decimal, db double, du duration, f float, i inet, si smallint, t text, ti time, \
         ts timestamp, tu timeuuid, tn tinyint, u uuid, vi varint)",
    );
    db.exec(
        "INSERT INTO n (k, a, bi, b, bo, d, de, db, du, f, i, si, t, ti, ts, tu, tn, u, vi) \
         VALUES (1, 'asc', -9000000000, 0xcafe, true, '2011-02-03', 12.50, 2.5, 1h30m, 1.5, \
         '127.0.0.1', 7, 'he said \"hi\"\n', '04:05:06.123', '2011-02-03 04:05:00+0000', \
         50554d6e-29bb-11e5-b345-feff819cdc9f, -3, 123e4567-e89b-12d3-a456-426614174000, \
         123456789012345678901234567890)",
    );
    assert_eq!(
        one(&mut db, "SELECT JSON * FROM n"),
        "{\"k\": 1, \"a\": \"asc\", \"b\": \"0xcafe\", \"bi\": -9000000000, \"bo\": true, \
         \"d\": \"2011-02-03\", \"db\": 2.5, \"de\": 12.50, \"du\": \"1h30m\", \"f\": 1.5, \
         \"i\": \"127.0.0.1\", \"si\": 7, \"t\": \"he said \\\"hi\\\"\\n\", \
         \"ti\": \"04:05:06.123000000\", \"tn\": -3, \"ts\": \"2011-02-03 04:05:00.000Z\", \
         \"tu\": \"50554d6e-29bb-11e5-b345-feff819cdc9f\", \
         \"u\": \"123e4567-e89b-12d3-a456-426614174000\", \
         \"vi\": 123456789012345678901234567890}"
    );
    // Nulls, and Java's number formats.
    db.exec("INSERT INTO n (k, db, f, de) VALUES (2, 1e20, 0.0001, 1E+3)");
    assert_eq!(
        one(&mut db, "SELECT JSON db, f, de, t FROM n WHERE k = 2"),
        "{\"db\": 1.0E20, \"f\": 1.0E-4, \"de\": 1E+3, \"t\": null}"
    );
    // NaN and infinities have no JSON form: Cassandra prints null.
    db.exec("INSERT INTO n (k, db, f) VALUES (3, NaN, -Infinity)");
    assert_eq!(
        one(&mut db, "SELECT JSON db, f FROM n WHERE k = 3"),
        "{\"db\": null, \"f\": null}"
    );
    // An empty value of a non-string type is "".
    db.exec("INSERT INTO n (k, bi, b) VALUES (4, blobAsBigint(0x), 0x)");
    assert_eq!(
        one(&mut db, "SELECT JSON bi, b FROM n WHERE k = 4"),
        "{\"bi\": \"\", \"b\": \"0x\"}"
    );
}

#[test]
fn select_json_of_collections_tuples_and_udts() {
    let mut db = db();
    db.exec("CREATE TYPE addr (street text, \"Zip\" int)");
    db.exec(
        "CREATE TABLE c (k int PRIMARY KEY, l list<int>, s set<text>, m map<int, boolean>, \
         mt map<text, frozen<list<int>>>, tu tuple<int, text, double>, a addr, fa frozen<addr>)",
    );
    db.exec(
        "INSERT INTO c (k, l, s, m, mt, tu, a, fa) VALUES (1, [3, 1], {'b', 'a'}, \
         {2: true, 1: false}, {'x': [1]}, (1, null, 2.0), {street: 'Main'}, \
         {street: 'Elm', \"Zip\": 7})",
    );
    assert_eq!(
        one(&mut db, "SELECT JSON l, s, m, mt, tu, a, fa FROM c"),
        "{\"l\": [3, 1], \"s\": [\"a\", \"b\"], \"m\": {\"1\": false, \"2\": true}, \
         \"mt\": {\"x\": [1]}, \"tu\": [1, null, 2.0], \
         \"a\": {\"street\": \"Main\", \"\\\"Zip\\\"\": null}, \
         \"fa\": {\"street\": \"Elm\", \"\\\"Zip\\\"\": 7}}"
    );
}

#[test]
fn select_json_names_aliases_functions_and_paging() {
    let mut db = db();
    db.exec("CREATE TABLE p (k int, c int, \"Val\" text, v int, PRIMARY KEY (k, c))");
    for c in 0..5 {
        db.exec(&format!(
            "INSERT INTO p (k, c, \"Val\", v) VALUES (1, {c}, 'x{c}', {c})"
        ));
    }
    assert_eq!(
        json(
            &mut db,
            "SELECT JSON c AS \"Col\", \"Val\", v AS value FROM p WHERE k = 1 LIMIT 2"
        ),
        vec![
            "{\"\\\"Col\\\"\": 0, \"\\\"Val\\\"\": \"x0\", \"value\": 0}",
            "{\"\\\"Col\\\"\": 1, \"\\\"Val\\\"\": \"x1\", \"value\": 1}",
        ]
    );
    assert_eq!(
        one(&mut db, "SELECT JSON count(*), max(v) FROM p WHERE k = 1"),
        "{\"count\": 5, \"system.max(v)\": 4}"
    );
    assert_eq!(one(&mut db, "SELECT JSON DISTINCT k FROM p"), "{\"k\": 1}");
    assert_eq!(
        one(
            &mut db,
            "SELECT JSON writetime(v) AS w, toJson(c) FROM p WHERE k = 1 AND c = 3"
        )
        .split_once(", ")
        .unwrap()
        .1,
        "\"system.tojson(c)\": \"3\"}"
    );
    // Paging: two rows per page, the paging state carries on.
    let params = QueryParams {
        page_size: Some(2),
        ..QueryParams::default()
    };
    let QueryResult::Rows(first) = db
        .try_query("SELECT JSON c FROM p WHERE k = 1", &params)
        .unwrap()
    else {
        panic!("rows expected")
    };
    assert_eq!(first.rows.len(), 2);
    assert!(first.paging_state.is_some());
    let params = QueryParams {
        page_size: Some(2),
        paging_state: first.paging_state.clone(),
        ..QueryParams::default()
    };
    let QueryResult::Rows(second) = db
        .try_query("SELECT JSON c FROM p WHERE k = 1", &params)
        .unwrap()
    else {
        panic!("rows expected")
    };
    assert_eq!(second.rows[0][0], text("{\"c\": 2}"));
}

#[test]
fn to_json_selector() {
    let mut db = db();
    db.exec("CREATE TABLE t (k int PRIMARY KEY, m map<text, int>, v text)");
    db.exec("INSERT INTO t (k, m) VALUES (1, {'a': 1})");
    let r = db.rows("SELECT toJson(m), toJson(v), tojson(k) AS kk FROM t");
    let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["system.tojson(m)", "system.tojson(v)", "kk"]);
    assert_eq!(
        r.rows,
        vec![vec![text("{\"a\": 1}"), text("null"), text("1")]]
    );
    let e = db.err("SELECT toJson(k, v) FROM t");
    assert_eq!(e.message, "toJson() only accepts one argument (got 2)");
}

#[test]
fn select_json_prepared_metadata() {
    let mut db = db();
    db.exec("CREATE TABLE t (k int PRIMARY KEY, v text)");
    let p = db
        .engine
        .prepare(&db.session, "SELECT JSON * FROM t WHERE k = ?")
        .unwrap();
    let names: Vec<&str> = p.result.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["[json]"]);
    assert_eq!(p.bind[0].name, "k");
    let _ = BoundValue::Null;
}

#[test]
fn insert_json_round_trip_of_every_type() {
    let mut db = db();
    db.exec("CREATE TYPE pt (x int, \"Y\" text)");
    db.exec(
        "CREATE TABLE r (k int, c text, a ascii, bi bigint, b blob, bo boolean, d date, \
         de decimal, db double, du duration, f float, i inet, si smallint, ti time, \
         ts timestamp, tu timeuuid, tn tinyint, u uuid, vi varint, l list<int>, \
         s set<int>, m map<date, text>, tp tuple<int, text>, p pt, PRIMARY KEY (k, c))",
    );
    let doc = "{\"k\": 1, \"c\": \"x\", \"a\": \"asc\", \"bi\": 9000000000, \"b\": \"0xcafe\", \
         \"bo\": true, \"d\": \"2011-02-03\", \"de\": 12.50, \"db\": 2.5, \"du\": \"1h30m\", \
         \"f\": 1.5, \"i\": \"::1\", \"si\": 7, \"ti\": \"04:05:06.123000000\", \
         \"ts\": \"2011-02-03 04:05:00.000Z\", \"tu\": \"50554d6e-29bb-11e5-b345-feff819cdc9f\", \
         \"tn\": -3, \"u\": \"123e4567-e89b-12d3-a456-426614174000\", \
         \"vi\": 123456789012345678, \"l\": [3, 1], \"s\": [2, 1, 2], \
         \"m\": {\"2011-02-03\": \"v\"}, \"tp\": [1, null], \"p\": {\"x\": 1, \"\\\"Y\\\"\": \"y\"}}";
    db.exec(&format!("INSERT INTO r JSON '{doc}'"));
    assert_eq!(
        one(&mut db, "SELECT JSON * FROM r"),
        "{\"k\": 1, \"c\": \"x\", \"a\": \"asc\", \"b\": \"0xcafe\", \"bi\": 9000000000, \
         \"bo\": true, \"d\": \"2011-02-03\", \"db\": 2.5, \"de\": 12.5, \"du\": \"1h30m\", \
         \"f\": 1.5, \"i\": \"0:0:0:0:0:0:0:1\", \"l\": [3, 1], \"m\": {\"2011-02-03\": \"v\"}, \
         \"p\": {\"x\": 1, \"\\\"Y\\\"\": \"y\"}, \"s\": [1, 2], \"si\": 7, \
         \"ti\": \"04:05:06.123000000\", \"tn\": -3, \"tp\": [1, null], \
         \"ts\": \"2011-02-03 04:05:00.000Z\", \"tu\": \"50554d6e-29bb-11e5-b345-feff819cdc9f\", \
         \"u\": \"123e4567-e89b-12d3-a456-426614174000\", \"vi\": 123456789012345678}"
    );
    // Numbers given as strings, timestamps as longs, collections as nested JSON strings.
    db.exec(
        "INSERT INTO r JSON '{\"k\": \"2\", \"c\": \"y\", \"bi\": \"5\", \"db\": \"1.5\", \
         \"ts\": 1296705900000, \"l\": \"[4]\", \"bo\": \"FALSE\"}'",
    );
    assert_eq!(
        one(
            &mut db,
            "SELECT JSON k, bi, db, ts, l, bo FROM r WHERE k = 2"
        ),
        "{\"k\": 2, \"bi\": 5, \"db\": 1.5, \"ts\": \"2011-02-03 04:05:00.000Z\", \
         \"l\": [4], \"bo\": false}"
    );
}

#[test]
fn insert_json_keys_are_case_insensitive_unless_quoted() {
    let mut db = db();
    db.exec("CREATE TABLE q (k int PRIMARY KEY, \"Mixed\" int, lower int)");
    db.exec("INSERT INTO q JSON '{\"K\": 1, \"\\\"Mixed\\\"\": 2, \"LOWER\": 3}'");
    assert_eq!(
        one(&mut db, "SELECT JSON * FROM q"),
        "{\"k\": 1, \"\\\"Mixed\\\"\": 2, \"lower\": 3}"
    );
    let e = db.err("INSERT INTO q JSON '{\"k\": 1, \"Mixed\": 2}'");
    assert_eq!(
        e.message,
        "JSON values map contains unrecognized column: mixed"
    );
}

#[test]
fn insert_json_default_null_and_unset() {
    let mut db = db();
    db.exec("CREATE TABLE d (k int PRIMARY KEY, a int, b text)");
    db.exec("INSERT INTO d JSON '{\"k\": 1, \"a\": 1, \"b\": \"x\"}'");
    // DEFAULT UNSET leaves `b` alone.
    db.exec("INSERT INTO d JSON '{\"k\": 1, \"a\": 2}' DEFAULT UNSET");
    assert_eq!(
        one(&mut db, "SELECT JSON * FROM d"),
        "{\"k\": 1, \"a\": 2, \"b\": \"x\"}"
    );
    // DEFAULT NULL (the default) deletes it, and an explicit null always does.
    db.exec("INSERT INTO d JSON '{\"k\": 1, \"a\": 3}'");
    assert_eq!(
        one(&mut db, "SELECT JSON * FROM d"),
        "{\"k\": 1, \"a\": 3, \"b\": null}"
    );
    db.exec("INSERT INTO d JSON '{\"k\": 1, \"a\": null, \"b\": \"y\"}' DEFAULT UNSET");
    assert_eq!(
        one(&mut db, "SELECT JSON * FROM d"),
        "{\"k\": 1, \"a\": null, \"b\": \"y\"}"
    );
    db.exec("INSERT INTO d JSON '{\"k\": 1, \"a\": 4}' DEFAULT NULL");
    assert_eq!(
        one(&mut db, "SELECT JSON * FROM d"),
        "{\"k\": 1, \"a\": 4, \"b\": null}"
    );
}

#[test]
fn insert_json_with_using_and_if_not_exists() {
    let mut db = db();
    db.exec("CREATE TABLE u (k int PRIMARY KEY, v int)");
    db.exec("INSERT INTO u JSON '{\"k\": 1, \"v\": 1}' USING TTL 100 AND TIMESTAMP 42");
    let r = db.rows("SELECT ttl(v), writetime(v) FROM u WHERE k = 1");
    assert_eq!(r.rows, vec![vec![int(100), bigint(42)]]);
    let r = db.rows("INSERT INTO u JSON '{\"k\": 1, \"v\": 2}' IF NOT EXISTS");
    assert_eq!(r.columns[0].name, "[applied]");
    assert_eq!(r.rows[0][0], Some(vec![0]));
    let r = db.rows("INSERT INTO u JSON '{\"k\": 2, \"v\": 2}' IF NOT EXISTS");
    assert_eq!(r.rows[0][0], Some(vec![1]));
    assert_eq!(
        one(&mut db, "SELECT JSON v FROM u WHERE k = 2"),
        "{\"v\": 2}"
    );
}

#[test]
fn insert_json_prepared() {
    let mut db = db();
    db.exec("CREATE TABLE p (k int PRIMARY KEY, v text)");
    let p = db
        .engine
        .prepare(&db.session, "INSERT INTO p JSON ? USING TTL ?")
        .unwrap();
    let binds: Vec<(&str, String)> = p
        .bind
        .iter()
        .map(|c| (c.name.as_str(), c.ty.to_string()))
        .collect();
    assert_eq!(
        binds,
        [("[json]", "text".to_owned()), ("[ttl]", "int".to_owned())]
    );
    assert!(p.pk_indexes.is_empty());
    let run = |db: &mut Db, doc: BoundValue| {
        let params = QueryParams {
            values: cassmodel_embedded::api::BoundValues::Positional(vec![doc, val(int(50))]),
            ..QueryParams::default()
        };
        db.engine.execute(&mut db.session, &p.id, &params)
    };
    run(&mut db, val(text("{\"k\": 1, \"v\": \"a\"}"))).unwrap();
    run(&mut db, val(text("{\"v\": \"b\", \"k\": 2}"))).unwrap();
    assert_eq!(
        json(&mut db, "SELECT JSON k, v, ttl(v) FROM p"),
        vec![
            "{\"k\": 1, \"v\": \"a\", \"ttl(v)\": 50}",
            "{\"k\": 2, \"v\": \"b\", \"ttl(v)\": 50}"
        ]
    );
    let e = run(&mut db, BoundValue::Null).unwrap_err();
    assert_eq!(e.message, "Got null for INSERT JSON values");
    let e = run(&mut db, val(text("{\"k\": 1, \"v\": 1}"))).unwrap_err();
    assert_eq!(
        e.message,
        "Error decoding JSON value for v: Expected a UTF-8 string, but got a Integer: 1"
    );
}

#[test]
fn insert_json_errors() {
    let mut db = db();
    db.exec("CREATE TABLE e (k int, c int, v int, b blob, l list<int>, PRIMARY KEY (k, c))");
    let err = |db: &mut Db, doc: &str| db.err(&format!("INSERT INTO e JSON '{doc}'")).message;
    assert_eq!(
        err(&mut db, "{\"k\": 1, \"c\": 1, \"zzz\": 0}"),
        "JSON values map contains unrecognized column: zzz"
    );
    assert_eq!(err(&mut db, "null"), "Got null for INSERT JSON values");
    assert!(err(&mut db, "\"notamap\"").starts_with("Could not decode JSON string as a map: "),);
    let bad = err(&mut db, "{\"k\": 1,");
    assert!(
        bad.starts_with("Could not decode JSON string as a map: "),
        "{bad}"
    );
    assert!(bad.ends_with(". (String was: {\"k\": 1,)"), "{bad}");
    assert_eq!(
        err(&mut db, "{\"k\": 1, \"c\": 1, \"v\": \"notanint\"}"),
        "Error decoding JSON value for v: Unable to make int from 'notanint'"
    );
    assert_eq!(
        err(&mut db, "{\"k\": 1, \"c\": 1, \"v\": 1.5}"),
        "Error decoding JSON value for v: Expected an int value, but got a Double: 1.5"
    );
    assert_eq!(
        err(&mut db, "{\"k\": 1, \"c\": 1, \"v\": 3000000000}"),
        "Error decoding JSON value for v: Expected an int value, but got a Long: 3000000000"
    );
    assert_eq!(
        err(&mut db, "{\"k\": 1, \"c\": 1, \"b\": \"cafe\"}"),
        "Error decoding JSON value for b: Value 'cafe' is not a valid blob representation: String representation of blob is missing 0x prefix: cafe"
    );
    assert_eq!(
        err(&mut db, "{\"k\": 1, \"c\": 1, \"l\": [1, null]}"),
        "Error decoding JSON value for l: Invalid null element in list"
    );
    assert_eq!(
        err(&mut db, "{\"k\": 1, \"c\": 1, \"l\": {\"a\": 1}}"),
        "Error decoding JSON value for l: Expected a list, but got a LinkedHashMap: {a=1}"
    );
    // Missing key columns are null, as `INSERT ... VALUES (null, ...)`.
    assert_eq!(
        err(&mut db, "{\"k\": 1, \"v\": 1}"),
        db.err("INSERT INTO e (k, c, v) VALUES (1, null, 1)")
            .message
    );
    db.exec("CREATE TABLE cnt (k int PRIMARY KEY, n counter)");
    assert_eq!(
        db.err("INSERT INTO cnt JSON '{\"k\": 1}'").message,
        "INSERT statements are not allowed on counter tables, use UPDATE instead"
    );
}

#[test]
fn insert_json_tuples_varints_and_booleans_decode_as_cassandra() {
    let mut db = db();
    db.exec("CREATE TABLE tv (k int PRIMARY KEY, tp tuple<int, text>, vi varint, bo boolean)");
    let e = db
        .err("INSERT INTO tv JSON '{\"k\": 1, \"tp\": [5]}'")
        .message;
    assert!(
        e.starts_with("Error decoding JSON value for tp: Tuple is missing items (expected 2)"),
        "{e}"
    );
    let e = db
        .err("INSERT INTO tv JSON '{\"k\": 1, \"vi\": \"\"}'")
        .message;
    assert_eq!(
        e,
        "Error decoding JSON value for vi: Value '' is not a valid representation of a varint value"
    );
    // BooleanType.fromString reads "" as false.
    db.exec("INSERT INTO tv JSON '{\"k\": 2, \"bo\": \"\"}'");
    assert_eq!(
        one(&mut db, "SELECT JSON bo FROM tv WHERE k = 2"),
        "{\"bo\": false}"
    );
}

#[test]
fn from_json_terms_in_insert_update_and_where() {
    let mut db = db();
    db.exec("CREATE TABLE f (k int PRIMARY KEY, v int, t text, l list<int>, s set<int>, m map<text, int>)");
    db.exec(
        "INSERT INTO f (k, v, t, l, s, m) VALUES (fromJson('1'), fromJson('7'), \
         fromJson('\"h\\u00e9\"'), fromJson('[3, 1]'), fromJson('[3, 1, 3]'), \
         fromJson('{\"b\": 2, \"a\": 1}'))",
    );
    assert_eq!(
        one(
            &mut db,
            "SELECT JSON v, t, l, s, m FROM f WHERE k = fromJson('1')"
        ),
        "{\"v\": 7, \"t\": \"h\u{e9}\", \"l\": [3, 1], \"s\": [1, 3], \"m\": {\"a\": 1, \"b\": 2}}"
    );
    // A JSON string is accepted for numbers, as Int32Type.fromJSONObject parses it.
    db.exec("UPDATE f SET v = fromJson('\"8\"'), l = fromJson('[5]') WHERE k = fromJson('1')");
    assert_eq!(
        one(&mut db, "SELECT JSON v, l FROM f WHERE k = 1"),
        "{\"v\": 8, \"l\": [5]}"
    );
    // A null argument and a JSON null both give null.
    db.exec("UPDATE f SET v = fromJson(null), t = fromJson('null') WHERE k = 1");
    assert_eq!(
        one(
            &mut db,
            "SELECT JSON v, t FROM f WHERE k IN (fromJson('1'), fromJson('2'))"
        ),
        "{\"v\": null, \"t\": null}"
    );
}

#[test]
fn from_json_bound_argument() {
    let mut db = db();
    db.exec("CREATE TABLE f (k int PRIMARY KEY, v int)");
    let p = db
        .engine
        .prepare(
            &db.session,
            "INSERT INTO f (k, v) VALUES (fromJson(?), fromJson(?))",
        )
        .unwrap();
    assert_eq!(p.bind[0].name, "arg0(system.fromjson)");
    assert_eq!(p.bind[0].ty.to_string(), "text");
    let run = |db: &mut Db, values: Vec<BoundValue>| {
        let params = QueryParams {
            values: cassmodel_embedded::api::BoundValues::Positional(values),
            ..QueryParams::default()
        };
        db.engine.execute(&mut db.session, &p.id, &params)
    };
    run(&mut db, vec![val(text("4")), val(text("40"))]).unwrap();
    run(&mut db, vec![val(text("5")), BoundValue::Null]).unwrap();
    assert_eq!(
        json(&mut db, "SELECT JSON k, v FROM f WHERE k IN (4, 5)"),
        vec!["{\"k\": 4, \"v\": 40}", "{\"k\": 5, \"v\": null}"]
    );
    let e = run(&mut db, vec![val(text("6")), val(text("[1]"))]).unwrap_err();
    assert_eq!(e.code, cassmodel_embedded::ErrorCode::FunctionFailure);
    assert_eq!(
        e.message,
        "org.apache.cassandra.serializers.MarshalException: Expected an int value, but got a ArrayList: [1]"
    );
    let e = run(&mut db, vec![val(text("6")), BoundValue::Unset]).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            cassmodel_embedded::ErrorCode::Invalid,
            "Invalid unset value for argument in call to function fromjson"
        )
    );
}

#[test]
fn json_functions_outside_their_clause_are_refused() {
    let mut db = db();
    db.exec("CREATE TABLE o (k int PRIMARY KEY, v text)");
    assert_eq!(
        db.err("SELECT fromJson('1') FROM o").message,
        "fromJson() cannot be used in the selection clause of a SELECT statement"
    );
    assert_eq!(
        db.err("INSERT INTO o (k, v) VALUES (1, toJson(1))").message,
        "toJson() may only be used within the selection clause of SELECT statements"
    );
}

#[test]
fn from_json_failures_are_function_failures() {
    use cassmodel_embedded::error::ErrorExtra;
    let mut db = db();
    db.exec("CREATE TABLE f (k int PRIMARY KEY, v int)");
    let e = db.err("INSERT INTO f (k, v) VALUES (1, fromJson('{oops'))");
    assert_eq!(e.code, cassmodel_embedded::ErrorCode::FunctionFailure);
    assert!(
        e.message.starts_with(
            "execution of 'system.fromjson[text]' failed: Could not decode JSON string '{oops': com.fasterxml.jackson.core.JsonParseException: "
        ),
        "{}",
        e.message
    );
    assert_eq!(
        e.extra,
        ErrorExtra::FunctionFailure {
            keyspace: "system".into(),
            function: "fromjson".into(),
            arg_types: vec!["text".into()],
        }
    );
    let e = db.err("UPDATE f SET v = fromJson('\"x\"') WHERE k = 1");
    assert_eq!(e.code, cassmodel_embedded::ErrorCode::FunctionFailure);
    assert_eq!(
        e.message,
        "org.apache.cassandra.serializers.MarshalException: Unable to make int from 'x'"
    );
    // The argument is a text: a non-string constant is refused as for any text receiver.
    let e = db.err("INSERT INTO f (k, v) VALUES (1, fromJson(1))");
    assert_eq!(e.code, cassmodel_embedded::ErrorCode::Invalid);
    // Nothing was written by the failed statements.
    assert!(db.rows("SELECT * FROM f").rows.is_empty());
}
