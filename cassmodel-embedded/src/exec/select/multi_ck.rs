//! Clustering restrictions when the WHERE clause has a multi-column relation
//! (`(c1, c2) > (1, 2)`), possibly next to single-column ones (`c1 = 1 AND (c2, c3) = (2, 3)`,
//! `(c1, c2) > (0, 1) AND c1 < 5`). Every relation is still evaluated on each row read
//! ([`super::filter`]), so these only decide what Cassandra 4.1 accepts: the columns of a
//! multi-column relation (`C*: cql3/MultiColumnRelation.java` `receivers`) and whether the
//! restrictions leave a gap that needs filtering (`C*: cql3/restrictions/
//! ClusteringColumnRestrictions.java` `needFiltering`, `StatementRestrictions.java`
//! `processClusteringColumnsRestrictions`).

use cassmodel_cql::ast::{Ident, Operator, Relation};

use crate::error::{CqlError, CqlResult};
use crate::schema::ColumnMeta;

/// One clustering restriction after merging: the positions of its first and last column,
/// whether it is a slice, and whether it is a CONTAINS (which always filters).
#[derive(Debug, Clone, Copy)]
struct Segment {
    first: usize,
    last: usize,
    slice: bool,
    contains: bool,
    /// From a multi-column relation.
    multi: bool,
}

/// Checks the columns of a multi-column relation: clustering columns, none twice, each
/// following the previous one in PRIMARY KEY order (it may start at any clustering
/// column). Returns the position of its first column.
pub fn check_columns(rel: &Relation, columns: &[Ident], ck: &[&ColumnMeta]) -> CqlResult<usize> {
    let mut first = None;
    let mut previous: Option<usize> = None;
    for (i, c) in columns.iter().enumerate() {
        // Non-clustering columns were refused while the relation's markers were typed.
        let Some(p) = ck.iter().position(|m| m.name == c.as_str()) else {
            return Err(CqlError::invalid(format!(
                "Multi-column relations can only be applied to clustering columns but was applied to: {}",
                c.as_str()
            )));
        };
        if columns[..i].iter().any(|o| o.as_str() == c.as_str()) {
            return Err(CqlError::invalid(format!(
                "Column \"{}\" appeared twice in a relation: {rel}",
                c.as_str()
            )));
        }
        if previous.is_some_and(|q| p != q + 1) {
            return Err(CqlError::invalid(format!(
                "Clustering columns must appear in the PRIMARY KEY order in multi-column relations: {rel}"
            )));
        }
        first.get_or_insert(p);
        previous = Some(p);
    }
    Ok(first.unwrap_or(0))
}

/// Whether the clustering restrictions of `relations` need filtering, with Cassandra's
/// refusal when they do without ALLOW FILTERING (`allow`) or a usable index (`indexed`).
/// Conflicting merges were refused before (`merge.rs`), so restrictions sharing a first
/// column are slices that merge into one.
pub fn needs_filtering(
    relations: &[Relation],
    ck: &[&ColumnMeta],
    allow: bool,
    indexed: bool,
) -> CqlResult<bool> {
    let pos = |name: &str| ck.iter().position(|c| c.name == name);
    let mut segments: Vec<Segment> = Vec::new();
    let mut restricted: Vec<usize> = Vec::new();
    let mut add = |s: Segment| {
        restricted.extend(s.first..=s.last);
        match segments.iter_mut().find(|o| o.first == s.first) {
            Some(o) => {
                o.last = o.last.max(s.last);
                o.slice |= s.slice;
                o.contains |= s.contains;
                o.multi |= s.multi;
            }
            None => segments.push(s),
        }
    };
    for rel in relations {
        match rel {
            Relation::Compare { column, op, .. } => {
                if let Some(p) = pos(column.as_str()) {
                    add(Segment {
                        first: p,
                        last: p,
                        slice: is_slice(*op),
                        contains: matches!(
                            op,
                            Operator::Contains | Operator::ContainsKey | Operator::Like
                        ),
                        multi: false,
                    });
                }
            }
            Relation::In { column, .. } => {
                if let Some(p) = pos(column.as_str()) {
                    add(Segment {
                        first: p,
                        last: p,
                        slice: false,
                        contains: false,
                        multi: false,
                    });
                }
            }
            Relation::MultiCompare { columns, op, .. } => {
                let first = check_columns(rel, columns, ck)?;
                add(Segment {
                    first,
                    last: first + columns.len().saturating_sub(1),
                    slice: is_slice(*op),
                    contains: false,
                    multi: true,
                });
            }
            Relation::MultiIn { columns, .. } => {
                let first = check_columns(rel, columns, ck)?;
                add(Segment {
                    first,
                    last: first + columns.len().saturating_sub(1),
                    slice: false,
                    contains: false,
                    multi: true,
                });
            }
            _ => {}
        }
    }
    segments.sort_by_key(|s| s.first);
    let mut next = 0;
    let mut filtering = false;
    for s in &segments {
        if s.contains || s.first != next {
            filtering = true;
            break;
        }
        if !s.slice {
            next = s.last + 1;
        }
    }
    if filtering && !allow && !indexed {
        restricted.sort_unstable();
        restricted.dedup();
        for (i, p) in restricted.iter().enumerate() {
            if *p != i {
                return Err(CqlError::invalid(format!(
                    "PRIMARY KEY column \"{}\" cannot be restricted as preceding column \"{}\" is not restricted",
                    ck[*p].name, ck[i].name
                )));
            }
        }
    }
    // ClusteringColumnRestrictions.addToRowFilter: the restrictions past the narrowing
    // prefix become row filters, which a multi-column slice cannot be
    // (MultiColumnRestriction.SliceRestriction.addToRowFilter).
    let mut next = 0;
    for s in &segments {
        if s.contains || s.first != next {
            if s.multi && s.slice {
                return Err(CqlError::invalid(
                    "Multi-column slice restrictions cannot be used for filtering.",
                ));
            }
            continue;
        }
        if !s.slice {
            next = s.last + 1;
        }
    }
    Ok(filtering)
}

fn is_slice(op: Operator) -> bool {
    matches!(
        op,
        Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte
    )
}
