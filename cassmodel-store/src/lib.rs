//! Cassandra's storage semantics over the fjall LSM engine, byte-level and type-agnostic.
//!
//! The engine above hands the store serialized partition keys, byte-comparable clustering
//! keys and cell paths, column ids and opaque values. The store keeps, per cell, the write
//! timestamp, TTL and tombstones, reconciles writes exactly as Cassandra does
//! (`db/rows/Cells.java`), applies partition, range, row and collection deletions on read,
//! orders partitions by Murmur3 token, and makes every [`Store::apply`] atomic and
//! durable with group commit ([`defer_durability`] lets an async caller await the fsync
//! instead of blocking on it). The key layout is drawn in `docs/storage.md`.
//!
//! ```no_run
//! use cassmodel_store::{ColumnId, Mutation, ReadSpec, RowKey, RowUpdate, Store, StoreOptions, TableId};
//! # fn main() -> Result<(), cassmodel_store::StoreError> {
//! let store = Store::open("/tmp/data", StoreOptions::default())?;
//! let row = RowUpdate::new(RowKey::Clustering(vec![1])).set(ColumnId(1), 10, b"v".to_vec(), None);
//! store.apply(&[Mutation::new(TableId(1), b"pk".to_vec()).row(row)])?;
//! for row in store.read_partition(TableId(1), b"pk", &ReadSpec::all(0))? {
//!     println!("{:?}", row?);
//! }
//! # Ok(()) }
//! ```
//!
//! Counters are plain cells holding the current total: the executor reads and rewrites
//! them inside [`Store::write`], which serializes all writers. Never call a writing
//! `Store` method from inside a `Store::write` closure (it would wait for the lock the
//! closure holds); use the [`WriteTxn`] it is given.
//!
//! [`Store::truncate`] and [`Store::drop_table`] are atomic across a crash: the table
//! switches to a new, empty generation in one transaction and the old keys are removed
//! lazily (`docs/storage.md`, "Truncate / drop").
//!
//! Background: compactions purge expired cells and old cell tombstones after
//! [`StoreOptions::gc_grace_seconds`]; a background pass (every
//! [`StoreOptions::purge_interval`], and in [`Store::compact`]) purges old partition,
//! range, row and collection tombstones together with the data they shadow; `examples/write_bench.rs` and
//! `examples/read_bench.rs` measure concurrent throughput.

mod commit;
pub mod durability;
mod error;
mod format;
mod gc;
mod generations;
pub mod keys;
mod model;
mod newest;
mod purge;
mod read;
mod record;
mod scan;
mod store;
pub mod token;
mod write;

pub use durability::{CommitTicket, defer_durability};
pub use error::{StoreError, StoreResult};
pub use format::FORMAT_VERSION;
pub use model::{
    Bound, Cell, CellOp, CellUpdate, ColumnId, Deletion, Liveness, Mutation, PartitionKey,
    RangeTombstone, ReadSpec, Row, RowKey, RowUpdate, ScanEnd, ScanStart, Slice, TableId, Ttl,
};
pub use read::{PartitionRows, slice_contains};
pub use scan::PartitionScan;
pub use store::{Store, StoreOptions, SyncMode, WriteTxn};
