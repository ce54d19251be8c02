//! JSON text to serialized values, as Cassandra 4.1's `AbstractType.fromJSONObject` reads
//! what Jackson's `ObjectMapper` made of the document (`C*: cql3/Json.java`,
//! `C*: db/marshal/*Type.java` `fromJSONObject`/`fromString`). Jackson's object model is
//! kept where the messages show it: integers are `Integer`, `Long` or `BigInteger` by
//! size, other numbers `Double`, arrays `ArrayList`, objects `LinkedHashMap` (key order
//! kept, a repeated key replacing the earlier value in place).

use std::fmt;

use num_bigint::BigInt;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::CqlType;
use super::json::java_float;
use crate::exec::codec::{collection, compare, literal};

/// A parsed JSON value, as Jackson's untyped mapping has it.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false` (`Boolean`)
    Bool(bool),
    /// An integer in `int` range (`Integer`).
    Int(i32),
    /// An integer in `long` range (`Long`).
    Long(i64),
    /// A larger integer (`BigInteger`).
    Big(BigInt),
    /// Any other number (`Double`).
    Double(f64),
    /// A string (`String`).
    Str(String),
    /// An array (`ArrayList`).
    List(Vec<Json>),
    /// An object (`LinkedHashMap`), in document order.
    Map(Vec<(String, Json)>),
}

/// `LinkedHashMap.put`: replaces an existing key's value in place, else appends.
pub fn put(map: &mut Vec<(String, Json)>, key: String, value: Json) {
    match map.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => map.push((key, value)),
    }
}

/// `LinkedHashMap.remove`: the value under `key`, if any.
pub fn remove(map: &mut Vec<(String, Json)>, key: &str) -> Option<Json> {
    let i = map.iter().position(|(k, _)| k == key)?;
    Some(map.remove(i).1)
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(i32::try_from(v).map_or(Json::Long(v), Json::Int))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(match i64::try_from(v) {
            Ok(v) => i32::try_from(v).map_or(Json::Long(v), Json::Int),
            Err(_) => Json::Big(BigInt::from(v)),
        })
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Double(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<Json>()? {
            out.push(v);
        }
        Ok(Json::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Json>()? {
            put(&mut out, k, v);
        }
        Ok(Json::Map(out))
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

/// Parses a JSON document; the error is the parser's message.
pub fn parse(text: &str) -> Result<Json, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

impl Json {
    /// `getClass().getSimpleName()` of Jackson's object.
    pub fn class(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "Boolean",
            Json::Int(_) => "Integer",
            Json::Long(_) => "Long",
            Json::Big(_) => "BigInteger",
            Json::Double(_) => "Double",
            Json::Str(_) => "String",
            Json::List(_) => "ArrayList",
            Json::Map(_) => "LinkedHashMap",
        }
    }
}

impl fmt::Display for Json {
    /// Java's `toString` of Jackson's object (`[a, b]`, `{k=v}`), as messages print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Int(i) => write!(f, "{i}"),
            Json::Long(i) => write!(f, "{i}"),
            Json::Big(i) => write!(f, "{i}"),
            Json::Double(x) => f.write_str(&java_float(*x, false)),
            Json::Str(s) => f.write_str(s),
            Json::List(items) => {
                let parts: Vec<String> = items.iter().map(ToString::to_string).collect();
                write!(f, "[{}]", parts.join(", "))
            }
            Json::Map(entries) => {
                let parts: Vec<String> = entries.iter().map(|(k, v)| format!("{k}={v}")).collect();
                write!(f, "{{{}}}", parts.join(", "))
            }
        }
    }
}

/// `JsonUtils.handleCaseSensitivity`: a key in double quotes keeps its case (quotes
/// removed), any other key is lower-cased; a changed key moves to the end of the map.
pub fn handle_case_sensitivity(map: &mut Vec<(String, Json)>) {
    let keys: Vec<String> = map.iter().map(|(k, _)| k.clone()).collect();
    for key in keys {
        if key.len() >= 2 && key.starts_with('"') && key.ends_with('"') {
            if let Some(v) = remove(map, &key) {
                put(map, key[1..key.len() - 1].to_owned(), v);
            }
            continue;
        }
        let lowered = key.to_lowercase();
        if lowered != key
            && let Some(v) = remove(map, &key)
        {
            put(map, lowered, v);
        }
    }
}

