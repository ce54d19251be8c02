//! CQL literals to native-protocol bytes for a receiver type, with Cassandra's messages
//! (`C*: cql3/Constants.java` `Literal.testAssignment`/`parsedValue`, and the `fromString`
//! of each `db/marshal/*Type.java`), plus validation of bound values.

use std::net::IpAddr;

use cassmodel_cql::ast::Literal;
use num_bigint::BigInt;

use crate::error::{CqlError, CqlResult};
use crate::types::{CqlType, datetime};

fn kind(lit: &Literal) -> (&'static str, &str) {
    match lit {
        Literal::String(s) => ("STRING", s),
        Literal::Integer(s) => ("INTEGER", s),
        Literal::Float(s) => ("FLOAT", s),
        Literal::Boolean(true) => ("BOOLEAN", "true"),
        Literal::Boolean(false) => ("BOOLEAN", "false"),
        Literal::Uuid(s) => ("UUID", s),
        Literal::Hex(s) => ("HEX", s),
        Literal::Duration(s) => ("DURATION", s),
    }
}

/// Converts a literal for a receiver named `receiver` of type `ty`.
pub fn literal_to_bytes(lit: &Literal, ty: &CqlType, receiver: &str) -> CqlResult<Vec<u8>> {
    let (k, text) = kind(lit);
    let mismatch = || {
        CqlError::invalid(format!(
            "Invalid {k} constant ({text}) for \"{receiver}\" of type {}",
            ty.unfrozen()
        ))
    };
    let marshal = |name: &str| CqlError::invalid(format!("Unable to make {name} from '{text}'"));
    Ok(match (ty.unfrozen(), lit) {
        (CqlType::Text, Literal::String(s)) => s.as_bytes().to_vec(),
        (CqlType::Ascii, Literal::String(s)) => {
            if !s.is_ascii() {
                return Err(CqlError::invalid(format!(
                    "Invalid ASCII character in string literal {s}"
                )));
            }
            s.as_bytes().to_vec()
        }
        (CqlType::Int, Literal::Integer(s)) => s
            .parse::<i32>()
            .map_err(|_| marshal("int"))?
            .to_be_bytes()
            .to_vec(),
        (CqlType::Bigint | CqlType::Counter, Literal::Integer(s)) => s
            .parse::<i64>()
            .map_err(|_| marshal("long"))?
            .to_be_bytes()
            .to_vec(),
        (CqlType::Smallint, Literal::Integer(s)) => s
            .parse::<i16>()
            .map_err(|_| marshal("short"))?
            .to_be_bytes()
            .to_vec(),
        (CqlType::Tinyint, Literal::Integer(s)) => s
            .parse::<i8>()
            .map_err(|_| marshal("byte"))?
            .to_be_bytes()
            .to_vec(),
        (CqlType::Varint, Literal::Integer(s)) => BigInt::parse_bytes(s.as_bytes(), 10)
            .ok_or_else(|| marshal("varint"))?
            .to_signed_bytes_be(),
        (CqlType::Decimal, Literal::Integer(s) | Literal::Float(s)) => decimal_from_str(s)
            .ok_or_else(|| {
                CqlError::invalid(format!(
                    "Value '{s}' is not a valid representation of a decimal value"
                ))
            })?,
        (CqlType::Double, Literal::Integer(s) | Literal::Float(s)) => parse_float(s)
            .ok_or_else(|| CqlError::invalid(format!("Unable to make double from '{s}'")))?
            .to_be_bytes()
            .to_vec(),
        (CqlType::Float, Literal::Integer(s) | Literal::Float(s)) => {
            #[expect(
                clippy::cast_possible_truncation,
                reason = "float columns hold f32, as Cassandra's FloatType.fromString"
            )]
            let f = parse_float(s)
                .ok_or_else(|| CqlError::invalid(format!("Unable to make float from '{s}'")))?
                as f32;
            f.to_be_bytes().to_vec()
        }
        (CqlType::Boolean, Literal::Boolean(b)) => vec![u8::from(*b)],
        (CqlType::Uuid, Literal::Uuid(s)) => uuid_bytes(s)?,
        (CqlType::Timeuuid, Literal::Uuid(s)) => {
            let b = uuid_bytes(s)?;
            if (b[6] >> 4) != 1 {
                return Err(CqlError::invalid(format!(
                    "Unsupported UUID version for timeuuid: {s}"
                )));
            }
            b
        }
        (CqlType::Blob, Literal::Hex(h)) => hex(h)?,
        // `TimestampType.fromString`: an empty string is the empty value; everything else,
        // integer constants included, goes through `TimestampSerializer.dateStringToTimestamp`.
        (CqlType::Timestamp, Literal::String(s)) if s.is_empty() => Vec::new(),
        (CqlType::Timestamp, Literal::Integer(s) | Literal::String(s)) => {
            datetime::parse_timestamp(s)?.to_be_bytes().to_vec()
        }
        (CqlType::Date, Literal::Integer(s)) => s
            .parse::<u32>()
            .map_err(|_| {
                CqlError::invalid(format!(
                    "Unable to make unsigned int (for date) from: '{s}'"
                ))
            })?
            .to_be_bytes()
            .to_vec(),
        (CqlType::Date, Literal::String(s)) => datetime::parse_date(s)?.to_be_bytes().to_vec(),
        // `TimeSerializer.timeStringToLong` for both: raw nanoseconds of the day (range
        // checked) or `hh:mm:ss[.fffffffff]`, with its messages.
        (CqlType::Time, Literal::Integer(s) | Literal::String(s)) => {
            datetime::parse_time(s)?.to_be_bytes().to_vec()
        }
        (CqlType::Inet, Literal::String(s)) => match s.parse::<IpAddr>() {
            Ok(IpAddr::V4(a)) => a.octets().to_vec(),
            Ok(IpAddr::V6(a)) => a.octets().to_vec(),
            Err(_) => {
                return Err(CqlError::invalid(format!(
                    "Unable to make inet address from '{s}'"
                )));
            }
        },
        (CqlType::Duration, Literal::Duration(s)) => parse_duration(s)
            .ok_or_else(|| CqlError::invalid(format!("Unable to convert '{s}' to a duration")))?,
        (CqlType::Tuple(types), Literal::String(s)) => tuple_from_string(s, types, ty)?,
        _ => return Err(mismatch()),
    })
}

