//! Terms (literals, markers, collection literals, a few functions) evaluated against a
//! receiver type into native-protocol bytes. At PREPARE the same walk records each
//! marker's receiver (`value(l)`, `key(m)`, `t[0]`... as `C*: cql3/{Lists,Sets,Maps,Tuples,
//! UserTypes}.java` name them).

use cassmodel_cql::ast::{Literal, Term, TypeExpr};

use super::bind::MarkerSpecs;
use super::codec::{collection, compare, literal};
use crate::api::BoundValue;
use crate::error::{CqlError, CqlResult};
use crate::types::CqlType;

pub mod arithmetic;
pub mod functions;
pub mod time;
pub mod token;

/// An evaluated term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// null
    Null,
    /// An unset bound value.
    Unset,
    /// A value.
    Bytes(Vec<u8>),
}

impl Val {
    /// The bytes, or `None` for null/unset.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Val::Bytes(b) => Some(b),
            _ => None,
        }
    }
}

/// Where the statement sits: keyspace and table, for marker metadata.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// Keyspace.
    pub keyspace: &'a str,
    /// Table.
    pub table: &'a str,
}

/// Records the receivers of the markers inside `term`.
pub fn collect_specs(term: &Term, name: &str, ty: &CqlType, ctx: Ctx<'_>, specs: &mut MarkerSpecs) {
    if arithmetic::is_operation(term) {
        arithmetic::collect_operation_specs(term, ty, ctx, specs);
        return;
    }
    match term {
        Term::Marker(m) => specs.set(m, ctx.keyspace, ctx.table, name, ty),
        Term::TypeHint { term, .. } => collect_specs(term, name, ty, ctx, specs),
        Term::Negate(t) => collect_specs(t, name, ty, ctx, specs),
        Term::List(items) | Term::Set(items) => {
            let elem = match ty.unfrozen() {
                CqlType::List(e) | CqlType::Set(e) => (**e).clone(),
                other => other.clone(),
            };
            let n = format!("value({name})");
            for i in items {
                collect_specs(i, &n, &elem, ctx, specs);
            }
        }
        Term::Map(entries) => {
            if let CqlType::Map(k, v) = ty.unfrozen() {
                let (kn, vn) = (format!("key({name})"), format!("value({name})"));
                for (key, val) in entries {
                    collect_specs(key, &kn, k, ctx, specs);
                    collect_specs(val, &vn, v, ctx, specs);
                }
            }
        }
        Term::Tuple(items) if items.len() == 1 && !matches!(ty.unfrozen(), CqlType::Tuple(_)) => {
            collect_specs(&items[0], name, ty, ctx, specs);
        }
        Term::Tuple(items) => {
            if let CqlType::Tuple(types) = ty.unfrozen() {
                for (i, (item, t)) in items.iter().zip(types).enumerate() {
                    collect_specs(item, &format!("{name}[{i}]"), t, ctx, specs);
                }
            }
        }
        Term::Udt(fields) => {
            if let CqlType::Udt(u) = ty.unfrozen() {
                for (f, t) in fields {
                    if let Some((_, ft)) = u.fields.iter().find(|(n, _)| n == f.as_str()) {
                        collect_specs(t, &format!("{name}.{}", f.as_str()), ft, ctx, specs);
                    }
                }
            }
        }
        Term::FunctionCall { name: f, args } => {
            if token::collect_token_specs(term, ctx, specs)
                || functions::collect_conversion_specs(f.name.as_str(), args, ctx, specs)
                || time::collect_time_specs(f.name.as_str(), args, ty, ctx, specs)
            {
                return;
            }
            // FunctionResolver.get: toJson() is refused wherever a term is prepared, so a
            // statement holding one fails at PREPARE even when its argument is a marker.
            if f.name.as_str() == "tojson" {
                specs.fail(CqlError::invalid(
                    "toJson() may only be used within the selection clause of SELECT statements",
                ));
                return;
            }
            if f.name.as_str() == "fromjson" {
                // FromJsonFct takes one text argument (AbstractFunction.makeArgSpec names it).
                for (i, a) in args.iter().enumerate() {
                    let n = format!("arg{i}(system.fromjson)");
                    collect_specs(a, &n, &CqlType::Text, ctx, specs);
                }
                return;
            }
            for a in args {
                collect_specs(a, name, ty, ctx, specs);
            }
        }
        Term::Literal(_) | Term::Null | Term::Arithmetic { .. } => {}
    }
}

