//! [`RowStream`]: the rows of a paged read, as a `futures::Stream` of models.
//!
//! Built on the driver's paged execution (`execute_iter`): pages are fetched one after the
//! other as the stream is consumed, so memory is bounded by the page size whatever the
//! number of rows. Nothing is sent until the stream is first polled.

use crate::db::{Db, Settings};
use crate::error::{ReadError, request_error};
use crate::model::Model;
use crate::options::ReadOptions;
use crate::row::ModelRow;
use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use scylla::errors::ExecutionError;
use scylla::serialize::row::SerializeRow;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A paged stream of models. Collect it with `futures::TryStreamExt::try_collect`, or
/// iterate with `futures::StreamExt::next` to keep memory bounded.
pub struct RowStream<'a, M> {
    inner: BoxStream<'a, Result<M, ReadError>>,
}

impl<M> fmt::Debug for RowStream<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RowStream").finish_non_exhaustive()
    }
}

impl<M> Stream for RowStream<'_, M> {
    type Item = Result<M, ReadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<'a, M: Model> RowStream<'a, M> {
    /// A stream that yields `error` and ends.
    pub(crate) fn failed(error: ReadError) -> Self {
        RowStream {
            inner: stream::once(async move { Err(error) }).boxed(),
        }
    }

    /// Runs `cql` with `values`, paged, mapping each row to `M`.
    pub(crate) fn paged<V>(db: &'a Db, cql: &'static str, values: V, options: ReadOptions) -> Self
    where
        V: SerializeRow + Send + 'a,
    {
        let table: &'static str = &M::TABLE.name;
        let start = async move {
            let settings = Settings {
                consistency: options.consistency,
                page_size: options.page_size,
                idempotent: true,
                serial: None,
            };
            let statement = db
                .prepared(cql, settings)
                .await
                .map_err(|e| ReadError::from(request_error(table, ExecutionError::from(e))))?;
            let pager = db
                .driver()
                .execute_iter(statement, values)
                .await
                .map_err(|e| ReadError::from(request_error(table, e)))?;
            let rows = pager
                .rows_stream::<ModelRow<M>>()
                .map_err(|e| ReadError::from(request_error(table, e)))?;
            Ok::<_, ReadError>(rows.map(move |row| match row {
                Ok(ModelRow(model)) => Ok(model),
                Err(e) => Err(ReadError::from(request_error(table, e))),
            }))
        };
        RowStream {
            inner: stream::once(start).try_flatten().boxed(),
        }
    }
}
