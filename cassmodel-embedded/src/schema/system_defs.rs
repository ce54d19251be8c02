//! The hard-coded system keyspaces and tables, with Cassandra 4.1's definitions
//! (`C*: schema/SchemaKeyspace.java`, `db/SystemKeyspace.java`,
//! `auth/AuthKeyspace.java`, `tracing/TraceKeyspace.java`,
//! `schema/SystemDistributedKeyspace.java`). They are never created by DDL; they are
//! listed in `system_schema` like Cassandra lists them. No name contains "scylla".

use std::collections::BTreeMap;
use std::sync::Arc;

use cassmodel_store::{ColumnId, TableId};
use md5::{Digest, Md5};
use uuid::Uuid;

use super::model::{ClusteringOrder, ColumnKind, ColumnMeta, KeyspaceMeta, TableMeta};
use super::options::TableParams;
use super::replication::Replication;
use super::typeres::{UserTypes, parse_type_string};
use crate::error::CqlResult;

/// `system`
pub const SYSTEM: &str = "system";
/// `system_schema`
pub const SYSTEM_SCHEMA: &str = "system_schema";
/// `system_auth`
pub const SYSTEM_AUTH: &str = "system_auth";
/// `system_distributed`
pub const SYSTEM_DISTRIBUTED: &str = "system_distributed";
/// `system_traces`
pub const SYSTEM_TRACES: &str = "system_traces";

/// The store table holding the catalog's private id allocations (never visible in CQL).
pub const IDS_TABLE: TableId = TableId(0);
/// The first table id given to user tables and indexes; ids below are reserved.
pub const FIRST_USER_TABLE_ID: u32 = 1024;

/// True for `system` and `system_schema`: nothing in them may be changed by users
/// (`SchemaConstants.isLocalSystemKeyspace`).
pub fn is_local_system_keyspace(name: &str) -> bool {
    matches!(
        name,
        SYSTEM | SYSTEM_SCHEMA | "system_virtual_schema" | "system_views"
    )
}

/// True for the replicated system keyspaces (`SchemaConstants.isReplicatedSystemKeyspace`).
pub fn is_replicated_system_keyspace(name: &str) -> bool {
    matches!(name, SYSTEM_AUTH | SYSTEM_DISTRIBUTED | SYSTEM_TRACES)
}

/// One table definition: name, comment, `name type` columns, partition key, clustering.
struct Def {
    name: &'static str,
    comment: &'static str,
    columns: &'static [(&'static str, &'static str)],
    pk: &'static [&'static str],
    ck: &'static [&'static str],
}

