//! [`BatchBuilder`]: several writes, across models, sent as CQL batches. A logged batch (the
//! default) is atomic: either every write eventually applies or none does. Unlogged batches
//! (writes to one partition, or fan-outs where atomicity is not needed) and counter batches
//! on request. [`BatchBuilder::chunked`] splits a large fan-out into several batches, which
//! are then atomic only one by one.
//!
//! All writes of a batch share one client timestamp unless their options give their own.

use super::fanout::{self, Entry, RowKey};
use super::insert::ttl_value;
use super::update::{Assignment, bind_update, statement_for, using_for};
use crate::db::Db;
use crate::error::WriteError;
use crate::model::Model;
use crate::options::{Consistency, WriteOptions};
use crate::row::KeyValues;
use futures::future::BoxFuture;
use futures::{StreamExt, TryStreamExt};
use scylla::statement::batch::BatchType;
use scylla::value::MaybeUnset;
use std::marker::PhantomData;

/// The kind of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BatchKind {
    /// Atomic across partitions (a batch log on the coordinator). The default.
    #[default]
    Logged,
    /// Not atomic; cheaper. Fine for writes to one partition.
    Unlogged,
    /// Counter updates only.
    Counter,
}

/// A write of the batch: its statements, or (models with query tables) what it needs to
/// read first, planned when the batch is executed. Kept as data rather than a future so
/// that the builder stays covariant in `'a` (a future yielding `Entry<'a>` would make it
/// invariant, and a builder declared before the rows it borrows would not compile).
enum Op<'a> {
    Ready(Entry<'a>),
    Deferred(Box<dyn Deferred + 'a>),
}

/// A write whose statements depend on stored rows.
trait Deferred: Send + Sync {
    /// Reads what is needed and returns the statements.
    fn plan<'s>(&'s self, db: &'s Db) -> BoxFuture<'s, Result<Vec<Entry<'s>>, WriteError>>;
}

struct InsertOp<'a, M> {
    row: &'a M,
    ttl: MaybeUnset<i32>,
    timestamp: i64,
}

impl<M: Model> Deferred for InsertOp<'_, M> {
    fn plan<'s>(&'s self, db: &'s Db) -> BoxFuture<'s, Result<Vec<Entry<'s>>, WriteError>> {
        Box::pin(fanout::insert_entries(
            db,
            self.row,
            self.ttl,
            self.timestamp,
            None,
        ))
    }
}

struct UpdateOp<'a, M, K: ?Sized> {
    cql: &'static str,
    key: &'a K,
    columns: &'a [Assignment<'a>],
    using: (MaybeUnset<i32>, i64),
    model: PhantomData<fn() -> M>,
}

impl<M: Model, K: KeyValues + Sync + ?Sized> Deferred for UpdateOp<'_, M, K> {
    fn plan<'s>(&'s self, db: &'s Db) -> BoxFuture<'s, Result<Vec<Entry<'s>>, WriteError>> {
        Box::pin(fanout::update_entries::<M, K>(
            db,
            self.cql,
            self.key,
            self.columns,
            self.using,
            None,
        ))
    }
}

struct DeleteOp<'a, M, K: ?Sized> {
    key: &'a K,
    timestamp: i64,
    partition: bool,
    model: PhantomData<fn() -> M>,
}

impl<M: Model, K: KeyValues + Sync + ?Sized> Deferred for DeleteOp<'_, M, K> {
    fn plan<'s>(&'s self, db: &'s Db) -> BoxFuture<'s, Result<Vec<Entry<'s>>, WriteError>> {
        if self.partition {
            Box::pin(fanout::delete_partition_entries::<M, K>(
                db,
                self.key,
                self.timestamp,
                None,
            ))
        } else {
            Box::pin(fanout::delete_entries::<M, &K>(
                db,
                self.key,
                self.timestamp,
                None,
            ))
        }
    }
}

struct DeleteRowOp<'a, M> {
    row: &'a M,
    timestamp: i64,
}

impl<M: Model> Deferred for DeleteRowOp<'_, M> {
    fn plan<'s>(&'s self, db: &'s Db) -> BoxFuture<'s, Result<Vec<Entry<'s>>, WriteError>> {
        Box::pin(fanout::delete_entries::<M, RowKey<'s, M>>(
            db,
            RowKey(self.row),
            self.timestamp,
            None,
        ))
    }
}

