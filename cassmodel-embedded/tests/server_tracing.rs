//! Request tracing end to end with the unmodified scylla driver: a request sent with the
//! TRACING flag gets a session id in its reply, and the session (its row in
//! `system_traces.sessions`, complete with a duration, and its events) is there to read
//! as soon as the reply arrives, as cqlsh's `TRACING ON` and the drivers expect.

#![expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::time::Duration;

use cassmodel_embedded::server::{Server, ServerConfig, ServerHandle};
use scylla::client::session::Session;
use scylla::client::session_builder::SessionBuilder;
use scylla::observability::tracing::TracingInfo;
use scylla::statement::batch::Batch;
use scylla::statement::unprepared::Statement;
use uuid::Uuid;

async fn start() -> (ServerHandle, Session) {
    let server = Server::start(ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..ServerConfig::default()
    })
    .await
    .unwrap();
    let session = SessionBuilder::new()
        .known_node_addr(server.local_addr())
        .connection_timeout(Duration::from_secs(5))
        // One look only: the session must be complete when the reply arrives.
        .tracing_info_fetch_attempts(std::num::NonZeroU32::new(1).unwrap())
        .build()
        .await
        .unwrap();
    session
        .query_unpaged(
            "CREATE KEYSPACE orchard WITH replication = \
             {'class': 'SimpleStrategy', 'replication_factor': 1}",
            &[],
        )
        .await
        .unwrap();
    session
        .query_unpaged(
            "CREATE TABLE orchard.trees (row int, pos int, kind text, PRIMARY KEY (row, pos))",
            &[],
        )
        .await
        .unwrap();
    (server, session)
}

fn traced(cql: &str) -> Statement {
    let mut s = Statement::new(cql);
    s.set_tracing(true);
    s
}

fn activities(info: &TracingInfo) -> Vec<String> {
    info.events
        .iter()
        .map(|e| e.activity.clone().unwrap_or_default())
        .collect()
}

async fn info(session: &Session, id: Option<Uuid>) -> TracingInfo {
    let id = id.expect("a traced request's reply carries a tracing id");
    session.get_tracing_info(&id).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traced_query_has_a_complete_session_and_events() {
    let (server, session) = start().await;
    let insert = session
        .query_unpaged(
            traced("INSERT INTO orchard.trees (row, pos, kind) VALUES (1, 2, 'pear')"),
            &[],
        )
        .await
        .unwrap();
    let write = info(&session, insert.tracing_id()).await;
    assert_eq!(write.request.as_deref(), Some("Execute CQL3 query"));
    assert_eq!(write.command.as_deref(), Some("QUERY"));
    assert!(write.duration.is_some(), "{write:?}");
    assert!(write.started_at.is_some(), "{write:?}");
    assert_eq!(write.client, Some("127.0.0.1".parse().unwrap()));
    assert_eq!(write.coordinator, Some("127.0.0.1".parse().unwrap()));
    let params = write.parameters.clone().unwrap();
    assert_eq!(
        params.get("query").map(String::as_str),
        Some("INSERT INTO orchard.trees (row, pos, kind) VALUES (1, 2, 'pear')")
    );
    assert!(params.contains_key("consistency_level"), "{params:?}");
    let acts = activities(&write);
    assert!(acts[0].starts_with("Parsing INSERT"), "{acts:?}");
    assert!(
        acts.contains(&"Adding to trees memtable".to_owned()),
        "{acts:?}"
    );

    let select = session
        .query_unpaged(traced("SELECT * FROM orchard.trees WHERE row = 1"), &[])
        .await
        .unwrap();
    let read = info(&session, select.tracing_id()).await;
    let acts = activities(&read);
    assert!(
        acts.contains(&"Executing single-partition query on trees".to_owned()),
        "{acts:?}"
    );
    assert!(acts.contains(&"Read 1 live rows".to_owned()), "{acts:?}");
    // The session's own rows were not traced into further sessions.
    assert_ne!(read.request, None);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untraced_requests_carry_no_tracing_id() {
    let (server, session) = start().await;
    let r = session
        .query_unpaged("SELECT * FROM orchard.trees", &[])
        .await
        .unwrap();
    assert_eq!(r.tracing_id(), None);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traced_prepared_statement_lists_its_bound_values() {
    let (server, session) = start().await;
    let mut prepared = session
        .prepare("INSERT INTO orchard.trees (row, pos, kind) VALUES (?, ?, ?)")
        .await
        .unwrap();
    prepared.set_tracing(true);
    let r = session
        .execute_unpaged(&prepared, (3, 4, "fig"))
        .await
        .unwrap();
    let t = info(&session, r.tracing_id()).await;
    assert_eq!(t.request.as_deref(), Some("Execute CQL3 prepared query"));
    let params = t.parameters.unwrap();
    assert_eq!(params.get("bound_var_0_row").map(String::as_str), Some("3"));
    assert_eq!(
        params.get("bound_var_2_kind").map(String::as_str),
        Some("'fig'")
    );
    assert_eq!(
        params.get("query").map(String::as_str),
        Some("INSERT INTO orchard.trees (row, pos, kind) VALUES (?, ?, ?)")
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traced_batch_and_traced_error() {
    let (server, session) = start().await;
    let mut batch = Batch::default();
    batch.append_statement("INSERT INTO orchard.trees (row, pos, kind) VALUES (5, 1, 'oak')");
    batch.set_tracing(true);
    let r = session.batch(&batch, ((),)).await.unwrap();
    let t = info(&session, r.tracing_id()).await;
    assert_eq!(t.request.as_deref(), Some("Execute batch of CQL3 queries"));
    assert!(activities(&t).contains(&"Appending to commitlog".to_owned()));

    // A refused request still runs in a session (its reply is an error).
    let err = session
        .query_unpaged(
            traced("SELECT * FROM orchard.trees WHERE kind = 'oak'"),
            &[],
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("ALLOW FILTERING"), "{err}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_tables_have_no_gc_grace() {
    // TraceKeyspace builds both tables with gcGraceSeconds(0).
    let (server, session) = start().await;
    for table in ["sessions", "events"] {
        let (gc,): (i32,) = session
            .query_unpaged(
                "SELECT gc_grace_seconds FROM system_schema.tables \
                 WHERE keyspace_name = 'system_traces' AND table_name = ?",
                (table,),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .single_row()
            .unwrap();
        assert_eq!(gc, 0, "{table}");
    }
    server.shutdown().await;
}