/// A string constant for a tuple: `TupleType.fromString` (db/marshal/TupleType.java) splits
/// it on unescaped `:` (`AbstractCompositeType.split`), reads `@` as null, unescapes `\:`
/// and `\@`, and converts each component with its type's `fromString`; a value with fewer
/// components than the type is kept short, as Cassandra's `buildValue` does.
fn tuple_from_string(s: &str, types: &[CqlType], ty: &CqlType) -> CqlResult<Vec<u8>> {
    let parts = split_components(s);
    if parts.len() > types.len() {
        return Err(CqlError::invalid(format!(
            "Invalid tuple literal: too many elements. Type {ty} expects {} but got {}",
            types.len(),
            parts.len()
        )));
    }
    let mut fields = Vec::with_capacity(parts.len());
    for (part, component) in parts.iter().zip(types) {
        if *part == "@" {
            fields.push(None);
            continue;
        }
        let text = part.replace("\\:", ":").replace("\\@", "@");
        fields.push(Some(component_from_string(&text, component)?));
    }
    Ok(super::collection::join_fields(&fields))
}

fn split_components(s: &str) -> Vec<&str> {
    if s.is_empty() {
        return Vec::new();
    }
    let bytes = s.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b':' && (i == 0 || bytes[i - 1] != b'\\') {
            parts.push(&s[start..i]);
            start = i + 1;
        }
    }
    parts.push(&s[start..]);
    parts
}

/// One tuple component from its string form, the way the component type's `fromString`
/// reads it: numbers, booleans, uuids and hex blobs as the matching constants, the rest
/// (text, dates, times, inets, nested tuples) as strings. An empty string is the empty
/// value, as in every `fromString` of a native type.
fn component_from_string(text: &str, ty: &CqlType) -> CqlResult<Vec<u8>> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let lit = match ty.unfrozen() {
        CqlType::Int
        | CqlType::Bigint
        | CqlType::Counter
        | CqlType::Smallint
        | CqlType::Tinyint
        | CqlType::Varint => Literal::Integer(text.to_owned()),
        CqlType::Float | CqlType::Double | CqlType::Decimal => Literal::Float(text.to_owned()),
        CqlType::Boolean if text.eq_ignore_ascii_case("true") => Literal::Boolean(true),
        CqlType::Boolean if text.eq_ignore_ascii_case("false") => Literal::Boolean(false),
        CqlType::Boolean => {
            return Err(CqlError::invalid(format!(
                "Unable to make boolean from '{text}'"
            )));
        }
        CqlType::Uuid | CqlType::Timeuuid => Literal::Uuid(text.to_owned()),
        CqlType::Blob => Literal::Hex(text.strip_prefix("0x").unwrap_or(text).to_owned()),
        _ => Literal::String(text.to_owned()),
    };
    literal_to_bytes(&lit, ty, text)
}

