//! [`QueryError`]: why a query could not be planned or run.

use crate::error::{RequestError, WriteError};

/// A query could not be planned or run.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// Serving the query would need a scan of the whole table, and the query did not opt in
    /// with `.allow_full_scan()`.
    #[error("{message}")]
    FullScan {
        /// The model's table.
        table: String,
        /// What would have made the query efficient.
        message: String,
    },
    /// `order_by` cannot be served by the clustering order and the query has no `limit` to
    /// bound a client-side sort.
    #[error("{message}")]
    Unordered {
        /// The model's table.
        table: String,
        /// Why, and what to do.
        message: String,
    },
    /// The query names a column the model does not have (a hand-made handle).
    #[error("table `{table}` has no column at position {index}")]
    NoColumn {
        /// The model's table.
        table: String,
        /// The handle's position.
        index: usize,
    },
    /// The server refused or failed a request.
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A write of `update`/`delete` failed.
    #[error(transparent)]
    Write(#[from] WriteError),
}
