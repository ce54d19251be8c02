//! Selectors beyond plain columns: native functions without column arguments or with
//! constant arguments, nested calls, typed constants, CAST and UDT field selection, with
//! Cassandra 4.1's result column names, types and refusals.

#![allow(clippy::unwrap_used, missing_docs)]

mod engine_common;

use cassmodel_embedded::types::CqlType;
use engine_common::{Db, db};

fn names(db: &mut Db, cql: &str) -> Vec<String> {
    db.rows(cql)
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect()
}

fn types(db: &mut Db, cql: &str) -> Vec<CqlType> {
    db.rows(cql).columns.iter().map(|c| c.ty.clone()).collect()
}

fn one_row(db: &mut Db, cql: &str) -> Vec<Option<Vec<u8>>> {
    let mut r = db.rows(cql);
    assert_eq!(r.rows.len(), 1, "{cql}");
    r.rows.remove(0)
}

fn err(db: &mut Db, cql: &str) -> String {
    db.err(cql).message
}

fn i64_of(v: &Option<Vec<u8>>) -> i64 {
    i64::from_be_bytes(v.as_deref().unwrap().try_into().unwrap())
}

/// Milliseconds since the epoch of a version-1 UUID.
fn uuid_ms(v: &Option<Vec<u8>>) -> i64 {
    let b = v.as_deref().unwrap();
    assert_eq!(b[6] >> 4, 1, "version 1");
    let msb = u64::from_be_bytes(b[..8].try_into().unwrap());
    let ticks = ((msb & 0x0FFF) << 48) | (((msb >> 16) & 0xFFFF) << 32) | (msb >> 32);
    (ticks as i64 - 0x01B2_1DD2_1381_4000) / 10_000
}

fn wall_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn setup(db: &mut Db) {
    db.exec(
        "CREATE TABLE t (k int PRIMARY KEY, v int, ts timestamp, d date, tu timeuuid, b blob, f float, x double)",
    );
    db.exec(
        "INSERT INTO t (k, v, ts, d, tu, b, f, x) VALUES (1, 7, '2020-01-02 03:04:05.678+0000', '2020-01-02', \
         50554d6e-29bb-11e5-b345-feff819cdc9f, 0x0000002a, -3.9, 10000000000)",
    );
}

#[test]
fn now_from_system_local() {
    let mut db = db();
    let r = db.rows("SELECT now() FROM system.local");
    assert_eq!(r.columns[0].name, "system.now()");
    assert_eq!(r.columns[0].ty, CqlType::Timeuuid);
    assert_eq!(r.rows.len(), 1);
    assert!((uuid_ms(&r.rows[0][0]) - wall_ms()).abs() < 60_000);
}

#[test]
fn functions_without_column_arguments() {
    let mut db = db();
    setup(&mut db);
    let q = "SELECT toTimestamp(now()), toDate(now()), toUnixTimestamp(now()), currentTimestamp(), \
             currentDate(), currentTime(), currentTimeUUID(), uuid() FROM t WHERE k = 1";
    assert_eq!(
        names(&mut db, q),
        [
            "system.totimestamp(system.now())",
            "system.todate(system.now())",
            "system.tounixtimestamp(system.now())",
            "system.currenttimestamp()",
            "system.currentdate()",
            "system.currenttime()",
            "system.currenttimeuuid()",
            "system.uuid()",
        ]
    );
    use CqlType::*;
    assert_eq!(
        types(&mut db, q),
        [
            Timestamp, Date, Bigint, Timestamp, Date, Time, Timeuuid, Uuid
        ]
    );
    let row = one_row(&mut db, q);
    let now = wall_ms();
    for v in [&row[0], &row[2], &row[3]] {
        assert!((i64_of(v) - now).abs() < 60_000, "{v:?}");
    }
    let today = u32::try_from(now / 86_400_000 + (1 << 31)).unwrap();
    assert_eq!(row[1].as_deref(), Some(&today.to_be_bytes()[..]));
    assert_eq!(row[4].as_deref(), Some(&today.to_be_bytes()[..]));
    let nanos = i64_of(&row[5]);
    assert!((0..86_400_000_000_000).contains(&nanos));
    assert!((uuid_ms(&row[6]) - now).abs() < 60_000);
    assert_eq!(
        row[7].as_deref().unwrap()[6] >> 4,
        4,
        "uuid() is random (version 4)"
    );
}

