//! The overload choice for operators (`C*: cql3/functions/FunctionResolver.java` `get`,
//! 4.1): candidates whose result the receiver accepts (`matchReturnType`), the first exact
//! match, else the only weakly assignable one; between several, the one whose operands are
//! both of the receiver's type when the receiver is known and no operand is a bind marker;
//! otherwise Cassandra's operator-specific messages.

use cassmodel_cql::ast::ArithOp;

use super::{NUMERIC, OpSig, overloads, symbol};
use crate::error::{CqlError, CqlResult};
use crate::exec::select::selection::resolve::{Fit, type_fit};
use crate::types::CqlType;

/// What the resolver needs of an operand: how well it fits a parameter type, its text,
/// and whether it is a bind marker.
pub struct Operand<'a> {
    /// `AssignmentTestable.testAssignment` against a parameter type.
    pub fit: &'a dyn Fn(&CqlType) -> Fit,
    /// The text Cassandra prints for it.
    pub text: String,
    /// True for a bind marker (`AbstractMarker.Raw`).
    pub marker: bool,
}

/// `matchReturnType`: the result type is assignable to the receiver, if any.
fn returns_into(result: &CqlType, receiver: Option<&CqlType>) -> bool {
    receiver.is_none_or(|r| type_fit(result, r) != Fit::Not)
}

/// Combines the fits of the arguments (`matchAguments`).
fn combine(fits: impl IntoIterator<Item = Fit>) -> Fit {
    let mut res = Fit::Exact;
    for f in fits {
        match f {
            Fit::Not => return Fit::Not,
            Fit::Weak => res = Fit::Weak,
            Fit::Exact => {}
        }
    }
    res
}

/// Picks the overload of `op` for two operands and an optional receiver type.
pub fn binary(
    op: ArithOp,
    left: &Operand<'_>,
    right: &Operand<'_>,
    receiver: Option<&CqlType>,
) -> CqlResult<OpSig> {
    let mut weak: Vec<OpSig> = Vec::new();
    for sig in overloads(op) {
        if !returns_into(&sig.result, receiver) {
            continue;
        }
        match combine([(left.fit)(&sig.left), (right.fit)(&sig.right)]) {
            Fit::Exact => return Ok(sig),
            Fit::Weak => weak.push(sig),
            Fit::Not => {}
        }
    }
    let sym = symbol(op);
    match weak.len() {
        0 => Err(CqlError::invalid(format!(
            "the '{sym}' operation is not supported between {} and {}",
            left.text, right.text
        ))),
        1 => Ok(weak.remove(0)),
        _ => {
            if let Some(r) = receiver
                && !left.marker
                && !right.marker
                && let Some(sig) = weak
                    .iter()
                    .find(|s| s.left == *r.unfrozen() && s.right == *r.unfrozen())
            {
                return Ok(sig.clone());
            }
            Err(CqlError::invalid(format!(
                "Ambiguous '{sym}' operation with args {} and {}: use type hint to disambiguate, example '(int) ?'",
                left.text, right.text
            )))
        }
    }
}

/// Picks the `_negate` overload (one per numeric type, `NumericNegationFunction`).
pub fn negation(operand: &Operand<'_>, receiver: Option<&CqlType>) -> CqlResult<CqlType> {
    let mut weak = Vec::new();
    for t in NUMERIC {
        if !returns_into(&t, receiver) {
            continue;
        }
        match (operand.fit)(&t) {
            Fit::Exact => return Ok(t),
            Fit::Weak => weak.push(t),
            Fit::Not => {}
        }
    }
    match weak.len() {
        0 => Err(CqlError::invalid(format!(
            "Invalid call to function system._negate, none of its type signatures match (known type signatures: {})",
            NUMERIC
                .iter()
                .map(|t| format!("system._negate : ({t}) -> {t}"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        1 => Ok(weak.remove(0)),
        _ => Err(CqlError::invalid(
            "Ambiguous negation: use type casts to disambiguate",
        )),
    }
}
