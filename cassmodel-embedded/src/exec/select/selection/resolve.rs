//! Typing for selectors: how well an argument fits a parameter
//! (`C*: cql3/AssignmentTestable.java` `TestResult`, `Constants.Literal.testAssignment`,
//! `AbstractType.testAssignment` / `isValueCompatibleWith`), the overload choice of
//! `C*: cql3/functions/FunctionResolver.java` with its messages, and the text Cassandra
//! prints for a term (`Term.Raw.getText`).

use cassmodel_cql::ast::{Literal, Term};

use super::functions::Overload;
use crate::error::{CqlError, CqlResult};
use crate::types::CqlType;

/// `AssignmentTestable.TestResult`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// `EXACT_MATCH`
    Exact,
    /// `WEAKLY_ASSIGNABLE`
    Weak,
    /// `NOT_ASSIGNABLE`
    Not,
}

/// What is known of an argument before its overload is chosen.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    /// A selector of known type (column, function call, cast, type hint...), shown as `text`.
    Typed(CqlType, String),
    /// A term whose type the parameter decides.
    Term(&'a Term),
}

impl Arg<'_> {
    /// The text Cassandra prints for the argument.
    pub fn text(&self) -> String {
        match self {
            Arg::Typed(_, t) => t.clone(),
            Arg::Term(t) => term_text(t),
        }
    }

    /// How well the argument fits a parameter of type `receiver`.
    pub fn fit(&self, receiver: &CqlType) -> Fit {
        match self {
            Arg::Typed(t, _) => type_fit(t, receiver),
            Arg::Term(t) => term_fit(t, receiver),
        }
    }
}

/// `receiver.isValueCompatibleWith(given)` for the types natives involve: blob reads
/// anything (`BytesType`), text reads ascii, uuid reads timeuuid, bigint and timestamp read
/// each other, varint reads int and whatever bigint reads (`IntegerType`).
pub fn value_compatible(receiver: &CqlType, given: &CqlType) -> bool {
    use CqlType::{Ascii, Bigint, Blob, Int, Text, Timestamp, Timeuuid, Uuid, Varint};
    let (r, g) = (receiver.unfrozen(), given.unfrozen());
    r == g
        || matches!(
            (r, g),
            (Blob, _)
                | (Text, Ascii)
                | (Uuid, Timeuuid)
                | (Bigint, Timestamp)
                | (Timestamp, Bigint)
                | (Varint, Int | Bigint | Timestamp)
        )
}

/// `AbstractType.testAssignment`: exact when equal (frozenness aside), weak when the
/// receiver can read the value.
pub fn type_fit(given: &CqlType, receiver: &CqlType) -> Fit {
    if given.unfrozen() == receiver.unfrozen() {
        Fit::Exact
    } else if value_compatible(receiver, given) {
        Fit::Weak
    } else {
        Fit::Not
    }
}

/// `Constants.Type.getPreferedTypeFor`: the type a literal matches exactly.
fn preferred(lit: &Literal) -> Option<CqlType> {
    Some(match lit {
        Literal::String(s) if s.is_ascii() => CqlType::Ascii,
        Literal::String(_) => CqlType::Text,
        Literal::Integer(t) => {
            let n: num_bigint::BigInt = t.parse().ok()?;
            if i32::try_from(&n).is_ok() {
                CqlType::Int
            } else if i64::try_from(&n).is_ok() {
                CqlType::Bigint
            } else {
                CqlType::Varint
            }
        }
        Literal::Uuid(t) => match uuid::Uuid::parse_str(t).ok()?.get_version_num() {
            1 => CqlType::Timeuuid,
            _ => CqlType::Uuid,
        },
        // Double when `BigDecimal.valueOf(double)` (the shortest repr) is the same number.
        Literal::Float(t) => match t.parse::<f64>() {
            Ok(d) if t.contains(['N', 'I']) || decimal_key(&format!("{d:e}")) == decimal_key(t) => {
                CqlType::Double
            }
            _ => CqlType::Decimal,
        },
        Literal::Boolean(_) => CqlType::Boolean,
        Literal::Hex(_) => CqlType::Tinyint,
        Literal::Duration(_) => CqlType::Duration,
    })
}

/// A decimal number as (sign, significant digits, exponent of the last digit), to compare
/// two spellings of a number.
fn decimal_key(t: &str) -> (bool, String, i64) {
    let t = t.to_ascii_lowercase();
    let (mantissa, exp) = t.split_once('e').unwrap_or((&t, "0"));
    let mut exp: i64 = exp.parse().unwrap_or(0);
    let neg = mantissa.starts_with('-');
    let mantissa = mantissa.trim_start_matches(['-', '+']);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    exp -= i64::try_from(frac.len()).unwrap_or(0);
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    let trimmed = digits.trim_end_matches('0');
    exp += i64::try_from(digits.len() - trimmed.len()).unwrap_or(0);
    if trimmed.is_empty() {
        return (false, String::new(), 0);
    }
    (neg, trimmed.to_owned(), exp)
}