const SCHEMA_TABLES: &[Def] = &[
    Def {
        name: "keyspaces",
        comment: "keyspace definitions",
        columns: &[
            ("keyspace_name", "text"),
            ("durable_writes", "boolean"),
            ("replication", "frozen<map<text, text>>"),
        ],
        pk: &["keyspace_name"],
        ck: &[],
    },
    Def {
        name: "tables",
        comment: "table definitions",
        columns: &[
            ("keyspace_name", "text"),
            ("table_name", "text"),
            ("additional_write_policy", "text"),
            ("bloom_filter_fp_chance", "double"),
            ("caching", "frozen<map<text, text>>"),
            ("cdc", "boolean"),
            ("comment", "text"),
            ("compaction", "frozen<map<text, text>>"),
            ("compression", "frozen<map<text, text>>"),
            ("crc_check_chance", "double"),
            ("dclocal_read_repair_chance", "double"),
            ("default_time_to_live", "int"),
            ("extensions", "frozen<map<text, blob>>"),
            ("flags", "frozen<set<text>>"),
            ("gc_grace_seconds", "int"),
            ("id", "uuid"),
            ("max_index_interval", "int"),
            ("memtable", "text"),
            ("memtable_flush_period_in_ms", "int"),
            ("min_index_interval", "int"),
            ("read_repair", "text"),
            ("read_repair_chance", "double"),
            ("speculative_retry", "text"),
        ],
        pk: &["keyspace_name"],
        ck: &["table_name"],
    },
    Def {
        name: "columns",
        comment: "column definitions",
        columns: &[
            ("keyspace_name", "text"),
            ("table_name", "text"),
            ("column_name", "text"),
            ("clustering_order", "text"),
            ("column_name_bytes", "blob"),
            ("kind", "text"),
            ("position", "int"),
            ("type", "text"),
        ],
        pk: &["keyspace_name"],
        ck: &["table_name", "column_name"],
    },
    Def {
        name: "triggers",
        comment: "trigger definitions",
        columns: &[
            ("keyspace_name", "text"),
            ("table_name", "text"),
            ("trigger_name", "text"),
            ("options", "frozen<map<text, text>>"),
        ],
        pk: &["keyspace_name"],
        ck: &["table_name", "trigger_name"],
    },
    Def {
        name: "dropped_columns",
        comment: "dropped column registry",
        columns: &[
            ("keyspace_name", "text"),
            ("table_name", "text"),
            ("column_name", "text"),
            ("dropped_time", "timestamp"),
            ("kind", "text"),
            ("type", "text"),
        ],
        pk: &["keyspace_name"],
        ck: &["table_name", "column_name"],
    },
    Def {
        name: "views",
        comment: "view definitions",
        columns: &[
            ("keyspace_name", "text"),
            ("view_name", "text"),
            ("additional_write_policy", "text"),
            ("base_table_id", "uuid"),
            ("base_table_name", "text"),
            ("bloom_filter_fp_chance", "double"),
            ("caching", "frozen<map<text, text>>"),
            ("cdc", "boolean"),
            ("comment", "text"),
            ("compaction", "frozen<map<text, text>>"),
            ("compression", "frozen<map<text, text>>"),
            ("crc_check_chance", "double"),
            ("dclocal_read_repair_chance", "double"),
            ("default_time_to_live", "int"),
            ("extensions", "frozen<map<text, blob>>"),
            ("gc_grace_seconds", "int"),
            ("id", "uuid"),
            ("include_all_columns", "boolean"),
            ("max_index_interval", "int"),
            ("memtable", "text"),
            ("memtable_flush_period_in_ms", "int"),
            ("min_index_interval", "int"),
            ("read_repair", "text"),
            ("read_repair_chance", "double"),
            ("speculative_retry", "text"),
            ("where_clause", "text"),
        ],
        pk: &["keyspace_name"],
        ck: &["view_name"],
    },
    Def {
        name: "types",
        comment: "user defined type definitions",
        columns: &[
            ("keyspace_name", "text"),
            ("type_name", "text"),
            ("field_names", "frozen<list<text>>"),
            ("field_types", "frozen<list<text>>"),
        ],
        pk: &["keyspace_name"],
        ck: &["type_name"],
    },
    Def {
        name: "functions",
        comment: "user defined function definitions",
        columns: &[
            ("keyspace_name", "text"),
            ("function_name", "text"),
            ("argument_types", "frozen<list<text>>"),
            ("argument_names", "frozen<list<text>>"),
            ("body", "text"),
            ("called_on_null_input", "boolean"),
            ("language", "text"),
            ("return_type", "text"),
        ],
        pk: &["keyspace_name"],
        ck: &["function_name", "argument_types"],
    },
    Def {
        name: "aggregates",
        comment: "user defined aggregate definitions",
        columns: &[
            ("keyspace_name", "text"),
            ("aggregate_name", "text"),
            ("argument_types", "frozen<list<text>>"),
            ("final_func", "text"),
            ("initcond", "text"),
            ("return_type", "text"),
            ("state_func", "text"),
            ("state_type", "text"),
        ],
        pk: &["keyspace_name"],
        ck: &["aggregate_name", "argument_types"],
    },
    Def {
        name: "indexes",
        comment: "secondary index definitions",
        columns: &[
            ("keyspace_name", "text"),
            ("table_name", "text"),
            ("index_name", "text"),
            ("kind", "text"),
            ("options", "frozen<map<text, text>>"),
        ],
        pk: &["keyspace_name"],
        ck: &["table_name", "index_name"],
    },
];

