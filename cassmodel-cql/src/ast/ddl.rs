//! Schema statements: keyspaces, tables, indexes and user-defined types.

use super::names::{Ident, QualifiedName, TypeExpr};
use super::term::Term;

/// `DROP KEYSPACE|TABLE|INDEX|TYPE [IF EXISTS] name`.
#[derive(Debug, Clone, PartialEq)]
pub struct DropObject<N> {
    /// The object dropped.
    pub name: N,
    /// `IF EXISTS` was given.
    pub if_exists: bool,
}

/// The value of a `WITH name = value` property.
#[derive(Debug, Clone, PartialEq)]
pub enum PropertyValue {
    /// A constant: `comment = 'x'`, `gc_grace_seconds = 10`, `durable_writes = false`.
    Constant(Term),
    /// An unreserved keyword or identifier used as a value (Cassandra's `propertyValue`
    /// accepts `unreserved_keyword`), lower-cased.
    Ident(Ident),
    /// A map literal: `replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`.
    Map(Vec<(Term, Term)>),
}

/// One `name = value` property of a `WITH` clause. Names are lower-cased (property names are
/// case-insensitive in Cassandra).
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// Property name.
    pub name: Ident,
    /// Property value.
    pub value: PropertyValue,
}

/// `CREATE KEYSPACE [IF NOT EXISTS] ks WITH replication = {...} [AND durable_writes = b]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateKeyspace {
    /// Keyspace name.
    pub name: Ident,
    /// `IF NOT EXISTS` was given.
    pub if_not_exists: bool,
    /// Properties in source order.
    pub properties: Vec<Property>,
}

/// `ALTER KEYSPACE [IF EXISTS] ks WITH ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterKeyspace {
    /// Keyspace name.
    pub name: Ident,
    /// `IF EXISTS` was given.
    pub if_exists: bool,
    /// Properties in source order.
    pub properties: Vec<Property>,
}

/// A column definition in `CREATE TABLE` or `ALTER TABLE ADD`.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDefinition {
    /// Column name.
    pub name: Ident,
    /// Declared type.
    pub ty: TypeExpr,
    /// `STATIC` was given.
    pub is_static: bool,
    /// `PRIMARY KEY` was written inline after this column (CREATE TABLE only).
    pub primary_key: bool,
}

/// `PRIMARY KEY (pk, c1, c2)` / `PRIMARY KEY ((pk1, pk2), c1)`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrimaryKey {
    /// Partition key columns, in order.
    pub partition_key: Vec<Ident>,
    /// Clustering columns, in order.
    pub clustering: Vec<Ident>,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Order {
    /// `ASC` (the default).
    #[default]
    Asc,
    /// `DESC`
    Desc,
}

/// The `WITH` clause of `CREATE TABLE`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableOptions {
    /// `CLUSTERING ORDER BY (c DESC, d ASC)`, in written order (may be empty).
    pub clustering_order: Vec<(Ident, Order)>,
    /// `COMPACT STORAGE` was given.
    pub compact_storage: bool,
    /// Other `name = value` properties, in source order.
    pub properties: Vec<Property>,
}

/// `CREATE TABLE [IF NOT EXISTS] [ks.]t (...) [WITH ...]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTable {
    /// Table name.
    pub name: QualifiedName,
    /// `IF NOT EXISTS` was given.
    pub if_not_exists: bool,
    /// Column definitions in declaration order.
    pub columns: Vec<ColumnDefinition>,
    /// Every `PRIMARY KEY (...)` clause written after the columns, in order. Together with the
    /// columns flagged [`ColumnDefinition::primary_key`], exactly one primary key must be
    /// declared; Cassandra rejects the rest with `Multiple PRIMARY KEYs specified (exactly one
    /// required)` / `No PRIMARY KEY specified (exactly one required)` (checked by the
    /// executor, not here).
    pub primary_keys: Vec<PrimaryKey>,
    /// Table options.
    pub options: TableOptions,
}

impl CreateTable {
    /// The single primary key, when exactly one was declared (inline or as a clause).
    pub fn primary_key(&self) -> Option<PrimaryKey> {
        let inline: Vec<&ColumnDefinition> =
            self.columns.iter().filter(|c| c.primary_key).collect();
        match (inline.as_slice(), self.primary_keys.as_slice()) {
            ([col], []) => Some(PrimaryKey {
                partition_key: vec![col.name.clone()],
                clustering: Vec::new(),
            }),
            ([], [pk]) => Some(pk.clone()),
            _ => None,
        }
    }
}

/// What an `ALTER TABLE` does.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterTableAction {
    /// `ADD [IF NOT EXISTS] c type [static]` or `ADD (c1 t1, c2 t2)`.
    Add {
        /// `IF NOT EXISTS` was given.
        if_not_exists: bool,
        /// The new columns.
        columns: Vec<ColumnDefinition>,
    },
    /// `DROP [IF EXISTS] c` or `DROP (c1, c2)`, optionally `USING TIMESTAMP n`.
    Drop {
        /// `IF EXISTS` was given.
        if_exists: bool,
        /// The dropped columns.
        columns: Vec<Ident>,
        /// `USING TIMESTAMP n`.
        timestamp: Option<i64>,
    },
    /// `RENAME [IF EXISTS] a TO b [AND c TO d ...]`.
    Rename {
        /// `IF EXISTS` was given.
        if_exists: bool,
        /// `(from, to)` pairs.
        renames: Vec<(Ident, Ident)>,
    },
    /// `WITH name = value [AND ...]`.
    With(TableOptions),
    /// `ALTER c TYPE t`: no longer supported since Cassandra 3.10
    /// ("Altering column types is no longer supported"), parsed so it can be refused.
    AlterColumnType {
        /// The column.
        column: Ident,
        /// The requested type.
        ty: TypeExpr,
    },
    /// `DROP COMPACT STORAGE`.
    DropCompactStorage,
}