#[test]
fn constant_arguments_and_deprecated_functions() {
    let mut db = db();
    setup(&mut db);
    let q = "SELECT minTimeuuid('2013-01-01 00:05+0000'), maxTimeuuid('2013-01-01 00:05+0000'), \
             blobAsText(0x6869), toTimestamp('2020-01-02'), dateOf(tu), unixTimestampOf(tu), \
             toUnixTimestamp(ts) FROM t WHERE k = 1";
    assert_eq!(
        names(&mut db, q),
        [
            "system.mintimeuuid('2013-01-01 00:05+0000')",
            "system.maxtimeuuid('2013-01-01 00:05+0000')",
            "system.blobastext(0x6869)",
            "system.totimestamp('2020-01-02')",
            "system.dateof(tu)",
            "system.unixtimestampof(tu)",
            "system.tounixtimestamp(ts)",
        ]
    );
    let row = one_row(&mut db, q);
    let at = 1_356_998_700_000;
    assert_eq!(uuid_ms(&row[0]), at);
    assert_eq!(&row[0].as_deref().unwrap()[8..], [0x80; 8]);
    assert_eq!(uuid_ms(&row[1]), at);
    assert_eq!(&row[1].as_deref().unwrap()[8..], [0x7f; 8]);
    assert_eq!(row[2].as_deref(), Some(&b"hi"[..]));
    assert_eq!(i64_of(&row[3]), 1_577_923_200_000);
    // 50554d6e-29bb-11e5-... was generated at 2015-07-14 00:00:18.805 UTC.
    assert_eq!(i64_of(&row[4]), 1_436_832_018_805);
    assert_eq!(i64_of(&row[5]), 1_436_832_018_805);
    assert_eq!(i64_of(&row[6]), 1_577_934_245_678);
}

#[test]
fn overload_resolution_errors() {
    let mut db = db();
    setup(&mut db);
    assert_eq!(
        err(&mut db, "SELECT toUnixTimestamp(1) FROM t"),
        "Ambiguous call to function tounixtimestamp (can be matched by following signatures: \
         system.tounixtimestamp : (timestamp) -> bigint, system.tounixtimestamp : (date) -> bigint): \
         use type casts to disambiguate"
    );
    assert_eq!(
        err(&mut db, "SELECT toDate(v) FROM t"),
        "Invalid call to function todate, none of its type signatures match (known type signatures: \
         system.todate : (timeuuid) -> date, system.todate : (timestamp) -> date)"
    );
    assert_eq!(
        err(&mut db, "SELECT minTimeuuid(tu) FROM t"),
        "Type error: tu cannot be passed as argument 0 of function system.mintimeuuid of type timestamp"
    );
    assert_eq!(
        err(&mut db, "SELECT now(1) FROM t"),
        "Invalid number of arguments in call to function system.now: 0 required but 1 provided"
    );
    assert_eq!(
        err(&mut db, "SELECT nosuchfn(v) FROM t"),
        "Unknown function 'nosuchfn'"
    );
}

#[test]
fn literals_need_a_type() {
    let mut db = db();
    setup(&mut db);
    for (q, text) in [
        ("SELECT 42 FROM t", "42"),
        ("SELECT k, 'a const' FROM t", "'a const'"),
        ("SELECT [1, 2] FROM t", "[1, 2]"),
    ] {
        assert_eq!(
            err(&mut db, q),
            format!(
                "Cannot infer type for term {text} in selection clause (try using a cast to force a type)"
            )
        );
    }
    // CAST does not type its argument either.
    assert!(
        err(&mut db, "SELECT CAST(1 AS text) FROM t").starts_with("Cannot infer type for term 1")
    );
    let q = "SELECT k, (int)42, (text)'hi', (list<int>)[1, 2], (blob)v FROM t";
    assert_eq!(
        names(&mut db, q),
        ["k", "(int)42", "(text)'hi'", "(list<int>)[1, 2]", "(blob)v"]
    );
    let row = one_row(&mut db, q);
    assert_eq!(row[1], Some(42i32.to_be_bytes().to_vec()));
    assert_eq!(row[2].as_deref(), Some(&b"hi"[..]));
    assert_eq!(
        row[3].as_deref(),
        Some(&[0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 2][..])
    );
    assert_eq!(row[4], Some(7i32.to_be_bytes().to_vec()));
    assert_eq!(
        err(&mut db, "SELECT (text)v FROM t"),
        "Cannot assign value (text)v to (text)v of type text"
    );
}

