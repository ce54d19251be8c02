//! `update` and `delete` on a query: the matching rows are streamed (residual included) and
//! written back per partition, in batches of consecutive rows of one partition.
//!
//! The writes go through [`crate::Db::batch`], so a model with query tables keeps its copies
//! in step (the row and its copies in one logged batch, as every write of such a model);
//! other models' batches are unlogged, which is atomic anyway within one partition. A row is
//! told apart by its partition key, serialized once per row with the model's own binder.
//!
//! `delete()` returns a [`Delete`], awaited directly or after [`Delete::cascade`] added
//! dependent deletes (see [`super::Cascade`]); without them no other model is touched.

use std::future::IntoFuture;

use futures::StreamExt;
use futures::future::LocalBoxFuture;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::writers::RowWriter;
use scylla::statement::prepared::PreparedStatement;

use super::builder::Query;
use super::cascade::{Cascade, Dependents};
use super::error::QueryError;
use crate::db::Db;
use crate::error::{WriteError, request_error};
use crate::model::Model;
use crate::row::Bind;
use crate::write::BatchBuilder;

/// Rows per batch of `delete`/`update` (one partition per batch): small enough to stay
/// below Cassandra's 50 KiB `batch_size_fail_threshold` with rows of ~1 KB.
pub(crate) const BATCH_ROWS: usize = 20;

/// What a query writes for each matching row.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Delete,
    Upsert,
}

/// The partition key of a row, as the bytes of its serialized key values: two rows are in
/// the same partition exactly when these are equal.
struct PartitionOf {
    prepared: PreparedStatement,
    columns: usize,
}

impl PartitionOf {
    async fn new<M: Model>(db: &Db) -> Result<Self, QueryError> {
        // Any statement binding exactly the primary key gives the markers' types.
        let statement = db.statement(M::CQL.select_by_primary_key, None, None);
        let prepared = db
            .session()
            .add_prepared_statement(&statement)
            .await
            .map_err(|e| request_error(&M::TABLE.name, e))?;
        Ok(PartitionOf {
            prepared,
            columns: M::TABLE.partition_key().len(),
        })
    }

    fn of<M: Model>(&self, row: &M) -> Result<Vec<u8>, QueryError> {
        let specs = self.prepared.get_variable_col_specs();
        let ctx = RowSerializationContext::from_specs(specs.as_slice());
        let mut buf = Vec::new();
        Bind::new(|b| row.bind_primary_key(b))
            .serialize(&ctx, &mut RowWriter::new(&mut buf))
            .map_err(|e| request_error(&M::TABLE.name, e))?;
        // The cells are `[i32 length][bytes]` (a negative length for null), partition key
        // first: keep the partition key's.
        let mut end = 0;
        for _ in 0..self.columns {
            let len = buf
                .get(end..end + 4)
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .map_or(0, i32::from_be_bytes);
            end = (end + 4 + usize::try_from(len).unwrap_or(0)).min(buf.len());
        }
        buf.truncate(end);
        Ok(buf)
    }
}

/// A pending `delete()` of a query: `.await` it to run it; [`Delete::cascade`] first to
/// delete dependent rows of other models with each deleted row.
#[must_use = "a delete does nothing until awaited"]
pub struct Delete<'q, M> {
    query: &'q Query<M>,
    db: &'q Db,
    cascades: Vec<Cascade<M>>,
}

impl<M> std::fmt::Debug for Delete<'_, M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delete")
            .field("query", self.query)
            .field("cascades", &self.cascades)
            .finish()
    }
}

impl<'q, M: Model> Delete<'q, M> {
    /// Also deletes, in the same logged batch as each deleted row, what `cascade` names
    /// for it (a partition or a row of another model). Off unless called; call it again
    /// for more dependents.
    pub fn cascade(mut self, cascade: Cascade<M>) -> Self {
        self.cascades.push(cascade);
        self
    }
}

