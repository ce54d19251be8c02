//! DDL golden behaviour: statements run in order against a fresh store, each with the
//! result or the error code and message Cassandra 4.1 gives.

use cassmodel_cql::ast::Statement;
use cassmodel_embedded::api::{QueryResult, SchemaChangeKind, SchemaChangeTarget, Session};
use cassmodel_embedded::error::{CqlError, CqlResult, ErrorCode, ErrorExtra};
use cassmodel_embedded::exec::ddl::{self, DdlContext};
use cassmodel_embedded::schema::bootstrap::open_catalog;
use cassmodel_embedded::schema::rows::LocalNode;
use cassmodel_embedded::schema::{Catalog, IndexTargetType};
use cassmodel_store::{Store, StoreOptions};

struct Harness {
    _dir: tempfile::TempDir,
    store: Store,
    catalog: Catalog,
    node: LocalNode,
    session: Session,
}

impl Harness {
    fn new() -> Harness {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(dir.path(), StoreOptions::default()).expect("store");
        let addr = "127.0.0.1:9042".parse().expect("addr");
        let (catalog, node) = open_catalog(&store, addr, "Test Cluster").expect("catalog");
        Harness {
            _dir: dir,
            store,
            catalog,
            node,
            session: Session::default(),
        }
    }

    fn run(&mut self, cql: &str) -> CqlResult<QueryResult> {
        let stmt = cassmodel_cql::parse(cql).map_err(|e| CqlError::syntax(e.message))?;
        if let Statement::Use(ks) = &stmt {
            self.session.keyspace = Some(ks.as_str().to_owned());
            return Ok(QueryResult::SetKeyspace(ks.as_str().to_owned()));
        }
        let ctx = DdlContext {
            catalog: &self.catalog,
            store: &self.store,
            node: &self.node,
            events: None,
        };
        ddl::execute(&ctx, &self.session, &stmt)
    }
}

/// `Ok("CREATED KEYSPACE ks")`-style summary, `Void`, or the error's code and message.
fn summary(r: &CqlResult<QueryResult>) -> String {
    match r {
        Ok(QueryResult::SchemaChange(c)) => {
            let kind = match c.kind {
                SchemaChangeKind::Created => "CREATED",
                SchemaChangeKind::Updated => "UPDATED",
                SchemaChangeKind::Dropped => "DROPPED",
            };
            match &c.target {
                SchemaChangeTarget::Keyspace => format!("{kind} KEYSPACE {}", c.keyspace),
                SchemaChangeTarget::Table(t) => format!("{kind} TABLE {}.{t}", c.keyspace),
                SchemaChangeTarget::Type(t) => format!("{kind} TYPE {}.{t}", c.keyspace),
            }
        }
        Ok(QueryResult::Void) => "VOID".to_owned(),
        Ok(other) => format!("{other:?}"),
        Err(e) => format!("0x{:04x} {}", e.code as i32, e.message),
    }
}

const KS: &str =
    "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}";

