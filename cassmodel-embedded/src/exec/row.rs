//! CQL rows out of store rows: key columns decoded from the partition and clustering keys,
//! simple columns from their cell, multi-cell collections and UDTs rebuilt from their
//! cells (`C*: db/rows/ComplexColumnData.java`), with each cell's timestamp and TTL for
//! `writetime()`/`ttl()`.

use cassmodel_store::{Bound, Cell, Row, RowKey, Slice};

use super::codec::{collection, comparable, partition};
use crate::api::BoundValue;
use crate::error::CqlResult;
use crate::schema::{ColumnKind, ColumnMeta, TableMeta};
use crate::types::CqlType;

/// One column's value in a CQL row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColValue {
    /// Serialized value; `None` = null.
    pub value: Option<Vec<u8>>,
    /// Write timestamp of a simple cell.
    pub timestamp: Option<i64>,
    /// Remaining TTL in seconds of a simple cell.
    pub ttl: Option<i64>,
}

/// A CQL row: one entry per table column, in `table.columns` order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CqlRow {
    /// Values by column position in `TableMeta::columns`.
    pub values: Vec<ColValue>,
    /// The encoded clustering key (empty for static-only rows).
    pub clustering: Vec<u8>,
    /// True when the row is a partition's static row standing alone (no clustering row).
    pub static_only: bool,
}

/// Types and orders of the clustering columns.
pub fn clustering_types(table: &TableMeta) -> Vec<(&CqlType, bool)> {
    table
        .clustering()
        .map(|c| (&c.ty, c.is_reversed()))
        .collect()
}

/// Encodes a (prefix of a) clustering key from serialized values.
pub fn encode_clustering(table: &TableMeta, values: &[&[u8]]) -> CqlResult<Vec<u8>> {
    let mut out = Vec::new();
    for (col, v) in table.clustering().zip(values) {
        comparable::encode_component(&mut out, v, &col.ty, col.is_reversed())?;
    }
    Ok(out)
}

/// The clustering slice under `prefix` (the encoded values of the clustering columns
/// restricted by equality) bounded on the next clustering column `col` by `lower` / `upper`
/// (a term and whether it is inclusive), bounds swapped on a DESC column; an open side
/// stays within the prefix. Shared by SELECT slices and range deletions.
pub fn clustering_slice(
    prefix: &[u8],
    col: &ColumnMeta,
    lower: &Option<(cassmodel_cql::ast::Term, bool)>,
    upper: &Option<(cassmodel_cql::ast::Term, bool)>,
    bound: &[BoundValue],
) -> CqlResult<Slice> {
    let end = |b: &Option<(cassmodel_cql::ast::Term, bool)>| -> CqlResult<Option<Bound>> {
        let Some((t, inclusive)) = b else {
            return Ok(None);
        };
        let v = super::select::filter::required(t, &col.ty, &col.name, bound)?;
        let mut k = prefix.to_vec();
        comparable::encode_component(&mut k, &v, &col.ty, col.is_reversed())?;
        Ok(Some(if *inclusive {
            Bound::Inclusive(k)
        } else {
            Bound::Exclusive(k)
        }))
    };
    let (mut lo, mut hi) = (end(lower)?, end(upper)?);
    if col.is_reversed() {
        std::mem::swap(&mut lo, &mut hi);
    }
    let open = |b: Option<Bound>| {
        b.unwrap_or_else(|| {
            if prefix.is_empty() {
                Bound::Unbounded
            } else {
                Bound::Inclusive(prefix.to_vec())
            }
        })
    };
    Ok(Slice {
        start: open(lo),
        end: open(hi),
    })
}

/// Encodes a cell path (set element or map key) of a multi-cell column.
pub fn encode_path(value: &[u8], ty: &CqlType) -> CqlResult<Vec<u8>> {
    let mut out = Vec::new();
    comparable::encode_key(&mut out, value, ty)?;
    Ok(out)
}

