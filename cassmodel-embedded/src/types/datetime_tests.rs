//! Tests of the timestamp, date and time literal parsers and formatters against values
//! Cassandra 4.1's `TimestampSerializer` / `SimpleDateSerializer` produce.

#![expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use super::datetime::*;
use super::value::DATE_EPOCH;

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
    for bad in ["2011-2-3", "abc", "2011-02-03 25:00", ""] {
        assert!(parse_timestamp(bad).is_err(), "{bad}");
    }
    assert_eq!(
        format_timestamp(1_296_705_900_123),
        "2011-02-03 04:05:00.123+0000"
    );
    assert_eq!(format_timestamp(-1), "1969-12-31 23:59:59.999+0000");
}

fn ts(s: &str) -> i64 {
    parse_timestamp(s).unwrap_or_else(|e| panic!("{s}: {}", e.message))
}

fn ts_err(s: &str) -> String {
    parse_timestamp(s).map_or_else(|e| e.message, |v| panic!("{s} parsed as {v}"))
}

// Expected values below were produced by running TimestampSerializer's 4.1 formatter list
// and SimpleDateSerializer's formatter on a JVM with the default zone UTC.

#[test]
fn timestamp_day_of_month_is_clamped_not_rolled_over() {
    // ResolverStyle.SMART: 2023-02-29 is 2023-02-28, never 2023-03-01.
    assert_eq!(ts("2023-02-29"), 1_677_542_400_000);
    assert_eq!(ts("2023-02-29"), ts("2023-02-28"));
    assert_eq!(ts("2023-02-29 10:00:00+0000"), 1_677_578_400_000);
    assert_eq!(ts("2023-06-31"), ts("2023-06-30"));
    assert_eq!(ts("2024-02-30"), ts("2024-02-29"));
    assert_eq!(ts("2024-04-31 23:59:59.999"), ts("2024-04-30 23:59:59.999"));
    for bad in [
        "2024-02-32",
        "2024-00-01 10:00",
        "2024-13-01 10:00",
        "2024-01-00",
    ] {
        assert_eq!(
            ts_err(bad),
            format!("Unable to parse a date/time from '{bad}'")
        );
    }
}

#[test]
fn timestamp_forms_cassandra_accepts() {
    // Fields of 1 to 19 digits, the fraction truncated to milliseconds, `24:00`.
    assert_eq!(ts("2024-3-5 1:2"), 1_709_600_520_000);
    assert_eq!(ts("2024-001-01 010:00"), 1_704_103_200_000);
    assert_eq!(ts("24-01-01 10:00"), -61_409_800_800_000);
    assert_eq!(ts("2024-01-01 10:00:5"), 1_704_103_205_000);
    assert_eq!(ts("2024-01-01 10:00:00.999999999"), 1_704_103_200_999);
    assert_eq!(ts("1969-12-31 23:59:59.9999"), -1);
    assert_eq!(ts("2024-01-01 10:00:00."), 1_704_103_200_000);
    assert_eq!(ts("2024-01-01 24:00"), 1_704_153_600_000);
    assert_eq!(ts("2024-01-01 24:00:00.000"), 1_704_153_600_000);
    // Numeric offsets, with or without one space.
    assert_eq!(ts("2024-01-01 10:00 +0130"), 1_704_097_800_000);
    assert_eq!(ts("2024-01-01 10:00+01"), 1_704_099_600_000);
    assert_eq!(ts("2024-01-01 10:00 -01"), 1_704_106_800_000);
    assert_eq!(ts("2024-01-01 10:00 +01:00:30"), 1_704_099_570_000);
    assert_eq!(ts("2024-01-01 10:00 -18:00"), 1_704_168_000_000);
    assert_eq!(ts("2024-01-01 10:00Z"), 1_704_103_200_000);
    assert_eq!(ts("2024-01-01 10:00 Z"), 1_704_103_200_000);
    // Dates alone, with an offset or through ISO_DATE.
    assert_eq!(ts("2024-01-01 -05:00"), 1_704_085_200_000);
    assert_eq!(ts("2024-01-01-05:00"), 1_704_085_200_000);
    assert_eq!(ts("2024-01-01+01:00:30"), 1_704_063_570_000);
    assert_eq!(ts("0000-01-01"), -62_167_219_200_000);
    assert_eq!(ts("-0001-01-01"), -62_198_755_200_000);
    assert_eq!(ts("+10000-01-01"), 253_402_300_800_000);
    for bad in [
        "2024-01-01 24:01",
        "2024-01-01 24:00:00.001",
        "2024-01-01 10:00.5",
        "2024-01-01 10:00:00.1234567891",
        "2024-01-01 10:00:60",
        "2024-01-01t10:00",
        "-2024-01-01 10:00",
        "+2024-01-01",
        "2024-1-1",
        "10000-01-01",
        " 2024-01-01",
        "2024-01-01 ",
        "2024-01-01 10:00  +01:00",
        "2024-01-01 10:00+01:00:30",
        "2024-01-01 10:00 +1",
        "2024-01-01 10:00 +013",
        "2024-01-01 10:00 +19:00",
        "2024-01-01 10:00 +18:00:01",
        "2024-01-01 10:00 +00:60",
        "2024-01-01 10:00z",
        "999999999-01-01 10:00",
    ] {
        assert_eq!(
            ts_err(bad),
            format!("Unable to parse a date/time from '{bad}'")
        );
    }
    assert_eq!(
        ts_err("99999999999999999999"),
        "Unable to make long (for date) from: '99999999999999999999'"
    );
}

