//! Durability of the schema: the catalog lives in the store as real `system_schema`
//! tables (and `system.local`), written atomically with each DDL, and is rebuilt from
//! them on startup. Store ids (tables, columns, indexes) are kept in a private store
//! table ([`IDS_TABLE`]) that CQL cannot see.

use std::collections::BTreeMap;
use std::sync::Arc;

use cassmodel_store::{
    ColumnId, Deletion, Liveness, Mutation, ReadSpec, Row, RowKey, RowUpdate, ScanEnd, ScanStart,
    Store, TableId,
};
use uuid::Uuid;

use super::catalog::CatalogSnapshot;
use super::codec;
use super::model::{
    ClusteringOrder, ColumnKind, ColumnMeta, DroppedColumn, IndexMeta, IndexTargetType,
    KeyspaceMeta, TableMeta,
};
use super::options::TableParams;
use super::replication::Replication;
use super::rows::{LocalNode, SysRow, SysValue, all_keyspace_rows, local_row};
use super::system_defs::{
    FIRST_USER_TABLE_ID, IDS_TABLE, SYSTEM, SYSTEM_SCHEMA, is_replicated_system_keyspace,
    system_keyspaces,
};
use super::typeres::{UserTypes, parse_type_string};
use crate::error::{CqlError, CqlResult};
use crate::exec::codec::comparable::{decode_clustering, encode_component, encode_key};
use crate::exec::codec::partition;
use crate::types::{CqlType, UserType};

/// Tables of `system_schema` rewritten per keyspace on every DDL.
const PER_KEYSPACE: &[&str] = &[
    "keyspaces",
    "tables",
    "columns",
    "dropped_columns",
    "indexes",
    "types",
];

const NEXT_ID_KEY: &[u8] = b"\0next_table_id";

fn store_err(e: impl std::fmt::Display) -> CqlError {
    CqlError::server(format!("Storage error: {e}"))
}

fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Turns a system row into a store mutation (an INSERT: row marker plus cells).
pub fn row_mutation(table: &TableMeta, row: &SysRow, timestamp: i64) -> CqlResult<Mutation> {
    let missing = |c: &str| CqlError::server(format!("system row lacks key column {c}"));
    let mut pk = Vec::new();
    for c in table.partition_key() {
        pk.push(row.get(&c.name).ok_or_else(|| missing(&c.name))?);
    }
    let pk = partition::encode(&pk)?;
    let mut ck = Vec::new();
    for c in table.clustering() {
        let v = row.get(&c.name).ok_or_else(|| missing(&c.name))?;
        encode_component(&mut ck, v, &c.ty, c.is_reversed())?;
    }
    let mut update = RowUpdate::new(RowKey::Clustering(ck)).with_marker(Liveness {
        timestamp,
        ttl: None,
    });
    for (name, value) in &row.values {
        let Some(col) = table.column(name) else {
            return Err(CqlError::server(format!(
                "system table {} has no column {name}",
                table.name
            )));
        };
        if col.kind.is_primary_key() {
            continue;
        }
        match value {
            SysValue::Cell(v) => update = update.set(col.id, timestamp, v.clone(), None),
            SysValue::Set(items) => {
                let elem = match &col.ty {
                    CqlType::Set(e) => e.as_ref(),
                    other => other,
                };
                update
                    .collection_deletions
                    .push((col.id, Deletion::new(timestamp - 1, now_seconds())));
                for item in items {
                    let mut path = Vec::new();
                    encode_key(&mut path, item, elem)?;
                    update.cells.push(cassmodel_store::CellUpdate {
                        column: col.id,
                        path: Some(path),
                        op: cassmodel_store::CellOp::Write {
                            timestamp,
                            value: Vec::new(),
                            ttl: None,
                        },
                    });
                }
            }
        }
    }
    Ok(Mutation::new(table.id, pk).row(update))
}

fn system_table<'a>(
    snap: &'a CatalogSnapshot,
    ks: &str,
    name: &str,
) -> CqlResult<&'a Arc<TableMeta>> {
    snap.table(ks, name)
        .ok_or_else(|| CqlError::server(format!("missing system table {ks}.{name}")))
}

