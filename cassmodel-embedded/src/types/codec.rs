//! Native protocol v4 value encodings (`C*: doc/native_protocol_v4.spec` §6) with
//! Cassandra's validation (`C*: serializers/*Serializer.java` `validate`) and messages.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use num_bigint::BigInt;
use uuid::Uuid;

use super::CqlType;
use super::value::{Duration, Value};
use super::vint;
use crate::error::{CqlError, CqlResult};

fn invalid(msg: String) -> CqlError {
    CqlError::invalid(msg)
}

fn fixed<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&b[..N]);
    a
}

/// Checks `bytes` as a value of `ty` with the same checks and messages as
/// [`deserialize`], without copying strings, blobs or collections (bound values are
/// checked on every request).
pub fn validate(ty: &CqlType, bytes: &[u8]) -> CqlResult<()> {
    match ty {
        CqlType::Frozen(inner) => validate(inner, bytes),
        CqlType::Blob => Ok(()),
        CqlType::Text => std::str::from_utf8(bytes)
            .map(|_| ())
            .map_err(|_| invalid("String didn't validate.".into())),
        CqlType::List(e) => validate_elements(bytes, e, "list"),
        CqlType::Set(e) => validate_elements(bytes, e, "set"),
        CqlType::Map(k, v) => {
            for kv in read_values(bytes, 2, "map")?.chunks(2) {
                validate(k, kv[0])?;
                validate(v, kv[1])?;
            }
            Ok(())
        }
        CqlType::Tuple(types) => {
            let parts = read_fields(bytes, types.len(), "tuple")?;
            for (t, p) in types.iter().zip(parts) {
                if let Some(p) = p {
                    validate(t, p)?;
                }
            }
            Ok(())
        }
        CqlType::Udt(u) => {
            let parts = read_fields(bytes, u.fields.len(), "user type")?;
            for ((_, t), p) in u.fields.iter().zip(parts) {
                if let Some(p) = p {
                    validate(t, p)?;
                }
            }
            Ok(())
        }
        _ => deserialize(ty, bytes).map(|_| ()),
    }
}

fn validate_elements(b: &[u8], elem: &CqlType, what: &str) -> CqlResult<()> {
    for e in read_values(b, 1, what)? {
        validate(elem, e)?;
    }
    Ok(())
}

