//! Server-side DESCRIBE: the CQL Cassandra 4.1 prints for keyspaces, tables, indexes
//! and types, and the listing forms cqlsh uses.

use cassmodel_cql::ast::Statement;
use cassmodel_embedded::api::{ResultRows, Session};
use cassmodel_embedded::exec::ddl::{self, DdlContext};
use cassmodel_embedded::schema::bootstrap::open_catalog;
use cassmodel_embedded::schema::describe::describe;
use cassmodel_store::{Store, StoreOptions};

fn setup(
    statements: &[&str],
) -> (
    tempfile::TempDir,
    Store,
    cassmodel_embedded::schema::Catalog,
) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path(), StoreOptions::default()).expect("store");
    let addr = "127.0.0.1:9042".parse().expect("addr");
    let (catalog, node) = open_catalog(&store, addr, "Test Cluster").expect("catalog");
    for cql in statements {
        let ctx = DdlContext {
            catalog: &catalog,
            store: &store,
            node: &node,
            events: None,
        };
        let stmt = cassmodel_cql::parse(cql).expect("parses");
        ddl::execute(&ctx, &Session::default(), &stmt).expect(cql);
    }
    (dir, store, catalog)
}

fn run(catalog: &cassmodel_embedded::schema::Catalog, cql: &str) -> ResultRows {
    let Statement::Describe(d) = cassmodel_cql::parse(cql).expect("parses") else {
        panic!("not a DESCRIBE: {cql}");
    };
    let session = Session {
        keyspace: Some("ks".into()),
        user: None,
    };
    describe(&catalog.snapshot(), &session, &d, "Test Cluster").expect(cql)
}

fn texts(rows: &ResultRows) -> Vec<Vec<String>> {
    rows.rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| String::from_utf8(c.clone().unwrap_or_default()).expect("utf8"))
                .collect()
        })
        .collect()
}

const TABLE_TAIL: &str = "    AND additional_write_policy = '99p'
    AND bloom_filter_fp_chance = 0.01
    AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'}
    AND cdc = false
    AND comment = 'it''s'
    AND compaction = {'class': 'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy', 'max_threshold': '32', 'min_threshold': '4'}
    AND compression = {'chunk_length_in_kb': '16', 'class': 'org.apache.cassandra.io.compress.LZ4Compressor'}
    AND memtable = 'default'
    AND crc_check_chance = 1.0
    AND default_time_to_live = 0
    AND extensions = {}
    AND gc_grace_seconds = 864000
    AND max_index_interval = 2048
    AND memtable_flush_period_in_ms = 0
    AND min_index_interval = 128
    AND read_repair = 'BLOCKING'
    AND speculative_retry = '99p';";

#[test]
fn describe_table_keyspace_and_listings() {
    let (_dir, _store, catalog) = setup(&[
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE TYPE ks.addr (street text, zip int)",
        "CREATE TABLE ks.c (a int, b text, c1 int, c2 text, s int static, v frozen<addr>, \
         PRIMARY KEY ((a, b), c1, c2)) WITH CLUSTERING ORDER BY (c1 DESC) AND comment = 'it''s'",
        "CREATE INDEX ON ks.c (v)",
    ]);
    let rows = texts(&run(&catalog, "DESCRIBE TABLE ks.c"));
    assert_eq!(rows.len(), 2);
    let want = format!(
        "CREATE TABLE ks.c (\n    a int,\n    b text,\n    c1 int,\n    c2 text,\n    s int static,\n    v frozen<addr>,\n    PRIMARY KEY ((a, b), c1, c2)\n) WITH CLUSTERING ORDER BY (c1 DESC, c2 ASC)\n{TABLE_TAIL}"
    );
    assert_eq!(rows[0], ["ks", "table", "c", want.as_str()]);
    assert_eq!(
        rows[1],
        [
            "ks",
            "index",
            "c_v_idx",
            "CREATE INDEX c_v_idx ON ks.c (v);"
        ]
    );

    let ks = texts(&run(&catalog, "DESCRIBE KEYSPACE ks"));
    let kinds: Vec<&str> = ks.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(kinds, ["keyspace", "type", "table", "index"]);
    assert_eq!(
        ks[0][3],
        "CREATE KEYSPACE ks WITH replication = {'class': 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '1'}  AND durable_writes = true;"
    );
    assert_eq!(
        ks[1][3],
        "CREATE TYPE ks.addr (\n    street text,\n    zip int\n);"
    );

    let listing = run(&catalog, "DESCRIBE KEYSPACES");
    assert_eq!(listing.columns.len(), 3);
    let names: Vec<String> = texts(&listing).into_iter().map(|r| r[0].clone()).collect();
    assert!(names.contains(&"ks".to_owned()));
    assert!(names.contains(&"system_schema".to_owned()));

    let e = describe(
        &catalog.snapshot(),
        &Session::default(),
        &match cassmodel_cql::parse("DESCRIBE TABLE ks.nope").expect("parses") {
            Statement::Describe(d) => d,
            _ => panic!("not a DESCRIBE"),
        },
        "Test Cluster",
    )
    .expect_err("missing table");
    assert_eq!(e.message, "Table 'nope' not found in keyspace 'ks'");
}

