//! A CQL (Cassandra Query Language) lexer and parser producing a typed AST.
//!
//! The grammar follows Apache Cassandra 4.1's `src/antlr/Lexer.g` and `Parser.g`: the same
//! keywords (reserved ones cannot be identifiers unless quoted), literal forms and statement
//! shapes. The lexer and the recursive-descent parser are hand-written rather than generated:
//! that keeps error messages precise (we know which alternative was being parsed), needs no
//! build step or generator dependency, and makes the "never panics on any input" property easy
//! to test.
//!
//! Entry points: [`parse`] (one statement), [`parse_with_markers`] (plus its bind markers in
//! source order, for PREPARE) and [`parse_statements`] (a `;`-separated script). The tree is in
//! [`ast`]; every node implements `Display`, which renders CQL that parses back to the same
//! tree. Errors are [`ParseError`]s worded like Cassandra's (`line 1:9 mismatched input 'FRM'
//! expecting K_FROM`), which the server reports as syntax errors (code `0x2000`).
//!
//! ```
//! use cassmodel_cql::ast::{Relation, Statement};
//! use cassmodel_cql::{parse, parse_with_markers};
//!
//! let parsed = parse_with_markers("SELECT * FROM ks.t WHERE k = ? AND c > :low")?;
//! assert_eq!(parsed.bind_markers.len(), 2);
//! assert_eq!(parsed.bind_markers[1].name.as_ref().map(|n| n.as_str()), Some("low"));
//! let Statement::Select(select) = &parsed.statement else { unreachable!() };
//! assert!(matches!(select.where_clause[0], Relation::Compare { .. }));
//! assert_eq!(
//!     parsed.statement.to_string(),
//!     "SELECT * FROM ks.t WHERE k = ? AND c > :low"
//! );
//!
//! let err = parse("SELECT * FRM t").unwrap_err();
//! assert_eq!((err.line, err.column), (1, 9));
//! # Ok::<_, cassmodel_cql::ParseError>(())
//! ```

pub mod ast;
mod error;
mod keywords;
mod lexer;
mod parser;

pub use error::ParseError;

use ast::{Parsed, Statement};

/// Parses one CQL statement (a trailing `;` is allowed).
pub fn parse(cql: &str) -> Result<Statement, ParseError> {
    parse_with_markers(cql).map(|p| p.statement)
}

/// Parses one CQL statement and returns it with its bind markers in source order.
pub fn parse_with_markers(cql: &str) -> Result<Parsed, ParseError> {
    parser::parse_one(cql)
}

/// Parses a script: statements separated by `;` (empty statements are skipped). Bind markers
/// are numbered from 0 in each statement.
pub fn parse_statements(cql: &str) -> Result<Vec<Statement>, ParseError> {
    parser::parse_many(cql)
}