fn ids_mutation(ks_name: &str, ks: Option<&KeyspaceMeta>, timestamp: i64) -> Mutation {
    let mut m = Mutation::new(IDS_TABLE, ks_name.as_bytes().to_vec());
    m.partition_deletion = Some(Deletion::new(timestamp - 1, now_seconds()));
    if let Some(ks) = ks {
        for t in ks.tables.values() {
            let columns: BTreeMap<String, String> = t
                .columns
                .iter()
                .map(|c| (c.name.clone(), c.id.0.to_string()))
                .collect();
            let dropped: BTreeMap<String, String> = t
                .dropped
                .values()
                .filter_map(|d| d.id.map(|id| (d.name.clone(), id.0.to_string())))
                .collect();
            let indexes: BTreeMap<String, String> = t
                .indexes
                .values()
                .map(|i| (i.name.clone(), i.id.0.to_string()))
                .collect();
            let row = RowUpdate::new(RowKey::Clustering(t.name.as_bytes().to_vec()))
                .with_marker(Liveness {
                    timestamp,
                    ttl: None,
                })
                .set(ColumnId(0), timestamp, t.id.0.to_be_bytes().to_vec(), None)
                .set(
                    ColumnId(1),
                    timestamp,
                    t.next_column_id.to_be_bytes().to_vec(),
                    None,
                )
                .set(ColumnId(2), timestamp, codec::text_map(&columns), None)
                .set(ColumnId(3), timestamp, codec::text_map(&indexes), None)
                .set(ColumnId(4), timestamp, codec::text_map(&dropped), None);
            m = m.row(row);
        }
    }
    m
}

/// The mutations that make the stored schema of keyspace `name` match `ks` (`None` when
/// it was dropped): its `system_schema` partitions are deleted and rewritten.
pub fn keyspace_mutations(
    snap: &CatalogSnapshot,
    name: &str,
    ks: Option<&KeyspaceMeta>,
    timestamp: i64,
) -> CqlResult<Vec<Mutation>> {
    let mut out = Vec::new();
    let mut by_table: BTreeMap<&str, Mutation> = BTreeMap::new();
    for t in PER_KEYSPACE {
        let table = system_table(snap, SYSTEM_SCHEMA, t)?;
        let mut m = Mutation::new(table.id, name.as_bytes().to_vec());
        m.partition_deletion = Some(Deletion::new(timestamp - 1, now_seconds()));
        by_table.insert(t, m);
    }
    // system."IndexInfo" is partitioned by keyspace name too: rewritten with the rest.
    let info = system_table(snap, SYSTEM, "IndexInfo")?;
    let mut m = Mutation::new(info.id, name.as_bytes().to_vec());
    m.partition_deletion = Some(Deletion::new(timestamp - 1, now_seconds()));
    by_table.insert("IndexInfo", m);
    if let Some(ks) = ks {
        for row in all_keyspace_rows(ks) {
            let table = system_table(snap, row.keyspace, row.table)?;
            let rm = row_mutation(table, &row, timestamp)?;
            if let Some(m) = by_table.get_mut(row.table) {
                m.rows.extend(rm.rows);
            }
        }
    }
    out.extend(by_table.into_values());
    out.push(ids_mutation(name, ks, timestamp));
    Ok(out)
}

/// The mutation recording the next free table id.
pub fn next_id_mutation(next: u32, timestamp: i64) -> Mutation {
    Mutation::new(IDS_TABLE, NEXT_ID_KEY.to_vec()).row(
        RowUpdate::new(RowKey::Clustering(b"n".to_vec()))
            .with_marker(Liveness {
                timestamp,
                ttl: None,
            })
            .set(ColumnId(0), timestamp, next.to_be_bytes().to_vec(), None),
    )
}

/// The mutation writing the `system.local` row.
pub fn local_mutation(
    snap: &CatalogSnapshot,
    node: &LocalNode,
    timestamp: i64,
) -> CqlResult<Mutation> {
    let table = system_table(snap, SYSTEM, "local")?;
    row_mutation(table, &local_row(node, snap.schema_version), timestamp)
}

/// Reads every live row of one partition.
fn read_rows(store: &Store, table: TableId, pk: &[u8]) -> CqlResult<Vec<Row>> {
    let rows = store
        .read_partition(table, pk, &ReadSpec::all(now_seconds()))
        .map_err(store_err)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(store_err)
}

/// A stored row decoded by column name (single-cell columns only, plus clustering keys).
struct Decoded(BTreeMap<String, Vec<u8>>);