const SYSTEM_TABLES: &[Def] = &[
    Def {
        name: "local",
        comment: "information about the local node",
        columns: &[
            ("key", "text"),
            ("bootstrapped", "text"),
            ("broadcast_address", "inet"),
            ("broadcast_port", "int"),
            ("cluster_name", "text"),
            ("cql_version", "text"),
            ("data_center", "text"),
            ("gossip_generation", "int"),
            ("host_id", "uuid"),
            ("listen_address", "inet"),
            ("listen_port", "int"),
            ("native_protocol_version", "text"),
            ("partitioner", "text"),
            ("rack", "text"),
            ("release_version", "text"),
            ("rpc_address", "inet"),
            ("rpc_port", "int"),
            ("schema_version", "uuid"),
            ("tokens", "set<text>"),
            ("truncated_at", "map<uuid, blob>"),
        ],
        pk: &["key"],
        ck: &[],
    },
    Def {
        name: "peers",
        comment: "information about known peers in the cluster",
        columns: &[
            ("peer", "inet"),
            ("data_center", "text"),
            ("host_id", "uuid"),
            ("preferred_ip", "inet"),
            ("rack", "text"),
            ("release_version", "text"),
            ("rpc_address", "inet"),
            ("schema_version", "uuid"),
            ("tokens", "set<text>"),
        ],
        pk: &["peer"],
        ck: &[],
    },
    Def {
        name: "peers_v2",
        comment: "information about known peers in the cluster",
        columns: &[
            ("peer", "inet"),
            ("peer_port", "int"),
            ("data_center", "text"),
            ("host_id", "uuid"),
            ("native_address", "inet"),
            ("native_port", "int"),
            ("preferred_ip", "inet"),
            ("preferred_port", "int"),
            ("rack", "text"),
            ("release_version", "text"),
            ("schema_version", "uuid"),
            ("tokens", "set<text>"),
        ],
        pk: &["peer"],
        ck: &["peer_port"],
    },
];

const AUTH_TABLES: &[Def] = &[
    Def {
        name: "roles",
        comment: "role definitions",
        columns: &[
            ("role", "text"),
            ("can_login", "boolean"),
            ("is_superuser", "boolean"),
            ("member_of", "set<text>"),
            ("salted_hash", "text"),
        ],
        pk: &["role"],
        ck: &[],
    },
    Def {
        name: "role_members",
        comment: "role memberships lookup table",
        columns: &[("role", "text"), ("member", "text")],
        pk: &["role"],
        ck: &["member"],
    },
    Def {
        name: "role_permissions",
        comment: "permissions granted to db roles",
        columns: &[
            ("role", "text"),
            ("resource", "text"),
            ("permissions", "set<text>"),
        ],
        pk: &["role"],
        ck: &["resource"],
    },
    Def {
        name: "resource_role_permissons_index",
        comment: "index of db roles with permissions granted on a resource",
        columns: &[("resource", "text"), ("role", "text")],
        pk: &["resource"],
        ck: &["role"],
    },
    Def {
        name: "network_permissions",
        comment: "user network permissions",
        columns: &[("role", "text"), ("dcs", "frozen<set<text>>")],
        pk: &["role"],
        ck: &[],
    },
];

const TRACES_TABLES: &[Def] = &[
    Def {
        name: "sessions",
        comment: "tracing sessions",
        columns: &[
            ("session_id", "uuid"),
            ("client", "inet"),
            ("command", "text"),
            ("coordinator", "inet"),
            ("coordinator_port", "int"),
            ("duration", "int"),
            ("parameters", "map<text, text>"),
            ("request", "text"),
            ("started_at", "timestamp"),
        ],
        pk: &["session_id"],
        ck: &[],
    },
    Def {
        name: "events",
        comment: "tracing events",
        columns: &[
            ("session_id", "uuid"),
            ("event_id", "timeuuid"),
            ("activity", "text"),
            ("source", "inet"),
            ("source_elapsed", "int"),
            ("source_port", "int"),
            ("thread", "text"),
        ],
        pk: &["session_id"],
        ck: &["event_id"],
    },
];

