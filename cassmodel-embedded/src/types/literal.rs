//! Parsers for inet, uuid, timeuuid and blob literals, and [`Value`] rendered as CQL
//! literal text (for column defaults, system tables and debugging).

use std::net::IpAddr;

use uuid::Uuid;

use super::datetime::{format_date, format_time, format_timestamp};
use super::duration::format_duration;
use super::value::Value;
use crate::error::{CqlError, CqlResult};

/// Parses an inet literal (IPv4 or IPv6 text).
pub fn parse_inet(s: &str) -> CqlResult<IpAddr> {
    s.trim()
        .parse()
        .map_err(|_| CqlError::invalid(format!("Unable to make inet address from '{s}'")))
}

/// Parses a uuid literal (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`).
pub fn parse_uuid(s: &str) -> CqlResult<Uuid> {
    if s.len() != 36 {
        return Err(CqlError::invalid(format!("Unable to make UUID from '{s}'")));
    }
    Uuid::parse_str(s).map_err(|_| CqlError::invalid(format!("Unable to make UUID from '{s}'")))
}

/// Parses a timeuuid literal: a uuid of version 1.
pub fn parse_timeuuid(s: &str) -> CqlResult<Uuid> {
    let u = parse_uuid(s)?;
    if u.get_version_num() != 1 {
        return Err(CqlError::invalid(format!(
            "Unsupported UUID type. Expected version 1, got {}",
            u.get_version_num()
        )));
    }
    Ok(u)
}

/// Parses a blob literal `0x…` (hex digits, even count; `0x` alone is the empty blob).
pub fn parse_blob(s: &str) -> CqlResult<Vec<u8>> {
    let hex = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .ok_or_else(|| CqlError::invalid(format!("Invalid blob literal '{s}'")))?;
    if hex.len() % 2 != 0 {
        return Err(CqlError::invalid(
            "An hex string representing bytes must have an even length",
        ));
    }
    let digit = |c: u8| -> CqlResult<u8> {
        (c as char)
            .to_digit(16)
            .map(|d| d as u8)
            .ok_or_else(|| CqlError::invalid(format!("Non-hex characters in {s}")))
    };
    hex.as_bytes()
        .chunks(2)
        .map(|p| Ok(digit(p[0])? << 4 | digit(p[1])?))
        .collect()
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn java_float(x: f64, is_f32: bool) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let s = if is_f32 {
        (x as f32).to_string()
    } else {
        x.to_string()
    };
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

pub(crate) fn decimal_text(unscaled: &num_bigint::BigInt, scale: i32) -> String {
    let digits = unscaled.magnitude().to_string();
    let sign = if unscaled.sign() == num_bigint::Sign::Minus {
        "-"
    } else {
        ""
    };
    if scale <= 0 {
        let zeros = if digits == "0" {
            0
        } else {
            (-(scale as i64)) as usize
        };
        return format!("{sign}{digits}{}", "0".repeat(zeros));
    }
    let scale = scale as usize;
    if digits.len() > scale {
        let (a, b) = digits.split_at(digits.len() - scale);
        format!("{sign}{a}.{b}")
    } else {
        format!("{sign}0.{}{digits}", "0".repeat(scale - digits.len()))
    }
}

/// Renders a value as a CQL literal that parses back to the same value.
pub fn to_cql_literal(v: &Value) -> String {
    match v {
        Value::Empty => "0x".into(),
        Value::Ascii(s) | Value::Text(s) => quote(s),
        Value::Blob(b) => format!("0x{}", super::codec::hex(b)),
        Value::Boolean(b) => b.to_string(),
        Value::Bigint(x) | Value::Counter(x) => x.to_string(),
        Value::Int(x) => x.to_string(),
        Value::Smallint(x) => x.to_string(),
        Value::Tinyint(x) => x.to_string(),
        Value::Varint(x) => x.to_string(),
        Value::Decimal { unscaled, scale } => decimal_text(unscaled, *scale),
        Value::Float(x) => java_float(f64::from(*x), true),
        Value::Double(x) => java_float(*x, false),
        Value::Date(d) => quote(&format_date(*d)),
        Value::Time(t) => quote(&format_time(*t)),
        Value::Timestamp(ms) => quote(&format_timestamp(*ms)),
        Value::Duration(d) => format_duration(d),
        Value::Inet(ip) => quote(&ip.to_string()),
        Value::Uuid(u) | Value::Timeuuid(u) => u.hyphenated().to_string(),
        Value::List(items) => format!("[{}]", join(items.iter().map(to_cql_literal))),
        Value::Set(items) => format!("{{{}}}", join(items.iter().map(to_cql_literal))),
        Value::Map(entries) => format!(
            "{{{}}}",
            join(entries.iter().map(|(k, v)| format!(
                "{}: {}",
                to_cql_literal(k),
                to_cql_literal(v)
            )))
        ),
        Value::Tuple(fields) => format!("({})", join(fields.iter().map(optional))),
        Value::Udt(fields) => format!(
            "{{{}}}",
            join(
                fields
                    .iter()
                    .map(|(n, v)| format!("{}: {}", ident(n), optional(v)))
            )
        ),
    }
}

fn optional(v: &Option<Value>) -> String {
    v.as_ref().map_or_else(|| "null".into(), to_cql_literal)
}

fn ident(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;
    use num_bigint::BigInt;

    #[test]
    fn parsers() {
        assert_eq!(parse_blob("0xCAFE00").unwrap(), vec![0xCA, 0xFE, 0]);
        assert_eq!(parse_blob("0x").unwrap(), Vec::<u8>::new());
        assert!(parse_blob("0xABC").is_err());
        assert!(parse_blob("0xZZ").is_err());
        assert_eq!(parse_inet("127.0.0.1").unwrap().to_string(), "127.0.0.1");
        assert!(parse_inet("::1").unwrap().is_ipv6());
        assert!(parse_inet("1.2.3").is_err());
        assert!(parse_timeuuid("50554d6e-29bb-11e5-b345-feff819cdc9f").is_ok());
        assert!(parse_timeuuid("550e8400-e29b-41d4-a716-446655440000").is_err());
        assert!(parse_uuid("550e8400e29b41d4a716446655440000").is_err());
    }

    #[test]
    fn literals() {
        assert_eq!(to_cql_literal(&Value::Text("it's".into())), "'it''s'");
        assert_eq!(
            to_cql_literal(&Value::Decimal {
                unscaled: BigInt::from(-12345),
                scale: 2
            }),
            "-123.45"
        );
        assert_eq!(
            to_cql_literal(&Value::Decimal {
                unscaled: BigInt::from(5),
                scale: 3
            }),
            "0.005"
        );
        assert_eq!(to_cql_literal(&Value::Double(1.0)), "1.0");
        assert_eq!(
            to_cql_literal(&Value::Map(vec![(Value::Int(1), Value::Text("a".into()))])),
            "{1: 'a'}"
        );
        assert_eq!(
            to_cql_literal(&Value::Tuple(vec![Some(Value::Int(1)), None])),
            "(1, null)"
        );
    }
}
