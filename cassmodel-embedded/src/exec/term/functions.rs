//! Native byte-conversion functions used as terms: `<type>AsBlob(x)` and `blobAs<type>(x)`
//! for every native type, as Cassandra 4.1 declares them in
//! `C*: cql3/functions/BytesConversionFcts.java` (the blob shares the value's bytes; the
//! reverse direction validates them and fails with "In call to function ..., value 0x... is
//! not a valid binary representation for type ..."). A function's result must suit its
//! receiver (`C*: cql3/functions/FunctionCall.java`, "Type error: cannot assign result of
//! function ...").

use cassmodel_cql::ast::Term;

use super::{Ctx, Val, eval};
use crate::api::BoundValue;
use crate::error::{CqlError, CqlResult};
use crate::exec::bind::MarkerSpecs;
use crate::exec::codec::literal;
use crate::types::CqlType;

/// A conversion function: its argument type and its result type.
struct Conversion {
    arg: CqlType,
    result: CqlType,
    /// `blobAs<type>`: the argument bytes must be valid for `result`.
    validates: bool,
}

fn conversion(f: &str) -> Option<Conversion> {
    if let Some(t) = f.strip_suffix("asblob") {
        // `blobasblob` exists in Cassandra too (identity).
        return CqlType::from_native_name(t).map(|arg| Conversion {
            arg,
            result: CqlType::Blob,
            validates: false,
        });
    }
    let t = f.strip_prefix("blobas")?;
    CqlType::from_native_name(t).map(|result| Conversion {
        arg: CqlType::Blob,
        result,
        // `blobAsVarchar` is declared apart and validates nothing
        // (`C*: cql3/functions/BytesConversionFcts.java` BlobAsVarcharFact).
        validates: t != "varchar",
    })
}

/// Whether a value of type `given` may be stored in a receiver of type `receiver`
/// (`AbstractType.isValueCompatibleWith`, restricted to the cases natives need).
fn assignable(given: &CqlType, receiver: &CqlType) -> bool {
    let receiver = receiver.unfrozen();
    given == receiver
        || matches!(
            (given, receiver),
            (CqlType::Ascii, CqlType::Text)
                | (CqlType::Timeuuid, CqlType::Uuid)
                | (CqlType::Int | CqlType::Bigint, CqlType::Varint)
                // `BytesType.isValueCompatibleWithInternal`: a blob reads anything.
                | (_, CqlType::Blob)
        )
}

/// Records the receivers of markers inside a conversion call (`arg0(system.intasblob)` as
/// `AbstractFunction.makeArgSpec` names them). False when `f` is not a conversion.
pub fn collect_conversion_specs(
    f: &str,
    args: &[Term],
    ctx: Ctx<'_>,
    specs: &mut MarkerSpecs,
) -> bool {
    let Some(conv) = conversion(f) else {
        return false;
    };
    for (i, a) in args.iter().enumerate() {
        let name = format!("arg{i}(system.{f})");
        super::collect_specs(a, &name, &conv.arg, ctx, specs);
    }
    true
}

/// Evaluates `f(args)` for a receiver `name` of type `ty` when `f` is a conversion
/// function; `None` otherwise.
pub fn eval_conversion(
    f: &str,
    args: &[Term],
    ty: &CqlType,
    name: &str,
    values: &[BoundValue],
) -> Option<CqlResult<Val>> {
    let conv = conversion(f)?;
    Some(eval_checked(f, &conv, args, ty, name, values))
}

fn eval_checked(
    f: &str,
    conv: &Conversion,
    args: &[Term],
    ty: &CqlType,
    name: &str,
    values: &[BoundValue],
) -> CqlResult<Val> {
    if args.len() != 1 {
        // `C*: cql3/functions/FunctionResolver.java` when no overload has that arity.
        return Err(CqlError::invalid(format!(
            "Invalid number of arguments in call to function system.{f}: 1 required but {} provided",
            args.len()
        )));
    }
    if !assignable(&conv.result, ty) {
        return Err(CqlError::invalid(format!(
            "Type error: cannot assign result of function system.{f} (type {}) to {name} (type {ty})",
            conv.result
        )));
    }
    let arg_name = format!("arg0(system.{f})");
    let v = eval(&args[0], &conv.arg, &arg_name, values)?;
    if conv.validates
        && let Val::Bytes(b) = &v
        && literal::validate(b, &conv.result).is_err()
    {
        return Err(CqlError::invalid(format!(
            "In call to function system.{f}, value 0x{} is not a valid binary representation for type {}",
            crate::types::codec::hex(b),
            conv.result
        )));
    }
    Ok(v)
}
