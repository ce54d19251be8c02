//! CQL arithmetic operators (Cassandra 4.0+ `OperationFcts`): selectors over columns and
//! constants with the widened result type and `a + b` column names, operations in
//! INSERT/UPDATE values and WHERE terms typed by their receiver, timestamp/date ± duration,
//! and Cassandra's failures (division by zero, unsupported pairs, ambiguous markers).

#![allow(clippy::unwrap_used, missing_docs)]

mod engine_common;

use cassmodel_embedded::error::ErrorCode;
use cassmodel_embedded::types::CqlType;
use engine_common::{Db, bigint, db, int, val};

fn setup(db: &mut Db) {
    db.exec(
        "CREATE TABLE nums (id int PRIMARY KEY, i8 tinyint, i16 smallint, i32 int, i64 bigint, \
         f32 float, f64 double, big varint, dec decimal, at timestamp, day date)",
    );
    db.exec(
        "INSERT INTO nums (id, i8, i16, i32, i64, f32, f64, big, dec, at, day) VALUES \
         (10, 3, 300, 70000, 9000000000, 1.5, 0.25, 123456789012345678901234567890, 2.50, \
         '2021-03-31 12:00:00+0000', '2021-01-31')",
    );
}

fn select_one(db: &mut Db, cql: &str) -> (String, CqlType, Option<Vec<u8>>) {
    let mut r = db.rows(cql);
    assert_eq!(r.rows.len(), 1, "{cql}");
    let c = &r.columns[0];
    (c.name.clone(), c.ty.clone(), r.rows.remove(0).remove(0))
}

#[test]
fn selectors_widen_to_the_larger_operand_type() {
    let mut db = db();
    setup(&mut db);
    let (name, ty, v) = select_one(&mut db, "SELECT i8 + i16 FROM nums WHERE id = 10");
    assert_eq!((name.as_str(), ty), ("i8 + i16", CqlType::Smallint));
    assert_eq!(v, Some(303i16.to_be_bytes().to_vec()));

    let (_, ty, v) = select_one(&mut db, "SELECT i64 - i32 FROM nums WHERE id = 10");
    assert_eq!((ty, v), (CqlType::Bigint, bigint(8_999_930_000)));

    // A float with an int stays a float; with a bigint it becomes a double.
    let (_, ty, v) = select_one(&mut db, "SELECT f32 * i32 FROM nums WHERE id = 10");
    assert_eq!(
        (ty, v),
        (CqlType::Float, Some(105_000f32.to_be_bytes().to_vec()))
    );
    let (_, ty, _) = select_one(&mut db, "SELECT f32 * i64 FROM nums WHERE id = 10");
    assert_eq!(ty, CqlType::Double);

    // Unbounded integers give varint; floating point with varint gives decimal.
    let (_, ty, v) = select_one(&mut db, "SELECT big % i32 FROM nums WHERE id = 10");
    let expected: num_bigint::BigInt = "123456789012345678901234567890".parse().unwrap();
    let expected: num_bigint::BigInt = expected % 70000u32;
    assert_eq!(
        (ty, v),
        (CqlType::Varint, Some(expected.to_signed_bytes_be()))
    );
    let (_, ty, _) = select_one(&mut db, "SELECT f64 + big FROM nums WHERE id = 10");
    assert_eq!(ty, CqlType::Decimal);
}

#[test]
fn constants_in_selectors_take_their_preferred_type() {
    let mut db = db();
    setup(&mut db);
    let (name, ty, v) = select_one(&mut db, "SELECT i32 * 3 FROM nums WHERE id = 10");
    assert_eq!(
        (name.as_str(), ty, v),
        ("i32 * 3", CqlType::Int, int(210_000))
    );
    let (name, ty, v) = select_one(&mut db, "SELECT 40 + 2 FROM nums WHERE id = 10");
    assert_eq!((name.as_str(), ty, v), ("40 + 2", CqlType::Int, int(42)));
    // Multiplication binds tighter; parentheses are kept in the name.
    let (name, _, v) = select_one(&mut db, "SELECT (i8 + 1) * 2 - 1 FROM nums WHERE id = 10");
    assert_eq!((name.as_str(), v), ("(i8 + 1) * 2 - 1", int(7)));
    let (name, ty, v) = select_one(&mut db, "SELECT -i16 FROM nums WHERE id = 10");
    assert_eq!((name.as_str(), ty), ("-i16", CqlType::Smallint));
    assert_eq!(v, Some((-300i16).to_be_bytes().to_vec()));
}

