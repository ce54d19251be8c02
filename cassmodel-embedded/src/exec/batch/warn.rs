//! The client warnings of a batch without conditions, given before it is applied
//! (`C*: cql3/statements/BatchStatement.java`, `executeWithoutConditions`):
//! `verifyBatchSize` warns when a batch spanning several partitions is larger than
//! `batch_size_warn_threshold` (5 KiB by default in 4.1's cassandra.yaml), and
//! `verifyBatchType` when an unlogged (or counter) batch covers more partitions than
//! `unlogged_batch_across_partitions_warn_threshold` (10).

use std::collections::{BTreeSet, HashSet};

use super::BatchItem;
use super::size::data_size;
use crate::api::BatchKind;
use crate::error::CqlResult;
use crate::exec::client_warn;
use crate::exec::modify::keys::partition_keys;
use crate::schema::quote_ident;

/// Cassandra's default `batch_size_warn_threshold`, in bytes.
pub const SIZE_WARN_THRESHOLD_BYTES: usize = 5 * 1024;

/// Cassandra's default `unlogged_batch_across_partitions_warn_threshold`.
pub const UNLOGGED_PARTITIONS_WARN_THRESHOLD: usize = 10;

/// Java's `Set.toString` of the table names (`ks.table`, quoted where needed), sorted.
fn table_list(tables: &BTreeSet<(&str, &str)>) -> String {
    let names: Vec<String> = tables
        .iter()
        .map(|(ks, t)| format!("{}.{}", quote_ident(ks), quote_ident(t)))
        .collect();
    format!("[{}]", names.join(", "))
}

/// Issues the size and partition-count warnings of a batch without conditions.
pub fn warn(kind: BatchKind, items: &[BatchItem<'_>]) -> CqlResult<()> {
    if items.iter().any(|i| i.plan.cond.is_some()) {
        return Ok(());
    }
    // A logged batch within the size threshold cannot warn: its partitions are not
    // computed (the common case, a model's fan-out batch, pays only the size sum).
    let size = data_size(items);
    if kind == BatchKind::Logged && size <= SIZE_WARN_THRESHOLD_BYTES {
        return Ok(());
    }
    // One mutation per keyspace and partition key; keys are told apart by value alone.
    let mut mutations: HashSet<(&str, Vec<u8>)> = HashSet::new();
    let mut keys: HashSet<Vec<u8>> = HashSet::new();
    let mut tables = BTreeSet::new();
    for item in items {
        let table = &item.plan.table;
        for key in partition_keys(item.plan, &item.values)? {
            mutations.insert((table.keyspace.as_str(), key.clone()));
            keys.insert(key);
        }
        tables.insert((table.keyspace.as_str(), table.name.as_str()));
    }
    // "We only warn for batch spanning multiple mutations (#10876)".
    if mutations.len() <= 1 {
        return Ok(());
    }
    if size > SIZE_WARN_THRESHOLD_BYTES {
        client_warn::warn(format!(
            "Batch for {} is of size {size}, exceeding specified threshold of {SIZE_WARN_THRESHOLD_BYTES} by {}.",
            table_list(&tables),
            size - SIZE_WARN_THRESHOLD_BYTES
        ));
    }
    if kind != BatchKind::Logged && keys.len() > UNLOGGED_PARTITIONS_WARN_THRESHOLD {
        client_warn::warn(format!(
            "Unlogged batch covering {} partitions detected against table{} {}. You should use a logged batch for atomicity, or asynchronous writes for performance.",
            keys.len(),
            if tables.len() == 1 { "" } else { "s" },
            table_list(&tables)
        ));
    }
    Ok(())
}
