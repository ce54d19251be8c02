//! Bound modifications to store mutations, inside the store's serialized write section so
//! read-before-write operations (list index set/delete, list element removal, counters)
//! see a stable state (`C*: cql3/Lists.java`, `Sets.java`, `Maps.java`, `UserTypes.java`,
//! `Constants.java` for counters, `cql3/Attributes.java` for TTL and timestamp).

use cassmodel_store::{
    CellOp, CellUpdate, Deletion, Liveness, Mutation, RangeTombstone, ReadSpec, Row, RowKey,
    RowUpdate, Slice, Ttl, WriteTxn,
};

use super::super::codec::{collection, compare};
use super::super::row::encode_path;
use super::super::term::{Val, eval};
use super::super::timeuuid;
use super::keys::{clusterings, partition_keys, range_slice};
use super::plan::{ModKind, ModPlan, Op};
use crate::api::BoundValue;
use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, ColumnMeta, TableMeta};
use crate::types::CqlType;

/// `Attributes.MAX_TTL` (20 years).
pub const MAX_TTL: i64 = 630_720_000;

/// Maps a store error to the CQL error Cassandra gives for it. A row whose key components
/// are each within Cassandra's limits but whose storage key is too long for the engine
/// (`cassmodel_store::keys::MAX_STORAGE_KEY_LEN`) is the client's request this server
/// cannot store: an InvalidRequest naming that limit, not a server error.
pub fn store_err(e: cassmodel_store::StoreError) -> CqlError {
    match e {
        cassmodel_store::StoreError::EmptyKey
        | cassmodel_store::StoreError::KeyTooLarge { .. }
        | cassmodel_store::StoreError::StorageKeyTooLarge { .. } => {
            CqlError::invalid(e.to_string())
        }
        other => CqlError::server(other.to_string()),
    }
}

/// Timestamp and TTL of one execution.
#[derive(Debug, Clone, Copy)]
pub struct Attrs {
    /// Write timestamp (µs).
    pub timestamp: i64,
    /// TTL in seconds (`None` = no TTL).
    pub ttl: Option<u32>,
    /// Now in seconds.
    pub now: i64,
}

impl Attrs {
    fn ttl(&self) -> Option<Ttl> {
        self.ttl.map(|t| Ttl::new(t, self.now))
    }
    fn deletion(&self, timestamp: i64) -> Deletion {
        Deletion::new(timestamp, self.now)
    }
}

/// `Attributes.getTimestamp` / `getTimeToLive`.
pub fn bind_attrs(
    plan: &ModPlan,
    bound: &[BoundValue],
    default_ts: i64,
    now: i64,
) -> CqlResult<Attrs> {
    let timestamp = match &plan.timestamp {
        None => default_ts,
        Some(t) => match eval(t, &CqlType::Bigint, "[timestamp]", bound)? {
            Val::Null => return Err(CqlError::invalid("Invalid null value of timestamp")),
            Val::Unset => default_ts,
            Val::Bytes(b) => i64::from_be_bytes(
                b.as_slice()
                    .try_into()
                    .map_err(|_| CqlError::invalid("Invalid timestamp value"))?,
            ),
        },
    };
    // `C*: cql3/UpdateParameters.java`: Long.MIN_VALUE means "no timestamp" internally.
    if timestamp == i64::MIN {
        return Err(CqlError::invalid(format!(
            "Out of bound timestamp, must be in [{}, {}]",
            i64::MIN + 1,
            i64::MAX
        )));
    }
    let default_ttl = plan.table.params.default_time_to_live;
    let ttl = match &plan.ttl {
        None => i64::from(default_ttl),
        Some(t) => match eval(t, &CqlType::Int, "[ttl]", bound)? {
            // `C*: cql3/Attributes.java` getTimeToLive (4.x): a null TTL, like an empty
            // one, is 0 (the write does not expire, whatever the table's default).
            Val::Null => 0,
            Val::Unset => i64::from(default_ttl),
            Val::Bytes(b) if b.is_empty() => 0,
            Val::Bytes(b) => {
                let v = i64::from(i32::from_be_bytes(
                    b.as_slice()
                        .try_into()
                        .map_err(|_| CqlError::invalid("Invalid TTL value"))?,
                ));
                if v < 0 {
                    return Err(CqlError::invalid(format!(
                        "A TTL must be greater or equal to 0, but was {v}"
                    )));
                }
                if v > MAX_TTL {
                    return Err(CqlError::invalid(format!(
                        "ttl is too large. requested ({v}) maximum ({MAX_TTL})"
                    )));
                }
                v
            }
        },
    };
    Ok(Attrs {
        timestamp,
        ttl: u32::try_from(ttl).ok().filter(|t| *t > 0),
        now,
    })
}