/// Decodes a serialized value of `ty`, validating it as Cassandra does.
pub fn deserialize(ty: &CqlType, b: &[u8]) -> CqlResult<Value> {
    let n = b.len();
    let empty_ok = |len: usize, msg: &str| -> CqlResult<bool> {
        if n == 0 {
            Ok(true)
        } else if n == len {
            Ok(false)
        } else {
            Err(invalid(format!("{msg} ({n})")))
        }
    };
    Ok(match ty {
        CqlType::Frozen(inner) => return deserialize(inner, b),
        CqlType::Ascii => {
            if let Some(bad) = b.iter().find(|c| **c > 127) {
                return Err(invalid(format!("Invalid byte for ascii: {}", *bad as i8)));
            }
            Value::Ascii(String::from_utf8_lossy(b).into_owned())
        }
        CqlType::Text => match std::str::from_utf8(b) {
            Ok(s) => Value::Text(s.to_owned()),
            Err(_) => return Err(invalid("String didn't validate.".into())),
        },
        CqlType::Blob => Value::Blob(b.to_vec()),
        CqlType::Bigint | CqlType::Counter => {
            if empty_ok(8, "Expected 8 or 0 byte long")? {
                Value::Empty
            } else if *ty == CqlType::Counter {
                Value::Counter(i64::from_be_bytes(fixed(b)))
            } else {
                Value::Bigint(i64::from_be_bytes(fixed(b)))
            }
        }
        CqlType::Timestamp => {
            if empty_ok(8, "Expected 8 or 0 byte long for date")? {
                Value::Empty
            } else {
                Value::Timestamp(i64::from_be_bytes(fixed(b)))
            }
        }
        CqlType::Int => {
            if empty_ok(4, "Expected 4 or 0 byte int")? {
                Value::Empty
            } else {
                Value::Int(i32::from_be_bytes(fixed(b)))
            }
        }
        CqlType::Boolean => {
            if empty_ok(1, "Expected 1 or 0 byte value")? {
                Value::Empty
            } else {
                Value::Boolean(b[0] != 0)
            }
        }
        CqlType::Float => {
            if empty_ok(4, "Expected 4 or 0 byte value for a float")? {
                Value::Empty
            } else {
                Value::Float(f32::from_be_bytes(fixed(b)))
            }
        }
        CqlType::Double => {
            if empty_ok(8, "Expected 8 or 0 byte value for a double")? {
                Value::Empty
            } else {
                Value::Double(f64::from_be_bytes(fixed(b)))
            }
        }
        CqlType::Smallint => {
            if n != 2 {
                return Err(invalid(format!("Expected 2 bytes for a smallint ({n})")));
            }
            Value::Smallint(i16::from_be_bytes(fixed(b)))
        }
        CqlType::Tinyint => {
            if n != 1 {
                return Err(invalid(format!("Expected 1 byte for a tinyint ({n})")));
            }
            Value::Tinyint(b[0] as i8)
        }
        CqlType::Date => {
            if n != 4 {
                return Err(invalid(format!("Expected 4 byte long for date ({n})")));
            }
            Value::Date(u32::from_be_bytes(fixed(b)))
        }
        CqlType::Time => {
            if n != 8 {
                return Err(invalid(format!("Expected 8 byte long for time ({n})")));
            }
            let t = i64::from_be_bytes(fixed(b));
            Value::Time(t)
        }
        CqlType::Uuid => {
            if empty_ok(16, "UUID should be 16 or 0 bytes")? {
                Value::Empty
            } else {
                Value::Uuid(Uuid::from_bytes(fixed(b)))
            }
        }
        CqlType::Timeuuid => {
            // TimeUUIDSerializer extends UUIDSerializer, whose length message this is.
            if empty_ok(16, "UUID should be 16 or 0 bytes")? {
                Value::Empty
            } else {
                if b[6] & 0xF0 != 0x10 {
                    return Err(invalid("Invalid version for TimeUUID type.".into()));
                }
                Value::Timeuuid(Uuid::from_bytes(fixed(b)))
            }
        }
        CqlType::Inet => match n {
            0 => Value::Empty,
            4 => Value::Inet(IpAddr::V4(Ipv4Addr::from(fixed::<4>(b)))),
            16 => Value::Inet(IpAddr::V6(Ipv6Addr::from(fixed::<16>(b)))),
            _ => {
                return Err(invalid(format!(
                    "Expected 4 or 16 byte inetaddress; got 0x{}",
                    hex(b)
                )));
            }
        },
        CqlType::Varint => {
            if n == 0 {
                Value::Empty
            } else {
                Value::Varint(BigInt::from_signed_bytes_be(b))
            }
        }
        CqlType::Decimal => {
            if n == 0 {
                Value::Empty
            } else if n < 4 {
                return Err(invalid(format!("Expected 0 or at least 4 bytes ({n})")));
            } else {
                Value::Decimal {
                    scale: i32::from_be_bytes(fixed(b)),
                    unscaled: BigInt::from_signed_bytes_be(&b[4..]),
                }
            }
        }
        CqlType::Duration => Value::Duration(read_duration(b)?),
        CqlType::List(e) => Value::List(read_elements(b, e, "list")?),
        CqlType::Set(e) => Value::Set(read_elements(b, e, "set")?),
        CqlType::Map(k, v) => Value::Map(read_map(b, k, v)?),
        CqlType::Tuple(types) => {
            let parts = read_fields(b, types.len(), "tuple")?;
            let mut out = Vec::with_capacity(parts.len());
            for (t, p) in types.iter().zip(parts) {
                out.push(p.map(|p| deserialize(t, p)).transpose()?);
            }
            Value::Tuple(out)
        }
        CqlType::Udt(u) => {
            let parts = read_fields(b, u.fields.len(), "user type")?;
            let mut out = Vec::with_capacity(u.fields.len());
            let mut parts = parts.into_iter();
            for (name, t) in &u.fields {
                let v = match parts.next().flatten() {
                    Some(p) => Some(deserialize(t, p)?),
                    None => None,
                };
                out.push((name.clone(), v));
            }
            Value::Udt(out)
        }
    })
}