/// Batches in flight at once when [`BatchBuilder::chunked`] splits a batch.
const CHUNKS_IN_FLIGHT: usize = 4;

/// A batch of writes being built; create it with [`Db::batch`], send it with
/// [`BatchBuilder::execute`].
pub struct BatchBuilder<'a> {
    db: &'a Db,
    kind: BatchKind,
    timestamp: i64,
    consistency: Option<Consistency>,
    chunk: Option<usize>,
    ops: Vec<Op<'a>>,
    error: Option<WriteError>,
}

impl<'a> BatchBuilder<'a> {
    /// An empty logged batch.
    pub fn new(db: &'a Db) -> Self {
        BatchBuilder {
            db,
            kind: BatchKind::Logged,
            timestamp: db.next_timestamp(),
            consistency: None,
            chunk: None,
            ops: Vec::new(),
            error: None,
        }
    }

    /// Makes it an unlogged batch.
    pub fn unlogged(mut self) -> Self {
        self.kind = BatchKind::Unlogged;
        self
    }

    /// Makes it a counter batch.
    pub fn counter(mut self) -> Self {
        self.kind = BatchKind::Counter;
        self
    }

    /// Sets the consistency of the batch.
    pub fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = Some(consistency);
        self
    }

    /// Sends at most `statements` writes per batch (at least 1), several batches at once.
    pub fn chunked(mut self, statements: usize) -> Self {
        self.chunk = Some(statements.max(1));
        self
    }

    /// Number of writes so far (a write to a model with query tables counts once, though
    /// it sends a statement per table).
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the batch has no write.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    fn push<M: Model, F>(&mut self, cql: &'static str, values: F)
    where
        F: Fn(&mut crate::row::Binder<'_, '_>) -> Result<(), scylla::serialize::SerializationError>
            + Send
            + Sync
            + 'a,
    {
        self.ops
            .push(Op::Ready(Entry::new(cql, &M::TABLE.name, values)));
    }

    fn defer(&mut self, op: impl Deferred + 'a) {
        self.ops.push(Op::Deferred(Box::new(op)));
    }

    fn fail(&mut self, error: WriteError) {
        self.error.get_or_insert(error);
    }

    /// Adds an insert of `row`.
    pub fn insert<M: Model>(self, row: &'a M) -> Self {
        self.insert_with(row, WriteOptions::default())
    }

    /// Adds an insert of `row` with options (TTL, timestamp; the consistency is the batch's).
    pub fn insert_with<M: Model>(mut self, row: &'a M, options: WriteOptions) -> Self {
        match ttl_value::<M>(&options) {
            Ok(ttl) => {
                let timestamp = options.timestamp.unwrap_or(self.timestamp);
                if M::QUERY_TABLES.is_empty() {
                    self.push::<M, _>(M::CQL.insert, move |b| {
                        row.bind_row(b)?;
                        b.bind_positional("[ttl]", &ttl)?;
                        b.bind_positional("[timestamp]", &timestamp)
                    });
                } else {
                    self.defer(InsertOp {
                        row,
                        ttl,
                        timestamp,
                    });
                }
            }
            Err(e) => self.fail(e),
        }
        self
    }

    /// Adds an update of `columns` of the row with primary key `key`.
    pub fn update<M: Model, K: KeyValues + Sync + ?Sized>(
        mut self,
        key: &'a K,
        columns: &'a [Assignment<'a>],
    ) -> Self {
        let options = WriteOptions::default().timestamp(self.timestamp);
        let prepared = statement_for::<M>(columns).and_then(|cql| {
            let using = if M::TABLE.is_counter_table() {
                using_for::<M>(self.db, &WriteOptions::default())?
            } else {
                using_for::<M>(self.db, &options)?
            };
            Ok((cql, using))
        });
        match prepared {
            Ok((cql, Some(using))) if !M::QUERY_TABLES.is_empty() => {
                self.defer(UpdateOp::<M, K> {
                    cql,
                    key,
                    columns,
                    using,
                    model: PhantomData,
                });
            }
            Ok((cql, using)) => {
                self.push::<M, _>(cql, move |b| bind_update(b, using, columns, key));
            }
            Err(e) => self.fail(e),
        }
        self
    }

    /// Adds a delete of the row of `M` with primary key `key` (and of its query-table
    /// copies, found by reading the stored row when the batch is executed).
    pub fn delete<M: Model, K: KeyValues + Sync + ?Sized>(mut self, key: &'a K) -> Self {
        let timestamp = self.timestamp;
        if M::QUERY_TABLES.is_empty() {
            self.push::<M, _>(M::CQL.delete_row, move |b| {
                b.bind_positional("[timestamp]", &timestamp)?;
                key.bind_keys(b)
            });
        } else {
            self.defer(DeleteOp::<M, K> {
                key,
                timestamp,
                partition: false,
                model: PhantomData,
            });
        }
        self
    }

    /// Adds a delete of `row` (by its primary key; query-table copies as for
    /// [`Self::delete`]).
    pub fn delete_row<M: Model>(mut self, row: &'a M) -> Self {
        let timestamp = self.timestamp;
        if M::QUERY_TABLES.is_empty() {
            self.push::<M, _>(M::CQL.delete_row, move |b| {
                b.bind_positional("[timestamp]", &timestamp)?;
                row.bind_primary_key(b)
            });
        } else {
            self.defer(DeleteRowOp { row, timestamp });
        }
        self
    }

    /// Adds a delete of the whole partition `key` of `M` (with query tables: and of the
    /// copies of its rows, read when the batch is executed — mind the batch size limit,
    /// or use [`Self::chunked`]).
    pub fn delete_partition<M: Model, K: KeyValues + Sync + ?Sized>(mut self, key: &'a K) -> Self {
        let timestamp = self.timestamp;
        if M::QUERY_TABLES.is_empty() {
            self.push::<M, _>(M::CQL.delete_partition, move |b| {
                b.bind_positional("[timestamp]", &timestamp)?;
                key.bind_keys(b)
            });
        } else {
            self.defer(DeleteOp::<M, K> {
                key,
                timestamp,
                partition: true,
                model: PhantomData,
            });
        }
        self
    }

    /// Sends the batch (or its chunks). An empty batch sends nothing. Writes to models
    /// with query tables first read what they need (concurrently), then every statement
    /// goes in the batch.
    pub async fn execute(self) -> Result<(), WriteError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if self.ops.is_empty() {
            return Ok(());
        }
        let db = self.db;
        let (mut ready, mut deferred): (Vec<(usize, Entry<'_>)>, Vec<_>) = (Vec::new(), Vec::new());
        for (i, op) in self.ops.into_iter().enumerate() {
            match op {
                Op::Ready(entry) => ready.push((i, entry)),
                Op::Deferred(op) => deferred.push((i, op)),
            }
        }
        let planned =
            futures::future::try_join_all(deferred.iter().map(|(_, op)| op.plan(db))).await?;
        // Back in the order the writes were added.
        let mut ordered: Vec<(usize, Vec<Entry<'_>>)> = ready
            .into_iter()
            .map(|(i, entry)| (i, vec![entry]))
            .chain(deferred.iter().map(|(i, _)| *i).zip(planned))
            .collect();
        ordered.sort_by_key(|(i, _)| *i);
        let entries: Vec<Entry<'_>> = ordered.into_iter().flat_map(|(_, e)| e).collect();
        let size = self.chunk.unwrap_or(entries.len()).max(1);
        let consistency = self.consistency;
        let kind = match self.kind {
            BatchKind::Logged => BatchType::Logged,
            BatchKind::Unlogged => BatchType::Unlogged,
            BatchKind::Counter => BatchType::Counter,
        };
        let chunks: Vec<&[Entry<'_>]> = entries.chunks(size).collect();
        futures::stream::iter(chunks)
            .map(|chunk| fanout::send(db, kind, consistency, chunk))
            .buffer_unordered(CHUNKS_IN_FLIGHT)
            .try_collect::<()>()
            .await
    }
}

impl Db {
    /// A new logged batch; see [`BatchBuilder`].
    pub fn batch(&self) -> BatchBuilder<'_> {
        BatchBuilder::new(self)
    }
}