/// Builds the mutations of `plan` for every key it names, reading through `tx` where an
/// operation needs the current value.
pub fn build_mutations(
    plan: &ModPlan,
    tx: &WriteTxn<'_>,
    bound: &[BoundValue],
    attrs: Attrs,
) -> CqlResult<Vec<Mutation>> {
    let table = &*plan.table;
    let ck_count = table.clustering().count();
    let mut out = Vec::new();
    for pk in partition_keys(plan, bound)? {
        let mut m = Mutation::new(table.id, pk.clone());
        let clusterings = clusterings(plan, bound)?;
        if plan.kind == ModKind::Delete && plan.ops.is_empty() {
            for ck in clusterings {
                let deletion = attrs.deletion(attrs.timestamp);
                if plan.ck_lower.is_some() || plan.ck_upper.is_some() {
                    let slice = range_slice(plan, &ck, bound)?;
                    m.range_tombstones.push(RangeTombstone { slice, deletion });
                } else if plan.ck.len() == ck_count {
                    let mut row = RowUpdate::new(RowKey::Clustering(ck));
                    row.deletion = Some(deletion);
                    m.rows.push(row);
                } else if plan.ck.is_empty() {
                    m.partition_deletion = Some(deletion);
                } else {
                    m.range_tombstones.push(RangeTombstone {
                        slice: Slice::prefix(ck),
                        deletion,
                    });
                }
            }
            out.push(m);
            continue;
        }
        let targets: Vec<Vec<u8>> = if plan.static_only && plan.ck.is_empty() {
            vec![Vec::new()]
        } else {
            clusterings
        };
        for ck in targets {
            let mut regular = RowUpdate::new(RowKey::Clustering(ck.clone()));
            let mut statics = RowUpdate::new(RowKey::Static);
            if plan.kind == ModKind::Insert
                && !(plan.static_only && ck_count > 0 && plan.ck.is_empty())
            {
                regular.marker = Some(Liveness {
                    timestamp: attrs.timestamp,
                    ttl: attrs.ttl(),
                });
            }
            for op in &plan.ops {
                let col = &table.columns[op.column()];
                let target = if col.kind == ColumnKind::Static {
                    &mut statics
                } else {
                    &mut regular
                };
                let key = target.key.clone();
                apply_op(table, op, col, target, bound, attrs, &|| {
                    current_cells(tx, table, &pk, &key, col, attrs.now)
                })?;
            }
            if !regular.cells.is_empty()
                || regular.marker.is_some()
                || !regular.collection_deletions.is_empty()
            {
                m.rows.push(regular);
            }
            if !statics.cells.is_empty() || !statics.collection_deletions.is_empty() {
                m.rows.push(statics);
            }
        }
        out.push(m);
    }
    let entries = super::super::index::entries_for(table, &out)?;
    out.extend(entries);
    Ok(out)
}

/// The live cells of one column of one row, read inside the write section.
fn current_cells(
    tx: &WriteTxn<'_>,
    table: &TableMeta,
    pk: &[u8],
    key: &RowKey,
    col: &ColumnMeta,
    now: i64,
) -> CqlResult<Cells> {
    let row: Option<Row> = match key {
        RowKey::Static => {
            let spec = ReadSpec {
                static_row: true,
                limit: Some(0),
                ..table.read_spec(now)
            };
            tx.read_partition(table.id, pk, &spec)
                .map_err(store_err)?
                .static_row
        }
        RowKey::Clustering(ck) => {
            let spec = ReadSpec {
                slices: vec![Slice::prefix(ck.clone())],
                static_row: false,
                limit: Some(1),
                ..table.read_spec(now)
            };
            let mut rows = tx.read_partition(table.id, pk, &spec).map_err(store_err)?;
            rows.next()
                .transpose()
                .map_err(store_err)?
                .filter(|r| r.clustering() == ck.as_slice())
        }
    };
    Ok(row
        .map(|r| {
            r.column(col.id)
                .map(|c| CurrentCell {
                    path: c.path.clone(),
                    value: c.value.clone(),
                    timestamp: c.timestamp,
                })
                .collect()
        })
        .unwrap_or_default())
}

