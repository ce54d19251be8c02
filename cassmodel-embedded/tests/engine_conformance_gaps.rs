//! Engine-level tests for Cassandra behaviours the conformance run found missing:
//! byte-conversion functions as terms (`C*: cql3/functions/BytesConversionFcts.java`), and
//! more found since.
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

// Multi-column relations in writes (`C*: cql3/MultiColumnRelation.java`,
// `cql3/statements/DeleteStatement.java`).

#[test]
fn multi_column_equality_deletes_and_updates_one_row() {
    let mut db = db();
    db.exec("CREATE TABLE mc (k int, a int, b int, v int, PRIMARY KEY (k, a, b))");
    for (a, b) in [(1, 1), (1, 2), (2, 1)] {
        db.exec(&format!(
            "INSERT INTO mc (k, a, b, v) VALUES (0, {a}, {b}, 0)"
        ));
    }
    db.exec("DELETE FROM mc WHERE k = 0 AND (a, b) = (1, 2)");
    db.exec("UPDATE mc SET v = 9 WHERE k = 0 AND (a, b) = (2, 1)");
    let r = db.rows("SELECT a, b, v FROM mc WHERE k = 0");
    assert_eq!(
        r.rows,
        vec![vec![int(1), int(1), int(0)], vec![int(2), int(1), int(9)]]
    );
    // A one-column tuple slice deletes a range.
    db.exec("DELETE FROM mc WHERE k = 0 AND (a) >= (2)");
    let r = db.rows("SELECT a, b FROM mc WHERE k = 0");
    assert_eq!(r.rows, vec![vec![int(1), int(1)]]);
    db.exec("DELETE FROM mc WHERE k = 0 AND (a) IN ((1), (5))");
    assert!(db.rows("SELECT a FROM mc WHERE k = 0").rows.is_empty());
}

#[test]
fn multi_column_relation_receivers_are_checked() {
    let mut db = db();
    db.exec("CREATE TABLE mr (k int, a int, b int, v int, PRIMARY KEY (k, a, b))");
    let e = db.err("DELETE FROM mr WHERE (k, a) = (0, 1)");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        e.message,
        "Multi-column relations can only be applied to clustering columns but was applied to: k"
    );
    let e = db.err("DELETE FROM mr WHERE k = 0 AND (a, b) = (1, 2, 3)");
    assert_eq!(
        e.message,
        "Expected 2 elements in value tuple, but got 3: (1, 2, 3)"
    );
    let e = db.err("UPDATE mr SET v = 1 WHERE k = 0 AND (b, a) = (1, 2)");
    assert!(
        e.message
            .starts_with("Clustering columns may not be skipped"),
        "{}",
        e.message
    );
}

// Scalar functions in selections (`C*: cql3/functions/BytesConversionFcts.java`,
// `TimeFcts.java`).

#[test]
fn conversion_functions_in_a_selection() {
    let mut db = db();
    db.exec("CREATE TABLE s (k int PRIMARY KEY, i int, b blob)");
    db.exec("INSERT INTO s (k, i, b) VALUES (1, 258, 0x00000007)");
    let r = db.rows("SELECT intAsBlob(i), blobAsInt(b) AS n FROM s WHERE k = 1");
    let names: Vec<_> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["system.intasblob(i)", "n"]);
    assert_eq!(r.columns[0].ty.to_string(), "blob");
    assert_eq!(r.columns[1].ty.to_string(), "int");
    assert_eq!(r.rows, vec![vec![int(258), int(7)]]);
    let e = db.err("SELECT intAsBlob(b) FROM s WHERE k = 1");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        e.message,
        "Type error: b cannot be passed as argument 0 of function system.intasblob of type int"
    );
    let e = db.err("SELECT intAsBlob(i, i) FROM s WHERE k = 1");
    assert_eq!(
        e.message,
        "Invalid number of arguments in call to function system.intasblob: 1 required but 2 provided"
    );
}

