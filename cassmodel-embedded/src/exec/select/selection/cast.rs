//! `CAST(x AS type)` in a selection, as `C*: cql3/functions/CastFcts.java` declares it: every
//! numeric type (tinyint, smallint, int, bigint, float, double, decimal, counter, varint) to
//! every other numeric type with Java's `Number` conversions, numerics and
//! ascii/inet/boolean/timeuuid/timestamp/date/time/uuid to `ascii` and `text` (the value's
//! string form), timeuuid/timestamp to `date`, timeuuid/date to `timestamp`. The functions
//! are named `castAs<Type>` (`CastFcts.getFunctionName`) and show as `cast(x as type)`
//! (`CastFunction.columnName`).

use num_bigint::BigInt;

use super::functions::{Native, Overload};
use crate::error::{CqlError, CqlResult};
use crate::types::json::{host_address, java_float};
use crate::types::{CqlType, Value, datetime, deserialize, serialize};

const NUMERIC: [CqlType; 9] = [
    CqlType::Tinyint,
    CqlType::Smallint,
    CqlType::Int,
    CqlType::Bigint,
    CqlType::Float,
    CqlType::Double,
    CqlType::Decimal,
    CqlType::Counter,
    CqlType::Varint,
];

/// The function name Cassandra gives the cast to `to`: `castAsInt`, `castAsText`...
pub fn function_name(to: &CqlType) -> String {
    let t = to.to_string();
    let mut chars = t.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase());
    format!(
        "castAs{}{}",
        first.map(String::from).unwrap_or_default(),
        chars.as_str()
    )
}

/// The cast overloads to `to`, in `CastFcts.all()` order.
pub fn overloads(to: &CqlType) -> Vec<Overload> {
    use CqlType::{Ascii, Boolean, Date, Inet, Text, Time, Timestamp, Timeuuid, Uuid};
    let mut inputs: Vec<CqlType> = Vec::new();
    let text = matches!(to, Ascii | Text);
    if NUMERIC[..7].contains(to) || *to == CqlType::Varint || text {
        inputs.extend(NUMERIC.iter().filter(|t| *t != to).cloned());
    }
    if *to == Text {
        inputs.push(Ascii);
    }
    if text {
        inputs.extend([Inet, Boolean]);
    }
    let temporal: &[CqlType] = match to {
        Date => &[Timeuuid, Timestamp],
        Timestamp => &[Timeuuid, Date],
        Ascii | Text => &[Timeuuid, Timestamp, Date, Time],
        _ => &[],
    };
    inputs.extend(temporal.iter().cloned());
    if text {
        inputs.push(Uuid);
    }
    inputs
        .into_iter()
        .map(|from| Overload {
            args: vec![from.clone()],
            result: to.clone(),
            native: Native::Cast(from, to.clone()),
        })
        .collect()
}

/// A number as Java holds it before a `Number` conversion.
enum Num {
    Long(i64),
    F32(f32),
    F64(f64),
    Dec(BigInt, i32),
    Big(BigInt),
}

impl Num {
    fn from_value(v: &Value) -> Option<Num> {
        Some(match v {
            Value::Tinyint(x) => Num::Long(i64::from(*x)),
            Value::Smallint(x) => Num::Long(i64::from(*x)),
            Value::Int(x) => Num::Long(i64::from(*x)),
            Value::Bigint(x) | Value::Counter(x) => Num::Long(*x),
            Value::Float(x) => Num::F32(*x),
            Value::Double(x) => Num::F64(*x),
            Value::Decimal { unscaled, scale } => Num::Dec(unscaled.clone(), *scale),
            Value::Varint(x) => Num::Big(x.clone()),
            _ => return None,
        })
    }

    /// The integer part of a decimal (`BigDecimal.toBigInteger`), or the varint.
    fn big(&self) -> Option<BigInt> {
        match self {
            Num::Dec(u, s) if *s > 0 => Some(u / BigInt::from(10).pow(s.unsigned_abs())),
            Num::Dec(u, s) => Some(u * BigInt::from(10).pow(s.unsigned_abs())),
            Num::Big(b) => Some(b.clone()),
            _ => None,
        }
    }

    /// `Number.longValue()`: low 64 bits for big numbers, saturation for floating point.
    fn long(&self) -> i64 {
        match self {
            Num::Long(x) => *x,
            Num::F32(x) => *x as i64,
            Num::F64(x) => *x as i64,
            _ => {
                let b = self.big().unwrap_or_default();
                let (_, digits) = b.to_u64_digits();
                let low = digits.first().copied().unwrap_or(0);
                let v = low.cast_signed();
                if b.sign() == num_bigint::Sign::Minus {
                    v.wrapping_neg()
                } else {
                    v
                }
            }
        }
    }

    /// `Number.intValue()`.
    fn int(&self) -> i32 {
        match self {
            Num::F32(x) => *x as i32,
            Num::F64(x) => *x as i32,
            _ => self.long() as i32,
        }
    }

    /// `Number.doubleValue()`.
    fn double(&self) -> f64 {
        match self {
            Num::Long(x) => *x as f64,
            Num::F32(x) => f64::from(*x),
            Num::F64(x) => *x,
            Num::Dec(u, s) => format!("{u}e{}", -i64::from(*s))
                .parse()
                .unwrap_or(f64::NAN),
            Num::Big(b) => b.to_string().parse().unwrap_or(f64::NAN),
        }
    }