/// A live cell of the column an operation reads.
struct CurrentCell {
    path: Option<Vec<u8>>,
    value: Vec<u8>,
    timestamp: i64,
}

/// The live cells of a column, in cell-path order.
type Cells = Vec<CurrentCell>;

type Current<'a> = &'a dyn Fn() -> CqlResult<Cells>;

fn write_cell(
    row: &mut RowUpdate,
    col: &ColumnMeta,
    path: Option<Vec<u8>>,
    value: Vec<u8>,
    attrs: Attrs,
) {
    row.cells.push(CellUpdate {
        column: col.id,
        path,
        op: CellOp::Write {
            timestamp: attrs.timestamp,
            value,
            ttl: attrs.ttl(),
        },
    });
}

fn tombstone(row: &mut RowUpdate, col: &ColumnMeta, path: Option<Vec<u8>>, attrs: Attrs) {
    row.cells.push(CellUpdate {
        column: col.id,
        path,
        op: CellOp::Delete(attrs.deletion(attrs.timestamp)),
    });
}

fn list_key(prepend: bool) -> CqlResult<Vec<u8>> {
    let k = if prepend {
        timeuuid::prepend_key()
    } else {
        timeuuid::now()
    };
    encode_path(&k, &CqlType::Timeuuid)
}

/// Writes every element of a collection/UDT value as cells.
fn write_elements(
    row: &mut RowUpdate,
    col: &ColumnMeta,
    value: &[u8],
    attrs: Attrs,
    prepend: bool,
) -> CqlResult<()> {
    match &col.ty {
        CqlType::List(_) => {
            let items = collection::split_elements(value)?;
            let mut keyed = Vec::with_capacity(items.len());
            if prepend {
                for item in items.iter().rev() {
                    keyed.push((list_key(true)?, item.to_vec()));
                }
            } else {
                for item in &items {
                    keyed.push((list_key(false)?, item.to_vec()));
                }
            }
            for (k, v) in keyed {
                write_cell(row, col, Some(k), v, attrs);
            }
        }
        CqlType::Set(e) => {
            for item in collection::split_elements(value)? {
                write_cell(row, col, Some(encode_path(item, e)?), Vec::new(), attrs);
            }
        }
        CqlType::Map(k, _) => {
            for (key, v) in collection::split_map(value)? {
                write_cell(row, col, Some(encode_path(key, k)?), v.to_vec(), attrs);
            }
        }
        CqlType::Udt(u) => {
            for (i, f) in collection::split_fields(value)?
                .into_iter()
                .enumerate()
                .take(u.fields.len())
            {
                let path = Some(u16::try_from(i).unwrap_or(u16::MAX).to_be_bytes().to_vec());
                match f {
                    Some(v) => write_cell(row, col, path, v.to_vec(), attrs),
                    None => tombstone(row, col, path, attrs),
                }
            }
        }
        _ => write_cell(row, col, None, value.to_vec(), attrs),
    }
    Ok(())
}

fn list_index(v: &[u8]) -> CqlResult<i64> {
    let arr: [u8; 4] = v
        .try_into()
        .map_err(|_| CqlError::invalid("Invalid list index"))?;
    Ok(i64::from(i32::from_be_bytes(arr)))
}

/// The index of `l[i] = v`: `Lists.SetterByIndex.execute`
/// (`C*: src/java/org/apache/cassandra/cql3/Lists.java`) refuses a null or unset index.
fn set_list_index(idx: Val) -> CqlResult<i64> {
    match idx {
        Val::Bytes(b) => list_index(&b),
        Val::Null => Err(CqlError::invalid("Invalid null value for list index")),
        Val::Unset => Err(CqlError::invalid("Invalid unset value for list index")),
    }
}

/// The key of `m[k] = v` and `DELETE m[k]`: `Maps.SetterByKey` and `Maps.DiscarderByKey`
/// (`C*: src/java/org/apache/cassandra/cql3/Maps.java`) refuse a null or unset key.
fn map_key(key: Val) -> CqlResult<Vec<u8>> {
    match key {
        Val::Bytes(b) => Ok(b),
        Val::Null => Err(CqlError::invalid("Invalid null map key")),
        Val::Unset => Err(CqlError::invalid("Invalid unset map key")),
    }
}

