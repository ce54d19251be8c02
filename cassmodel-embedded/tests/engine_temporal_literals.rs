//! Timestamp and date literals as Cassandra 4.1 parses them: `TimestampSerializer`'s java.time
//! patterns under `ResolverStyle.SMART` (an invalid day-of-month is clamped to the month's
//! end), `now`, zone names; `SimpleDateSerializer`'s strict `ISO_LOCAL_DATE`.
#![allow(clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::ErrorCode;
use engine_common::*;

fn ts_of(db: &mut Db, k: i32) -> i64 {
    let rows = db.rows(&format!("SELECT ts FROM t WHERE k = {k}"));
    let cell = rows.rows[0][0].clone().expect("ts is set");
    i64::from_be_bytes(cell.try_into().unwrap())
}

fn table() -> Db {
    let mut db = db();
    db.exec("CREATE TABLE t (k int PRIMARY KEY, ts timestamp, d date)");
    db
}

#[test]
fn invalid_day_of_month_clamps_timestamps_and_rejects_dates() {
    let mut db = table();
    db.exec("INSERT INTO t (k, ts) VALUES (1, '2023-02-29 10:00:00+0000')");
    db.exec("INSERT INTO t (k, ts) VALUES (2, '2023-06-31')");
    // 2023-02-28 10:00 UTC and 2023-06-30 00:00 UTC, not March 1st / July 1st.
    assert_eq!(ts_of(&mut db, 1), 1_677_578_400_000);
    assert_eq!(ts_of(&mut db, 2), 1_688_083_200_000);
    for bad in ["2023-02-29", "2023-06-31", "2024-02-30"] {
        let e = db.err(&format!("INSERT INTO t (k, d) VALUES (3, '{bad}')"));
        assert_eq!(e.code, ErrorCode::Invalid, "{e}");
        assert_eq!(
            e.message,
            format!("Unable to coerce '{bad}' to a formatted date (long)")
        );
    }
    let e = db.err("INSERT INTO t (k, ts) VALUES (3, '2024-02-32')");
    assert_eq!(e.code, ErrorCode::Invalid, "{e}");
    assert_eq!(e.message, "Unable to parse a date/time from '2024-02-32'");
    assert!(db.rows("SELECT * FROM t WHERE k = 3").rows.is_empty());
}

#[test]
fn now_and_zone_names_are_accepted() {
    let mut db = table();
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    db.exec("INSERT INTO t (k, ts) VALUES (1, 'now')");
    let after = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let now = ts_of(&mut db, 1);
    assert!((before..=after).contains(&now), "{now}");

    db.exec("INSERT INTO t (k, ts) VALUES (2, '2024-01-01 10:00:00 UTC')");
    assert_eq!(ts_of(&mut db, 2), 1_704_103_200_000);
    // PST names America/Los_Angeles: UTC-8 in March before the switch, UTC-7 in July.
    db.exec("INSERT INTO t (k, ts) VALUES (3, '2024-03-10 10:00:00 PST')");
    assert_eq!(ts_of(&mut db, 3), 1_710_090_000_000);
    db.exec("INSERT INTO t (k, ts) VALUES (4, '2024-07-10 10:00:00 PST')");
    assert_eq!(ts_of(&mut db, 4), 1_720_630_800_000);
    db.exec("INSERT INTO t (k, ts) VALUES (5, '2024-03-10 10:00:00 Coordinated Universal Time')");
    assert_eq!(ts_of(&mut db, 5), 1_710_064_800_000);
    db.exec("INSERT INTO t (k, ts) VALUES (6, '2024-3-5 1:2')");
    assert_eq!(ts_of(&mut db, 6), 1_709_600_520_000);
    // An integer constant is milliseconds; past a long it is TimestampSerializer's message.
    db.exec("INSERT INTO t (k, ts) VALUES (7, 1299038700000)");
    assert_eq!(ts_of(&mut db, 7), 1_299_038_700_000);
    let e = db.err("INSERT INTO t (k, ts) VALUES (8, 99999999999999999999)");
    assert_eq!(
        e.message,
        "Unable to make long (for date) from: '99999999999999999999'"
    );
    let e = db.err("INSERT INTO t (k, ts) VALUES (8, '2024-01-01 10:00 utc')");
    assert_eq!(
        e.message,
        "Unable to parse a date/time from '2024-01-01 10:00 utc'"
    );
}

#[test]
fn json_timestamps_share_the_parser() {
    let mut db = table();
    db.exec(r#"INSERT INTO t JSON '{"k": 1, "ts": "2023-02-29 10:00 PST"}'"#);
    // 2023-02-28 10:00 at UTC-8.
    assert_eq!(ts_of(&mut db, 1), 1_677_607_200_000);
}

#[test]
fn empty_string_is_the_empty_timestamp() {
    // TimestampType.fromString: "" is EMPTY_BYTE_BUFFER, not a parse error.
    let mut db = table();
    db.exec("INSERT INTO t (k, ts) VALUES (1, '')");
    let rows = db.rows("SELECT ts FROM t WHERE k = 1");
    assert_eq!(rows.rows[0][0], Some(Vec::new()));
}
