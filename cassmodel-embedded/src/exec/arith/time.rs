//! `timestamp ± duration` and `date ± duration`: `C*: db/marshal/TemporalType.java`
//! `addDuration`/`substractDuration` over `toTimeInMillis`/`fromTimeInMillis`
//! (`TimestampType`, `SimpleDateType`), with the calendar arithmetic of
//! `C*: cql3/Duration.java` `addTo`/`substractFrom`.

use cassmodel_cql::ast::ArithOp;

use super::OpSig;
use crate::types::CqlType;
use crate::types::datetime::{civil_from_days, days_from_civil};
use crate::types::value::{DATE_EPOCH, Value};

const DAY_MS: i64 = 86_400_000;
const NS_PER_MS: i64 = 1_000_000;

/// `Duration.add(timeInMillis, months, days, nanoseconds)`: without months, plain
/// millisecond arithmetic; with months, a UTC calendar's `add(MONTH)` (the day clamped to
/// the month's length) then `add(DAY_OF_MONTH)`, then the nanoseconds as milliseconds.
fn add(ms: i64, months: i64, days: i64, nanos: i64) -> i64 {
    if months == 0 {
        return ms
            .wrapping_add(days.wrapping_mul(DAY_MS))
            .wrapping_add(nanos / NS_PER_MS);
    }
    let day = ms.div_euclid(DAY_MS);
    let in_day = ms.rem_euclid(DAY_MS);
    let (y, m, d) = civil_from_days(day);
    let total = y * 12 + i64::from(m) - 1 + months;
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    let last = month_length(ny, nm);
    let nd = d.min(last);
    let day = days_from_civil(ny, nm, nd) + days;
    day.wrapping_mul(DAY_MS)
        .wrapping_add(in_day)
        .wrapping_add(nanos / NS_PER_MS)
}

fn month_length(y: i64, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    (days_from_civil(ny, nm, 1) - days_from_civil(y, m, 1)) as u32
}

/// Applies `temporal ± duration`; the error is the cause's message.
pub fn apply(sig: &OpSig, temporal: &[u8], duration: &[u8]) -> Result<Vec<u8>, String> {
    let bad = |e: crate::error::CqlError| e.message;
    let Value::Duration(d) =
        crate::types::codec::deserialize(&CqlType::Duration, duration).map_err(bad)?
    else {
        return Err("not a duration".to_owned());
    };
    let sign = if sig.op == ArithOp::Sub { -1 } else { 1 };
    let (months, days, nanos) = (
        sign * i64::from(d.months),
        sign * i64::from(d.days),
        sign * d.nanos,
    );
    let v = match crate::types::codec::deserialize(&sig.left, temporal).map_err(bad)? {
        Value::Timestamp(ms) => {
            // TimestampType.validateDuration.
            if d.nanos % NS_PER_MS != 0 {
                return Err(format!(
                    "The duration must have a millisecond precision. Was: {}",
                    crate::types::duration::format_duration(&d)
                ));
            }
            Value::Timestamp(add(ms, months, days, nanos))
        }
        Value::Date(day) => {
            // SimpleDateType.validateDuration.
            if d.nanos != 0 {
                return Err(format!(
                    "The duration must have a day precision. Was: {}",
                    crate::types::duration::format_duration(&d)
                ));
            }
            let ms = (i64::from(day) - DATE_EPOCH as i64) * DAY_MS;
            let out = add(ms, months, days, nanos);
            // SimpleDateSerializer.timeInMillisToDay: `MILLISECONDS.toDays` truncates.
            let days = out / DAY_MS + DATE_EPOCH as i64;
            let days = u32::try_from(days)
                .map_err(|_| format!("Unable to coerce '{out}' to a formatted date (long)"))?;
            Value::Date(days)
        }
        _ => return Err("not a temporal value".to_owned()),
    };
    Ok(crate::types::codec::serialize(&v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        // 2023-01-31 + 1 month = 2023-02-28.
        let jan31 = days_from_civil(2023, 1, 31) * DAY_MS;
        assert_eq!(add(jan31, 1, 0, 0), days_from_civil(2023, 2, 28) * DAY_MS);
        // Leap year.
        let jan31 = days_from_civil(2024, 1, 31) * DAY_MS + 5;
        assert_eq!(
            add(jan31, 1, 1, 0),
            days_from_civil(2024, 3, 1) * DAY_MS + 5
        );
        assert_eq!(add(0, 0, 1, 2 * NS_PER_MS), DAY_MS + 2);
        assert_eq!(add(0, -13, 0, 0), days_from_civil(1968, 12, 1) * DAY_MS);
    }
}