#[test]
fn describe_simple_key_table() {
    let (_dir, _store, catalog) = setup(&[
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE TABLE ks.t (k int PRIMARY KEY, v text)",
    ]);
    let rows = texts(&run(&catalog, "DESCRIBE t"));
    assert!(
        rows[0][3].starts_with("CREATE TABLE ks.t (\n    k int PRIMARY KEY,\n    v text\n) WITH additional_write_policy = '99p'\n"),
        "{}",
        rows[0][3]
    );
}

#[test]
fn describe_runs_through_the_ddl_entry_point() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path(), StoreOptions::default()).expect("store");
    let addr = "127.0.0.1:9042".parse().expect("addr");
    let (catalog, node) = open_catalog(&store, addr, "My Cluster").expect("catalog");
    let ctx = DdlContext {
        catalog: &catalog,
        store: &store,
        node: &node,
        events: None,
    };
    let stmt = cassmodel_cql::parse("DESCRIBE CLUSTER").expect("parses");
    assert!(ddl::handles(&stmt));
    match ddl::execute(&ctx, &Session::default(), &stmt).expect("describe") {
        cassmodel_embedded::api::QueryResult::Rows(r) => {
            assert_eq!(texts(&r)[0][0], "My Cluster");
        }
        other => panic!("{other:?}"),
    }
}

/// DESCRIBE CLUSTER names the partitioner and snitch without their packages, and adds
/// the ring of the keyspace in use unless it is a system keyspace (4.1's
/// `DescribeStatement.cluster`, printed by cqlsh under "Range ownership:").
#[test]
fn describe_cluster_trims_class_names_and_shows_the_ring_of_the_keyspace_in_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(dir.path(), StoreOptions::default()).expect("store");
    let addr = "127.0.0.1:9042".parse().expect("addr");
    let (catalog, node) = open_catalog(&store, addr, "Test Cluster").expect("catalog");
    let ctx = DdlContext {
        catalog: &catalog,
        store: &store,
        node: &node,
        events: None,
    };
    let create = cassmodel_cql::parse(
        "CREATE KEYSPACE orchard WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    )
    .expect("parses");
    ddl::execute(&ctx, &Session::default(), &create).expect("create");
    let stmt = cassmodel_cql::parse("DESCRIBE CLUSTER").expect("parses");
    let run = |keyspace: Option<&str>| match ddl::execute(
        &ctx,
        &Session {
            keyspace: keyspace.map(str::to_owned),
            user: None,
        },
        &stmt,
    )
    .expect("describe")
    {
        cassmodel_embedded::api::QueryResult::Rows(r) => r,
        other => panic!("{other:?}"),
    };
    for ks in [None, Some("system"), Some("system_auth")] {
        let r = run(ks);
        assert_eq!(
            texts(&r),
            [[
                "Test Cluster",
                "Murmur3Partitioner",
                "DynamicEndpointSnitch"
            ]],
            "{ks:?}"
        );
    }
    let r = run(Some("orchard"));
    let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["cluster", "partitioner", "snitch", "range_ownership"]
    );
    // map<text, list<text>>: one entry, this node's token to its endpoint.
    let cell = r.rows[0][3].clone().expect("ownership");
    let token = node.token.to_string();
    let endpoint = "/127.0.0.1:7000";
    let mut expected = vec![0, 0, 0, 1];
    expected.extend((token.len() as i32).to_be_bytes());
    expected.extend(token.as_bytes());
    let mut list = vec![0, 0, 0, 1];
    list.extend((endpoint.len() as i32).to_be_bytes());
    list.extend(endpoint.as_bytes());
    expected.extend((list.len() as i32).to_be_bytes());
    expected.extend(list);
    assert_eq!(cell, expected);
}

fn run_in(
    catalog: &cassmodel_embedded::schema::Catalog,
    keyspace: Option<&str>,
    cql: &str,
) -> Result<ResultRows, cassmodel_embedded::CqlError> {
    let Statement::Describe(d) = cassmodel_cql::parse(cql).expect("parses") else {
        panic!("not a DESCRIBE: {cql}");
    };
    let session = Session {
        keyspace: keyspace.map(str::to_owned),
        user: None,
    };
    describe(&catalog.snapshot(), &session, &d, "Test Cluster")
}

#[test]
fn user_types_come_before_what_uses_them() {
    let (_dir, _store, catalog) = setup(&[
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE TYPE ks.zphone (kind text, num text)",
        "CREATE TYPE ks.person (name text, ph frozen<zphone>)",
        "CREATE TYPE ks.aaa (p frozen<person>, l list<frozen<zphone>>)",
        "CREATE TYPE ks.mmm (x int)",
        "CREATE TYPE ks.bbb (m map<int, frozen<tuple<int, frozen<mmm>>>>)",
    ]);
    // Types.sortedStream: name order, each type after the types it uses.
    for cql in ["DESCRIBE KEYSPACE ks", "DESCRIBE SCHEMA"] {
        let rows = texts(&run(&catalog, cql));
        let types: Vec<&str> = rows
            .iter()
            .filter(|r| r[0] == "ks" && r[1] == "type")
            .map(|r| r[2].as_str())
            .collect();
        assert_eq!(types, ["zphone", "person", "aaa", "mmm", "bbb"], "{cql}");
    }
    // The listing stays in name order (DescribeStatement.Listing).
    let rows = texts(&run(&catalog, "DESCRIBE TYPES"));
    let names: Vec<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(names, ["aaa", "bbb", "mmm", "person", "zphone"]);
}

