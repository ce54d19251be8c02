//! The `compaction` table option: the strategy class, its sub-options and their values,
//! checked in the order Cassandra 4.1 checks them and refused with its messages.
//!
//! Sources (Apache Cassandra 4.1):
//! - `schema/CompactionParams.java` (`fromMap`, `create`, `validate`): class lookup,
//!   `provide_overlapping_tombstones`, unknown sub-options, the thresholds;
//! - `db/compaction/AbstractCompactionStrategy.java` (`validateOptions`): the options every
//!   strategy shares;
//! - `db/compaction/SizeTieredCompactionStrategyOptions.java`,
//!   `db/compaction/LeveledCompactionStrategy.java`,
//!   `db/compaction/TimeWindowCompactionStrategyOptions.java` (`validateOptions`): the
//!   strategy specific options. LCS and TWCS also run the size-tiered checks, so they accept
//!   the size-tiered options too.

use std::collections::BTreeMap;

use crate::error::{CqlError, CqlResult};

const COMPACTION_PKG: &str = "org.apache.cassandra.db.compaction.";

/// Options every strategy understands (`AbstractCompactionStrategy.validateOptions` and
/// `CompactionParams.Option`).
const COMMON: &[&str] = &[
    "class",
    "enabled",
    "min_threshold",
    "max_threshold",
    "tombstone_threshold",
    "tombstone_compaction_interval",
    "unchecked_tombstone_compaction",
    "only_purge_repaired_tombstones",
    "log_all",
    "provide_overlapping_tombstones",
];

/// `SizeTieredCompactionStrategyOptions`' keys, shared by all three strategies.
const SIZE_TIERED: &[&str] = &["min_sstable_size", "bucket_low", "bucket_high"];
const LEVELED: &[&str] = &[
    "sstable_size_in_mb",
    "fanout_size",
    "single_sstable_uplevel",
];
const TIME_WINDOW: &[&str] = &[
    "compaction_window_unit",
    "compaction_window_size",
    "timestamp_resolution",
    "expired_sstable_check_frequency_seconds",
    "unsafe_aggressive_sstable_expiration",
];

/// The compaction strategies of Cassandra 4.1.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Strategy {
    SizeTiered,
    Leveled,
    TimeWindow,
}

/// The sub-options given by the user, looked up by name.
struct Opts<'a>(&'a [(String, String)]);

impl Opts<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn err(message: String) -> CqlError {
    CqlError::config(message)
}

/// `CompactionParams.fromMap` + `CompactionParams.validate` with the strategies of
/// Cassandra 4.1; returns the map as `system_schema.tables.compaction` stores it.
pub(crate) fn compaction(m: &[(String, String)]) -> CqlResult<BTreeMap<String, String>> {
    let opts = Opts(m);
    let Some(class) = opts.get("class") else {
        return Err(CqlError::config(
            "Missing sub-option 'class' for the 'compaction' option.",
        ));
    };
    let short = class.strip_prefix(COMPACTION_PKG).unwrap_or(class);
    let strategy = match short {
        "SizeTieredCompactionStrategy" => Strategy::SizeTiered,
        "LeveledCompactionStrategy" => Strategy::Leveled,
        "TimeWindowCompactionStrategy" => Strategy::TimeWindow,
        _ => {
            let full = if class.contains('.') {
                class.to_owned()
            } else {
                format!("{COMPACTION_PKG}{class}")
            };
            return Err(err(format!(
                "Unable to find compaction strategy class '{full}'"
            )));
        }
    };
    // CompactionParams.create
    if let Some(v) = opts.get("provide_overlapping_tombstones") {
        let u = v.to_uppercase();
        if !matches!(u.as_str(), "NONE" | "ROW" | "CELL") {
            return Err(err(format!(
                "Invalid value {u} for 'provide_overlapping_tombstones' compaction sub-option - must be one of the following [NONE, ROW, CELL]."
            )));
        }
    }
    // CompactionParams.validate: the strategy's validateOptions first ...
    check_common(&opts)?;
    let specific: &[&str] = match strategy {
        Strategy::SizeTiered => &[],
        Strategy::Leveled => {
            check_leveled(&opts)?;
            LEVELED
        }
        Strategy::TimeWindow => {
            check_time_window(&opts)?;
            TIME_WINDOW
        }
    };
    check_size_tiered(&opts)?;
    // ... then what it left unchecked ...
    let unknown: Vec<&str> = m
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !COMMON.contains(k) && !SIZE_TIERED.contains(k) && !specific.contains(k))
        .collect();
    if !unknown.is_empty() {
        return Err(err(format!(
            "Properties specified [{}] are not understood by {short}",
            unknown.join(", ")
        )));
    }
    // ... then the thresholds (defaults 4 and 32 when absent).
    let min = threshold(&opts, "min_threshold", 4)?;
    let max = threshold(&opts, "max_threshold", 32)?;
    if min <= 0 || max <= 0 {
        return Err(CqlError::config(
            "Disabling compaction by setting compaction thresholds to 0 has been removed, set the compaction option 'enabled' to false instead.",
        ));
    }
    if min <= 1 {
        return Err(err(format!(
            "Min compaction threshold cannot be less than 2 (got {min})"
        )));
    }
    if min > max {
        return Err(err(format!(
            "Min compaction threshold (got {min}) cannot be greater than max compaction threshold (got {max})"
        )));
    }
    let mut out: BTreeMap<String, String> = m.iter().cloned().collect();
    out.insert("class".into(), format!("{COMPACTION_PKG}{short}"));
    out.entry("max_threshold".into())
        .or_insert_with(|| "32".into());
    out.entry("min_threshold".into())
        .or_insert_with(|| "4".into());
    Ok(out)
}

