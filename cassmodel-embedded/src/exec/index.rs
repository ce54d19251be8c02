//! Secondary indexes (`C*: index/internal/CassandraIndex.java`, COMPOSITES kind): an
//! index entry is written next to every write of an indexed value, in the index's own
//! store table: partition = the indexed value, clustering = base token, partition key and
//! clustering. Entries are never updated in place; as in Cassandra, a lookup validates
//! each entry against the base row (every WHERE relation is re-checked), so entries left
//! behind by overwrites and deletions are simply skipped.

use cassmodel_store::{
    CellOp, Liveness, Mutation, PartitionKey, RowKey, RowUpdate, ScanEnd, ScanStart, Store, Ttl,
};

use super::codec::{comparable, partition};
use super::modify::apply::store_err;
use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, IndexMeta, IndexTargetType, TableMeta};
use crate::types::CqlType;

/// The clustering of an index entry for a base row.
pub fn entry_clustering(pk: &[u8], ck: &[u8]) -> CqlResult<Vec<u8>> {
    let token = cassmodel_store::token::murmur3_token(pk);
    let mut out = cassmodel_store::token::token_bytes(token).to_vec();
    comparable::encode_key(&mut out, pk, &CqlType::Blob)?;
    out.extend_from_slice(ck);
    Ok(out)
}

/// The indexed value of a map entry for an `entries()` index: key and value as one
/// CompositeType value, so that `m[k] = v` looks up one index partition
/// (`C*: index/internal/composites/CollectionEntryIndex.java` indexes key and value).
pub fn entries_value(key: &[u8], value: &[u8]) -> CqlResult<Vec<u8>> {
    partition::encode(&[key, value])
}

/// Splits an entry clustering back into the base partition key and clustering.
pub fn parse_entry(clustering: &[u8]) -> CqlResult<(Vec<u8>, Vec<u8>)> {
    let rest = clustering
        .get(8..)
        .ok_or_else(|| CqlError::server("corrupt index entry"))?;
    let (pk, used) = comparable::decode_key(rest, &CqlType::Blob)?;
    Ok((pk, rest[used..].to_vec()))
}

/// The largest indexed value: it becomes a partition key of the index table.
const MAX_INDEXED_VALUE: usize = 65535;

/// Refuses (writes) or skips (index builds) values too large to be index keys, as
/// `C*: index/internal/CassandraIndex.java` `validateIndexedValue` does on writes.
fn fits(index: &IndexMeta, table: &TableMeta, value: &[u8], building: bool) -> CqlResult<bool> {
    if value.len() <= MAX_INDEXED_VALUE {
        return Ok(true);
    }
    if building {
        return Ok(false);
    }
    Err(CqlError::invalid(format!(
        "Cannot index value of size {} for index {} on {}.{}({}) (maximum allowed size={MAX_INDEXED_VALUE})",
        value.len(),
        index.name,
        table.keyspace,
        table.name,
        index.column
    )))
}

fn entry(
    index: &IndexMeta,
    value: Vec<u8>,
    pk: &[u8],
    ck: &[u8],
    timestamp: i64,
    ttl: Option<Ttl>,
) -> CqlResult<Mutation> {
    let row = RowUpdate::new(RowKey::Clustering(entry_clustering(pk, ck)?))
        .with_marker(Liveness { timestamp, ttl });
    Ok(Mutation::new(index.id, value).row(row))
}

/// The index entries for a batch of base-table mutations of `table`.
pub fn entries_for(table: &TableMeta, mutations: &[Mutation]) -> CqlResult<Vec<Mutation>> {
    collect_entries(table, mutations, false)
}