pub(crate) fn parse_float(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => s.parse().ok(),
    }
}

pub(crate) fn decimal_from_str(s: &str) -> Option<Vec<u8>> {
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int_part, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    let digits = format!("{int_part}{frac}");
    let unscaled = BigInt::parse_bytes(digits.as_bytes(), 10)?;
    let scale = i32::try_from(frac.len()).ok()?.checked_sub(exp)?;
    let mut out = scale.to_be_bytes().to_vec();
    out.extend(unscaled.to_signed_bytes_be());
    Some(out)
}

fn uuid_bytes(s: &str) -> CqlResult<Vec<u8>> {
    uuid::Uuid::parse_str(s)
        .map(|u| u.as_bytes().to_vec())
        .map_err(|_| CqlError::invalid(format!("Unable to make UUID from '{s}'")))
}

fn hex(h: &str) -> CqlResult<Vec<u8>> {
    if !h.len().is_multiple_of(2) {
        return Err(CqlError::invalid(format!(
            "Invalid HEX constant (0x{h}): An hex string representing bytes must have an even length"
        )));
    }
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16))
        .collect::<Result<_, _>>()
        .map_err(|_| CqlError::invalid(format!("Invalid HEX constant (0x{h})")))
}

fn zigzag_vint(out: &mut Vec<u8>, v: i64) {
    let mut n = ((v << 1) ^ (v >> 63)) as u64;
    // Cassandra's VIntCoding: the number of leading 1 bits of the first byte gives the
    // number of extra bytes.
    let bytes_needed = if n == 0 {
        1
    } else {
        (64 - n.leading_zeros() as usize).div_ceil(7)
    };
    if bytes_needed >= 9 {
        out.push(0xFF);
        out.extend_from_slice(&n.to_be_bytes());
        return;
    }
    let extra = bytes_needed - 1;
    let mut buf = [0u8; 9];
    for i in (0..bytes_needed).rev() {
        buf[i] = (n & 0xFF) as u8;
        n >>= 8;
    }
    buf[0] |= !(0xFFu8 >> extra);
    out.extend_from_slice(&buf[..bytes_needed]);
}

/// ISO-8601 durations (`C*: cql3/Duration.java` `parseIso8601Format`,
/// `parseIso8601WeekFormat`, `parseIso8601AlternativeFormat`): `P1Y2M3DT4H5M6S`, `P2W`,
/// `P0001-02-03T04:05:06`. Returns (months, days, nanoseconds).
fn parse_iso_duration(body: &str) -> Option<(i64, i64, i64)> {
    let p = body.strip_prefix('P')?;
    if let Some((date, time)) = p.split_once('T').filter(|(d, _)| d.contains('-')) {
        let mut d = date.splitn(3, '-').map(|x| x.parse::<i64>().ok());
        let (y, mo, dd) = (d.next()??, d.next()??, d.next()??);
        let mut t = time.splitn(3, ':').map(|x| x.parse::<i64>().ok());
        let (h, mi, sec) = (t.next()??, t.next()??, t.next()??);
        return Some((y * 12 + mo, dd, ((h * 60 + mi) * 60 + sec) * 1_000_000_000));
    }
    let (date, time) = p.split_once('T').unwrap_or((p, ""));
    let (mut months, mut days, mut nanos) = (0i64, 0i64, 0i64);
    let mut n = String::new();
    for c in date.chars() {
        if c.is_ascii_digit() {
            n.push(c);
            continue;
        }
        let v: i64 = std::mem::take(&mut n).parse().ok()?;
        match c {
            'Y' => months += v.checked_mul(12)?,
            'M' => months += v,
            'W' => days += v.checked_mul(7)?,
            'D' => days += v,
            _ => return None,
        }
    }
    for c in time.chars() {
        if c.is_ascii_digit() {
            n.push(c);
            continue;
        }
        let v: i64 = std::mem::take(&mut n).parse().ok()?;
        match c {
            'H' => nanos += v.checked_mul(3_600_000_000_000)?,
            'M' => nanos += v.checked_mul(60_000_000_000)?,
            'S' => nanos += v.checked_mul(1_000_000_000)?,
            _ => return None,
        }
    }
    n.is_empty().then_some((months, days, nanos))
}