/// `CompactionParams.validate`: a threshold must be all digits (`StringUtils.isNumeric`).
fn threshold(opts: &Opts, key: &str, default: i64) -> CqlResult<i64> {
    let Some(v) = opts.get(key) else {
        return Ok(default);
    };
    let numeric = !v.is_empty() && v.chars().all(|c| c.is_ascii_digit());
    match v.parse::<i32>() {
        Ok(n) if numeric => Ok(i64::from(n)),
        _ => Err(err(format!(
            "Invalid value {v} for '{key}' compaction sub-option - must be an integer"
        ))),
    }
}

/// An integer sub-option as Cassandra's `Integer.parseInt` / `Long.parseLong` reads it:
/// `Ok(None)` when absent; unparsable → "`shown` is not a parsable int (base10) for `key`"
/// (`shown` is the value, except where Cassandra's message names another); a value
/// `below` the minimum → `too_small(n)`.
fn int_option<T: std::str::FromStr + PartialOrd + Copy>(
    opts: &Opts,
    key: &str,
    shown: Option<&str>,
    below: T,
    too_small: impl FnOnce(T) -> String,
) -> CqlResult<Option<T>> {
    let Some(v) = opts.get(key) else {
        return Ok(None);
    };
    match v.parse::<T>() {
        Ok(n) if n < below => Err(err(too_small(n))),
        Ok(n) => Ok(Some(n)),
        Err(_) => Err(err(format!(
            "{} is not a parsable int (base10) for {key}",
            shown.unwrap_or(v)
        ))),
    }
}

fn true_or_false(v: &str) -> bool {
    v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false")
}

/// `AbstractCompactionStrategy.validateOptions`.
fn check_common(opts: &Opts) -> CqlResult<()> {
    if let Some(v) = opts.get("tombstone_threshold") {
        let Some(t) = java_double(v) else {
            return Err(err(format!(
                "{v} is not a parsable int (base10) for tombstone_threshold"
            )));
        };
        // A Java float printed with `%f`.
        let t = t as f32;
        if t < 0.0 {
            return Err(err(format!(
                "tombstone_threshold must be greater than 0, but was {:.6}",
                f64::from(t)
            )));
        }
    }
    int_option(opts, "tombstone_compaction_interval", None, 0i64, |n| {
        format!("tombstone_compaction_interval must be greater than 0, but was {n}")
    })?;
    if let Some(v) = opts.get("unchecked_tombstone_compaction")
        && !true_or_false(v)
    {
        return Err(err(format!(
            "'unchecked_tombstone_compaction' should be either 'true' or 'false', not '{v}'"
        )));
    }
    if let Some(v) = opts.get("log_all")
        && !true_or_false(v)
    {
        return Err(err(format!(
            "'log_all' should either be 'true' or 'false', not {v}"
        )));
    }
    if let Some(v) = opts.get("enabled")
        && !true_or_false(v)
    {
        return Err(err(format!(
            "enabled should either be 'true' or 'false', not {v}"
        )));
    }
    Ok(())
}

