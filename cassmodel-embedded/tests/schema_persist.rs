//! The schema as stored in the store: `system_schema` rows of a composite-key table with
//! statics and clustering order, `system.local`, `schema_version` changes, and the catalog
//! rebuilt after reopening the store.

use std::collections::BTreeMap;

use cassmodel_embedded::api::Session;
use cassmodel_embedded::exec::codec::comparable::decode_clustering;
use cassmodel_embedded::exec::ddl::{self, DdlContext};
use cassmodel_embedded::schema::bootstrap::open_catalog;
use cassmodel_embedded::schema::codec;
use cassmodel_embedded::schema::rows::LocalNode;
use cassmodel_embedded::schema::{Catalog, ColumnKind, TableMeta};
use cassmodel_store::{ReadSpec, ScanEnd, ScanStart, Store, StoreOptions};

fn open(path: &std::path::Path) -> (Store, Catalog, LocalNode) {
    let store = Store::open(path, StoreOptions::default()).expect("store");
    let addr = "0.0.0.0:9042".parse().expect("addr");
    let (catalog, node) = open_catalog(&store, addr, "Test Cluster").expect("catalog");
    (store, catalog, node)
}

fn run(store: &Store, catalog: &Catalog, node: &LocalNode, cql: &str) {
    let stmt = cassmodel_cql::parse(cql).expect("parses");
    let ctx = DdlContext {
        catalog,
        store,
        node,
        events: None,
    };
    ddl::execute(&ctx, &Session::default(), &stmt).expect(cql);
}

/// Every live row of one partition of a system table, by column name (clustering
/// columns decoded, single-cell columns as stored).
fn rows(store: &Store, table: &TableMeta, pk: &[u8]) -> Vec<BTreeMap<String, Vec<u8>>> {
    let ck: Vec<_> = table
        .clustering()
        .map(|c| (&c.ty, c.is_reversed()))
        .collect();
    let names: Vec<_> = table.clustering().map(|c| c.name.clone()).collect();
    let mut out = Vec::new();
    for row in store
        .read_partition(table.id, pk, &ReadSpec::all(0))
        .expect("read")
    {
        let row = row.expect("row");
        let mut m = BTreeMap::new();
        for (n, v) in names
            .iter()
            .zip(decode_clustering(row.clustering(), &ck).expect("clustering"))
        {
            m.insert(n.clone(), v);
        }
        for cell in &row.cells {
            let c = table.column_by_id(cell.column).expect("column");
            if cell.path.is_none() {
                m.insert(c.name.clone(), cell.value.clone());
            } else {
                m.entry(c.name.clone())
                    .or_insert_with(Vec::new)
                    .extend_from_slice(&cell.path.clone().unwrap_or_default());
            }
        }
        out.push(m);
    }
    out
}

fn text(m: &BTreeMap<String, Vec<u8>>, c: &str) -> String {
    codec::read_text(m.get(c).expect(c)).expect("text")
}

const KS: &str =
    "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}";
const TABLE: &str = "CREATE TABLE ks.c (a int, b text, c1 int, c2 text, s frozen<map<text, int>> static, \
     v set<int>, m map<text, int>, PRIMARY KEY ((a, b), c1, c2)) WITH CLUSTERING ORDER BY (c1 DESC, c2 ASC)";

#[test]
fn system_schema_columns_of_composite_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, catalog, node) = open(dir.path());
    run(&store, &catalog, &node, KS);
    run(&store, &catalog, &node, TABLE);
    let snap = catalog.snapshot();
    let columns = snap.table("system_schema", "columns").expect("columns");
    let got: Vec<(String, String, String, i32, String, String)> = rows(&store, columns, b"ks")
        .iter()
        .map(|r| {
            (
                text(r, "table_name"),
                text(r, "column_name"),
                text(r, "kind"),
                codec::read_int(r.get("position").expect("position")).expect("int"),
                text(r, "type"),
                text(r, "clustering_order"),
            )
        })
        .collect();
    let want = [
        ("a", "partition_key", 0, "int", "none"),
        ("b", "partition_key", 1, "text", "none"),
        ("c1", "clustering", 0, "int", "desc"),
        ("c2", "clustering", 1, "text", "asc"),
        ("m", "regular", -1, "map<text, int>", "none"),
        ("s", "static", -1, "frozen<map<text, int>>", "none"),
        ("v", "regular", -1, "set<int>", "none"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(c, k, p, t, o)| {
            (
                "c".to_owned(),
                (*c).to_owned(),
                (*k).to_owned(),
                *p,
                (*t).to_owned(),
                (*o).to_owned(),
            )
        })
        .collect();
    assert_eq!(got, want);

    let tables = snap.table("system_schema", "tables").expect("tables");
    let trow = &rows(&store, tables, b"ks")[0];
    assert_eq!(text(trow, "table_name"), "c");
    assert_eq!(
        codec::read_text_list(trow.get("flags").expect("flags")).expect("flags"),
        ["compound"]
    );
    assert_eq!(
        codec::read_int(trow.get("gc_grace_seconds").expect("gc")).expect("int"),
        864_000
    );
    let compaction =
        codec::read_text_map(trow.get("compaction").expect("compaction")).expect("map");
    assert_eq!(
        compaction.get("class").map(String::as_str),
        Some("org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy")
    );

    // SELECT * order: partition key, clustering, statics, regulars by name.
    let t = snap.table("ks", "c").expect("c");
    let order: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(order, ["a", "b", "c1", "c2", "s", "m", "v"]);
    assert_eq!(t.column("s").map(|c| c.kind), Some(ColumnKind::Static));
}

