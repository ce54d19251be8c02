//! Keyspace, table, index and type statements.

use crate::common::{err, id, int, local, ok, string};
use cassmodel_cql::ast::*;

fn native(t: NativeType) -> TypeExpr {
    TypeExpr::Native(t)
}

#[test]
fn create_keyspace_with_replication_map() {
    let s = ok("CREATE KEYSPACE IF NOT EXISTS Ks WITH replication = \
                {'class': 'SimpleStrategy', 'replication_factor': 1} AND durable_writes = false;");
    let expected = Statement::CreateKeyspace(CreateKeyspace {
        name: id("ks"),
        if_not_exists: true,
        properties: vec![
            Property {
                name: id("replication"),
                value: PropertyValue::Map(vec![
                    (string("class"), string("SimpleStrategy")),
                    (string("replication_factor"), int("1")),
                ]),
            },
            Property {
                name: id("durable_writes"),
                value: PropertyValue::Constant(Term::Literal(Literal::Boolean(false))),
            },
        ],
    });
    assert_eq!(s, expected);
}

#[test]
fn alter_and_drop_keyspace() {
    assert_eq!(
        ok("ALTER KEYSPACE ks WITH durable_writes = true"),
        Statement::AlterKeyspace(AlterKeyspace {
            name: id("ks"),
            if_exists: false,
            properties: vec![Property {
                name: id("durable_writes"),
                value: PropertyValue::Constant(Term::Literal(Literal::Boolean(true))),
            }],
        })
    );
    assert_eq!(
        ok("DROP KEYSPACE IF EXISTS ks"),
        Statement::DropKeyspace(DropObject {
            name: id("ks"),
            if_exists: true
        })
    );
    assert_eq!(
        ok("drop keyspace ks"),
        Statement::DropKeyspace(DropObject {
            name: id("ks"),
            if_exists: false
        })
    );
}

#[test]
fn create_table_inline_primary_key() {
    let Statement::CreateTable(t) = ok("CREATE TABLE ks.t (k int PRIMARY KEY, v text)") else {
        panic!("not a CREATE TABLE")
    };
    assert_eq!(t.name, QualifiedName::qualified("ks", "t"));
    assert!(!t.if_not_exists);
    assert_eq!(t.columns.len(), 2);
    assert!(t.columns[0].primary_key);
    assert_eq!(t.columns[1].ty, native(NativeType::Text));
    assert_eq!(
        t.primary_key(),
        Some(PrimaryKey {
            partition_key: vec![id("k")],
            clustering: vec![]
        })
    );
}

#[test]
fn create_table_composite_key_types_and_options() {
    let s = ok(
        "CREATE TABLE IF NOT EXISTS t (a int, b bigint, c timeuuid, d text STATIC, \
                m map<text, frozen<list<int>>>, s set<varchar>, tu tuple<int, text>, \
                u frozen<ks.addr>, PRIMARY KEY ((a, b), c)) \
                WITH CLUSTERING ORDER BY (c DESC) AND comment = 'hi' \
                AND compaction = {'class': 'LeveledCompactionStrategy'} AND COMPACT STORAGE",
    );
    let Statement::CreateTable(t) = s else {
        panic!("not a CREATE TABLE")
    };
    assert!(t.if_not_exists);
    let types: Vec<&TypeExpr> = t.columns.iter().map(|c| &c.ty).collect();
    assert_eq!(
        types,
        vec![
            &native(NativeType::Int),
            &native(NativeType::Bigint),
            &native(NativeType::Timeuuid),
            &native(NativeType::Text),
            &TypeExpr::Map(
                Box::new(native(NativeType::Text)),
                Box::new(TypeExpr::Frozen(Box::new(TypeExpr::List(Box::new(
                    native(NativeType::Int)
                )))))
            ),
            &TypeExpr::Set(Box::new(native(NativeType::Text))),
            &TypeExpr::Tuple(vec![native(NativeType::Int), native(NativeType::Text)]),
            &TypeExpr::Frozen(Box::new(TypeExpr::UserType(QualifiedName::qualified(
                "ks", "addr"
            )))),
        ]
    );
    assert!(t.columns[3].is_static);
    assert_eq!(
        t.primary_key(),
        Some(PrimaryKey {
            partition_key: vec![id("a"), id("b")],
            clustering: vec![id("c")]
        })
    );
    assert_eq!(t.options.clustering_order, vec![(id("c"), Order::Desc)]);
    assert!(t.options.compact_storage);
    assert_eq!(t.options.properties.len(), 2);
    assert_eq!(
        t.options.properties[0].value,
        PropertyValue::Constant(string("hi"))
    );
}

