//! GROUP BY: the grouping prefix of the primary key is validated as
//! `C*: cql3/statements/SelectStatement.java` (`RawStatement.prepareAggregationSpecification`)
//! does, and rows already read in primary-key order are folded into one row per group:
//! plain selectors take the group's first row, `count` selectors add up
//! (`C*: cql3/selection/Selection.java` `ResultSetBuilder` with a `GroupMaker`).

use cassmodel_cql::ast::{Operator, Relation, Select};

use super::plan::Sel;
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
    let eq_restricted = |name: &str| {
        select.where_clause.iter().any(|r| {
            matches!(r, Relation::Compare { column, op: Operator::Eq, .. } if column.as_str() == name)
        })
    };
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

/// Folds consecutive rows with the same group key into one row each, keeping at most
/// `limit` groups. `rows[i]` belongs to group `keys[i]`; its count selectors hold the
/// row's own contribution (a bigint 0 or 1).
pub fn fold(
    selectors: &[Sel],
    rows: Vec<Vec<Option<Vec<u8>>>>,
    keys: &[Vec<u8>],
    limit: i64,
) -> Vec<Vec<Option<Vec<u8>>>> {
    let mut out: Vec<Vec<Option<Vec<u8>>>> = Vec::new();
    let mut last_key: Option<&Vec<u8>> = None;
    for (row, key) in rows.into_iter().zip(keys) {
        if last_key == Some(key) {
            if let Some(current) = out.last_mut() {
                for (i, s) in selectors.iter().enumerate() {
                    if matches!(s, Sel::CountAll | Sel::Count(_)) {
                        let sum = count_of(&current[i]) + count_of(&row[i]);
                        current[i] = Some(sum.to_be_bytes().to_vec());
                    }
                }
            }
            continue;
        }
        if i64::try_from(out.len()).unwrap_or(i64::MAX) >= limit {
            break;
        }
        last_key = Some(key);
        out.push(row);
    }
    out
}

fn count_of(v: &Option<Vec<u8>>) -> i64 {
    v.as_deref()
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map_or(0, i64::from_be_bytes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn n(v: i64) -> Option<Vec<u8>> {
        Some(v.to_be_bytes().to_vec())
    }

    #[test]
    fn consecutive_rows_of_a_group_fold_into_the_first() {
        let sels = [Sel::Column(0), Sel::CountAll];
        let rows = vec![
            vec![Some(vec![1]), n(1)],
            vec![Some(vec![2]), n(1)],
            vec![Some(vec![3]), n(1)],
        ];
        let keys = vec![b"a".to_vec(), b"a".to_vec(), b"b".to_vec()];
        let out = fold(&sels, rows, &keys, i64::MAX);
        assert_eq!(
            out,
            vec![vec![Some(vec![1]), n(2)], vec![Some(vec![3]), n(1)]]
        );
    }

    #[test]
    fn limit_counts_groups() {
        let sels = [Sel::CountAll];
        let rows = vec![vec![n(1)], vec![n(1)], vec![n(1)]];
        let keys = vec![b"a".to_vec(), b"a".to_vec(), b"b".to_vec()];
        assert_eq!(fold(&sels, rows, &keys, 1), vec![vec![n(2)]]);
    }
}
