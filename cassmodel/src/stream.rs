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
use futures::future::BoxFuture;
use futures::stream::Stream;
use scylla::client::pager::TypedRowStream;
use scylla::serialize::row::SerializeRow;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// A paged stream of models. Collect it with `futures::TryStreamExt::try_collect`, or
/// iterate with `futures::StreamExt::next` to keep memory bounded.
///
/// A state machine over the driver's typed row stream: a row costs one poll of the
/// driver's stream, with no boxed or flattening adapter in between (the scan hot path).
pub struct RowStream<'a, M> {
    state: State<'a, M>,
}

enum State<'a, M> {
    /// The first page is being requested.
    Starting(BoxFuture<'a, Result<TypedRowStream<ModelRow<M>>, ReadError>>),
    /// Rows are being read, page by page.
    Rows(TypedRowStream<ModelRow<M>>),
    /// The stream's only item is this error.
    Failed(Option<ReadError>),
    /// Ended.
    Done,
}

impl<M> fmt::Debug for RowStream<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RowStream").finish_non_exhaustive()
    }
}

impl<M: Model> Stream for RowStream<'_, M> {
    type Item = Result<M, ReadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Starting(start) => match ready!(start.as_mut().poll(cx)) {
                    Ok(rows) => this.state = State::Rows(rows),
                    Err(e) => {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(e)));
                    }
                },
                State::Rows(rows) => {
                    return Poll::Ready(match ready!(Pin::new(rows).poll_next(cx)) {
                        Some(Ok(ModelRow(model))) => Some(Ok(model)),
                        Some(Err(e)) => Some(Err(request_error(&M::TABLE.name, e).into())),
                        None => {
                            this.state = State::Done;
                            None
                        }
                    });
                }
                State::Failed(error) => {
                    let error = error.take();
                    this.state = State::Done;
                    return Poll::Ready(error.map(Err));
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

impl<'a, M: Model> RowStream<'a, M> {
    /// A stream that yields `error` and ends.
    pub(crate) fn failed(error: ReadError) -> Self {
        RowStream {
            state: State::Failed(Some(error)),
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
                .prepared(table, cql, settings)
                .await
                .map_err(ReadError::from)?;
            let pager = db
                .driver()
                .execute_iter(statement, values)
                .await
                .map_err(|e| ReadError::from(request_error(table, e)))?;
            pager
                .rows_stream::<ModelRow<M>>()
                .map_err(|e| ReadError::from(request_error(table, e)))
        };
        RowStream {
            state: State::Starting(Box::pin(start)),
        }
    }
}