#[test]
fn integer_arithmetic_wraps_like_java() {
    let mut db = db();
    setup(&mut db);
    // tinyint + tinyint is computed on ints and narrowed: 3 * 100 = 300 -> 44.
    let (_, ty, v) = select_one(&mut db, "SELECT i8 * (tinyint)100 FROM nums WHERE id = 10");
    assert_eq!((ty, v), (CqlType::Tinyint, Some(vec![44u8])));
    let (_, _, v) = select_one(&mut db, "SELECT i32 * 70000 FROM nums WHERE id = 10");
    assert_eq!(v, int(70_000i32.wrapping_mul(70_000)));
}

#[test]
fn decimal_division_keeps_at_least_32_digits_of_scale() {
    let mut db = db();
    setup(&mut db);
    let (_, ty, v) = select_one(&mut db, "SELECT dec / 3 FROM nums WHERE id = 10");
    assert_eq!(ty, CqlType::Decimal);
    let v = v.unwrap();
    let scale = i32::from_be_bytes(v[..4].try_into().unwrap());
    assert_eq!(scale, 32);
    let unscaled = num_bigint::BigInt::from_signed_bytes_be(&v[4..]);
    assert_eq!(unscaled.to_string(), format!("8{}", "3".repeat(31)));
}

#[test]
fn division_by_zero_is_a_function_failure() {
    let mut db = db();
    setup(&mut db);
    let e = db.err("SELECT i32 / 0 FROM nums WHERE id = 10");
    assert_eq!(e.code, ErrorCode::FunctionFailure);
    assert_eq!(e.message, "the operation 'int / int' failed: / by zero");
    let e = db.err("SELECT big % 0 FROM nums WHERE id = 10");
    assert_eq!(
        e.message,
        "the operation 'varint % int' failed: BigInteger divide by zero"
    );
    // Floating point division by zero is infinite, not an error.
    let (_, _, v) = select_one(&mut db, "SELECT f64 / 0 FROM nums WHERE id = 10");
    assert_eq!(v, Some(f64::INFINITY.to_be_bytes().to_vec()));
}

#[test]
fn unsupported_operand_types_are_refused() {
    let mut db = db();
    db.exec("CREATE TABLE words (k int PRIMARY KEY, w text, n int)");
    let e = db.err("SELECT n * w FROM words");
    assert_eq!(
        e.message,
        "the '*' operation is not supported between n and w"
    );
    let e = db.err("SELECT w - 4 FROM words");
    assert_eq!(
        e.message,
        "the '-' operation is not supported between w and 4"
    );
}

#[test]
fn operations_in_values_are_typed_by_their_receiver() {
    let mut db = db();
    setup(&mut db);
    db.exec("INSERT INTO nums (id, i8, i64, dec) VALUES (2 * 10 + 1, 100 + 27, 3 * 4, 1.5 * 2)");
    let r = db.rows("SELECT i8, i64, dec FROM nums WHERE id = 21");
    assert_eq!(r.rows[0][0], Some(vec![127u8]));
    assert_eq!(r.rows[0][1], bigint(12));
    // 1.5 * 2 as decimal: 3.0 (scale 1).
    let mut dec = 1i32.to_be_bytes().to_vec();
    dec.push(30);
    assert_eq!(r.rows[0][2], Some(dec));

    db.exec("UPDATE nums SET i32 = 1000 - 1 WHERE id = 20 + 1");
    let r = db.rows("SELECT i32 FROM nums WHERE id = 7 * 3");
    assert_eq!(r.rows[0][0], int(999));
    // A parenthesized operation is not a tuple when the receiver is not one.
    db.exec("UPDATE nums SET i32 = 2 * (3 + 4) WHERE id = 21");
    let r = db.rows("SELECT i32 FROM nums WHERE id = 21");
    assert_eq!(r.rows[0][0], int(14));
}

