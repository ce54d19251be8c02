//! Cassandra storage semantics over fjall.