/// `ALTER TABLE [IF EXISTS] [ks.]t <action>`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterTable {
    /// Table name.
    pub name: QualifiedName,
    /// `IF EXISTS` was given.
    pub if_exists: bool,
    /// The change.
    pub action: AlterTableAction,
}

/// What a secondary index indexes in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexTargetKind {
    /// `(c)`: the column's value (for a non-frozen collection, its values).
    Simple,
    /// `values(c)`
    Values,
    /// `keys(c)`
    Keys,
    /// `entries(c)`
    Entries,
    /// `full(c)`
    Full,
}

/// One index target: `c`, `keys(c)`, ...
#[derive(Debug, Clone, PartialEq)]
pub struct IndexTarget {
    /// The indexed column.
    pub column: Ident,
    /// How it is indexed.
    pub kind: IndexTargetKind,
}

/// `CREATE [CUSTOM] INDEX [IF NOT EXISTS] [name] ON [ks.]t (targets) [USING 'cls' [WITH ...]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateIndex {
    /// Index name, if given (Cassandra then derives `<table>_<column>_idx`).
    pub name: Option<Ident>,
    /// The indexed table.
    pub table: QualifiedName,
    /// `IF NOT EXISTS` was given.
    pub if_not_exists: bool,
    /// `CUSTOM` was given.
    pub custom: bool,
    /// Targets; empty for `ON t ()` (which Cassandra accepts only for custom indexes).
    pub targets: Vec<IndexTarget>,
    /// `USING 'class'`.
    pub using: Option<String>,
    /// `WITH options = {...}` and other properties.
    pub properties: Vec<Property>,
}

/// `CREATE TYPE [IF NOT EXISTS] [ks.]name (f1 t1, f2 t2)`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateType {
    /// Type name.
    pub name: QualifiedName,
    /// `IF NOT EXISTS` was given.
    pub if_not_exists: bool,
    /// Fields in declaration order.
    pub fields: Vec<(Ident, TypeExpr)>,
}

/// What an `ALTER TYPE` does.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterTypeAction {
    /// `ADD [IF NOT EXISTS] f type`.
    Add {
        /// `IF NOT EXISTS` was given.
        if_not_exists: bool,
        /// Field name.
        field: Ident,
        /// Field type.
        ty: TypeExpr,
    },
    /// `RENAME [IF EXISTS] a TO b [AND c TO d]`.
    Rename {
        /// `IF EXISTS` was given.
        if_exists: bool,
        /// `(from, to)` pairs.
        renames: Vec<(Ident, Ident)>,
    },
    /// `ALTER f TYPE t`: refused by Cassandra 4 ("Altering field types is no longer supported").
    AlterFieldType {
        /// Field name.
        field: Ident,
        /// Requested type.
        ty: TypeExpr,
    },
}

/// `ALTER TYPE [IF EXISTS] [ks.]name <action>`.
#[derive(Debug, Clone, PartialEq)]
pub struct AlterType {
    /// Type name.
    pub name: QualifiedName,
    /// `IF EXISTS` was given.
    pub if_exists: bool,
    /// The change.
    pub action: AlterTypeAction,
}

/// What a `DESCRIBE` / `DESC` statement describes (Cassandra 4.0+ runs DESCRIBE server-side, and
/// cqlsh 6 sends it to servers of version 4.0 and later; `DescribeStatement` in Cassandra).
#[derive(Debug, Clone, PartialEq)]
pub enum DescribeTarget {
    /// `DESCRIBE CLUSTER`
    Cluster,
    /// `DESCRIBE [FULL] SCHEMA`
    Schema {
        /// `FULL` was given (include system keyspaces).
        full: bool,
    },
    /// `DESCRIBE KEYSPACES`
    Keyspaces,
    /// `DESCRIBE [ONLY] KEYSPACE [ks]` (the current keyspace when no name is given).
    Keyspace {
        /// The keyspace.
        name: Option<Ident>,
        /// `ONLY` was given (the keyspace alone, without its tables and types).
        only: bool,
    },
    /// `DESCRIBE TABLES`
    Tables,
    /// `DESCRIBE TABLE [ks.]t` (also `COLUMNFAMILY`)
    Table(QualifiedName),
    /// `DESCRIBE INDEX [ks.]i`
    Index(QualifiedName),
    /// `DESCRIBE MATERIALIZED VIEW [ks.]v`
    MaterializedView(QualifiedName),
    /// `DESCRIBE TYPES`
    Types,
    /// `DESCRIBE TYPE [ks.]t`
    Type(QualifiedName),
    /// `DESCRIBE FUNCTIONS`
    Functions,
    /// `DESCRIBE FUNCTION [ks.]f`
    Function(QualifiedName),
    /// `DESCRIBE AGGREGATES`
    Aggregates,
    /// `DESCRIBE AGGREGATE [ks.]a`
    Aggregate(QualifiedName),
    /// `DESCRIBE [ks.]name`: a keyspace, table, view, index... resolved by the server.
    Generic(QualifiedName),
}

/// `DESCRIBE ... [WITH INTERNALS]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Describe {
    /// What is described.
    pub target: DescribeTarget,
    /// `WITH INTERNALS` was given.
    pub with_internals: bool,
}
