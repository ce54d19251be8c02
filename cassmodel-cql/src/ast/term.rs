//! Terms: literals, bind markers, collection/tuple/UDT literals, function calls and type hints.

use super::names::{FunctionName, Ident, TypeExpr};

/// A constant as written. Numeric and other typed literals keep their source text, because the
/// receiver's type decides their meaning (`1` is valid for `int`, `varint`, `decimal`,
/// `double`...; a decimal needs the exact digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Literal {
    /// A string literal (`'it''s'` or `$$raw$$`), unescaped.
    String(String),
    /// An integer literal, e.g. `-42`; any number of digits (varint range).
    Integer(String),
    /// A floating-point literal as written: `1.5`, `-1e10`, `3.`, and also `NaN`, `Infinity`
    /// and `-Infinity` (which are keywords, not numbers, in CQL).
    Float(String),
    /// `true` / `false`.
    Boolean(bool),
    /// An unquoted UUID literal, as written (`123e4567-e89b-12d3-a456-426614174000`).
    Uuid(String),
    /// A blob literal, the hex digits after `0x` as written (possibly empty or odd-length;
    /// the executor rejects odd lengths).
    Hex(String),
    /// A duration literal as written: `1h30m`, `-12mo3d`, `P1Y2M`, `PT1H`,
    /// `P0001-02-03T04:05:06`.
    Duration(String),
}

impl Literal {
    /// The integer value when this is an integer literal that fits in an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Literal::Integer(text) => text.parse().ok(),
            _ => None,
        }
    }
}

/// A bind marker: positional `?` or named `:name`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BindMarker {
    /// Ordinal of the marker in source order across the whole statement (batch sub-statements
    /// included), starting at 0. Repeated names still get one index per occurrence, as in
    /// Cassandra.
    pub index: usize,
    /// The name for `:name` markers (normalised like an identifier), `None` for `?`.
    pub name: Option<Ident>,
}

/// Arithmetic operators of CQL terms (Cassandra 4.0+ operators on numeric constants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

/// A term: a value expression whose value does not depend on a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// A constant.
    Literal(Literal),
    /// `null`
    Null,
    /// A bind marker.
    Marker(BindMarker),
    /// `[a, b]`
    List(Vec<Term>),
    /// `{a, b}`. Also `{}`, which is ambiguous: as in Cassandra it is parsed as an empty set
    /// and the executor treats it as an empty map when the receiver is a map (or a UDT).
    Set(Vec<Term>),
    /// `{k: v, ...}` (non-empty).
    Map(Vec<(Term, Term)>),
    /// `(a, b, ...)` with two or more elements, or one element when written in a tuple-only
    /// position (the right side of a multi-column relation).
    Tuple(Vec<Term>),
    /// `{field: value, ...}` where every key is a bare identifier: a UDT literal. Not ambiguous
    /// with maps, because a bare identifier is not a term.
    Udt(Vec<(Ident, Term)>),
    /// `f(a, b)` (also `token(...)`, `now()`, `toTimestamp(...)`...).
    FunctionCall {
        /// The function name, lower-cased unless quoted.
        name: FunctionName,
        /// Arguments.
        args: Vec<Term>,
    },
    /// A type hint `(type) term`, e.g. `(int) ?`.
    TypeHint {
        /// The hinted type.
        ty: TypeExpr,
        /// The hinted term.
        term: Box<Term>,
    },
    /// Unary minus on a non-literal term, e.g. `-?` or `-(1 + 2)`. `-1` is a literal.
    Negate(Box<Term>),
    /// `a + b`, `a * b`...
    Arithmetic {
        /// The operator.
        op: ArithOp,
        /// Left operand.
        left: Box<Term>,
        /// Right operand.
        right: Box<Term>,
    },
}

impl Term {
    /// The bind marker when this term is exactly a marker.
    pub fn as_marker(&self) -> Option<&BindMarker> {
        match self {
            Term::Marker(m) => Some(m),
            _ => None,
        }
    }
}