/// `Constants.Literal.testAssignment` (and `NullLiteral`, markers, collection literals).
pub fn term_fit(t: &Term, receiver: &CqlType) -> Fit {
    use CqlType as T;
    let r = receiver.unfrozen();
    let lit = match t {
        Term::Literal(l) => l,
        Term::Null => {
            return if *r == T::Counter {
                Fit::Not
            } else {
                Fit::Weak
            };
        }
        Term::TypeHint { .. } => return Fit::Weak,
        _ => return Fit::Weak,
    };
    if matches!(
        r,
        T::List(_) | T::Set(_) | T::Map(..) | T::Udt(_) | T::Tuple(_)
    ) {
        return Fit::Not;
    }
    if preferred(lit).as_ref() == Some(r) {
        return Fit::Exact;
    }
    let ok = match lit {
        Literal::String(_) => matches!(
            r,
            T::Ascii | T::Text | T::Inet | T::Date | T::Time | T::Timestamp
        ),
        Literal::Integer(_) => matches!(
            r,
            T::Bigint
                | T::Counter
                | T::Date
                | T::Decimal
                | T::Double
                | T::Duration
                | T::Float
                | T::Int
                | T::Smallint
                | T::Time
                | T::Timestamp
                | T::Tinyint
                | T::Varint
        ),
        Literal::Uuid(_) => matches!(r, T::Uuid | T::Timeuuid),
        Literal::Float(_) => matches!(r, T::Decimal | T::Double | T::Float),
        Literal::Boolean(_) => *r == T::Boolean,
        Literal::Hex(_) => *r == T::Blob,
        Literal::Duration(_) => *r == T::Duration,
    };
    if ok { Fit::Weak } else { Fit::Not }
}

/// `Term.Raw.getText`: strings quoted as written (not re-escaped), `NULL`, collections and
/// calls with `, ` separators, type casts as `(type)term`.
pub fn term_text(t: &Term) -> String {
    let join = |items: &[Term]| items.iter().map(term_text).collect::<Vec<_>>().join(", ");
    match t {
        Term::Literal(Literal::String(s)) => format!("'{s}'"),
        Term::Literal(Literal::Hex(h)) => format!("0x{h}"),
        Term::Literal(Literal::Boolean(b)) => b.to_string(),
        Term::Literal(
            Literal::Integer(s) | Literal::Float(s) | Literal::Uuid(s) | Literal::Duration(s),
        ) => s.clone(),
        Term::Null => "NULL".into(),
        Term::Marker(m) => m.to_string(),
        Term::List(items) => format!("[{}]", join(items)),
        Term::Set(items) => format!("{{{}}}", join(items)),
        Term::Tuple(items) => format!("({})", join(items)),
        Term::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", term_text(k), term_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Term::Udt(fields) => format!(
            "{{{}}}",
            fields
                .iter()
                .map(|(f, v)| format!("{}: {}", f.as_str(), term_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Term::FunctionCall { name, args } => format!("{name}({})", join(args)),
        Term::TypeHint { ty, term } => format!(
            "({}){}",
            crate::schema::typeres::raw_to_string(ty),
            term_text(term)
        ),
        other => other.to_string(),
    }
}

fn signatures(f: &str, cands: &[Overload]) -> String {
    cands
        .iter()
        .map(|o| {
            let args: Vec<String> = o.args.iter().map(ToString::to_string).collect();
            format!("system.{f} : ({}) -> {}", args.join(", "), o.result)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `FunctionResolver.get`: the overload of `f` (named `called` as the query wrote it) that
/// the arguments select, with Cassandra's messages when none or several do.
pub fn pick(f: &str, called: &str, cands: Vec<Overload>, args: &[Arg<'_>]) -> CqlResult<Overload> {
    if cands.len() == 1 {
        // `validateTypes`: the one candidate, checked argument by argument.
        let o = cands
            .into_iter()
            .next()
            .ok_or_else(|| CqlError::invalid(""))?;
        if o.args.len() != args.len() {
            return Err(CqlError::invalid(format!(
                "Invalid number of arguments in call to function system.{f}: {} required but {} provided",
                o.args.len(),
                args.len()
            )));
        }
        for (i, (a, t)) in args.iter().zip(&o.args).enumerate() {
            if a.fit(t) == Fit::Not {
                return Err(CqlError::invalid(format!(
                    "Type error: {} cannot be passed as argument {i} of function system.{f} of type {t}",
                    a.text()
                )));
            }
        }
        return Ok(o);
    }
    // `pickBestMatch`: the first exact match wins, else the only weak one.
    let mut weak = Vec::new();
    for o in &cands {
        if o.args.len() != args.len() {
            continue;
        }
        let mut fit = Fit::Exact;
        for (a, t) in args.iter().zip(&o.args) {
            match a.fit(t) {
                Fit::Not => {
                    fit = Fit::Not;
                    break;
                }
                Fit::Weak => fit = Fit::Weak,
                Fit::Exact => {}
            }
        }
        match fit {
            Fit::Exact => return Ok(o.clone()),
            Fit::Weak => weak.push(o.clone()),
            Fit::Not => {}
        }
    }
    match weak.len() {
        0 => Err(CqlError::invalid(format!(
            "Invalid call to function {called}, none of its type signatures match (known type signatures: {})",
            signatures(f, &cands)
        ))),
        1 => Ok(weak.remove(0)),
        _ => Err(CqlError::invalid(format!(
            "Ambiguous call to function {called} (can be matched by following signatures: {}): use type casts to disambiguate",
            signatures(f, &weak)
        ))),
    }
}
