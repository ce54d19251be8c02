//! Native scalar functions over one column in a selection, as Cassandra 4.1 declares them:
//! `<type>AsBlob(c)` / `blobAs<type>(c)` (`C*: cql3/functions/BytesConversionFcts.java`) and
//! the time conversions `toDate`, `toTimestamp`, `toUnixTimestamp`, `dateOf`,
//! `unixTimestampOf` (`C*: cql3/functions/TimeFcts.java`). Argument checks use the
//! messages of `C*: cql3/functions/FunctionResolver.java` and `AbstractFunction.java`.

use cassmodel_cql::ast::SelectorExpr;

use crate::error::{CqlError, CqlResult};
use crate::exec::codec::literal;
use crate::schema::TableMeta;
use crate::types::CqlType;

/// 100 ns intervals between 1582-10-15 and 1970-01-01 (`C*: utils/TimeUUID.java`).
const GREGORIAN_OFFSET: i64 = 0x01B2_1DD2_1381_4000;
const DAY_MS: i64 = 86_400_000;
const DATE_EPOCH: i64 = 1 << 31;

/// A scalar function applied to one column value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scalar {
    /// `<type>AsBlob`: the same bytes.
    AsBlob,
    /// `blobAs<type>`: the same bytes, which must be valid for the type; the function's
    /// name (`blobas<type>`) is kept for the error message.
    BlobAs(CqlType, String),
    /// To a `date` from the argument type.
    ToDate(CqlType),
    /// To a `timestamp` from the argument type.
    ToTimestamp(CqlType),
    /// To milliseconds since the epoch (`bigint`) from the argument type.
    ToUnixTimestamp(CqlType),
    /// `toJson(c)`: the value as JSON text (`C*: cql3/functions/ToJsonFct.java`).
    ToJson(CqlType),
}

/// Signatures of `f`: accepted argument types, the function, and its result type.
fn signatures(f: &str) -> Vec<(CqlType, Scalar, CqlType)> {
    use CqlType::{Bigint, Blob, Date, Timestamp, Timeuuid};
    if let Some(t) = f.strip_suffix("asblob").and_then(CqlType::from_native_name) {
        return vec![(t, Scalar::AsBlob, Blob)];
    }
    if let Some(t) = f.strip_prefix("blobas").and_then(CqlType::from_native_name) {
        return vec![(Blob, Scalar::BlobAs(t.clone(), f.to_owned()), t)];
    }
    match f {
        "todate" => [Timeuuid, Timestamp]
            .into_iter()
            .map(|a| (a.clone(), Scalar::ToDate(a), Date))
            .collect(),
        "totimestamp" => [Timeuuid, Date]
            .into_iter()
            .map(|a| (a.clone(), Scalar::ToTimestamp(a), Timestamp))
            .collect(),
        "dateof" => vec![(Timeuuid, Scalar::ToTimestamp(Timeuuid), Timestamp)],
        "tounixtimestamp" => [Timeuuid, Timestamp, Date]
            .into_iter()
            .map(|a| (a.clone(), Scalar::ToUnixTimestamp(a), Bigint))
            .collect(),
        "unixtimestampof" => vec![(Timeuuid, Scalar::ToUnixTimestamp(Timeuuid), Bigint)],
        _ => Vec::new(),
    }
}

/// Plans `f(c)` in a selection: the column position, the function, its output column
/// name and type. `None` when `f` is not one of these functions.
pub fn plan_scalar(
    f: &str,
    args: &[SelectorExpr],
    table: &TableMeta,
) -> Option<CqlResult<(usize, Scalar, String, CqlType)>> {
    if f == "tojson" {
        return Some(plan_to_json(args, table));
    }
    let sigs = signatures(f);
    if sigs.is_empty() {
        return None;
    }
    Some(plan_checked(f, &sigs, args, table))
}

/// `toJson(c)`: any one argument, text result (`ToJsonFct.getInstance`).
fn plan_to_json(
    args: &[SelectorExpr],
    table: &TableMeta,
) -> CqlResult<(usize, Scalar, String, CqlType)> {
    if args.len() != 1 {
        return Err(CqlError::invalid(format!(
            "toJson() only accepts one argument (got {})",
            args.len()
        )));
    }
    let SelectorExpr::Column(c) = &args[0] else {
        return Err(CqlError::unsupported(
            "Arguments other than columns to function tojson in a selection",
        ));
    };
    let pos = column(table, c.as_str())?;
    Ok((
        pos,
        Scalar::ToJson(table.columns[pos].ty.clone()),
        format!("system.tojson({})", c.as_str()),
        CqlType::Text,
    ))
}