fn read_duration(b: &[u8]) -> CqlResult<Duration> {
    let n = b.len();
    if n < 3 {
        return Err(invalid(format!(
            "Expected at least 3 bytes for a duration ({n})"
        )));
    }
    let trunc = || invalid("Not enough bytes to read a duration".to_string());
    let (months, a) = vint::read_signed(b).ok_or_else(trunc)?;
    let (days, c) = vint::read_signed(&b[a..]).ok_or_else(trunc)?;
    let (nanos, _) = vint::read_signed(&b[a + c..]).ok_or_else(trunc)?;
    let months = i32::try_from(months).map_err(|_| {
        invalid(format!(
            "The duration months must be a 32 bits integer but was: {months}"
        ))
    })?;
    let days = i32::try_from(days).map_err(|_| {
        invalid(format!(
            "The duration days must be a 32 bits integer but was: {days}"
        ))
    })?;
    let signs = [months.signum() as i64, days.signum() as i64, nanos.signum()];
    if signs.contains(&1) && signs.contains(&-1) {
        return Err(invalid(
            "The duration months, days and nanoseconds must be all of the same sign ({months}, {days}, {nanos})"
                .replace("{months}", &months.to_string())
                .replace("{days}", &days.to_string())
                .replace("{nanos}", &nanos.to_string()),
        ));
    }
    Ok(Duration {
        months,
        days,
        nanos,
    })
}

/// Reads a `[int n][bytes]...` sequence of collection elements.
fn read_values<'a>(b: &'a [u8], count_mult: usize, what: &str) -> CqlResult<Vec<&'a [u8]>> {
    let short = || invalid(format!("Not enough bytes to read a {what}"));
    if b.len() < 4 {
        return Err(short());
    }
    let n = i32::from_be_bytes(fixed(b));
    if n < 0 {
        return Err(short());
    }
    let total = (n as usize).saturating_mul(count_mult);
    let mut out = Vec::with_capacity(total.min(1024));
    let mut pos = 4;
    for _ in 0..total {
        if b.len() < pos + 4 {
            return Err(short());
        }
        let len = i32::from_be_bytes(fixed(&b[pos..]));
        pos += 4;
        if len < 0 {
            return Err(invalid("null is not supported inside collections".into()));
        }
        let len = len as usize;
        if b.len() < pos + len {
            return Err(short());
        }
        out.push(&b[pos..pos + len]);
        pos += len;
    }
    if pos != b.len() {
        return Err(invalid(format!(
            "Unexpected extraneous bytes after {what} value"
        )));
    }
    Ok(out)
}

/// Splits a serialized list/set (`mult` 1) or map (`mult` 2) into its element values.
pub fn deserialize_parts(b: &[u8], mult: usize) -> CqlResult<Vec<&[u8]>> {
    read_values(b, mult, if mult == 2 { "map" } else { "list" })
}

fn read_elements(b: &[u8], elem: &CqlType, what: &str) -> CqlResult<Vec<Value>> {
    read_values(b, 1, what)?
        .into_iter()
        .map(|e| deserialize(elem, e))
        .collect()
}

fn read_map(b: &[u8], k: &CqlType, v: &CqlType) -> CqlResult<Vec<(Value, Value)>> {
    let parts = read_values(b, 2, "map")?;
    parts
        .chunks(2)
        .map(|kv| Ok((deserialize(k, kv[0])?, deserialize(v, kv[1])?)))
        .collect()
}

