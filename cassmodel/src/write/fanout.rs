//! Writes to models with query tables (DESIGN §6): the row and every copy of it go in ONE
//! logged batch, so once the batch is acknowledged no reader sees one copy without the
//! others, and a failed batch leaves none of them.
//!
//! A query table is keyed by other columns than the model. When a write can move a row's
//! copy (an insert over an existing row, an update of a query-table key column) the stored
//! row is read first and its old copy is deleted in the same batch, with a timestamp one
//! microsecond below the write's: the tombstone shadows the old copy but never the new one,
//! even when the key did not actually change (no value comparison needed). Deletes read the
//! stored row to find its copies, a partition delete reads the partition. Query tables
//! whose key is made only of the model's key columns never move, and need no read.
//!
//! The read and the batch are not one transaction: two clients changing the same row's
//! query-table key at the same moment can each leave a copy. Use one writer per row, or
//! `insert_if_not_exists` (LWT) for creation, when that matters.
//!
//! Every statement here is one of the model's fixed, rendered statements (or a partial
//! update rendered once per column set), prepared once per session by the [`Db`]'s
//! statement cache.

use super::update::{Assignment, bind_update};
use crate::db::{Db, Settings};
use crate::error::{ReadError, RequestError, WriteError, request_error};
use crate::model::{Model, QueryTableCql};
use crate::options::{Consistency, ReadOptions};
use crate::read::{find_by_partition, get_request};
use crate::rendered::cached;
use crate::row::{Bind, Binder, KeyValues};
use cassmodel_schema::render;
use futures::TryStreamExt;
use scylla::serialize::SerializationError;
use scylla::statement::batch::{Batch, BatchType};
use scylla::statement::prepared::PreparedStatement;
use scylla::value::MaybeUnset;
use std::sync::Arc;

/// Binds the values of one statement of a batch.
pub(crate) type BindFn<'a> =
    Box<dyn Fn(&mut Binder<'_, '_>) -> Result<(), SerializationError> + Send + Sync + 'a>;

/// One statement of a batch and its values.
pub(crate) struct Entry<'a> {
    pub(crate) cql: &'static str,
    pub(crate) table: &'static str,
    pub(crate) values: BindFn<'a>,
}

impl<'a> Entry<'a> {
    pub(crate) fn new<F>(cql: &'static str, table: &'static str, values: F) -> Self
    where
        F: Fn(&mut Binder<'_, '_>) -> Result<(), SerializationError> + Send + Sync + 'a,
    {
        Entry {
            cql,
            table,
            values: Box::new(values),
        }
    }
}

/// Statements per batch of the query-table deletes of a partition delete: Cassandra fails
/// batches above `batch_size_fail_threshold` (50 KiB by default).
const PARTITION_CHUNK: usize = 200;