#[test]
fn keyspace_rules() {
    let mut h = Harness::new();
    let cases: &[(&str, &str)] = &[
        (KS, "CREATED KEYSPACE ks"),
        (KS, "0x2400 Cannot add existing keyspace \"ks\""),
        (
            "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            "VOID",
        ),
        (
            "CREATE KEYSPACE k2 WITH replication = {'class': 'NetworkTopologyStrategy', 'dc2': 1}",
            "0x2300 Unrecognized strategy option {dc2} passed to NetworkTopologyStrategy for keyspace k2",
        ),
        (
            "CREATE KEYSPACE k2 WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 1}",
            "CREATED KEYSPACE k2",
        ),
        (
            "CREATE KEYSPACE k3 WITH replication = {'class': 'SimpleStrategy'}",
            "0x2300 SimpleStrategy requires a replication_factor strategy option.",
        ),
        (
            "CREATE KEYSPACE k3 WITH replication = {'replication_factor': 1}",
            "0x2300 Missing replication strategy class",
        ),
        (
            "CREATE KEYSPACE k3 WITH durable_writes = false",
            "0x2200 Missing mandatory option 'replication'",
        ),
        (
            "CREATE KEYSPACE k3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1} AND foo = 1",
            "0x2000 Unknown property 'foo'",
        ),
        (
            "ALTER KEYSPACE system WITH durable_writes = false",
            "0x2100 system keyspace is not user-modifiable.",
        ),
        (
            "DROP KEYSPACE system_schema",
            "0x2100 system_schema keyspace is not user-modifiable.",
        ),
        (
            "DROP KEYSPACE system_auth",
            "0x2100 Cannot DROP <keyspace system_auth>",
        ),
        (
            "ALTER KEYSPACE ks WITH durable_writes = false",
            "UPDATED KEYSPACE ks",
        ),
        (
            "ALTER KEYSPACE nope WITH durable_writes = false",
            "0x2200 Keyspace 'nope' doesn't exist",
        ),
        ("DROP KEYSPACE k2", "DROPPED KEYSPACE k2"),
        ("DROP KEYSPACE k2", "0x2200 Keyspace 'k2' doesn't exist"),
        ("DROP KEYSPACE IF EXISTS k2", "VOID"),
    ];
    for (cql, want) in cases {
        assert_eq!(&summary(&h.run(cql)), want, "{cql}");
    }
    let ks = h.catalog.snapshot().keyspace("ks").cloned().expect("ks");
    assert!(!ks.durable_writes);
    let err = h.run(KS).expect_err("exists");
    assert_eq!(
        err.extra,
        ErrorExtra::AlreadyExists {
            keyspace: "ks".into(),
            table: String::new()
        }
    );
}