#[test]
fn listings_cover_the_current_keyspace_only() {
    let (_dir, _store, catalog) = setup(&[
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE KEYSPACE ks2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE TYPE ks.addr (street text)",
        "CREATE TABLE ks.t1 (k int PRIMARY KEY)",
        "CREATE TABLE ks2.t2 (k int PRIMARY KEY)",
    ]);
    let listed = |ks: Option<&str>, cql: &str| -> Vec<(String, String)> {
        texts(&run_in(&catalog, ks, cql).expect(cql))
            .into_iter()
            .map(|r| (r[0].clone(), r[2].clone()))
            .collect()
    };
    let pair = |k: &str, n: &str| (k.to_owned(), n.to_owned());
    assert_eq!(listed(Some("ks"), "DESCRIBE TABLES"), [pair("ks", "t1")]);
    assert_eq!(listed(Some("ks2"), "DESCRIBE TABLES"), [pair("ks2", "t2")]);
    assert_eq!(listed(Some("ks2"), "DESCRIBE TYPES"), []);
    assert_eq!(listed(Some("ks"), "DESCRIBE TYPES"), [pair("ks", "addr")]);
    // Without a current keyspace: every keyspace, system ones included.
    let all = listed(None, "DESCRIBE TABLES");
    assert!(all.contains(&pair("ks", "t1")) && all.contains(&pair("ks2", "t2")));
    assert!(all.iter().any(|(k, _)| k == "system_schema"));
    assert_eq!(listed(None, "DESCRIBE TYPES"), [pair("ks", "addr")]);
    // A current keyspace that no longer exists (validateKeyspace).
    let e = run_in(&catalog, Some("gone"), "DESCRIBE TABLES").expect_err("gone");
    assert_eq!(e.message, "'gone' not found in keyspaces");
}

#[test]
fn with_internals_a_table_shows_its_id_and_replays_its_dropped_columns() {
    let (_dir, _store, catalog) = setup(&[
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE TABLE ks.g (site int, at int, temp int, note text, level int static, \
         PRIMARY KEY (site, at))",
        "ALTER TABLE ks.g DROP note USING TIMESTAMP 5000000",
        "ALTER TABLE ks.g DROP level USING TIMESTAMP 7000000",
        "ALTER TABLE ks.g ADD level int static",
    ]);
    // Without INTERNALS: the live columns only.
    let plain = &texts(&run(&catalog, "DESCRIBE TABLE ks.g"))[0][3];
    assert!(
        plain.starts_with(
            "CREATE TABLE ks.g (\n    site int,\n    at int,\n    level int static,\n    temp int,\n    PRIMARY KEY (site, at)\n) WITH CLUSTERING ORDER BY (at ASC)\n"
        ),
        "{plain}"
    );
    assert!(!plain.contains("ALTER TABLE"), "{plain}");

    let id = catalog.snapshot().keyspace("ks").expect("ks").tables["g"].uuid;
    let full = &texts(&run(&catalog, "DESCRIBE TABLE ks.g WITH INTERNALS"))[0][3];
    let head = format!(
        "CREATE TABLE ks.g (\n    site int,\n    at int,\n    temp int,\n    level int static,\n    note text,\n    PRIMARY KEY (site, at)\n) WITH ID = {id}\n    AND CLUSTERING ORDER BY (at ASC)\n"
    );
    assert!(full.starts_with(&head), "{full}");
    assert!(
        full.ends_with(
            "AND speculative_retry = '99p';\nALTER TABLE ks.g DROP level USING TIMESTAMP 7000000;\nALTER TABLE ks.g ADD level int static;\nALTER TABLE ks.g DROP note USING TIMESTAMP 5000000;"
        ),
        "{full}"
    );
}

#[test]
fn with_internals_a_single_key_table_keeps_cassandras_commas() {
    let (_dir, _store, catalog) = setup(&[
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE TABLE ks.one (k int PRIMARY KEY, a int, b text)",
        "ALTER TABLE ks.one DROP b USING TIMESTAMP 3000000",
    ]);
    let full = &texts(&run(&catalog, "DESCRIBE TABLE ks.one WITH INTERNALS"))[0][3];
    // `TableMetadata.appendColumnDefinitions` puts no comma after a dropped column of a
    // table with a one-column primary key.
    assert!(
        full.starts_with(
            "CREATE TABLE ks.one (\n    k int PRIMARY KEY,\n    a int,\n    b text\n) WITH ID = "
        ),
        "{full}"
    );
    assert!(
        full.ends_with(";\nALTER TABLE ks.one DROP b USING TIMESTAMP 3000000;"),
        "{full}"
    );
}
