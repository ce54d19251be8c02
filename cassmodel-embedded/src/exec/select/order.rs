//! ORDER BY: `C*: cql3/statements/SelectStatement.java` (`RawStatement.verifyOrderingIsAllowed`,
//! `isReversed`). Since Cassandra 4.0 (CASSANDRA-10271) a clustering column restricted by
//! an equality may be left out of the ORDER BY clause; every ordered column must follow the
//! ones before it in the declared order, and all must agree on one direction.

use cassmodel_cql::ast::{InValues, Operator, Order, Relation, Select};

use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, TableMeta};

fn invalid(msg: impl Into<String>) -> CqlError {
    CqlError::invalid(msg)
}

/// Checks the ORDER BY clause of `select` and tells whether the rows are read in reverse
/// clustering order.
pub fn plan_order(
    select: &Select,
    table: &TableMeta,
    uses_index: bool,
    key_range: bool,
) -> CqlResult<bool> {
    if select.order_by.is_empty() {
        return Ok(false);
    }
    if uses_index {
        return Err(invalid("ORDER BY with 2ndary indexes is not supported."));
    }
    if key_range {
        return Err(invalid(
            "ORDER BY is only supported when the partition key is restricted by an EQ or an IN.",
        ));
    }
    let clustering: Vec<_> = table.clustering().collect();
    let mut reversed_at: Vec<Option<bool>> = vec![None; clustering.len()];
    let mut next = 0;
    for (name, order) in &select.order_by {
        let col = table
            .column(name.as_str())
            .ok_or_else(|| invalid(format!("Order by on unknown column {}", name.as_str())))?;
        if col.kind != ColumnKind::Clustering {
            return Err(invalid(format!(
                "Order by is currently only supported on the clustered columns of the PRIMARY KEY, got {}",
                col.name
            )));
        }
        let position = usize::try_from(col.position).unwrap_or(0);
        // Columns skipped before this one must be restricted by an equality.
        while next != position {
            let skippable = clustering
                .get(next)
                .is_some_and(|c| restricted_by_eq(&select.where_clause, &c.name));
            if !skippable {
                return Err(invalid(
                    "Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY",
                ));
            }
            next += 1;
        }
        next += 1;
        reversed_at[position] = Some((*order == Order::Desc) != col.is_reversed());
    }
    let mut directions = reversed_at.into_iter().flatten();
    let reversed = directions.next().unwrap_or(false);
    if directions.any(|r| r != reversed) {
        return Err(invalid("Unsupported order by relation"));
    }
    Ok(reversed)
}

/// `StatementRestrictions.isColumnRestrictedByEq`: `c = x`, a one-value `c IN (x)` (an EQ,
/// `SingleColumnRelation.newINRestriction`), a multi-column `(.., c, ..) = (..)` or a
/// one-value multi-column IN.
pub(super) fn restricted_by_eq(relations: &[Relation], name: &str) -> bool {
    relations.iter().any(|r| match r {
        Relation::Compare {
            column,
            op: Operator::Eq,
            ..
        } => column.as_str() == name,
        Relation::In {
            column,
            values: InValues::List(items),
        } => column.as_str() == name && items.len() == 1,
        Relation::MultiCompare {
            columns,
            op: Operator::Eq,
            ..
        } => columns.iter().any(|c| c.as_str() == name),
        Relation::MultiIn {
            columns,
            values: InValues::List(items),
        } => items.len() == 1 && columns.iter().any(|c| c.as_str() == name),
        _ => false,
    })
}