/// `Duration.from`: `1h30m`, `2mo3d`, `-4w`, and the ISO-8601 forms.
pub fn parse_duration(s: &str) -> Option<Vec<u8>> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    if body.starts_with('P') {
        let (m, d, n) = parse_iso_duration(body)?;
        let sign = if neg { -1 } else { 1 };
        let mut out = Vec::new();
        zigzag_vint(&mut out, sign * m);
        zigzag_vint(&mut out, sign * d);
        zigzag_vint(&mut out, sign * n);
        return Some(out);
    }
    let lower = body.to_ascii_lowercase();
    let (mut months, mut days, mut nanos) = (0i64, 0i64, 0i64);
    let mut rest = lower.as_str();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        if digits == 0 {
            return None;
        }
        let n: i64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        match unit {
            "y" => months += n.checked_mul(12)?,
            "mo" => months += n,
            "w" => days += n.checked_mul(7)?,
            "d" => days += n,
            "h" => nanos += n.checked_mul(3_600_000_000_000)?,
            "m" => nanos += n.checked_mul(60_000_000_000)?,
            "s" => nanos += n.checked_mul(1_000_000_000)?,
            "ms" => nanos += n.checked_mul(1_000_000)?,
            "us" | "µs" => nanos += n.checked_mul(1_000)?,
            "ns" => nanos += n,
            _ => return None,
        }
    }
    if neg {
        months = -months;
        days = -days;
        nanos = -nanos;
    }
    let mut out = Vec::new();
    zigzag_vint(&mut out, months);
    zigzag_vint(&mut out, days);
    zigzag_vint(&mut out, nanos);
    Some(out)
}

/// Checks a bound value's bytes against its type (`AbstractType.validate`): the checks
/// and messages are those of `C*: serializers/*Serializer.java` `validate`, kept in one
/// place in [`crate::types::codec`] (e.g. a TimeUUID must be version 1,
/// `TimeUUIDSerializer`; a decimal has 0 or at least 4 bytes, `DecimalSerializer`; a
/// duration at least 3, `DurationSerializer`). `TimeSerializer.validate` checks only the
/// length (8 bytes), so a bound `time` outside one day is stored, as in Cassandra.
pub fn validate(bytes: &[u8], ty: &CqlType) -> CqlResult<()> {
    crate::types::codec::validate(ty, bytes)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    #[test]
    fn time_literals_are_nanoseconds_of_the_day() {
        let bytes = |l: Literal| literal_to_bytes(&l, &CqlType::Time, "t");
        assert_eq!(
            bytes(Literal::String("01:00:00.5".into())).unwrap(),
            3_600_500_000_000_i64.to_be_bytes()
        );
        assert_eq!(
            bytes(Literal::String("100".into())).unwrap(),
            100_i64.to_be_bytes()
        );
        assert_eq!(
            bytes(Literal::Integer("86400000000000".into()))
                .unwrap_err()
                .message,
            "Unable to make long (for time) from: '86400000000000'"
        );
        assert_eq!(
            bytes(Literal::String("24:00:00".into()))
                .unwrap_err()
                .message,
            "(TimeType) Unable to coerce '24:00:00' to a formatted time (long)"
        );
    }

    #[test]
    fn literals_follow_receiver_types() {
        let int = literal_to_bytes(&Literal::Integer("7".into()), &CqlType::Int, "k").unwrap();
        assert_eq!(int, 7i32.to_be_bytes());
        let err = literal_to_bytes(&Literal::String("x".into()), &CqlType::Int, "k").unwrap_err();
        assert_eq!(
            err.message,
            "Invalid STRING constant (x) for \"k\" of type int"
        );
        let err = literal_to_bytes(&Literal::Integer("3000000000".into()), &CqlType::Int, "k")
            .unwrap_err();
        assert_eq!(err.message, "Unable to make int from '3000000000'");
        let dec = literal_to_bytes(&Literal::Float("1.50".into()), &CqlType::Decimal, "d").unwrap();
        assert_eq!(dec, [0, 0, 0, 2, 0, 150]);
    }

    #[test]
    fn durations_encode_as_zigzag_vints() {
        // 1h = 3600e9 ns; months 0, days 0.
        let d = parse_duration("1h").unwrap();
        assert_eq!(&d[..2], &[0, 0]);
        assert!(parse_duration("5x").is_none());
        assert_eq!(parse_duration("P1Y2M3DT4H"), parse_duration("1y2mo3d4h"));
        assert_eq!(parse_duration("P2W"), parse_duration("14d"));
        assert_eq!(
            parse_duration("P0001-02-03T04:05:06"),
            parse_duration("1y2mo3d4h5m6s")
        );
        assert_eq!(parse_duration("-PT1S"), parse_duration("-1s"));
    }
}