#[test]
fn timestamp_now_is_the_current_time() {
    let before = now_millis();
    let got = [ts("now"), ts("NOW"), ts("Now")];
    let after = now_millis();
    for v in got {
        assert!(
            (before..=after).contains(&v),
            "{v} not in {before}..={after}"
        );
    }
    assert!(parse_timestamp("now ").is_err());
}

#[test]
fn timestamp_zone_names() {
    assert_eq!(ts("2024-01-01 10:00:00 UTC"), 1_704_103_200_000);
    assert_eq!(ts("2024-01-01 10:00 GMT"), 1_704_103_200_000);
    assert_eq!(ts("2024-01-01 10:00 UT"), 1_704_103_200_000);
    assert_eq!(ts("2024-01-01 10:00 GMT0"), 1_704_103_200_000);
    assert_eq!(ts("2024-01-01 10:00 UTC+01:00"), 1_704_099_600_000);
    assert_eq!(ts("2024-01-01 10:00 UTC+01:30:15"), 1_704_097_785_000);
    assert_eq!(ts("2024-01-01 10:00 UTC-05:00"), 1_704_121_200_000);
    assert_eq!(ts("2024-01-01 UTC"), 1_704_067_200_000);
    assert_eq!(
        ts("2024-03-10 10:00:00 Coordinated Universal Time"),
        1_710_064_800_000
    );
    assert_eq!(ts("2024-01-01 10:00 Etc/UTC"), 1_704_103_200_000);
    // An abbreviation is its region: July's PST is UTC-7, January's PDT is UTC-8.
    assert_eq!(ts("2024-03-10 10:00:00 PST"), 1_710_090_000_000);
    assert_eq!(ts("2024-07-10 10:00:00 PST"), 1_720_630_800_000);
    assert_eq!(ts("2024-01-01 10:00 PDT"), 1_704_132_000_000);
    assert_eq!(
        ts("2024-01-01 10:00 Pacific Standard Time"),
        1_704_132_000_000
    );
    assert_eq!(ts("2024-07-01 10:00 America/New_York"), 1_719_842_400_000);
    assert_eq!(ts("2024-01-01 10:00 EST"), 1_704_121_200_000);
    assert_eq!(ts("2024-01-01 10:00 CET"), 1_704_099_600_000);
    assert_eq!(ts("2024-01-01 10:00 JST"), 1_704_070_800_000);
    assert_eq!(ts("2024-07-01 PST"), 1_719_817_200_000);
    // Gaps move forward, overlaps take the summer offset (LocalDateTime.atZone).
    assert_eq!(ts("2024-03-10 02:30 America/New_York"), 1_710_055_800_000);
    assert_eq!(ts("2024-11-03 01:30 America/New_York"), 1_730_611_800_000);
    assert_eq!(ts("2024-03-31 02:30 Europe/Paris"), 1_711_848_600_000);
    assert_eq!(ts("2024-10-27 02:30 Europe/Paris"), 1_729_989_000_000);
    for bad in [
        "2024-01-01 10:00 utc",
        "2024-01-01 10:00 UTC+1",
        "2024-01-01 10:00 UTC+01",
        "2024-01-01 10:00 GMT+0100",
        "2024-01-01 10:00 UTCZ",
        "2024-01-01 10:00 UTC ",
        "2024-01-01 10:00 pst",
        "2024-01-01 10:00 Nowhere",
    ] {
        assert_eq!(
            ts_err(bad),
            format!("Unable to parse a date/time from '{bad}'")
        );
    }
    // Outside the daylight-saving rules this server carries: refused, not guessed.
    assert_eq!(
        ts_err("1970-07-01 10:00 PST"),
        "Unable to parse a date/time from '1970-07-01 10:00 PST': the embedded server \
         does not support this time zone in year 1970"
    );
}

#[test]
fn dates_are_strict() {
    for bad in [
        "2023-02-29",
        "2023-06-31",
        "2024-02-30",
        "2024-1-1",
        "+2024-01-01",
        "2024-01-01Z",
    ] {
        assert_eq!(
            parse_date(bad).unwrap_err().message,
            format!("Unable to coerce '{bad}' to a formatted date (long)")
        );
    }
    assert_eq!(parse_date("2024-02-29").unwrap(), DATE_EPOCH + 19_782);
    assert_eq!(parse_date("-2024-01-01").unwrap(), DATE_EPOCH - 1_458_779);
    assert_eq!(parse_date("+10000-01-01").unwrap(), DATE_EPOCH + 2_932_897);
    assert_eq!(parse_date("-5877641-06-23").unwrap(), 0);
    assert_eq!(
        parse_date("-5877641-06-22").unwrap_err().message,
        "Input date -5877641-06-22 is less than min supported date -5877641-06-23T00:00Z"
    );
    assert_eq!(
        parse_date("+5881580-07-12").unwrap_err().message,
        "Input date +5881580-07-12 is greater than max supported date +5881580-07-11T00:00Z"
    );
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
    // TimeSerializer.parseTimeStrictly trims and reads each field with Integer.parseInt.
    assert_eq!(parse_time(" 1:2:3 ").unwrap(), 3_723_000_000_000);
    assert_eq!(parse_time("00:00:00.000000001").unwrap(), 1);
    assert!(parse_time("00:00:00.").is_err());
    assert!(parse_time("00:00:00.1234567890").is_err());
    assert!(parse_time("00:60:00").is_err());
    assert_eq!(
        parse_time("-1").unwrap_err().message,
        "Unable to make long (for time) from: '-1'"
    );
    assert_eq!(format_time(29_574_123_456_789), "08:12:54.123456789");
}
