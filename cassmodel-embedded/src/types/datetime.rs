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

/// `TimeSerializer.parseTimeStrictly`: `hh:mm:ss[.fffffffff]` after trimming, each field
/// read as a Java int (any number of digits, an optional sign) and range checked.
fn parse_time_strictly(s: &str) -> Option<i64> {
    let s = s.trim_matches(|c: char| c <= ' ');
    let first = s.find(':').filter(|&i| i > 0)?;
    let second = first + 1 + s[first + 1..].find(':')?;
    if second + 1 >= s.len() {
        return None;
    }
    let hour = java_int(&s[..first]).filter(|h| (0..24).contains(h))?;
    let minute = java_int(&s[first + 1..second]).filter(|m| (0..60).contains(m))?;
    let rest = &s[second + 1..];
    let (second_of_minute, nanos) = match rest.find('.') {
        Some(p) if p + 1 < rest.len() => {
            let fraction = &rest[p + 1..];
            if fraction.len() > 9 || !fraction.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            (java_int(&rest[..p])?, java_int(&format!("{fraction:0<9}"))?)
        }
        Some(_) => return None,
        None => (java_int(rest)?, 0),
    };
    if !(0..60).contains(&second_of_minute) {
        return None;
    }
    Some(((hour * 60 + minute) * 60 + second_of_minute) * 1_000_000_000 + nanos)
}

/// `Integer.parseInt`: an optional sign, then ASCII digits, within `i32`.
fn java_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i32>().ok().map(i64::from)
}

/// Reads a run of `min..=max` ASCII digits from the front of `s`; returns the value and the rest.
/// Like java.time's `appendValue`, the run is greedy: a longer run fails.
fn digits(s: &str, min: usize, max: usize) -> Option<(u64, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n < min || n > max {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

/// Reads exactly two ASCII digits (a fixed-width field such as an offset's hours).
fn two_digits(s: &str) -> Option<(u64, &str)> {
    let head = s.get(..2)?;
    head.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| (head.parse().ok(), &s[2..]))
        .and_then(|(v, rest)| Some((v?, rest)))
}

/// Largest year `LocalDate` (and so java.time's parsers) accepts.
const MAX_YEAR: i64 = 999_999_999;

/// The day count of a date whose day-of-month was parsed as 1..=31 under java.time's
/// `ResolverStyle.SMART` (the default of `DateTimeFormatterBuilder.toFormatter()`): an
/// invalid day is clamped to the month's last day (`IsoChronology.resolveYMD`), so
/// `2023-02-29` is 2023-02-28 and `2023-06-31` is 2023-06-30. `strict` rejects it instead
/// (`ResolverStyle.STRICT`).
fn resolve_ymd(year: i64, month: u64, day: u64, strict: bool) -> Option<i64> {
    if !(-MAX_YEAR..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let month = month as u32;
    if !(1..=31).contains(&day) {
        return None;
    }
    let last = days_in_month(year, month);
    let day = match u32::try_from(day).ok()? {
        d if d <= last => d,
        _ if strict => return None,
        _ => last,
    };
    Some(days_from_civil(year, month, day))
}

/// `ISO_LOCAL_DATE`'s `yyyy-MM-dd` (`appendValue(YEAR, 4, 10, EXCEEDS_PAD)`): four unsigned
/// digits, or a sign with more (`+` only past four digits); two-digit month and day.
/// Returns (year, month, day, rest).
fn iso_ymd(s: &str) -> Option<(i64, u64, u64, &str)> {
    let (sign, body) = match s.as_bytes().first()? {
        b'-' => (-1, &s[1..]),
        b'+' => (1, &s[1..]),
        _ => (0, s),
    };
    let (y, rest) = digits(body, 4, 10)?;
    let width = body.len() - rest.len();
    if (sign == 0 && width > 4) || (sign == 1 && width == 4) {
        return None;
    }
    let year = i64::try_from(y).ok()? * if sign == -1 { -1 } else { 1 };
    let rest = rest.strip_prefix('-')?;
    let (month, rest) = digits(rest, 2, 2)?;
    let rest = rest.strip_prefix('-')?;
    let (day, rest) = digits(rest, 2, 2)?;
    Some((year, month, day, rest))
}

/// Parses a signed offset `±HH`, `±HHMM` (`colon` false: pattern `X`), or `±HH:MM` and, with
/// `seconds`, `±HH:MM:ss` (`colon` true: pattern `XXX` or `+HH:MM:ss`) into seconds east of UTC,
/// within `ZoneOffset`'s ±18:00.
fn offset(s: &str, colon: bool, seconds: bool) -> Option<i64> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, rest) = two_digits(&s[1..])?;
    let (m, sec) = if colon {
        let (m, rest) = two_digits(rest.strip_prefix(':')?)?;
        match rest.strip_prefix(':') {
            Some(r) if seconds => {
                let (sec, r) = two_digits(r)?;
                r.is_empty().then_some((m, sec))?
            }
            _ if rest.is_empty() => (m, 0),
            _ => return None,
        }
    } else {
        match rest {
            "" => (0, 0),
            _ => (two_digits(rest).filter(|(_, r)| r.is_empty())?.0, 0),
        }
    };
    let total = (h * 3600 + m * 60 + sec) as i64;
    (h <= 18 && m <= 59 && sec <= 59 && total <= 18 * 3600).then_some(sign * total)
}