/// Sends `entries` as one batch of `kind`.
pub(crate) async fn send(
    db: &Db,
    kind: BatchType,
    consistency: Option<Consistency>,
    entries: &[Entry<'_>],
) -> Result<(), WriteError> {
    let mut batch = Batch::new(kind);
    batch.set_consistency(consistency.unwrap_or(db.consistency()));
    // The statements come from the Db's prepared cache (found by the address of their
    // text, prepared once per session), not from the driver's caching session: that one
    // hashes every statement's text on every batch, and on a cold cache prepares the same
    // text once per statement of the batch, all at once. Runs of one statement (a chunk
    // of inserts of one model) reuse the previous lookup. A statement's own settings do
    // not apply inside a batch; they are asked as the single-statement writes ask them
    // (timestamped writes are idempotent) so that a batch that is a statement's first use
    // caches it as those writes want it, and they get the shared copy, not a clone.
    let settings = Settings {
        idempotent: true,
        ..Settings::default()
    };
    let mut previous: Option<(&'static str, PreparedStatement)> = None;
    for entry in entries {
        let statement = match &previous {
            Some((cql, statement)) if std::ptr::eq(*cql, entry.cql) => statement.clone(),
            _ => {
                let prepared = db.prepared(entry.table, entry.cql, settings).await?;
                let statement = PreparedStatement::from(prepared);
                previous = Some((entry.cql, statement.clone()));
                statement
            }
        };
        batch.append_statement(statement);
    }
    let values: Vec<_> = entries
        .iter()
        .map(|e| Bind::new(|b: &mut Binder<'_, '_>| (e.values)(b)))
        .collect();
    let table = entries.first().map(|e| e.table).unwrap_or_default();
    db.driver()
        .batch(&batch, values)
        .await
        .map_err(|e| request_error(table, e))?;
    Ok(())
}

/// Whether writes of `M` must read the stored row to find its copies.
pub(crate) fn reads_stored<M: Model>() -> bool {
    M::QUERY_TABLES.iter().any(|q| !q.keyed_by_base)
}

/// The primary key of a row, as [`KeyValues`].
pub(crate) struct RowKey<'r, M>(pub(crate) &'r M);

impl<M: Model> KeyValues for RowKey<'_, M> {
    const LEN: usize = <M::PrimaryKey as KeyValues>::LEN;

    fn bind_keys(&self, binder: &mut Binder<'_, '_>) -> Result<(), SerializationError> {
        self.0.bind_primary_key(binder)
    }

    fn bind_one(
        &self,
        _index: usize,
        column: &str,
        binder: &mut Binder<'_, '_>,
    ) -> Result<(), SerializationError> {
        self.0.bind_column(column, binder)
    }
}

fn table_name(qt: &'static QueryTableCql) -> &'static str {
    &qt.table.name
}

/// The model's primary-key column names, partition key first.
fn base_key<M: Model>() -> Vec<&'static str> {
    M::TABLE
        .primary_key()
        .into_iter()
        .map(|c| &*c.name)
        .collect()
}

/// One row written whole: `cql` is the model's or a query table's upsert.
fn insert_entry<'a, M: Model>(
    cql: &'static str,
    table: &'static str,
    row: &'a M,
    ttl: MaybeUnset<i32>,
    timestamp: i64,
) -> Entry<'a> {
    Entry::new(cql, table, move |b| {
        row.bind_row(b)?;
        b.bind_positional("[ttl]", &ttl)?;
        b.bind_positional("[timestamp]", &timestamp)
    })
}

/// Deletes, at `timestamp`, the copies of `stored` (only those that can move if `moving`).
fn delete_copies<'a, M: Model>(
    stored: &Arc<M>,
    timestamp: i64,
    moving: bool,
    out: &mut Vec<Entry<'a>>,
) {
    for qt in M::QUERY_TABLES {
        if moving && qt.keyed_by_base {
            continue;
        }
        delete_one_copy(qt, stored, timestamp, out);
    }
}

/// The statements of an insert of `row`: the row, its copies, and the deletes of the
/// copies of the row it overwrites.
pub(crate) async fn insert_entries<'a, M: Model>(
    db: &Db,
    row: &'a M,
    ttl: MaybeUnset<i32>,
    timestamp: i64,
    consistency: Option<Consistency>,
) -> Result<Vec<Entry<'a>>, WriteError> {
    let mut out = Vec::with_capacity(1 + 2 * M::QUERY_TABLES.len());
    out.push(insert_entry(
        M::CQL.insert,
        &M::TABLE.name,
        row,
        ttl,
        timestamp,
    ));
    if reads_stored::<M>()
        && let Some(stored) = get_request::<M, _>(db, &RowKey(row), consistency).await?
    {
        delete_copies(
            &Arc::new(stored),
            timestamp.saturating_sub(1),
            true,
            &mut out,
        );
    }
    copies_of(row, ttl, timestamp, &mut out);
    Ok(out)
}

/// The inserts of the copies of `row` into every query table.
pub(crate) fn copies_of<'a, M: Model>(
    row: &'a M,
    ttl: MaybeUnset<i32>,
    timestamp: i64,
    out: &mut Vec<Entry<'a>>,
) {
    for qt in M::QUERY_TABLES {
        out.push(insert_entry(qt.insert, table_name(qt), row, ttl, timestamp));
    }
}