/// Evaluates `term` for a receiver `name` of type `ty`.
pub fn eval(term: &Term, ty: &CqlType, name: &str, values: &[BoundValue]) -> CqlResult<Val> {
    if arithmetic::is_operation(term) {
        return arithmetic::eval_operation(term, ty, values);
    }
    match term {
        // C*: cql3/Constants.java NULL_LITERAL.prepare: null is not assignable to a counter.
        Term::Null if *ty == CqlType::Counter => Err(CqlError::invalid(
            "Invalid null value for counter increment/decrement",
        )),
        Term::Null => Ok(Val::Null),
        Term::Literal(lit) => literal::literal_to_bytes(lit, ty, name).map(Val::Bytes),
        Term::Marker(m) => match values.get(m.index) {
            Some(BoundValue::Null) => Ok(Val::Null),
            Some(BoundValue::Unset) => Ok(Val::Unset),
            Some(BoundValue::Value(b)) => {
                // C*: cql3/Constants.java Marker.bindAndGet: the serializer's message,
                // as is (`InvalidRequestException(e.getMessage())`).
                literal::validate(b, ty)?;
                Ok(Val::Bytes(super::codec::normalize::normalize(b, ty)?))
            }
            None => Err(CqlError::invalid(format!(
                "No value bound for marker {}",
                m.index
            ))),
        },
        Term::TypeHint { ty: hint, term } => {
            check_hint(hint, term, ty, name)?;
            eval(term, ty, name, values)
        }
        Term::Negate(inner) => match &**inner {
            Term::Literal(Literal::Integer(s)) => eval(
                &Term::Literal(Literal::Integer(negate(s))),
                ty,
                name,
                values,
            ),
            Term::Literal(Literal::Float(s)) => {
                eval(&Term::Literal(Literal::Float(negate(s))), ty, name, values)
            }
            _ => Err(CqlError::invalid(
                "Unary minus is only supported on numeric constants",
            )),
        },
        Term::List(items) | Term::Set(items) => eval_elements(term, items, ty, name, values),
        Term::Map(entries) => {
            let CqlType::Map(kt, vt) = ty.unfrozen() else {
                return Err(invalid_literal("map", name, ty));
            };
            let (kn, vn) = (format!("key({name})"), format!("value({name})"));
            let mut out: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                check_element("map", name, "key", k, kt)?;
                check_element("map", name, "value", v, vt)?;
                let k = required(eval(k, kt, &kn, values)?)?;
                let v = required(eval(v, vt, &vn, values)?)?;
                match out.binary_search_by(|(e, _)| compare(e, &k, kt)) {
                    Ok(i) => out[i].1 = v,
                    Err(i) => out.insert(i, (k, v)),
                }
            }
            Ok(Val::Bytes(collection::join_map(&out)))
        }
        // C*: cql3/Tuples.java Literal.prepare: the parser cannot tell `(x)` from a tuple of
        // one element, so it stands for `x` unless the receiver is a tuple.
        Term::Tuple(items) if items.len() == 1 && !matches!(ty.unfrozen(), CqlType::Tuple(_)) => {
            eval(&items[0], ty, name, values)
        }
        Term::Tuple(items) => {
            let CqlType::Tuple(types) = ty.unfrozen() else {
                return Err(invalid_literal("tuple", name, ty));
            };
            if items.len() > types.len() {
                return Err(CqlError::invalid(format!(
                    "Invalid tuple literal for {name}: too many elements. Type {ty} expects {} but got {}",
                    types.len(),
                    items.len()
                )));
            }
            for (i, (item, t)) in items.iter().zip(types).enumerate() {
                check_component(name, i, item, t)?;
            }
            let mut fields = Vec::with_capacity(items.len());
            for (i, (item, t)) in items.iter().zip(types).enumerate() {
                // A tuple is written whole, so an unset component cannot keep a previous
                // value: `Tuples.DelayedValue.bindInternal` (cql3/Tuples.java) rejects it.
                match eval(item, t, &format!("{name}[{i}]"), values)? {
                    Val::Unset => {
                        return Err(CqlError::invalid(format!(
                            "Invalid unset value for tuple field number {i}"
                        )));
                    }
                    v => fields.push(v.bytes().map(<[u8]>::to_vec)),
                }
            }
            Ok(Val::Bytes(collection::join_fields(&fields)))
        }
        Term::Udt(given) => {
            let CqlType::Udt(u) = ty.unfrozen() else {
                return Err(invalid_literal("user type", name, ty));
            };
            for (f, _) in given {
                if !u.fields.iter().any(|(n, _)| n == f.as_str()) {
                    return Err(CqlError::invalid(format!(
                        "Unknown field '{}' in value of user defined type {}",
                        f.as_str(),
                        u.name
                    )));
                }
            }
            let mut fields = Vec::with_capacity(u.fields.len());
            for (fname, ft) in &u.fields {
                let v = match given.iter().find(|(n, _)| n.as_str() == fname) {
                    Some((_, t)) => match eval(t, ft, &format!("{name}.{fname}"), values)? {
                        // A frozen UDT is written whole, so an unset field cannot keep a
                        // previous value: `UserTypes.DelayedValue.bindInternal`
                        // (cql3/UserTypes.java) rejects it.
                        Val::Unset if !ty.is_multi_cell() => {
                            return Err(CqlError::invalid(format!(
                                "Invalid unset value for field '{fname}' of user defined type {}",
                                u.name
                            )));
                        }
                        v => v.bytes().map(<[u8]>::to_vec),
                    },
                    None => None,
                };
                fields.push(v);
            }
            Ok(Val::Bytes(collection::join_fields(&fields)))
        }
        Term::FunctionCall { name: f, args }
            if f.name.as_str() == "fromjson" && args.len() == 1 =>
        {
            eval_from_json(&args[0], ty, values)
        }
        Term::FunctionCall { name: f, args } => token::eval_token(term, ty, name, values)
            .or_else(|| functions::eval_conversion(f.name.as_str(), args, ty, name, values))
            .or_else(|| time::eval_time(f.name.as_str(), args, ty, name, values))
            .unwrap_or_else(|| eval_function(f.name.as_str(), args, ty, name)),
        Term::Arithmetic { .. } => arithmetic::eval_operation(term, ty, values),
    }
}