#[test]
fn create_table_rules() {
    let mut h = Harness::new();
    h.run(KS).expect("keyspace");
    h.run("USE ks").expect("use");
    let cases: &[(&str, &str)] = &[
        (
            "CREATE TABLE t (k int PRIMARY KEY, v text)",
            "CREATED TABLE ks.t",
        ),
        (
            "CREATE TABLE t (k int PRIMARY KEY, v text)",
            "0x2400 Cannot add already existing table \"t\" to keyspace \"ks\"",
        ),
        ("CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY)", "VOID"),
        (
            "CREATE TABLE t2 (k int, v int)",
            "0x2200 No PRIMARY KEY specifed for table 'ks.t2' (exactly one required)",
        ),
        (
            "CREATE TABLE t2 (k int, c int, PRIMARY KEY (k, x))",
            "0x2200 Unknown column 'x' referenced in PRIMARY KEY for table 't2'",
        ),
        (
            "CREATE TABLE t2 (k int, c int, PRIMARY KEY (k, k))",
            "0x2200 Duplicate column 'k' in PRIMARY KEY clause for table 't2'",
        ),
        (
            "CREATE TABLE t2 (k list<int> PRIMARY KEY)",
            "0x2200 Invalid non-frozen collection type list<int> for PRIMARY KEY column 'k'",
        ),
        (
            "CREATE TABLE t2 (k int, c counter, PRIMARY KEY (k, c))",
            "0x2200 counter type is not supported for PRIMARY KEY column 'c'",
        ),
        (
            "CREATE TABLE t2 (k duration PRIMARY KEY)",
            "0x2200 duration type is not supported for PRIMARY KEY column 'k'",
        ),
        (
            "CREATE TABLE t2 (k int, c int static, PRIMARY KEY (k, c))",
            "0x2200 Static column 'c' cannot be part of the PRIMARY KEY",
        ),
        (
            "CREATE TABLE t2 (k int, a int, b int, PRIMARY KEY (k, a, b)) WITH CLUSTERING ORDER BY (b DESC, a ASC)",
            "0x2200 The order of columns in the CLUSTERING ORDER directive must match that of the clustering columns (a must appear before b)",
        ),
        (
            "CREATE TABLE t2 (k int, a int, b int, PRIMARY KEY (k, a, b)) WITH CLUSTERING ORDER BY (b DESC)",
            "0x2200 Missing CLUSTERING ORDER for column a",
        ),
        (
            "CREATE TABLE t2 (k int PRIMARY KEY, v int) WITH CLUSTERING ORDER BY (v DESC)",
            "0x2200 Only clustering columns can be defined in CLUSTERING ORDER directive",
        ),
        (
            "CREATE TABLE t2 (k int PRIMARY KEY, s int static)",
            "0x2200 Static columns are only useful (and thus allowed) if the table has at least one clustering column",
        ),
        (
            "CREATE TABLE t2 (k int PRIMARY KEY, c counter, v int)",
            "0x2200 Cannot mix counter and non counter columns in the same table",
        ),
        (
            "CREATE TABLE t2 (k int PRIMARY KEY, c counter) WITH default_time_to_live = 5",
            "0x2200 Cannot set default_time_to_live on a table with counters",
        ),
        (
            "CREATE TABLE t2 (k int PRIMARY KEY, l list<list<int>>)",
            "0x2200 Non-frozen collections are not allowed inside collections: list<list<int>>",
        ),
        (
            "CREATE TABLE t2 (k int PRIMARY KEY, l set<duration>)",
            "0x2200 Durations are not allowed inside sets: set<duration>",
        ),
        (
            "CREATE TABLE t2 (k int PRIMARY KEY, a frozen<nope>)",
            "0x2200 Unknown type ks.nope",
        ),
        (
            "CREATE TABLE t2 (k int PRIMARY KEY) WITH foo = 1",
            "0x2000 Unknown property 'foo'",
        ),
        (
            "CREATE TABLE t2 (k int PRIMARY KEY) WITH gc_grace_seconds = -1",
            "0x2300 gc_grace_seconds must be greater than or equal to 0 (got -1)",
        ),
        (
            "CREATE TABLE nosuch.t (k int PRIMARY KEY)",
            "0x2200 Keyspace 'nosuch' doesn't exist",
        ),
        (
            "CREATE TABLE system.t (k int PRIMARY KEY)",
            "0x2100 system keyspace is not user-modifiable.",
        ),
        (
            "CREATE TABLE c (k int PRIMARY KEY, n counter)",
            "CREATED TABLE ks.c",
        ),
        (
            "CREATE TABLE s (k int, c int, s int static, v frozen<list<frozen<map<text, int>>>>, PRIMARY KEY (k, c)) WITH comment = 'hi' AND default_time_to_live = 60",
            "CREATED TABLE ks.s",
        ),
    ];
    for (cql, want) in cases {
        assert_eq!(&summary(&h.run(cql)), want, "{cql}");
    }
    let snap = h.catalog.snapshot();
    let s = snap.table("ks", "s").expect("s");
    assert_eq!(s.params.comment, "hi");
    assert_eq!(s.params.default_time_to_live, 60);
    let v = s.column("v").expect("v");
    assert_eq!(v.ty.to_string(), "frozen<list<frozen<map<text, int>>>>");
    assert!(snap.table("ks", "c").expect("c").is_counter);
    assert_ne!(
        snap.table("ks", "s").map(|t| t.id),
        snap.table("ks", "c").map(|t| t.id)
    );
}