const DISTRIBUTED_TABLES: &[Def] = &[
    Def {
        name: "repair_history",
        comment: "Repair history",
        columns: &[
            ("keyspace_name", "text"),
            ("columnfamily_name", "text"),
            ("id", "timeuuid"),
            ("coordinator", "inet"),
            ("coordinator_port", "int"),
            ("exception_message", "text"),
            ("exception_stacktrace", "text"),
            ("finished_at", "timestamp"),
            ("parent_id", "timeuuid"),
            ("participants", "set<inet>"),
            ("participants_v2", "set<text>"),
            ("range_begin", "text"),
            ("range_end", "text"),
            ("started_at", "timestamp"),
            ("status", "text"),
        ],
        pk: &["keyspace_name", "columnfamily_name"],
        ck: &["id"],
    },
    Def {
        name: "parent_repair_history",
        comment: "Repair history",
        columns: &[
            ("parent_id", "timeuuid"),
            ("columnfamily_names", "set<text>"),
            ("exception_message", "text"),
            ("exception_stacktrace", "text"),
            ("finished_at", "timestamp"),
            ("keyspace_name", "text"),
            ("options", "map<text, text>"),
            ("requested_ranges", "set<text>"),
            ("started_at", "timestamp"),
            ("successful_ranges", "set<text>"),
        ],
        pk: &["parent_id"],
        ck: &[],
    },
    Def {
        name: "view_build_status",
        comment: "Materialized View build status",
        columns: &[
            ("keyspace_name", "text"),
            ("view_name", "text"),
            ("host_id", "uuid"),
            ("status", "text"),
        ],
        pk: &["keyspace_name", "view_name"],
        ck: &["host_id"],
    },
];

/// `TableId.forSystemTable`: `UUID.nameUUIDFromBytes(keyspace + table)` (MD5, version 3).
pub fn system_table_uuid(keyspace: &str, table: &str) -> Uuid {
    let mut h = Md5::new();
    h.update(keyspace.as_bytes());
    h.update(table.as_bytes());
    let mut b: [u8; 16] = h.finalize().into();
    b[6] = (b[6] & 0x0f) | 0x30;
    b[8] = (b[8] & 0x3f) | 0x80;
    Uuid::from_bytes(b)
}

fn build(keyspace: &str, def: &Def, id: u32) -> CqlResult<TableMeta> {
    let none = UserTypes::new();
    let mut columns = Vec::with_capacity(def.columns.len());
    for (i, (name, ty)) in def.columns.iter().enumerate() {
        let (kind, position, order) = if let Some(p) = def.pk.iter().position(|c| c == name) {
            (ColumnKind::PartitionKey, p, ClusteringOrder::None)
        } else if let Some(p) = def.ck.iter().position(|c| c == name) {
            (ColumnKind::Clustering, p, ClusteringOrder::Asc)
        } else {
            (ColumnKind::Regular, usize::MAX, ClusteringOrder::None)
        };
        columns.push(ColumnMeta {
            name: (*name).to_owned(),
            id: ColumnId(u32::try_from(i).unwrap_or(u32::MAX)),
            kind,
            position: i32::try_from(position).unwrap_or(-1),
            ty: parse_type_string(ty, &none)?,
            order,
        });
    }
    let mut params = TableParams {
        comment: def.comment.to_owned(),
        ..TableParams::default()
    };
    if keyspace == SYSTEM_SCHEMA {
        params.gc_grace_seconds = 604_800;
        params.memtable_flush_period_in_ms = 3_600_000;
    } else if keyspace == SYSTEM || keyspace == SYSTEM_TRACES {
        // SystemKeyspace and TraceKeyspace (`parse`: `.gcGraceSeconds(0)`) tables.
        params.gc_grace_seconds = 0;
    }
    let mut t = TableMeta {
        keyspace: keyspace.to_owned(),
        name: def.name.to_owned(),
        id: TableId(id),
        uuid: system_table_uuid(keyspace, def.name),
        next_column_id: u32::try_from(columns.len()).unwrap_or(u32::MAX),
        columns,
        params,
        is_counter: false,
        dropped: BTreeMap::new(),
        indexes: BTreeMap::new(),
        is_system: true,
    };
    t.sort_columns();
    Ok(t)
}