fn negate(s: &str) -> String {
    match s.strip_prefix('-') {
        Some(rest) => rest.to_owned(),
        None => format!("-{s}"),
    }
}

/// An element of a collection literal: `Lists`/`Sets`/`Maps.DelayedValue.bind` (apache/cassandra
/// 4.1 `cql3/`) refuse a null with one message for every collection kind.
fn required(v: Val) -> CqlResult<Vec<u8>> {
    match v {
        Val::Bytes(b) => Ok(b),
        Val::Null => Err(CqlError::invalid(
            "null is not supported inside collections",
        )),
        Val::Unset => Err(CqlError::invalid(
            "unset value is not supported inside collections",
        )),
    }
}

/// A collection literal's element that cannot be assigned to the element type: a tuple
/// literal with more components than the tuple type (`C*: cql3/Sets.java`,
/// `Lists.java`, `Maps.java` `Literal.validateAssignableTo`).
fn check_element(kind: &str, name: &str, what: &str, item: &Term, ty: &CqlType) -> CqlResult<()> {
    if let (Term::Tuple(items), CqlType::Tuple(types)) = (item, ty.unfrozen())
        && items.len() > types.len()
    {
        return Err(CqlError::invalid(format!(
            "Invalid {kind} literal for {name}: {what} {item} is not of type {ty}"
        )));
    }
    Ok(())
}