impl Decoded {
    fn new(table: &TableMeta, row: &Row) -> CqlResult<Decoded> {
        let mut m = BTreeMap::new();
        let ck: Vec<&ColumnMeta> = table.clustering().collect();
        let types: Vec<(&CqlType, bool)> = ck.iter().map(|c| (&c.ty, c.is_reversed())).collect();
        let values = decode_clustering(row.clustering(), &types)?;
        for (c, v) in ck.iter().zip(values) {
            m.insert(c.name.clone(), v);
        }
        for cell in &row.cells {
            if cell.path.is_none()
                && let Some(c) = table.column_by_id(cell.column)
            {
                m.insert(c.name.clone(), cell.value.clone());
            }
        }
        Ok(Decoded(m))
    }

    fn bytes(&self, name: &str) -> CqlResult<&[u8]> {
        self.0
            .get(name)
            .map(Vec::as_slice)
            .ok_or_else(|| CqlError::server(format!("stored schema row lacks {name}")))
    }

    fn text(&self, name: &str) -> CqlResult<String> {
        codec::read_text(self.bytes(name)?)
    }

    fn int(&self, name: &str) -> CqlResult<i32> {
        codec::read_int(self.bytes(name)?)
    }

    fn double(&self, name: &str) -> CqlResult<f64> {
        codec::read_double(self.bytes(name)?)
    }

    fn boolean(&self, name: &str) -> CqlResult<bool> {
        codec::read_bool(self.bytes(name)?)
    }

    fn text_map(&self, name: &str) -> CqlResult<BTreeMap<String, String>> {
        codec::read_text_map(self.bytes(name)?)
    }
}

fn decoded_rows(store: &Store, table: &TableMeta, pk: &[u8]) -> CqlResult<Vec<Decoded>> {
    read_rows(store, table.id, pk)?
        .iter()
        .map(|r| Decoded::new(table, r))
        .collect()
}

/// Rebuilds the catalog from the store: the hard-coded system keyspaces plus every user
/// keyspace found in `system_schema`. A fresh store gives just the system keyspaces.
pub fn load(store: &Store) -> CqlResult<CatalogSnapshot> {
    let mut keyspaces = BTreeMap::new();
    for ks in system_keyspaces()? {
        keyspaces.insert(ks.name.clone(), Arc::new(ks));
    }
    let mut snap = CatalogSnapshot {
        keyspaces,
        schema_version: Uuid::new_v4(),
        next_table_id: FIRST_USER_TABLE_ID,
        schema_timestamp: 0,
    };
    let ks_table = system_table(&snap, SYSTEM_SCHEMA, "keyspaces")?.clone();
    let mut names = Vec::new();
    for pk in store.scan_partitions(ks_table.id, &ScanStart::Beginning, &ScanEnd::Unbounded) {
        names.push(pk.map_err(store_err)?.key);
    }
    let mut loaded = Vec::new();
    let mut altered_system = Vec::new();
    for pk in names {
        for row in decoded_rows(store, &ks_table, &pk)? {
            let name = codec::read_text(&pk)?;
            let replication = Replication::from_stored(&row.text_map("replication")?);
            if let Some(system) = snap.keyspaces.get(&name).filter(|k| k.is_system) {
                // Only the replicated system keyspaces may have been altered by users.
                if is_replicated_system_keyspace(&name) {
                    let mut ks = KeyspaceMeta::clone(system);
                    ks.replication = replication;
                    ks.durable_writes = row.boolean("durable_writes")?;
                    altered_system.push(ks);
                }
                continue;
            }
            let ks = KeyspaceMeta::new(&name, replication, row.boolean("durable_writes")?);
            loaded.push(load_keyspace(store, &snap, ks)?);
        }
    }
    for ks in loaded.into_iter().chain(altered_system) {
        snap.keyspaces.insert(ks.name.clone(), Arc::new(ks));
    }
    let next = read_rows(store, IDS_TABLE, NEXT_ID_KEY)?
        .first()
        .and_then(|r| r.cells.first())
        .and_then(|c| <[u8; 4]>::try_from(c.value.as_slice()).ok())
        .map_or(FIRST_USER_TABLE_ID, u32::from_be_bytes);
    snap.next_table_id = next.max(FIRST_USER_TABLE_ID);
    Ok(snap)
}

