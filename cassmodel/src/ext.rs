//! [`ModelExt`]: the finders and writes as associated functions and methods of every model
//! (`User::get(&db, &key)`, `user.insert(&db)`), implemented once for all [`Model`]s.
//! Bring it in scope with `use cassmodel::prelude::*`.

use crate::db::Db;
use crate::error::{ReadError, WriteError};
use crate::model::Model;
use crate::options::{ReadOptions, WriteOptions};
use crate::read::{self, SliceQuery};
use crate::stream::RowStream;
use crate::write::{self, InsertOutcome, UpdateQuery};
use scylla::serialize::value::SerializeValue;
use std::future::Future;

/// Finders and writes on every [`Model`]; see the module docs of `cassmodel::ext`.
pub trait ModelExt: Model {
    /// The row with primary key `key`, if any.
    fn get<'a>(
        db: &'a Db,
        key: &'a Self::PrimaryKey,
    ) -> impl Future<Output = Result<Option<Self>, ReadError>> + Send + 'a {
        read::get(db, key, ReadOptions::default())
    }

    /// Every row of partition `key`, in clustering order, paged.
    fn find_by_partition<'a>(db: &'a Db, key: &'a Self::PartitionKey) -> RowStream<'a, Self> {
        read::find_by_partition(db, key, ReadOptions::default())
    }

    /// A clustering slice of partition `key`.
    fn slice<'a>(
        db: &'a Db,
        key: &'a Self::PartitionKey,
    ) -> SliceQuery<'a, Self, &'a Self::PartitionKey> {
        SliceQuery::new(db, key)
    }

    /// Rows whose indexed column `column` equals `value`.
    fn find_by_index<'a, V: SerializeValue + Sync + ?Sized>(
        db: &'a Db,
        column: &str,
        value: &'a V,
    ) -> RowStream<'a, Self> {
        read::find_by_index(db, column, value, ReadOptions::default())
    }

    /// Writes this row.
    fn insert<'a>(
        &'a self,
        db: &'a Db,
    ) -> impl Future<Output = Result<(), WriteError>> + Send + 'a {
        async move { write::insert(db, self, &WriteOptions::default()).await }
    }

    /// Writes this row with options (TTL, timestamp, consistency).
    fn insert_with<'a>(
        &'a self,
        db: &'a Db,
        options: &'a WriteOptions,
    ) -> impl Future<Output = Result<(), WriteError>> + Send + 'a {
        write::insert(db, self, options)
    }

    /// Writes this row unless its primary key exists (LWT).
    fn insert_if_not_exists<'a>(
        &'a self,
        db: &'a Db,
    ) -> impl Future<Output = Result<InsertOutcome<Self>, WriteError>> + Send + 'a {
        async move { write::insert_if_not_exists(db, self, &WriteOptions::default()).await }
    }

    /// An update of chosen columns of the row with primary key `key`.
    fn update<'a>(
        db: &'a Db,
        key: &'a Self::PrimaryKey,
    ) -> UpdateQuery<'a, Self, Self::PrimaryKey> {
        UpdateQuery::new(db, key)
    }

    /// Deletes this row (by its primary key).
    fn delete<'a>(
        &'a self,
        db: &'a Db,
    ) -> impl Future<Output = Result<(), WriteError>> + Send + 'a {
        async move { write::delete_row(db, self, &WriteOptions::default()).await }
    }

    /// Deletes the row with primary key `key`.
    fn delete_by_key<'a>(
        db: &'a Db,
        key: &'a Self::PrimaryKey,
    ) -> impl Future<Output = Result<(), WriteError>> + Send + 'a {
        async move { write::delete::<Self, _>(db, key, &WriteOptions::default()).await }
    }

    /// Deletes every row of partition `key`.
    fn delete_partition<'a>(
        db: &'a Db,
        key: &'a Self::PartitionKey,
    ) -> impl Future<Output = Result<(), WriteError>> + Send + 'a {
        async move { write::delete_partition::<Self, _>(db, key, &WriteOptions::default()).await }
    }
}

impl<M: Model> ModelExt for M {}