fn column(table: &TableMeta, name: &str) -> CqlResult<usize> {
    table
        .columns
        .iter()
        .position(|m| m.name == name)
        .ok_or_else(|| {
            CqlError::invalid(format!(
                "Undefined column name {name} in table {}.{}",
                table.keyspace, table.name
            ))
        })
}

fn plan_checked(
    f: &str,
    sigs: &[(CqlType, Scalar, CqlType)],
    args: &[SelectorExpr],
    table: &TableMeta,
) -> CqlResult<(usize, Scalar, String, CqlType)> {
    if args.len() != 1 {
        return Err(CqlError::invalid(format!(
            "Invalid number of arguments in call to function system.{f}: 1 required but {} provided",
            args.len()
        )));
    }
    let SelectorExpr::Column(c) = &args[0] else {
        return Err(CqlError::unsupported(format!(
            "Arguments other than columns to function {f} in a selection"
        )));
    };
    let pos = table
        .columns
        .iter()
        .position(|m| m.name == c.as_str())
        .ok_or_else(|| {
            CqlError::invalid(format!(
                "Undefined column name {} in table {}.{}",
                c.as_str(),
                table.keyspace,
                table.name
            ))
        })?;
    let ty = table.columns[pos].ty.unfrozen();
    let found = sigs
        .iter()
        .find(|(a, _, _)| a == ty || (*a == CqlType::Text && *ty == CqlType::Ascii));
    let Some((_, scalar, result)) = found else {
        return Err(CqlError::invalid(if sigs.len() == 1 {
            format!(
                "Type error: {} cannot be passed as argument 0 of function system.{f} of type {}",
                c.as_str(),
                sigs[0].0
            )
        } else {
            let known: Vec<String> = sigs
                .iter()
                .map(|(a, _, r)| format!("system.{f} : ({a}) -> {r}"))
                .collect();
            format!(
                "Invalid call to function {f}, none of its type signatures match (known type signatures: {})",
                known.join(", ")
            )
        }));
    };
    Ok((
        pos,
        scalar.clone(),
        format!("system.{f}({})", c.as_str()),
        result.clone(),
    ))
}

impl Scalar {
    /// The function applied to one value (null stays null). `blobAs<type>` refuses bytes
    /// that are not a valid value of its type, as `C*: cql3/functions/BytesConversionFcts.java`
    /// `makeFromBlobFunction` does (`name` there is the function's `FunctionName`, printed
    /// with its `system.` keyspace); `blobAsVarchar` is declared apart there and validates
    /// nothing.
    pub fn apply(&self, v: Option<&[u8]>) -> CqlResult<Option<Vec<u8>>> {
        if let Scalar::ToJson(t) = self {
            // ToJsonFct.execute: a null argument is the JSON text `null`.
            let text = match v {
                None => "null".to_owned(),
                Some(b) => crate::types::json::to_json(t, b)?,
            };
            return Ok(Some(text.into_bytes()));
        }
        let Some(v) = v else { return Ok(None) };
        Ok(match self {
            Scalar::AsBlob => Some(v.to_vec()),
            Scalar::BlobAs(t, f) => {
                if f != "blobasvarchar" && literal::validate(v, t).is_err() {
                    return Err(CqlError::invalid(format!(
                        "In call to function system.{f}, value 0x{} is not a valid binary representation for type {t}",
                        v.iter().map(|b| format!("{b:02x}")).collect::<String>()
                    )));
                }
                Some(v.to_vec())
            }
            Scalar::ToDate(from) => millis(from, v)
                .and_then(|ms| u32::try_from(ms.div_euclid(DAY_MS) + DATE_EPOCH).ok())
                .map(|days| days.to_be_bytes().to_vec()),
            Scalar::ToTimestamp(from) | Scalar::ToUnixTimestamp(from) => {
                millis(from, v).map(|ms| ms.to_be_bytes().to_vec())
            }
            Scalar::ToJson(_) => None,
        })
    }
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