#[test]
fn time_functions_in_a_selection() {
    let mut db = db();
    db.exec("CREATE TABLE tf (k int PRIMARY KEY, u timeuuid, ts timestamp, d date)");
    // 2021-01-01T00:00:01.500Z, 18628 days after the epoch.
    db.exec(
        "INSERT INTO tf (k, u, ts, d) VALUES (1, now(), '2021-01-01 00:00:01.500+0000', '2021-01-01')",
    );
    let r = db.rows(
        "SELECT toUnixTimestamp(ts), toDate(ts), toTimestamp(d), toUnixTimestamp(d) FROM tf WHERE k = 1",
    );
    let day: u32 = (1u32 << 31) + 18628;
    assert_eq!(
        r.rows,
        vec![vec![
            bigint(1_609_459_201_500),
            Some(day.to_be_bytes().to_vec()),
            bigint(1_609_459_200_000),
            bigint(1_609_459_200_000)
        ]]
    );
    // A timeuuid from now() converts to about the current time.
    let r = db.rows("SELECT unixTimestampOf(u), dateOf(u) FROM tf WHERE k = 1");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let got = i64::from_be_bytes(r.rows[0][0].clone().unwrap().try_into().unwrap());
    assert!((now - got).abs() < 60_000, "{now} vs {got}");
    assert_eq!(r.rows[0][0], r.rows[0][1]);
    let e = db.err("SELECT dateOf(ts) FROM tf WHERE k = 1");
    assert_eq!(e.code, ErrorCode::Invalid);
}

#[test]
fn time_functions_as_terms() {
    let mut db = db();
    db.exec("CREATE TABLE tt (a int, b timestamp, c bigint, d varint, u timeuuid, PRIMARY KEY (a, b, c, d))");
    // Results go to compatible receivers (TimestampType/LongType/IntegerType).
    db.exec(
        "INSERT INTO tt (a, b, c, d) VALUES (0, toUnixTimestamp(now()), toTimestamp(now()), dateOf(now()))",
    );
    assert_eq!(
        db.rows("SELECT a FROM tt WHERE a = 0 AND b <= toUnixTimestamp(now())")
            .rows
            .len(),
        1
    );
    // minTimeuuid/maxTimeuuid bound every timeuuid of their millisecond.
    db.exec(
        "INSERT INTO tt (a, b, c, d, u) VALUES (1, 0, 0, 0, minTimeuuid('2021-01-01 00:00:01.500+0000'))",
    );
    let r = db.rows("SELECT unixTimestampOf(u) FROM tt WHERE a = 1");
    assert_eq!(r.rows, vec![vec![bigint(1_609_459_201_500)]]);
    db.exec(
        "UPDATE tt SET u = maxTimeuuid('2021-01-01 00:00:01.500+0000') WHERE a = 1 AND b = 0 AND c = 0 AND d = 0",
    );
    let r = db.rows("SELECT toUnixTimestamp(u) FROM tt WHERE a = 1");
    assert_eq!(r.rows, vec![vec![bigint(1_609_459_201_500)]]);
    let e = db.err("INSERT INTO tt (a, b, c, d, u) VALUES (2, 0, 0, 0, toDate(now()))");
    assert_eq!(
        e.message,
        "Type error: cannot assign result of function system.todate (type date) to u (type timeuuid)"
    );
}

// `C*: cql3/statements/SelectStatement.java` validateDistinctSelection: only a key range
// must select every partition-key column.
#[test]
fn distinct_statics_of_named_partitions() {
    let mut db = db();
    db.exec("CREATE TABLE ds (p int, c int, s int STATIC, PRIMARY KEY (p, c))");
    db.exec("INSERT INTO ds (p, c, s) VALUES (0, 0, 10)");
    db.exec("INSERT INTO ds (p, c, s) VALUES (1, 0, 11)");
    let r = db.rows("SELECT DISTINCT s FROM ds WHERE p IN (0, 1)");
    assert_eq!(r.rows, vec![vec![int(10)], vec![int(11)]]);
    let e = db.err("SELECT DISTINCT s FROM ds");
    assert_eq!(
        e.message,
        "SELECT DISTINCT queries must request all the partition key columns (missing p)"
    );
}

