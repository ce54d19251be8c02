//! WHERE relations evaluated on materialized rows. Every relation of a SELECT is checked
//! on every candidate row (the access path only narrows what is read), which is how
//! ALLOW FILTERING and index lookups stay exact (`C*: db/filter/RowFilter.java`).

use std::cmp::Ordering;

use cassmodel_cql::ast::{InValues, Operator, Relation, Term};

use super::super::codec::{collection, compare};
use super::super::row::CqlRow;
use super::super::term::{Val, eval};
use crate::api::BoundValue;
use crate::error::{CqlError, CqlResult};
use crate::schema::TableMeta;
use crate::types::CqlType;

/// A relation with its values bound.
#[derive(Debug, Clone)]
pub enum BoundFilter {
    /// `c op v`
    Cmp {
        /// Column position.
        col: usize,
        /// Operator.
        op: Operator,
        /// Value.
        value: Vec<u8>,
    },
    /// `c IN (...)`
    In {
        /// Column position.
        col: usize,
        /// Values.
        values: Vec<Vec<u8>>,
    },
    /// `c[k] op v`
    Element {
        /// Column position.
        col: usize,
        /// Key.
        key: Vec<u8>,
        /// Operator.
        op: Operator,
        /// Value.
        value: Vec<u8>,
    },
    /// `c IS NOT NULL`
    NotNull(usize),
    /// `(a, b) op (x, y)`
    Multi {
        /// Column positions.
        cols: Vec<usize>,
        /// Operator.
        op: Operator,
        /// Tuple components.
        value: Vec<Vec<u8>>,
    },
    /// `(a, b) IN (...)`
    MultiIn {
        /// Column positions.
        cols: Vec<usize>,
        /// Tuples.
        values: Vec<Vec<Vec<u8>>>,
    },
    /// `token(pk) op v`
    Token {
        /// Operator.
        op: Operator,
        /// Token.
        value: i64,
    },
}

fn position(table: &TableMeta, name: &str) -> CqlResult<usize> {
    table
        .columns
        .iter()
        .position(|c| c.name == name)
        .ok_or_else(|| CqlError::invalid(format!("Undefined column name {name}")))
}

/// Evaluates a term that must not be null or unset (a restriction value).
pub fn required(
    term: &Term,
    ty: &CqlType,
    name: &str,
    values: &[BoundValue],
) -> CqlResult<Vec<u8>> {
    match eval(term, ty, name, values)? {
        Val::Bytes(b) => Ok(b),
        Val::Null => Err(CqlError::invalid(format!(
            "Invalid null value in condition for column {name}"
        ))),
        Val::Unset => Err(CqlError::invalid(format!(
            "Invalid unset value for column {name}"
        ))),
    }
}

/// The values of an IN relation.
pub fn in_values(
    values: &InValues,
    ty: &CqlType,
    name: &str,
    bound: &[BoundValue],
) -> CqlResult<Vec<Vec<u8>>> {
    match values {
        InValues::List(items) => items.iter().map(|t| required(t, ty, name, bound)).collect(),
        InValues::Marker(m) => {
            let list_ty = CqlType::List(Box::new(ty.clone()));
            let bytes = required(
                &Term::Marker(m.clone()),
                &list_ty,
                &format!("in({name})"),
                bound,
            )?;
            Ok(collection::split_elements(&bytes)?
                .into_iter()
                .map(<[u8]>::to_vec)
                .collect())
        }
    }
}

/// The token of a `token(...)` bound: a bigint, or `token(values...)` of the key.
pub fn token_value(term: &Term, table: &TableMeta, bound: &[BoundValue]) -> CqlResult<i64> {
    if let Term::FunctionCall { name, args } = term
        && name.name.as_str() == "token"
    {
        let cols: Vec<_> = table.partition_key().collect();
        if args.len() != cols.len() {
            return Err(CqlError::invalid(
                "Invalid number of arguments in call to function system.token",
            ));
        }
        let mut parts = Vec::new();
        for (a, c) in args.iter().zip(&cols) {
            parts.push(required(a, &c.ty, &c.name, bound)?);
        }
        return crate::exec::term::token::key_token(&parts);
    }
    let b = required(term, &CqlType::Bigint, "partition key token", bound)?;
    let arr: [u8; 8] = b
        .as_slice()
        .try_into()
        .map_err(|_| CqlError::invalid("Invalid token value"))?;
    Ok(i64::from_be_bytes(arr))
}

