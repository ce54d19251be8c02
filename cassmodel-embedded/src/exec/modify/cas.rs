//! Lightweight transactions: IF NOT EXISTS / IF EXISTS / IF conditions evaluated on the
//! current row inside the write section, and the `[applied]` result set of
//! `C*: cql3/statements/ModificationStatement.java` (`buildCasResultSet`,
//! `buildCasFailureResultSet`) and `cql3/conditions/ColumnCondition.java`.

use std::cmp::Ordering;

use cassmodel_cql::ast::{ConditionOp, InValues, Operator, Term};
use cassmodel_store::{ReadSpec, Slice, WriteTxn};

use super::super::codec::{collection, compare};
use super::super::row::{CqlRow, materialize};
use super::super::term::{Val, eval};
use super::apply::store_err;
use super::plan::{Cond, CondPlan, ModPlan};
use crate::api::{BoundValue, ColumnSpec, ResultRows};
use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, TableMeta};
use crate::types::CqlType;

/// `ColumnCondition`'s message for an unset condition value.
const UNSET_IN_CONDITION: &str = "Invalid 'unset' value in condition";

/// Reads the row a conditional statement is about (`None` when it does not exist).
pub fn read_row(
    tx: &WriteTxn<'_>,
    table: &TableMeta,
    pk: &[u8],
    ck: &[u8],
    static_only: bool,
    now: i64,
) -> CqlResult<Option<CqlRow>> {
    let spec = ReadSpec {
        slices: vec![Slice::prefix(ck.to_vec())],
        limit: Some(1),
        ..table.read_spec(now)
    };
    let mut rows = tx.read_partition(table.id, pk, &spec).map_err(store_err)?;
    let static_row = rows.static_row.take();
    let row = rows
        .next()
        .transpose()
        .map_err(store_err)?
        .filter(|r| r.clustering() == ck);
    if row.is_none() && !(static_only && static_row.is_some()) {
        return Ok(None);
    }
    Ok(Some(materialize(
        table,
        pk,
        row.as_ref(),
        static_row.as_ref(),
        now,
    )?))
}

fn cond_value(
    table: &TableMeta,
    c: &CondPlan,
    row: Option<&CqlRow>,
    bound: &[BoundValue],
) -> CqlResult<(Option<Vec<u8>>, CqlType)> {
    let col = &table.columns[c.col];
    let whole = row.and_then(|r| r.values[c.col].value.clone());
    if let Some(f) = c.field {
        let CqlType::Udt(u) = col.ty.unfrozen() else {
            return Ok((None, col.ty.clone()));
        };
        let v = match whole {
            Some(b) => collection::split_fields(&b)?
                .get(f)
                .copied()
                .flatten()
                .map(<[u8]>::to_vec),
            None => None,
        };
        return Ok((v, u.fields[f].1.clone()));
    }
    if let Some(k) = &c.element {
        return Ok(match col.ty.unfrozen() {
            CqlType::List(e) => {
                let idx = match eval(k, &CqlType::Int, &col.name, bound)? {
                    Val::Bytes(b) => i32::from_be_bytes(
                        b.as_slice()
                            .try_into()
                            .map_err(|_| CqlError::invalid("Invalid list index"))?,
                    ),
                    _ => {
                        return Err(CqlError::invalid(format!(
                            "Invalid null value for list index on {}",
                            col.name
                        )));
                    }
                };
                let v = match (whole, usize::try_from(idx)) {
                    (Some(b), Ok(i)) => collection::split_elements(&b)?.get(i).map(|x| x.to_vec()),
                    _ => None,
                };
                (v, (**e).clone())
            }
            CqlType::Map(kt, vt) => {
                let key = match eval(k, kt, &col.name, bound)? {
                    Val::Bytes(b) => b,
                    _ => {
                        return Err(CqlError::invalid(format!(
                            "Invalid null value for map key on {}",
                            col.name
                        )));
                    }
                };
                let v = match whole {
                    Some(b) => collection::split_map(&b)?
                        .into_iter()
                        .find(|(mk, _)| compare(mk, &key, kt) == Ordering::Equal)
                        .map(|(_, v)| v.to_vec()),
                    None => None,
                };
                (v, (**vt).clone())
            }
            _ => {
                return Err(CqlError::invalid(format!(
                    "Invalid element access on non-collection column {}",
                    col.name
                )));
            }
        });
    }
    Ok((whole, col.ty.clone()))
}

