//! SELECT: selection, WHERE relations and the trailing clauses.

use crate::common::{id, int, local, ok, string};
use cassmodel_cql::ast::*;

fn select(cql: &str) -> Select {
    match ok(cql) {
        Statement::Select(s) => *s,
        other => panic!("{other:?}"),
    }
}

fn marker(index: usize) -> Term {
    Term::Marker(BindMarker { index, name: None })
}

fn selectors(cql: &str) -> Vec<Selector> {
    match select(cql).selection {
        Selection::Selectors(s) => s,
        Selection::Wildcard => panic!("wildcard"),
    }
}

fn col(name: &str) -> SelectorExpr {
    SelectorExpr::Column(id(name))
}

#[test]
fn wildcard_and_clauses() {
    let s = select(
        "SELECT * FROM ks.t WHERE k = 1 GROUP BY k, c ORDER BY c DESC, d \
         PER PARTITION LIMIT 2 LIMIT ? ALLOW FILTERING;",
    );
    assert_eq!(
        s,
        Select {
            json: false,
            distinct: false,
            selection: Selection::Wildcard,
            table: QualifiedName::qualified("ks", "t"),
            where_clause: vec![Relation::Compare {
                column: id("k"),
                op: Operator::Eq,
                value: int("1")
            }],
            group_by: vec![id("k"), id("c")],
            order_by: vec![(id("c"), Order::Desc), (id("d"), Order::Asc)],
            per_partition_limit: Some(int("2")),
            limit: Some(marker(0)),
            allow_filtering: true,
        }
    );
}

#[test]
fn json_and_distinct_modifiers_versus_columns() {
    let s = select("SELECT JSON DISTINCT k FROM t");
    assert!(s.json && s.distinct);
    assert_eq!(
        s.selection,
        Selection::Selectors(vec![Selector {
            expr: col("k"),
            alias: None
        }])
    );
    let s = select("SELECT json FROM t");
    assert!(!s.json);
    assert_eq!(
        s.selection,
        Selection::Selectors(vec![Selector {
            expr: col("json"),
            alias: None
        }])
    );
    let s = select("SELECT distinct, json AS j FROM t");
    assert!(!s.distinct && !s.json);
    assert_eq!(selectors("SELECT distinct, json AS j FROM t").len(), 2);
    assert!(select("SELECT JSON * FROM t").json);
    let s = select("SELECT json + 1, distinct FROM t");
    assert!(!s.json && !s.distinct);
}

#[test]
fn selector_forms() {
    let got = selectors(
        "SELECT a AS x, count(*), COUNT(1), writetime(v), ttl(v), token(a, b), \
         CAST(v AS text), now(), toTimestamp(now()), system.max(v), m['k'], u.f, l[1..2] FROM t",
    );
    let f = |name: &str, args: Vec<SelectorExpr>| SelectorExpr::Function {
        name: QualifiedName::local(name),
        args,
    };
    let exprs: Vec<SelectorExpr> = got.iter().map(|s| s.expr.clone()).collect();
    assert_eq!(got[0].alias, Some(id("x")));
    assert_eq!(
        exprs,
        vec![
            col("a"),
            SelectorExpr::CountAll,
            f("count", vec![SelectorExpr::Term(int("1"))]),
            SelectorExpr::WriteTime(id("v")),
            SelectorExpr::Ttl(id("v")),
            f("token", vec![col("a"), col("b")]),
            SelectorExpr::Cast {
                expr: Box::new(col("v")),
                ty: NativeType::Text
            },
            f("now", vec![]),
            f("totimestamp", vec![f("now", vec![])]),
            SelectorExpr::Function {
                name: QualifiedName::qualified("system", "max"),
                args: vec![col("v")],
            },
            SelectorExpr::Element {
                expr: Box::new(col("m")),
                key: string("k")
            },
            SelectorExpr::Field {
                expr: Box::new(col("u")),
                field: id("f")
            },
            SelectorExpr::Slice {
                expr: Box::new(col("l")),
                from: Some(int("1")),
                to: Some(int("2")),
            },
        ]
    );
}

#[test]
fn unreserved_keywords_are_columns() {
    let names: Vec<SelectorExpr> =
        selectors("SELECT key, type, ttl, writetime, count, value, keys, values, json FROM t")
            .into_iter()
            .map(|s| s.expr)
            .collect();
    let expected: Vec<SelectorExpr> = [
        "key",
        "type",
        "ttl",
        "writetime",
        "count",
        "value",
        "keys",
        "values",
        "json",
    ]
    .into_iter()
    .map(col)
    .collect();
    assert_eq!(names, expected);
}