#[test]
fn alter_index_type_drop_rules() {
    let mut h = Harness::new();
    h.run(KS).expect("keyspace");
    h.run("USE ks").expect("use");
    h.run("CREATE TABLE t (k int PRIMARY KEY, v text, m map<text, int>, f frozen<list<int>>)")
        .expect("t");
    let cases: &[(&str, &str)] = &[
        (
            "ALTER TABLE t ADD v int",
            "0x2200 Column with name 'v' already exists",
        ),
        ("ALTER TABLE t ADD w int", "UPDATED TABLE ks.t"),
        (
            "ALTER TABLE t ADD s int static",
            "0x2200 Static columns are only useful (and thus allowed) if the table has at least one clustering column",
        ),
        (
            "ALTER TABLE t DROP k",
            "0x2200 Cannot drop PRIMARY KEY column k",
        ),
        (
            "ALTER TABLE t DROP nope",
            "0x2200 Column nope was not found in table 'ks.t'",
        ),
        (
            "ALTER TABLE t RENAME v TO v2",
            "0x2200 Cannot rename non PRIMARY KEY column v",
        ),
        ("ALTER TABLE t RENAME k TO id", "UPDATED TABLE ks.t"),
        ("ALTER TABLE t WITH comment = 'x'", "UPDATED TABLE ks.t"),
        (
            "ALTER TABLE nope ADD x int",
            "0x2200 Table 'ks.nope' doesn't exist",
        ),
        (
            "ALTER TABLE system.local ADD x int",
            "0x2100 system keyspace is not user-modifiable.",
        ),
        ("CREATE INDEX ON t (v)", "UPDATED TABLE ks.t"),
        (
            "CREATE INDEX ON t (v)",
            "0x2200 Index t_v_idx_1 is a duplicate of existing index t_v_idx",
        ),
        ("CREATE INDEX IF NOT EXISTS ON t (v)", "VOID"),
        (
            "CREATE INDEX t_v_idx ON t (w)",
            "0x2200 Index 't_v_idx' already exists",
        ),
        (
            "CREATE INDEX ON t (id)",
            "0x2200 Cannot create secondary index on the only partition key column id",
        ),
        (
            "CREATE INDEX ON t (keys(v))",
            "0x2200 Cannot create keys() index on v. Non-collection columns only support simple indexes",
        ),
        (
            "CREATE INDEX ON t (f)",
            "0x2200 Cannot create values() index on frozen column f. Frozen collections are immutable and must be fully indexed by using the 'full(f)' modifier",
        ),
        (
            "CREATE INDEX ON t (full(m))",
            "0x2200 full() indexes can only be created on frozen collections",
        ),
        ("CREATE INDEX mk ON t (keys(m))", "UPDATED TABLE ks.t"),
        (
            "CREATE INDEX ON t (nope)",
            "0x2200 Undefined column name nope in table ks.t",
        ),
        (
            "ALTER TABLE t DROP v",
            "0x2200 Cannot drop column v because it has dependent secondary indexes (t_v_idx)",
        ),
        ("DROP INDEX t_v_idx", "UPDATED TABLE ks.t"),
        (
            "DROP INDEX t_v_idx",
            "0x2200 Index 'ks.t_v_idx' doesn't exist'",
        ),
        ("DROP INDEX IF EXISTS t_v_idx", "VOID"),
        ("ALTER TABLE t DROP v", "UPDATED TABLE ks.t"),
        (
            "ALTER TABLE t ADD v int static",
            "0x2200 Static columns are only useful (and thus allowed) if the table has at least one clustering column",
        ),
        (
            "CREATE TYPE addr (street text, zip int)",
            "CREATED TYPE ks.addr",
        ),
        (
            "CREATE TYPE addr (street text)",
            "0x2200 A user type with name 'addr' already exists",
        ),
        (
            "CREATE TYPE bad (c counter)",
            "0x2200 A user type cannot contain counters",
        ),
        (
            "CREATE TYPE bad (a addr)",
            "0x2200 A user type cannot contain non-frozen UDTs",
        ),
        (
            "CREATE TYPE dup (a int, a int)",
            "0x2200 Duplicate field name 'a' in type 'dup'",
        ),
        (
            "CREATE TABLE u (k int PRIMARY KEY, a frozen<addr>, l list<frozen<addr>>)",
            "CREATED TABLE ks.u",
        ),
        (
            "CREATE TABLE u2 (k int PRIMARY KEY, l list<addr>)",
            "0x2200 Non-frozen UDTs are not allowed inside collections: list<addr>",
        ),
        ("ALTER TYPE addr ADD city text", "UPDATED TYPE ks.addr"),
        (
            "ALTER TYPE addr ADD city text",
            "0x2200 Cannot add field city to type ks.addr: a field with name city already exists",
        ),
        (
            "DROP TYPE addr",
            "0x2200 Cannot drop user type 'ks.addr' as it is still used by tables u",
        ),
        ("DROP TABLE u", "DROPPED TABLE ks.u"),
        ("DROP TYPE addr", "DROPPED TYPE ks.addr"),
        ("DROP TABLE t", "DROPPED TABLE ks.t"),
        ("DROP TABLE t", "0x2200 Table 'ks.t' doesn't exist"),
        ("DROP TABLE IF EXISTS t", "VOID"),
        ("TRUNCATE nosuch", "0x2200 unconfigured table nosuch"),
        ("DROP KEYSPACE ks", "DROPPED KEYSPACE ks"),
    ];
    for (cql, want) in cases {
        let got = h.run(cql);
        assert_eq!(&summary(&got), want, "{cql}");
        if *cql == "CREATE INDEX mk ON t (keys(m))" {
            let t = h.catalog.table("ks", "t").expect("t");
            let mk = t.indexes.get("mk").expect("mk");
            assert_eq!(mk.target, IndexTargetType::Keys);
            assert_eq!(mk.target_string(), "keys(m)");
        }
        if *cql == "ALTER TABLE t DROP v" && got.is_ok() {
            let t = h.catalog.table("ks", "t").expect("t");
            assert!(t.column("v").is_none());
            assert!(t.dropped.contains_key("v"));
        }
    }
    assert!(h.catalog.snapshot().keyspace("ks").is_none());
}