fn holds(
    table: &TableMeta,
    c: &CondPlan,
    row: Option<&CqlRow>,
    bound: &[BoundValue],
) -> CqlResult<bool> {
    let (have, ty) = cond_value(table, c, row, bound)?;
    let name = &table.columns[c.col].name;
    match &c.op {
        ConditionOp::In(values) => {
            // `C*: cql3/conditions/ColumnCondition.java` (checkValues,
            // filterUnsetValuesIfNeeded): unset items are dropped, a whole-list marker may be
            // neither null nor unset.
            let mut candidates: Vec<Option<Vec<u8>>> = Vec::new();
            match values {
                InValues::List(items) => {
                    for t in items {
                        match eval(t, &ty, name, bound)? {
                            Val::Bytes(b) => candidates.push(Some(b)),
                            Val::Null => candidates.push(None),
                            Val::Unset => {}
                        }
                    }
                }
                InValues::Marker(m) => {
                    let list_ty = CqlType::List(Box::new(ty.clone()));
                    let in_name = format!("in({name})");
                    match eval(&Term::Marker(m.clone()), &list_ty, &in_name, bound)? {
                        Val::Bytes(b) => candidates.extend(
                            collection::split_elements(&b)?
                                .into_iter()
                                .map(|e| Some(e.to_vec())),
                        ),
                        Val::Null => {
                            return Err(CqlError::invalid("Invalid null list in IN condition"));
                        }
                        Val::Unset => return Err(CqlError::invalid(UNSET_IN_CONDITION)),
                    }
                }
            }
            Ok(candidates.iter().any(|c| match (c, &have) {
                (None, None) => true,
                (Some(a), Some(b)) => compare(a, b, &ty) == Ordering::Equal,
                _ => false,
            }))
        }
        ConditionOp::Compare(op, t) => {
            let elem_ty = match (op, ty.unfrozen()) {
                (Operator::Contains, CqlType::List(e) | CqlType::Set(e)) => (**e).clone(),
                (Operator::Contains, CqlType::Map(_, v)) => (**v).clone(),
                (Operator::ContainsKey, CqlType::Map(k, _)) => (**k).clone(),
                _ => ty.clone(),
            };
            let want = match eval(t, &elem_ty, name, bound)? {
                Val::Bytes(b) => Some(b),
                Val::Null => None,
                Val::Unset => return Err(CqlError::invalid(UNSET_IN_CONDITION)),
            };
            match op {
                Operator::Eq | Operator::Neq => {
                    let eq = match (&have, &want) {
                        (None, None) => true,
                        (Some(a), Some(b)) => compare(a, b, &ty) == Ordering::Equal,
                        _ => false,
                    };
                    Ok(eq == (*op == Operator::Eq))
                }
                Operator::Contains | Operator::ContainsKey => {
                    let (Some(h), Some(w)) = (have, want) else {
                        return Ok(false);
                    };
                    Ok(match ty.unfrozen() {
                        CqlType::List(_) | CqlType::Set(_) => collection::split_elements(&h)?
                            .iter()
                            .any(|x| compare(x, &w, &elem_ty).is_eq()),
                        CqlType::Map(..) => collection::split_map(&h)?.iter().any(|(k, v)| {
                            let x = if *op == Operator::ContainsKey { k } else { v };
                            compare(x, &w, &elem_ty).is_eq()
                        }),
                        _ => false,
                    })
                }
                _ => {
                    let Some(w) = want else {
                        return Err(CqlError::invalid(format!(
                            "Invalid comparison with null for operator \"{}\"",
                            op_str(*op)
                        )));
                    };
                    let Some(h) = have else { return Ok(false) };
                    let ord = compare(&h, &w, &ty);
                    Ok(match op {
                        Operator::Lt => ord.is_lt(),
                        Operator::Lte => ord.is_le(),
                        Operator::Gt => ord.is_gt(),
                        Operator::Gte => ord.is_ge(),
                        _ => false,
                    })
                }
            }
        }
    }
}

fn op_str(op: Operator) -> &'static str {
    match op {
        Operator::Lt => "<",
        Operator::Lte => "<=",
        Operator::Gt => ">",
        Operator::Gte => ">=",
        Operator::Eq => "=",
        Operator::Neq => "!=",
        _ => "?",
    }
}

/// Whether the current row must be read with the partition's static row even when the
/// clustering row is missing: static-only statements naming no clustering (their
/// conditions are on the static row, `ModificationStatement.createClustering`), and column
/// conditions naming a static column (CQL3CasRequest reads the static row with the
/// clustering row, so a missing row has null regular columns next to the static values).
/// An INSERT of static columns that names a clustering tests that row's existence.
pub fn reads_static(plan: &ModPlan, ck: &[u8]) -> bool {
    (plan.static_only && ck.is_empty())
        || matches!(&plan.cond, Cond::Columns(cs)
            if cs.iter().any(|c| is_static(&plan.table, c.col)))
}

/// Whether the conditions of `plan` hold for `row`.
pub fn applies(plan: &ModPlan, row: Option<&CqlRow>, bound: &[BoundValue]) -> CqlResult<bool> {
    Ok(match &plan.cond {
        Cond::None => true,
        Cond::NotExists => row.is_none(),
        Cond::Exists => row.is_some(),
        Cond::Columns(conds) => {
            // Every condition is bound (and its values checked) before any is evaluated, as
            // `ColumnCondition.bind` does: no short cut past a later invalid value.
            let mut all = true;
            for c in conds {
                all &= holds(&plan.table, c, row, bound)?;
            }
            all
        }
    })
}

/// The `[applied]` column.
pub fn applied_spec(table: &TableMeta) -> ColumnSpec {
    ColumnSpec {
        keyspace: table.keyspace.clone(),
        table: table.name.clone(),
        name: "[applied]".into(),
        ty: CqlType::Boolean,
    }
}

/// The result of a conditional statement whose conditions held: `[applied]` alone.
pub fn applied_result(table: &TableMeta) -> ResultRows {
    ResultRows {
        columns: vec![applied_spec(table)],
        rows: vec![vec![Some(vec![1])]],
        paging_state: None,
    }
}

/// True when a column is static (conditions on statics only need the partition).
pub fn is_static(table: &TableMeta, col: usize) -> bool {
    table.columns[col].kind == ColumnKind::Static
}
