//! The keys a bound INSERT, UPDATE or DELETE names: every combination of its partition-key
//! and clustering values (IN lists and multi-column IN tuples expanded, in key order), and
//! the clustering slice of a range deletion.

use cassmodel_store::Slice;

use super::super::codec::{compare, partition};
use super::super::row::{clustering_slice, encode_clustering};
use super::super::select::filter::{in_values, required};
use super::super::select::plan::InValuesOrEq;
use super::plan::ModPlan;
use crate::api::BoundValue;
use crate::error::{CqlError, CqlResult};
use crate::schema::ColumnMeta;

fn key_values(p: &InValuesOrEq, col: &ColumnMeta, bound: &[BoundValue]) -> CqlResult<Vec<Vec<u8>>> {
    match p {
        InValuesOrEq::Eq(t) => Ok(vec![required(t, &col.ty, &col.name, bound)?]),
        InValuesOrEq::In(v) => {
            let mut vals = in_values(v, &col.ty, &col.name, bound)?;
            vals.sort_by(|a, b| compare(a, b, &col.ty));
            vals.dedup();
            Ok(vals)
        }
    }
}

fn cartesian(per_col: Vec<Vec<Vec<u8>>>) -> Vec<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<Vec<u8>>> = vec![Vec::new()];
    for values in per_col {
        out = out
            .into_iter()
            .flat_map(|p| {
                values.iter().map(move |v| {
                    let mut n = p.clone();
                    n.push(v.clone());
                    n
                })
            })
            .collect();
    }
    out
}

/// The serialized partition keys the statement writes.
pub fn partition_keys(plan: &ModPlan, bound: &[BoundValue]) -> CqlResult<Vec<Vec<u8>>> {
    let cols: Vec<&ColumnMeta> = plan.table.partition_key().collect();
    let per_col = plan
        .pk
        .iter()
        .zip(&cols)
        .map(|(p, c)| key_values(p, c, bound))
        .collect::<CqlResult<Vec<_>>>()?;
    cartesian(per_col)
        .into_iter()
        .map(|combo| {
            let refs: Vec<&[u8]> = combo.iter().map(Vec::as_slice).collect();
            if refs.len() == 1 && refs[0].is_empty() {
                return Err(CqlError::invalid("Key may not be empty"));
            }
            let key = partition::encode(&refs)?;
            partition::check_len(&key)?;
            Ok(key)
        })
        .collect()
}

/// The encoded clustering keys (or prefixes) the statement writes.
pub fn clusterings(plan: &ModPlan, bound: &[BoundValue]) -> CqlResult<Vec<Vec<u8>>> {
    let cols: Vec<&ColumnMeta> = plan.table.clustering().collect();
    let per_col = plan
        .ck
        .iter()
        .zip(&cols)
        .map(|(p, c)| key_values(p, c, bound))
        .collect::<CqlResult<Vec<_>>>()?;
    let allowed = bind_tuples(plan, &cols, bound)?;
    cartesian(per_col)
        .into_iter()
        .filter(|combo| {
            allowed.iter().all(|(positions, tuples)| {
                tuples
                    .iter()
                    .any(|t| positions.iter().zip(t).all(|(&p, v)| combo[p] == *v))
            })
        })
        .map(|combo| {
            let refs: Vec<&[u8]> = combo.iter().map(Vec::as_slice).collect();
            partition::check_clustering_len(&refs)?;
            encode_clustering(&plan.table, &refs)
        })
        .collect()
}

/// The tuples of each multi-column IN bound, with their columns' clustering positions.
type BoundTuples = Vec<(Vec<usize>, Vec<Vec<Vec<u8>>>)>;

fn bind_tuples(
    plan: &ModPlan,
    cols: &[&ColumnMeta],
    bound: &[BoundValue],
) -> CqlResult<BoundTuples> {
    plan.ck_tuples
        .iter()
        .map(|tin| {
            let targets: Vec<(usize, &ColumnMeta)> = tin
                .columns
                .iter()
                .filter_map(|name| {
                    cols.iter()
                        .position(|c| c.name == *name)
                        .map(|p| (p, cols[p]))
                })
                .collect();
            let tuples = tin
                .tuples
                .iter()
                .map(|t| {
                    t.iter()
                        .zip(&targets)
                        .map(|(term, (_, c))| required(term, &c.ty, &c.name, bound))
                        .collect::<CqlResult<Vec<_>>>()
                })
                .collect::<CqlResult<Vec<_>>>()?;
            Ok((targets.iter().map(|(p, _)| *p).collect(), tuples))
        })
        .collect()
}

/// The clustering slice a range deletion covers under the clustering `prefix` its
/// equalities name (bounds swapped on a DESC column).
pub fn range_slice(plan: &ModPlan, prefix: &[u8], bound: &[BoundValue]) -> CqlResult<Slice> {
    let Some(col) = plan.table.clustering().nth(plan.ck.len()) else {
        return Ok(Slice::prefix(prefix.to_vec()));
    };
    clustering_slice(prefix, col, &plan.ck_lower, &plan.ck_upper, bound)
}
