//! cassmodel: an object mapper for Apache Cassandra and ScyllaDB.
//!
//! A struct annotated with `#[derive(Model)]` becomes a CQL table; [`Db`] connects to a
//! cluster (`cql://`) or to the embedded server (`embedded:PATH`, `memory:`), and every
//! operation goes through the scylla driver with prepared, cached statements.
//!
//! # A tour
//!
//! Declare a model. Keys are attributes; the CQL types follow the Rust types:
//!
//! ```
//! use cassmodel::prelude::*;
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[cassmodel(table = "userline")]
//! pub struct Userline {
//!     #[cassmodel(partition_key)]
//!     pub username: String,
//!     #[cassmodel(clustering_key, order = "desc")]
//!     pub seq: i64,
//!     pub body: String,
//! }
//! # let _ = Userline::TABLE;
//! ```
//!
//! Connect, create the table (`cassmodel migrate` does this for real deployments), write
//! and read:
//!
//! ```
//! # use cassmodel::prelude::*;
//! # #[derive(Model, Debug, Clone, PartialEq)]
//! # #[cassmodel(table = "userline")]
//! # pub struct Userline {
//! #     #[cassmodel(partition_key)] pub username: String,
//! #     #[cassmodel(clustering_key, order = "desc")] pub seq: i64,
//! #     pub body: String,
//! # }
//! # tokio::runtime::Runtime::new().map_err(|e| e.to_string())?.block_on(async {
//! let db = Db::connect("memory:").await?;
//! db.sync::<Userline>().await?;
//!
//! for seq in 1..=3 {
//!     let line = Userline { username: "ada".into(), seq, body: format!("tweet {seq}") };
//!     line.insert(&db).await?;
//! }
//!
//! // One row by its full primary key.
//! let one = Userline::get(&db, &("ada".to_owned(), 2)).await?;
//! assert_eq!(one.map(|l| l.body).as_deref(), Some("tweet 2"));
//!
//! // A whole partition, in clustering order (newest first here), fetched page by page.
//! let all: Vec<Userline> = Userline::find_by_partition(&db, &("ada".to_owned(),))
//!     .try_collect()
//!     .await?;
//! assert_eq!(all.iter().map(|l| l.seq).collect::<Vec<_>>(), [3, 2, 1]);
//!
//! // A clustering slice: seq < 3, at most one row.
//! let older: Vec<Userline> = Userline::slice(&db, &("ada".to_owned(),))
//!     .lt(&3_i64)
//!     .limit(1)
//!     .stream()
//!     .try_collect()
//!     .await?;
//! assert_eq!(older[0].seq, 2);
//! # Ok::<_, cassmodel::Error>(())
//! # }).map_err(|e| e.to_string())?;
//! # Ok::<_, String>(())
//! ```
//!
//! Writes take options (TTL, timestamp, consistency), conditional inserts report what
//! they found, updates touch only the named columns, and batches group writes:
//!
//! ```
//! # use cassmodel::prelude::*;
//! # use cassmodel::write::InsertOutcome;
//! # #[derive(Model, Debug, Clone, PartialEq)]
//! # pub struct Account {
//! #     #[cassmodel(partition_key)] pub login: String,
//! #     pub owner: String,
//! # }
//! # tokio::runtime::Runtime::new().map_err(|e| e.to_string())?.block_on(async {
//! # let db = Db::connect("memory:").await?;
//! # db.sync::<Account>().await?;
//! use std::time::Duration;
//!
//! let ada = Account { login: "ada".into(), owner: "Ada".into() };
//! assert_eq!(ada.insert_if_not_exists(&db).await?, InsertOutcome::Inserted);
//! let impostor = Account { login: "ada".into(), owner: "Eve".into() };
//! assert_eq!(impostor.insert_if_not_exists(&db).await?, InsertOutcome::Exists(ada.clone()));
//!
//! let key = ("ada".to_owned(),);
//! Account::update(&db, &key).set("owner", &"Countess").execute().await?;
//!
//! let guest = Account { login: "guest".into(), owner: "nobody".into() };
//! guest.insert_with(&db, &WriteOptions::new().ttl(Duration::from_secs(3600))).await?;
//!
//! let bob = Account { login: "bob".into(), owner: "Bob".into() };
//! db.batch().insert(&bob).delete_row(&guest).execute().await?;
//! assert!(Account::get(&db, &("guest".to_owned(),)).await?.is_none());
//! # Ok::<_, cassmodel::Error>(())
//! # }).map_err(|e| e.to_string())?;
//! # Ok::<_, String>(())
//! ```
//!
//! Errors are one enum per operation ([`ConnectError`], [`SchemaError`], [`ReadError`],
//! [`WriteError`]) converging in [`Error`]; their messages say what to do (a missing
//! table suggests `cassmodel migrate`, a column whose type differs from the field names both).
//!
//! # Modules
//!
//! * [`db`] — connection URLs, the [`Db`], keyspaces, [`Db::sync`];
//! * [`model`] — the [`Model`] trait the derive implements, and its contract;
//! * [`read`] / [`stream`] — finders and paged streams; [`write`](mod@write) — writes and batches;
//! * [`query`] — the query builder and planner;
//! * [`types`] — CQL value types (time UUIDs, dates, counters...);
//! * [`error`] — the error enums.

pub mod db;
#[doc(hidden)]
pub mod doc_support;
pub mod error;
mod ext;
pub mod model;
pub mod options;
pub mod query;
pub mod read;
mod rendered;
pub mod row;
pub mod stream;
pub mod types;
pub mod write;

#[doc(hidden)]
pub mod __private;

/// The traits and types most programs need: `use cassmodel::prelude::*;`.
pub mod prelude {
    pub use crate::{Db, Model, ModelExt, ReadOptions, UserType, WriteOptions};
    pub use futures::{StreamExt as _, TryStreamExt as _};
}

pub use cassmodel_derive::{Model, UserType};
pub use db::{Db, Replication};
pub use error::{ConnectError, Error, ReadError, RequestError, Result, SchemaError, WriteError};
pub use ext::ModelExt;
pub use model::{Model, ModelCql, QueryTableCql, UserType};
pub use options::{Consistency, ReadOptions, SerialConsistency, WriteOptions};
pub use query::{Query, QueryError};
