//! Native functions in less common positions: over the result of an aggregate, over
//! out-of-range timestamps, and with bind-marker arguments whose type must be decided at
//! PREPARE, as Cassandra 4.1 resolves them (`cql3/selection/AbstractFunctionSelector.java`,
//! `cql3/functions/FunctionResolver.java`, `utils/TimeUUID.java`).

#![allow(clippy::unwrap_used, missing_docs)]

mod engine_common;

use cassmodel_embedded::api::{BoundValue, BoundValues, QueryParams};
use cassmodel_embedded::types::CqlType;
use engine_common::{Db, bigint, db};

fn readings(db: &mut Db) {
    db.exec("CREATE TABLE readings (site text, at timestamp, level int, PRIMARY KEY (site, at))");
    for (site, at, level) in [
        ("north", "2021-03-04 10:00:00+0000", 5),
        ("north", "2021-03-07 23:30:00+0000", 9),
        ("south", "2019-11-30 08:15:00+0000", 2),
    ] {
        db.exec(&format!(
            "INSERT INTO readings (site, at, level) VALUES ('{site}', '{at}', {level})"
        ));
    }
}

/// Days since the epoch as a `date` value (2^31 is the epoch).
fn date(days_since_epoch: i64) -> Option<Vec<u8>> {
    Some(
        ((days_since_epoch + (1 << 31)) as u32)
            .to_be_bytes()
            .to_vec(),
    )
}

#[test]
fn function_applied_to_an_aggregate_result() {
    let mut db = db();
    readings(&mut db);
    let r = db.rows(
        "SELECT toDate(min(at)), toDate(max(at)), bigintAsBlob(count(*)), intAsBlob(max(level)) \
         FROM readings WHERE site = 'north'",
    );
    let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "system.todate(system.min(at))",
            "system.todate(system.max(at))",
            "system.bigintasblob(count)",
            "system.intasblob(system.max(level))",
        ]
    );
    assert_eq!(r.columns[0].ty, CqlType::Date);
    assert_eq!(r.columns[2].ty, CqlType::Blob);
    // 2021-03-04 is day 18690 after the epoch, 2021-03-07 day 18693.
    assert_eq!(
        r.rows,
        vec![vec![
            date(18690),
            date(18693),
            bigint(2),
            Some(9i32.to_be_bytes().to_vec())
        ]]
    );
}

#[test]
fn function_of_an_aggregate_per_group_and_over_no_rows() {
    let mut db = db();
    readings(&mut db);
    let r = db.rows("SELECT site, toDate(max(at)) FROM readings GROUP BY site");
    let mut rows: Vec<_> = r.rows.into_iter().map(|row| row[1].clone()).collect();
    rows.sort();
    // 2019-11-30 is day 18230.
    let mut want = vec![date(18693), date(18230)];
    want.sort();
    assert_eq!(rows, want);
    // Without GROUP BY an aggregate over nothing still gives one row: the count of no
    // rows is 0 and the function sees it; the extreme of nothing is null.
    let r =
        db.rows("SELECT bigintAsBlob(count(*)), toDate(max(at)) FROM readings WHERE site = 'east'");
    assert_eq!(r.rows, vec![vec![bigint(0), None]]);
}

#[test]
fn per_row_function_next_to_a_function_of_an_aggregate() {
    let mut db = db();
    readings(&mut db);
    // A selector without aggregate takes the group's first row, as a plain column does.
    let r = db.rows(
        "SELECT blobAsInt(intAsBlob(level)), toDate(max(at)) FROM readings WHERE site = 'north'",
    );
    assert_eq!(
        r.rows,
        vec![vec![Some(5i32.to_be_bytes().to_vec()), date(18693)]]
    );
}

#[test]
fn min_and_max_timeuuid_of_out_of_range_timestamps_do_not_fail() {
    let mut db = db();
    db.exec("CREATE TABLE marks (k int PRIMARY KEY, v int, huge bigint)");
    db.exec("INSERT INTO marks (k, v, huge) VALUES (1, 2, 9223372036854775000) USING TIMESTAMP 1700000000000000");
    // writetime() is in microseconds, read as milliseconds by minTimeuuid: far outside
    // what a time UUID holds. Cassandra's long arithmetic wraps; so does ours.
    let r = db.rows("SELECT minTimeuuid(writetime(v)), maxTimeuuid(huge) FROM marks WHERE k = 1");
    assert_eq!(r.rows.len(), 1);
    for v in &r.rows[0] {
        let b = v.as_deref().unwrap();
        assert_eq!(b.len(), 16);
    }
    // The smallest time UUID's clock-sequence-and-node half is 0x80 repeated, the
    // largest's 0x7f repeated.
    assert_eq!(r.rows[0][0].as_deref().unwrap()[8..], [0x80; 8]);
    assert_eq!(r.rows[0][1].as_deref().unwrap()[8..], [0x7f; 8]);
    // An ordinary timestamp still round-trips.
    let r = db.rows("SELECT toUnixTimestamp(minTimeuuid(1600000000123)) FROM marks WHERE k = 1");
    assert_eq!(r.rows, vec![vec![bigint(1_600_000_000_123)]]);
}