#[test]
fn contains_on_key_columns_of_a_write_is_refused() {
    let mut db = db();
    db.exec("CREATE TABLE ck (a int, b frozen<map<int, int>>, c int, PRIMARY KEY (a, b))");
    let e = db.err("DELETE FROM ck WHERE a = 1 AND b CONTAINS 1");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        e.message,
        "Cannot restrict clustering columns by a CONTAINS relation without a secondary index or filtering"
    );
    let e = db.err("DELETE FROM ck WHERE a CONTAINS 1");
    assert_eq!(e.message, "Cannot use CONTAINS on non-collection column a");
    let e = db.err("UPDATE ck SET c = 1 WHERE a = 1 AND b CONTAINS KEY 1");
    assert!(e.message.contains("CONTAINS"), "{}", e.message);
}

// `token` in a selection is a function of the partition-key types (`C*: TokenFct.java`).
#[test]
fn token_selector_arguments_are_checked() {
    let mut db = db();
    db.exec("CREATE TABLE tk (k1 uuid, k2 text, PRIMARY KEY ((k1, k2)))");
    let e = db.err("SELECT token(k1) FROM tk");
    assert_eq!(
        e.message,
        "Invalid number of arguments in call to function system.token: 2 required but 1 provided"
    );
    let e = db.err("SELECT token(k2, k1) FROM tk");
    assert_eq!(
        e.message,
        "Type error: k2 cannot be passed as argument 0 of function system.token of type uuid"
    );
    assert!(db.rows("SELECT token(k1, k2) FROM tk").rows.is_empty());
}

// `C*: cql3/restrictions/StatementRestrictions.java`: a write of static columns only may
// not restrict clustering columns, for DELETE as for UPDATE.
#[test]
fn static_only_delete_with_clustering_is_refused() {
    let mut db = db();
    db.exec("CREATE TABLE sd (p int, c int, s int STATIC, v int, PRIMARY KEY (p, c))");
    db.exec("INSERT INTO sd (p, c, s, v) VALUES (0, 0, 1, 2)");
    let e = db.err("DELETE s FROM sd WHERE p = 0 AND c = 0");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        e.message,
        "Invalid restrictions on clustering columns since the DELETE statement modifies only static columns"
    );
    let e = db.err("UPDATE sd SET s = 3 WHERE p = 0 AND c = 0");
    assert_eq!(
        e.message,
        "Invalid restrictions on clustering columns since the UPDATE statement modifies only static columns"
    );
    db.exec("DELETE s FROM sd WHERE p = 0");
    assert_eq!(
        db.rows("SELECT s, v FROM sd WHERE p = 0").rows,
        vec![vec![None, int(2)]]
    );
}

// `C*: cql3/Tuples.java`: a tuple literal must have one element per column.
#[test]
fn select_multi_column_tuple_arity() {
    let mut db = db();
    db.exec("CREATE TABLE sa (a int, b int, c int, d int, PRIMARY KEY (a, b, c, d))");
    db.exec("INSERT INTO sa (a, b, c, d) VALUES (0, 1, 2, 3)");
    assert_eq!(
        db.rows("SELECT d FROM sa WHERE a = 0 AND (b, c, d) = (1, 2, 3)")
            .rows,
        vec![vec![int(3)]]
    );
    let e = db.err("SELECT d FROM sa WHERE a = 0 AND (b, c, d) = (1, 2, 3, 4)");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        e.message,
        "Expected 3 elements in value tuple, but got 4: (1, 2, 3, 4)"
    );
    let e = db.err("SELECT d FROM sa WHERE a = 0 AND (b, c) IN ((1, 2), (1))");
    assert_eq!(e.code, ErrorCode::Invalid);
}

