//! Multi-column relations in the WHERE clause of UPDATE and DELETE, rewritten into the
//! single-column relations the planner handles: `(a, b) = (x, y)` becomes `a = x AND b = y`,
//! and one-column forms `(a) op (x)` / `(a) IN ((x), (y))` become `a op x` / `a IN (x, y)`.
//! The receivers are checked as `C*: cql3/MultiColumnRelation.java` does (clustering
//! columns only, in PRIMARY KEY order, tuple arity). `(a, b) IN ((1, 2), (3, 4))` becomes
//! `a IN (1, 3) AND b IN (2, 4)` plus a [`TupleIn`] keeping only the listed combinations
//! (`MultiColumnRestriction.INRestrictionWithValues`). Multi-column slices and a
//! multi-column IN bound as whole tuples keep being refused. CONTAINS (KEY) on a
//! primary-key column is refused here with Cassandra's messages.

use cassmodel_cql::ast::{InValues, Operator, Relation, Term};

use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, TableMeta};

/// The clustering combinations a multi-column IN allows: `tuples[i][j]` is the value of
/// `columns[j]` in the `i`-th listed tuple.
#[derive(Debug, Clone)]
pub struct TupleIn {
    /// The clustering columns, in PRIMARY KEY order.
    pub columns: Vec<String>,
    /// The listed tuples' elements.
    pub tuples: Vec<Vec<Term>>,
}

/// Rewrites the multi-column relations of `relations` into single-column ones, with the
/// combinations each multi-column IN allows.
pub fn desugar(
    t: &TableMeta,
    relations: Vec<Relation>,
) -> CqlResult<(Vec<Relation>, Vec<TupleIn>)> {
    let mut out = Vec::with_capacity(relations.len());
    let mut tuple_ins = Vec::new();
    for rel in relations {
        match rel {
            Relation::MultiCompare { columns, op, value } => {
                check_receivers(t, &columns)?;
                let items = tuple_items(&value, columns.len())?;
                match items {
                    Some(items) if op == Operator::Eq || columns.len() == 1 => {
                        for (column, value) in columns.into_iter().zip(items) {
                            out.push(Relation::Compare { column, op, value });
                        }
                    }
                    _ => return Err(unsupported()),
                }
            }
            Relation::MultiIn { columns, values } => {
                check_receivers(t, &columns)?;
                let InValues::List(tuples) = &values else {
                    return Err(unsupported());
                };
                if columns.len() != 1 {
                    let mut listed = Vec::with_capacity(tuples.len());
                    for v in tuples {
                        listed.push(tuple_items(v, columns.len())?);
                    }
                    // Tuples bound whole (`IN (?, ?)` of tuple markers) are not split.
                    let listed: Vec<Vec<Term>> = listed
                        .into_iter()
                        .collect::<Option<_>>()
                        .ok_or_else(unsupported)?;
                    for (i, column) in columns.iter().enumerate() {
                        out.push(Relation::In {
                            column: column.clone(),
                            values: InValues::List(listed.iter().map(|t| t[i].clone()).collect()),
                        });
                    }
                    tuple_ins.push(TupleIn {
                        columns: columns.iter().map(|c| c.as_str().to_owned()).collect(),
                        tuples: listed,
                    });
                    continue;
                }
                let mut list = Vec::with_capacity(tuples.len());
                for v in tuples {
                    match tuple_items(v, 1)? {
                        Some(mut items) => list.push(items.remove(0)),
                        None => return Err(unsupported()),
                    }
                }
                let column = columns.into_iter().next().ok_or_else(unsupported)?;
                out.push(Relation::In {
                    column,
                    values: InValues::List(list),
                });
            }
            Relation::Compare {
                ref column,
                op: op @ (Operator::Contains | Operator::ContainsKey),
                ..
            } if key_column(t, column.as_str()) => {
                return Err(contains_error(t, column.as_str(), op));
            }
            other => out.push(other),
        }
    }
    Ok((out, tuple_ins))
}

