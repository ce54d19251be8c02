//! DESCRIBE statements (server-side in Cassandra 4.0+, used by cqlsh 6).

use crate::common::{id, local, ok};
use cassmodel_cql::ast::*;

fn target(cql: &str) -> (DescribeTarget, bool) {
    match ok(cql) {
        Statement::Describe(d) => (d.target, d.with_internals),
        other => panic!("{other:?}"),
    }
}

#[test]
fn describe_forms() {
    let cases = [
        ("DESCRIBE CLUSTER", DescribeTarget::Cluster),
        ("DESC SCHEMA", DescribeTarget::Schema { full: false }),
        (
            "describe full schema",
            DescribeTarget::Schema { full: true },
        ),
        ("DESCRIBE KEYSPACES", DescribeTarget::Keyspaces),
        (
            "DESCRIBE KEYSPACE",
            DescribeTarget::Keyspace {
                name: None,
                only: false,
            },
        ),
        (
            "DESCRIBE ONLY KEYSPACE Ks",
            DescribeTarget::Keyspace {
                name: Some(id("ks")),
                only: true,
            },
        ),
        ("DESCRIBE TABLES", DescribeTarget::Tables),
        (
            "DESCRIBE TABLE ks.t",
            DescribeTarget::Table(QualifiedName::qualified("ks", "t")),
        ),
        ("DESCRIBE COLUMNFAMILY t", DescribeTarget::Table(local("t"))),
        ("DESCRIBE INDEX i", DescribeTarget::Index(local("i"))),
        (
            "DESCRIBE MATERIALIZED VIEW v",
            DescribeTarget::MaterializedView(local("v")),
        ),
        ("DESCRIBE TYPES", DescribeTarget::Types),
        ("DESCRIBE TYPE addr", DescribeTarget::Type(local("addr"))),
        ("DESCRIBE FUNCTIONS", DescribeTarget::Functions),
        (
            "DESCRIBE FUNCTION ks.f",
            DescribeTarget::Function(QualifiedName::qualified("ks", "f")),
        ),
        ("DESCRIBE AGGREGATES", DescribeTarget::Aggregates),
        (
            "DESCRIBE AGGREGATE a",
            DescribeTarget::Aggregate(local("a")),
        ),
        (
            "DESCRIBE ks.t",
            DescribeTarget::Generic(QualifiedName::qualified("ks", "t")),
        ),
        (
            "DESCRIBE \"cluster\"",
            DescribeTarget::Generic(local("cluster")),
        ),
    ];
    for (cql, expected) in cases {
        let (got, internals) = target(cql);
        assert_eq!(got, expected, "{cql}");
        assert!(!internals);
        // Display renders it back.
        assert_eq!(target(&ok(cql).to_string()).0, expected, "{cql}");
    }
    assert_eq!(
        target("DESCRIBE TABLE t WITH INTERNALS"),
        (DescribeTarget::Table(local("t")), true)
    );
}

#[test]
fn describe_errors() {
    for cql in [
        "DESCRIBE",
        "DESCRIBE TABLE",
        "DESCRIBE MATERIALIZED t",
        "DESCRIBE t WITH",
        "DESCRIBE select",
    ] {
        assert!(cassmodel_cql::parse(cql).is_err(), "{cql}");
    }
}