#[test]
fn create_table_keeps_every_primary_key_declaration() {
    let Statement::CreateTable(t) =
        ok("CREATE TABLE t (k int PRIMARY KEY, v int, PRIMARY KEY (v))")
    else {
        panic!("not a CREATE TABLE")
    };
    assert_eq!(t.primary_keys.len(), 1);
    assert_eq!(
        t.primary_key(),
        None,
        "two declarations: the executor must refuse"
    );
    let Statement::CreateTable(t) = ok("CREATE TABLE t (k int, v int)") else {
        panic!("not a CREATE TABLE")
    };
    assert_eq!(t.primary_key(), None);
}

#[test]
fn create_table_clustering_order_needs_direction() {
    err("CREATE TABLE t (k int, c int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c)");
}

#[test]
fn alter_table_actions() {
    let action = |cql: &str| match ok(cql) {
        Statement::AlterTable(a) => a.action,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        action("ALTER TABLE t ADD v int"),
        AlterTableAction::Add {
            if_not_exists: false,
            columns: vec![ColumnDefinition {
                name: id("v"),
                ty: native(NativeType::Int),
                is_static: false,
                primary_key: false,
            }],
        }
    );
    let AlterTableAction::Add { columns, .. } = action("ALTER TABLE t ADD (a int, b text static)")
    else {
        panic!("not ADD")
    };
    assert_eq!(columns.len(), 2);
    assert!(columns[1].is_static);
    assert_eq!(
        action("ALTER TABLE t DROP (a, b) USING TIMESTAMP 12"),
        AlterTableAction::Drop {
            if_exists: false,
            columns: vec![id("a"), id("b")],
            timestamp: Some(12)
        }
    );
    assert_eq!(
        action("ALTER TABLE t DROP v"),
        AlterTableAction::Drop {
            if_exists: false,
            columns: vec![id("v")],
            timestamp: None
        }
    );
    assert_eq!(
        action("ALTER TABLE t RENAME a TO b AND c TO d"),
        AlterTableAction::Rename {
            if_exists: false,
            renames: vec![(id("a"), id("b")), (id("c"), id("d"))]
        }
    );
    let AlterTableAction::With(opts) = action("ALTER TABLE t WITH gc_grace_seconds = 10") else {
        panic!("not WITH")
    };
    assert_eq!(opts.properties[0].name, id("gc_grace_seconds"));
    assert_eq!(
        action("ALTER TABLE t ALTER v TYPE text"),
        AlterTableAction::AlterColumnType {
            column: id("v"),
            ty: native(NativeType::Text)
        }
    );
    assert_eq!(
        action("ALTER TABLE t DROP COMPACT STORAGE"),
        AlterTableAction::DropCompactStorage
    );
}

#[test]
fn drop_and_truncate_table() {
    assert_eq!(
        ok("DROP TABLE IF EXISTS ks.t"),
        Statement::DropTable(DropObject {
            name: QualifiedName::qualified("ks", "t"),
            if_exists: true
        })
    );
    assert_eq!(ok("TRUNCATE t"), Statement::Truncate(local("t")));
    assert_eq!(ok("TRUNCATE TABLE t"), Statement::Truncate(local("t")));
    assert_eq!(
        ok("TRUNCATE COLUMNFAMILY t"),
        Statement::Truncate(local("t"))
    );
}

#[test]
fn create_index_forms() {
    let idx = |cql: &str| match ok(cql) {
        Statement::CreateIndex(i) => i,
        other => panic!("{other:?}"),
    };
    let i = idx("CREATE INDEX IF NOT EXISTS by_v ON ks.t (v)");
    assert_eq!(i.name, Some(id("by_v")));
    assert!(i.if_not_exists);
    assert_eq!(
        i.targets,
        vec![IndexTarget {
            column: id("v"),
            kind: IndexTargetKind::Simple
        }]
    );
    for (cql, kind) in [
        ("CREATE INDEX ON t (keys(m))", IndexTargetKind::Keys),
        ("CREATE INDEX ON t (VALUES(m))", IndexTargetKind::Values),
        ("CREATE INDEX ON t (entries(m))", IndexTargetKind::Entries),
        ("CREATE INDEX ON t (full(m))", IndexTargetKind::Full),
    ] {
        let i = idx(cql);
        assert_eq!(i.name, None);
        assert_eq!(
            i.targets,
            vec![IndexTarget {
                column: id("m"),
                kind
            }],
            "{cql}"
        );
    }
    // `keys` without parentheses is an ordinary column name.
    assert_eq!(
        idx("CREATE INDEX ON t (keys)").targets[0].kind,
        IndexTargetKind::Simple
    );
    let i = idx("CREATE CUSTOM INDEX ON t (v) USING 'org.Foo' WITH OPTIONS = {'mode': 'CONTAINS'}");
    assert!(i.custom);
    assert_eq!(i.using.as_deref(), Some("org.Foo"));
    assert_eq!(i.properties[0].name, id("options"));
    assert_eq!(
        ok("DROP INDEX IF EXISTS ks.by_v"),
        Statement::DropIndex(DropObject {
            name: QualifiedName::qualified("ks", "by_v"),
            if_exists: true
        })
    );
}

