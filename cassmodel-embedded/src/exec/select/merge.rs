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
    /// For a clustering column in a slice: the position of the first column of that
    /// slice (itself, or the first column of a multi-column slice).
    slice_first: HashMap<String, usize>,
    /// Clustering restrictions as (first position, last position, is a slice).
    clustering: Vec<(usize, usize, bool)>,
}

impl<'a> Merger<'a> {
    /// An empty set of restrictions on `table`.
    pub fn new(table: &'a TableMeta, allow_filtering: bool) -> Self {
        Merger {
            table,
            allow_filtering,
            columns: HashMap::new(),
            slice_first: HashMap::new(),
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
            // column (a single-column relation merges into a multi-column one,
            // `SingleColumnRestriction.mergeWith`); the planner checks the columns' order.
            // The restriction then gets the slice-order checks at its first column.
            Relation::MultiCompare { columns, op, .. } => {
                let Some(kind) = Kind::of(*op) else {
                    return Ok(());
                };
                return self.merge_multi(columns, kind);
            }
            Relation::MultiIn { columns, .. } => return self.merge_multi(columns, Kind::In),
            _ => return Ok(()),
        };
        self.merge(column, kind, None)
    }

    fn clustering_position(&self, name: &str) -> Option<usize> {
        self.table.clustering().position(|c| c.name == name)
    }

    /// Merges a multi-column relation column by column, then checks the clustering order
    /// of the whole restriction at its first column. Columns that are not consecutive
    /// clustering columns are left to the planner's messages.
    fn merge_multi(&mut self, columns: &[cassmodel_cql::ast::Ident], kind: Kind) -> CqlResult<()> {
        let positions: Option<Vec<usize>> = columns
            .iter()
            .map(|c| self.clustering_position(c.as_str()))
            .collect();
        let Some(positions) = positions else {
            return Ok(());
        };
        let (Some(&first), Some(&last)) = (positions.first(), positions.last()) else {
            return Ok(());
        };
        if positions.windows(2).any(|w| w[1] != w[0] + 1) {
            return Ok(());
        }
        for c in columns {
            self.merge(c.as_str(), kind, Some(first))?;
        }
        self.check_clustering_order(first, last, matches!(kind, Kind::Slice { .. }))
    }

    /// Merges `kind` into the restrictions of `column`. `multi_first` is the position of
    /// the first column of the multi-column relation it comes from; single-column
    /// relations on clustering columns also get the clustering slice order checks.
    fn merge(&mut self, column: &str, kind: Kind, multi_first: Option<usize>) -> CqlResult<()> {
        let Some(col) = self.table.column(column) else {
            return Ok(());
        };
        let name = col.name.as_str();
        let ck_pos = self.clustering_position(name);
        let first = multi_first.or(ck_pos);
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
                // `MultiColumnRestriction.SliceRestriction.doMergeWith`: slices merge only
                // when they start at the same column.
                if let (Some(old), Some(new)) = (self.slice_first.get(name), first)
                    && *old != new
                {
                    let later = self
                        .table
                        .clustering()
                        .nth((*old).max(new))
                        .map_or(name, |c| c.name.as_str());
                    return Err(invalid(format!(
                        "Column \"{later}\" cannot be restricted by two inequalities not starting with the same column"
                    )));
                }
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
        if let (Kind::Slice { .. }, Some(f)) = (kind, first) {
            self.slice_first.entry(name.to_owned()).or_insert(f);
        }
        if let (None, Some(p)) = (multi_first, ck_pos)
            && col.kind == ColumnKind::Clustering
        {
            self.check_clustering_order(p, p, matches!(kind, Kind::Slice { .. }))?;
        }
        self.columns.insert(name.to_owned(), merged);
        Ok(())
    }

    /// `ClusteringColumnRestrictions.mergeWith` without ALLOW FILTERING: nothing may follow
    /// a slice, and a slice may not precede a restricted column.
    /// The restriction is the one over clustering positions `pos..=last`; the last
    /// restriction so far is the one reaching the highest position, compared by first
    /// columns (`RestrictionSet.lastRestriction`, `getFirstColumn`).
    fn check_clustering_order(&mut self, pos: usize, last: usize, slice: bool) -> CqlResult<()> {
        let ck: Vec<&str> = self.table.clustering().map(|c| c.name.as_str()).collect();
        let previous = self.clustering.iter().max_by_key(|(_, l, _)| *l).copied();
        if let Some((last_pos, _, last_slice)) = previous
            && !self.allow_filtering
        {
            if last_slice && pos > last_pos {
                return Err(invalid(format!(
                    "Clustering column \"{}\" cannot be restricted (preceding column \"{}\" is restricted by a non-EQ relation)",
                    ck[pos], ck[last_pos]
                )));
            }
            if pos < last_pos && slice {
                let next = self
                    .clustering
                    .iter()
                    .flat_map(|(f, l, _)| *f..=*l)
                    .filter(|p| *p > pos)
                    .min()
                    .unwrap_or(last_pos);
                return Err(invalid(format!(
                    "PRIMARY KEY column \"{}\" cannot be restricted (preceding column \"{}\" is restricted by a non-EQ relation)",
                    ck[next], ck[pos]
                )));
            }
        }
        match self.clustering.iter_mut().find(|(p, _, _)| *p == pos) {
            Some(entry) => {
                entry.1 = entry.1.max(last);
                entry.2 |= slice;
            }
            None => self.clustering.push((pos, last, slice)),
        }
        Ok(())
    }
}
