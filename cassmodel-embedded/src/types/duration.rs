//! Duration literals as Cassandra parses them (`C*: cql3/Duration.java` `from`): the
//! standard form `1y2mo3w4d5h6m7s8ms9us10ns` (units in decreasing order, each once) and
//! the ISO 8601 forms `P1Y2M3DT4H5M6S`, `P2W` and `P0001-02-03T04:05:06`; all may be
//! negated with a leading `-`. Also the formatter.

use super::value::Duration;
use crate::error::{CqlError, CqlResult};

const NS_PER_US: i64 = 1_000;
const NS_PER_MS: i64 = 1_000_000;
const NS_PER_S: i64 = 1_000_000_000;
const NS_PER_M: i64 = 60 * NS_PER_S;
const NS_PER_H: i64 = 60 * NS_PER_M;

#[derive(Default)]
struct Builder {
    months: i64,
    days: i64,
    nanos: i64,
    last_rank: Option<usize>,
}

const UNIT_NAMES: [&str; 10] = [
    "years",
    "months",
    "weeks",
    "days",
    "hours",
    "minutes",
    "seconds",
    "milliseconds",
    "microseconds",
    "nanoseconds",
];

impl Builder {
    fn add(&mut self, rank: usize, n: i64, input: &str) -> CqlResult<()> {
        if let Some(last) = self.last_rank {
            if last == rank {
                return Err(CqlError::invalid(format!(
                    "Invalid duration. The {} are specified multiple times",
                    UNIT_NAMES[rank]
                )));
            }
            if last > rank {
                return Err(CqlError::invalid(format!(
                    "Invalid duration. The {} should be after {}",
                    UNIT_NAMES[last], UNIT_NAMES[rank]
                )));
            }
        }
        self.last_rank = Some(rank);
        let overflow =
            || CqlError::invalid(format!("Invalid duration. The total is too large: {input}"));
        let mul = |a: i64, b: i64| a.checked_mul(b).ok_or_else(overflow);
        match rank {
            0 => self.months = self.months.checked_add(mul(n, 12)?).ok_or_else(overflow)?,
            1 => self.months = self.months.checked_add(n).ok_or_else(overflow)?,
            2 => self.days = self.days.checked_add(mul(n, 7)?).ok_or_else(overflow)?,
            3 => self.days = self.days.checked_add(n).ok_or_else(overflow)?,
            _ => {
                let per = [NS_PER_H, NS_PER_M, NS_PER_S, NS_PER_MS, NS_PER_US, 1][rank - 4];
                self.nanos = self.nanos.checked_add(mul(n, per)?).ok_or_else(overflow)?;
            }
        }
        Ok(())
    }

    fn build(self, negative: bool, input: &str) -> CqlResult<Duration> {
        let sign = if negative { -1 } else { 1 };
        let months = i32::try_from(self.months).map_err(|_| {
            CqlError::invalid(format!(
                "Invalid duration. The number of months must be less or equal to {}: {input}",
                i32::MAX
            ))
        })?;
        let days = i32::try_from(self.days).map_err(|_| {
            CqlError::invalid(format!(
                "Invalid duration. The number of days must be less or equal to {}: {input}",
                i32::MAX
            ))
        })?;
        Ok(Duration {
            months: sign * months,
            days: sign * days,
            nanos: i64::from(sign) * self.nanos,
        })
    }
}

fn unit_rank(unit: &str) -> Option<usize> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "y" => 0,
        "mo" => 1,
        "w" => 2,
        "d" => 3,
        "h" => 4,
        "m" => 5,
        "s" => 6,
        "ms" => 7,
        "us" | "µs" => 8,
        "ns" => 9,
        _ => return None,
    })
}

fn bad(input: &str) -> CqlError {
    CqlError::invalid(format!("Unable to convert '{input}' to a duration"))
}

fn parse_standard(source: &str, input: &str, b: &mut Builder) -> CqlResult<()> {
    let mut rest = source;
    if rest.is_empty() {
        return Err(bad(input));
    }
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad(input));
        }
        let n: i64 = rest[..digits].parse().map_err(|_| bad(input))?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let rank = unit_rank(&rest[..unit_len]).ok_or_else(|| bad(input))?;
        b.add(rank, n, input)?;
        rest = &rest[unit_len..];
    }
    Ok(())
}

