//! Writes, generic over [`crate::Model`]: inserts (plain and `IF NOT EXISTS`), partial
//! updates, deletes, and batches grouping writes across models. Every write carries a
//! client timestamp from the [`crate::Db`]'s monotonic clock unless the options give one.
//!
//! # Query tables
//!
//! A model with `#[cassmodel(query_table(..))]` keeps a copy of each row in every query
//! table. Every write of such a model — `insert`, `update`, `delete`, `delete_row`,
//! `delete_partition`, and the same writes added to a [`BatchBuilder`] — sends the row's
//! statement and its copies' in ONE logged batch: once it is acknowledged every table has
//! the change, and if it fails none has. An insert over an existing row, or an update that
//! sets a column of a query table's key, reads the stored row first and deletes its old
//! copy in the same batch; deletes read the stored row (or partition) to find the copies.
//! `insert_if_not_exists` writes the copies only once the insert applied (a conditional
//! batch cannot span tables). A partition delete of more than 200 copies is split into
//! several logged batches, the partition's own delete last. See the `fanout` notes in the
//! source for the timestamps used and the concurrency caveat (read then write is not a
//! transaction).

mod batch;
mod delete;
mod fanout;
mod insert;
mod update;

pub use batch::{BatchBuilder, BatchKind};
pub use delete::{delete, delete_partition, delete_row};
pub use insert::{InsertOutcome, insert, insert_if_not_exists};
pub use update::UpdateQuery;