// `C*: cql3/statements/BatchStatement.java` verifyBatchSize with the default 50 KiB
// batch_size_fail_threshold.
#[test]
fn oversized_batches_fail() {
    let mut db = db();
    db.exec("CREATE TABLE bt (k int PRIMARY KEY, t text)");
    let big = "x".repeat(1000);
    let stmts: Vec<String> = (0..60)
        .map(|i| format!("INSERT INTO bt (k, t) VALUES ({i}, '{big}')"))
        .collect();
    let e = db.err(&format!("BEGIN BATCH {} APPLY BATCH", stmts.join("; ")));
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(e.message, "Batch too large");
    assert!(db.rows("SELECT k FROM bt").rows.is_empty());
    // A small batch passes.
    db.exec(&format!(
        "BEGIN BATCH {} APPLY BATCH",
        stmts[..10].join("; ")
    ));
    assert_eq!(db.rows("SELECT k FROM bt").rows.len(), 10);
}

#[test]
fn index_queries_refuse_in_on_the_partition_key() {
    let mut db = db();
    db.exec("CREATE TABLE ix (k int, c int, v int, PRIMARY KEY (k, c))");
    db.exec("CREATE INDEX ON ix (v)");
    db.exec("INSERT INTO ix (k, c, v) VALUES (1, 1, 7)");
    for cql in [
        "SELECT c FROM ix WHERE k IN (1, 2) AND v = 7",
        "SELECT c FROM ix WHERE k IN (1, 2) AND v = 7 ALLOW FILTERING",
    ] {
        assert_eq!(
            db.err(cql).message,
            "Select on indexed columns and with IN clause for the PRIMARY KEY are not supported"
        );
    }
    // A one-value IN is an EQ.
    let r = db.rows("SELECT c FROM ix WHERE k IN (1) AND v = 7");
    assert_eq!(r.rows, vec![vec![int(1)]]);
    // IN on a clustering column is fine.
    let r = db.rows("SELECT c FROM ix WHERE k = 1 AND c IN (1, 2) AND v = 7");
    assert_eq!(r.rows, vec![vec![int(1)]]);
}

#[test]
fn type_hints_must_be_readable_by_their_receiver() {
    let mut db = db();
    db.exec("CREATE TABLE th (k int PRIMARY KEY, label text, code ascii, ratio double, raw blob)");
    // text reads ascii, a hint of the receiver's own type is fine.
    db.exec("UPDATE th SET label = (ascii)'x', raw = (blob)0x05, ratio = (double)2 WHERE k = 1");
    for (cql, expected) in [
        (
            "UPDATE th SET code = (text)'x' WHERE k = 1",
            "Cannot assign value (text)'x' to code of type ascii",
        ),
        (
            "UPDATE th SET ratio = (int)2 WHERE k = 1",
            "Cannot assign value (int)2 to ratio of type double",
        ),
        (
            "INSERT INTO th (k) VALUES ((blob)0x00000001)",
            "Cannot assign value (blob)0x00000001 to k of type int",
        ),
    ] {
        let e = db.err(cql);
        assert_eq!(e.code, ErrorCode::Invalid, "{cql}");
        assert_eq!(e.message, expected, "{cql}");
    }
}

#[test]
fn a_blob_receiver_takes_any_function_result() {
    let mut db = db();
    db.exec("CREATE TABLE fr (k int PRIMARY KEY, payload blob, day blob)");
    db.exec("INSERT INTO fr (k, payload) VALUES (1, blobAsBigint(0x0000000000000102))");
    db.exec("INSERT INTO fr (k, day) VALUES (1, blobAsInt(blobAsInt(0x0a0b0c0d)))");
    let r = db.rows("SELECT payload, day FROM fr WHERE k = 1");
    assert_eq!(
        r.rows,
        vec![vec![
            Some(vec![0, 0, 0, 0, 0, 0, 1, 2]),
            Some(vec![10, 11, 12, 13])
        ]]
    );
}

