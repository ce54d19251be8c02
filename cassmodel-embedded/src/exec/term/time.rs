//! Time functions used as terms, as `C*: cql3/functions/TimeFcts.java` declares them:
//! `toDate`, `toTimestamp`, `toUnixTimestamp`, `dateOf`, `unixTimestampOf` over any term
//! (typically `now()`), `minTimeuuid`/`maxTimeuuid` (`C*: utils/TimeUUID.java` bounds) and
//! `currentTimeUUID`/`currentTime`.

use cassmodel_cql::ast::Term;

use super::{Val, eval};
use crate::api::BoundValue;
use crate::error::{CqlError, CqlResult};
use crate::exec::select::selection::functions::{Overload, overloads};
use crate::types::CqlType;

/// The one-argument time functions' overloads (declared once, with their implementations,
/// in `exec/select/selection/functions.rs`); `None` for any other function.
fn time_overloads(f: &str) -> Option<Vec<Overload>> {
    matches!(
        f,
        "totimestamp"
            | "todate"
            | "tounixtimestamp"
            | "dateof"
            | "unixtimestampof"
            | "mintimeuuid"
            | "maxtimeuuid"
    )
    .then(|| overloads(f))
}

/// The type a nested call returns, or a type hint names, to pick an overload.
fn result_type(t: &Term) -> Option<CqlType> {
    if let Term::TypeHint { ty, .. } = t {
        let types = crate::schema::typeres::UserTypes::new();
        return crate::schema::typeres::resolve("", &types, ty).ok();
    }
    let Term::FunctionCall { name, .. } = t else {
        return None;
    };
    Some(match name.name.as_str() {
        "now" | "currenttimeuuid" => CqlType::Timeuuid,
        "currentdate" => CqlType::Date,
        "currenttimestamp" => CqlType::Timestamp,
        f => time_overloads(f)?.first()?.result.clone(),
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
                // `BytesType.isValueCompatibleWithInternal`: a blob reads anything.
                | (_, CqlType::Blob)
        )
}

/// Records the receiver of a marker inside a time function's argument, named
/// `arg0(system.f)` (`AbstractFunction.makeArgSpec`) and typed by the overload the
/// argument selects. A bare marker cannot select among overloads whose results suit the
/// receiver: Cassandra refuses the call as ambiguous
/// (`C*: cql3/functions/FunctionResolver.java` `get`: a marker is only weakly assignable,
/// and several weak matches are "Ambiguous call to function ..."). False when `f` is not a
/// time function.
pub fn collect_time_specs(
    f: &str,
    args: &[Term],
    receiver: &CqlType,
    ctx: super::Ctx<'_>,
    specs: &mut crate::exec::bind::MarkerSpecs,
) -> bool {
    let Some(ovs) = time_overloads(f) else {
        return false;
    };
    let [arg] = args else {
        return true;
    };
    let fitting: Vec<&Overload> = ovs
        .iter()
        .filter(|o| assignable(&o.result, receiver))
        .collect();
    let given = result_type(arg);
    let arg_ty = match (given, fitting.as_slice()) {
        (Some(t), _) => t,
        (None, [one]) => one.args[0].clone(),
        (None, many) if matches!(arg, Term::Marker(_)) && many.len() > 1 => {
            let signatures: Vec<String> = many
                .iter()
                .map(|o| format!("system.{f} : ({}) -> {}", o.args[0], o.result))
                .collect();
            specs.fail(CqlError::invalid(format!(
                "Ambiguous call to function system.{f} (can be matched by following signatures: {}): use type casts to disambiguate",
                signatures.join(", ")
            )));
            return true;
        }
        (None, _) => ovs[0].args[0].clone(),
    };
    super::collect_specs(arg, &format!("arg0(system.{f})"), &arg_ty, ctx, specs);
    true
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
    let ovs = time_overloads(f)?;
    Some(eval_checked(f, ovs, args, ty, name, values))
}

fn eval_checked(
    f: &str,
    ovs: Vec<Overload>,
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
    let accepts: Vec<&CqlType> = ovs.iter().filter_map(|o| o.args.first()).collect();
    let result = &ovs[0].result;
    if !assignable(result, ty) {
        return Err(CqlError::invalid(format!(
            "Type error: cannot assign result of function system.{f} (type {result}) to {name} (type {ty})"
        )));
    }
    let arg_ty = match result_type(&args[0]) {
        Some(t) if accepts.contains(&&t) => t,
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
    let native = ovs
        .into_iter()
        .find(|o| o.args.first() == Some(&arg_ty))
        .map(|o| o.native)
        .ok_or_else(|| CqlError::invalid(format!("Invalid argument to function system.{f}")))?;
    Ok(native.apply(&[Some(&b)])?.map_or(Val::Null, Val::Bytes))
}