/// CONTAINS (KEY) on a primary-key column of a write (`C*: cql3/SingleColumnRelation.java`
/// toReceivers, `cql3/restrictions/ClusteringColumnRestrictions.java`); on other columns
/// the planner reports them as non-key columns.
fn contains_error(t: &TableMeta, column: &str, op: Operator) -> CqlError {
    let Some(col) = t.columns.iter().find(|c| c.name == column) else {
        return CqlError::invalid(format!("Undefined column name {column}"));
    };
    let is_map = matches!(col.ty.unfrozen(), crate::types::CqlType::Map(..));
    if op == Operator::ContainsKey && !is_map {
        return CqlError::invalid(format!(
            "Cannot use CONTAINS KEY on non-map column {}",
            col.name
        ));
    }
    if !col.ty.unfrozen().is_collection() {
        return CqlError::invalid(format!(
            "Cannot use CONTAINS on non-collection column {}",
            col.name
        ));
    }
    if col.kind == ColumnKind::Clustering {
        CqlError::invalid(
            "Cannot restrict clustering columns by a CONTAINS relation without a secondary index or filtering",
        )
    } else {
        CqlError::invalid("Cannot restrict partition key columns by a CONTAINS relation")
    }
}

fn key_column(t: &TableMeta, column: &str) -> bool {
    t.columns.iter().any(|c| {
        c.name == column && matches!(c.kind, ColumnKind::PartitionKey | ColumnKind::Clustering)
    })
}

/// Checks the arity of literal tuples in multi-column relations (`C*: cql3/Tuples.java`),
/// for SELECT too.
pub fn check_tuple_arity(relations: &[Relation]) -> CqlResult<()> {
    for rel in relations {
        match rel {
            Relation::MultiCompare { columns, value, .. } => {
                tuple_items(value, columns.len())?;
            }
            Relation::MultiIn {
                columns,
                values: InValues::List(tuples),
            } => {
                for v in tuples {
                    tuple_items(v, columns.len())?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn unsupported() -> CqlError {
    CqlError::unsupported("Multi-column slices and multi-column IN in UPDATE and DELETE")
}

/// The elements of a literal tuple after checking its arity; `None` for a marker.
fn tuple_items(value: &Term, arity: usize) -> CqlResult<Option<Vec<Term>>> {
    match value {
        Term::Tuple(items) => {
            if items.len() != arity {
                return Err(CqlError::invalid(format!(
                    "Expected {arity} elements in value tuple, but got {}: {value}",
                    items.len()
                )));
            }
            Ok(Some(items.clone()))
        }
        _ => Ok(None),
    }
}

/// `MultiColumnRelation.receivers`: clustering columns, consecutive, from the first one.
fn check_receivers(t: &TableMeta, columns: &[cassmodel_cql::ast::Ident]) -> CqlResult<()> {
    let mut previous: Option<i64> = None;
    for c in columns {
        let col = t
            .columns
            .iter()
            .find(|m| m.name == c.as_str())
            .ok_or_else(|| CqlError::invalid(format!("Undefined column name {}", c.as_str())))?;
        if col.kind != ColumnKind::Clustering {
            return Err(CqlError::invalid(format!(
                "Multi-column relations can only be applied to clustering columns but was applied to: {}",
                col.name
            )));
        }
        let pos = i64::from(col.position);
        let expected = previous.map_or(0, |p| p + 1);
        if pos != expected {
            let names: Vec<&str> = columns.iter().map(|c| c.as_str()).collect();
            return Err(CqlError::invalid(if previous.is_none() {
                format!(
                    "Clustering columns may not be skipped in multi-column relations. They should appear in the PRIMARY KEY order. Got ({})",
                    names.join(", ")
                )
            } else {
                format!(
                    "Clustering columns must appear in the PRIMARY KEY order in multi-column relations: ({})",
                    names.join(", ")
                )
            }));
        }
        previous = Some(pos);
    }
    Ok(())
}