    /// `Number.floatValue()`.
    fn float(&self) -> f32 {
        match self {
            Num::Long(x) => *x as f32,
            Num::F32(x) => *x,
            Num::F64(x) => *x as f32,
            Num::Dec(u, s) => format!("{u}e{}", -i64::from(*s))
                .parse()
                .unwrap_or(f32::NAN),
            Num::Big(b) => b.to_string().parse().unwrap_or(f32::NAN),
        }
    }

    /// `toString()` of the boxed Java number (decimals as plain text, as
    /// `DecimalSerializer.toString` prints them).
    fn text(&self) -> String {
        match self {
            Num::Long(x) => x.to_string(),
            Num::F32(x) => java_float(f64::from(*x), true),
            Num::F64(x) => java_float(*x, false),
            Num::Dec(u, s) => crate::types::literal::decimal_text(u, *s),
            Num::Big(b) => b.to_string(),
        }
    }
}

/// The string a cast to text gives (the type serializer's `toString`).
fn value_text(v: &Value) -> Option<String> {
    if let Some(n) = Num::from_value(v) {
        return Some(n.text());
    }
    Some(match v {
        Value::Ascii(s) | Value::Text(s) => s.clone(),
        Value::Boolean(b) => b.to_string(),
        Value::Inet(ip) => host_address(ip),
        Value::Uuid(u) | Value::Timeuuid(u) => u.hyphenated().to_string(),
        // `TimestampSerializer` formats in UTC as `yyyy-MM-dd'T'HH:mm:ss.SSSX`.
        Value::Timestamp(ms) => {
            let s = datetime::format_timestamp(*ms);
            let s = s.strip_suffix("+0000").unwrap_or(&s);
            format!("{}Z", s.replacen(' ', "T", 1))
        }
        Value::Date(d) => datetime::format_date(*d),
        Value::Time(t) => datetime::format_time(*t),
        _ => return None,
    })
}

/// Applies the cast of `v` (a `from` value) to `to`.
pub fn apply(from: &CqlType, to: &CqlType, v: &[u8]) -> CqlResult<Option<Vec<u8>>> {
    let value = deserialize(from, v)?;
    if matches!(value, Value::Empty) {
        return Ok(None);
    }
    let out = match to {
        CqlType::Date | CqlType::Timestamp => {
            let Some(ms) = super::functions::millis(from, v) else {
                return Ok(None);
            };
            if *to == CqlType::Date {
                Value::Date(u32::from_be_bytes(super::functions::date_of_ms(ms)))
            } else {
                Value::Timestamp(ms)
            }
        }
        CqlType::Ascii | CqlType::Text => {
            let Some(s) = value_text(&value) else {
                return Ok(None);
            };
            if *to == CqlType::Ascii {
                Value::Ascii(s)
            } else {
                Value::Text(s)
            }
        }
        _ => {
            let Some(n) = Num::from_value(&value) else {
                return Ok(None);
            };
            match to {
                CqlType::Tinyint => Value::Tinyint(n.int() as i8),
                CqlType::Smallint => Value::Smallint(n.int() as i16),
                CqlType::Int => Value::Int(n.int()),
                CqlType::Bigint => Value::Bigint(n.long()),
                CqlType::Float => Value::Float(n.float()),
                CqlType::Double => Value::Double(n.double()),
                CqlType::Varint => Value::Varint(BigInt::from(n.long())),
                // `CastFcts.getDecimalConversionFunction`: integers exactly
                // (`new BigDecimal(BigInteger)`, `BigDecimal.valueOf(long)`), a float from
                // `Float.toString`, anything else from `Double.toString`.
                CqlType::Decimal => match n {
                    Num::Long(x) => Value::Decimal {
                        unscaled: BigInt::from(x),
                        scale: 0,
                    },
                    Num::Big(b) => Value::Decimal {
                        unscaled: b,
                        scale: 0,
                    },
                    other => decimal_of_number(&other)?,
                },
                _ => return Ok(None),
            }
        }
    };
    Ok(Some(serialize(&out)))
}

/// `BigDecimal` of a floating-point number's Java text; NaN and infinities have none.
fn decimal_of_number(n: &Num) -> CqlResult<Value> {
    let (d, is_f32) = match n {
        Num::F32(f) => (f64::from(*f), true),
        _ => (n.double(), false),
    };
    if !d.is_finite() {
        return Err(CqlError::invalid(format!(
            "Character {} is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark.",
            java_float(d, false).chars().next().unwrap_or('N')
        )));
    }
    Ok(decimal_of(&java_float(d, is_f32)))
}

/// A decimal from Java's `Double.toString` form (`1.5`, `1.0E10`, `-2.5E-7`).
fn decimal_of(s: &str) -> Value {
    let (mantissa, exp) = s.split_once('E').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let unscaled: BigInt = digits.parse().unwrap_or_default();
    let scale = i32::try_from(frac.len()).unwrap_or(0) - exp;
    Value::Decimal { unscaled, scale }
}