/// A zone the parsed local date-time is placed in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Zone {
    /// A fixed offset in seconds east of UTC.
    Fixed(i64),
    /// A fixed offset that only holds from the given year on.
    FixedSince(i64, i64),
    /// United States daylight saving time on a standard offset (supported from 1976).
    Us(i64),
    /// European Union summer time on a standard offset (supported from 1996).
    Eu(i64),
}

/// The zone names the embedded server resolves, as `DateTimeFormatter` patterns `z` (short
/// names), `zzzz` (full names) and both (region ids) resolve them with the JDK's locale data:
/// `PST` is `America/Los_Angeles`, so it follows that region's daylight saving time (July's
/// `PST` is UTC-7). Other names Cassandra would resolve are refused; an abbreviation whose
/// region differs between JDK versions (`BST`, `IST`, …) is left out on purpose.
const ZONE_NAMES: &[(&[&str], Zone)] = &[
    (
        &[
            "Etc/UTC",
            "Etc/UCT",
            "UCT",
            "Etc/Universal",
            "Universal",
            "Etc/Zulu",
            "Zulu",
            "Etc/GMT",
            "Etc/Greenwich",
            "Greenwich",
            "Coordinated Universal Time",
        ],
        Zone::Fixed(0),
    ),
    (
        &[
            "EST",
            "EDT",
            "America/New_York",
            "US/Eastern",
            "EST5EDT",
            "Eastern Standard Time",
            "Eastern Daylight Time",
            "Eastern Time",
        ],
        Zone::Us(-5 * 3600),
    ),
    (
        &[
            "CST",
            "CDT",
            "America/Chicago",
            "US/Central",
            "CST6CDT",
            "Central Standard Time",
            "Central Daylight Time",
            "Central Time",
        ],
        Zone::Us(-6 * 3600),
    ),
    (
        &[
            "MST",
            "MDT",
            "America/Denver",
            "US/Mountain",
            "MST7MDT",
            "Mountain Standard Time",
            "Mountain Daylight Time",
            "Mountain Time",
        ],
        Zone::Us(-7 * 3600),
    ),
    (
        &[
            "PST",
            "PDT",
            "America/Los_Angeles",
            "US/Pacific",
            "PST8PDT",
            "Pacific Standard Time",
            "Pacific Daylight Time",
            "Pacific Time",
        ],
        Zone::Us(-8 * 3600),
    ),
    (
        &[
            "CET",
            "CEST",
            "Europe/Paris",
            "Europe/Berlin",
            "Central European Standard Time",
            "Central European Summer Time",
            "Central European Time",
        ],
        Zone::Eu(3600),
    ),
    (&["Europe/London", "GB"], Zone::Eu(0)),
    (
        &["JST", "Asia/Tokyo", "Japan", "Japan Standard Time"],
        Zone::FixedSince(9 * 3600, 1952),
    ),
];

