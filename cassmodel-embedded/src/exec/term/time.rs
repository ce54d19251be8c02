//! Time functions used as terms, as `C*: cql3/functions/TimeFcts.java` declares them:
//! `toDate`, `toTimestamp`, `toUnixTimestamp`, `dateOf`, `unixTimestampOf` over any term
//! (typically `now()`), `minTimeuuid`/`maxTimeuuid` (`C*: utils/TimeUUID.java` bounds) and
//! `currentTimeUUID`/`currentTime`.

use cassmodel_cql::ast::Term;

use super::{Val, eval};
use crate::api::BoundValue;
use crate::error::{CqlError, CqlResult};
use crate::exec::select::selection::functions::millis;
use crate::types::CqlType;

/// 100 ns intervals between 1582-10-15 and 1970-01-01.
const GREGORIAN_OFFSET: i64 = 0x01B2_1DD2_1381_4000;
const DAY_MS: i64 = 86_400_000;
/// `TimeUUID.MIN_CLOCK_SEQ_AND_NODE` / `MAX_CLOCK_SEQ_AND_NODE`.
const MIN_LSB: u64 = 0x8080_8080_8080_8080;
const MAX_LSB: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The accepted argument types and the result type of `f`.
fn signature(f: &str) -> Option<(&'static [CqlType], CqlType)> {
    use CqlType::{Bigint, Date, Timestamp, Timeuuid};
    Some(match f {
        "totimestamp" => (&[Timeuuid, Date], Timestamp),
        "todate" => (&[Timeuuid, Timestamp], Date),
        "tounixtimestamp" => (&[Timeuuid, Timestamp, Date], Bigint),
        "dateof" => (&[Timeuuid], Timestamp),
        "unixtimestampof" => (&[Timeuuid], Bigint),
        "mintimeuuid" | "maxtimeuuid" => (&[Timestamp], Timeuuid),
        _ => return None,
    })
}

/// The type a nested call returns, to pick an overload.
fn result_type(t: &Term) -> Option<CqlType> {
    let Term::FunctionCall { name, .. } = t else {
        return None;
    };
    Some(match name.name.as_str() {
        "now" | "currenttimeuuid" => CqlType::Timeuuid,
        "currentdate" => CqlType::Date,
        "currenttimestamp" => CqlType::Timestamp,
        f => signature(f)?.1,
    })
}

/// Whether a `given` result may be stored in `receiver` (`TimestampType`, `LongType`,
/// `IntegerType` and `SimpleDateType` `isValueCompatibleWithInternal`).
fn assignable(given: &CqlType, receiver: &CqlType) -> bool {
    use CqlType::{Bigint, Date, Timestamp, Timeuuid, Uuid, Varint};
    let receiver = receiver.unfrozen();
    given == receiver
        || matches!(
            (given, receiver),
            (Bigint | Date, Timestamp)
                | (Timestamp | Date, Bigint)
                | (Bigint | Timestamp | Date, Varint)
                | (Timeuuid, Uuid)
        )
}

/// Evaluates a time function `f(args)` for a receiver; `None` when `f` is not one.
pub fn eval_time(
    f: &str,
    args: &[Term],
    ty: &CqlType,
    name: &str,
    values: &[BoundValue],
) -> Option<CqlResult<Val>> {
    if f == "currenttimeuuid" && args.is_empty() {
        if !assignable(&CqlType::Timeuuid, ty) {
            return Some(Err(CqlError::invalid(format!(
                "Type error: cannot assign result of function system.{f} (type timeuuid) to {name} (type {ty})"
            ))));
        }
        return Some(Ok(Val::Bytes(crate::exec::timeuuid::now().to_vec())));
    }
    let (accepts, result) = signature(f)?;
    Some(eval_checked(f, accepts, &result, args, ty, name, values))
}

fn eval_checked(
    f: &str,
    accepts: &[CqlType],
    result: &CqlType,
    args: &[Term],
    ty: &CqlType,
    name: &str,
    values: &[BoundValue],
) -> CqlResult<Val> {
    if args.len() != 1 {
        return Err(CqlError::invalid(format!(
            "Invalid number of arguments in call to function system.{f}: 1 required but {} provided",
            args.len()
        )));
    }
    if !assignable(result, ty) {
        return Err(CqlError::invalid(format!(
            "Type error: cannot assign result of function system.{f} (type {result}) to {name} (type {ty})"
        )));
    }
    let arg_ty = match result_type(&args[0]) {
        Some(t) if accepts.contains(&t) => t,
        Some(_) => {
            return Err(CqlError::invalid(format!(
                "Type error: {} cannot be passed as argument 0 of function system.{f} of type {}",
                args[0], accepts[0]
            )));
        }
        None => accepts[0].clone(),
    };
    let arg = eval(&args[0], &arg_ty, &format!("arg0(system.{f})"), values)?;
    let Val::Bytes(b) = arg else {
        return Ok(Val::Null);
    };
    let ms = millis(&arg_ty, &b)
        .ok_or_else(|| CqlError::invalid(format!("Invalid argument to function system.{f}")))?;
    Ok(Val::Bytes(match result {
        CqlType::Timestamp | CqlType::Bigint => ms.to_be_bytes().to_vec(),
        CqlType::Date => {
            let days = u32::try_from(ms.div_euclid(DAY_MS) + (1 << 31)).unwrap_or(0);
            days.to_be_bytes().to_vec()
        }
        _ if f == "mintimeuuid" => uuid_at(ms * 10_000 + GREGORIAN_OFFSET, MIN_LSB),
        _ => uuid_at((ms + 1) * 10_000 + GREGORIAN_OFFSET - 1, MAX_LSB),
    }))
}

/// A version-1 UUID with the given timestamp ticks and clock sequence/node bits.
fn uuid_at(ticks: i64, lsb: u64) -> Vec<u8> {
    let t = ticks.cast_unsigned();
    let msb =
        ((t & 0xFFFF_FFFF) << 32) | (((t >> 32) & 0xFFFF) << 16) | 0x1000 | ((t >> 48) & 0x0FFF);
    let mut out = msb.to_be_bytes().to_vec();
    out.extend_from_slice(&lsb.to_be_bytes());
    out
}
