//! Parsers for timestamp, date and time literals as Cassandra accepts them
//! (`C*: serializers/TimestampSerializer.java`, `SimpleDateSerializer.java`,
//! `TimeSerializer.java`), and the matching formatters. Strings without a zone are UTC.

use super::value::{DATE_EPOCH, NANOS_PER_DAY};
use crate::error::{CqlError, CqlResult};

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn is_integer(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn num(s: &str, len: usize) -> Option<u32> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Parses `[+-]yyyy-MM-dd` (year at least 4 digits) into days since the epoch.
fn parse_ymd(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let mut parts = rest.splitn(3, '-');
    let y = parts.next()?;
    if y.len() < 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut year: i64 = y.parse().ok()?;
    if neg {
        year = -year;
    }
    let month = num(parts.next()?, 2)?;
    let day = num(parts.next()?, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Parses `HH:mm[:ss[.f…]]` into nanoseconds of the day; `need_seconds` for `time` literals.
fn parse_hms(s: &str, need_seconds: bool) -> Option<i64> {
    let mut parts = s.splitn(3, ':');
    let h = num(parts.next()?, 2)?;
    let m = num(parts.next()?, 2)?;
    let (sec, frac) = match parts.next() {
        None if !need_seconds => (0, 0),
        None => return None,
        Some(rest) => {
            let (sec, frac) = match rest.split_once('.') {
                Some((s, f)) => (s, Some(f)),
                None => (rest, None),
            };
            let sec = num(sec, 2)?;
            let nanos = match frac {
                None => 0,
                Some(f)
                    if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    let v: i64 = f.parse().ok()?;
                    v * 10i64.pow(9 - f.len() as u32)
                }
                Some(_) => return None,
            };
            (sec, nanos)
        }
    };
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    Some(((i64::from(h) * 60 + i64::from(m)) * 60 + i64::from(sec)) * 1_000_000_000 + frac)
}

/// Splits a trailing zone (`Z`, `+HHMM`, `+HH:MM`, `+HH`, ` UTC`, `GMT`) off a timestamp;
/// returns the rest and the offset in seconds.
fn split_zone(s: &str) -> Option<(&str, i64)> {
    for name in ["UTC", "GMT", "Z"] {
        if let Some(rest) = s.strip_suffix(name) {
            return Some((rest.trim_end(), 0));
        }
    }
    // A sign after the time part (position > 10 so the date's '-' are not taken).
    let idx = s.rfind(['+', '-']).filter(|i| *i > 10)?;
    let (rest, zone) = s.split_at(idx);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let z = zone[1..].replace(':', "");
    let (h, m) = match z.len() {
        2 => (num(&z, 2)?, 0),
        4 => (num(&z[..2], 2)?, num(&z[2..], 2)?),
        _ => return None,
    };
    Some((
        rest.trim_end(),
        sign * (i64::from(h) * 3600 + i64::from(m) * 60),
    ))
}

fn parse_timestamp_text(s: &str) -> Option<i64> {
    let (body, offset) = split_zone(s).unwrap_or((s, 0));
    let (date, time) = match body.find(['T', ' ']) {
        Some(i) if i >= 10 => (&body[..i], Some(&body[i + 1..])),
        _ => (body, None),
    };
    let days = parse_ymd(date)?;
    let nanos = match time {
        Some(t) => parse_hms(t, false)?,
        None => 0,
    };
    let ms = days
        .checked_mul(86_400_000)?
        .checked_add(nanos / 1_000_000)?;
    ms.checked_sub(offset * 1000)
}

/// Parses a timestamp literal: integer milliseconds, or `yyyy-MM-dd[( |T)HH:mm[:ss[.fff]]][zone]`.
pub fn parse_timestamp(s: &str) -> CqlResult<i64> {
    if is_integer(s) {
        return s.parse().map_err(|_| {
            CqlError::invalid(format!("Unable to coerce '{s}' to a formatted date (long)"))
        });
    }
    parse_timestamp_text(s).ok_or_else(|| {
        CqlError::invalid(format!("Unable to coerce '{s}' to a formatted date (long)"))
    })
}

/// Parses a date literal into its serialized form (days with the epoch at 2^31):
/// `[+-]yyyy-MM-dd`, or an unsigned day number (already shifted).
pub fn parse_date(s: &str) -> CqlResult<u32> {
    if is_integer(s) {
        return s
            .parse::<i64>()
            .ok()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| {
                CqlError::invalid(format!(
                    "Unable to make unsigned int (for date) from: '{s}'"
                ))
            });
    }
    let days = parse_ymd(s).ok_or_else(|| {
        CqlError::invalid(format!("Unable to coerce '{s}' to a formatted date (long)"))
    })?;
    let shifted = days + i64::from(DATE_EPOCH);
    u32::try_from(shifted)
        .map_err(|_| CqlError::invalid(format!("Input date {s} is less than min supported date")))
}

/// Parses a time literal into nanoseconds since midnight: `HH:mm:ss[.fffffffff]` or integer
/// nanoseconds.
pub fn parse_time(s: &str) -> CqlResult<i64> {
    let v = if is_integer(s) {
        s.parse::<i64>()
            .map_err(|_| CqlError::invalid(format!("Unable to make long (for time) from: '{s}'")))?
    } else {
        parse_hms(s, true).ok_or_else(|| {
            CqlError::invalid(format!(
                "(TimeType) Unable to coerce '{s}' to a formatted time (long)"
            ))
        })?
    };
    if !(0..NANOS_PER_DAY).contains(&v) {
        return Err(CqlError::invalid(format!(
            "(TimeType) Unable to coerce '{s}' to a formatted time (long)"
        )));
    }
    Ok(v)
}

/// Formats a timestamp as cqlsh shows it: `yyyy-MM-dd HH:mm:ss.SSS+0000`.
pub fn format_timestamp(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:03}+0000",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// Formats a serialized date as `yyyy-MM-dd` (or the raw number when out of range).
pub fn format_date(days: u32) -> String {
    let d = i64::from(days) - i64::from(DATE_EPOCH);
    let (y, m, day) = civil_from_days(d);
    if !(-9999..=9999).contains(&y) {
        return days.to_string();
    }
    format!("{y:04}-{m:02}-{day:02}")
}

/// Formats a time as `HH:mm:ss.nnnnnnnnn`.
pub fn format_time(nanos: i64) -> String {
    let s = nanos / 1_000_000_000;
    format!(
        "{:02}:{:02}:{:02}.{:09}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        nanos % 1_000_000_000
    )
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("2011-02-03").unwrap(), 1_296_691_200_000);
        assert_eq!(
            parse_timestamp("2011-02-03 04:05").unwrap(),
            1_296_705_900_000
        );
        assert_eq!(
            parse_timestamp("2011-02-03 04:05:00.000+0000").unwrap(),
            1_296_705_900_000
        );
        assert_eq!(
            parse_timestamp("2011-02-03T04:05:00Z").unwrap(),
            1_296_705_900_000
        );
        assert_eq!(
            parse_timestamp("2011-02-03T04:05:00.5+01:00").unwrap(),
            1_296_702_300_500
        );
        assert_eq!(
            parse_timestamp("2011-02-03 04:05:00-0130").unwrap(),
            1_296_711_300_000
        );
        assert_eq!(parse_timestamp("1299038700000").unwrap(), 1_299_038_700_000);
        assert_eq!(parse_timestamp("-5").unwrap(), -5);
        assert_eq!(parse_timestamp("1969-12-31 23:59:59.999").unwrap(), -1);
        for bad in ["2011-02-30", "2011-2-3", "abc", "2011-02-03 25:00", ""] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
        }
        assert_eq!(
            format_timestamp(1_296_705_900_123),
            "2011-02-03 04:05:00.123+0000"
        );
        assert_eq!(format_timestamp(-1), "1969-12-31 23:59:59.999+0000");
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01").unwrap(), DATE_EPOCH);
        assert_eq!(parse_date("2011-02-03").unwrap(), DATE_EPOCH + 15_008);
        assert_eq!(parse_date("1969-12-31").unwrap(), DATE_EPOCH - 1);
        assert_eq!(parse_date("2147483648").unwrap(), DATE_EPOCH);
        assert!(parse_date("-1").is_err());
        assert!(parse_date("2011-13-01").is_err());
        assert_eq!(format_date(DATE_EPOCH + 15_008), "2011-02-03");
        for d in [-800_000i64, -1, 0, 59, 60, 365, 730_000] {
            let (y, m, day) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, day), d);
        }
    }

    #[test]
    fn times() {
        assert_eq!(
            parse_time("08:12:54.123456789").unwrap(),
            29_574_123_456_789
        );
        assert_eq!(parse_time("08:12:54").unwrap(), 29_574_000_000_000);
        assert_eq!(parse_time("08:12:54.1").unwrap(), 29_574_100_000_000);
        assert_eq!(parse_time("100").unwrap(), 100);
        assert!(parse_time("24:00:00").is_err());
        assert!(parse_time("08:12").is_err());
        assert!(parse_time("86400000000000").is_err());
        assert_eq!(format_time(29_574_123_456_789), "08:12:54.123456789");
    }
}