impl<'q, M: Model> IntoFuture for Delete<'q, M> {
    type Output = Result<u64, QueryError>;
    // Not `Send`: the compiler cannot prove `BatchBuilder::execute`'s future `Send` for every
    // lifetime (a higher-ranked closure in `write::batch`); await it in place.
    type IntoFuture = LocalBoxFuture<'q, Result<u64, QueryError>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            self.query
                .write_each(self.db, Kind::Delete, &self.cascades, |_| true)
                .await
        })
    }
}

impl<M: Model> Query<M> {
    /// Deletes every matching row (by primary key), partition by partition: the rows of one
    /// partition go in batches of up to 20 deletes. Rows failing the residual predicate are
    /// never touched. Query-table copies of the rows are deleted with them; rows of other
    /// models only with [`Delete::cascade`] (off by default). Resolves to the number of
    /// rows deleted:
    ///
    /// ```text
    /// let n = User::query().filter_with(|c| c.age.lt(13)).delete(&db).await?;
    /// let n = User::query()
    ///     .filter_with(|c| c.banned.eq(true))
    ///     .delete(&db)
    ///     .cascade(Cascade::partitions::<Userline>(|u: &User| (u.username.clone(),)))
    ///     .await?;
    /// ```
    pub fn delete<'q>(&'q self, db: &'q Db) -> Delete<'q, M> {
        Delete {
            query: self,
            db,
            cascades: Vec::new(),
        }
    }

    /// Rewrites every matching row after `change` modified it (a full-row upsert with the
    /// model's default TTL, partition by partition in batches of up to 20 rows; query-table
    /// copies follow). `change` must not change key fields (that would write a new row); it
    /// returns `false` to leave a row untouched. Returns the number of rows written.
    ///
    /// Refused on counter tables (they cannot be written by `INSERT`).
    pub async fn update(
        &self,
        db: &Db,
        change: impl FnMut(&mut M) -> bool,
    ) -> Result<u64, QueryError> {
        if M::TABLE.is_counter_table() {
            return Err(WriteError::BadOption(
                "update() on a query rewrites whole rows, which a counter table refuses; use db.update with counter increments",
            )
            .into());
        }
        self.write_each(db, Kind::Upsert, &[], change).await
    }

    async fn write_each(
        &self,
        db: &Db,
        kind: Kind,
        cascades: &[Cascade<M>],
        mut change: impl FnMut(&mut M) -> bool,
    ) -> Result<u64, QueryError> {
        let partition_of = PartitionOf::new::<M>(db).await?;
        let mut rows = self.stream(db);
        let mut pending: Vec<M> = Vec::new();
        let mut partition: Vec<u8> = Vec::new();
        let mut written = 0u64;
        loop {
            let row = rows.next().await.transpose()?;
            let end = row.is_none();
            let mut next = None;
            if let Some(mut row) = row
                && change(&mut row)
            {
                let key = partition_of.of(&row)?;
                if key != partition || pending.len() >= BATCH_ROWS {
                    next = Some((key, row));
                } else {
                    pending.push(row);
                }
            }
            if (end || next.is_some()) && !pending.is_empty() {
                written += self.send(db, kind, cascades, &pending).await?;
                pending.clear();
            }
            if let Some((key, row)) = next {
                partition = key;
                pending.push(row);
            }
            if end {
                return Ok(written);
            }
        }
    }

    /// Writes one batch: `rows` are of one partition, and their dependents.
    async fn send(
        &self,
        db: &Db,
        kind: Kind,
        cascades: &[Cascade<M>],
        rows: &[M],
    ) -> Result<u64, QueryError> {
        let dependents = Dependents::of(cascades, rows);
        let mut batch: BatchBuilder<'_> = db.batch();
        if M::TABLE.is_counter_table() && cascades.is_empty() {
            batch = batch.counter();
        } else if M::QUERY_TABLES.is_empty() && cascades.is_empty() {
            batch = batch.unlogged();
        }
        if let Some(c) = self.consistency {
            batch = batch.consistency(c);
        }
        for (i, row) in rows.iter().enumerate() {
            batch = match kind {
                Kind::Delete => dependents.add(i, cascades.len(), batch.delete_row(row)),
                Kind::Upsert => batch.insert(row),
            };
        }
        batch.execute().await?;
        Ok(rows.len() as u64)
    }
}