fn counter_value(cells: &[CurrentCell]) -> i64 {
    cells
        .first()
        .and_then(|c| <[u8; 8]>::try_from(c.value.as_slice()).ok())
        .map_or(0, i64::from_be_bytes)
}

fn apply_op(
    table: &TableMeta,
    op: &Op,
    col: &ColumnMeta,
    row: &mut RowUpdate,
    bound: &[BoundValue],
    attrs: Attrs,
    current: Current<'_>,
) -> CqlResult<()> {
    let name = &col.name;
    let multi = col.ty.is_multi_cell();
    let _ = table;
    match op {
        Op::Set(_, t) => match eval(t, &col.ty, name, bound)? {
            Val::Unset => {}
            Val::Null if multi => row
                .collection_deletions
                .push((col.id, attrs.deletion(attrs.timestamp))),
            Val::Null => tombstone(row, col, None, attrs),
            Val::Bytes(b) if multi => {
                row.collection_deletions
                    .push((col.id, attrs.deletion(attrs.timestamp - 1)));
                write_elements(row, col, &b, attrs, false)?;
            }
            Val::Bytes(b) => write_cell(row, col, None, b, attrs),
        },
        Op::SetElement(_, k, v) => match &col.ty {
            // Lists.SetterByIndex binds the index and the value, checks the index, then the
            // list; an unset value writes nothing.
            CqlType::List(e) => {
                let idx = eval(k, &CqlType::Int, &format!("idx({name})"), bound)?;
                let value = eval(v, e, &format!("value({name})"), bound)?;
                let idx = set_list_index(idx)?;
                let cells = current()?;
                if cells.is_empty() {
                    return Err(CqlError::invalid(
                        "Attempted to set an element on a list which is null",
                    ));
                }
                let Some(CurrentCell { path, .. }) =
                    usize::try_from(idx).ok().and_then(|i| cells.get(i))
                else {
                    return Err(CqlError::invalid(format!(
                        "List index {idx} out of bound, list has size {}",
                        cells.len()
                    )));
                };
                match value {
                    Val::Bytes(b) => write_cell(row, col, path.clone(), b, attrs),
                    Val::Null => tombstone(row, col, path.clone(), attrs),
                    Val::Unset => {}
                }
            }
            // Maps.SetterByKey binds the key and the value before checking the key.
            CqlType::Map(kt, vt) => {
                let key = eval(k, kt, &format!("key({name})"), bound)?;
                let value = eval(v, vt, &format!("value({name})"), bound)?;
                let key = map_key(key)?;
                match value {
                    Val::Unset => {}
                    Val::Null => tombstone(row, col, Some(encode_path(&key, kt)?), attrs),
                    Val::Bytes(b) => write_cell(row, col, Some(encode_path(&key, kt)?), b, attrs),
                }
            }
            _ => {
                return Err(CqlError::invalid(format!(
                    "Invalid operation on column {name}"
                )));
            }
        },
        Op::SetField(_, f, v) => {
            let CqlType::Udt(u) = &col.ty else {
                return Ok(());
            };
            let path = Some(u16::try_from(*f).unwrap_or(u16::MAX).to_be_bytes().to_vec());
            match eval(v, &u.fields[*f].1, name, bound)? {
                Val::Unset => {}
                Val::Null => tombstone(row, col, path, attrs),
                Val::Bytes(b) => write_cell(row, col, path, b, attrs),
            }
        }
        Op::Add(_, t) | Op::Sub(_, t) | Op::Prepend(_, t) if matches!(col.ty, CqlType::Counter) => {
            // `C*: cql3/Constants.java` (Adder, Substracter).
            let delta = match eval(t, &CqlType::Bigint, name, bound)? {
                Val::Unset => return Ok(()),
                Val::Null => {
                    return Err(CqlError::invalid(
                        "Invalid null value for counter increment",
                    ));
                }
                Val::Bytes(b) => i64::from_be_bytes(
                    b.as_slice()
                        .try_into()
                        .map_err(|_| CqlError::invalid("Invalid counter value"))?,
                ),
            };
            let delta = match op {
                Op::Sub(..) => delta.checked_neg().ok_or_else(|| {
                    CqlError::invalid(format!(
                        "The negation of {delta} overflows supported counter precision (signed 8 bytes integer)"
                    ))
                })?,
                _ => delta,
            };
            let cells = current()?;
            let total = counter_value(&cells).wrapping_add(delta);
            // The new total replaces the value it was computed from even when both carry
            // one timestamp (two updates of a counter in one batch): Cassandra sums the
            // deltas of a batch instead (`db/partitions/PartitionUpdate.java`).
            let timestamp = cells
                .first()
                .map_or(attrs.timestamp, |c| attrs.timestamp.max(c.timestamp + 1));
            write_cell(
                row,
                col,
                None,
                total.to_be_bytes().to_vec(),
                Attrs {
                    ttl: None,
                    timestamp,
                    ..attrs
                },
            );
        }
        Op::Add(_, t) | Op::Prepend(_, t) => match eval(t, &col.ty, name, bound)? {
            Val::Unset | Val::Null => {}
            Val::Bytes(b) => write_elements(row, col, &b, attrs, matches!(op, Op::Prepend(..)))?,
        },
        Op::Sub(_, t) => {
            let ty = match &col.ty {
                CqlType::Map(k, _) => CqlType::Set(k.clone()),
                other => other.clone(),
            };
            let Val::Bytes(b) = eval(t, &ty, name, bound)? else {
                return Ok(());
            };
            match &col.ty {
                CqlType::List(e) => {
                    let remove = collection::split_elements(&b)?;
                    for CurrentCell { path, value, .. } in current()? {
                        if remove.iter().any(|r| compare(r, &value, e).is_eq()) {
                            tombstone(row, col, path, attrs);
                        }
                    }
                }
                CqlType::Set(e) | CqlType::Map(e, _) => {
                    for item in collection::split_elements(&b)? {
                        tombstone(row, col, Some(encode_path(item, e)?), attrs);
                    }
                }
                _ => {}
            }
        }
        Op::DeleteColumn(_) => {
            if multi {
                row.collection_deletions
                    .push((col.id, attrs.deletion(attrs.timestamp)));
            } else {
                tombstone(row, col, None, attrs);
            }
        }
        Op::DeleteElement(_, k) => match &col.ty {
            // Lists.DiscarderByIndex: a null index is refused, an unset one leaves the list alone.
            CqlType::List(_) => {
                let idx = match eval(k, &CqlType::Int, &format!("idx({name})"), bound)? {
                    Val::Bytes(b) => list_index(&b)?,
                    Val::Null => {
                        return Err(CqlError::invalid("Invalid null value for list index"));
                    }
                    Val::Unset => return Ok(()),
                };
                let cells = current()?;
                if cells.is_empty() {
                    return Err(CqlError::invalid(
                        "Attempted to delete an element from a list which is null",
                    ));
                }
                let Some(CurrentCell { path, .. }) =
                    usize::try_from(idx).ok().and_then(|i| cells.get(i))
                else {
                    return Err(CqlError::invalid(format!(
                        "List index {idx} out of bound, list has size {}",
                        cells.len()
                    )));
                };
                tombstone(row, col, path.clone(), attrs);
            }
            CqlType::Map(kt, _) => {
                let key = map_key(eval(k, kt, &format!("key({name})"), bound)?)?;
                tombstone(row, col, Some(encode_path(&key, kt)?), attrs);
            }
            // Sets.ElementDiscarder (`C*: src/java/org/apache/cassandra/cql3/Sets.java`): a null
            // element is refused; an unset one is not checked, so its (empty) bytes are the
            // element deleted.
            CqlType::Set(e) => match eval(k, e, name, bound)? {
                Val::Bytes(b) => tombstone(row, col, Some(encode_path(&b, e)?), attrs),
                Val::Null => return Err(CqlError::invalid("Invalid null set element")),
                Val::Unset => {
                    if let Ok(path) = encode_path(&[], e) {
                        tombstone(row, col, Some(path), attrs);
                    }
                }
            },
            _ => {}
        },
        Op::DeleteField(_, f) => {
            tombstone(
                row,
                col,
                Some(u16::try_from(*f).unwrap_or(u16::MAX).to_be_bytes().to_vec()),
                attrs,
            );
        }
    }
    Ok(())
}
