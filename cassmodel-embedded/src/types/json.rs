//! Values rendered as JSON text, as Cassandra 4.1's `AbstractType.toJSONString` does for
//! `SELECT JSON` and `toJson()`: numbers and booleans bare, text, uuids, inet, date, time,
//! timestamp and duration as JSON strings, blobs as `"0x…"`, collections and tuples as
//! arrays, maps and user types as objects (`C*: db/marshal/*Type.java` `toJSONString`,
//! `C*: cql3/selection/Selection.java` `rowToJson`).

use std::fmt::Write as _;
use std::net::IpAddr;

use num_bigint::{BigInt, Sign};

use super::datetime::{civil_from_days, format_date, format_time};
use super::duration::format_duration;
use super::value::Value;
use super::{CqlType, deserialize};
use crate::error::CqlResult;

/// `JsonUtils.quoteAsJsonString` (Jackson's `JsonStringEncoder.quoteAsString`): `"` and
/// `\` escaped, `\b \t \n \f \r` short, other control characters as `\u00XX` (upper-case
/// hex); everything else, non-ASCII included, as is.
pub fn quote_as_json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A JSON object key for a column, field or alias name: a name that is not all lower case
/// is wrapped in double quotes first (`ColumnIdentifier.toJSONString` / `rowToJson`:
/// `if (!name.equals(name.toLowerCase(Locale.US))) name = "\"" + name + "\""`).
pub fn name_key(name: &str) -> String {
    let name = if name == name.to_lowercase() {
        name.to_owned()
    } else {
        format!("\"{name}\"")
    };
    format!("\"{}\"", quote_as_json_string(&name))
}

fn string(s: &str) -> String {
    format!("\"{}\"", quote_as_json_string(s))
}

/// `Double.toString` / `Float.toString`: plain between 10^-3 and 10^7, otherwise
/// computerized scientific notation (`1.0E7`), always with a fractional part. JSON, CAST
/// to text and the JSON decoder's messages all print floats this way.
pub fn java_float(x: f64, is_f32: bool) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a float column's value is an f32 widened for formatting"
    )]
    let (plain, sci) = if is_f32 {
        let f = x as f32;
        (f.to_string(), format!("{f:e}"))
    } else {
        (x.to_string(), format!("{x:e}"))
    };
    let a = x.abs();
    if a == 0.0 || (1e-3..1e7).contains(&a) {
        return if plain.contains('.') {
            plain
        } else {
            format!("{plain}.0")
        };
    }
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.to_owned()
    } else {
        format!("{mantissa}.0")
    };
    format!("{mantissa}E{exp}")
}

/// `BigDecimal.toString`: plain unless the scale is negative or the adjusted exponent is
/// below -6, then scientific (`1.23E+5`).
pub fn java_decimal(unscaled: &BigInt, scale: i32) -> String {
    let digits = unscaled.magnitude().to_string();
    let sign = if unscaled.sign() == Sign::Minus {
        "-"
    } else {
        ""
    };
    let len = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    let adjusted = -i64::from(scale) + (len - 1);
    if scale >= 0 && adjusted >= -6 {
        let scale = usize::try_from(scale).unwrap_or(0);
        if scale == 0 {
            return format!("{sign}{digits}");
        }
        return if digits.len() > scale {
            let (a, b) = digits.split_at(digits.len() - scale);
            format!("{sign}{a}.{b}")
        } else {
            format!("{sign}0.{}{digits}", "0".repeat(scale - digits.len()))
        };
    }
    let (first, rest) = digits.split_at(1);
    let frac = if rest.is_empty() {
        String::new()
    } else {
        format!(".{rest}")
    };
    let plus = if adjusted >= 0 { "+" } else { "" };
    format!("{sign}{first}{frac}E{plus}{adjusted}")
}

/// `InetAddress.getHostAddress`: dotted quad, or eight uncompressed hex groups for IPv6
/// (an IPv4-mapped address is an `Inet4Address` in Java). Also what CAST(inet AS text)
/// prints.
pub fn host_address(ip: &IpAddr) -> String {
    match ip {
        IpAddr::V4(a) => a.to_string(),
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => a
                .segments()
                .iter()
                .map(|s| format!("{s:x}"))
                .collect::<Vec<_>>()
                .join(":"),
        },
    }
}