/// The index entries of `mutations`; `building` skips values too large to index instead
/// of refusing them (an index build over existing data must not fail).
fn collect_entries(
    table: &TableMeta,
    mutations: &[Mutation],
    building: bool,
) -> CqlResult<Vec<Mutation>> {
    if table.indexes.is_empty() {
        return Ok(Vec::new());
    }
    let pk_count = table.partition_key().count();
    let ck_types: Vec<(&CqlType, bool)> = table
        .clustering()
        .map(|c| (&c.ty, c.is_reversed()))
        .collect();
    let mut out = Vec::new();
    for m in mutations.iter().filter(|m| m.table == table.id) {
        for row in &m.rows {
            let ck = match &row.key {
                RowKey::Static => Vec::new(),
                RowKey::Clustering(c) => c.clone(),
            };
            // Key-column index entries (`CassandraIndex.getPrimaryKeyIndexLiveness`): the
            // newest timestamp of the marker and the written cells, and the marker's TTL
            // only, so a cell written with a TTL does not make the entry expire.
            let newest_cell = row
                .cells
                .iter()
                .filter_map(|c| match &c.op {
                    CellOp::Write { timestamp, .. } => Some(*timestamp),
                    CellOp::Delete(_) => None,
                })
                .max();
            let live = match (row.marker, newest_cell) {
                (Some(l), cell) => Some((cell.map_or(l.timestamp, |c| c.max(l.timestamp)), l.ttl)),
                (None, Some(ts)) => Some((ts, None)),
                (None, None) => None,
            };
            for index in table.indexes.values() {
                let Some(col) = table.column(&index.column) else {
                    continue;
                };
                match col.kind {
                    ColumnKind::PartitionKey | ColumnKind::Clustering => {
                        // `C*: index/internal/CassandraIndex.java` insertRow: a static row is
                        // indexed by a partition-key index (not a clustering one), so a
                        // partition holding only static content is found through it.
                        let static_ok = col.kind == ColumnKind::PartitionKey;
                        let Some((ts, ttl)) = live else {
                            continue;
                        };
                        if matches!(row.key, RowKey::Static) && !static_ok {
                            continue;
                        }
                        let pos = usize::try_from(col.position).unwrap_or(0);
                        let value = if col.kind == ColumnKind::PartitionKey {
                            partition::decode(&m.partition_key, pk_count)?
                                .get(pos)
                                .cloned()
                        } else {
                            comparable::decode_clustering(&ck, &ck_types)?
                                .get(pos)
                                .cloned()
                        };
                        if let Some(v) = value
                            && fits(index, table, &v, building)?
                        {
                            out.push(entry(index, v, &m.partition_key, &ck, ts, ttl)?);
                        }
                    }
                    ColumnKind::Static | ColumnKind::Regular => {
                        for cell in row.cells.iter().filter(|c| c.column == col.id) {
                            let CellOp::Write {
                                timestamp,
                                value,
                                ttl,
                            } = &cell.op
                            else {
                                continue;
                            };
                            let indexed = match (index.target, &col.ty, &cell.path) {
                                (IndexTargetType::Simple | IndexTargetType::Full, _, None) => {
                                    Some(value.clone())
                                }
                                (
                                    IndexTargetType::Values,
                                    CqlType::List(_) | CqlType::Map(..),
                                    Some(_),
                                ) => Some(value.clone()),
                                (IndexTargetType::Values, CqlType::Set(e), Some(p)) => {
                                    Some(comparable::decode_key(p, e)?.0)
                                }
                                (IndexTargetType::Keys, CqlType::Map(k, _), Some(p)) => {
                                    Some(comparable::decode_key(p, k)?.0)
                                }
                                (IndexTargetType::Entries, CqlType::Map(k, _), Some(p)) => {
                                    Some(entries_value(&comparable::decode_key(p, k)?.0, value)?)
                                }
                                _ => None,
                            };
                            if let Some(v) = indexed.filter(|v| !v.is_empty())
                                && fits(index, table, &v, building)?
                            {
                                out.push(entry(index, v, &m.partition_key, &ck, *timestamp, *ttl)?);
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Indexes the rows already in `table` (after CREATE INDEX), partition by partition.
pub fn backfill(store: &Store, table: &TableMeta, now: i64) -> CqlResult<()> {
    let scan: Vec<PartitionKey> = store
        .scan_partitions(table.id, &ScanStart::Beginning, &ScanEnd::Unbounded)
        .collect::<Result<_, _>>()
        .map_err(store_err)?;
    for p in scan {
        let spec = table.read_spec(now);
        let mut rows = store
            .read_partition(table.id, &p.key, &spec)
            .map_err(store_err)?;
        let mut m = Mutation::new(table.id, p.key.clone());
        if let Some(s) = rows.static_row.take() {
            m.rows.push(as_update(&s));
        }
        for r in rows {
            m.rows.push(as_update(&r.map_err(store_err)?));
        }
        let entries = collect_entries(table, &[m], true)?;
        if !entries.is_empty() {
            store.apply(&entries).map_err(store_err)?;
        }
    }
    Ok(())
}

fn as_update(row: &cassmodel_store::Row) -> RowUpdate {
    let mut u = RowUpdate::new(row.key.clone());
    u.marker = row.marker;
    for c in &row.cells {
        u.cells.push(cassmodel_store::CellUpdate {
            column: c.column,
            path: c.path.clone(),
            op: CellOp::Write {
                timestamp: c.timestamp,
                value: c.value.clone(),
                ttl: c.ttl,
            },
        });
    }
    u
}