/// A tuple literal's component that cannot be assigned to the component type: a nested
/// tuple literal with more components than its type (`C*: cql3/Tuples.java`
/// `Literal.validateAssignableTo`, which names the receiver of the whole literal).
fn check_component(name: &str, index: usize, item: &Term, ty: &CqlType) -> CqlResult<()> {
    if let (Term::Tuple(items), CqlType::Tuple(types)) = (item, ty.unfrozen())
        && items.len() > types.len()
    {
        return Err(CqlError::invalid(format!(
            "Invalid tuple literal for {name}: component {index} is not of type {ty}"
        )));
    }
    Ok(())
}

fn invalid_literal(kind: &str, name: &str, ty: &CqlType) -> CqlError {
    CqlError::invalid(format!("Invalid {kind} literal for {name} of type {ty}"))
}

fn eval_elements(
    term: &Term,
    items: &[Term],
    ty: &CqlType,
    name: &str,
    values: &[BoundValue],
) -> CqlResult<Val> {
    let is_set_literal = matches!(term, Term::Set(_));
    match ty.unfrozen() {
        CqlType::List(e) if !is_set_literal => {
            let n = format!("value({name})");
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                check_element("list", name, "value", i, e)?;
                out.push(required(eval(i, e, &n, values)?)?);
            }
            Ok(Val::Bytes(collection::join_elements(&out)))
        }
        CqlType::Set(e) if is_set_literal => {
            let n = format!("value({name})");
            let mut out: Vec<Vec<u8>> = Vec::with_capacity(items.len());
            for i in items {
                check_element("set", name, "value", i, e)?;
                let v = required(eval(i, e, &n, values)?)?;
                if let Err(pos) = out.binary_search_by(|x| compare(x, &v, e)) {
                    out.insert(pos, v);
                }
            }
            Ok(Val::Bytes(collection::join_elements(&out)))
        }
        // `{}` is an empty set literal that also stands for an empty map or UDT.
        CqlType::Map(..) if items.is_empty() => {
            Ok(Val::Bytes(collection::join_map::<Vec<u8>, Vec<u8>>(&[])))
        }
        _ => Err(invalid_literal(
            if is_set_literal { "set" } else { "list" },
            name,
            ty,
        )),
    }
}

fn eval_function(f: &str, args: &[Term], ty: &CqlType, name: &str) -> CqlResult<Val> {
    use super::select::selection::functions::Native;
    let now = |t: CqlType| Native::Now(t).apply(&[]);
    let v = match (f, args.len(), ty.unfrozen()) {
        ("now", 0, CqlType::Timeuuid | CqlType::Uuid) => now(CqlType::Timeuuid)?,
        ("uuid", 0, CqlType::Uuid) => Native::RandomUuid.apply(&[])?,
        ("currenttimestamp", 0, CqlType::Timestamp) => now(CqlType::Timestamp)?,
        ("totimestamp", 1, CqlType::Timestamp) if is_now(&args[0]) => now(CqlType::Timestamp)?,
        ("tounixtimestamp", 1, CqlType::Bigint) if is_now(&args[0]) => now(CqlType::Timestamp)?,
        ("currentdate" | "todate", _, CqlType::Date) => now(CqlType::Date)?,
        ("currenttime", 0, CqlType::Time) => now(CqlType::Time)?,
        // `C*: cql3/functions/FunctionCall.java` Raw.prepare: aggregates only select.
        ("count" | "min" | "max" | "sum" | "avg", 1, _) => {
            return Err(CqlError::invalid(
                "Aggregation function are not supported in the where clause",
            ));
        }
        // FunctionResolver.get: toJson() needs its argument types, known only in a
        // selection (Selectable.WithToJSonFunction).
        ("tojson", _, _) => {
            return Err(CqlError::invalid(
                "toJson() may only be used within the selection clause of SELECT statements",
            ));
        }
        // One argument is handled by `eval_from_json`; FromJsonFct has exactly one, and
        // Cassandra's arity message prints the function's `toString`, not modelled here.
        ("fromjson", _, _) => {
            return Err(CqlError::unsupported(
                "fromJson() with other than one argument",
            ));
        }
        _ => {
            return Err(CqlError::invalid(format!(
                "Type error: function {f} cannot be used for {name} of type {ty} (or is not supported by the embedded server)"
            )));
        }
    };
    Ok(v.map_or(Val::Null, Val::Bytes))
}

