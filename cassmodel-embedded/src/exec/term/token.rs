//! `token(...)` as a value (`INSERT ... VALUES (..., token(5))`): the only function whose
//! argument types depend on the table of the statement, so Cassandra builds it per table
//! (`C*: cql3/functions/FunctionResolver.java` `get` returns `new TokenFct(table)`;
//! `cql3/functions/TokenFct.java`: one argument per partition-key column, typed by it,
//! returning the bigint Murmur3 token of the serialized key).
//!
//! Terms are evaluated without their table, so the planner binds each argument to its
//! partition-key column's type with a type hint ([`bind_token_calls`]); evaluation then
//! reads the types off the hints ([`eval_token`]).

use cassmodel_cql::ast::{Term, TypeExpr};

use super::{Ctx, Val, eval};
use crate::api::BoundValue;
use crate::error::{CqlError, CqlResult};
use crate::exec::bind::MarkerSpecs;
use crate::schema::TableMeta;
use crate::types::CqlType;

fn is_token(t: &Term) -> bool {
    matches!(t, Term::FunctionCall { name, .. }
        if name.name.as_str() == "token"
            && name.keyspace.as_ref().is_none_or(|k| k.as_str() == "system"))
}

/// `term` with every `token(...)` call (at the top or as a function argument) given its
/// arguments' types from `table`'s partition key; the arity is checked as
/// `FunctionResolver.validateTypes` does.
pub fn bind_token_calls(term: &Term, table: &TableMeta) -> CqlResult<Term> {
    let Term::FunctionCall { name, args } = term else {
        return Ok(term.clone());
    };
    if !is_token(term) {
        let args = args
            .iter()
            .map(|a| bind_token_calls(a, table))
            .collect::<CqlResult<Vec<_>>>()?;
        return Ok(Term::FunctionCall {
            name: name.clone(),
            args,
        });
    }
    let pk: Vec<&CqlType> = table.partition_key().map(|c| &c.ty).collect();
    if args.len() != pk.len() {
        return Err(CqlError::invalid(format!(
            "Invalid number of arguments in call to function system.token: {} required but {} provided",
            pk.len(),
            args.len()
        )));
    }
    let mut typed = Vec::with_capacity(args.len());
    for (a, ty) in args.iter().zip(pk) {
        let Some(native) = cassmodel_cql::ast::NativeType::from_name(&ty.to_string()) else {
            return Err(CqlError::unsupported(
                "token() of a partition key of a non-native type as a value",
            ));
        };
        typed.push(Term::TypeHint {
            ty: TypeExpr::Native(native),
            term: Box::new(a.clone()),
        });
    }
    Ok(Term::FunctionCall {
        name: name.clone(),
        args: typed,
    })
}

fn hinted(a: &Term) -> Option<(CqlType, &Term)> {
    let Term::TypeHint {
        ty: TypeExpr::Native(n),
        term,
    } = a
    else {
        return None;
    };
    Some((crate::schema::typeres::native(*n), term))
}

/// Records the receivers of markers inside a bound `token(...)`: `arg<i>(system.token)`
/// of the key column's type (`AbstractFunction.makeArgSpec`). False for other terms.
pub fn collect_token_specs(term: &Term, ctx: Ctx<'_>, specs: &mut MarkerSpecs) -> bool {
    let (true, Term::FunctionCall { args, .. }) = (is_token(term), term) else {
        return false;
    };
    for (i, a) in args.iter().enumerate() {
        if let Some((ty, inner)) = hinted(a) {
            super::collect_specs(inner, &format!("arg{i}(system.token)"), &ty, ctx, specs);
        }
    }
    true
}

/// Evaluates a bound `token(...)` for a receiver `name` of type `ty`; `None` for other
/// terms. The bigint result suits a bigint, timestamp, varint or blob receiver
/// (`isValueCompatibleWith`).
pub fn eval_token(
    term: &Term,
    ty: &CqlType,
    name: &str,
    values: &[BoundValue],
) -> Option<CqlResult<Val>> {
    let (true, Term::FunctionCall { args, .. }) = (is_token(term), term) else {
        return None;
    };
    Some((|| {
        if !matches!(
            ty.unfrozen(),
            CqlType::Bigint | CqlType::Timestamp | CqlType::Varint | CqlType::Blob
        ) {
            return Err(CqlError::invalid(format!(
                "Type error: cannot assign result of function system.token (type bigint) to {name} (type {ty})"
            )));
        }
        let mut parts = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            let Some((arg_ty, inner)) = hinted(a) else {
                return Err(CqlError::unsupported("token() outside a table's statement"));
            };
            match eval(inner, &arg_ty, &format!("arg{i}(system.token)"), values)? {
                Val::Bytes(b) => parts.push(b),
                Val::Null => return Ok(Val::Null),
                Val::Unset => {
                    return Err(CqlError::invalid(
                        "Invalid unset value for argument in call to function token",
                    ));
                }
            }
        }
        Ok(Val::Bytes(key_token(&parts)?.to_be_bytes().to_vec()))
    })())
}

/// The Murmur3 token of a partition key given as its columns' serialized values
/// (`TokenFct.execute`: the values composed into the key, then hashed).
pub fn key_token(parts: &[Vec<u8>]) -> CqlResult<i64> {
    let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
    let key = crate::exec::codec::partition::encode(&refs)?;
    Ok(cassmodel_store::token::murmur3_token(&key))
}