/// The statements of an update of `columns` of the row with key `key`: the update, then per
/// query table either the same update of the copy (its key unchanged) or, when a column of
/// the copy's key is set, the delete of the old copy and the insert of the new one (stored
/// values for the columns not set). Copies whose key is unknown (no stored row, and a key
/// column neither set nor in the model's key) cannot exist and are skipped.
pub(crate) async fn update_entries<'a, M, K>(
    db: &Db,
    cql: &'static str,
    key: &'a K,
    columns: &'a [Assignment<'a>],
    (ttl, timestamp): (MaybeUnset<i32>, i64),
    consistency: Option<Consistency>,
) -> Result<Vec<Entry<'a>>, WriteError>
where
    M: Model,
    K: KeyValues + Sync + ?Sized,
{
    let mut out = vec![Entry::new(cql, &M::TABLE.name, move |b| {
        bind_update(b, Some((ttl, timestamp)), columns, key)
    })];
    if M::QUERY_TABLES.is_empty() {
        return Ok(out);
    }
    let stored = get_request::<M, K>(db, key, consistency)
        .await?
        .map(Arc::new);
    let base: Arc<[&'static str]> = base_key::<M>().into();
    let is_set = |c: &str| columns.iter().any(|(n, _)| *n == c);
    for qt in M::QUERY_TABLES {
        let known =
            stored.is_some() || qt.primary_key.iter().all(|c| is_set(c) || base.contains(c));
        if !known {
            continue;
        }
        let (old, base) = (stored.clone(), Arc::clone(&base));
        // The value of `column` in the updated row: set, stored, or from the key.
        let value =
            move |column: &str, b: &mut Binder<'_, '_>| -> Result<bool, SerializationError> {
                if let Some((_, v)) = columns.iter().find(|(n, _)| *n == column) {
                    b.bind(column, *v)?;
                } else if let Some(old) = &old {
                    old.bind_column(column, b)?;
                } else if let Some(i) = base.iter().position(|n| *n == column) {
                    key.bind_one(i, column, b)?;
                } else {
                    return Ok(false);
                }
                Ok(true)
            };
        if qt.primary_key.iter().any(|c| is_set(c)) {
            if let Some(old) = &stored {
                let mut deletes = Vec::new();
                delete_one_copy(qt, old, timestamp.saturating_sub(1), &mut deletes);
                out.extend(deletes);
            }
            out.push(Entry::new(qt.insert, table_name(qt), move |b| {
                for column in qt.table.columns.iter() {
                    if !value(&column.name, b)? {
                        b.bind(&column.name, &MaybeUnset::<i32>::Unset)?;
                    }
                }
                b.bind_positional("[ttl]", &ttl)?;
                b.bind_positional("[timestamp]", &timestamp)
            }));
        } else {
            let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
            let shape = format!("query-table-update:{}:{}", qt.table.name, names.join(","));
            let cql = cached::<M>(shape, || render::update(qt.table, &names));
            out.push(Entry::new(cql, table_name(qt), move |b| {
                b.bind_positional("[ttl]", &ttl)?;
                b.bind_positional("[timestamp]", &timestamp)?;
                for (name, v) in columns {
                    b.bind(name, *v)?;
                }
                for column in qt.primary_key {
                    if !value(column, b)? {
                        return Err(crate::row::no_such_column(qt.table, column));
                    }
                }
                Ok(())
            }));
        }
    }
    Ok(out)
}

fn delete_one_copy<'a, M: Model>(
    qt: &'static QueryTableCql,
    stored: &Arc<M>,
    timestamp: i64,
    out: &mut Vec<Entry<'a>>,
) {
    let row = Arc::clone(stored);
    out.push(Entry::new(qt.delete_row, table_name(qt), move |b| {
        b.bind_positional("[timestamp]", &timestamp)?;
        for column in qt.primary_key {
            row.bind_column(column, b)?;
        }
        Ok(())
    }));
}

