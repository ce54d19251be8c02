//! Prepared statements with token-aware routing, paging over several partitions, batches,
//! LWT and TTL through the unmodified scylla driver.
#![allow(clippy::unwrap_used)]

mod driver_common;

use cassmodel_embedded::server::StorageLocation;
use driver_common::*;
use futures::TryStreamExt;
use scylla::statement::batch::Batch;
use scylla::statement::unprepared::Statement;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prepared_routing_paging_batches_lwt_ttl() {
    let server = start(StorageLocation::Memory).await;
    let s = session(&server).await;
    with_keyspace(&s, "feat").await;
    s.query_unpaged(
        "CREATE TABLE t (a int, b text, c int, v int, PRIMARY KEY ((a, b), c))",
        &[],
    )
    .await
    .unwrap();

    // Token-aware routing: the driver computes the token from pk_indexes; the server's
    // token() must agree.
    let insert = s
        .prepare("INSERT INTO t (c, b, a, v) VALUES (?, ?, ?, ?)")
        .await
        .unwrap();
    assert_eq!(insert.get_variable_pk_indexes().len(), 2);
    let token = insert.calculate_token(&(1, "x", 7, 1)).unwrap().unwrap();
    s.execute_unpaged(&insert, (1, "x", 7, 1)).await.unwrap();
    let (server_token,): (i64,) = s
        .query_unpaged("SELECT token(a, b) FROM t WHERE a = 7 AND b = 'x'", &[])
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .first_row()
        .unwrap();
    assert_eq!(server_token, token.value());

    // Paging over several partitions with a small page size.
    for a in 0..10 {
        for c in 0..5 {
            s.execute_unpaged(&insert, (c, "p", a, a * 10 + c))
                .await
                .unwrap();
        }
    }
    let mut select = s.prepare("SELECT v FROM t").await.unwrap();
    select.set_page_size(3);
    let rows: Vec<(i32,)> = s
        .execute_iter(select, &[])
        .await
        .unwrap()
        .rows_stream::<(i32,)>()
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows.len(), 51);

    // A logged batch applies atomically with one timestamp.
    let mut batch = Batch::default();
    batch.append_statement(insert.clone());
    batch.append_statement(Statement::new(
        "UPDATE t SET v = ? WHERE a = ? AND b = ? AND c = ?",
    ));
    s.batch(&batch, ((100, "b", 100, 1), (2, 100, "b", 101)))
        .await
        .unwrap();
    let rows: Vec<(i32, i64)> = s
        .query_unpaged(
            "SELECT v, writetime(v) FROM t WHERE a = 100 AND b = 'b'",
            &[],
        )
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .rows::<(i32, i64)>()
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].1, rows[1].1);

    // LWT.
    let (applied,): (bool,) = s
        .query_unpaged(
            "INSERT INTO t (a, b, c, v) VALUES (200, 'l', 1, 1) IF NOT EXISTS",
            &[],
        )
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .first_row()
        .unwrap();
    assert!(applied);
    let (applied, v): (bool, Option<i32>) = s
        .query_unpaged(
            "UPDATE t SET v = 5 WHERE a = 200 AND b = 'l' AND c = 1 IF v = 3",
            &[],
        )
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .first_row()
        .unwrap();
    assert!(!applied);
    assert_eq!(v, Some(1));

    // TTL is reported by ttl().
    s.query_unpaged(
        "INSERT INTO t (a, b, c, v) VALUES (300, 't', 1, 1) USING TTL 1000",
        &[],
    )
    .await
    .unwrap();
    let (ttl,): (Option<i32>,) = s
        .query_unpaged("SELECT ttl(v) FROM t WHERE a = 300 AND b = 't'", &[])
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .first_row()
        .unwrap();
    let ttl = ttl.unwrap();
    assert!((990..=1000).contains(&ttl), "{ttl}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_keeps_acknowledged_writes() {
    let dir = tempfile::tempdir().unwrap();
    {
        let server = start(StorageLocation::Directory(dir.path().to_path_buf())).await;
        let s = session(&server).await;
        with_keyspace(&s, "durable").await;
        s.query_unpaged("CREATE TABLE kv (k int PRIMARY KEY, v text)", &[])
            .await
            .unwrap();
        let insert = s
            .prepare("INSERT INTO kv (k, v) VALUES (?, ?)")
            .await
            .unwrap();
        for k in 0..20 {
            s.execute_unpaged(&insert, (k, format!("v{k}")))
                .await
                .unwrap();
        }
        server.shutdown().await;
    }
    let server = start(StorageLocation::Directory(dir.path().to_path_buf())).await;
    let s = session(&server).await;
    s.use_keyspace("durable", false).await.unwrap();
    let rows: Vec<(i32, String)> = s
        .query_unpaged("SELECT k, v FROM kv", &[])
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .rows::<(i32, String)>()
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 20);
    assert!(rows.iter().all(|(k, v)| *v == format!("v{k}")));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_round_trip() {
    let server = start(StorageLocation::Memory).await;
    let s = session(&server).await;
    with_keyspace(&s, "js").await;
    s.query_unpaged(
        "CREATE TABLE j (k int PRIMARY KEY, v text, m map<text, int>)",
        &[],
    )
    .await
    .unwrap();
    let insert = s.prepare("INSERT INTO j JSON ?").await.unwrap();
    s.execute_unpaged(&insert, ("{\"k\": 1, \"v\": \"a\", \"m\": {\"x\": 2}}",))
        .await
        .unwrap();
    let (doc,): (String,) = s
        .query_unpaged("SELECT JSON * FROM j WHERE k = 1", &[])
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .first_row()
        .unwrap();
    assert_eq!(doc, "{\"k\": 1, \"m\": {\"x\": 2}, \"v\": \"a\"}");
    server.shutdown().await;
}
