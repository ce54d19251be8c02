//! Shared helpers for the scylla-driver tests: a server on an ephemeral port and a
//! session with full schema metadata in a fresh keyspace.
#![allow(dead_code, missing_docs, clippy::unwrap_used)]

use std::time::Duration;

use cassmodel_embedded::server::{Server, ServerConfig, ServerHandle, StorageLocation};
use scylla::client::session::Session;
use scylla::client::session_builder::SessionBuilder;

pub async fn start(storage: StorageLocation) -> ServerHandle {
    Server::start(ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        storage,
        ..ServerConfig::default()
    })
    .await
    .unwrap()
}

pub async fn session(server: &ServerHandle) -> Session {
    SessionBuilder::new()
        .known_node_addr(server.local_addr())
        .connection_timeout(Duration::from_secs(5))
        .build()
        .await
        .unwrap()
}

pub async fn with_keyspace(session: &Session, ks: &str) {
    session
        .query_unpaged(
            format!("CREATE KEYSPACE IF NOT EXISTS {ks} WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': 1}}"),
            &[],
        )
        .await
        .unwrap();
    session.use_keyspace(ks, false).await.unwrap();
}