/// The statements of a delete of the row with key `key` and of its copies.
pub(crate) async fn delete_entries<'a, M, K>(
    db: &Db,
    key: K,
    timestamp: i64,
    consistency: Option<Consistency>,
) -> Result<Vec<Entry<'a>>, WriteError>
where
    M: Model,
    K: KeyValues + Send + Sync + 'a,
{
    let key = Arc::new(key);
    let stored = if reads_stored::<M>() {
        get_request::<M, K>(db, &*key, consistency)
            .await?
            .map(Arc::new)
    } else {
        None
    };
    let mut out = Vec::with_capacity(1 + M::QUERY_TABLES.len());
    let row_key = Arc::clone(&key);
    out.push(Entry::new(M::CQL.delete_row, &M::TABLE.name, move |b| {
        b.bind_positional("[timestamp]", &timestamp)?;
        row_key.bind_keys(b)
    }));
    let base: Arc<[&'static str]> = base_key::<M>().into();
    for qt in M::QUERY_TABLES {
        match &stored {
            Some(old) => delete_one_copy(qt, old, timestamp, &mut out),
            None if qt.keyed_by_base => {
                let (key, base) = (Arc::clone(&key), Arc::clone(&base));
                out.push(Entry::new(qt.delete_row, table_name(qt), move |b| {
                    b.bind_positional("[timestamp]", &timestamp)?;
                    for column in qt.primary_key {
                        let i = base.iter().position(|n| n == column).unwrap_or(usize::MAX);
                        key.bind_one(i, column, b)?;
                    }
                    Ok(())
                }));
            }
            None => {}
        }
    }
    Ok(out)
}

/// Deletes partition `key` of `M` and the copies of its rows: the copies' deletes go in
/// logged batches of [`PARTITION_CHUNK`] statements, the last one with the partition
/// delete, so a partition of up to that many copies is deleted in one atomic batch and a
/// larger one never loses its copies before its rows (a retry finishes the job).
pub(crate) async fn delete_partition<M, K>(
    db: &Db,
    key: &K,
    timestamp: i64,
    consistency: Option<Consistency>,
) -> Result<(), WriteError>
where
    M: Model,
    K: KeyValues + Sync + ?Sized,
{
    let entries = delete_partition_entries::<M, K>(db, key, timestamp, consistency).await?;
    for chunk in entries.chunks(PARTITION_CHUNK) {
        send(db, BatchType::Logged, consistency, chunk).await?;
    }
    Ok(())
}

/// The statements of a partition delete: the copies' deletes, then the partition's.
pub(crate) async fn delete_partition_entries<'a, M, K>(
    db: &Db,
    key: &'a K,
    timestamp: i64,
    consistency: Option<Consistency>,
) -> Result<Vec<Entry<'a>>, WriteError>
where
    M: Model,
    K: KeyValues + Sync + ?Sized,
{
    let options = ReadOptions {
        consistency,
        ..ReadOptions::default()
    };
    let rows: Vec<Arc<M>> = find_by_partition::<M, K>(db, key, options)
        .map_ok(Arc::new)
        .try_collect()
        .await
        .map_err(read_to_write::<M>)?;
    let mut entries = Vec::with_capacity(rows.len() * M::QUERY_TABLES.len() + 1);
    for row in &rows {
        delete_copies(row, timestamp, false, &mut entries);
    }
    entries.push(Entry::new(
        M::CQL.delete_partition,
        &M::TABLE.name,
        move |b| {
            b.bind_positional("[timestamp]", &timestamp)?;
            key.bind_keys(b)
        },
    ));
    Ok(entries)
}

fn read_to_write<M: Model>(error: ReadError) -> WriteError {
    match error {
        ReadError::Request(e) => WriteError::Request(e),
        other => WriteError::Request(RequestError::Decode {
            table: M::TABLE.name.to_string(),
            message: other.to_string(),
        }),
    }
}