#[test]
fn no_keyspace_in_session() {
    let mut h = Harness::new();
    let e = h
        .run("CREATE TABLE t (k int PRIMARY KEY)")
        .expect_err("no keyspace");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        e.message,
        "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"
    );
}

#[test]
fn schema_changes_are_broadcast_once_per_change() {
    let h = Harness::new();
    let (tx, mut rx) = tokio::sync::broadcast::channel(16);
    let ctx = DdlContext {
        catalog: &h.catalog,
        store: &h.store,
        node: &h.node,
        events: Some(&tx),
    };
    let session = Session::default();
    for cql in [
        KS,
        "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE TABLE ks.t (k int PRIMARY KEY, v int)",
        "CREATE INDEX ON ks.t (v)",
        "TRUNCATE ks.t",
    ] {
        let stmt = cassmodel_cql::parse(cql).expect("parses");
        ddl::execute(&ctx, &session, &stmt).expect(cql);
    }
    let mut got = Vec::new();
    while let Ok(c) = rx.try_recv() {
        got.push((c.kind, c.target));
    }
    assert_eq!(
        got,
        [
            (SchemaChangeKind::Created, SchemaChangeTarget::Keyspace),
            (
                SchemaChangeKind::Created,
                SchemaChangeTarget::Table("t".into())
            ),
            (
                SchemaChangeKind::Updated,
                SchemaChangeTarget::Table("t".into())
            ),
        ]
    );
}

#[test]
fn table_option_rules() {
    let mut h = Harness::new();
    h.run(KS).expect("keyspace");
    h.run("USE ks").expect("use");
    h.run("CREATE TABLE t (k int PRIMARY KEY, v int)")
        .expect("t");
    let cases: &[(&str, &str)] = &[
        (
            "ALTER TABLE t WITH compaction = {'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': '10'}",
            "UPDATED TABLE ks.t",
        ),
        (
            "ALTER TABLE t WITH compaction = {'class': 'Nope'}",
            "0x2300 Unable to find compaction strategy class 'org.apache.cassandra.db.compaction.Nope'",
        ),
        (
            "ALTER TABLE t WITH compaction = {'min_threshold': '2'}",
            "0x2300 Missing sub-option 'class' for the 'compaction' option.",
        ),
        (
            "ALTER TABLE t WITH compression = {'enabled': 'false'}",
            "UPDATED TABLE ks.t",
        ),
        (
            "ALTER TABLE t WITH caching = {'keys': 'NONE', 'rows_per_partition': '10'}",
            "UPDATED TABLE ks.t",
        ),
        (
            "ALTER TABLE t WITH caching = {'keys': 'SOME'}",
            "0x2300 Invalid value 'SOME' for caching sub-option 'keys': only 'ALL' and 'NONE' are allowed",
        ),
        (
            "ALTER TABLE t WITH bloom_filter_fp_chance = 2",
            "0x2300 bloom_filter_fp_chance must be larger than 6.7100387297246E-5 and less than or equal to 1.0 (got 2.0)",
        ),
        (
            "ALTER TABLE t WITH default_time_to_live = 630720001",
            "0x2300 default_time_to_live must be less than or equal to 630720000 (got 630720001)",
        ),
        (
            "ALTER TABLE t WITH speculative_retry = '50ms'",
            "UPDATED TABLE ks.t",
        ),
        (
            "ALTER TABLE t WITH speculative_retry = 'sometimes'",
            "0x2300 Invalid value sometimes for option 'speculative_retry'",
        ),
        ("ALTER TABLE t WITH id = 1", "0x2300 Cannot alter table id."),
        (
            "ALTER TABLE t ALTER v TYPE text",
            "0x2200 Altering column types is no longer supported",
        ),
    ];
    for (cql, want) in cases {
        assert_eq!(&summary(&h.run(cql)), want, "{cql}");
    }
    let t = h.catalog.table("ks", "t").expect("t");
    assert_eq!(
        t.params.compression.get("enabled").map(String::as_str),
        Some("false")
    );
    assert_eq!(
        t.params
            .caching
            .get("rows_per_partition")
            .map(String::as_str),
        Some("10")
    );
    assert_eq!(t.params.speculative_retry, "50ms");
    assert_eq!(
        t.params
            .compaction
            .get("sstable_size_in_mb")
            .map(String::as_str),
        Some("10")
    );
}