/// The zone of a text zone (`DateTimeFormatterBuilder.appendZoneText`, whose parser is
/// `ZoneIdPrinterParser.parse`): `UTC`, `GMT` and `UT` with an optional `+HH:MM[:ss]`,
/// `GMT0`, a bare `+HH:MM[:ss]`, `Z`, or a name from [`ZONE_NAMES`]. Case-sensitive.
fn zone_text(s: &str) -> Option<Zone> {
    if s.starts_with(['+', '-']) {
        return offset(s, true, true).map(Zone::Fixed);
    }
    if s == "GMT0" {
        return Some(Zone::Fixed(0));
    }
    for prefix in ["UTC", "GMT", "UT"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            return match rest {
                "" => Some(Zone::Fixed(0)),
                _ => offset(rest, true, true).map(Zone::Fixed),
            };
        }
    }
    if s == "Z" {
        return Some(Zone::Fixed(0));
    }
    ZONE_NAMES
        .iter()
        .find(|(names, _)| names.contains(&s))
        .map(|(_, zone)| *zone)
}

/// The zone after a date or date-time: the offset patterns TimestampSerializer appends
/// (`" z"`, `" zzzz"`, `" X"`, `"X"`, `"XXX"`). `None` when nothing follows (the local zone).
fn trailing_zone(rest: &str) -> Option<Option<Zone>> {
    if rest.is_empty() {
        return Some(None);
    }
    if let Some(text) = rest.strip_prefix(' ') {
        // " X" (`Z`, `±HH`, `±HHMM`), then " z" / " zzzz".
        if text == "Z" {
            return Some(Some(Zone::Fixed(0)));
        }
        if let Some(o) = offset(text, false, false) {
            return Some(Some(Zone::Fixed(o)));
        }
        return zone_text(text).map(Some);
    }
    // "X" and "XXX": `Z`, `±HH`, `±HHMM`, `±HH:MM`.
    if rest == "Z" {
        return Some(Some(Zone::Fixed(0)));
    }
    offset(rest, false, false)
        .or_else(|| offset(rest, true, false))
        .map(|o| Some(Zone::Fixed(o)))
}

/// Day count of the `n`th (1-based) Sunday of a month, or of the last one with `n == 0`.
fn sunday(year: i64, month: u32, n: i64) -> i64 {
    // 1970-01-01 was a Thursday: weekday 0 is Sunday.
    let weekday = |d: i64| (d + 4).rem_euclid(7);
    if n == 0 {
        let last = days_from_civil(year, month, days_in_month(year, month));
        return last - weekday(last);
    }
    let first = days_from_civil(year, month, 1);
    first + (7 - weekday(first)) % 7 + 7 * (n - 1)
}

/// Seconds since the epoch of local seconds `local` (year `year`) in `zone`, as
/// `LocalDateTime.atZone` resolves them: in a gap the time moves forward by the gap, in an
/// overlap the earlier offset (summer time) wins. `Err` names a year the rules here do not
/// cover.
fn to_epoch_seconds(local: i64, year: i64, zone: Zone) -> Result<i64, i64> {
    // The UTC instants summer time starts and ends in `year`.
    let (std, dst_range) = match zone {
        Zone::Fixed(off) => return Ok(local - off),
        Zone::FixedSince(off, since) if year >= since => return Ok(local - off),
        Zone::FixedSince(..) => return Err(year),
        Zone::Us(std) if year >= 1976 => {
            // 02:00 local standard time to 02:00 local summer time (the Energy Policy Acts).
            let (start, end) = match year {
                1976..=1986 => (sunday(year, 4, 0), sunday(year, 10, 0)),
                1987..=2006 => (sunday(year, 4, 1), sunday(year, 10, 0)),
                _ => (sunday(year, 3, 2), sunday(year, 11, 1)),
            };
            (
                std,
                (
                    start * 86_400 + 7200 - std,
                    end * 86_400 + 7200 - std - 3600,
                ),
            )
        }
        Zone::Eu(std) if year >= 1996 => {
            // 01:00 UTC on the last Sundays of March and October (directive 2000/84/EC).
            let start = sunday(year, 3, 0) * 86_400 + 3600;
            let end = sunday(year, 10, 0) * 86_400 + 3600;
            (std, (start, end))
        }
        Zone::Us(_) | Zone::Eu(_) => return Err(year),
    };
    let in_dst = |t: i64| (dst_range.0..dst_range.1).contains(&t);
    let summer = local - std - 3600;
    Ok(if in_dst(summer) { summer } else { local - std })
}

