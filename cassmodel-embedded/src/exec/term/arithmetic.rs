//! Arithmetic in terms (`INSERT ... VALUES (1 + 2)`, `WHERE c = ? * 2`, `SET v = -?`):
//! Cassandra prepares them as calls of the operator functions
//! (`C*: cql3/functions/FunctionCall.java` `Raw.newOperation`/`newNegation`), resolved
//! against the receiver's type (`FunctionResolver.get`, see [`crate::exec::arith::resolve`]),
//! with their arguments typed by the chosen overload and named `arg0(system._add)`...
//! (`FunctionResolver.makeArgSpec`).

use cassmodel_cql::ast::{Literal, Term};

use super::{Ctx, Val, collect_specs, eval};
use crate::api::BoundValue;
use crate::error::{CqlError, CqlResult};
use crate::exec::arith::resolve::{Operand, binary, negation};
use crate::exec::arith::{self, OpSig, function_name};
use crate::exec::bind::MarkerSpecs;
use crate::exec::select::selection::resolve::{Fit, term_fit, term_text, type_fit};
use crate::types::CqlType;

/// True for the terms this module evaluates: operations, and negations of anything but a
/// numeric constant (`-1` is a constant).
pub fn is_operation(t: &Term) -> bool {
    match t {
        Term::Arithmetic { .. } => true,
        Term::Negate(inner) => !matches!(
            **inner,
            Term::Literal(Literal::Integer(_) | Literal::Float(_))
        ),
        _ => false,
    }
}

/// `testAssignment` of an operand against a parameter type: a nested operation fits as its
/// resolved result does (`FunctionCall.Raw.testAssignment`, weakly when it cannot be
/// resolved), a type hint as its type does (`TypeCast.testAssignment`), anything else as
/// a literal or marker does.
pub fn operand_fit(t: &Term, receiver: &CqlType) -> Fit {
    match t {
        _ if is_operation(t) => match result_type(t, Some(receiver)) {
            Ok(r) => type_fit(&r, receiver),
            Err(_) => Fit::Weak,
        },
        // `(x)`: a one-element tuple literal stands for `x` unless a tuple is wanted.
        Term::Tuple(items) if items.len() == 1 && !is_tuple(receiver) => {
            operand_fit(&items[0], receiver)
        }
        // `-1`: a constant, typed as the constant is.
        Term::Negate(inner) => term_fit(inner, receiver),
        Term::TypeHint { ty, .. } => {
            let types = crate::schema::typeres::UserTypes::new();
            match crate::schema::typeres::resolve("", &types, ty) {
                Ok(hinted) => type_fit(&hinted, receiver),
                Err(_) => Fit::Weak,
            }
        }
        _ => term_fit(t, receiver),
    }
}

fn is_tuple(t: &CqlType) -> bool {
    matches!(t.unfrozen(), CqlType::Tuple(_))
}

/// The resolved operation of `t` (an operation term) for a receiver: `Ok(Ok(sig))` for a
/// binary operator, `Ok(Err(type))` for a negation of that type.
fn resolve(t: &Term, receiver: Option<&CqlType>) -> CqlResult<Result<OpSig, CqlType>> {
    match t {
        Term::Arithmetic { op, left, right } => {
            let lf = |ty: &CqlType| operand_fit(left, ty);
            let rf = |ty: &CqlType| operand_fit(right, ty);
            let l = Operand {
                fit: &lf,
                text: term_text(left),
                marker: matches!(**left, Term::Marker(_)),
            };
            let r = Operand {
                fit: &rf,
                text: term_text(right),
                marker: matches!(**right, Term::Marker(_)),
            };
            binary(*op, &l, &r, receiver).map(Ok)
        }
        Term::Negate(inner) => {
            let f = |ty: &CqlType| operand_fit(inner, ty);
            let o = Operand {
                fit: &f,
                text: term_text(inner),
                marker: matches!(**inner, Term::Marker(_)),
            };
            negation(&o, receiver).map(Err)
        }
        _ => Err(CqlError::invalid(format!(
            "{} is not an operation",
            term_text(t)
        ))),
    }
}

/// The result type of an operation term for a receiver.
pub fn result_type(t: &Term, receiver: Option<&CqlType>) -> CqlResult<CqlType> {
    Ok(match resolve(t, receiver)? {
        Ok(sig) => sig.result,
        Err(ty) => ty,
    })
}

fn arg_name(function: &str, i: usize) -> String {
    format!("arg{i}(system.{function})")
}

/// Records the receivers of the markers inside an operation term, or the resolution error.
pub fn collect_operation_specs(
    t: &Term,
    receiver: &CqlType,
    ctx: Ctx<'_>,
    specs: &mut MarkerSpecs,
) {
    match (resolve(t, Some(receiver)), t) {
        (Err(e), _) => specs.fail(e),
        (Ok(Ok(sig)), Term::Arithmetic { left, right, .. }) => {
            let f = function_name(sig.op);
            collect_specs(left, &arg_name(f, 0), &sig.left, ctx, specs);
            collect_specs(right, &arg_name(f, 1), &sig.right, ctx, specs);
        }
        (Ok(Err(ty)), Term::Negate(inner)) => {
            collect_specs(inner, &arg_name("_negate", 0), &ty, ctx, specs);
        }
        _ => {}
    }
}

/// An operand's value; `None` for null or empty (the operation's result is then null).
fn operand(
    t: &Term,
    ty: &CqlType,
    name: &str,
    f: &str,
    values: &[BoundValue],
) -> CqlResult<Option<Vec<u8>>> {
    match eval(t, ty, name, values)? {
        // FunctionCall.bindAndGet: checkBindValueSet.
        Val::Unset => Err(CqlError::invalid(format!(
            "Invalid unset value for argument in call to function {f}"
        ))),
        Val::Null => Ok(None),
        Val::Bytes(b) if b.is_empty() => Ok(None),
        Val::Bytes(b) => Ok(Some(b)),
    }
}

/// Evaluates an operation term for a receiver of type `ty`.
pub fn eval_operation(t: &Term, ty: &CqlType, values: &[BoundValue]) -> CqlResult<Val> {
    let out = match (resolve(t, Some(ty))?, t) {
        (Ok(sig), Term::Arithmetic { left, right, .. }) => {
            let f = function_name(sig.op);
            let l = operand(left, &sig.left, &arg_name(f, 0), f, values)?;
            let r = operand(right, &sig.right, &arg_name(f, 1), f, values)?;
            match (l, r) {
                (Some(l), Some(r)) => Some(arith::apply(&sig, &l, &r)?),
                _ => None,
            }
        }
        (Err(nt), Term::Negate(inner)) => {
            match operand(inner, &nt, &arg_name("_negate", 0), "_negate", values)? {
                Some(v) => Some(arith::negate(&nt, &v)?),
                None => None,
            }
        }
        _ => None,
    };
    Ok(out.map_or(Val::Null, Val::Bytes))
}