/// `SizeTieredCompactionStrategyOptions.validateOptions` (the parse errors of the bucket
/// options name the default value instead of the key, as Cassandra's do).
fn check_size_tiered(opts: &Opts) -> CqlResult<()> {
    int_option(opts, "min_sstable_size", None, 0i64, |n| {
        format!("min_sstable_size must be non negative: {n}")
    })?;
    let bucket = |key: &str, default: f64, shown: &str| -> CqlResult<f64> {
        match opts.get(key) {
            None => Ok(default),
            Some(v) => java_double(v)
                .ok_or_else(|| err(format!("{v} is not a parsable int (base10) for {shown}"))),
        }
    };
    let low = bucket("bucket_low", 0.5, "0.5")?;
    let high = bucket("bucket_high", 1.5, "1.5")?;
    if high <= low {
        return Err(err(format!(
            "Bucket high value ({}) is less than or equal bucket low value ({})",
            java_double_string(high),
            java_double_string(low)
        )));
    }
    Ok(())
}

/// `LeveledCompactionStrategy.validateOptions` (a bad `fanout_size` is reported with the
/// `sstable_size_in_mb` value, as Cassandra's message does).
fn check_leveled(opts: &Opts) -> CqlResult<()> {
    // Absent, the size is its default, 1 (valid).
    int_option(opts, "sstable_size_in_mb", None, 1i32, |n| {
        format!("sstable_size_in_mb must be larger than 0, but was {n}")
    })?;
    let size = opts.get("sstable_size_in_mb").unwrap_or("1");
    int_option(opts, "fanout_size", Some(size), 1i32, |n| {
        format!("fanout_size must be larger than 0, but was {n}")
    })?;
    Ok(())
}

/// `TimeWindowCompactionStrategyOptions.validateOptions`: units are Java `TimeUnit` names,
/// upper case.
fn check_time_window(opts: &Opts) -> CqlResult<()> {
    let unit = |key: &str, allowed: &[&str]| -> CqlResult<()> {
        match opts.get(key) {
            Some(v) if !allowed.contains(&v) => Err(err(format!("{v} is not valid for {key}"))),
            _ => Ok(()),
        }
    };
    unit(
        "timestamp_resolution",
        &["SECONDS", "MILLISECONDS", "MICROSECONDS", "NANOSECONDS"],
    )?;
    unit("compaction_window_unit", &["MINUTES", "HOURS", "DAYS"])?;
    int_option(opts, "compaction_window_size", None, 1i32, |n| {
        format!("{n} must be greater than 1 for compaction_window_size")
    })?;
    int_option(
        opts,
        "expired_sstable_check_frequency_seconds",
        None,
        0i64,
        |n| format!("expired_sstable_check_frequency_seconds must not be negative, but was {n}"),
    )?;
    if let Some(v) = opts.get("unsafe_aggressive_sstable_expiration") {
        if !true_or_false(v) {
            return Err(err(format!(
                "unsafe_aggressive_sstable_expiration is not 'true' or 'false' ({v})"
            )));
        }
        // The system property that allows it is off, as in a default Cassandra.
        if v.eq_ignore_ascii_case("true") {
            return Err(CqlError::config(
                "unsafe_aggressive_sstable_expiration is requested but not allowed, restart cassandra with -Dcassandra.allow_unsafe_aggressive_sstable_expiration=true to allow it",
            ));
        }
    }
    Ok(())
}

/// `Double.parseDouble`: surrounding blanks, an optional `d`/`f` suffix, `NaN` and
/// `Infinity` spelled as Java spells them.
fn java_double(v: &str) -> Option<f64> {
    let t = v.trim_matches(|c: char| c <= ' ');
    let unsigned = t.trim_start_matches(['+', '-']);
    if unsigned == "NaN" || unsigned == "Infinity" {
        return t.replace("Infinity", "inf").parse().ok();
    }
    let body = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    let plain = body
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'));
    if !plain || body.is_empty() {
        return None;
    }
    body.parse().ok()
}

/// `Double.toString`: always a fraction digit, scientific notation outside `[1e-3, 1e7)`.
fn java_double_string(d: f64) -> String {
    if !d.is_finite() {
        return if d.is_nan() {
            "NaN".into()
        } else if d > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let a = d.abs();
    if a == 0.0 || (1e-3..1e7).contains(&a) {
        let s = format!("{d}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        let s = format!("{d:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_owned()
        } else {
            format!("{mantissa}.0")
        };
        format!("{mantissa}E{exp}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_number_formats() {
        assert_eq!(java_double(" 0.25f "), Some(0.25));
        assert_eq!(java_double("1e2"), Some(100.0));
        assert_eq!(java_double("inf"), None);
        assert_eq!(java_double("-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(java_double_string(1.0), "1.0");
        assert_eq!(java_double_string(0.75), "0.75");
        assert_eq!(java_double_string(2.5e8), "2.5E8");
    }
}
