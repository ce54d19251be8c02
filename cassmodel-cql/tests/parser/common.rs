//! Helpers shared by the parser tests.

use cassmodel_cql::ast::{Ident, Literal, QualifiedName, Statement, Term};
use cassmodel_cql::{ParseError, parse};

/// Parses `cql`, failing the test with the parser's message on error.
pub fn ok(cql: &str) -> Statement {
    match parse(cql) {
        Ok(s) => s,
        Err(e) => panic!("{cql:?} failed to parse: {}", e.message),
    }
}

/// Parses `cql`, failing the test if it parses.
pub fn err(cql: &str) -> ParseError {
    match parse(cql) {
        Ok(s) => panic!("{cql:?} parsed unexpectedly: {s:?}"),
        Err(e) => e,
    }
}

/// An identifier.
pub fn id(name: &str) -> Ident {
    Ident::new(name)
}

/// An unqualified name.
pub fn local(name: &str) -> QualifiedName {
    QualifiedName::local(name)
}

/// An integer literal term.
pub fn int(text: &str) -> Term {
    Term::Literal(Literal::Integer(text.to_owned()))
}

/// A string literal term.
pub fn string(text: &str) -> Term {
    Term::Literal(Literal::String(text.to_owned()))
}
