//! The catalog's data model: keyspaces, tables, columns, dropped columns, secondary
//! indexes and user types, as Cassandra's `schema/{KeyspaceMetadata,TableMetadata,
//! ColumnMetadata,IndexMetadata}.java` describe them.

use std::collections::BTreeMap;
use std::sync::Arc;

use cassmodel_store::{ColumnId, ReadSpec, TableId};
use uuid::Uuid;

use super::options::TableParams;
use super::replication::Replication;
use crate::types::{CqlType, UserType};

/// The role of a column in its table (`system_schema.columns.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ColumnKind {
    /// Part of the partition key.
    PartitionKey,
    /// A clustering column.
    Clustering,
    /// A static column (one value per partition).
    Static,
    /// A regular column.
    Regular,
}

impl ColumnKind {
    /// The name stored in `system_schema.columns.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKind::PartitionKey => "partition_key",
            ColumnKind::Clustering => "clustering",
            ColumnKind::Static => "static",
            ColumnKind::Regular => "regular",
        }
    }

    /// Parses a stored kind.
    pub fn parse(s: &str) -> Option<ColumnKind> {
        Some(match s {
            "partition_key" => ColumnKind::PartitionKey,
            "clustering" => ColumnKind::Clustering,
            "static" => ColumnKind::Static,
            "regular" => ColumnKind::Regular,
            _ => return None,
        })
    }

    /// True for partition-key and clustering columns.
    pub fn is_primary_key(self) -> bool {
        matches!(self, ColumnKind::PartitionKey | ColumnKind::Clustering)
    }
}

/// `system_schema.columns.clustering_order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClusteringOrder {
    /// Ascending clustering column.
    Asc,
    /// Descending clustering column.
    Desc,
    /// Not a clustering column.
    None,
}

impl ClusteringOrder {
    /// The stored name: `asc`, `desc` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClusteringOrder::Asc => "asc",
            ClusteringOrder::Desc => "desc",
            ClusteringOrder::None => "none",
        }
    }

    /// Parses a stored order.
    pub fn parse(s: &str) -> ClusteringOrder {
        match s {
            "asc" => ClusteringOrder::Asc,
            "desc" => ClusteringOrder::Desc,
            _ => ClusteringOrder::None,
        }
    }
}

/// A column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMeta {
    /// Name (case preserved when quoted at creation).
    pub name: String,
    /// Stable id in the store (never reused within the table).
    pub id: ColumnId,
    /// Role.
    pub kind: ColumnKind,
    /// Position among the partition-key or clustering columns; -1 otherwise.
    pub position: i32,
    /// Type (for a DESC clustering column, the type itself, not reversed).
    pub ty: CqlType,
    /// Clustering order (`None` for non-clustering columns).
    pub order: ClusteringOrder,
}

impl ColumnMeta {
    /// True for DESC clustering columns.
    pub fn is_reversed(&self) -> bool {
        self.order == ClusteringOrder::Desc
    }
}

/// A column dropped by ALTER TABLE DROP (`system_schema.dropped_columns`): its data
/// written at or before `dropped_time` stays hidden if the name is re-added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedColumn {
    /// Name.
    pub name: String,
    /// Type at drop time.
    pub ty: CqlType,
    /// Kind at drop time (regular or static).
    pub kind: ColumnKind,
    /// Drop timestamp in microseconds.
    pub dropped_time: i64,
    /// The store id its cells were written under, reused if the name is re-added
    /// (`None` for drops recorded before ids were kept: their cells stay hidden).
    pub id: Option<ColumnId>,
}

/// What a secondary index indexes (`C*: cql3/statements/schema/IndexTarget.java`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexTargetType {
    /// The column's value (non-collection columns).
    Simple,
    /// The values of a collection.
    Values,
    /// The keys of a map.
    Keys,
    /// The entries of a map.
    Entries,
    /// A whole frozen collection.
    Full,
}

impl IndexTargetType {
    /// The function name used in messages and in the `target` option (`""` for simple).
    pub fn as_str(self) -> &'static str {
        match self {
            IndexTargetType::Simple => "",
            IndexTargetType::Values => "values",
            IndexTargetType::Keys => "keys",
            IndexTargetType::Entries => "entries",
            IndexTargetType::Full => "full",
        }
    }
}

/// A secondary index (`system_schema.indexes`, kind COMPOSITES).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexMeta {
    /// Index name, unique in the keyspace.
    pub name: String,
    /// The indexed column.
    pub column: String,
    /// What is indexed.
    pub target: IndexTargetType,
    /// The store table holding the index entries.
    pub id: TableId,
}