type MResult<T> = Result<T, String>;

fn expected(what: &str, j: &Json) -> String {
    format!("Expected {what}, but got a {}: {j}", j.class())
}

/// `Json.decodeJson`: a collection, tuple or user type given as a JSON string holds a
/// nested document.
fn nested(j: &Json) -> MResult<Json> {
    match j {
        Json::Str(s) => parse(s).map_err(|e| format!("Error decoding JSON string: {e}")),
        other => Ok(other.clone()),
    }
}

fn int_bytes<T: std::str::FromStr>(
    s: &str,
    name: &str,
    to_bytes: impl Fn(T) -> Vec<u8>,
) -> MResult<Vec<u8>> {
    // `fromString("")` is the empty value for these types.
    if s.is_empty() {
        return Ok(Vec::new());
    }
    s.parse::<T>()
        .map(to_bytes)
        .map_err(|_| format!("Unable to make {name} from '{s}'"))
}

fn float_from_string(s: &str, name: &str) -> MResult<Option<f64>> {
    if s.is_empty() {
        return Ok(None);
    }
    literal::parse_float(s)
        .map(Some)
        .ok_or_else(|| format!("Unable to make {name} from '{s}'"))
}

fn integral(j: &Json) -> Option<BigInt> {
    match j {
        Json::Int(i) => Some(BigInt::from(*i)),
        Json::Long(i) => Some(BigInt::from(*i)),
        Json::Big(i) => Some(i.clone()),
        _ => None,
    }
}