#[test]
fn user_types() {
    assert_eq!(
        ok("CREATE TYPE IF NOT EXISTS ks.addr (street text, zip int,)"),
        Statement::CreateType(CreateType {
            name: QualifiedName::qualified("ks", "addr"),
            if_not_exists: true,
            fields: vec![
                (id("street"), native(NativeType::Text)),
                (id("zip"), native(NativeType::Int))
            ],
        })
    );
    assert_eq!(
        ok("ALTER TYPE addr ADD city text"),
        Statement::AlterType(AlterType {
            name: local("addr"),
            if_exists: false,
            action: AlterTypeAction::Add {
                if_not_exists: false,
                field: id("city"),
                ty: native(NativeType::Text)
            },
        })
    );
    assert_eq!(
        ok("ALTER TYPE addr RENAME street TO road"),
        Statement::AlterType(AlterType {
            name: local("addr"),
            if_exists: false,
            action: AlterTypeAction::Rename {
                if_exists: false,
                renames: vec![(id("street"), id("road"))]
            },
        })
    );
    assert_eq!(
        ok("DROP TYPE IF EXISTS addr"),
        Statement::DropType(DropObject {
            name: local("addr"),
            if_exists: true
        })
    );
}

#[test]
fn type_name_rules() {
    // Cassandra's grammar refuses these names for user types and non-freezable frozen<>.
    assert_eq!(
        err("CREATE TABLE t (k int PRIMARY KEY, v byte)").message,
        "Invalid (reserved) user type name byte"
    );
    assert_eq!(
        err("CREATE TABLE t (k int PRIMARY KEY, v frozen<int>)").message,
        "frozen<> is only allowed on collections, tuples, and user-defined types"
    );
    err("CREATE TABLE t (k int PRIMARY KEY, v map<int>)");
    err("CREATE TABLE t (k int PRIMARY KEY, v list<int)");
}

#[test]
fn unsupported_create_is_recognised_then_skipped() {
    let stmts = cassmodel_cql::parse_statements(
        "CREATE FUNCTION f(a int) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS $$ return a; $$; USE ks",
    )
    .unwrap_or_else(|e| panic!("{}", e.message));
    assert_eq!(
        stmts,
        vec![
            Statement::Unsupported {
                what: "CREATE FUNCTION".into(),
                words: [
                    "create", "function", "f", "(", "a", "int", ")", "returns", "null", "on",
                    "null", "input", "returns", "int", "language", "java", "as"
                ]
                .map(String::from)
                .to_vec(),
            },
            Statement::Use(id("ks"))
        ]
    );
}

#[test]
fn property_rules_from_the_grammar() {
    assert_eq!(
        err("CREATE TABLE t (k int PRIMARY KEY) WITH comment = 'a' AND comment = 'b'").message,
        "Multiple definition for property comment"
    );
    assert_eq!(
        err("ALTER KEYSPACE ks WITH durable_writes = true AND DURABLE_WRITES = false").message,
        "Multiple definition for property durable_writes"
    );
    assert_eq!(
        err("CREATE KEYSPACE ks WITH replication = {'class': 'x', 'class': 'y'}").message,
        "Multiple definition for property class"
    );
    assert_eq!(
        err("CREATE KEYSPACE ks WITH replication = {'class': ?}").message,
        "Invalid property value: ? for property: 'class' (bind variables are not supported in DDL queries)"
    );
    assert_eq!(
        err("CREATE KEYSPACE ks WITH replication = {[1]: 'x'}").message,
        "Invalid property name: [1]"
    );
    // A word value is allowed (`unreserved_keyword`), a quoted name is not.
    let Statement::AlterTable(a) = ok("ALTER TABLE t WITH caching = all") else {
        panic!("not ALTER")
    };
    let AlterTableAction::With(opts) = a.action else {
        panic!("not WITH")
    };
    assert_eq!(opts.properties[0].value, PropertyValue::Ident(id("all")));
    err("ALTER TABLE t WITH comment = \"x\"");
}