#[test]
fn casts() {
    let mut db = db();
    setup(&mut db);
    let q = "SELECT CAST(v AS bigint), CAST(v AS text), CAST(v AS int), CAST(f AS int), \
             CAST(x AS text), CAST(ts AS date), CAST(ts AS text), CAST(tu AS timestamp), \
             CAST(v AS decimal), CAST(d AS ascii) FROM t WHERE k = 1";
    assert_eq!(
        names(&mut db, q),
        [
            "cast(v as bigint)",
            "cast(v as text)",
            "v",
            "cast(f as int)",
            "cast(x as text)",
            "cast(ts as date)",
            "cast(ts as text)",
            "cast(tu as timestamp)",
            "cast(v as decimal)",
            "cast(d as ascii)",
        ]
    );
    use CqlType::*;
    assert_eq!(
        types(&mut db, q),
        [
            Bigint, Text, Int, Int, Text, Date, Text, Timestamp, Decimal, Ascii
        ]
    );
    let row = one_row(&mut db, q);
    assert_eq!(i64_of(&row[0]), 7);
    assert_eq!(row[1].as_deref(), Some(&b"7"[..]));
    assert_eq!(row[3], Some((-3i32).to_be_bytes().to_vec()));
    assert_eq!(row[4].as_deref(), Some(&b"1.0E10"[..]));
    let date = u32::try_from(18_263 + (1i64 << 31)).unwrap();
    assert_eq!(row[5], Some(date.to_be_bytes().to_vec()));
    assert_eq!(row[6].as_deref(), Some(&b"2020-01-02T03:04:05.678Z"[..]));
    assert_eq!(i64_of(&row[7]), 1_436_832_018_805);
    // BigDecimal.valueOf(7L): unscaled 7, scale 0.
    assert_eq!(row[8].as_deref(), Some(&[0, 0, 0, 0, 7][..]));
    assert_eq!(row[9].as_deref(), Some(&b"2020-01-02"[..]));
}

#[test]
fn casts_to_decimal_keep_every_digit() {
    let mut db = db();
    db.exec("CREATE TABLE wide (k int PRIMARY KEY, big varint, long bigint, f float)");
    db.exec(
        "INSERT INTO wide (k, big, long, f) VALUES (1, 98765432109876543210987654321, 9223372036854775806, 0.1)",
    );
    let row = one_row(
        &mut db,
        "SELECT CAST(big AS decimal), CAST(long AS decimal), CAST(f AS decimal) FROM wide",
    );
    let unscaled = |v: &Option<Vec<u8>>| {
        let b = v.as_deref().unwrap();
        (
            i32::from_be_bytes(b[..4].try_into().unwrap()),
            num_bigint::BigInt::from_signed_bytes_be(&b[4..]).to_string(),
        )
    };
    assert_eq!(
        unscaled(&row[0]),
        (0, "98765432109876543210987654321".to_owned())
    );
    assert_eq!(unscaled(&row[1]), (0, "9223372036854775806".to_owned()));
    // A float goes through Float.toString: 0.1, not 0.10000000149011612.
    assert_eq!(unscaled(&row[2]), (1, "1".to_owned()));
}

#[test]
fn cast_refusals() {
    let mut db = db();
    setup(&mut db);
    assert_eq!(
        err(&mut db, "SELECT CAST(v AS boolean) FROM t"),
        "v cannot be cast to boolean"
    );
    // Cassandra names the selection's first column, whatever is cast.
    assert_eq!(
        err(&mut db, "SELECT k, CAST(v AS uuid) FROM t"),
        "k cannot be cast to uuid"
    );
    let e = err(&mut db, "SELECT CAST(b AS int) FROM t");
    assert!(
        e.starts_with(
            "Invalid call to function system.castAsInt, none of its type signatures match \
             (known type signatures: system.castAsInt : (tinyint) -> int, system.castAsInt : (smallint) -> int, \
             system.castAsInt : (bigint) -> int"
        ),
        "{e}"
    );
}

#[test]
fn udt_fields() {
    let mut db = db();
    db.exec("CREATE TYPE addr (street text, zip int)");
    db.exec("CREATE TABLE u (k int PRIMARY KEY, a addr, fa frozen<addr>, v int)");
    db.exec(
        "INSERT INTO u (k, a, fa, v) VALUES (1, {street: 'Main', zip: 42}, {street: 'Elm'}, 3)",
    );
    db.exec("INSERT INTO u (k) VALUES (2)");
    let q = "SELECT k, a.street, a.zip, fa.street, fa.zip AS z FROM u WHERE k = 1";
    assert_eq!(
        names(&mut db, q),
        ["k", "a.street", "a.zip", "fa.street", "z"]
    );
    assert_eq!(types(&mut db, q)[1..3], [CqlType::Text, CqlType::Int]);
    let row = one_row(&mut db, q);
    assert_eq!(row[1].as_deref(), Some(&b"Main"[..]));
    assert_eq!(row[2], Some(42i32.to_be_bytes().to_vec()));
    assert_eq!(row[3].as_deref(), Some(&b"Elm"[..]));
    assert_eq!(row[4], None);
    let row = one_row(&mut db, "SELECT a.street FROM u WHERE k = 2");
    assert_eq!(row[0], None);
    assert_eq!(
        err(&mut db, "SELECT a.nope FROM u"),
        "a of type addr has no field nope"
    );
    assert_eq!(
        err(&mut db, "SELECT v.street FROM u"),
        "Invalid field selection: v of type int is not a user type"
    );
}
