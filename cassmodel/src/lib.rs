//! cassmodel: an object mapper for Apache Cassandra and ScyllaDB.

pub mod error;
pub mod model;
pub mod row;

#[doc(hidden)]
pub mod __private;

pub use model::{Model, ModelCql, UserType};
