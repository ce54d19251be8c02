//! The `compaction` table option's sub-options, checked as Cassandra 4.1 checks them
//! (`CompactionParams.validate` and the strategies' `validateOptions`), through ALTER TABLE.
#![allow(clippy::unwrap_used)]

mod engine_common;

use std::collections::BTreeMap;

use cassmodel_embedded::api::QueryParams;
use cassmodel_embedded::error::ErrorCode;
use engine_common::*;

fn setup() -> Db {
    let mut db = db();
    db.exec("CREATE TABLE jobs (id int PRIMARY KEY, state text)");
    db
}

fn alter(pairs: &[(&str, &str)]) -> String {
    let body: Vec<String> = pairs.iter().map(|(k, v)| format!("'{k}': '{v}'")).collect();
    format!("ALTER TABLE jobs WITH compaction = {{{}}}", body.join(", "))
}

/// Applies the options and returns the stored compaction map.
fn run(db: &mut Db, pairs: &[(&str, &str)]) -> Result<BTreeMap<String, String>, String> {
    let cql = alter(pairs);
    db.try_query(&cql, &QueryParams::default())
        .map_err(|e| e.message)?;
    let snap = db.engine.catalog().snapshot();
    Ok(snap.table("ks", "jobs").unwrap().params.compaction.clone())
}

fn refused(db: &mut Db, pairs: &[(&str, &str)]) -> String {
    let cql = alter(pairs);
    let e = db.err(&cql);
    assert_eq!(e.code, ErrorCode::Config, "{cql}: {}", e.message);
    e.message
}

#[test]
fn shared_options_are_checked_for_every_strategy() {
    let mut db = setup();
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "LeveledCompactionStrategy"),
                ("tombstone_threshold", "-2.5")
            ]
        ),
        "tombstone_threshold must be greater than 0, but was -2.500000"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "SizeTieredCompactionStrategy"),
                ("tombstone_threshold", "lots")
            ]
        ),
        "lots is not a parsable int (base10) for tombstone_threshold"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "TimeWindowCompactionStrategy"),
                ("tombstone_compaction_interval", "-30")
            ]
        ),
        "tombstone_compaction_interval must be greater than 0, but was -30"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "SizeTieredCompactionStrategy"),
                ("unchecked_tombstone_compaction", "perhaps")
            ]
        ),
        "'unchecked_tombstone_compaction' should be either 'true' or 'false', not 'perhaps'"
    );
    assert_eq!(
        refused(
            &mut db,
            &[("class", "SizeTieredCompactionStrategy"), ("enabled", "on")]
        ),
        "enabled should either be 'true' or 'false', not on"
    );
    assert_eq!(
        refused(
            &mut db,
            &[("class", "SizeTieredCompactionStrategy"), ("log_all", "2")]
        ),
        "'log_all' should either be 'true' or 'false', not 2"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "SizeTieredCompactionStrategy"),
                ("provide_overlapping_tombstones", "rows")
            ]
        ),
        "Invalid value ROWS for 'provide_overlapping_tombstones' compaction sub-option - must be one of the following [NONE, ROW, CELL]."
    );
    // A large threshold is fine: Cassandra only refuses negative ones.
    run(
        &mut db,
        &[
            ("class", "SizeTieredCompactionStrategy"),
            ("tombstone_threshold", "3"),
            ("enabled", "FALSE"),
        ],
    )
    .expect("accepted");
}

#[test]
fn size_tiered_options() {
    let mut db = setup();
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "SizeTieredCompactionStrategy"),
                ("min_sstable_size", "-10")
            ]
        ),
        "min_sstable_size must be non negative: -10"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "SizeTieredCompactionStrategy"),
                ("bucket_low", "2")
            ]
        ),
        "Bucket high value (1.5) is less than or equal bucket low value (2.0)"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "SizeTieredCompactionStrategy"),
                ("bucket_high", "x")
            ]
        ),
        "x is not a parsable int (base10) for 1.5"
    );
    // The size-tiered options are understood by the other strategies too.
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "TimeWindowCompactionStrategy"),
                ("bucket_low", "0.9"),
                ("bucket_high", "0.8")
            ]
        ),
        "Bucket high value (0.8) is less than or equal bucket low value (0.9)"
    );
    run(
        &mut db,
        &[
            ("class", "LeveledCompactionStrategy"),
            ("min_sstable_size", "100"),
        ],
    )
    .expect("accepted");
}

