//! Merging of several single-column relations on one column, as Cassandra does while it
//! adds each relation of a WHERE clause to its restriction sets, in the order written:
//! an `=` or an `IN` merges with nothing, slices merge with slices on the other bound,
//! CONTAINS / CONTAINS KEY / map-entry equalities merge with each other
//! (apache/cassandra 4.1 `cql3/restrictions/SingleColumnRestriction.java` `doMergeWith`,
//! `RestrictionSet.addRestriction`). Clustering columns also get the slice-order checks of
//! `ClusteringColumnRestrictions.mergeWith`, made right after each merge.

use std::collections::HashMap;

use cassmodel_cql::ast::{Operator, Relation};

use super::plan::InValuesOrEq;
use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, TableMeta};

fn invalid(msg: impl Into<String>) -> CqlError {
    CqlError::invalid(msg)
}

/// The kind of restriction a column holds after the relations merged so far.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Eq,
    In,
    Slice { start: bool, end: bool },
    Contains,
}

impl Kind {
    /// The restriction an operator makes; `None` for those merged elsewhere.
    fn of(op: Operator) -> Option<Kind> {
        Some(match op {
            Operator::Eq => Kind::Eq,
            Operator::Gt | Operator::Gte => Kind::Slice {
                start: true,
                end: false,
            },
            Operator::Lt | Operator::Lte => Kind::Slice {
                start: false,
                end: true,
            },
            Operator::Contains | Operator::ContainsKey => Kind::Contains,
            Operator::Neq | Operator::Like => return None,
        })
    }
}

/// The restrictions added so far, per column.
pub struct Merger<'a> {
    table: &'a TableMeta,
    allow_filtering: bool,
    columns: HashMap<String, Kind>,
    /// Restricted clustering columns by position, with whether each is a slice.
    clustering: Vec<(usize, bool)>,
}

impl<'a> Merger<'a> {
    /// An empty set of restrictions on `table`.
    pub fn new(table: &'a TableMeta, allow_filtering: bool) -> Self {
        Merger {
            table,
            allow_filtering,
            columns: HashMap::new(),
            clustering: Vec::new(),
        }
    }

    /// Adds one relation; token and IS NOT NULL relations are left to the planner.
    pub fn add(&mut self, rel: &Relation) -> CqlResult<()> {
        let (column, kind) = match rel {
            Relation::Compare { column, op, .. } => {
                let Some(kind) = Kind::of(*op) else {
                    return Ok(());
                };
                (column.as_str(), kind)
            }
            // A one-value IN list is an EQ (SingleColumnRelation.newINRestriction).
            Relation::In { column, values } => match InValuesOrEq::of_in(values) {
                InValuesOrEq::Eq(_) => (column.as_str(), Kind::Eq),
                InValuesOrEq::In(_) => (column.as_str(), Kind::In),
            },
            Relation::Element { column, .. } => (column.as_str(), Kind::Contains),
            // `MultiColumnRestriction.doMergeWith` refuses the same merges column by
            // column; the planner checks the order of the clustering columns.
            Relation::MultiCompare { columns, op, .. } => {
                let Some(kind) = Kind::of(*op) else {
                    return Ok(());
                };
                for c in columns {
                    self.merge(c.as_str(), kind, false)?;
                }
                return Ok(());
            }
            Relation::MultiIn { columns, .. } => {
                for c in columns {
                    self.merge(c.as_str(), Kind::In, false)?;
                }
                return Ok(());
            }
            _ => return Ok(()),
        };
        self.merge(column, kind, true)
    }

    /// Merges `kind` into the restrictions of `column`, checking the clustering slice
    /// order too if `order_checks`.
    fn merge(&mut self, column: &str, kind: Kind, order_checks: bool) -> CqlResult<()> {
        let Some(col) = self.table.column(column) else {
            return Ok(());
        };
        let name = col.name.as_str();
        let merged = match self.columns.get(name) {
            None => kind,
            Some(Kind::Eq) => {
                return Err(invalid(format!(
                    "{name} cannot be restricted by more than one relation if it includes an Equal"
                )));
            }
            Some(Kind::In) => {
                return Err(invalid(format!(
                    "{name} cannot be restricted by more than one relation if it includes a IN"
                )));
            }
            Some(Kind::Slice { start, end }) => {
                let Kind::Slice {
                    start: new_start,
                    end: new_end,
                } = kind
                else {
                    return Err(invalid(format!(
                        "Column \"{name}\" cannot be restricted by both an equality and an inequality relation"
                    )));
                };
                if *start && new_start {
                    return Err(invalid(format!(
                        "More than one restriction was found for the start bound on {name}"
                    )));
                }
                if *end && new_end {
                    return Err(invalid(format!(
                        "More than one restriction was found for the end bound on {name}"
                    )));
                }
                Kind::Slice {
                    start: *start || new_start,
                    end: *end || new_end,
                }
            }
            Some(Kind::Contains) => {
                if kind != Kind::Contains {
                    return Err(invalid(format!(
                        "Collection column {name} can only be restricted by CONTAINS, CONTAINS KEY, or map-entry equality"
                    )));
                }
                Kind::Contains
            }
        };
        if order_checks && col.kind == ColumnKind::Clustering {
            self.check_clustering_order(name, matches!(kind, Kind::Slice { .. }))?;
        }
        self.columns.insert(name.to_owned(), merged);
        Ok(())
    }

    /// `ClusteringColumnRestrictions.mergeWith` without ALLOW FILTERING: nothing may follow
    /// a slice, and a slice may not precede a restricted column.
    fn check_clustering_order(&mut self, name: &str, slice: bool) -> CqlResult<()> {
        let ck: Vec<&str> = self.table.clustering().map(|c| c.name.as_str()).collect();
        let Some(pos) = ck.iter().position(|c| *c == name) else {
            return Ok(());
        };
        let last = self.clustering.iter().max_by_key(|(p, _)| *p).copied();
        if let Some((last_pos, last_slice)) = last
            && !self.allow_filtering
        {
            if last_slice && pos > last_pos {
                return Err(invalid(format!(
                    "Clustering column \"{name}\" cannot be restricted (preceding column \"{}\" is restricted by a non-EQ relation)",
                    ck[last_pos]
                )));
            }
            if pos < last_pos && slice {
                let next = self
                    .clustering
                    .iter()
                    .map(|(p, _)| *p)
                    .filter(|p| *p > pos)
                    .min()
                    .unwrap_or(last_pos);
                return Err(invalid(format!(
                    "PRIMARY KEY column \"{}\" cannot be restricted (preceding column \"{name}\" is restricted by a non-EQ relation)",
                    ck[next]
                )));
            }
        }
        match self.clustering.iter_mut().find(|(p, _)| *p == pos) {
            Some(entry) => entry.1 |= slice,
            None => self.clustering.push((pos, slice)),
        }
        Ok(())
    }
}
