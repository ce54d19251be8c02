//! INSERT, UPDATE, DELETE and BATCH.

use crate::common::{err, id, int, local, ok, string};
use cassmodel_cql::ast::*;

fn marker(index: usize) -> Term {
    Term::Marker(BindMarker { index, name: None })
}

#[test]
fn insert_values_with_lwt_and_using() {
    assert_eq!(
        ok("INSERT INTO ks.t (k, v) VALUES (1, 'x') IF NOT EXISTS USING TTL 10 AND TIMESTAMP ?"),
        Statement::Insert(Box::new(Insert {
            table: QualifiedName::qualified("ks", "t"),
            values: InsertValues::Values {
                columns: vec![id("k"), id("v")],
                values: vec![int("1"), string("x")],
            },
            if_not_exists: true,
            using: Using {
                ttl: Some(int("10")),
                timestamp: Some(marker(0))
            },
        }))
    );
    // Clause order is fixed by the grammar: IF NOT EXISTS comes before USING.
    err("INSERT INTO t (k) VALUES (1) USING TTL 1 IF NOT EXISTS");
}

#[test]
fn insert_json() {
    let json = |cql: &str| match ok(cql) {
        Statement::Insert(i) => i.values,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        json("INSERT INTO t JSON '{\"k\": 1}'"),
        InsertValues::Json {
            json: string("{\"k\": 1}"),
            default_unset: false
        }
    );
    assert_eq!(
        json("INSERT INTO t JSON ? DEFAULT UNSET"),
        InsertValues::Json {
            json: marker(0),
            default_unset: true
        }
    );
    assert_eq!(
        json("INSERT INTO t JSON '{}' DEFAULT NULL"),
        InsertValues::Json {
            json: string("{}"),
            default_unset: false
        }
    );
    err("INSERT INTO t JSON 1");
}

#[test]
fn update_assignments() {
    let Statement::Update(u) = ok("UPDATE t USING TTL ? SET a = 1, b = b + 1, c = [1] + c, \
         d = d - {1}, e['k'] = 'v', u.f = 2, g += 3, h -= 4, n = n -5 WHERE k = ?")
    else {
        panic!("not an UPDATE")
    };
    assert_eq!(
        u.using,
        Using {
            ttl: Some(marker(0)),
            timestamp: None
        }
    );
    assert_eq!(
        u.assignments,
        vec![
            Assignment::Set {
                column: id("a"),
                value: int("1")
            },
            Assignment::Add {
                column: id("b"),
                value: int("1")
            },
            Assignment::Prepend {
                column: id("c"),
                value: Term::List(vec![int("1")])
            },
            Assignment::Subtract {
                column: id("d"),
                value: Term::Set(vec![int("1")])
            },
            Assignment::SetElement {
                column: id("e"),
                key: string("k"),
                value: string("v")
            },
            Assignment::SetField {
                column: id("u"),
                field: id("f"),
                value: int("2")
            },
            Assignment::Add {
                column: id("g"),
                value: int("3")
            },
            Assignment::Subtract {
                column: id("h"),
                value: int("4")
            },
            Assignment::Add {
                column: id("n"),
                value: int("-5")
            },
        ]
    );
    assert_eq!(
        u.where_clause,
        vec![Relation::Compare {
            column: id("k"),
            op: Operator::Eq,
            value: marker(1)
        }]
    );
    assert_eq!(u.if_clause, None);
}

#[test]
fn update_column_operations_must_name_the_same_column() {
    assert_eq!(
        err("UPDATE t SET a = b + 1 WHERE k = 1").message,
        "Only expressions of the form X = X +<value> are supported."
    );
    assert_eq!(
        err("UPDATE t SET a = b - 1 WHERE k = 1").message,
        "Only expressions of the form X = X -<value> are supported."
    );
    assert_eq!(
        err("UPDATE t SET a = b -1 WHERE k = 1").message,
        "Only expressions of the form X = X - <value> are supported."
    );
    assert_eq!(
        err("UPDATE t SET a = [1] + b WHERE k = 1").message,
        "Only expressions of the form X = <value> + X are supported."
    );
    err("UPDATE t SET a = 1");
}

