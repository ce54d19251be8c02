//! The [`Model`] trait: what `#[derive(Model)]` generates and every generic operation of
//! the runtime ([`crate::Db`], [`crate::read`], [`crate::write`]) relies on.
//!
//! A model is a Rust struct mapped to one CQL table. The derive renders, at compile time and
//! through `cassmodel-schema` (the only CQL renderer), the table's DDL and the fixed CQL
//! statements of the model ([`ModelCql`]), and writes three small functions that move the
//! struct's fields in and out of the driver's wire format through the helpers of
//! [`crate::row`] ([`Binder`], [`ColumnChecker`], [`RowReader`]). The runtime never parses
//! or splices CQL of a model; it only picks the statement it needs and binds values.
//!
//! # The contract the derive must honour
//!
//! * [`Model::TABLE`] is the model's `cassmodel_schema::TableDef` in a `static`;
//!   [`Model::CQL`] holds the statements `cassmodel_schema::render` makes from it.
//! * [`Model::bind_row`] binds one value per column of `TABLE.columns`, in that
//!   (declaration) order, with [`Binder::bind`] and the column's exact name (a compound key
//!   column binds the key built from its fields); [`Model::bind_primary_key`] binds this
//!   row's primary key columns, partition key first (`TABLE.primary_key()` order).
//! * [`Model::check_columns`] calls [`ColumnChecker::column`] once per column (any order)
//!   and [`Model::read_row`] calls [`RowReader::get`] once per column; columns are looked up
//!   by name, so a result that carries more columns (an LWT's `[applied]`) still maps.
//! * [`Model::PrimaryKey`]/[`Model::PartitionKey`] are tuples of the key fields' owned types
//!   in key order (one-element tuples for single columns): `(String,)`, `(String, i32)`.
//! * [`Model::bind_column`] binds one column by name, like `bind_row` does; it is needed
//!   only with [`Model::QUERY_TABLES`], whose entries are rendered from
//!   `TABLE.query_table_defs()` in order.
//! * [`Model::collect_user_types`] pushes the `CREATE TYPE IF NOT EXISTS` statements of the
//!   UDTs the model uses (nested ones first), via [`UserType::collect_user_types`].
//!
//! A hand-written implementation (what the derive expands to) is in the crate tour
//! ([`crate`]) and in the integration tests.

use crate::row::{Binder, ColumnChecker, KeyValues, RowReader};
use cassmodel_schema::TableDef;
use scylla::deserialize::{DeserializationError, TypeCheckError};
use scylla::serialize::SerializationError;

/// The fixed CQL of one model, rendered at compile time by the derive with
/// `cassmodel_schema::render` (the only CQL renderer) and stored in a `const`.
///
/// Statements never name a keyspace: they run in the [`crate::Db`]'s keyspace. Column lists
/// and bind order follow `TableDef::columns` (declaration order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelCql {
    /// `render::create_table(TABLE, true)`.
    pub create_table: &'static str,
    /// `render::create_index(TABLE, index, true)` for each index, in order.
    pub create_indexes: &'static [&'static str],
    /// `render::insert(TABLE, InsertKind::Upsert)`: every column, then TTL, then timestamp.
    pub insert: &'static str,
    /// `render::insert(TABLE, InsertKind::IfNotExists)`: every column, then TTL.
    pub insert_if_not_exists: &'static str,
    /// `render::insert(TABLE, InsertKind::Plain)`: every column; the table's TTL and the
    /// request's timestamp (the hot path of a write without options).
    pub insert_plain: &'static str,
    /// `render::select_by_primary_key(TABLE)`: binds the primary key.
    pub select_by_primary_key: &'static str,
    /// `render::select_by_partition(TABLE)`: binds the partition key.
    pub select_by_partition: &'static str,
    /// `render::delete_row(TABLE)`: binds the timestamp, then the primary key.
    pub delete_row: &'static str,
    /// `render::delete_partition(TABLE)`: binds the timestamp, then the partition key.
    pub delete_partition: &'static str,
}