/// Builds the system keyspaces with their tables. Table ids are fixed (1, 2, ...) in the
/// order of the definitions above and never change.
pub fn system_keyspaces() -> CqlResult<Vec<KeyspaceMeta>> {
    let groups: [(&str, Replication, &[Def]); 5] = [
        (SYSTEM, Replication::Local, SYSTEM_TABLES),
        (SYSTEM_SCHEMA, Replication::Local, SCHEMA_TABLES),
        (SYSTEM_AUTH, Replication::Simple { rf: 1 }, AUTH_TABLES),
        (
            SYSTEM_DISTRIBUTED,
            Replication::Simple { rf: 3 },
            DISTRIBUTED_TABLES,
        ),
        (SYSTEM_TRACES, Replication::Simple { rf: 2 }, TRACES_TABLES),
    ];
    let mut next = 1u32;
    let mut out: Vec<KeyspaceMeta> = Vec::new();
    for (name, replication, defs) in groups {
        let mut ks = KeyspaceMeta::new(name, replication, true);
        ks.is_system = true;
        for def in defs {
            ks.tables
                .insert(def.name.to_owned(), Arc::new(build(name, def, next)?));
            next += 1;
        }
        out.push(ks);
    }
    // Tables added after the first release take the ids after every table above, so
    // existing data directories keep their ids.
    if let Some(system) = out.iter_mut().find(|k| k.name == SYSTEM) {
        for def in LATER_SYSTEM_TABLES {
            system
                .tables
                .insert(def.name.to_owned(), Arc::new(build(SYSTEM, def, next)?));
            next += 1;
        }
    }
    Ok(out)
}

/// `system` tables added later (ids after all others; new ones go at the end).
const LATER_SYSTEM_TABLES: &[Def] = &[
    Def {
        // `SystemKeyspace.BUILT_INDEXES` ("IndexInfo"): the built secondary indexes, by
        // keyspace (the column is named table_name for historical reasons).
        name: "IndexInfo",
        comment: "built column indexes",
        columns: &[
            ("table_name", "text"),
            ("index_name", "text"),
            ("value", "blob"),
        ],
        pk: &["table_name"],
        ck: &["index_name"],
    },
    Def {
        // `SystemKeyspace.LegacySizeEstimates` (deprecated since 4.0, still present in 4.1).
        // Cassandra fills it from flushed sstables only; everything here lives in what
        // Cassandra would call memtables, so it stays empty like a Cassandra before any flush.
        name: "size_estimates",
        comment: "per-table primary range size estimates, table is deprecated in favor of table_estimates",
        columns: &[
            ("keyspace_name", "text"),
            ("table_name", "text"),
            ("range_start", "text"),
            ("range_end", "text"),
            ("mean_partition_size", "bigint"),
            ("partitions_count", "bigint"),
        ],
        pk: &["keyspace_name"],
        ck: &["table_name", "range_start", "range_end"],
    },
    Def {
        // `SystemKeyspace.TableEstimates` (CASSANDRA-15637); empty for the same reason.
        name: "table_estimates",
        comment: "per-table range size estimates",
        columns: &[
            ("keyspace_name", "text"),
            ("table_name", "text"),
            ("range_type", "text"),
            ("range_start", "text"),
            ("range_end", "text"),
            ("mean_partition_size", "bigint"),
            ("partitions_count", "bigint"),
        ],
        pk: &["keyspace_name"],
        ck: &["table_name", "range_type", "range_start", "range_end"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_tables_have_cassandra_keys() {
        let all = system_keyspaces().expect("definitions parse");
        let schema = all
            .iter()
            .find(|k| k.name == SYSTEM_SCHEMA)
            .expect("system_schema");
        assert_eq!(schema.tables.len(), 10);
        let columns = schema.tables.get("columns").expect("columns");
        let pk: Vec<&str> = columns.partition_key().map(|c| c.name.as_str()).collect();
        let ck: Vec<&str> = columns.clustering().map(|c| c.name.as_str()).collect();
        assert_eq!(pk, ["keyspace_name"]);
        assert_eq!(ck, ["table_name", "column_name"]);
        for ks in &all {
            for t in ks.tables.values() {
                assert!(!t.name.contains("scylla"));
            }
        }
        let local = all[0].tables.get("local").expect("local");
        assert_eq!(
            local.column("tokens").expect("tokens").ty.to_string(),
            "set<text>"
        );
    }

    #[test]
    fn system_uuid_is_name_based() {
        let u = system_table_uuid("system_schema", "keyspaces");
        assert_eq!(u.get_version_num(), 3);
    }
}
