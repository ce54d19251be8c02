//! Engine tests of write timestamps: the bounds of USING TIMESTAMP, where batches refuse
//! one, and `writetime()`/`ttl()` as arguments of functions.
#![allow(clippy::unwrap_used)]

mod engine_common;

use engine_common::*;

#[test]
fn using_timestamp_bounds() {
    let mut db = db();
    db.exec("CREATE TABLE clock (id int PRIMARY KEY, tick int)");
    db.exec("INSERT INTO clock (id, tick) VALUES (1, 1) USING TIMESTAMP -7");
    let r = db.rows("SELECT writetime(tick) FROM clock WHERE id = 1");
    assert_eq!(r.rows, vec![vec![bigint(-7)]]);
    let e = db.err(&format!(
        "INSERT INTO clock (id, tick) VALUES (2, 2) USING TIMESTAMP {}",
        i64::MIN
    ));
    assert_eq!(
        e.message,
        "Out of bound timestamp, must be in [-9223372036854775807, 9223372036854775807]"
    );
}

#[test]
fn batch_level_timestamps_refused_for_counters_and_conditions() {
    let mut db = db();
    db.exec("CREATE TABLE hits (page int PRIMARY KEY, n counter)");
    let e = db.err(
        "BEGIN COUNTER BATCH USING TIMESTAMP 9 UPDATE hits SET n = n + 1 WHERE page = 1; APPLY BATCH",
    );
    assert_eq!(
        e.message,
        "Cannot provide custom timestamp for counter BATCH"
    );
    db.exec("CREATE TABLE seats (row_id int, seat int, PRIMARY KEY (row_id, seat))");
    let e = db.err(
        "BEGIN BATCH USING TIMESTAMP 9 INSERT INTO seats (row_id, seat) VALUES (1, 1) IF NOT EXISTS; APPLY BATCH",
    );
    assert_eq!(
        e.message,
        "Cannot provide custom timestamp for conditional BATCH"
    );
}

#[test]
fn writetime_and_ttl_nest_in_function_calls() {
    let mut db = db();
    db.exec("CREATE TABLE note (id int PRIMARY KEY, body text)");
    db.exec("INSERT INTO note (id, body) VALUES (3, 'x') USING TIMESTAMP 1234 AND TTL 600");
    let r = db.rows(
        "SELECT blobAsBigint(bigintAsBlob(writetime(body))), blobAsInt(intAsBlob(ttl(body))) FROM note",
    );
    assert_eq!(
        r.columns[0].name,
        "system.blobasbigint(system.bigintasblob(writetime(body)))"
    );
    assert_eq!(r.rows, vec![vec![bigint(1234), int(600)]]);
    let e = db.err("SELECT bigintAsBlob(writetime(id)) FROM note");
    assert_eq!(
        e.message,
        "Cannot use selection function writeTime on PRIMARY KEY part id"
    );
}

#[test]
fn current_time_is_a_key_value() {
    let mut db = db();
    db.exec("CREATE TABLE lap (at time PRIMARY KEY)");
    let r = db.rows("INSERT INTO lap (at) VALUES (currentTime()) IF NOT EXISTS");
    assert_eq!(r.rows, vec![vec![Some(vec![1])]]);
    std::thread::sleep(std::time::Duration::from_millis(2));
    db.exec("INSERT INTO lap (at) VALUES (currentTime())");
    let rows = db.rows("SELECT at FROM lap").rows;
    assert_eq!(rows.len(), 2);
    let nanos = i64::from_be_bytes(rows[0][0].clone().unwrap().try_into().unwrap());
    assert!((0..86_400_000_000_000).contains(&nanos));
}

#[test]
fn null_bound_ttl_means_no_expiry_even_with_a_table_default() {
    let mut db = db();
    db.exec("CREATE TABLE lease (id int PRIMARY KEY, holder text) WITH default_time_to_live = 900");
    db.exec_with(
        "UPDATE lease USING TTL ? SET holder = ? WHERE id = ?",
        vec![val(None), val(text("ann")), val(int(4))],
    );
    let r = db.rows("SELECT ttl(holder) FROM lease WHERE id = 4");
    assert_eq!(r.rows, vec![vec![None]]);
    // An unset TTL still takes the table default.
    db.exec_with(
        "INSERT INTO lease (id, holder) VALUES (?, ?) USING TTL ?",
        vec![
            val(int(5)),
            val(text("bo")),
            cassmodel_embedded::api::BoundValue::Unset,
        ],
    );
    let r = db.rows("SELECT ttl(holder) FROM lease WHERE id = 5");
    let ttl = i32::from_be_bytes(r.rows[0][0].as_deref().unwrap().try_into().unwrap());
    assert!((800..=900).contains(&ttl), "{ttl}");
}
