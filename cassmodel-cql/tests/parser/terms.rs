//! Literal and term forms, checked through `INSERT ... VALUES (term)`.

use crate::common::{err, id, int, ok, string};
use cassmodel_cql::ast::*;

/// The single value of `INSERT INTO t (a) VALUES (<term>)`.
fn term(text: &str) -> Term {
    match ok(&format!("INSERT INTO t (a) VALUES ({text})")) {
        Statement::Insert(i) => match i.values {
            InsertValues::Values { mut values, .. } if values.len() == 1 => values.remove(0),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

fn lit(l: Literal) -> Term {
    Term::Literal(l)
}

#[test]
fn strings() {
    assert_eq!(term("'it''s'"), string("it's"));
    assert_eq!(term("$$raw 'quoted' $$"), string("raw 'quoted' "));
    assert_eq!(term("''"), string(""));
    assert_eq!(term("'héllo'"), string("héllo"));
}

#[test]
fn numbers() {
    assert_eq!(term("42"), int("42"));
    assert_eq!(term("-42"), int("-42"));
    assert_eq!(term("-9223372036854775808"), int("-9223372036854775808"));
    let big = "123456789012345678901234567890";
    assert_eq!(term(big), int(big));
    assert_eq!(Literal::Integer(big.into()).as_i64(), None);
    assert_eq!(Literal::Integer("-7".into()).as_i64(), Some(-7));
    for f in ["1.5", "-1.5", "1e10", "1.5E-3", "3."] {
        assert_eq!(term(f), lit(Literal::Float(f.into())), "{f}");
    }
    assert_eq!(term("NaN"), lit(Literal::Float("NaN".into())));
    assert_eq!(term("Infinity"), lit(Literal::Float("Infinity".into())));
    assert_eq!(term("-Infinity"), lit(Literal::Float("-Infinity".into())));
}

#[test]
fn other_constants() {
    assert_eq!(term("true"), lit(Literal::Boolean(true)));
    assert_eq!(term("FALSE"), lit(Literal::Boolean(false)));
    assert_eq!(term("null"), Term::Null);
    let uuid = "123e4567-e89b-12d3-a456-426614174000";
    assert_eq!(term(uuid), lit(Literal::Uuid(uuid.into())));
    assert_eq!(term("0xCAFE"), lit(Literal::Hex("CAFE".into())));
    assert_eq!(term("0x"), lit(Literal::Hex(String::new())));
    for d in [
        "1h30m",
        "12mo3d",
        "-1d",
        "P1Y2M",
        "PT1H",
        "P2W",
        "P0001-02-03T04:05:06",
        "5ms",
    ] {
        assert_eq!(term(d), lit(Literal::Duration(d.into())), "{d}");
    }
}

#[test]
fn collections_tuples_and_udts() {
    assert_eq!(term("[1, 2]"), Term::List(vec![int("1"), int("2")]));
    assert_eq!(term("[]"), Term::List(vec![]));
    assert_eq!(term("{1, 2}"), Term::Set(vec![int("1"), int("2")]));
    assert_eq!(
        term("{}"),
        Term::Set(vec![]),
        "{{}} is an empty set, as in Cassandra"
    );
    assert_eq!(
        term("{'a': 1, 'b': 2}"),
        Term::Map(vec![(string("a"), int("1")), (string("b"), int("2"))])
    );
    assert_eq!(term("(1, 'x')"), Term::Tuple(vec![int("1"), string("x")]));
    assert_eq!(term("(1)"), Term::Tuple(vec![int("1")]));
    assert_eq!(
        term("{street: 'x', \"Zip\": 1}"),
        Term::Udt(vec![(id("street"), string("x")), (id("Zip"), int("1"))])
    );
    assert_eq!(
        term("[{1: [2]}, {(1, 2)}]"),
        Term::List(vec![
            Term::Map(vec![(int("1"), Term::List(vec![int("2")]))]),
            Term::Set(vec![Term::Tuple(vec![int("1"), int("2")])]),
        ])
    );
}

#[test]
fn functions_hints_and_arithmetic() {
    assert_eq!(
        term("now()"),
        Term::FunctionCall {
            name: QualifiedName::local("now"),
            args: vec![]
        }
    );
    assert_eq!(
        term("system.toTimestamp(now())"),
        Term::FunctionCall {
            name: QualifiedName::qualified("system", "totimestamp"),
            args: vec![Term::FunctionCall {
                name: QualifiedName::local("now"),
                args: vec![]
            }],
        }
    );
    assert_eq!(
        term("(int) ?"),
        Term::TypeHint {
            ty: TypeExpr::Native(NativeType::Int),
            term: Box::new(Term::Marker(BindMarker {
                index: 0,
                name: None
            })),
        }
    );
    assert_eq!(
        term("(frozen<list<int>>) [1]"),
        Term::TypeHint {
            ty: TypeExpr::Frozen(Box::new(TypeExpr::List(Box::new(TypeExpr::Native(
                NativeType::Int
            ))))),
            term: Box::new(Term::List(vec![int("1")])),
        }
    );
    assert_eq!(
        term("- ?"),
        Term::Negate(Box::new(Term::Marker(BindMarker {
            index: 0,
            name: None
        })))
    );
    assert_eq!(
        term("1 + 2 * 3"),
        Term::Arithmetic {
            op: ArithOp::Add,
            left: Box::new(int("1")),
            right: Box::new(Term::Arithmetic {
                op: ArithOp::Mul,
                left: Box::new(int("2")),
                right: Box::new(int("3")),
            }),
        }
    );
}

#[test]
fn bad_terms() {
    for bad in [
        "a",
        "[1, ]",
        "{1: }",
        "(1, 2",
        "'open",
        "0xZZ",
        "(int)",
        "{a: 1, 2}",
    ] {
        err(&format!("INSERT INTO t (a) VALUES ({bad})"));
    }
}
