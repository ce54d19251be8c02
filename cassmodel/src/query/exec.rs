//! Running a query: a paged `Stream` of models (memory bounded by the page size), and the
//! helpers built on it (`all`, `first`, `count`, `exists`).
//!
//! Each request's CQL is built once per plan and prepared once per session by the driver's
//! caching session; rows are decoded page by page and filtered by the residual predicate as
//! they arrive. Requests of an OR split run one after the other, and a row that an earlier
//! branch already returned is skipped by evaluating that branch's conjunction on it (no set
//! of seen keys is kept).

use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt};
use scylla::client::pager::TypedRowStream;
use scylla::statement::Consistency;

use super::builder::{OrderKey, Query};
use super::error::QueryError;
use super::filter::TopK;
use super::plan::{AccessPath, Plan};
use super::predicate::Value;
use crate::db::Db;
use crate::error::request_error;
use crate::model::Model;
use crate::row::ModelRow;

/// Where a running query is.
struct Cursor<M> {
    db: Db,
    plan: Arc<Plan<M>>,
    next: usize,
    current: usize,
    rows: Option<TypedRowStream<ModelRow<M>>>,
    consistency: Option<Consistency>,
    page_size: Option<i32>,
    limit: Option<u64>,
    emitted: u64,
    done: bool,
}

impl<M: Model> Cursor<M> {
    async fn next_row(&mut self) -> Option<Result<M, QueryError>> {
        loop {
            if self.done || self.limit.is_some_and(|l| self.emitted >= l) {
                return None;
            }
            if let Some(rows) = self.rows.as_mut() {
                match rows.next().await {
                    Some(Ok(ModelRow(row))) => {
                        let accepted = self
                            .plan
                            .branches
                            .get(self.current)
                            .is_some_and(|b| b.accepts(&row));
                        if accepted {
                            self.emitted += 1;
                            return Some(Ok(row));
                        }
                    }
                    Some(Err(e)) => return self.fail(request_error(&M::TABLE.name, e).into()),
                    None => self.rows = None,
                }
                continue;
            }
            let plan = Arc::clone(&self.plan);
            let b = plan.branches.get(self.next)?;
            self.current = self.next;
            self.next += 1;
            if b.access == AccessPath::Empty {
                continue;
            }
            let statement = self.db.statement(&b.cql, self.consistency, self.page_size);
            let mut values: Vec<Value> = b.values.clone();
            if b.server_limit
                && let Some(l) = self.limit.and_then(|l| i32::try_from(l).ok())
            {
                values.push(Arc::new(l));
            }
            let pager = match self.db.session().execute_iter(statement, values).await {
                Ok(p) => p,
                Err(e) => return self.fail(request_error(&M::TABLE.name, e).into()),
            };
            match pager.rows_stream::<ModelRow<M>>() {
                Ok(rows) => self.rows = Some(rows),
                Err(e) => return self.fail(request_error(&M::TABLE.name, e).into()),
            }
        }
    }

    fn fail(&mut self, err: QueryError) -> Option<Result<M, QueryError>> {
        self.done = true;
        self.rows = None;
        Some(Err(err))
    }
}

impl<M: Model> Query<M> {
    /// The matching rows as a stream, fetched page by page: memory is bounded by the page
    /// size (plus `limit` rows when sorted in the client). A planning error is the stream's
    /// only item.
    pub fn stream(&self, db: &Db) -> BoxStream<'static, Result<M, QueryError>> {
        let plan = match self.plan() {
            Ok(p) => p,
            Err(e) => return stream::once(async move { Err(e) }).boxed(),
        };
        let client_sort = plan.client_sort;
        let cursor = Cursor {
            db: db.clone(),
            plan: Arc::new(plan),
            next: 0,
            current: 0,
            rows: None,
            consistency: self.consistency,
            page_size: self.page_size,
            limit: if client_sort { None } else { self.limit },
            emitted: 0,
            done: false,
        };
        let rows = stream::unfold(
            cursor,
            |mut c| async move { c.next_row().await.map(|r| (r, c)) },
        )
        .boxed();
        if !client_sort {
            return rows;
        }
        let keys: Vec<OrderKey<M>> = self.order.clone();
        let k = usize::try_from(self.limit.unwrap_or(0)).unwrap_or(usize::MAX);
        stream::once(async move {
            let mut top = TopK::new(keys, k);
            let mut rows = rows;
            while let Some(row) = rows.next().await {
                match row {
                    Ok(row) => top.push(row),
                    Err(e) => return stream::iter(vec![Err(e)]),
                }
            }
            stream::iter(top.into_sorted().into_iter().map(Ok).collect::<Vec<_>>())
        })
        .flatten()
        .boxed()
    }

    /// Every matching row, in a `Vec` (prefer [`Query::stream`] for large results).
    pub async fn all(&self, db: &Db) -> Result<Vec<M>, QueryError> {
        let mut out = Vec::new();
        let mut rows = self.stream(db);
        while let Some(row) = rows.next().await {
            out.push(row?);
        }
        Ok(out)
    }

    /// The first matching row.
    pub async fn first(&self, db: &Db) -> Result<Option<M>, QueryError> {
        let limit = self.limit.map_or(1, |l| l.min(1));
        let mut rows = self.clone().limit(limit).stream(db);
        rows.next().await.transpose()
    }

    /// Whether a row matches.
    pub async fn exists(&self, db: &Db) -> Result<bool, QueryError> {
        Ok(self.first(db).await?.is_some())
    }

    /// The number of matching rows. Counted by the server (`SELECT COUNT(*)` with the same
    /// restrictions) when one request has no residual predicate; otherwise the rows are
    /// streamed and counted in the client.
    pub async fn count(&self, db: &Db) -> Result<u64, QueryError> {
        let plan = self.plan()?;
        if let [b] = plan.branches.as_slice()
            && b.residual.is_empty()
            && b.exclude.is_empty()
            && b.access != AccessPath::Empty
        {
            let table = &M::TABLE.name;
            let statement = db.statement(&b.count_cql, self.consistency, None);
            let result = db
                .session()
                .execute_unpaged(statement, b.values.clone())
                .await
                .map_err(|e| request_error(table, e))?;
            let rows = result
                .into_rows_result()
                .map_err(|e| request_error(table, e))?;
            let (n,): (i64,) = rows.first_row().map_err(|e| request_error(table, e))?;
            let n = u64::try_from(n).unwrap_or(0);
            return Ok(self.limit.map_or(n, |l| n.min(l)));
        }
        let mut n = 0u64;
        let mut rows = self.stream(db);
        while let Some(row) = rows.next().await {
            row?;
            n += 1;
        }
        Ok(n)
    }
}
