//! Native scalar functions, as Cassandra 4.1 declares them: `now()`, `currentTimeUUID()`,
//! `currentTimestamp()`, `currentDate()`, `currentTime()`, `minTimeuuid`, `maxTimeuuid`,
//! `toDate`, `toTimestamp`, `toUnixTimestamp`, `dateOf`, `unixTimestampOf`
//! (`C*: cql3/functions/TimeFcts.java`), `uuid()` (`C*: cql3/functions/UuidFcts.java`),
//! `<type>AsBlob` / `blobAs<type>` (`C*: cql3/functions/BytesConversionFcts.java`) and the
//! `CAST` functions (`C*: cql3/functions/CastFcts.java`, see [`super::cast`]). The
//! implementations here are shared by selectors and by terms (`exec/term/time.rs`).

use crate::error::{CqlError, CqlResult};
use crate::exec::clock::{Clock, SystemClock};
use crate::exec::codec::literal;
use crate::types::CqlType;

/// 100 ns intervals between 1582-10-15 and 1970-01-01 (`C*: utils/TimeUUID.java`).
const GREGORIAN_OFFSET: i64 = 0x01B2_1DD2_1381_4000;
const DAY_MS: i64 = 86_400_000;
/// The `date` value of 1970-01-01 (`SimpleDateSerializer`: days with the epoch at 2^31).
const DATE_EPOCH: i64 = crate::types::value::DATE_EPOCH as i64;
/// `TimeUUID.MIN_CLOCK_SEQ_AND_NODE` / `MAX_CLOCK_SEQ_AND_NODE`.
const MIN_LSB: u64 = 0x8080_8080_8080_8080;
const MAX_LSB: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The implementation of one overload of a native scalar function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Native {
    /// `now()`, `currentTimeUUID()`, `currentTimestamp()`, `currentDate()`,
    /// `currentTime()`: the current time as the given type (`TemporalType.now()`).
    Now(CqlType),
    /// `uuid()`: a random (version 4) UUID.
    RandomUuid,
    /// `minTimeuuid(timestamp)`
    MinTimeuuid,
    /// `maxTimeuuid(timestamp)`
    MaxTimeuuid,
    /// To a `date` from the argument type.
    ToDate(CqlType),
    /// To a `timestamp` from the argument type.
    ToTimestamp(CqlType),
    /// To milliseconds since the epoch (`bigint`) from the argument type.
    ToUnixTimestamp(CqlType),
    /// `<type>AsBlob`: the same bytes.
    AsBlob,
    /// `blobAs<type>`: the same bytes, which must be valid for the type; the function's
    /// name (`blobas<type>`) is kept for the error message.
    BlobAs(CqlType, String),
    /// `CAST(x AS type)` from one type to another.
    Cast(CqlType, CqlType),
    /// `toJson(x)`: the value as JSON text (`C*: cql3/functions/ToJsonFct.java`).
    ToJson(CqlType),
    /// An arithmetic operator overload (`C*: cql3/functions/OperationFcts.java`).
    Arith(crate::exec::arith::OpSig),
    /// `_negate` of a numeric type.
    Negate(CqlType),
}

/// One overload: its argument types, result type and implementation.
#[derive(Debug, Clone)]
pub struct Overload {
    /// Argument types.
    pub args: Vec<CqlType>,
    /// Result type.
    pub result: CqlType,
    /// Implementation.
    pub native: Native,
}

fn one(arg: CqlType, result: CqlType, native: Native) -> Overload {
    Overload {
        args: vec![arg],
        result,
        native,
    }
}

/// The overloads of native function `f` (lower-case name), in Cassandra's declaration
/// order; empty when there is no such native function here.
pub fn overloads(f: &str) -> Vec<Overload> {
    use CqlType::{Bigint, Blob, Date, Time, Timestamp, Timeuuid, Uuid};
    if let Some(t) = f.strip_suffix("asblob").and_then(CqlType::from_native_name) {
        return vec![one(t, Blob, Native::AsBlob)];
    }
    if let Some(t) = f.strip_prefix("blobas").and_then(CqlType::from_native_name) {
        return vec![one(Blob, t.clone(), Native::BlobAs(t, f.to_owned()))];
    }
    let now = |t: CqlType| {
        vec![Overload {
            args: Vec::new(),
            result: t.clone(),
            native: Native::Now(t),
        }]
    };
    match f {
        "now" | "currenttimeuuid" => now(Timeuuid),
        "currenttimestamp" => now(Timestamp),
        "currentdate" => now(Date),
        "currenttime" => now(Time),
        "uuid" => vec![Overload {
            args: Vec::new(),
            result: Uuid,
            native: Native::RandomUuid,
        }],
        "mintimeuuid" => vec![one(Timestamp, Timeuuid, Native::MinTimeuuid)],
        "maxtimeuuid" => vec![one(Timestamp, Timeuuid, Native::MaxTimeuuid)],
        "dateof" => vec![one(Timeuuid, Timestamp, Native::ToTimestamp(Timeuuid))],
        "unixtimestampof" => vec![one(Timeuuid, Bigint, Native::ToUnixTimestamp(Timeuuid))],
        "todate" => [Timeuuid, Timestamp]
            .into_iter()
            .map(|a| one(a.clone(), Date, Native::ToDate(a)))
            .collect(),
        "totimestamp" => [Timeuuid, Date]
            .into_iter()
            .map(|a| one(a.clone(), Timestamp, Native::ToTimestamp(a)))
            .collect(),
        "tounixtimestamp" => [Timeuuid, Timestamp, Date]
            .into_iter()
            .map(|a| one(a.clone(), Bigint, Native::ToUnixTimestamp(a)))
            .collect(),
        _ => Vec::new(),
    }
}

