//! The rows of the system tables that describe the schema (`system_schema.*`) and the
//! local node (`system.local`), as `SchemaKeyspace.java` and `SystemKeyspace.java` in
//! Cassandra 4.1 write them. Values are in native-protocol serialization; the writer in
//! [`super::persist`] turns key columns into store keys.

use std::collections::BTreeMap;
use std::net::IpAddr;

use uuid::Uuid;

use super::codec;
use super::model::{KeyspaceMeta, TableMeta};
use super::options::TableParams;
use crate::types::UserType;

/// A cell value of a system row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SysValue {
    /// A single-cell value (native-protocol serialized).
    Cell(Vec<u8>),
    /// The serialized elements of a non-frozen set (one cell each).
    Set(Vec<Vec<u8>>),
}

/// One row of a system table: every column it sets, key columns included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SysRow {
    /// The system table (in `system` or `system_schema`).
    pub keyspace: &'static str,
    /// Table name.
    pub table: &'static str,
    /// Column values by name.
    pub values: BTreeMap<&'static str, SysValue>,
}

impl SysRow {
    fn new(keyspace: &'static str, table: &'static str) -> SysRow {
        SysRow {
            keyspace,
            table,
            values: BTreeMap::new(),
        }
    }

    fn set(mut self, column: &'static str, value: Vec<u8>) -> SysRow {
        self.values.insert(column, SysValue::Cell(value));
        self
    }

    /// The serialized value of a single-cell column.
    pub fn get(&self, column: &str) -> Option<&[u8]> {
        match self.values.get(column) {
            Some(SysValue::Cell(v)) => Some(v),
            _ => None,
        }
    }
}

const SS: &str = "system_schema";

/// The `system_schema.keyspaces` row of a keyspace.
pub fn keyspace_row(ks: &KeyspaceMeta) -> SysRow {
    SysRow::new(SS, "keyspaces")
        .set("keyspace_name", codec::text(&ks.name))
        .set("durable_writes", codec::boolean(ks.durable_writes))
        .set("replication", codec::text_map(&ks.replication.to_map()))
}

fn params_row(mut row: SysRow, p: &TableParams) -> SysRow {
    row = row
        .set(
            "additional_write_policy",
            codec::text(&p.additional_write_policy),
        )
        .set(
            "bloom_filter_fp_chance",
            codec::double(p.bloom_filter_fp_chance),
        )
        .set("caching", codec::text_map(&p.caching))
        .set("cdc", codec::boolean(p.cdc))
        .set("comment", codec::text(&p.comment))
        .set("compaction", codec::text_map(&p.compaction))
        .set("compression", codec::text_map(&p.compression))
        .set("crc_check_chance", codec::double(p.crc_check_chance))
        .set("dclocal_read_repair_chance", codec::double(0.0))
        .set("default_time_to_live", codec::int(p.default_time_to_live))
        .set("extensions", codec::blob_map(&p.extensions))
        .set("gc_grace_seconds", codec::int(p.gc_grace_seconds))
        .set("max_index_interval", codec::int(p.max_index_interval))
        .set("memtable", codec::text(&p.memtable))
        .set(
            "memtable_flush_period_in_ms",
            codec::int(p.memtable_flush_period_in_ms),
        )
        .set("min_index_interval", codec::int(p.min_index_interval))
        .set("read_repair", codec::text(&p.read_repair))
        .set("read_repair_chance", codec::double(0.0))
        .set("speculative_retry", codec::text(&p.speculative_retry));
    row
}

/// The `system_schema.tables` row of a table.
pub fn table_row(t: &TableMeta) -> SysRow {
    let mut flags = vec!["compound"];
    if t.is_counter {
        flags.push("counter");
    }
    let row = SysRow::new(SS, "tables")
        .set("keyspace_name", codec::text(&t.keyspace))
        .set("table_name", codec::text(&t.name))
        .set("flags", codec::text_list(flags))
        .set("id", codec::uuid(t.uuid));
    params_row(row, &t.params)
}

/// The `system_schema.columns` rows of a table.
pub fn column_rows(t: &TableMeta) -> Vec<SysRow> {
    t.columns
        .iter()
        .map(|c| {
            SysRow::new(SS, "columns")
                .set("keyspace_name", codec::text(&t.keyspace))
                .set("table_name", codec::text(&t.name))
                .set("column_name", codec::text(&c.name))
                .set("clustering_order", codec::text(c.order.as_str()))
                .set("column_name_bytes", c.name.as_bytes().to_vec())
                .set("kind", codec::text(c.kind.as_str()))
                .set("position", codec::int(c.position))
                .set("type", codec::text(&c.ty.to_string()))
        })
        .collect()
}

/// The `system_schema.dropped_columns` rows of a table.
pub fn dropped_rows(t: &TableMeta) -> Vec<SysRow> {
    t.dropped
        .values()
        .map(|d| {
            SysRow::new(SS, "dropped_columns")
                .set("keyspace_name", codec::text(&t.keyspace))
                .set("table_name", codec::text(&t.name))
                .set("column_name", codec::text(&d.name))
                .set(
                    "dropped_time",
                    codec::timestamp(d.dropped_time.div_euclid(1000)),
                )
                .set("kind", codec::text(d.kind.as_str()))
                .set("type", codec::text(&d.ty.to_string()))
        })
        .collect()
}

