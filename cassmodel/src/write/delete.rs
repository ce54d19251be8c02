//! `DELETE` of one row (by key or by the row itself) and of a whole partition, with a
//! client timestamp (a delete only shadows writes with a lower or equal timestamp).

use super::fanout;
use crate::db::{Db, Settings};
use crate::error::WriteError;
use crate::model::Model;
use crate::options::WriteOptions;
use crate::row::{Bind, Binder, KeyValues};
use scylla::serialize::SerializationError;
use scylla::statement::batch::BatchType;

async fn run<M, F>(
    db: &Db,
    cql: &'static str,
    options: &WriteOptions,
    bind_key: F,
) -> Result<(), WriteError>
where
    M: Model,
    F: Fn(&mut Binder<'_, '_>) -> Result<(), SerializationError> + Sync,
{
    if options.ttl.is_some() {
        return Err(WriteError::BadOption("a delete cannot take a TTL"));
    }
    let table: &'static str = &M::TABLE.name;
    let timestamp = options.timestamp.unwrap_or_else(|| db.next_timestamp());
    let settings = Settings {
        consistency: options.consistency,
        idempotent: true,
        ..Settings::default()
    };
    let values = Bind::new(|b| {
        b.bind_positional("[timestamp]", &timestamp)?;
        bind_key(b)
    });
    db.execute_prepared(table, cql, settings, values).await?;
    Ok(())
}

/// A delete of a model with query tables: the row (found by `key`) and its copies, in one
/// logged batch.
async fn with_copies<M, K>(db: &Db, key: K, options: &WriteOptions) -> Result<(), WriteError>
where
    M: Model,
    K: KeyValues + Send + Sync,
{
    if options.ttl.is_some() {
        return Err(WriteError::BadOption("a delete cannot take a TTL"));
    }
    let timestamp = options.timestamp.unwrap_or_else(|| db.next_timestamp());
    let entries = fanout::delete_entries::<M, K>(db, key, timestamp, options.consistency).await?;
    fanout::send(db, BatchType::Logged, options.consistency, &entries).await
}

/// Deletes the row of `M` with primary key `key` (and its query-table copies, which are
/// found by reading the stored row).
pub async fn delete<M, K>(db: &Db, key: &K, options: &WriteOptions) -> Result<(), WriteError>
where
    M: Model,
    K: KeyValues + Sync + ?Sized,
{
    if !M::QUERY_TABLES.is_empty() {
        return with_copies::<M, &K>(db, key, options).await;
    }
    run::<M, _>(db, M::CQL.delete_row, options, |b| key.bind_keys(b)).await
}

/// Deletes the row `row` (by its primary key; its query-table copies are those of the
/// stored row, which may differ from `row`).
pub async fn delete_row<M: Model>(
    db: &Db,
    row: &M,
    options: &WriteOptions,
) -> Result<(), WriteError> {
    if !M::QUERY_TABLES.is_empty() {
        return with_copies::<M, _>(db, fanout::RowKey(row), options).await;
    }
    run::<M, _>(db, M::CQL.delete_row, options, |b| row.bind_primary_key(b)).await
}

/// Deletes every row of partition `key`. With query tables the partition is read to find
/// the copies to delete; see [`crate::write`] for the batches used.
pub async fn delete_partition<M, K>(
    db: &Db,
    key: &K,
    options: &WriteOptions,
) -> Result<(), WriteError>
where
    M: Model,
    K: KeyValues + Sync + ?Sized,
{
    if !M::QUERY_TABLES.is_empty() {
        if options.ttl.is_some() {
            return Err(WriteError::BadOption("a delete cannot take a TTL"));
        }
        let timestamp = options.timestamp.unwrap_or_else(|| db.next_timestamp());
        return fanout::delete_partition::<M, K>(db, key, timestamp, options.consistency).await;
    }
    run::<M, _>(db, M::CQL.delete_partition, options, |b| key.bind_keys(b)).await
}

impl Db {
    /// Deletes the row of `M` with primary key `key`.
    pub async fn delete<M: Model>(&self, key: &M::PrimaryKey) -> Result<(), WriteError> {
        delete::<M, _>(self, key, &WriteOptions::default()).await
    }

    /// Deletes `row` (by its primary key).
    pub async fn delete_row<M: Model>(&self, row: &M) -> Result<(), WriteError> {
        delete_row(self, row, &WriteOptions::default()).await
    }

    /// Deletes every row of partition `key`.
    pub async fn delete_partition<M: Model>(
        &self,
        key: &M::PartitionKey,
    ) -> Result<(), WriteError> {
        delete_partition::<M, _>(self, key, &WriteOptions::default()).await
    }
}