#[test]
fn single_column_relations() {
    let s = select(
        "SELECT * FROM t WHERE a = 1 AND b > 2 AND c <= 3 AND d != 4 AND e < 5 AND f >= 6 \
         AND g IN (1, 2) AND h IN ? AND i CONTAINS 1 AND j CONTAINS KEY 'k' \
         AND l LIKE 'a%' AND n IS NOT NULL AND m['k'] = 'v' AND o IN ()",
    );
    let cmp = |c: &str, op, value| Relation::Compare {
        column: id(c),
        op,
        value,
    };
    assert_eq!(
        s.where_clause,
        vec![
            cmp("a", Operator::Eq, int("1")),
            cmp("b", Operator::Gt, int("2")),
            cmp("c", Operator::Lte, int("3")),
            cmp("d", Operator::Neq, int("4")),
            cmp("e", Operator::Lt, int("5")),
            cmp("f", Operator::Gte, int("6")),
            Relation::In {
                column: id("g"),
                values: InValues::List(vec![int("1"), int("2")])
            },
            Relation::In {
                column: id("h"),
                values: InValues::Marker(BindMarker {
                    index: 0,
                    name: None
                }),
            },
            cmp("i", Operator::Contains, int("1")),
            cmp("j", Operator::ContainsKey, string("k")),
            cmp("l", Operator::Like, string("a%")),
            Relation::IsNotNull(id("n")),
            Relation::Element {
                column: id("m"),
                key: string("k"),
                op: Operator::Eq,
                value: string("v"),
            },
            Relation::In {
                column: id("o"),
                values: InValues::List(vec![])
            },
        ]
    );
}

#[test]
fn multi_column_and_token_relations() {
    let s = select(
        "SELECT * FROM t WHERE (a, b) > (1, 2) AND (a, b) IN ((1, 2), (3, 4)) \
         AND (c, d) IN ? AND (c, d) IN (?, ?) AND (e) = ? AND token(k1, k2) > token(?, ?) \
         AND (x = 1)",
    );
    let tuple = |a: &str, b: &str| Term::Tuple(vec![int(a), int(b)]);
    let ab = vec![id("a"), id("b")];
    let cd = vec![id("c"), id("d")];
    assert_eq!(
        s.where_clause,
        vec![
            Relation::MultiCompare {
                columns: ab.clone(),
                op: Operator::Gt,
                value: tuple("1", "2")
            },
            Relation::MultiIn {
                columns: ab,
                values: InValues::List(vec![tuple("1", "2"), tuple("3", "4")]),
            },
            Relation::MultiIn {
                columns: cd.clone(),
                values: InValues::Marker(BindMarker {
                    index: 0,
                    name: None
                }),
            },
            Relation::MultiIn {
                columns: cd,
                values: InValues::List(vec![marker(1), marker(2)])
            },
            Relation::MultiCompare {
                columns: vec![id("e")],
                op: Operator::Eq,
                value: marker(3)
            },
            Relation::Token {
                columns: vec![id("k1"), id("k2")],
                op: Operator::Gt,
                value: Term::FunctionCall {
                    name: local("token"),
                    args: vec![marker(4), marker(5)],
                },
            },
            Relation::Compare {
                column: id("x"),
                op: Operator::Eq,
                value: int("1")
            },
        ]
    );
}

#[test]
fn selector_expressions() {
    let exprs: Vec<SelectorExpr> = selectors(
        "SELECT a + 2 * b, -a, (int) ?, (a, b), (a), [a, 1], {a, b}, {a: 1}, {}, 1, null, 'x' FROM t",
    )
    .into_iter()
    .map(|s| s.expr)
    .collect();
    let term = SelectorExpr::Term;
    assert_eq!(
        exprs,
        vec![
            SelectorExpr::Arithmetic {
                op: ArithOp::Add,
                left: Box::new(col("a")),
                right: Box::new(SelectorExpr::Arithmetic {
                    op: ArithOp::Mul,
                    left: Box::new(term(int("2"))),
                    right: Box::new(col("b")),
                }),
            },
            SelectorExpr::Negate(Box::new(col("a"))),
            SelectorExpr::TypeHint {
                ty: TypeExpr::Native(NativeType::Int),
                expr: Box::new(term(marker(0))),
            },
            SelectorExpr::Tuple(vec![col("a"), col("b")]),
            col("a"),
            SelectorExpr::List(vec![col("a"), term(int("1"))]),
            SelectorExpr::Set(vec![col("a"), col("b")]),
            SelectorExpr::Map(vec![(col("a"), term(int("1")))]),
            SelectorExpr::Set(vec![]),
            term(int("1")),
            term(Term::Null),
            term(string("x")),
        ]
    );
}

#[test]
fn bad_selects() {
    use crate::common::err;
    for cql in [
        "SELECT FROM t",
        "SELECT a b FROM t",
        "SELECT a, FROM t",
        "SELECT * FROM t WHERE",
        "SELECT * FROM t WHERE a",
        "SELECT * FROM t WHERE a = 1 AND",
        "SELECT * FROM t LIMIT",
        "SELECT * FROM t LIMIT 'x'",
        "SELECT * FROM t ALLOW",
        "SELECT * FROM t ORDER c",
        "SELECT * FROM t WHERE (a, b) = 1",
        "SELECT * FROM t WHERE token(a) IN (1)",
        "SELECT m[..] FROM t",
        "SELECT count(*) AS FROM t",
        "SELECT * FROM t LIMIT 1 PER PARTITION LIMIT 1",
    ] {
        err(cql);
    }
}