#[test]
fn update_conditions() {
    let Statement::Update(u) = ok("UPDATE t SET a = 1 WHERE k = 1 IF a = 1 AND b != 2 \
         AND c IN (1, 2) AND e['k'] = 'v' AND u.f > 1 AND d IN ?")
    else {
        panic!("not an UPDATE")
    };
    let cond = |target, op| Condition { target, op };
    assert_eq!(
        u.if_clause,
        Some(IfClause::Conditions(vec![
            cond(
                ConditionTarget::Column(id("a")),
                ConditionOp::Compare(Operator::Eq, int("1"))
            ),
            cond(
                ConditionTarget::Column(id("b")),
                ConditionOp::Compare(Operator::Neq, int("2"))
            ),
            cond(
                ConditionTarget::Column(id("c")),
                ConditionOp::In(InValues::List(vec![int("1"), int("2")]))
            ),
            cond(
                ConditionTarget::Element {
                    column: id("e"),
                    key: string("k")
                },
                ConditionOp::Compare(Operator::Eq, string("v"))
            ),
            cond(
                ConditionTarget::Field {
                    column: id("u"),
                    field: id("f")
                },
                ConditionOp::Compare(Operator::Gt, int("1"))
            ),
            cond(
                ConditionTarget::Column(id("d")),
                ConditionOp::In(InValues::Marker(BindMarker {
                    index: 0,
                    name: None
                }))
            ),
        ]))
    );
    let Statement::Update(u) =
        ok("UPDATE t SET a = 1 WHERE k = 1 IF s CONTAINS 1 AND m CONTAINS KEY 'k'")
    else {
        panic!("not an UPDATE")
    };
    assert_eq!(
        u.if_clause,
        Some(IfClause::Conditions(vec![
            cond(
                ConditionTarget::Column(id("s")),
                ConditionOp::Compare(Operator::Contains, int("1"))
            ),
            cond(
                ConditionTarget::Column(id("m")),
                ConditionOp::Compare(Operator::ContainsKey, string("k"))
            ),
        ]))
    );
    let Statement::Update(u) = ok("UPDATE t SET a = 1 WHERE k = 1 IF EXISTS") else {
        panic!("not an UPDATE")
    };
    assert_eq!(u.if_clause, Some(IfClause::Exists));
}

#[test]
fn delete_forms() {
    assert_eq!(
        ok("DELETE FROM t WHERE k = 1"),
        Statement::Delete(Box::new(Delete {
            targets: vec![],
            table: local("t"),
            timestamp: None,
            where_clause: vec![Relation::Compare {
                column: id("k"),
                op: Operator::Eq,
                value: int("1")
            }],
            if_clause: None,
        }))
    );
    let Statement::Delete(d) =
        ok("DELETE a, m['k'], u.f FROM t USING TIMESTAMP 5 WHERE k = 1 IF EXISTS")
    else {
        panic!("not a DELETE")
    };
    assert_eq!(
        d.targets,
        vec![
            DeleteTarget::Column(id("a")),
            DeleteTarget::Element {
                column: id("m"),
                key: string("k")
            },
            DeleteTarget::Field {
                column: id("u"),
                field: id("f")
            },
        ]
    );
    assert_eq!(d.timestamp, Some(int("5")));
    assert_eq!(d.if_clause, Some(IfClause::Exists));
    // Only TIMESTAMP is allowed in DELETE's USING clause.
    err("DELETE FROM t USING TTL 5 WHERE k = 1");
}

#[test]
fn batches() {
    let Statement::Batch(b) = ok("BEGIN BATCH INSERT INTO t (a) VALUES (?); \
         UPDATE t SET a = ? WHERE k = ? DELETE FROM t WHERE k = ? APPLY BATCH;")
    else {
        panic!("not a BATCH")
    };
    assert_eq!(b.kind, BatchKind::Logged);
    assert_eq!(b.statements.len(), 3);
    assert!(matches!(b.statements[0], Modification::Insert(_)));
    assert!(matches!(b.statements[1], Modification::Update(_)));
    assert!(matches!(b.statements[2], Modification::Delete(_)));
    let Statement::Batch(b) =
        ok("BEGIN UNLOGGED BATCH USING TIMESTAMP 1 INSERT INTO t (a) VALUES (1) APPLY BATCH")
    else {
        panic!("not a BATCH")
    };
    assert_eq!(b.kind, BatchKind::Unlogged);
    assert_eq!(b.using.timestamp, Some(int("1")));
    let Statement::Batch(b) =
        ok("begin counter batch update t set c = c + 1 where k = 1; apply batch")
    else {
        panic!("not a BATCH")
    };
    assert_eq!(b.kind, BatchKind::Counter);
    // Only modifications may appear in a batch, and APPLY BATCH is required.
    err("BEGIN BATCH SELECT * FROM t APPLY BATCH");
    err("BEGIN BATCH INSERT INTO t (a) VALUES (1)");
}

#[test]
fn incompatible_settings_of_one_column() {
    assert_eq!(
        err("UPDATE t SET a = 1, a = 2 WHERE k = 1").message,
        "Multiple incompatible setting of column a"
    );
    assert_eq!(
        err("UPDATE t SET l = l + [1], l = [2] WHERE k = 1").message,
        "Multiple incompatible setting of column l"
    );
    // Element and append operations on one column combine.
    assert!(matches!(
        ok("UPDATE t SET m['a'] = 1, m['b'] = 2, m = m + {'c': 3} WHERE k = 1"),
        Statement::Update(_)
    ));
}
