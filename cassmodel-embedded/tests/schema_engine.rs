//! The system tables through the engine's ordinary SELECT path, as drivers read them.

use cassmodel_embedded::api::{QueryParams, QueryResult, ResultRows, Session};
use cassmodel_embedded::error::ErrorCode;
use cassmodel_embedded::{Engine, EngineConfig, SyncMode};

fn engine(dir: &std::path::Path) -> std::sync::Arc<Engine> {
    Engine::open(EngineConfig {
        data_dir: dir.to_path_buf(),
        sync: SyncMode::Batch,
        rpc_address: "0.0.0.0:9042".parse().expect("addr"),
    })
    .expect("engine")
}

fn rows(e: &Engine, s: &mut Session, cql: &str) -> ResultRows {
    match e.query(s, cql, &QueryParams::default()).expect(cql) {
        QueryResult::Rows(r) => r,
        other => panic!("{cql}: {other:?}"),
    }
}

fn text(v: &Option<Vec<u8>>) -> String {
    String::from_utf8(v.clone().unwrap_or_default()).expect("utf8")
}

#[test]
fn system_tables_are_served_by_select() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = engine(dir.path());
    let mut s = Session::default();
    e.query(
        &mut s,
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        &QueryParams::default(),
    )
    .expect("keyspace");
    e.query(
        &mut s,
        "CREATE TABLE ks.t (a int, b text, c int, s int static, m frozen<map<text, int>>, \
         PRIMARY KEY ((a, b), c)) WITH CLUSTERING ORDER BY (c DESC)",
        &QueryParams::default(),
    )
    .expect("table");

    let r = rows(
        &e,
        &mut s,
        "SELECT column_name, kind, position, type, clustering_order FROM system_schema.columns \
         WHERE keyspace_name = 'ks' AND table_name = 't'",
    );
    let got: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|row| {
            vec![
                text(&row[0]),
                text(&row[1]),
                i32::from_be_bytes(row[2].clone().unwrap_or_default().try_into().expect("int"))
                    .to_string(),
                text(&row[3]),
                text(&row[4]),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [
            ["a", "partition_key", "0", "int", "none"],
            ["b", "partition_key", "1", "text", "none"],
            ["c", "clustering", "0", "int", "desc"],
            ["m", "regular", "-1", "frozen<map<text, int>>", "none"],
            ["s", "static", "-1", "int", "none"],
        ]
    );

    let local = rows(&e, &mut s, "SELECT * FROM system.local WHERE key = 'local'");
    assert_eq!(local.rows.len(), 1);
    let col = |n: &str| {
        local
            .columns
            .iter()
            .position(|c| c.name == n)
            .unwrap_or_else(|| panic!("no column {n}"))
    };
    assert_eq!(text(&local.rows[0][col("cluster_name")]), "Test Cluster");
    assert_eq!(text(&local.rows[0][col("release_version")]), "4.1.5");
    assert_eq!(
        local.rows[0][col("rpc_address")].as_deref(),
        Some(&[127, 0, 0, 1][..])
    );
    assert!(local.rows[0][col("tokens")].is_some());
    assert!(local.rows[0][col("host_id")].is_some());

    for t in [
        "keyspaces",
        "tables",
        "columns",
        "types",
        "functions",
        "aggregates",
        "triggers",
        "indexes",
        "views",
    ] {
        rows(&e, &mut s, &format!("SELECT * FROM system_schema.{t}"));
    }
    assert!(
        rows(&e, &mut s, "SELECT * FROM system.peers")
            .rows
            .is_empty()
    );
    assert!(
        rows(&e, &mut s, "SELECT * FROM system.peers_v2")
            .rows
            .is_empty()
    );

    let err = e
        .prepare(
            &s,
            "SELECT keyspace_name, table_name, partitioner FROM system_schema.scylla_tables",
        )
        .expect_err("no scylla tables");
    assert_eq!(err.code, ErrorCode::Invalid);
    assert_eq!(err.message, "unconfigured table scylla_tables");

    let flags = rows(
        &e,
        &mut s,
        "SELECT flags FROM system_schema.tables WHERE keyspace_name = 'ks' AND table_name = 't'",
    );
    assert_eq!(flags.rows.len(), 1);
}

#[test]
fn schema_version_query_changes_after_ddl_and_survives_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Session::default();
    let (v1, host) = {
        let e = engine(dir.path());
        let q = "SELECT schema_version, host_id FROM system.local WHERE key = 'local'";
        let before = rows(&e, &mut s, q).rows[0].clone();
        e.query(
            &mut s,
            "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            &QueryParams::default(),
        )
        .expect("keyspace");
        let after = rows(&e, &mut s, q).rows[0].clone();
        assert_ne!(before[0], after[0]);
        assert_eq!(before[1], after[1]);
        e.flush().expect("flush");
        (after[0].clone(), after[1].clone())
    };
    let e = engine(dir.path());
    let again = rows(
        &e,
        &mut s,
        "SELECT schema_version, host_id FROM system.local WHERE key = 'local'",
    )
    .rows[0]
        .clone();
    assert!(v1.is_some());
    assert_eq!(again[1], host, "host_id survives a restart");
    let ks = rows(
        &e,
        &mut s,
        "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = 'ks'",
    );
    assert_eq!(ks.rows.len(), 1);
}

#[test]
fn size_estimate_tables_exist_and_start_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = engine(dir.path());
    let mut s = Session::default();
    e.query(
        &mut s,
        "CREATE KEYSPACE est WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        &QueryParams::default(),
    )
    .expect("keyspace");
    e.query(
        &mut s,
        "CREATE TABLE est.items (id int PRIMARY KEY, label text)",
        &QueryParams::default(),
    )
    .expect("table");
    for q in [
        "SELECT range_start, range_end, partitions_count, mean_partition_size FROM system.size_estimates WHERE keyspace_name = 'est' AND table_name = 'items'",
        "SELECT range_type, partitions_count FROM system.table_estimates WHERE keyspace_name = 'est'",
    ] {
        let r = rows(&e, &mut s, q);
        assert!(r.rows.is_empty(), "{q}");
    }
    let listed = rows(
        &e,
        &mut s,
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'system'",
    );
    let names: Vec<String> = listed.rows.iter().map(|r| text(&r[0])).collect();
    assert!(names.contains(&"size_estimates".to_owned()), "{names:?}");
    assert!(names.contains(&"table_estimates".to_owned()), "{names:?}");
    // Like every table of `system`, they cannot be written by users.
    let err = e
        .query(
            &mut s,
            "INSERT INTO system.table_estimates (keyspace_name, table_name, range_type, range_start, range_end) VALUES ('a', 'b', 'primary', '0', '1')",
            &QueryParams::default(),
        )
        .expect_err("system tables are read-only");
    assert_eq!(err.code, ErrorCode::Unauthorized, "{}", err.message);
}