impl IndexMeta {
    /// The `target` option as Cassandra stores it: `c`, `keys(c)`, `values(c)`...
    pub fn target_string(&self) -> String {
        let col = super::quote_ident(&self.column);
        match self.target {
            IndexTargetType::Simple => col,
            t => format!("{}({col})", t.as_str()),
        }
    }
}

/// A table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableMeta {
    /// Keyspace name.
    pub keyspace: String,
    /// Table name.
    pub name: String,
    /// Store id.
    pub id: TableId,
    /// The `id` shown in `system_schema.tables`.
    pub uuid: Uuid,
    /// Columns in `SELECT *` order: partition key, clustering (both by position), then
    /// static and regular columns each sorted by name.
    pub columns: Vec<ColumnMeta>,
    /// Table options.
    pub params: TableParams,
    /// True when the table's non-key columns are counters.
    pub is_counter: bool,
    /// Dropped columns by name.
    pub dropped: BTreeMap<String, DroppedColumn>,
    /// Secondary indexes by name.
    pub indexes: BTreeMap<String, IndexMeta>,
    /// The next column id to assign.
    pub next_column_id: u32,
    /// True for the hard-coded system tables (read-only for users).
    pub is_system: bool,
}

impl TableMeta {
    /// Looks a column up by name.
    pub fn column(&self, name: &str) -> Option<&ColumnMeta> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// A read of this table at `now` (seconds) that ignores the cells of dropped columns
    /// written at or before their drop (`C*: db/rows/BTreeRow.java`, `filter`).
    pub fn read_spec(&self, now: i64) -> ReadSpec {
        ReadSpec {
            dropped: self
                .dropped
                .values()
                .filter_map(|d| d.id.map(|id| (id, d.dropped_time)))
                .collect(),
            ..ReadSpec::all(now)
        }
    }

    /// Looks a column up by id.
    pub fn column_by_id(&self, id: ColumnId) -> Option<&ColumnMeta> {
        self.columns.iter().find(|c| c.id == id)
    }

    /// Partition-key columns in order.
    pub fn partition_key(&self) -> impl Iterator<Item = &ColumnMeta> {
        self.columns
            .iter()
            .filter(|c| c.kind == ColumnKind::PartitionKey)
    }

    /// Clustering columns in order.
    pub fn clustering(&self) -> impl Iterator<Item = &ColumnMeta> {
        self.columns
            .iter()
            .filter(|c| c.kind == ColumnKind::Clustering)
    }

    /// Static columns sorted by name.
    pub fn statics(&self) -> impl Iterator<Item = &ColumnMeta> {
        self.columns.iter().filter(|c| c.kind == ColumnKind::Static)
    }

    /// Regular columns sorted by name.
    pub fn regulars(&self) -> impl Iterator<Item = &ColumnMeta> {
        self.columns
            .iter()
            .filter(|c| c.kind == ColumnKind::Regular)
    }

    /// True when the table has static columns.
    pub fn has_statics(&self) -> bool {
        self.statics().next().is_some()
    }

    /// The index on `column`, if any.
    pub fn indexes_on<'a>(&'a self, column: &'a str) -> impl Iterator<Item = &'a IndexMeta> {
        self.indexes.values().filter(move |i| i.column == column)
    }

    /// Sorts the columns in `SELECT *` order (`C*: TableMetadata.allColumnsInSelectOrder`).
    pub fn sort_columns(&mut self) {
        self.columns
            .sort_by(|a, b| (a.kind, a.position, &a.name).cmp(&(b.kind, b.position, &b.name)));
    }
}

/// A keyspace.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyspaceMeta {
    /// Name.
    pub name: String,
    /// Replication.
    pub replication: Replication,
    /// durable_writes.
    pub durable_writes: bool,
    /// Tables by name.
    pub tables: BTreeMap<String, Arc<TableMeta>>,
    /// User types by name.
    pub types: BTreeMap<String, Arc<UserType>>,
    /// True for the hard-coded system keyspaces.
    pub is_system: bool,
}

impl KeyspaceMeta {
    /// A new empty user keyspace.
    pub fn new(name: &str, replication: Replication, durable_writes: bool) -> Self {
        KeyspaceMeta {
            name: name.to_owned(),
            replication,
            durable_writes,
            tables: BTreeMap::new(),
            types: BTreeMap::new(),
            is_system: false,
        }
    }

    /// The index named `name` with its table, if any.
    pub fn index(&self, name: &str) -> Option<(&Arc<TableMeta>, &IndexMeta)> {
        self.tables
            .values()
            .find_map(|t| t.indexes.get(name).map(|i| (t, i)))
    }
}
