//! cassmodel-embedded: a strict, durable CQL server for one machine.
//!
//! Unmodified drivers (the scylla Rust driver, the DataStax Python driver, cqlsh) connect
//! to it over native protocol v4 and cannot tell it from a one-node Apache Cassandra 4.1
//! for the CQL it supports. What it does not support is refused with an Invalid error that
//! says so.

pub mod api;
pub mod error;
pub mod exec;
pub mod protocol;
pub mod schema;
pub mod server;
pub mod types;

pub use error::{CqlError, CqlResult, ErrorCode};
pub use exec::{Engine, EngineConfig, SyncMode};
