//! Quick smoke test over many statement shapes (every one must parse).

pub const OK: &[&str] = &[
    "USE ks",
    "use \"MyKs\";",
    "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1} AND durable_writes = false",
    "ALTER KEYSPACE ks WITH durable_writes = true",
    "DROP KEYSPACE IF EXISTS ks",
    "CREATE TABLE IF NOT EXISTS ks.t (k int PRIMARY KEY, v text)",
    "CREATE TABLE t (a int, b int, c int, d text static, m map<text, frozen<list<int>>>, u ks.addr, tu tuple<int, text>, PRIMARY KEY ((a, b), c)) WITH CLUSTERING ORDER BY (c DESC) AND comment = 'x' AND compaction = {'class': 'LeveledCompactionStrategy'} AND COMPACT STORAGE",
    "CREATE TABLE t (k int, v int, PRIMARY KEY (k),)",
    "ALTER TABLE t ADD v int",
    "ALTER TABLE t ADD (a int, b text static)",
    "ALTER TABLE t DROP v",
    "ALTER TABLE t DROP (a, b) USING TIMESTAMP 12",
    "ALTER TABLE t RENAME a TO b AND c TO d",
    "ALTER TABLE t WITH comment = 'hi' AND gc_grace_seconds = 10",
    "DROP TABLE IF EXISTS ks.t",
    "TRUNCATE t",
    "TRUNCATE TABLE ks.t",
    "CREATE INDEX IF NOT EXISTS idx ON t (v)",
    "CREATE INDEX ON t (keys(m))",
    "CREATE INDEX ON t (values(l))",
    "CREATE INDEX ON t (entries(m))",
    "CREATE INDEX ON t (full(f))",
    "CREATE CUSTOM INDEX ON t (v) USING 'org.apache.cassandra.index.sasi.SASIIndex' WITH OPTIONS = {'mode': 'CONTAINS'}",
    "DROP INDEX IF EXISTS ks.idx",
    "CREATE TYPE IF NOT EXISTS ks.addr (street text, zip int)",
    "ALTER TYPE addr ADD city text",
    "ALTER TYPE addr RENAME street TO road AND zip TO code",
    "DROP TYPE addr",
    "SELECT * FROM t",
    "SELECT JSON DISTINCT a FROM t",
    "SELECT a AS x, count(*), count(1), writetime(v), ttl(v), token(a, b), CAST(v AS text), now(), toTimestamp(now()), min(v), max(v), sum(v), avg(v), m['k'], u.f FROM t",
    "SELECT * FROM t WHERE a = 1 AND b > 2 AND c <= 3 AND d != 4 AND e IN (1, 2) AND f IN ? AND g CONTAINS 1 AND h CONTAINS KEY 'k' AND i LIKE 'a%' AND j IS NOT NULL",
    "SELECT * FROM t WHERE (a, b) > (1, 2) AND (a, b) IN ((1, 2), (3, 4)) AND (c, d) IN ? AND (c, d) IN (?, ?) AND (e) = ?",
    "SELECT * FROM t WHERE token(a, b) > token(?, ?) AND m['k'] = 'v'",
    "SELECT a FROM t WHERE k = 1 GROUP BY a ORDER BY c DESC, d PER PARTITION LIMIT 2 LIMIT ? ALLOW FILTERING",
    "INSERT INTO t (a, b) VALUES (1, 'x') IF NOT EXISTS USING TTL 10 AND TIMESTAMP 123",
    "INSERT INTO t JSON '{\"a\": 1}' DEFAULT UNSET",
    "INSERT INTO t JSON ? DEFAULT NULL",
    "UPDATE t USING TTL ? SET a = 1, b = b + 1, c = [1] + c, d = d - {1}, e['k'] = 'v', u.f = 2, g += 3, h -= 4, n = n -5 WHERE k = 1 IF a = 1 AND b != 2 AND c IN (1, 2) AND e['k'] = 'v' AND u.f > 1",
    "UPDATE t SET a = 1 WHERE k = 1 IF EXISTS",
    "DELETE FROM t WHERE k = 1",
    "DELETE a, m['k'], u.f FROM t USING TIMESTAMP 5 WHERE k = 1 IF EXISTS",
    "BEGIN BATCH INSERT INTO t (a) VALUES (?); UPDATE t SET a = ? WHERE k = ? DELETE FROM t WHERE k = ? APPLY BATCH",
    "BEGIN UNLOGGED BATCH USING TIMESTAMP 1 INSERT INTO t (a) VALUES (1) APPLY BATCH;",
    "BEGIN COUNTER BATCH UPDATE t SET c = c + 1 WHERE k = 1; APPLY BATCH",
    "INSERT INTO t (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o) VALUES ('it''s', $$raw'$$, -1, 123456789012345678901234567890, 1.5, 1e10, NaN, -Infinity, true, 123e4567-e89b-12d3-a456-426614174000, 0xCAFE, 1h30m, P1Y2M, :name, (int) ?)",
    "INSERT INTO t (a, b, c, d, e) VALUES ([1, 2], {1, 2}, {'a': 1}, {}, (1, 'x'))",
    "INSERT INTO t (u) VALUES ({street: 'x', zip: 1})",
    "SELECT key, type, ttl, writetime, count, value, keys, values FROM t",
];