#[test]
fn system_keyspaces_and_local_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, catalog, _node) = open(dir.path());
    let snap = catalog.snapshot();
    let keyspaces = snap.table("system_schema", "keyspaces").expect("keyspaces");
    let mut names = Vec::new();
    for pk in store.scan_partitions(keyspaces.id, &ScanStart::Beginning, &ScanEnd::Unbounded) {
        names.push(String::from_utf8(pk.expect("pk").key).expect("utf8"));
    }
    names.sort();
    assert_eq!(
        names,
        [
            "system",
            "system_auth",
            "system_distributed",
            "system_schema",
            "system_traces"
        ]
    );
    let tables = snap.table("system_schema", "tables").expect("tables");
    let schema_tables: Vec<String> = rows(&store, tables, b"system_schema")
        .iter()
        .map(|r| text(r, "table_name"))
        .collect();
    assert_eq!(
        schema_tables,
        [
            "aggregates",
            "columns",
            "dropped_columns",
            "functions",
            "indexes",
            "keyspaces",
            "tables",
            "triggers",
            "types",
            "views"
        ]
    );
    assert!(snap.table("system_schema", "scylla_tables").is_none());
    assert_eq!(
        snap.validate_table("system_schema", "scylla_tables")
            .expect_err("no scylla tables")
            .message,
        "unconfigured table scylla_tables"
    );

    let local = snap.table("system", "local").expect("local");
    let row = &rows(&store, local, b"local")[0];
    assert_eq!(text(row, "cluster_name"), "Test Cluster");
    assert_eq!(
        text(row, "partitioner"),
        "org.apache.cassandra.dht.Murmur3Partitioner"
    );
    assert_eq!(text(row, "release_version"), "4.1.5");
    assert_eq!(text(row, "data_center"), "datacenter1");
    assert_eq!(
        row.get("rpc_address").map(Vec::as_slice),
        Some(&[127, 0, 0, 1][..])
    );
    assert!(row.contains_key("tokens"));
    assert_eq!(
        codec::read_uuid(row.get("schema_version").expect("version")).expect("uuid"),
        snap.schema_version
    );
}

#[test]
fn schema_version_changes_with_each_ddl() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, catalog, node) = open(dir.path());
    let mut seen = vec![catalog.schema_version()];
    for cql in [
        KS,
        "CREATE TABLE ks.t (k int PRIMARY KEY, v int)",
        "ALTER TABLE ks.t ADD w int",
        "CREATE INDEX ON ks.t (v)",
        "DROP TABLE ks.t",
    ] {
        run(&store, &catalog, &node, cql);
        let v = catalog.schema_version();
        assert!(!seen.contains(&v), "{cql} kept the schema version");
        seen.push(v);
        let local = catalog.table("system", "local").expect("local");
        let row = &rows(&store, &local, b"local")[0];
        assert_eq!(
            codec::read_uuid(row.get("schema_version").expect("version")).expect("uuid"),
            v
        );
    }
    // A no-op (IF NOT EXISTS on an existing keyspace) keeps the version.
    run(
        &store,
        &catalog,
        &node,
        "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    );
    assert_eq!(Some(&catalog.schema_version()), seen.last());
}

#[test]
fn catalog_is_rebuilt_after_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (host_id, before) = {
        let (store, catalog, node) = open(dir.path());
        run(&store, &catalog, &node, KS);
        run(
            &store,
            &catalog,
            &node,
            "CREATE TYPE ks.addr (street text, zip int)",
        );
        run(
            &store,
            &catalog,
            &node,
            "CREATE TYPE ks.person (name text, home frozen<addr>)",
        );
        run(&store, &catalog, &node, TABLE);
        run(
            &store,
            &catalog,
            &node,
            "CREATE TABLE ks.u (k int PRIMARY KEY, p frozen<person>, old int, x text) WITH comment = 'users' AND default_time_to_live = 7",
        );
        run(&store, &catalog, &node, "ALTER TABLE ks.u DROP old");
        run(&store, &catalog, &node, "CREATE INDEX ux ON ks.u (x)");
        run(&store, &catalog, &node, "CREATE INDEX ON ks.c (keys(m))");
        run(
            &store,
            &catalog,
            &node,
            "CREATE KEYSPACE gone WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        );
        run(&store, &catalog, &node, "DROP KEYSPACE gone");
        run(
            &store,
            &catalog,
            &node,
            "ALTER KEYSPACE system_auth WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}",
        );
        (node.host_id, catalog.snapshot())
    };
    let (store, catalog, node) = open(dir.path());
    assert_eq!(node.host_id, host_id, "host_id is stable across restarts");
    let after = catalog.snapshot();
    assert!(after.keyspace("gone").is_none());
    let auth = after.keyspace("system_auth").expect("system_auth");
    assert_eq!(auth.replication.local_replication_factor(), 2);
    assert!(auth.is_system);
    assert_eq!(after.next_table_id, before.next_table_id);
    let (kb, ka) = (
        before.keyspace("ks").expect("ks before"),
        after.keyspace("ks").expect("ks after"),
    );
    assert_eq!(ka.replication, kb.replication);
    assert_eq!(ka.types, kb.types);
    assert_eq!(ka.tables.len(), 2);
    for (name, t) in &kb.tables {
        let r = ka.tables.get(name).expect("table rebuilt");
        assert_eq!(r.as_ref(), t.as_ref(), "table {name}");
    }
    let u = ka.tables.get("u").expect("u");
    assert!(u.dropped.contains_key("old"));
    assert_eq!(u.params.comment, "users");
    assert!(u.indexes.contains_key("ux"));
    // New ids continue after the old ones, and DDL still works.
    run(
        &store,
        &catalog,
        &node,
        "CREATE TABLE ks.n (k int PRIMARY KEY)",
    );
    let n = catalog.table("ks", "n").expect("n");
    assert!(n.id.0 >= before.next_table_id);
}