/// `fromJson(arg)` for a receiver of type `ty`: Cassandra resolves it to
/// `FromJsonFct.getInstance(receiver.type)` (`C*: cql3/functions/FromJsonFct.java`, 4.1),
/// whose one `text` argument is named `arg0(system.fromjson)`. `execute` returns null for a
/// null argument or a JSON `null`, else `returnType.fromJSONObject(parsed)`. Failures go out
/// as FUNCTION_FAILURE naming `system.fromjson(text)` (`C*: exceptions/FunctionExecutionException.java`):
/// see the two messages below.
fn eval_from_json(arg: &Term, ty: &CqlType, values: &[BoundValue]) -> CqlResult<Val> {
    use crate::types::json_decode::{self, Json};
    let failure = |msg: String| CqlError::function_failure("system", "fromjson", &["text"], msg);
    let text = match eval(arg, &CqlType::Text, "arg0(system.fromjson)", values)? {
        Val::Null => return Ok(Val::Null),
        // C*: cql3/functions/FunctionCall.java bindAndGet: checkBindValueSet.
        Val::Unset => {
            return Err(CqlError::invalid(
                "Invalid unset value for argument in call to function fromjson",
            ));
        }
        Val::Bytes(b) => {
            String::from_utf8(b).map_err(|_| CqlError::invalid("String didn't validate."))?
        }
    };
    match json_decode::parse(&text) {
        // FromJsonFct.execute: an unparsable string goes through
        // `FunctionExecutionException.create(name, argTypes, detail)`, which prefixes
        // "execution of 'system.fromjson[text]' failed: "; a MarshalException through
        // `create(function, cause)`, whose message is the bare `cause.toString()`.
        Err(e) => Err(failure(format!(
            "execution of 'system.fromjson[text]' failed: Could not decode JSON string '{text}': com.fasterxml.jackson.core.JsonParseException: {e}"
        ))),
        Ok(Json::Null) => Ok(Val::Null),
        Ok(j) => json_decode::from_json(ty, &j).map(Val::Bytes).map_err(|e| {
            failure(format!(
                "org.apache.cassandra.serializers.MarshalException: {e}"
            ))
        }),
    }
}

fn is_now(t: &Term) -> bool {
    matches!(t, Term::FunctionCall { name, args } if name.name.as_str() == "now" && args.is_empty())
}

/// `C*: cql3/TypeCast.java` prepare: a value hinted as a type its receiver cannot read
/// (`isValueCompatibleWith`) is refused. Hints naming a user type are left to the value.
fn check_hint(hint: &TypeExpr, term: &Term, receiver: &CqlType, name: &str) -> CqlResult<()> {
    let types = crate::schema::typeres::UserTypes::new();
    let Ok(hinted) = crate::schema::typeres::resolve("", &types, hint) else {
        return Ok(());
    };
    if crate::exec::select::selection::resolve::value_compatible(receiver, &hinted) {
        return Ok(());
    }
    Err(CqlError::invalid(format!(
        "Cannot assign value ({}){term} to {name} of type {receiver}",
        crate::schema::typeres::raw_to_string(hint)
    )))
}
