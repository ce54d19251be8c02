//! GROUP BY: the grouping prefix of the primary key is validated as
//! `C*: cql3/statements/SelectStatement.java` (`RawStatement.prepareAggregationSpecification`)
//! does; `aggregate.rs` folds the rows of each group.

use cassmodel_cql::ast::Select;

use super::order::restricted_by_eq;
use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, TableMeta};

fn invalid(msg: impl Into<String>) -> CqlError {
    CqlError::invalid(msg)
}

const ORDER: &str = "Group by currently only support groups of columns following their declared order in the PRIMARY KEY";

/// The number of clustering columns in the groups of `select` (`None` without GROUP BY).
pub fn plan_group_by(select: &Select, table: &TableMeta) -> CqlResult<Option<u16>> {
    if select.group_by.is_empty() {
        return Ok(None);
    }
    let eq_restricted = |name: &str| restricted_by_eq(&select.where_clause, name);
    let pk: Vec<_> = table.partition_key().chain(table.clustering()).collect();
    let mut next = 0;
    let mut clustering_prefix = 0;
    for ident in &select.group_by {
        let name = ident.as_str();
        let col = table
            .column(name)
            .ok_or_else(|| invalid(format!("Undefined column name {name}")))?;
        if !col.kind.is_primary_key() {
            return Err(invalid(format!(
                "Group by is currently only supported on the columns of the PRIMARY KEY, got {name}"
            )));
        }
        loop {
            let Some(pk_col) = pk.get(next) else {
                return Err(invalid(ORDER));
            };
            next += 1;
            if pk_col.kind == ColumnKind::Clustering {
                clustering_prefix += 1;
            }
            if pk_col.name == name {
                break;
            }
            if !eq_restricted(&pk_col.name) {
                return Err(invalid(ORDER));
            }
        }
    }
    if pk
        .get(next)
        .is_some_and(|c| c.kind == ColumnKind::PartitionKey)
    {
        return Err(invalid(
            "Group by is not supported on only a part of the partition key",
        ));
    }
    if clustering_prefix > 0 && select.distinct {
        return Err(invalid(
            "Grouping on clustering columns is not allowed for SELECT DISTINCT queries",
        ));
    }
    // A u16 keeps SelectPlan (and the compiled-statement enum) small.
    Ok(Some(u16::try_from(clustering_prefix).unwrap_or(u16::MAX)))
}