/// `fromJSONObject` of `ty` for a non-null JSON value; the error is the
/// `MarshalException` message.
pub fn from_json(ty: &CqlType, j: &Json) -> MResult<Vec<u8>> {
    match ty {
        CqlType::Frozen(inner) => from_json(inner, j),
        CqlType::Text => match j {
            Json::Str(s) => Ok(s.as_bytes().to_vec()),
            other => Err(expected("a UTF-8 string", other)),
        },
        CqlType::Ascii => match j {
            Json::Str(s) if s.is_ascii() => Ok(s.as_bytes().to_vec()),
            Json::Str(s) => Err(format!("Invalid ASCII character in string literal: {s}")),
            other => Err(expected("an ascii string", other)),
        },
        CqlType::Int => match j {
            Json::Str(s) => int_bytes(s, "int", |v: i32| v.to_be_bytes().to_vec()),
            Json::Int(i) => Ok(i.to_be_bytes().to_vec()),
            other => Err(expected("an int value", other)),
        },
        CqlType::Bigint | CqlType::Counter => match j {
            Json::Str(s) => int_bytes(s, "long", |v: i64| v.to_be_bytes().to_vec()),
            Json::Int(i) => Ok(i64::from(*i).to_be_bytes().to_vec()),
            Json::Long(i) => Ok(i.to_be_bytes().to_vec()),
            other => Err(expected("a bigint value", other)),
        },
        // ShortType/ByteType: strings and numbers go through `fromString(String.valueOf(..))`.
        CqlType::Smallint => match j {
            Json::Str(_) | Json::Int(_) | Json::Long(_) | Json::Big(_) | Json::Double(_) => {
                let s = j.to_string();
                s.parse::<i16>()
                    .map(|v| v.to_be_bytes().to_vec())
                    .map_err(|_| format!("Unable to make short from '{s}'"))
            }
            other => Err(expected("a short value", other)),
        },
        CqlType::Tinyint => match j {
            Json::Str(_) | Json::Int(_) | Json::Long(_) | Json::Big(_) | Json::Double(_) => {
                let s = j.to_string();
                s.parse::<i8>()
                    .map(|v| v.to_be_bytes().to_vec())
                    .map_err(|_| format!("Unable to make byte from '{s}'"))
            }
            other => Err(expected("a byte value", other)),
        },
        // IntegerType: `new BigInteger(parsed.toString())`, which refuses "" too.
        CqlType::Varint => {
            let v = match j {
                Json::Str(s) => BigInt::parse_bytes(s.as_bytes(), 10),
                other => integral(other),
            };
            v.map(|v| v.to_signed_bytes_be()).ok_or_else(|| {
                format!("Value '{j}' is not a valid representation of a varint value")
            })
        }
        // DecimalType: `new BigDecimal(parsed.toString())`.
        CqlType::Decimal => {
            let text = match j {
                Json::Str(s) if s.is_empty() => return Ok(Vec::new()),
                Json::Str(_) | Json::Int(_) | Json::Long(_) | Json::Big(_) | Json::Double(_) => {
                    j.to_string()
                }
                other => {
                    return Err(format!(
                        "Value '{other}' is not a valid representation of a decimal value"
                    ));
                }
            };
            literal::decimal_from_str(&text).ok_or_else(|| {
                format!("Value '{j}' is not a valid representation of a decimal value")
            })
        }
        CqlType::Double => {
            let v = match j {
                Json::Str(s) => float_from_string(s, "double")?,
                Json::Int(i) => Some(f64::from(*i)),
                #[expect(clippy::cast_precision_loss, reason = "Number.doubleValue()")]
                Json::Long(i) => Some(*i as f64),
                Json::Double(x) => Some(*x),
                other => return Err(expected("a double value", other)),
            };
            Ok(v.map(|x| x.to_be_bytes().to_vec()).unwrap_or_default())
        }
        CqlType::Float => {
            let v = match j {
                Json::Str(s) => float_from_string(s, "float")?,
                Json::Int(i) => Some(f64::from(*i)),
                #[expect(clippy::cast_precision_loss, reason = "Number.floatValue()")]
                Json::Long(i) => Some(*i as f64),
                Json::Double(x) => Some(*x),
                other => return Err(expected("a float value", other)),
            };
            #[expect(clippy::cast_possible_truncation, reason = "Number.floatValue()")]
            Ok(v.map(|x| (x as f32).to_be_bytes().to_vec())
                .unwrap_or_default())
        }
        CqlType::Boolean => {
            let s = match j {
                Json::Str(s) => s.clone(),
                Json::Bool(b) => b.to_string(),
                other => return Err(expected("a boolean value", other)),
            };
            // BooleanType.fromString: "" is false.
            if s.eq_ignore_ascii_case("true") {
                Ok(vec![1])
            } else if s.is_empty() || s.eq_ignore_ascii_case("false") {
                Ok(vec![0])
            } else {
                Err(format!("Unable to make boolean from '{s}'"))
            }
        }
        CqlType::Uuid | CqlType::Timeuuid => {
            let time = *ty == CqlType::Timeuuid;
            let Json::Str(s) = j else {
                let what = if time {
                    "a string representation of a timeuuid"
                } else {
                    "a string representation of a uuid"
                };
                return Err(expected(what, j));
            };
            if s.is_empty() {
                return Ok(Vec::new());
            }
            let parsed = if time {
                super::literal::parse_timeuuid(s)
            } else {
                super::literal::parse_uuid(s)
            };
            parsed.map(|u| u.as_bytes().to_vec()).map_err(|e| e.message)
        }
        CqlType::Inet => match j {
            Json::Str(s) if s.is_empty() => Ok(Vec::new()),
            Json::Str(s) => match super::literal::parse_inet(s).map_err(|e| e.message)? {
                std::net::IpAddr::V4(a) => Ok(a.octets().to_vec()),
                std::net::IpAddr::V6(a) => Ok(a.octets().to_vec()),
            },
            other => Err(expected("a string representation of an inet value", other)),
        },
        CqlType::Timestamp => match j {
            Json::Long(i) => Ok(i.to_be_bytes().to_vec()),
            Json::Str(s) if s.is_empty() => Ok(Vec::new()),
            Json::Str(s) => super::datetime::parse_timestamp(s)
                .map(|ms| ms.to_be_bytes().to_vec())
                .map_err(|e| e.message),
            // `parsed instanceof Long` only: Jackson makes small integers `Integer`s.
            other => Err(expected(
                "a long or a datestring representation of a timestamp value",
                other,
            )),
        },
        CqlType::Date => match j {
            Json::Str(s) => super::datetime::parse_date(s)
                .map(|d| d.to_be_bytes().to_vec())
                .map_err(|e| e.message),
            other => Err(expected("a string representation of a date value", other)),
        },
        CqlType::Time => match j {
            Json::Str(s) => super::datetime::parse_time(s)
                .map(|t| t.to_be_bytes().to_vec())
                .map_err(|e| e.message),
            other => Err(expected("a string representation of a time value", other)),
        },
        CqlType::Duration => match j {
            Json::Str(s) => literal::parse_duration(s)
                .ok_or_else(|| format!("Unable to convert '{s}' to a duration")),
            other => Err(expected("a string representation of a duration", other)),
        },
        CqlType::Blob => {
            let bad =
                |why: String| format!("Value '{j}' is not a valid blob representation: {why}");
            let Json::Str(s) = j else {
                return Err(bad(format!(
                    "class {} cannot be cast to class String",
                    j.class()
                )));
            };
            let Some(hex) = s.strip_prefix("0x") else {
                return Err(bad(format!(
                    "String representation of blob is missing 0x prefix: {s}"
                )));
            };
            if !hex.len().is_multiple_of(2) || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                return Err(bad(format!("cannot parse '{hex}' as hex bytes")));
            }
            Ok((0..hex.len())
                .step_by(2)
                .filter_map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
                .collect())
        }
        CqlType::List(elem) | CqlType::Set(elem) => {
            let set = matches!(ty, CqlType::Set(_));
            let Json::List(items) = nested(j)? else {
                let what = if set {
                    "a list (representing a set)"
                } else {
                    "a list"
                };
                return Err(expected(what, j));
            };
            let mut out = Vec::with_capacity(items.len());
            for item in &items {
                if *item == Json::Null {
                    let kind = if set { "set" } else { "list" };
                    return Err(format!("Invalid null element in {kind}"));
                }
                out.push(from_json(elem, item)?);
            }
            if set {
                out.sort_by(|a, b| compare(a, b, elem));
                out.dedup();
            }
            Ok(collection::join_elements(&out))
        }
        CqlType::Map(kt, vt) => {
            let Json::Map(entries) = nested(j)? else {
                return Err(expected("a map", j));
            };
            let mut out: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(entries.len());
            for (k, v) in &entries {
                if *v == Json::Null {
                    return Err("Invalid null value in map".into());
                }
                // Keys are JSON strings; MapType decodes them with the key type.
                let key = from_json(kt, &Json::Str(k.clone()))?;
                out.push((key, from_json(vt, v)?));
            }
            out.sort_by(|a, b| compare(&a.0, &b.0, kt));
            out.dedup_by(|a, b| a.0 == b.0);
            Ok(collection::join_map(&out))
        }
        CqlType::Tuple(types) => {
            let Json::List(items) = nested(j)? else {
                return Err(expected("a list representation of a tuple", j));
            };
            // TupleType.fromJSONObject
            if items.len() > types.len() {
                return Err(format!(
                    "Tuple contains extra items (expected {}): {j}",
                    types.len()
                ));
            }
            if items.len() < types.len() {
                return Err(format!(
                    "Tuple is missing items (expected {}): {j}",
                    types.len()
                ));
            }
            let mut out = Vec::with_capacity(items.len());
            for (item, t) in items.iter().zip(types) {
                out.push(match item {
                    Json::Null => None,
                    v => Some(from_json(t, v)?),
                });
            }
            Ok(collection::join_fields(&out))
        }
        CqlType::Udt(u) => {
            let Json::Map(mut entries) = nested(j)? else {
                return Err(expected("a map", j));
            };
            handle_case_sensitivity(&mut entries);
            let mut out = Vec::with_capacity(u.fields.len());
            for (name, t) in &u.fields {
                out.push(match remove(&mut entries, name) {
                    None | Some(Json::Null) => None,
                    Some(v) => Some(from_json(t, &v)?),
                });
            }
            if let Some((k, _)) = entries.first() {
                return Err(format!(
                    "Unknown field '{k}' in value of user defined type {}",
                    u.name
                ));
            }
            Ok(collection::join_fields(&out))
        }
    }
}
