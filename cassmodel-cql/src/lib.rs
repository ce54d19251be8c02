//! A CQL (Cassandra Query Language) lexer and parser producing a typed AST.
//!
//! The grammar follows Apache Cassandra 4.1's `src/antlr/Lexer.g` and `Parser.g`: the same
//! keywords (reserved ones cannot be identifiers unless quoted), literal forms and statement
//! shapes. The lexer and the recursive-descent parser are hand-written rather than generated:
//! that keeps error messages precise (we know which alternative was being parsed), needs no
//! build step or generator dependency, and makes the "never panics on any input" property easy
//! to test.
//!
//! ```
//! use cassmodel_cql::{parse, ast::Statement};
//! let stmt = parse("SELECT * FROM ks.t WHERE k = ?").unwrap();
//! assert!(matches!(stmt, Statement::Select(_)));
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