/// A parsed local date-time: days since the epoch, milliseconds of the day, the proleptic year.
struct Local {
    days: i64,
    millis: i64,
    year: i64,
}

/// The date-time patterns `y-M-d'T'H:m[:s]` and `y-M-d H:m[:s]` with
/// `appendFraction(MILLI_OF_SECOND, 0, 9, true)`: every field is 1–19 digits (`y` is the
/// year-of-era, so from 1), the fraction is truncated to milliseconds and needs the seconds,
/// and SMART resolution clamps the day and reads `24:00[:00[.0…]]` as the next midnight.
fn local_date_time(s: &str) -> Option<(Local, &str)> {
    let (y, rest) = digits(s, 1, 19)?;
    let (month, rest) = digits(rest.strip_prefix('-')?, 1, 19)?;
    let (day, rest) = digits(rest.strip_prefix('-')?, 1, 19)?;
    let rest = rest.strip_prefix(['T', ' '])?;
    let (h, rest) = digits(rest, 1, 19)?;
    let (m, mut rest) = digits(rest.strip_prefix(':')?, 1, 19)?;
    let mut sec = 0;
    let mut frac_ms = 0;
    let mut frac_zero = true;
    if let Some(r) = rest.strip_prefix(':') {
        (sec, rest) = digits(r, 1, 19)?;
        if let Some(after_dot) = rest.strip_prefix('.') {
            let (f, r) = digits(after_dot, 0, 9).unwrap_or((0, after_dot));
            let width = after_dot.len() - r.len();
            if r.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            frac_zero = f == 0;
            frac_ms = if width > 3 {
                f / 10u64.pow((width - 3) as u32)
            } else {
                f * 10u64.pow((3 - width) as u32)
            };
            rest = r;
        }
    }
    let year = i64::try_from(y)
        .ok()
        .filter(|y| (1..=MAX_YEAR).contains(y))?;
    let mut days = resolve_ymd(year, month, day, false)?;
    if m > 59 || sec > 59 {
        return None;
    }
    let h = match h {
        0..=23 => h,
        24 if m == 0 && sec == 0 && frac_zero => {
            days += 1;
            0
        }
        _ => return None,
    };
    let millis = ((h * 60 + m) * 60 + sec) as i64 * 1000 + frac_ms as i64;
    Some((Local { days, millis, year }, rest))
}

/// The date-only patterns: `yyyy-MM-dd` followed by an offset pattern, and `ISO_DATE`
/// (`ISO_LOCAL_DATE` and an optional `+HH:MM:ss`/`Z` offset), both at midnight.
fn local_date(s: &str) -> Option<(Local, Option<Zone>)> {
    let (year, month, day, rest) = iso_ymd(s)?;
    let days = resolve_ymd(year, month, day, false)?;
    let local = Local {
        days,
        millis: 0,
        year,
    };
    let plain_year = s.as_bytes().first().is_some_and(u8::is_ascii_digit);
    // `yyyy` is a year-of-era: 0 and negative years only through ISO_DATE.
    if plain_year
        && year >= 1
        && let Some(zone) = trailing_zone(rest).filter(Option::is_some)
    {
        return Some((local, zone));
    }
    match rest {
        "" => Some((local, None)),
        "Z" => Some((local, Some(Zone::Fixed(0)))),
        _ => offset(rest, true, true).map(|o| (local, Some(Zone::Fixed(o)))),
    }
}

/// Why a timestamp string is refused.
enum TsError {
    /// No pattern matches (Cassandra's `Unable to parse a date/time`).
    Invalid,
    /// A zone this server knows only for other years.
    UnsupportedYear(i64),
}