/// Splits a tuple/UDT value into at most `max` fields (`None` = null); trailing fields may
/// be missing (`C*: db/marshal/TupleType.java` `validate`).
pub fn read_fields<'a>(b: &'a [u8], max: usize, what: &str) -> CqlResult<Vec<Option<&'a [u8]>>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < b.len() {
        if out.len() == max {
            return Err(invalid(format!(
                "Invalid remaining data after end of {what} value"
            )));
        }
        if b.len() < pos + 4 {
            return Err(invalid(format!(
                "Not enough bytes to read size of {}th component",
                out.len()
            )));
        }
        let len = i32::from_be_bytes(fixed(&b[pos..]));
        pos += 4;
        if len < 0 {
            out.push(None);
            continue;
        }
        let len = len as usize;
        if b.len() < pos + len {
            return Err(invalid(format!(
                "Not enough bytes to read {}th component",
                out.len()
            )));
        }
        out.push(Some(&b[pos..pos + len]));
        pos += len;
    }
    Ok(out)
}

/// Encodes a value in its native protocol v4 form.
pub fn serialize(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    serialize_into(&mut out, v);
    out
}

fn push_value(out: &mut Vec<u8>, v: &Value) {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    serialize_into(out, v);
    let len = (out.len() - start - 4) as i32;
    out[start..start + 4].copy_from_slice(&len.to_be_bytes());
}

fn push_optional(out: &mut Vec<u8>, v: Option<&Value>) {
    match v {
        Some(v) => push_value(out, v),
        None => out.extend_from_slice(&(-1i32).to_be_bytes()),
    }
}

/// Appends the serialized form of `v`.
pub fn serialize_into(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Empty => {}
        Value::Ascii(s) | Value::Text(s) => out.extend_from_slice(s.as_bytes()),
        Value::Blob(b) => out.extend_from_slice(b),
        Value::Bigint(x) | Value::Counter(x) | Value::Timestamp(x) | Value::Time(x) => {
            out.extend_from_slice(&x.to_be_bytes())
        }
        Value::Boolean(x) => out.push(u8::from(*x)),
        Value::Date(x) => out.extend_from_slice(&x.to_be_bytes()),
        Value::Decimal { unscaled, scale } => {
            out.extend_from_slice(&scale.to_be_bytes());
            out.extend_from_slice(&unscaled.to_signed_bytes_be());
        }
        Value::Double(x) => out.extend_from_slice(&x.to_be_bytes()),
        Value::Float(x) => out.extend_from_slice(&x.to_be_bytes()),
        Value::Duration(d) => {
            vint::write_signed(out, i64::from(d.months));
            vint::write_signed(out, i64::from(d.days));
            vint::write_signed(out, d.nanos);
        }
        Value::Inet(IpAddr::V4(a)) => out.extend_from_slice(&a.octets()),
        Value::Inet(IpAddr::V6(a)) => out.extend_from_slice(&a.octets()),
        Value::Int(x) => out.extend_from_slice(&x.to_be_bytes()),
        Value::Smallint(x) => out.extend_from_slice(&x.to_be_bytes()),
        Value::Tinyint(x) => out.push(*x as u8),
        Value::Uuid(u) | Value::Timeuuid(u) => out.extend_from_slice(u.as_bytes()),
        Value::Varint(x) => out.extend_from_slice(&x.to_signed_bytes_be()),
        Value::List(items) | Value::Set(items) => {
            out.extend_from_slice(&(items.len() as i32).to_be_bytes());
            for i in items {
                push_value(out, i);
            }
        }
        Value::Map(entries) => {
            out.extend_from_slice(&(entries.len() as i32).to_be_bytes());
            for (k, v) in entries {
                push_value(out, k);
                push_value(out, v);
            }
        }
        Value::Tuple(fields) => {
            for f in fields {
                push_optional(out, f.as_ref());
            }
        }
        Value::Udt(fields) => {
            for (_, f) in fields {
                push_optional(out, f.as_ref());
            }
        }
    }
}

/// Lower-case hex digits of `bytes`, as Cassandra's `ByteBufferUtil.bytesToHex` prints them
/// in messages (without the `0x`).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
