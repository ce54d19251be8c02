//! cassmodel: an object mapper for Apache Cassandra and ScyllaDB.

pub mod db;
#[doc(hidden)]
pub mod doc_support;
pub mod error;
pub mod model;
pub mod options;
pub mod query;
pub mod read;
mod rendered;
pub mod row;
pub mod stream;
pub mod write;

#[doc(hidden)]
pub mod __private;

pub use db::{Db, Replication};
pub use error::{ConnectError, Error, ReadError, RequestError, Result, SchemaError, WriteError};
pub use model::{Model, ModelCql, UserType};
pub use options::{Consistency, ReadOptions, SerialConsistency, WriteOptions};
pub use query::{Query, QueryError};
