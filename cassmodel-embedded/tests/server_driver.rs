//! End to end with the unmodified scylla 1.9 driver: handshake (with and without schema
//! metadata), lz4 + authentication, DDL with schema agreement, prepared statements, paging
//! and USE, against the real engine.

#![expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::time::Duration;

use cassmodel_embedded::server::{Credentials, Server, ServerConfig, ServerHandle};
use futures::TryStreamExt;
use scylla::client::session::Session;
use scylla::client::session_builder::SessionBuilder;
use scylla::frame::Compression;
use scylla::statement::unprepared::Statement;

async fn start(auth: Option<Credentials>) -> ServerHandle {
    Server::start(ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        auth,
        ..ServerConfig::default()
    })
    .await
    .unwrap()
}

fn builder(server: &ServerHandle) -> SessionBuilder {
    SessionBuilder::new()
        .known_node_addr(server.local_addr())
        .connection_timeout(Duration::from_secs(5))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_without_schema_metadata() {
    let server = start(None).await;
    let session = builder(&server)
        .fetch_schema_metadata(false)
        .build()
        .await
        .unwrap();
    let (cluster, release): (String, String) = session
        .query_unpaged(
            "SELECT cluster_name, release_version FROM system.local",
            &[],
        )
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .single_row()
        .unwrap();
    assert!(!cluster.is_empty());
    assert!(release.starts_with('4'), "{release}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lz4_and_password_authentication() {
    let creds = Credentials {
        user: "cassandra".into(),
        password: "pw".into(),
    };
    let server = start(Some(creds)).await;
    let bad = builder(&server)
        .fetch_schema_metadata(false)
        .user("cassandra", "nope")
        .build()
        .await;
    assert!(bad.is_err(), "a wrong password must not connect");
    let session = builder(&server)
        .fetch_schema_metadata(false)
        .user("cassandra", "pw")
        .compression(Some(Compression::Lz4))
        .build()
        .await
        .unwrap();
    let rows = session
        .query_unpaged("SELECT key FROM system.local", &[])
        .await
        .unwrap()
        .into_rows_result()
        .unwrap();
    assert_eq!(rows.rows_num(), 1);
    server.shutdown().await;
}

async fn schema(session: &Session) {
    session
        .query_unpaged(
            "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            &[],
        )
        .await
        .unwrap();
    session
        .query_unpaged(
            "CREATE TABLE ks.t (p int, c int, v text, PRIMARY KEY (p, c))",
            &[],
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_metadata_ddl_prepared_and_paging() {
    let server = start(None).await;
    let session = builder(&server).build().await.unwrap();
    schema(&session).await;
    session.await_schema_agreement().await.unwrap();

    let insert = session
        .prepare("INSERT INTO ks.t (p, c, v) VALUES (?, ?, ?)")
        .await
        .unwrap();
    // Token-aware routing needs the partition key indexes of the PREPARED metadata.
    assert!(insert.is_token_aware());
    assert_eq!(insert.get_variable_pk_indexes().len(), 1);
    for p in 0..4i32 {
        for c in 0..5i32 {
            session
                .execute_unpaged(&insert, (p, c, format!("v{p}-{c}")))
                .await
                .unwrap();
        }
    }
    let select = session
        .prepare("SELECT v FROM ks.t WHERE p = ? AND c = ?")
        .await
        .unwrap();
    let (v,): (String,) = session
        .execute_unpaged(&select, (2i32, 3i32))
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .single_row()
        .unwrap();
    assert_eq!(v, "v2-3");

    // 20 rows over 4 partitions, 3 rows a page.
    let all: Vec<(i32, i32)> = session
        .query_iter(
            Statement::new("SELECT p, c FROM ks.t").with_page_size(3),
            &[],
        )
        .await
        .unwrap()
        .rows_stream::<(i32, i32)>()
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 20);

    session.use_keyspace("ks", false).await.unwrap();
    let rows = session
        .query_unpaged("SELECT v FROM t WHERE p = 0", &[])
        .await
        .unwrap()
        .into_rows_result()
        .unwrap();
    assert_eq!(rows.rows_num(), 5);
    server.shutdown().await;
}

/// The driver's whole handshake (OPTIONS,
/// STARTUP with lz4, AUTHENTICATE/AUTH_RESPONSE, REGISTER on the control connection, the
/// pool) must succeed, and an engine error must reach it with its code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn driver_handshake_with_lz4_and_auth_reaches_the_engine() {
    use scylla::errors::{DbError, ExecutionError, RequestAttemptError};
    let server = start(Some(Credentials {
        user: "u".into(),
        password: "p".into(),
    }))
    .await;
    let bad = builder(&server)
        .fetch_schema_metadata(false)
        .user("u", "wrong")
        .build()
        .await;
    assert!(bad.is_err(), "a wrong password must not connect");
    let session = builder(&server)
        .fetch_schema_metadata(false)
        .user("u", "p")
        .compression(Some(Compression::Lz4))
        .build()
        .await
        .unwrap();
    let err = session
        .query_unpaged("SELECT * FROM no_such_keyspace.no_such_table", &[])
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            ExecutionError::LastAttemptError(RequestAttemptError::DbError(DbError::Invalid, _))
        ),
        "{err:?}"
    );
    drop(session);
    server.shutdown().await;
}