/// `TimestampSerializer.getJsonDateFormatter()`: `yyyy-MM-dd HH:mm:ss.SSSX` in UTC.
pub fn json_timestamp(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// The JSON text of a serialized value of `ty` (`AbstractType.toJSONString`).
pub fn to_json(ty: &CqlType, bytes: &[u8]) -> CqlResult<String> {
    Ok(value_json(ty, &deserialize(ty, bytes)?))
}

fn join<'a>(items: impl Iterator<Item = (&'a CqlType, Option<&'a Value>)>) -> String {
    items
        .map(|(t, v)| v.map_or_else(|| "null".to_owned(), |v| value_json(t, v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The JSON text of a decoded value of `ty`.
pub fn value_json(ty: &CqlType, v: &Value) -> String {
    let ty = ty.unfrozen();
    match v {
        // An empty value deserializes to null: `Objects.toString(null, "\"\"")` and the
        // like; an empty blob is still `"0x"`.
        Value::Empty => {
            if *ty == CqlType::Blob {
                "\"0x\"".into()
            } else {
                "\"\"".into()
            }
        }
        Value::Ascii(s) | Value::Text(s) => string(s),
        Value::Blob(b) => format!("\"0x{}\"", super::codec::hex(b)),
        Value::Boolean(b) => b.to_string(),
        Value::Bigint(x) | Value::Counter(x) => x.to_string(),
        Value::Int(x) => x.to_string(),
        Value::Smallint(x) => x.to_string(),
        Value::Tinyint(x) => x.to_string(),
        Value::Varint(x) => x.to_string(),
        Value::Decimal { unscaled, scale } => java_decimal(unscaled, *scale),
        // C*: DoubleType/FloatType.toJSONString: "JSON does not support NaN, Infinity and
        // -Infinity values. Most of the parser convert them into null."
        Value::Float(x) if !x.is_finite() => "null".into(),
        Value::Double(x) if !x.is_finite() => "null".into(),
        Value::Float(x) => java_float(f64::from(*x), true),
        Value::Double(x) => java_float(*x, false),
        Value::Date(d) => string(&format_date(*d)),
        Value::Time(t) => string(&format_time(*t)),
        Value::Timestamp(ms) => string(&json_timestamp(*ms)),
        Value::Duration(d) => string(&format_duration(d)),
        Value::Inet(ip) => string(&host_address(ip)),
        Value::Uuid(u) | Value::Timeuuid(u) => string(&u.hyphenated().to_string()),
        Value::List(items) | Value::Set(items) => {
            let elem = match ty {
                CqlType::List(e) | CqlType::Set(e) => &**e,
                other => other,
            };
            format!("[{}]", join(items.iter().map(|i| (elem, Some(i)))))
        }
        Value::Map(entries) => {
            let (kt, vt) = match ty {
                CqlType::Map(k, v) => (&**k, &**v),
                other => (other, other),
            };
            // MapType.toJSONString: a key that is not already a JSON string is quoted.
            let body: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    let key = value_json(kt, k);
                    let key = if key.starts_with('"') {
                        key
                    } else {
                        string(&key)
                    };
                    format!("{key}: {}", value_json(vt, v))
                })
                .collect();
            format!("{{{}}}", body.join(", "))
        }
        Value::Tuple(fields) => {
            let CqlType::Tuple(types) = ty else {
                return "null".into();
            };
            // TupleType.toJSONString: one entry per declared component, missing ones null.
            let items = types
                .iter()
                .enumerate()
                .map(|(i, t)| (t, fields.get(i).and_then(Option::as_ref)));
            format!("[{}]", join(items))
        }
        Value::Udt(fields) => {
            let CqlType::Udt(u) = ty else {
                return "null".into();
            };
            // UserType.toJSONString: every declared field, missing trailing ones null.
            let body: Vec<String> = u
                .fields
                .iter()
                .enumerate()
                .map(|(i, (name, t))| {
                    let v = fields.get(i).and_then(|(_, v)| v.as_ref());
                    format!(
                        "{}: {}",
                        name_key(name),
                        v.map_or_else(|| "null".to_owned(), |v| value_json(t, v))
                    )
                })
                .collect();
            format!("{{{}}}", body.join(", "))
        }
    }
}

/// One `SELECT JSON` row (`Selection.rowToJson`): the selected values under their column
/// names or aliases; a null value is `null`.
pub fn row_to_json(columns: &[(&str, &CqlType)], row: &[Option<Vec<u8>>]) -> CqlResult<String> {
    let mut out = String::from("{");
    for (i, ((name, ty), v)) in columns.iter().zip(row).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&name_key(name));
        out.push_str(": ");
        match v {
            None => out.push_str("null"),
            Some(b) => out.push_str(&to_json(ty, b)?),
        }
    }
    out.push('}');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_number_formats() {
        assert_eq!(java_float(1.5, false), "1.5");
        assert_eq!(java_float(3.0, false), "3.0");
        assert_eq!(java_float(1e7, false), "1.0E7");
        assert_eq!(java_float(1.25e-5, false), "1.25E-5");
        assert_eq!(java_float(0.1, true), "0.1");
        assert_eq!(java_decimal(&BigInt::from(12345), 2), "123.45");
        assert_eq!(java_decimal(&BigInt::from(-5), 3), "-0.005");
        assert_eq!(java_decimal(&BigInt::from(123), -3), "1.23E+5");
        assert_eq!(java_decimal(&BigInt::from(1), 8), "1E-8");
    }

    #[test]
    fn keys_and_strings() {
        assert_eq!(name_key("abc"), "\"abc\"");
        assert_eq!(name_key("Abc"), "\"\\\"Abc\\\"\"");
        assert_eq!(
            quote_as_json_string("a\"b\\\n\u{1}é"),
            "a\\\"b\\\\\\n\\u0001é"
        );
        assert_eq!(
            json_timestamp(1_296_705_900_000),
            "2011-02-03 04:05:00.000Z"
        );
        assert_eq!(host_address(&"::1".parse().expect("ip")), "0:0:0:0:0:0:0:1");
    }
}