/// The `system_schema.indexes` rows of a table.
pub fn index_rows(t: &TableMeta) -> Vec<SysRow> {
    t.indexes
        .values()
        .map(|i| {
            let mut options = BTreeMap::new();
            options.insert("target".to_owned(), i.target_string());
            SysRow::new(SS, "indexes")
                .set("keyspace_name", codec::text(&t.keyspace))
                .set("table_name", codec::text(&t.name))
                .set("index_name", codec::text(&i.name))
                .set("kind", codec::text("COMPOSITES"))
                .set("options", codec::text_map(&options))
        })
        .collect()
}

/// The `system."IndexInfo"` rows of a table: every index is built when CREATE INDEX
/// returns (the backfill is synchronous).
pub fn index_info_rows(t: &TableMeta) -> Vec<SysRow> {
    t.indexes
        .values()
        .map(|i| {
            SysRow::new("system", "IndexInfo")
                .set("table_name", codec::text(&t.keyspace))
                .set("index_name", codec::text(&i.name))
        })
        .collect()
}

/// The `system_schema.types` row of a user type.
pub fn type_row(u: &UserType) -> SysRow {
    let types: Vec<String> = u.fields.iter().map(|(_, t)| t.to_string()).collect();
    SysRow::new(SS, "types")
        .set("keyspace_name", codec::text(&u.keyspace))
        .set("type_name", codec::text(&u.name))
        .set(
            "field_names",
            codec::text_list(u.fields.iter().map(|(n, _)| n.as_str())),
        )
        .set(
            "field_types",
            codec::text_list(types.iter().map(String::as_str)),
        )
}

/// Every `system_schema` row describing one table (tables, columns, dropped columns,
/// indexes).
pub fn all_table_rows(t: &TableMeta) -> Vec<SysRow> {
    let mut rows = vec![table_row(t)];
    rows.extend(column_rows(t));
    rows.extend(dropped_rows(t));
    rows.extend(index_rows(t));
    rows.extend(index_info_rows(t));
    rows
}

/// Every `system_schema` row describing one keyspace and all it contains.
pub fn all_keyspace_rows(ks: &KeyspaceMeta) -> Vec<SysRow> {
    let mut rows = vec![keyspace_row(ks)];
    for u in ks.types.values() {
        rows.push(type_row(u));
    }
    for t in ks.tables.values() {
        rows.extend(all_table_rows(t));
    }
    rows
}

/// What `system.local` says about this node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalNode {
    /// cluster_name ('Test Cluster' by default).
    pub cluster_name: String,
    /// host_id, stable across restarts.
    pub host_id: Uuid,
    /// The address clients reach the node at (never 0.0.0.0).
    pub rpc_address: IpAddr,
    /// The native-protocol port.
    pub rpc_port: u16,
    /// The node's single token.
    pub token: i64,
}

/// Cassandra version reported in `system.local`.
pub const RELEASE_VERSION: &str = "4.1.5";
/// CQL version reported in `system.local`: 4.1's `QueryProcessor.CQL_VERSION` is 3.4.6
/// (the CQL changes of 4.1: IF EXISTS on ALTER, casts in WHERE, CONTAINS in conditions...),
/// which cqlsh shows as "CQL spec 3.4.6"; 3.4.5 was Cassandra 4.0's.
pub const CQL_VERSION: &str = crate::protocol::response::CQL_VERSION;

/// The single `system.local` row (key = 'local').
pub fn local_row(node: &LocalNode, schema_version: Uuid) -> SysRow {
    let mut row = SysRow::new("system", "local")
        .set("key", codec::text("local"))
        .set("bootstrapped", codec::text("COMPLETED"))
        .set("broadcast_address", codec::inet(node.rpc_address))
        .set("broadcast_port", codec::int(7000))
        .set("cluster_name", codec::text(&node.cluster_name))
        .set("cql_version", codec::text(CQL_VERSION))
        .set("data_center", codec::text(super::replication::LOCAL_DC))
        .set("gossip_generation", codec::int(1))
        .set("host_id", codec::uuid(node.host_id))
        .set("listen_address", codec::inet(node.rpc_address))
        .set("listen_port", codec::int(7000))
        .set("native_protocol_version", codec::text("4"))
        .set(
            "partitioner",
            codec::text("org.apache.cassandra.dht.Murmur3Partitioner"),
        )
        .set("rack", codec::text("rack1"))
        .set("release_version", codec::text(RELEASE_VERSION))
        .set("rpc_address", codec::inet(node.rpc_address))
        .set("rpc_port", codec::int(i32::from(node.rpc_port)))
        .set("schema_version", codec::uuid(schema_version));
    row.values.insert(
        "tokens",
        SysValue::Set(vec![codec::text(&node.token.to_string())]),
    );
    row
}