#[test]
fn compact_storage_definitions_are_checked_before_the_refusal() {
    let mut h = Harness::new();
    h.run(KS).expect("keyspace");
    h.run("USE ks").expect("use");
    h.run("CREATE TABLE present (id int PRIMARY KEY, n int)")
        .expect("present");
    let refusal = "0x2200 COMPACT STORAGE tables are not allowed starting with version 4.0";
    let cases: &[(&str, &str)] = &[
        // The ordinary definition checks come first.
        (
            "CREATE TABLE wide (id int, seq int, PRIMARY KEY (id, ghost)) WITH COMPACT STORAGE",
            "0x2200 Unknown column 'ghost' referenced in PRIMARY KEY for table 'wide'",
        ),
        // An existing table with IF NOT EXISTS is left alone, as Cassandra does.
        (
            "CREATE TABLE IF NOT EXISTS present (id int PRIMARY KEY, n int) WITH COMPACT STORAGE",
            "VOID",
        ),
        // CreateTableStatement.validateCompactTable.
        (
            "CREATE TABLE wide (id int, seq int, tags set<text>, PRIMARY KEY (id, seq)) WITH COMPACT STORAGE",
            "0x2200 Non-frozen collections and UDTs are not supported with COMPACT STORAGE",
        ),
        (
            "CREATE TABLE wide (id int, seq int, note text STATIC, v int, PRIMARY KEY (id, seq)) WITH COMPACT STORAGE",
            "0x2200 Static columns are not supported in COMPACT STORAGE tables",
        ),
        (
            "CREATE TABLE narrow (id int PRIMARY KEY) WITH COMPACT STORAGE",
            "0x2200 No definition found that is not part of the PRIMARY KEY",
        ),
        (
            "CREATE TABLE wide (id int, seq int, weight int, label text, PRIMARY KEY (id, seq)) WITH COMPACT STORAGE",
            "0x2200 COMPACT STORAGE with composite PRIMARY KEY allows no more than one column not part of the PRIMARY KEY (got: label, weight)",
        ),
        // Definitions Cassandra would create are refused by the embedded server.
        (
            "CREATE TABLE wide (id int, seq int, weight int, PRIMARY KEY (id, seq)) WITH COMPACT STORAGE",
            refusal,
        ),
        (
            "CREATE TABLE narrow (id int PRIMARY KEY, a int, b text) WITH COMPACT STORAGE",
            refusal,
        ),
    ];
    for (cql, want) in cases {
        assert_eq!(summary(&h.run(cql)), *want, "{cql}");
    }
    assert!(h.catalog.snapshot().table("ks", "wide").is_none());
}