fn load_types(store: &Store, snap: &CatalogSnapshot, ks: &str) -> CqlResult<UserTypes> {
    let table = system_table(snap, SYSTEM_SCHEMA, "types")?;
    let mut pending: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for row in decoded_rows(store, table, ks.as_bytes())? {
        pending.push((
            row.text("type_name")?,
            codec::read_text_list(row.bytes("field_names")?)?,
            codec::read_text_list(row.bytes("field_types")?)?,
        ));
    }
    // Types may refer to each other: resolve in dependency order.
    let mut types = UserTypes::new();
    while !pending.is_empty() {
        let before = pending.len();
        let mut rest = Vec::new();
        for (name, names, tys) in pending {
            let resolved: CqlResult<Vec<CqlType>> =
                tys.iter().map(|t| parse_type_string(t, &types)).collect();
            match resolved {
                Ok(fields) => {
                    types.insert(
                        name.clone(),
                        Arc::new(UserType {
                            keyspace: ks.to_owned(),
                            name,
                            fields: names.into_iter().zip(fields).collect(),
                        }),
                    );
                }
                Err(_) => rest.push((name, names, tys)),
            }
        }
        if rest.len() == before {
            return Err(CqlError::server(format!(
                "Cannot resolve stored user types of keyspace {ks}"
            )));
        }
        pending = rest;
    }
    Ok(types)
}

struct Ids {
    table: u32,
    next_column: u32,
    columns: BTreeMap<String, String>,
    indexes: BTreeMap<String, String>,
    /// Store ids of dropped columns (absent in catalogs written before they were kept).
    dropped: BTreeMap<String, String>,
}

fn load_ids(store: &Store, ks: &str) -> CqlResult<BTreeMap<String, Ids>> {
    let mut out = BTreeMap::new();
    for row in read_rows(store, IDS_TABLE, ks.as_bytes())? {
        let cell = |i: u32| {
            row.cells
                .iter()
                .find(|c| c.column == ColumnId(i))
                .map(|c| c.value.as_slice())
                .ok_or_else(|| CqlError::server("corrupted table ids"))
        };
        let u32_of = |b: &[u8]| {
            <[u8; 4]>::try_from(b)
                .map(u32::from_be_bytes)
                .map_err(|_| CqlError::server("corrupted table ids"))
        };
        out.insert(
            String::from_utf8_lossy(row.clustering()).into_owned(),
            Ids {
                table: u32_of(cell(0)?)?,
                next_column: u32_of(cell(1)?)?,
                columns: codec::read_text_map(cell(2)?)?,
                indexes: codec::read_text_map(cell(3)?)?,
                dropped: match cell(4) {
                    Ok(b) => codec::read_text_map(b)?,
                    Err(_) => BTreeMap::new(),
                },
            },
        );
    }
    Ok(out)
}

fn parse_id(m: &BTreeMap<String, String>, name: &str) -> CqlResult<u32> {
    m.get(name)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| CqlError::server(format!("no stored id for {name}")))
}

