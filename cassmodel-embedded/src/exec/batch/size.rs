//! The batch size guard of `C*: cql3/statements/BatchStatement.java` (`verifyBatchSize`):
//! a batch spanning several statements whose data exceeds `batch_size_fail_threshold`
//! (50 KiB by default in Cassandra 4.1's cassandra.yaml) fails with "Batch too large".
//! The size is estimated from the bound values and the literal values written.

use cassmodel_cql::ast::Term;

use super::BatchItem;
use crate::api::BoundValue;
use crate::error::{CqlError, CqlResult};
use crate::exec::modify::plan::Op;

/// Cassandra's default `batch_size_fail_threshold`.
pub const FAIL_THRESHOLD_BYTES: usize = 50 * 1024;

fn term_size(t: &Term) -> usize {
    match t {
        Term::Marker(_) | Term::Null => 0,
        other => other.to_string().len(),
    }
}

/// Estimated data size of one statement.
fn item_size(item: &BatchItem<'_>) -> usize {
    let bound: usize = item
        .values
        .iter()
        .map(|v| match v {
            BoundValue::Value(b) => b.len(),
            _ => 0,
        })
        .sum();
    let literals: usize = item
        .plan
        .ops
        .iter()
        .map(|op| match op {
            Op::Set(_, t)
            | Op::Add(_, t)
            | Op::Sub(_, t)
            | Op::Prepend(_, t)
            | Op::SetField(_, _, t) => term_size(t),
            Op::SetElement(_, k, v) => term_size(k) + term_size(v),
            _ => 0,
        })
        .sum();
    bound + literals
}

/// The estimated data size of a whole batch.
pub fn data_size(items: &[BatchItem<'_>]) -> usize {
    items.iter().map(item_size).sum()
}

/// Fails a multi-statement batch larger than the threshold.
pub fn verify(items: &[BatchItem<'_>]) -> CqlResult<()> {
    if items.len() <= 1 {
        return Ok(());
    }
    let size = data_size(items);
    if size > FAIL_THRESHOLD_BYTES {
        return Err(CqlError::invalid("Batch too large"));
    }
    Ok(())
}