/// The fixed CQL of one query table of a model (`#[cassmodel(query_table(..))]`), rendered
/// at compile time from `TableDef::query_table_defs` like [`ModelCql`].
///
/// A query table holds a copy of every row of the model under another primary key; the
/// runtime writes the copies in the same logged batch as the row (see [`crate::write`]).
/// Its columns are the model's, in the same order, so [`Model::bind_row`] binds its
/// `INSERT` too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryTableCql {
    /// The query table's full definition.
    pub table: &'static TableDef,
    /// `render::create_table(table, true)`.
    pub create_table: &'static str,
    /// `render::insert(table, InsertKind::Upsert)`: every column, then TTL, then timestamp.
    pub insert: &'static str,
    /// `render::select_by_partition(table)`: binds the query table's partition key.
    pub select_by_partition: &'static str,
    /// `render::delete_row(table)`: binds the timestamp, then the primary key.
    pub delete_row: &'static str,
    /// The query table's primary-key column names, partition key first.
    pub primary_key: &'static [&'static str],
    /// Whether every primary-key column of the query table is a primary-key column of the
    /// model: then a row's copy never moves, and writes need not read the stored row.
    pub keyed_by_base: bool,
}

/// A Rust struct stored as one row of a CQL table.
///
/// Implemented by `#[derive(Model)]`; see the [module docs](self) for the exact contract.
/// Users call the generated finders, or the generic operations on [`crate::Db`]:
/// `db.insert(&row)`, `db.get::<M>(&key)`, `db.find_by_partition::<M>(&pk)`.
pub trait Model: Sized + Send + Sync + Unpin + 'static {
    /// What the model declares (table, columns, keys, indexes, options), as static data.
    const TABLE: &'static TableDef;

    /// The model's fixed statements, rendered at compile time from [`Self::TABLE`].
    const CQL: &'static ModelCql;

    /// The model's query tables (`#[cassmodel(query_table(..))]`), in declaration order;
    /// every write of the model also writes them. Default: none.
    const QUERY_TABLES: &'static [QueryTableCql] = &[];

    /// The TTL in seconds of writes that set none (`#[cassmodel(ttl = N)]`); `None` leaves
    /// the table's `default_time_to_live`. Default: `None`.
    const DEFAULT_TTL: Option<i32> = None;

    /// The full primary key: a tuple of the key fields' types, partition key first.
    type PrimaryKey: KeyValues + Send + Sync;

    /// The partition key: a tuple of the partition key fields' types.
    type PartitionKey: KeyValues + Send + Sync;

    /// Binds every column of this row, in `TABLE.columns` (declaration) order.
    fn bind_row(&self, binder: &mut Binder<'_, '_>) -> Result<(), SerializationError>;

    /// Binds the primary key columns of this row, partition key first.
    fn bind_primary_key(&self, binder: &mut Binder<'_, '_>) -> Result<(), SerializationError>;

    /// Binds the value of column `column` (exact name) of this row to the next marker, as
    /// [`Model::bind_row`] binds it; an unknown column is an error. The runtime uses it to
    /// bind a query table's key. The default knows no column (models without query
    /// tables never need it).
    fn bind_column(
        &self,
        column: &str,
        binder: &mut Binder<'_, '_>,
    ) -> Result<(), SerializationError> {
        let _ = binder;
        Err(crate::row::no_such_column(Self::TABLE, column))
    }

    /// Checks each column's CQL type against the field's Rust type
    /// (one [`ColumnChecker::column`] call per column).
    fn check_columns(checker: &mut ColumnChecker<'_>) -> Result<(), TypeCheckError>;

    /// Builds the model from a result row (one [`RowReader::get`] call per column).
    fn read_row(reader: &mut RowReader<'_, '_>) -> Result<Self, DeserializationError>;

    /// Pushes the `CREATE TYPE IF NOT EXISTS` statements of the user types this model uses,
    /// dependencies first. Duplicates are removed by the caller.
    fn collect_user_types(out: &mut Vec<&'static str>) {
        let _ = out;
    }
}

/// A CQL user-defined type (UDT), implemented by `#[derive(UserType)]`.
///
/// The value (de)serialization itself goes through the driver's `SerializeValue` and
/// `DeserializeValue` traits, which the derive implements too.
pub trait UserType: Send + Sync + 'static {
    /// The type's name as a CQL identifier.
    const TYPE_NAME: &'static str;

    /// `CREATE TYPE IF NOT EXISTS name (...)`.
    const CREATE_TYPE: &'static str;

    /// Pushes the `CREATE TYPE` statements this type needs: the nested types' first, then
    /// its own. The default (no nested UDT) pushes [`Self::CREATE_TYPE`].
    fn collect_user_types(out: &mut Vec<&'static str>) {
        out.push(Self::CREATE_TYPE);
    }
}