#[test]
fn multi_column_in_writes_only_the_listed_rows() {
    let mut db = db();
    db.exec("CREATE TABLE grid (g int, x int, y int, z int, mark int, PRIMARY KEY (g, x, y, z))");
    for x in 0..2 {
        for y in 0..2 {
            db.exec(&format!(
                "INSERT INTO grid (g, x, y, z, mark) VALUES (1, {x}, {y}, 0, 0)"
            ));
        }
    }
    // (0, 1) and (1, 0) only: not the product (0, 0), (1, 1) of the per-column values.
    db.exec("UPDATE grid SET mark = 5 WHERE g = 1 AND (x, y) IN ((0, 1), (1, 0)) AND z = 0");
    let r = db.rows("SELECT x, y, mark FROM grid WHERE g = 1");
    assert_eq!(
        r.rows,
        vec![
            vec![int(0), int(0), int(0)],
            vec![int(0), int(1), int(5)],
            vec![int(1), int(0), int(5)],
            vec![int(1), int(1), int(0)],
        ]
    );
    db.exec_with(
        "DELETE FROM grid WHERE g = 1 AND (x, y, z) IN ((?, ?, 0), (?, ?, 0))",
        vec![val(int(0)), val(int(0)), val(int(1)), val(int(1))],
    );
    let r = db.rows("SELECT x, y FROM grid WHERE g = 1");
    assert_eq!(r.rows, vec![vec![int(0), int(1)], vec![int(1), int(0)]]);
}

// `C*: cql3/statements/SelectStatement.java` processPartition: a partition with static
// content and no row gives a row only when the query reads the static row (a static
// column, or no regular column, is selected).
#[test]
fn static_only_partition_shows_only_when_the_static_row_is_read() {
    let mut db = db();
    db.exec("CREATE TABLE shelf (aisle int, slot int, item text, label text STATIC, PRIMARY KEY (aisle, slot))");
    db.exec("INSERT INTO shelf (aisle, label) VALUES (3, 'tools')");
    let r = db.rows("SELECT * FROM shelf WHERE aisle = 3");
    assert_eq!(r.rows, vec![vec![int(3), None, text("tools"), None]]);
    assert_eq!(
        db.rows("SELECT label FROM shelf WHERE aisle = 3").rows,
        vec![vec![text("tools")]]
    );
    assert_eq!(
        db.rows("SELECT item FROM shelf WHERE aisle = 3").rows.len(),
        0
    );
    assert_eq!(db.rows("SELECT aisle, item FROM shelf").rows.len(), 0);
    // Key columns alone query no column: the static row is read, so the partition shows.
    assert_eq!(
        db.rows("SELECT aisle, slot FROM shelf WHERE aisle = 3")
            .rows,
        vec![vec![int(3), None]]
    );
    // Once a row exists, selecting only regular columns shows it.
    db.exec("INSERT INTO shelf (aisle, slot, item) VALUES (3, 1, 'saw')");
    assert_eq!(
        db.rows("SELECT item FROM shelf WHERE aisle = 3").rows,
        vec![vec![text("saw")]]
    );
}

// `C*: cql3/Operation.java` Addition.prepare: `+` on a tuple column has its own message.
#[test]
fn adding_to_a_tuple_column_is_refused_as_such() {
    let mut db = db();
    db.exec("CREATE TABLE pairs (id int PRIMARY KEY, p tuple<int, text>, n int)");
    let e = db.err("UPDATE pairs SET p = p + (2, 'b') WHERE id = 1");
    assert_eq!(
        e.message,
        "Invalid operation (p = p + (2, 'b')) for tuple column p"
    );
    let e = db.err("UPDATE pairs SET n = n + 1 WHERE id = 1");
    assert_eq!(
        e.message,
        "Invalid operation (n = n + 1) for non counter column n"
    );
}