#[test]
fn all_shapes_parse() {
    let mut failures = Vec::new();
    for cql in OK {
        if let Err(e) = cassmodel_cql::parse(cql) {
            failures.push(format!("{cql}\n   -> {}", e.message));
        }
    }
    assert!(failures.is_empty(), "failed:\n{}", failures.join("\n"));
}

const UNSUPPORTED: &[(&str, &str)] = &[
    (
        "CREATE MATERIALIZED VIEW mv AS SELECT * FROM t WHERE k IS NOT NULL PRIMARY KEY (k)",
        "CREATE MATERIALIZED VIEW",
    ),
    (
        "CREATE OR REPLACE FUNCTION f (a int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS $$ return a; $$",
        "CREATE OR REPLACE FUNCTION",
    ),
    (
        "CREATE FUNCTION f (a int) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS 'x'",
        "CREATE FUNCTION",
    ),
    (
        "CREATE AGGREGATE a (int) SFUNC f STYPE int",
        "CREATE AGGREGATE",
    ),
    ("CREATE TRIGGER tr ON t USING 'x'", "CREATE TRIGGER"),
    (
        "CREATE ROLE r WITH PASSWORD = 'p' AND LOGIN = true",
        "CREATE ROLE",
    ),
    ("CREATE USER u WITH PASSWORD 'p'", "CREATE USER"),
    ("DROP MATERIALIZED VIEW mv", "DROP MATERIALIZED VIEW"),
    ("DROP FUNCTION f", "DROP FUNCTION"),
    ("GRANT SELECT ON ALL KEYSPACES TO r", "GRANT"),
    ("REVOKE SELECT ON ks.t FROM r", "REVOKE"),
    ("LIST ROLES", "LIST"),
    ("DROP ROLE r", "DROP ROLE"),
    ("ALTER USER u WITH PASSWORD 'x'", "ALTER USER"),
    ("DROP TRIGGER tr ON t", "DROP TRIGGER"),
    (
        "CREATE OR REPLACE AGGREGATE a (int) SFUNC f STYPE int",
        "CREATE OR REPLACE AGGREGATE",
    ),
    (
        "ALTER MATERIALIZED VIEW mv WITH comment = 'x'",
        "ALTER MATERIALIZED VIEW",
    ),
];

#[test]
fn unsupported_statements_are_recognised() {
    for (cql, what) in UNSUPPORTED {
        match cassmodel_cql::parse(cql) {
            Ok(cassmodel_cql::ast::Statement::Unsupported { what: w, .. }) => {
                assert_eq!(&w, what, "{cql}")
            }
            other => panic!("{cql}: {other:?}"),
        }
    }
}

#[test]
fn refused_statements_still_need_their_keywords() {
    for cql in [
        "CREATE MATERIALIZED",
        "CREATE MATERIALIZED TABLE t",
        "CREATE OR FUNCTION f",
        "ALTER FUNCTION f",
        "CREATE IDENTITY 'x'",
        "DROP VIEW v",
        "ADD USER u",
    ] {
        assert!(cassmodel_cql::parse(cql).is_err(), "{cql}");
    }
}
