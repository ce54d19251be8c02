//! Statements Cassandra 4.1 rejects, with the code and message it sends.
#![allow(clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::ErrorCode;
use engine_common::*;

const FILTERING: &str = "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING";

#[test]
fn rejected_statements() {
    let mut db = db();
    db.exec("CREATE TABLE t (k int, k2 int, c1 int, c2 int, v int, l list<int>, PRIMARY KEY ((k, k2), c1, c2))");
    db.exec("CREATE TABLE s (k int PRIMARY KEY, v int)");
    let cases: &[(&str, ErrorCode, &str)] = &[
        ("SELECT * FROM t WHERE v = 1", ErrorCode::Invalid, FILTERING),
        ("SELECT * FROM t WHERE k = 1", ErrorCode::Invalid, FILTERING),
        (
            // A partition-key slice needs filtering (C* 4.1 StatementRestrictions).
            "SELECT * FROM s WHERE k > 1",
            ErrorCode::Invalid,
            "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING",
        ),
        (
            "SELECT * FROM t WHERE k = 1 AND k2 = 1 AND c2 = 1",
            ErrorCode::Invalid,
            "PRIMARY KEY column \"c2\" cannot be restricted as preceding column \"c1\" is not restricted",
        ),
        (
            "SELECT * FROM t WHERE k = 1 AND k2 = 1 AND c1 > 1 AND c2 = 1",
            ErrorCode::Invalid,
            "Clustering column \"c2\" cannot be restricted (preceding column \"c1\" is restricted by a non-EQ relation)",
        ),
        (
            "SELECT * FROM t WHERE k = 1 AND k2 = 1 LIMIT 0",
            ErrorCode::Invalid,
            "LIMIT must be strictly positive",
        ),
        (
            // SelectStatement.getLimit serves both limits: its message says LIMIT.
            "SELECT * FROM t WHERE k = 1 AND k2 = 1 PER PARTITION LIMIT -1",
            ErrorCode::Invalid,
            "LIMIT must be strictly positive",
        ),
        (
            "SELECT x FROM s",
            ErrorCode::Invalid,
            "Undefined column name x in table ks.s",
        ),
        (
            "SELECT * FROM s WHERE x = 1",
            ErrorCode::Invalid,
            "Undefined column name x",
        ),
        (
            "SELECT * FROM nope",
            ErrorCode::Invalid,
            "unconfigured table nope",
        ),
        (
            "SELECT * FROM s ORDER BY v",
            ErrorCode::Invalid,
            "ORDER BY is only supported when the partition key is restricted by an EQ or an IN.",
        ),
        (
            "SELECT * FROM t WHERE k = 1 AND k2 = 1 ORDER BY c2",
            ErrorCode::Invalid,
            "Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY",
        ),
        (
            "SELECT ttl(k) FROM s",
            ErrorCode::Invalid,
            "Cannot use selection function ttl on PRIMARY KEY part k",
        ),
        (
            "SELECT DISTINCT v FROM s",
            ErrorCode::Invalid,
            "SELECT DISTINCT queries must only request partition key columns and/or static columns (not v)",
        ),
        (
            "INSERT INTO t (k, c1, c2, v) VALUES (1, 1, 1, 1)",
            ErrorCode::Invalid,
            "Some partition key parts are missing: k2",
        ),
        (
            "INSERT INTO t (k, k2, c1, v) VALUES (1, 1, 1, 1)",
            ErrorCode::Invalid,
            "Some clustering keys are missing: c2",
        ),
        (
            "UPDATE t SET c1 = 1 WHERE k = 1 AND k2 = 1 AND c1 = 1 AND c2 = 1",
            ErrorCode::Invalid,
            "PRIMARY KEY part c1 found in SET part",
        ),
        (
            "UPDATE s SET v = 1 WHERE k = 1 AND v = 2",
            ErrorCode::Invalid,
            "Non PRIMARY KEY columns found in where clause: v",
        ),
        (
            "INSERT INTO s (k, v) VALUES (null, 1)",
            ErrorCode::Invalid,
            "Invalid null value in condition for column k",
        ),
        (
            "UPDATE s SET v = 1 WHERE k > 1",
            ErrorCode::Invalid,
            "Only EQ and IN relation are supported on the partition key (unless you use the token() function) for UPDATE statements",
        ),
        (
            "INSERT INTO s (k, v) VALUES ('a', 1)",
            ErrorCode::Invalid,
            "Invalid STRING constant (a) for \"k\" of type int",
        ),
        (
            "INSERT INTO s (k, v) VALUES (1, 1) IF NOT EXISTS USING TIMESTAMP 1",
            ErrorCode::Invalid,
            "Cannot provide custom timestamp for conditional updates",
        ),
        (
            "SELECT * FROM s WHERE k = 1 AND k = 2",
            ErrorCode::Invalid,
            "k cannot be restricted by more than one relation if it includes an Equal",
        ),
        (
            "CREATE MATERIALIZED VIEW mv AS SELECT * FROM s WHERE k IS NOT NULL PRIMARY KEY (k)",
            ErrorCode::Invalid,
            "Materialized views are disabled. Enable in cassandra.yaml to use.",
        ),
        ("SELEC * FROM s", ErrorCode::Syntax, ""),
        (
            "INSERT INTO system.local (key) VALUES ('x')",
            ErrorCode::Unauthorized,
            "system keyspace is not user-modifiable.",
        ),
    ];
    let mut failures = Vec::new();
    for (cql, code, message) in cases {
        match db.try_query(cql, &Default::default()) {
            Ok(r) => failures.push(format!("{cql}: accepted ({r:?})")),
            Err(e) => {
                if e.code != *code || (!message.is_empty() && e.message != *message) {
                    failures.push(format!(
                        "{cql}:\n  got    {:?} {}\n  wanted {:?} {}",
                        e.code, e.message, code, message
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn missing_keyspace_messages() {
    let mut db = db();
    db.session.keyspace = None;
    let e = db.err("SELECT * FROM t");
    assert_eq!(
        e.message,
        "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"
    );
    let e = db.err("SELECT * FROM nope.t");
    assert_eq!(e.code, ErrorCode::Invalid);
}

#[test]
fn unavailable_for_unsatisfiable_consistency() {
    let mut db = db();
    db.exec("CREATE KEYSPACE rf3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
    db.exec("CREATE TABLE rf3.t (k int PRIMARY KEY)");
    let params = cassmodel_embedded::api::QueryParams {
        consistency: cassmodel_embedded::api::Consistency::LocalQuorum,
        ..Default::default()
    };
    let e = db.try_query("SELECT * FROM rf3.t", &params).unwrap_err();
    assert_eq!(e.code, ErrorCode::Unavailable);
    assert_eq!(e.message, "Cannot achieve consistency level LOCAL_QUORUM");
    let one = cassmodel_embedded::api::QueryParams::default();
    assert!(db.try_query("SELECT * FROM rf3.t", &one).is_ok());
}