impl Native {
    /// The function applied to its argument values. One-argument functions map null (and,
    /// for the `TimeFcts` conversions, the empty value) to null.
    pub fn apply(&self, args: &[Option<&[u8]>]) -> CqlResult<Option<Vec<u8>>> {
        match self {
            Native::Now(t) => return Ok(Some(now_as(t, SystemClock.now_micros()))),
            Native::RandomUuid => return Ok(Some(uuid::Uuid::new_v4().as_bytes().to_vec())),
            Native::ToJson(t) => {
                // ToJsonFct.execute: a null argument is the JSON text `null`.
                let text = match args.first().copied().flatten() {
                    None => "null".to_owned(),
                    Some(b) => crate::types::json::to_json(t, b)?,
                };
                return Ok(Some(text.into_bytes()));
            }
            _ => {}
        }
        let Some(Some(v)) = args.first() else {
            return Ok(None);
        };
        Ok(match self {
            Native::Now(_) | Native::RandomUuid | Native::ToJson(_) => None,
            // OperationFunction.execute: a null or empty operand gives null.
            Native::Arith(sig) => match args.get(1).copied().flatten() {
                Some(r) if !v.is_empty() && !r.is_empty() => {
                    Some(crate::exec::arith::apply(sig, v, r)?)
                }
                _ => None,
            },
            Native::Negate(_) if v.is_empty() => None,
            Native::Negate(t) => Some(crate::exec::arith::negate(t, v)?),
            Native::AsBlob => Some(v.to_vec()),
            // `blobAsVarchar` is declared apart in BytesConversionFcts and validates nothing.
            Native::BlobAs(t, f) => {
                if f != "blobasvarchar" && literal::validate(v, t).is_err() {
                    return Err(CqlError::invalid(format!(
                        "In call to function system.{f}, value 0x{} is not a valid binary representation for type {t}",
                        crate::types::codec::hex(v)
                    )));
                }
                Some(v.to_vec())
            }
            Native::MinTimeuuid => ms_of(v).map(|ms| timeuuid_bound(ms, false)),
            Native::MaxTimeuuid => ms_of(v).map(|ms| timeuuid_bound(ms, true)),
            Native::ToDate(from) => millis(from, v).map(|ms| date_of_ms(ms).to_vec()),
            Native::ToTimestamp(from) | Native::ToUnixTimestamp(from) => {
                millis(from, v).map(|ms| ms.to_be_bytes().to_vec())
            }
            Native::Cast(from, to) => super::cast::apply(from, to, v)?,
        })
    }
}

fn ms_of(v: &[u8]) -> Option<i64> {
    Some(i64::from_be_bytes(v.try_into().ok()?))
}

/// The current time, `micros` since the epoch, as a value of a temporal type
/// (`TemporalType.now()`).
pub fn now_as(t: &CqlType, micros: i64) -> Vec<u8> {
    let ms = micros.div_euclid(1000);
    match t {
        CqlType::Timeuuid => crate::exec::timeuuid::now().to_vec(),
        CqlType::Date => date_of_ms(ms).to_vec(),
        // TimeType.now: nanoseconds of the day, to the clock's microsecond.
        CqlType::Time => (micros.rem_euclid(DAY_MS * 1000) * 1000)
            .to_be_bytes()
            .to_vec(),
        _ => ms.to_be_bytes().to_vec(),
    }
}

/// A `date` (days with the epoch at 2^31) from milliseconds since the epoch.
pub fn date_of_ms(ms: i64) -> [u8; 4] {
    u32::try_from(ms.div_euclid(DAY_MS) + DATE_EPOCH)
        .unwrap_or(0)
        .to_be_bytes()
}

/// The smallest (`max == false`) or largest time UUID of a millisecond
/// (`C*: utils/TimeUUID.java` `minAtUnixMillis` / `maxAtUnixMillis`). Any bigint is a
/// timestamp there (`mintimeuuid(writetime(c))` passes microseconds), and Java's long
/// arithmetic wraps (`unixMillisToRawTimestamp`) and `rawTimestampToMsb` keeps all 16 high
/// bits of the raw timestamp, so this wraps and shifts the same way instead of failing.
pub fn timeuuid_bound(ms: i64, max: bool) -> Vec<u8> {
    let raw = |ms: i64| ms.wrapping_mul(10_000).wrapping_add(GREGORIAN_OFFSET);
    let (ticks, lsb) = if max {
        (raw(ms.wrapping_add(1)).wrapping_sub(1), MAX_LSB)
    } else {
        (raw(ms), MIN_LSB)
    };
    let t = ticks.cast_unsigned();
    let msb = 0x1000 | (t >> 48) | ((t & 0xFFFF_0000_0000) >> 16) | (t << 32);
    let mut out = msb.to_be_bytes().to_vec();
    out.extend_from_slice(&lsb.to_be_bytes());
    out
}

/// Milliseconds since the epoch of a timeuuid, timestamp or date value.
pub fn millis(ty: &CqlType, v: &[u8]) -> Option<i64> {
    match ty {
        CqlType::Timestamp => Some(i64::from_be_bytes(v.try_into().ok()?)),
        CqlType::Date => {
            let days = i64::from(u32::from_be_bytes(v.try_into().ok()?));
            Some((days - DATE_EPOCH) * DAY_MS)
        }
        CqlType::Timeuuid => {
            let b: [u8; 16] = v.try_into().ok()?;
            let msb = u64::from_be_bytes(b[..8].try_into().ok()?);
            let ticks = ((msb & 0x0FFF) << 48) | (((msb >> 16) & 0xFFFF) << 32) | (msb >> 32);
            let ticks = i64::try_from(ticks).ok()?;
            Some((ticks - GREGORIAN_OFFSET).div_euclid(10_000))
        }
        _ => None,
    }
}
