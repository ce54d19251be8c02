//! [`BatchBuilder`]: several writes, across models, sent as CQL batches. A logged batch (the
//! default) is atomic: either every write eventually applies or none does. Unlogged batches
//! (writes to one partition, or fan-outs where atomicity is not needed) and counter batches
//! on request. [`BatchBuilder::chunked`] splits a large fan-out into several batches, which
//! are then atomic only one by one.
//!
//! All writes of a batch share one client timestamp unless their options give their own.

use super::insert::ttl_value;
use super::update::{Assignment, bind_update, statement_for, using_for};
use crate::db::Db;
use crate::error::{WriteError, request_error};
use crate::model::Model;
use crate::options::{Consistency, WriteOptions};
use crate::row::{Bind, Binder, KeyValues};
use futures::{StreamExt, TryStreamExt};
use scylla::serialize::SerializationError;
use scylla::statement::batch::{Batch, BatchType};
use scylla::statement::unprepared::Statement;

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

type BindFn<'a> =
    Box<dyn Fn(&mut Binder<'_, '_>) -> Result<(), SerializationError> + Send + Sync + 'a>;

struct Entry<'a> {
    cql: &'static str,
    table: &'static str,
    values: BindFn<'a>,
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
    entries: Vec<Entry<'a>>,
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
            entries: Vec::new(),
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

    /// Number of writes so far.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the batch has no write.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn push<M: Model>(&mut self, cql: &'static str, values: BindFn<'a>) {
        self.entries.push(Entry {
            cql,
            table: &M::TABLE.name,
            values,
        });
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
        match ttl_value(&options) {
            Ok(ttl) => {
                let timestamp = options.timestamp.unwrap_or(self.timestamp);
                self.push::<M>(
                    M::CQL.insert,
                    Box::new(move |b| {
                        row.bind_row(b)?;
                        b.bind_positional("[ttl]", &ttl)?;
                        b.bind_positional("[timestamp]", &timestamp)
                    }),
                );
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
            Ok((cql, using)) => {
                self.push::<M>(cql, Box::new(move |b| bind_update(b, using, columns, key)));
            }
            Err(e) => self.fail(e),
        }
        self
    }

    /// Adds a delete of the row of `M` with primary key `key`.
    pub fn delete<M: Model, K: KeyValues + Sync + ?Sized>(mut self, key: &'a K) -> Self {
        let timestamp = self.timestamp;
        self.push::<M>(
            M::CQL.delete_row,
            Box::new(move |b| {
                b.bind_positional("[timestamp]", &timestamp)?;
                key.bind_keys(b)
            }),
        );
        self
    }

    /// Adds a delete of `row` (by its primary key).
    pub fn delete_row<M: Model>(mut self, row: &'a M) -> Self {
        let timestamp = self.timestamp;
        self.push::<M>(
            M::CQL.delete_row,
            Box::new(move |b| {
                b.bind_positional("[timestamp]", &timestamp)?;
                row.bind_primary_key(b)
            }),
        );
        self
    }

    /// Adds a delete of the whole partition `key` of `M`.
    pub fn delete_partition<M: Model, K: KeyValues + Sync + ?Sized>(mut self, key: &'a K) -> Self {
        let timestamp = self.timestamp;
        self.push::<M>(
            M::CQL.delete_partition,
            Box::new(move |b| {
                b.bind_positional("[timestamp]", &timestamp)?;
                key.bind_keys(b)
            }),
        );
        self
    }

    /// Sends the batch (or its chunks). An empty batch sends nothing.
    pub async fn execute(self) -> Result<(), WriteError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if self.entries.is_empty() {
            return Ok(());
        }
        let size = self.chunk.unwrap_or(self.entries.len());
        let (db, kind, consistency) = (self.db, self.kind, self.consistency);
        let chunks: Vec<&[Entry<'a>]> = self.entries.chunks(size).collect();
        futures::stream::iter(chunks)
            .map(|chunk| send(db, kind, consistency, chunk))
            .buffer_unordered(CHUNKS_IN_FLIGHT)
            .try_collect::<()>()
            .await
    }
}

async fn send(
    db: &Db,
    kind: BatchKind,
    consistency: Option<Consistency>,
    entries: &[Entry<'_>],
) -> Result<(), WriteError> {
    let mut batch = Batch::new(match kind {
        BatchKind::Logged => BatchType::Logged,
        BatchKind::Unlogged => BatchType::Unlogged,
        BatchKind::Counter => BatchType::Counter,
    });
    batch.set_consistency(consistency.unwrap_or(db.consistency()));
    for entry in entries {
        batch.append_statement(Statement::new(entry.cql));
    }
    let values: Vec<_> = entries
        .iter()
        .map(|e| Bind::new(|b: &mut Binder<'_, '_>| (e.values)(b)))
        .collect();
    let table = entries.first().map(|e| e.table).unwrap_or_default();
    db.session()
        .batch(&batch, values)
        .await
        .map_err(|e| request_error(table, e))?;
    Ok(())
}

impl Db {
    /// A new logged batch; see [`BatchBuilder`].
    pub fn batch(&self) -> BatchBuilder<'_> {
        BatchBuilder::new(self)
    }
}