fn parse_timestamp_text(s: &str) -> Result<i64, TsError> {
    let (local, zone) = match local_date_time(s) {
        Some((local, rest)) => (local, trailing_zone(rest).ok_or(TsError::Invalid)?),
        None => local_date(s).ok_or(TsError::Invalid)?,
    };
    // A string without a zone is in the JVM's default zone (`ZoneId.systemDefault()`); the
    // embedded server runs in UTC.
    let zone = zone.unwrap_or(Zone::Fixed(0));
    let local_secs = local
        .days
        .checked_mul(86_400)
        .ok_or(TsError::Invalid)?
        .checked_add(local.millis / 1000)
        .ok_or(TsError::Invalid)?;
    let secs = to_epoch_seconds(local_secs, local.year, zone).map_err(TsError::UnsupportedYear)?;
    // `Instant.toEpochMilli` overflows (an ArithmeticException in Cassandra) past ±2^63 ms.
    secs.checked_mul(1000)
        .and_then(|ms| ms.checked_add(local.millis % 1000))
        .ok_or(TsError::Invalid)
}

/// The current time in milliseconds, for the literal `now`.
pub(crate) fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Parses a timestamp literal as `TimestampSerializer.dateStringToTimestamp` does
/// (`C*: src/java/org/apache/cassandra/serializers/TimestampSerializer.java`, 4.1): `now` in
/// any case (the current time), integer milliseconds, or one of its java.time patterns
/// (date-times with `T` or a space and 1–19 digit fields, dates alone, each with an optional
/// numeric offset or zone name; see `ZONE_NAMES` for the names supported here).
pub fn parse_timestamp(s: &str) -> CqlResult<i64> {
    if s.eq_ignore_ascii_case("now") {
        return Ok(now_millis());
    }
    if is_integer(s) {
        return s
            .parse()
            .map_err(|_| CqlError::invalid(format!("Unable to make long (for date) from: '{s}'")));
    }
    parse_timestamp_text(s).map_err(|e| match e {
        TsError::Invalid => CqlError::invalid(format!("Unable to parse a date/time from '{s}'")),
        TsError::UnsupportedYear(year) => CqlError::invalid(format!(
            "Unable to parse a date/time from '{s}': the embedded server does not support \
             this time zone in year {year}"
        )),
    })
}

/// Parses a date literal as `SimpleDateSerializer.dateStringToDays` does
/// (`C*: src/java/org/apache/cassandra/serializers/SimpleDateSerializer.java`) into its
/// serialized form (days with the epoch at 2^31): an unsigned day number (already shifted), or
/// `ISO_LOCAL_DATE` under `ResolverStyle.STRICT`, so an invalid day such as `2023-02-29` is
/// refused rather than clamped.
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
    let coerce = || CqlError::invalid(format!("Unable to coerce '{s}' to a formatted date (long)"));
    let (year, month, day, rest) = iso_ymd(s).ok_or_else(coerce)?;
    if !rest.is_empty() {
        return Err(coerce());
    }
    let days = resolve_ymd(year, month, day, true).ok_or_else(coerce)?;
    // `atStartOfDay(UTC).toInstant().toEpochMilli()` overflows (an ArithmeticException,
    // caught with the parse errors) before the range checks.
    if days.checked_mul(86_400_000).is_none() {
        return Err(coerce());
    }
    if days < i64::from(i32::MIN) {
        return Err(CqlError::invalid(format!(
            "Input date {s} is less than min supported date -5877641-06-23T00:00Z"
        )));
    }
    if days > i64::from(i32::MAX) {
        return Err(CqlError::invalid(format!(
            "Input date {s} is greater than max supported date +5881580-07-11T00:00Z"
        )));
    }
    Ok((days + i64::from(DATE_EPOCH)) as u32)
}

/// Parses a time literal into nanoseconds since midnight: `HH:mm:ss[.fffffffff]` or integer
/// nanoseconds.
/// (`TimeSerializer.timeStringToLong`: raw nanoseconds out of the day are refused as
/// unparsable longs.)
pub fn parse_time(s: &str) -> CqlResult<i64> {
    let v = if is_integer(s) {
        s.parse::<i64>()
            .ok()
            .filter(|v| (0..NANOS_PER_DAY).contains(v))
            .ok_or_else(|| {
                CqlError::invalid(format!("Unable to make long (for time) from: '{s}'"))
            })?
    } else {
        parse_time_strictly(s)
            .filter(|v| (0..NANOS_PER_DAY).contains(v))
            .ok_or_else(|| {
                CqlError::invalid(format!(
                    "(TimeType) Unable to coerce '{s}' to a formatted time (long)"
                ))
            })?
    };
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