/// Binds every relation of the WHERE clause.
pub fn bind_filters(
    relations: &[Relation],
    table: &TableMeta,
    bound: &[BoundValue],
) -> CqlResult<Vec<BoundFilter>> {
    let mut out = Vec::with_capacity(relations.len());
    for rel in relations {
        out.push(match rel {
            Relation::Compare { column, op, value } => {
                let col = position(table, column.as_str())?;
                let c = &table.columns[col];
                let ty = match (op, c.ty.unfrozen()) {
                    (Operator::Contains, CqlType::List(e) | CqlType::Set(e)) => (**e).clone(),
                    (Operator::Contains, CqlType::Map(_, v)) => (**v).clone(),
                    (Operator::ContainsKey, CqlType::Map(k, _)) => (**k).clone(),
                    _ => c.ty.clone(),
                };
                BoundFilter::Cmp {
                    col,
                    op: *op,
                    value: required(value, &ty, &c.name, bound)?,
                }
            }
            Relation::In { column, values } => {
                let col = position(table, column.as_str())?;
                let c = &table.columns[col];
                BoundFilter::In {
                    col,
                    values: in_values(values, &c.ty, &c.name, bound)?,
                }
            }
            Relation::Element {
                column,
                key,
                op,
                value,
            } => {
                let col = position(table, column.as_str())?;
                let c = &table.columns[col];
                let CqlType::Map(kt, vt) = c.ty.unfrozen() else {
                    return Err(CqlError::invalid(format!("Column {} is not a map", c.name)));
                };
                BoundFilter::Element {
                    col,
                    key: required(key, kt, &c.name, bound)?,
                    op: *op,
                    value: required(value, vt, &c.name, bound)?,
                }
            }
            Relation::IsNotNull(c) => BoundFilter::NotNull(position(table, c.as_str())?),
            Relation::MultiCompare { columns, op, value } => {
                let cols = columns
                    .iter()
                    .map(|c| position(table, c.as_str()))
                    .collect::<CqlResult<Vec<_>>>()?;
                let ty = super::plan::multi_type(columns, table)?;
                let bytes = required(value, &ty, "tuple", bound)?;
                // MultiColumnRestriction.EQRestriction / SliceRestriction name the column.
                let value = tuple_parts(&bytes, |i| {
                    format!(
                        "Invalid null value in condition for column {}",
                        columns.get(i).map_or("", |c| c.as_str())
                    )
                })?;
                BoundFilter::Multi {
                    cols,
                    op: *op,
                    value,
                }
            }
            Relation::MultiIn { columns, values } => {
                let cols = columns
                    .iter()
                    .map(|c| position(table, c.as_str()))
                    .collect::<CqlResult<Vec<_>>>()?;
                let ty = super::plan::multi_type(columns, table)?;
                let tuples = in_values(values, &ty, "tuple", bound)?;
                // MultiColumnRestriction.INRestriction names all the columns.
                let names: Vec<&str> = columns.iter().map(|c| c.as_str()).collect();
                let null = |_: usize| {
                    format!(
                        "Invalid null value in condition for columns: [{}]",
                        names.join(", ")
                    )
                };
                BoundFilter::MultiIn {
                    cols,
                    values: tuples
                        .iter()
                        .map(|t| tuple_parts(t, null))
                        .collect::<CqlResult<_>>()?,
                }
            }
            Relation::Token { op, value, .. } => BoundFilter::Token {
                op: *op,
                value: token_value(value, table, bound)?,
            },
        });
    }
    Ok(out)
}

