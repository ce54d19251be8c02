//! The schema data model: what one `#[derive(Model)]` (or one live table) declares.
//!
//! Plain data, comparable (`PartialEq`, `Eq`) so that a schema diff is a comparison, and
//! constructible in `static` context (see [`crate::shared`]) so that the derive can emit it.

use crate::cql_type::CqlType;
use crate::shared::{List, Str};

/// Clustering order of a clustering column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Order {
    /// `ASC` (Cassandra's default).
    #[default]
    Asc,
    /// `DESC`.
    Desc,
}

impl Order {
    /// `ASC` or `DESC`.
    pub fn as_cql(self) -> &'static str {
        match self {
            Order::Asc => "ASC",
            Order::Desc => "DESC",
        }
    }
}

/// The role of a column in its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// Part of the partition key, at this position (0-based).
    PartitionKey(u16),
    /// A clustering column at this position (0-based), with its order.
    Clustering(u16, Order),
    /// A static column (one value per partition).
    Static,
    /// A regular column.
    Regular,
}

impl ColumnKind {
    /// A partition-key or clustering column.
    pub fn is_primary_key(self) -> bool {
        matches!(
            self,
            ColumnKind::PartitionKey(_) | ColumnKind::Clustering(..)
        )
    }
}

/// One column of a table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ColumnDef {
    /// The column name, exact (unquoted; quoting happens when rendering).
    pub name: Str,
    /// Its CQL type.
    pub ty: CqlType,
    /// Its role.
    pub kind: ColumnKind,
}

/// What a secondary index indexes (`CREATE INDEX ON t (KEYS(m))`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum IndexTarget {
    /// The value of a regular column, or the values of a collection (the default).
    #[default]
    Values,
    /// The keys of a map.
    Keys,
    /// The entries of a map.
    Entries,
    /// A whole frozen collection.
    Full,
}

/// A secondary index on one column.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IndexDef {
    /// Index name.
    pub name: Str,
    /// Indexed column name.
    pub column: Str,
    /// What of the column is indexed.
    pub target: IndexTarget,
}

/// Table options (`WITH ...`). `None` leaves the server default.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct TableOptions {
    /// `default_time_to_live` in seconds.
    pub default_time_to_live: Option<i32>,
    /// `comment`.
    pub comment: Option<Str>,
    /// `compaction`: a class name (`LeveledCompactionStrategy`) or a CQL map literal.
    pub compaction: Option<Str>,
    /// `compression`: a class name or a CQL map literal.
    pub compression: Option<Str>,
    /// `caching`: a CQL map literal (`{'keys': 'ALL', 'rows_per_partition': 'NONE'}`).
    pub caching: Option<Str>,
    /// `gc_grace_seconds`.
    pub gc_grace_seconds: Option<i32>,
    /// `bloom_filter_fp_chance`, as CQL number text (floats are not `Eq`).
    pub bloom_filter_fp_chance: Option<Str>,
    /// `speculative_retry` (`99p`, `10ms`, `ALWAYS`, `NONE`).
    pub speculative_retry: Option<Str>,
    /// `memtable_flush_period_in_ms`.
    pub memtable_flush_period_in_ms: Option<i32>,
    /// Any other option: name and its value as CQL literal text, rendered verbatim.
    pub other: List<(Str, Str)>,
}

impl TableOptions {
    /// No option set.
    pub const EMPTY: TableOptions = TableOptions {
        default_time_to_live: None,
        comment: None,
        compaction: None,
        compression: None,
        caching: None,
        gc_grace_seconds: None,
        bloom_filter_fp_chance: None,
        speculative_retry: None,
        memtable_flush_period_in_ms: None,
        other: List::Borrowed(&[]),
    };

    /// Whether no option is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::EMPTY
    }
}

/// A key column computed from other columns (django_cassandra's COMPOUND_KEY_FIELDS).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CompoundKeyDef {
    /// The computed column.
    pub column: Str,
    /// Source column names, in order.
    pub fields: List<Str>,
    /// Separator placed between the escaped values.
    pub separator: Str,
}

/// The escape character of compound keys: it precedes a separator or itself inside a value.
pub const COMPOUND_KEY_ESCAPE: char = '\\';

/// A denormalized copy of a model keyed differently (data only for now).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QueryTableDef {
    /// Table name.
    pub name: Str,
    /// Partition-key column names, in order.
    pub partition_key: List<Str>,
    /// Clustering column names, in order.
    pub clustering_key: List<Str>,
}

/// A table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TableDef {
    /// Table name, exact (unquoted).
    pub name: Str,
    /// Columns in declaration order.
    pub columns: List<ColumnDef>,
    /// Secondary indexes.
    pub indexes: List<IndexDef>,
    /// Table options.
    pub options: TableOptions,
    /// Computed compound-key columns.
    pub compound_keys: List<CompoundKeyDef>,
    /// Query tables kept in sync with this one.
    pub query_tables: List<QueryTableDef>,
}

impl TableDef {
    /// Partition-key columns, by position.
    pub fn partition_key(&self) -> Vec<&ColumnDef> {
        let mut cols: Vec<(u16, &ColumnDef)> = self
            .columns
            .iter()
            .filter_map(|c| match c.kind {
                ColumnKind::PartitionKey(pos) => Some((pos, c)),
                _ => None,
            })
            .collect();
        cols.sort_by_key(|(pos, _)| *pos);
        cols.into_iter().map(|(_, c)| c).collect()
    }

    /// Clustering columns, by position.
    pub fn clustering_key(&self) -> Vec<&ColumnDef> {
        let mut cols: Vec<(u16, &ColumnDef)> = self
            .columns
            .iter()
            .filter_map(|c| match c.kind {
                ColumnKind::Clustering(pos, _) => Some((pos, c)),
                _ => None,
            })
            .collect();
        cols.sort_by_key(|(pos, _)| *pos);
        cols.into_iter().map(|(_, c)| c).collect()
    }

    /// Partition key then clustering columns.
    pub fn primary_key(&self) -> Vec<&ColumnDef> {
        let mut key = self.partition_key();
        key.extend(self.clustering_key());
        key
    }

    /// Static and regular columns, in declaration order.
    pub fn non_key_columns(&self) -> Vec<&ColumnDef> {
        self.columns
            .iter()
            .filter(|c| !c.kind.is_primary_key())
            .collect()
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether this is a counter table.
    pub fn is_counter_table(&self) -> bool {
        self.columns.iter().any(|c| c.ty == CqlType::Counter)
    }
}

/// A user-defined type (`CREATE TYPE`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UserTypeDef {
    /// Type name, exact.
    pub name: Str,
    /// Fields: name and type, in order.
    pub fields: List<(Str, CqlType)>,
}