#[test]
fn bound_values_in_operations() {
    let mut db = db();
    setup(&mut db);
    // A type hint on the marker picks the overload.
    db.exec_with(
        "UPDATE nums SET i64 = (bigint)? * 2 WHERE id = 10",
        vec![val(bigint(21))],
    );
    let r = db.rows("SELECT i64 FROM nums WHERE id = 10");
    assert_eq!(r.rows[0][0], bigint(42));
    // `? + 1` for an int receiver fits int, smallint and tinyint operands alike.
    let params = cassmodel_embedded::api::QueryParams {
        values: cassmodel_embedded::api::BoundValues::Positional(vec![val(int(1))]),
        ..Default::default()
    };
    let e = db
        .try_query("UPDATE nums SET i32 = ? + 1 WHERE id = 10", &params)
        .unwrap_err();
    assert_eq!(
        e.message,
        "Ambiguous '+' operation with args ? and 1: use type hint to disambiguate, example '(int) ?'"
    );
    // Negating a marker is resolved by the receiver.
    db.exec_with("UPDATE nums SET i32 = -? WHERE id = 10", vec![val(int(5))]);
    let r = db.rows("SELECT i32 FROM nums WHERE id = 10");
    assert_eq!(r.rows[0][0], int(-5));
}

#[test]
fn temporal_values_plus_or_minus_a_duration() {
    let mut db = db();
    setup(&mut db);
    // 2021-03-31 + 1 month = 2021-04-30 (the day is clamped to the month's end).
    let (name, ty, v) = select_one(&mut db, "SELECT at + 1mo FROM nums WHERE id = 10");
    assert_eq!((name.as_str(), ty), ("at + 1mo", CqlType::Timestamp));
    let apr30 = db.rows("SELECT toTimestamp(toDate('2021-04-30')) FROM nums WHERE id = 10");
    let noon = 12 * 3_600_000i64;
    let base = i64::from_be_bytes(apr30.rows[0][0].clone().unwrap().try_into().unwrap());
    assert_eq!(v, bigint(base + noon));

    let (_, ty, v) = select_one(&mut db, "SELECT day - 2d FROM nums WHERE id = 10");
    assert_eq!(ty, CqlType::Date);
    let jan29 = db.rows("SELECT toDate('2021-01-29') FROM nums WHERE id = 10");
    assert_eq!(v, jan29.rows[0][0]);

    let e = db.err("SELECT day + 3h FROM nums WHERE id = 10");
    assert_eq!(
        e.message,
        "the operation 'date + duration' failed: The duration must have a day precision. Was: 3h"
    );
    let e = db.err("SELECT at * 2d FROM nums WHERE id = 10");
    assert_eq!(
        e.message,
        "the '*' operation is not supported between at and 2d"
    );
}

#[test]
fn prepared_markers_are_named_after_the_operator_arguments() {
    let mut db = db();
    setup(&mut db);
    let p = db
        .engine
        .prepare(
            &db.session,
            "UPDATE nums SET i64 = -?, dec = 2.0 * 3 WHERE id = ?",
        )
        .unwrap();
    let binds: Vec<(&str, String)> = p
        .bind
        .iter()
        .map(|c| (c.name.as_str(), c.ty.to_string()))
        .collect();
    assert_eq!(
        binds,
        [
            ("arg0(system._negate)", "bigint".to_owned()),
            ("id", "int".to_owned()),
        ]
    );
    // An ambiguous operation fails at PREPARE.
    let e = db
        .engine
        .prepare(&db.session, "UPDATE nums SET i32 = 2 * ? WHERE id = 1")
        .unwrap_err();
    assert_eq!(
        e.message,
        "Ambiguous '*' operation with args 2 and ?: use type hint to disambiguate, example '(int) ?'"
    );
}

#[test]
fn plus_concatenates_text_and_ascii() {
    let mut db = db();
    db.exec("CREATE TABLE names (k int PRIMARY KEY, first text, code ascii)");
    db.exec("INSERT INTO names (k, first, code) VALUES (1, 'Zoë', 'x' + 'y')");
    let r = db.rows("SELECT first + code, code + code, code + ' ' + first FROM names");
    let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["first + code", "code + code", "code + ' ' + first"]);
    let types: Vec<CqlType> = r.columns.iter().map(|c| c.ty.clone()).collect();
    assert_eq!(types, [CqlType::Text, CqlType::Ascii, CqlType::Text]);
    let texts: Vec<String> = r.rows[0]
        .iter()
        .map(|v| String::from_utf8(v.clone().unwrap()).unwrap())
        .collect();
    assert_eq!(texts, ["Zoëxy", "xyxy", "xy Zoë"]);
    // Only `+` applies to strings.
    let e = db.err("SELECT first - code FROM names");
    assert_eq!(
        e.message,
        "the '-' operation is not supported between first and code"
    );
}
