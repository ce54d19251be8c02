//! Integration tests of the cassmodel runtime and derive, against `memory:` (an embedded
//! server per test) or the server named by `CASSMODEL_TEST_URL`. Each test builds its own
//! keyspace through `cassmodel_tests::db()`.

mod basic;
mod compound;
mod finders;
mod lwt_ttl;
mod mismatch;
mod model_ttl;
mod query_tables;
mod types;