fn load_keyspace(
    store: &Store,
    snap: &CatalogSnapshot,
    mut ks: KeyspaceMeta,
) -> CqlResult<KeyspaceMeta> {
    let name = ks.name.clone();
    let pk = name.as_bytes();
    ks.types = load_types(store, snap, &name)?;
    let ids = load_ids(store, &name)?;
    let mut tables: BTreeMap<String, TableMeta> = BTreeMap::new();
    for row in decoded_rows(store, system_table(snap, SYSTEM_SCHEMA, "tables")?, pk)? {
        let tname = row.text("table_name")?;
        let id = ids
            .get(&tname)
            .ok_or_else(|| CqlError::server(format!("no stored id for table {tname}")))?;
        let flags = codec::read_text_list(row.bytes("flags")?)?;
        let params = TableParams {
            bloom_filter_fp_chance: row.double("bloom_filter_fp_chance")?,
            caching: row.text_map("caching")?,
            comment: row.text("comment")?,
            compaction: row.text_map("compaction")?,
            compression: row.text_map("compression")?,
            memtable: row.text("memtable")?,
            crc_check_chance: row.double("crc_check_chance")?,
            default_time_to_live: row.int("default_time_to_live")?,
            extensions: BTreeMap::new(),
            gc_grace_seconds: row.int("gc_grace_seconds")?,
            max_index_interval: row.int("max_index_interval")?,
            memtable_flush_period_in_ms: row.int("memtable_flush_period_in_ms")?,
            min_index_interval: row.int("min_index_interval")?,
            read_repair: row.text("read_repair")?,
            speculative_retry: row.text("speculative_retry")?,
            additional_write_policy: row.text("additional_write_policy")?,
            cdc: row.boolean("cdc")?,
        };
        tables.insert(
            tname.clone(),
            TableMeta {
                keyspace: name.clone(),
                name: tname,
                id: TableId(id.table),
                uuid: codec::read_uuid(row.bytes("id")?)?,
                columns: Vec::new(),
                params,
                is_counter: flags.iter().any(|f| f == "counter"),
                dropped: BTreeMap::new(),
                indexes: BTreeMap::new(),
                next_column_id: id.next_column,
                is_system: false,
            },
        );
    }
    for row in decoded_rows(store, system_table(snap, SYSTEM_SCHEMA, "columns")?, pk)? {
        let tname = row.text("table_name")?;
        let Some(t) = tables.get_mut(&tname) else {
            continue;
        };
        let cname = row.text("column_name")?;
        let kind = ColumnKind::parse(&row.text("kind")?)
            .ok_or_else(|| CqlError::server("corrupted column kind"))?;
        let idmap = &ids.get(&tname).map(|i| &i.columns);
        let cid = parse_id(idmap.unwrap_or(&BTreeMap::new()), &cname)?;
        t.columns.push(ColumnMeta {
            ty: parse_type_string(&row.text("type")?, &ks.types)?,
            name: cname,
            id: ColumnId(cid),
            kind,
            position: row.int("position")?,
            order: ClusteringOrder::parse(&row.text("clustering_order")?),
        });
    }
    for row in decoded_rows(
        store,
        system_table(snap, SYSTEM_SCHEMA, "dropped_columns")?,
        pk,
    )? {
        let Some(t) = tables.get_mut(&row.text("table_name")?) else {
            continue;
        };
        let cname = row.text("column_name")?;
        t.dropped.insert(
            cname.clone(),
            DroppedColumn {
                ty: parse_type_string(&row.text("type")?, &ks.types).unwrap_or(CqlType::Blob),
                kind: ColumnKind::parse(&row.text("kind")?).unwrap_or(ColumnKind::Regular),
                dropped_time: codec::read_timestamp(row.bytes("dropped_time")?)? * 1000,
                id: ids
                    .get(&row.text("table_name")?)
                    .and_then(|i| i.dropped.get(&cname))
                    .and_then(|v| v.parse().ok())
                    .map(ColumnId),
                name: cname,
            },
        );
    }
    for row in decoded_rows(store, system_table(snap, SYSTEM_SCHEMA, "indexes")?, pk)? {
        let tname = row.text("table_name")?;
        let Some(t) = tables.get_mut(&tname) else {
            continue;
        };
        let iname = row.text("index_name")?;
        let target = row
            .text_map("options")?
            .remove("target")
            .ok_or_else(|| CqlError::server("index without target"))?;
        let (kind, column) = parse_target(&target);
        let idmap = ids
            .get(&tname)
            .map(|i| i.indexes.clone())
            .unwrap_or_default();
        t.indexes.insert(
            iname.clone(),
            IndexMeta {
                id: TableId(parse_id(&idmap, &iname)?),
                name: iname,
                column,
                target: kind,
            },
        );
    }
    for (n, mut t) in tables {
        t.sort_columns();
        ks.tables.insert(n, Arc::new(t));
    }
    Ok(ks)
}

/// Parses an index `target` option: `c`, `"C"`, `keys(c)`, `values(c)`...
fn parse_target(target: &str) -> (IndexTargetType, String) {
    let unquote = |s: &str| {
        if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
            s[1..s.len() - 1].replace("\"\"", "\"")
        } else {
            s.to_owned()
        }
    };
    for (prefix, kind) in [
        ("keys(", IndexTargetType::Keys),
        ("values(", IndexTargetType::Values),
        ("entries(", IndexTargetType::Entries),
        ("full(", IndexTargetType::Full),
    ] {
        if let Some(rest) = target.strip_prefix(prefix)
            && let Some(inner) = rest.strip_suffix(')')
        {
            return (kind, unquote(inner));
        }
    }
    (IndexTargetType::Simple, unquote(target))
}

/// Reads the stored `host_id` from `system.local`, if the node has started before, and
/// the timestamp of the last schema write (every DDL rewrites that row), so later schema
/// writes sort after it even if the clock went back.
pub fn stored_local(store: &Store, snap: &CatalogSnapshot) -> CqlResult<(Option<Uuid>, i64)> {
    let table = system_table(snap, SYSTEM, "local")?;
    let rows = read_rows(store, table.id, b"local")?;
    let Some(row) = rows.first() else {
        return Ok((None, 0));
    };
    let last = row.cells.iter().map(|c| c.timestamp).max().unwrap_or(0);
    let decoded = Decoded::new(table, row)?;
    let host = match decoded.0.get("host_id") {
        Some(b) => Some(codec::read_uuid(b)?),
        None => None,
    };
    Ok((host, last))
}
