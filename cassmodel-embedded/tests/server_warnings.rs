//! Client warnings on the wire: the reply's WARNING flag and `[string list]` reach an
//! unmodified driver (scylla 1.9), with and without tracing and lz4.

#![expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::time::Duration;

use cassmodel_embedded::server::{Server, ServerConfig};
use scylla::client::session_builder::SessionBuilder;
use scylla::frame::Compression;
use scylla::statement::unprepared::Statement;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_reach_the_driver() {
    let server = Server::start(ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..ServerConfig::default()
    })
    .await
    .unwrap();
    for compression in [None, Some(Compression::Lz4)] {
        let session = SessionBuilder::new()
            .known_node_addr(server.local_addr())
            .connection_timeout(Duration::from_secs(5))
            .compression(compression)
            .build()
            .await
            .unwrap();
        let ks = if compression.is_some() {
            "hives_lz4"
        } else {
            "hives"
        };
        let created = session
            .query_unpaged(
                format!(
                    "CREATE KEYSPACE {ks} WITH replication = \
                     {{'class': 'SimpleStrategy', 'replication_factor': 2}}"
                ),
                &[],
            )
            .await
            .unwrap();
        assert_eq!(
            created.warnings().collect::<Vec<_>>(),
            [format!(
                "Your replication factor 2 for keyspace {ks} is higher than the number of nodes 1"
            )]
        );
        // The driver reads at LOCAL_QUORUM: the table lives in a one-replica keyspace.
        let ks = format!("{ks}_one");
        session
            .query_unpaged(
                format!(
                    "CREATE KEYSPACE {ks} WITH replication = \
                     {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
                ),
                &[],
            )
            .await
            .unwrap();
        session
            .query_unpaged(
                format!("CREATE TABLE {ks}.bees (hive int PRIMARY KEY, n int)"),
                &[],
            )
            .await
            .unwrap();
        let mut traced = Statement::new(format!("SELECT count(*) FROM {ks}.bees"));
        traced.set_tracing(true);
        let counted = session.query_unpaged(traced, &[]).await.unwrap();
        assert!(counted.tracing_id().is_some());
        assert_eq!(
            counted.warnings().collect::<Vec<_>>(),
            ["Aggregation query used without partition key"]
        );
        let plain = session
            .query_unpaged(format!("SELECT * FROM {ks}.bees"), &[])
            .await
            .unwrap();
        assert_eq!(plain.warnings().count(), 0);
    }
    server.shutdown().await;
}
