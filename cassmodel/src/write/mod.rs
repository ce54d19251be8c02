//! Writes, generic over [`crate::Model`]: inserts (plain and `IF NOT EXISTS`), partial
//! updates, deletes, and batches grouping writes across models. Every write carries a
//! client timestamp from the [`crate::Db`]'s monotonic clock unless the options give one.

mod batch;
mod delete;
mod insert;
mod update;

pub use batch::{BatchBuilder, BatchKind};
pub use delete::{delete, delete_partition, delete_row};
pub use insert::{InsertOutcome, insert, insert_if_not_exists};
pub use update::UpdateQuery;
