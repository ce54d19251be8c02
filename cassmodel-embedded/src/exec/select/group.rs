//! GROUP BY: the grouping prefix of the primary key is validated as
//! `C*: cql3/statements/SelectStatement.java` (`RawStatement.prepareAggregationSpecification`)
//! does; `aggregate.rs` folds the rows of each group. Aggregations over many partitions
//! draw Cassandra's client warnings.

use cassmodel_cql::ast::{Ident, Relation, Select};

use super::order::restricted_by_eq;
use super::plan::{InValuesOrEq, PkAccess, SelectPlan};
use crate::error::{CqlError, CqlResult};
use crate::exec::client_warn;
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

/// True when some WHERE relation restricts a partition-key column: an `=`/`IN` key, a
/// `token(...)` range, or a filtered part of the key (`StatementRestrictions
/// .hasPartitionKeyRestrictions`: the partition-key restrictions are not empty).
fn restricts_partition_key(plan: &SelectPlan) -> bool {
    let is_pk = |c: &Ident| {
        plan.table
            .column(c.as_str())
            .is_some_and(|m| m.kind == ColumnKind::PartitionKey)
    };
    match &plan.pk {
        PkAccess::Keys(_) | PkAccess::Tokens { .. } => true,
        PkAccess::Scan => plan.filters.iter().any(|r| match r {
            Relation::Compare { column, .. } | Relation::In { column, .. } => is_pk(column),
            Relation::Token { .. } => true,
            _ => false,
        }),
    }
}

/// The client warnings of an aggregate or GROUP BY query (one with an aggregation
/// specification), as `C*: cql3/statements/SelectStatement.java` (4.1, `execute` with a
/// pager) issues them before reading: aggregating without a partition key, or over an
/// `IN` of partition keys.
pub fn warn_on_aggregation(plan: &SelectPlan) {
    if !plan.aggregate && plan.group_by.is_none() {
        return;
    }
    if !restricts_partition_key(plan) {
        client_warn::warn("Aggregation query used without partition key");
    } else if let PkAccess::Keys(keys) = &plan.pk
        && keys.iter().any(|k| matches!(k, InValuesOrEq::In(_)))
    {
        client_warn::warn("Aggregation query used on multiple partition keys (IN restriction)");
    }
}