/// The elements of a bound tuple; a null element `i` is refused with `null_message(i)`.
fn tuple_parts(bytes: &[u8], null_message: impl Fn(usize) -> String) -> CqlResult<Vec<Vec<u8>>> {
    collection::split_fields(bytes)?
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            f.map(<[u8]>::to_vec)
                .ok_or_else(|| CqlError::invalid(null_message(i)))
        })
        .collect()
}

fn op_holds(ord: Ordering, op: Operator) -> bool {
    match op {
        Operator::Eq => ord == Ordering::Equal,
        Operator::Neq => ord != Ordering::Equal,
        Operator::Lt => ord == Ordering::Less,
        Operator::Lte => ord != Ordering::Greater,
        Operator::Gt => ord == Ordering::Greater,
        Operator::Gte => ord != Ordering::Less,
        _ => false,
    }
}

/// True when `row` (of partition `pk`) satisfies every filter.
pub fn matches(
    filters: &[BoundFilter],
    table: &TableMeta,
    pk: &[u8],
    row: &CqlRow,
) -> CqlResult<bool> {
    for f in filters {
        let ok = match f {
            BoundFilter::Cmp { col, op, value } => {
                let ty = &table.columns[*col].ty;
                match &row.values[*col].value {
                    None => false,
                    Some(v) => match op {
                        Operator::Contains => contains(v, value, ty, false)?,
                        Operator::ContainsKey => contains(v, value, ty, true)?,
                        _ => op_holds(compare(v, value, ty), *op),
                    },
                }
            }
            BoundFilter::In { col, values } => {
                let ty = &table.columns[*col].ty;
                row.values[*col]
                    .value
                    .as_ref()
                    .is_some_and(|v| values.iter().any(|x| compare(v, x, ty) == Ordering::Equal))
            }
            BoundFilter::Element {
                col,
                key,
                op,
                value,
            } => {
                let CqlType::Map(kt, vt) = table.columns[*col].ty.unfrozen() else {
                    return Ok(false);
                };
                match &row.values[*col].value {
                    None => false,
                    Some(m) => collection::split_map(m)?
                        .into_iter()
                        .find(|(k, _)| compare(k, key, kt) == Ordering::Equal)
                        .is_some_and(|(_, v)| op_holds(compare(v, value, vt), *op)),
                }
            }
            BoundFilter::NotNull(col) => row.values[*col].value.is_some(),
            BoundFilter::Multi { cols, op, value } => match tuple_cmp(table, row, cols, value) {
                Some(ord) => op_holds(ord, *op),
                None => false,
            },
            BoundFilter::MultiIn { cols, values } => values
                .iter()
                .any(|t| tuple_cmp(table, row, cols, t) == Some(Ordering::Equal)),
            BoundFilter::Token { op, value } => {
                let token = cassmodel_store::token::murmur3_token(pk);
                op_holds(token.cmp(value), *op)
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn tuple_cmp(
    table: &TableMeta,
    row: &CqlRow,
    cols: &[usize],
    value: &[Vec<u8>],
) -> Option<Ordering> {
    for (c, v) in cols.iter().zip(value) {
        let have = row.values[*c].value.as_ref()?;
        let ord = compare(have, v, &table.columns[*c].ty);
        if ord != Ordering::Equal {
            return Some(ord);
        }
    }
    Some(Ordering::Equal)
}

fn contains(collection_bytes: &[u8], value: &[u8], ty: &CqlType, key: bool) -> CqlResult<bool> {
    Ok(match ty.unfrozen() {
        CqlType::List(e) | CqlType::Set(e) => collection::split_elements(collection_bytes)?
            .into_iter()
            .any(|x| compare(x, value, e) == Ordering::Equal),
        CqlType::Map(k, v) => {
            collection::split_map(collection_bytes)?
                .into_iter()
                .any(|(mk, mv)| {
                    if key {
                        compare(mk, value, k) == Ordering::Equal
                    } else {
                        compare(mv, value, v) == Ordering::Equal
                    }
                })
        }
        _ => false,
    })
}