/// Builds the CQL row for `row` of partition `pk`, with the partition's static row.
pub fn materialize(
    table: &TableMeta,
    pk: &[u8],
    row: Option<&Row>,
    static_row: Option<&Row>,
    now: i64,
) -> CqlResult<CqlRow> {
    let pk_count = table.partition_key().count();
    let pk_values = partition::decode(pk, pk_count)?;
    let clustering = row.map(|r| r.clustering().to_vec()).unwrap_or_default();
    let ck_values = if clustering.is_empty() {
        Vec::new()
    } else {
        comparable::decode_clustering(&clustering, &clustering_types(table))?
    };
    let mut values = Vec::with_capacity(table.columns.len());
    for col in &table.columns {
        let v = match col.kind {
            ColumnKind::PartitionKey => ColValue {
                value: pk_values
                    .get(usize::try_from(col.position).unwrap_or(0))
                    .cloned(),
                ..ColValue::default()
            },
            ColumnKind::Clustering => ColValue {
                value: ck_values
                    .get(usize::try_from(col.position).unwrap_or(0))
                    .cloned(),
                ..ColValue::default()
            },
            ColumnKind::Static => column_value(col, static_row, now)?,
            ColumnKind::Regular => column_value(col, row, now)?,
        };
        values.push(v);
    }
    Ok(CqlRow {
        values,
        clustering,
        static_only: row.is_none(),
    })
}

fn column_value(col: &ColumnMeta, row: Option<&Row>, now: i64) -> CqlResult<ColValue> {
    let Some(row) = row else {
        return Ok(ColValue::default());
    };
    let cells: Vec<&Cell> = row.column(col.id).collect();
    if cells.is_empty() {
        return Ok(ColValue::default());
    }
    if !col.ty.is_multi_cell() {
        let c = cells[0];
        return Ok(ColValue {
            value: Some(c.value.clone()),
            timestamp: Some(c.timestamp),
            ttl: c.ttl.map(|t| t.remaining(now)),
        });
    }
    Ok(ColValue {
        value: Some(rebuild_multi_cell(&col.ty, &cells)?),
        timestamp: None,
        ttl: None,
    })
}

/// Serializes a multi-cell column from its live cells (in path order).
pub fn rebuild_multi_cell(ty: &CqlType, cells: &[&Cell]) -> CqlResult<Vec<u8>> {
    Ok(match ty {
        CqlType::List(_) => {
            let items: Vec<&[u8]> = cells.iter().map(|c| c.value.as_slice()).collect();
            collection::join_elements(&items)
        }
        CqlType::Set(e) => {
            let mut items = Vec::with_capacity(cells.len());
            for c in cells {
                items.push(comparable::decode_key(c.path.as_deref().unwrap_or_default(), e)?.0);
            }
            collection::join_elements(&items)
        }
        CqlType::Map(k, _) => {
            let mut items = Vec::with_capacity(cells.len());
            for c in cells {
                let key = comparable::decode_key(c.path.as_deref().unwrap_or_default(), k)?.0;
                items.push((key, c.value.clone()));
            }
            collection::join_map(&items)
        }
        CqlType::Udt(u) => {
            // Field cells are keyed by the field's index (big-endian u16).
            let mut fields: Vec<Option<Vec<u8>>> = vec![None; u.fields.len()];
            for c in cells {
                let idx = c
                    .path
                    .as_deref()
                    .and_then(|p| p.get(..2))
                    .map(|p| usize::from(u16::from_be_bytes([p[0], p[1]])));
                if let Some(slot) = idx.and_then(|i| fields.get_mut(i)) {
                    *slot = Some(c.value.clone());
                }
            }
            while fields.last().is_some_and(Option::is_none) {
                fields.pop();
            }
            collection::join_fields(&fields)
        }
        _ => cells.first().map(|c| c.value.clone()).unwrap_or_default(),
    })
}

/// True when a row from the store is a static row.
pub fn is_static(row: &Row) -> bool {
    matches!(row.key, RowKey::Static)
}
