//! The syntax error type.

/// A CQL syntax error (the server maps it to error code `0x2000`).
///
/// `line` is 1-based and `column` 0-based like ANTLR's; at end of input Cassandra prints
/// `line 0:-1`, which is what `line == 0, column == -1` means here. ANTLR-style messages
/// contain the `line L:C` prefix, imitating Cassandra's wording
/// (`line 1:7 no viable alternative at input 'FRM'`); the messages Cassandra's grammar raises
/// itself have no prefix, as there (`Only expressions of the form X = <value> + X are
/// supported.`, `Invalid (reserved) user type name date`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// Human-readable message, Cassandra style.
    pub message: String,
    /// 1-based line of the offending token, or 0 at end of input.
    pub line: u32,
    /// 0-based column (in characters) of the offending token, or -1 at end of input.
    pub column: i32,
}