fn with_values(db: &mut Db, cql: &str, values: Vec<BoundValue>) -> Result<(), String> {
    let params = QueryParams {
        values: BoundValues::Positional(values),
        ..QueryParams::default()
    };
    db.try_query(cql, &params)
        .map(|_| ())
        .map_err(|e| e.message)
}

#[test]
fn bare_marker_as_argument_of_an_overloaded_time_function_is_ambiguous() {
    let mut db = db();
    db.exec("CREATE TABLE days (id int PRIMARY KEY, day date, at timestamp)");
    let ts = BoundValue::Value(86_400_000i64.to_be_bytes().to_vec());
    // toDate has a timeuuid and a timestamp overload, both giving a date.
    let e = with_values(
        &mut db,
        "INSERT INTO days (id, day) VALUES (1, toDate(?))",
        vec![ts.clone()],
    )
    .unwrap_err();
    assert!(
        e.starts_with("Ambiguous call to function system.todate"),
        "{e}"
    );
    assert!(e.ends_with("use type casts to disambiguate"), "{e}");
    // A type hint picks the overload; the value is then read as a timestamp.
    with_values(
        &mut db,
        "INSERT INTO days (id, day) VALUES (1, toDate((timestamp)?))",
        vec![ts],
    )
    .unwrap();
    let r = db.rows("SELECT day FROM days WHERE id = 1");
    assert_eq!(r.rows, vec![vec![date(1)]]);
    // A function with a single overload types the marker by its parameter.
    with_values(
        &mut db,
        "INSERT INTO days (id, at) VALUES (2, toTimestamp(toDate((timestamp)?)))",
        vec![BoundValue::Value(172_800_000i64.to_be_bytes().to_vec())],
    )
    .unwrap();
    let r = db.rows("SELECT at FROM days WHERE id = 2");
    assert_eq!(r.rows, vec![vec![bigint(172_800_000)]]);
}

#[test]
fn token_as_a_written_value_uses_the_tables_partition_key() {
    let mut db = db();
    db.exec(
        "CREATE TABLE shards (zone text, n int, tok bigint, raw blob, PRIMARY KEY ((zone, n)))",
    );
    db.exec(
        "INSERT INTO shards (zone, n, tok, raw) VALUES ('eu', 3, token('eu', 3), token('eu', 3))",
    );
    let r = db.rows("SELECT token(zone, n), tok, raw FROM shards WHERE zone = 'eu' AND n = 3");
    let row = &r.rows[0];
    assert_eq!(row[0], row[1]);
    // A blob receiver reads the bigint's bytes.
    assert_eq!(row[0], row[2]);
    // Markers are typed by the key columns and named after the function's arguments.
    with_values(
        &mut db,
        "UPDATE shards SET tok = token(?, ?) WHERE zone = 'us' AND n = 1",
        vec![
            BoundValue::Value(b"eu".to_vec()),
            BoundValue::Value(3i32.to_be_bytes().to_vec()),
        ],
    )
    .unwrap();
    let again = db.rows("SELECT tok FROM shards WHERE zone = 'us' AND n = 1");
    assert_eq!(again.rows[0][0], row[0]);
    let e = db.err("INSERT INTO shards (zone, n, tok) VALUES ('eu', 4, token('eu'))");
    assert_eq!(
        e.message,
        "Invalid number of arguments in call to function system.token: 2 required but 1 provided"
    );
    db.exec("ALTER TABLE shards ADD label text");
    let e = db.err("INSERT INTO shards (zone, n, label) VALUES ('eu', 4, token('eu', 4))");
    assert_eq!(
        e.message,
        "Type error: cannot assign result of function system.token (type bigint) to label (type text)"
    );
}

#[test]
fn to_json_outside_a_selection_fails_before_any_value_is_bound() {
    let mut db = db();
    db.exec("CREATE TABLE docs (id int PRIMARY KEY, body text)");
    let msg = "toJson() may only be used within the selection clause of SELECT statements";
    // The marker would be typed by the receiver; the statement must be refused first.
    for cql in [
        "INSERT INTO docs (id, body) VALUES (?, toJson(?))",
        "UPDATE docs SET body = toJson(?) WHERE id = ?",
        "DELETE FROM docs WHERE id = fromJson(toJson(?))",
    ] {
        let e = with_values(
            &mut db,
            cql,
            vec![
                BoundValue::Value(1i32.to_be_bytes().to_vec()),
                BoundValue::Value(2i32.to_be_bytes().to_vec()),
            ],
        )
        .unwrap_err();
        assert_eq!(e, msg, "{cql}");
    }
}