#[test]
fn leveled_options() {
    let mut db = setup();
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "LeveledCompactionStrategy"),
                ("sstable_size_in_mb", "0")
            ]
        ),
        "sstable_size_in_mb must be larger than 0, but was 0"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "LeveledCompactionStrategy"),
                ("sstable_size_in_mb", "big")
            ]
        ),
        "big is not a parsable int (base10) for sstable_size_in_mb"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "LeveledCompactionStrategy"),
                ("fanout_size", "-3")
            ]
        ),
        "fanout_size must be larger than 0, but was -3"
    );
}

#[test]
fn time_window_options() {
    let mut db = setup();
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "TimeWindowCompactionStrategy"),
                ("compaction_window_unit", "WEEKS")
            ]
        ),
        "WEEKS is not valid for compaction_window_unit"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "TimeWindowCompactionStrategy"),
                ("compaction_window_unit", "hours")
            ]
        ),
        "hours is not valid for compaction_window_unit"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "TimeWindowCompactionStrategy"),
                ("timestamp_resolution", "DAYS")
            ]
        ),
        "DAYS is not valid for timestamp_resolution"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "TimeWindowCompactionStrategy"),
                ("compaction_window_size", "0")
            ]
        ),
        "0 must be greater than 1 for compaction_window_size"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "TimeWindowCompactionStrategy"),
                ("expired_sstable_check_frequency_seconds", "-1")
            ]
        ),
        "expired_sstable_check_frequency_seconds must not be negative, but was -1"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "TimeWindowCompactionStrategy"),
                ("unsafe_aggressive_sstable_expiration", "sure")
            ]
        ),
        "unsafe_aggressive_sstable_expiration is not 'true' or 'false' (sure)"
    );
    run(
        &mut db,
        &[
            ("class", "TimeWindowCompactionStrategy"),
            ("compaction_window_unit", "HOURS"),
            ("compaction_window_size", "6"),
            ("timestamp_resolution", "MILLISECONDS"),
        ],
    )
    .expect("accepted");
}

#[test]
fn value_checks_come_before_unknown_options_and_thresholds_last() {
    let mut db = setup();
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "LeveledCompactionStrategy"),
                ("nonsense", "1"),
                ("sstable_size_in_mb", "-1")
            ]
        ),
        "sstable_size_in_mb must be larger than 0, but was -1"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "LeveledCompactionStrategy"),
                ("compaction_window_unit", "DAYS")
            ]
        ),
        "Properties specified [compaction_window_unit] are not understood by LeveledCompactionStrategy"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "SizeTieredCompactionStrategy"),
                ("min_threshold", "-4")
            ]
        ),
        "Invalid value -4 for 'min_threshold' compaction sub-option - must be an integer"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "SizeTieredCompactionStrategy"),
                ("max_threshold", "0")
            ]
        ),
        "Disabling compaction by setting compaction thresholds to 0 has been removed, set the compaction option 'enabled' to false instead."
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "SizeTieredCompactionStrategy"),
                ("min_threshold", "1")
            ]
        ),
        "Min compaction threshold cannot be less than 2 (got 1)"
    );
    assert_eq!(
        refused(
            &mut db,
            &[
                ("class", "SizeTieredCompactionStrategy"),
                ("min_threshold", "40")
            ]
        ),
        "Min compaction threshold (got 40) cannot be greater than max compaction threshold (got 32)"
    );
    let stored = run(
        &mut db,
        &[
            ("class", "SizeTieredCompactionStrategy"),
            ("min_threshold", "6"),
        ],
    )
    .expect("ok");
    assert_eq!(stored.get("max_threshold").map(String::as_str), Some("32"));
    assert_eq!(
        stored.get("class").map(String::as_str),
        Some("org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy")
    );
}

#[test]
fn numeric_literals_are_checked_like_strings() {
    let mut db = setup();
    let e = db.err(
        "ALTER TABLE jobs WITH compaction = {'class': 'SizeTieredCompactionStrategy', 'tombstone_threshold': -1.25, 'min_sstable_size': 7}",
    );
    assert_eq!(e.code, ErrorCode::Config);
    assert_eq!(
        e.message,
        "tombstone_threshold must be greater than 0, but was -1.250000"
    );
    let e = db.err(
        "ALTER TABLE jobs WITH compaction = {'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': -20}",
    );
    assert_eq!(
        e.message,
        "sstable_size_in_mb must be larger than 0, but was -20"
    );
    db.exec(
        "ALTER TABLE jobs WITH compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_size': 12, 'bucket_high': 2.5}",
    );
}