fn parse_iso(source: &str, input: &str, b: &mut Builder) -> CqlResult<()> {
    let body = &source[1..];
    if let Some(w) = body.strip_suffix('W') {
        let n: i64 = w.parse().map_err(|_| bad(input))?;
        if w.is_empty() || !w.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad(input));
        }
        return b.add(2, n, input);
    }
    if body.contains('-') {
        // P yyyy-MM-ddThh:mm:ss
        let ok = body.len() == 19 && body.as_bytes()[4] == b'-' && body.as_bytes()[10] == b'T';
        if !ok {
            return Err(bad(input));
        }
        let field = |r: std::ops::Range<usize>| -> CqlResult<i64> {
            let s = &body[r];
            if !s.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad(input));
            }
            s.parse().map_err(|_| bad(input))
        };
        let sep = |i: usize, c: u8| body.as_bytes()[i] == c;
        if !(sep(7, b'-') && sep(13, b':') && sep(16, b':')) {
            return Err(bad(input));
        }
        let vals = [
            field(0..4)?,
            field(5..7)?,
            field(8..10)?,
            field(11..13)?,
            field(14..16)?,
            field(17..19)?,
        ];
        for (rank, v) in [0usize, 1, 3, 4, 5, 6].into_iter().zip(vals) {
            if v != 0 {
                b.add(rank, v, input)?;
            }
        }
        return Ok(());
    }
    let (date, time) = match body.split_once('T') {
        Some((d, t)) => {
            if t.is_empty() {
                return Err(bad(input));
            }
            (d, Some(t))
        }
        None => (body, None),
    };
    if date.is_empty() && time.is_none() {
        return Err(bad(input));
    }
    let mut parse_part = |part: &str, units: &[(char, usize)]| -> CqlResult<()> {
        let mut rest = part;
        let mut next_unit = 0;
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let unit = rest[digits..].chars().next().ok_or_else(|| bad(input))?;
            if digits == 0 {
                return Err(bad(input));
            }
            let pos = units[next_unit..]
                .iter()
                .position(|(c, _)| *c == unit)
                .ok_or_else(|| bad(input))?;
            let n: i64 = rest[..digits].parse().map_err(|_| bad(input))?;
            b.add(units[next_unit + pos].1, n, input)?;
            next_unit += pos + 1;
            rest = &rest[digits + unit.len_utf8()..];
        }
        Ok(())
    };
    parse_part(date, &[('Y', 0), ('M', 1), ('D', 3)])?;
    if let Some(t) = time {
        parse_part(t, &[('H', 4), ('M', 5), ('S', 6)])?;
    }
    Ok(())
}

/// Parses a duration literal.
pub fn parse_duration(input: &str) -> CqlResult<Duration> {
    let (negative, source) = match input.strip_prefix('-') {
        Some(s) => (true, s),
        None => (false, input),
    };
    let mut b = Builder::default();
    if source.starts_with('P') {
        parse_iso(source, input, &mut b)?;
    } else {
        parse_standard(source, input, &mut b)?;
    }
    b.build(negative, input)
}

/// Formats a duration the way Cassandra prints it (`Duration.toString`), e.g. `1y2mo3d4h5m6s7ms8us9ns`.
pub fn format_duration(d: &Duration) -> String {
    let mut out = String::new();
    if d.months < 0 || d.days < 0 || d.nanos < 0 {
        out.push('-');
    }
    let months = i64::from(d.months).unsigned_abs();
    let days = i64::from(d.days).unsigned_abs();
    let mut nanos = d.nanos.unsigned_abs();
    let mut push = |n: u64, unit: &str| {
        if n != 0 {
            out.push_str(&n.to_string());
            out.push_str(unit);
        }
    };
    push(months / 12, "y");
    push(months % 12, "mo");
    push(days, "d");
    for (per, unit) in [
        (NS_PER_H as u64, "h"),
        (NS_PER_M as u64, "m"),
        (NS_PER_S as u64, "s"),
        (NS_PER_MS as u64, "ms"),
        (NS_PER_US as u64, "us"),
        (1, "ns"),
    ] {
        push(nanos / per, unit);
        nanos %= per;
    }
    if out.is_empty() || out == "-" {
        return "0s".into();
    }
    out
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    fn d(months: i32, days: i32, nanos: i64) -> Duration {
        Duration {
            months,
            days,
            nanos,
        }
    }

    #[test]
    fn standard() {
        assert_eq!(parse_duration("1h30m").unwrap(), d(0, 0, 90 * NS_PER_M));
        assert_eq!(parse_duration("12mo3d").unwrap(), d(12, 3, 0));
        assert_eq!(parse_duration("1y2mo3w4d").unwrap(), d(14, 25, 0));
        assert_eq!(parse_duration("-2d10ns").unwrap(), d(0, -2, -10));
        assert_eq!(
            parse_duration("1s5ms7us").unwrap(),
            d(0, 0, NS_PER_S + 5 * NS_PER_MS + 7 * NS_PER_US)
        );
        assert_eq!(parse_duration("2µs").unwrap(), d(0, 0, 2 * NS_PER_US));
        assert_eq!(parse_duration("3MO").unwrap(), d(3, 0, 0));
        assert!(parse_duration("1m1h").is_err());
        assert!(parse_duration("1h1h").is_err());
        assert!(parse_duration("1x").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("h").is_err());
    }

    #[test]
    fn iso() {
        assert_eq!(
            parse_duration("P1Y2M3DT4H5M6S").unwrap(),
            d(14, 3, 4 * NS_PER_H + 5 * NS_PER_M + 6 * NS_PER_S)
        );
        assert_eq!(parse_duration("PT30M").unwrap(), d(0, 0, 30 * NS_PER_M));
        assert_eq!(parse_duration("P2W").unwrap(), d(0, 14, 0));
        assert_eq!(
            parse_duration("-P0001-02-03T04:05:06").unwrap(),
            d(-14, -3, -(4 * NS_PER_H + 5 * NS_PER_M + 6 * NS_PER_S))
        );
        assert!(parse_duration("P").is_err());
        assert!(parse_duration("PT").is_err());
        assert!(parse_duration("P1D2Y").is_err());
    }

    #[test]
    fn format_round_trips() {
        for s in ["1y2mo3d4h5m6s7ms8us9ns", "-3d", "12h", "0s"] {
            assert_eq!(format_duration(&parse_duration(s).unwrap()), s);
        }
    }
}
