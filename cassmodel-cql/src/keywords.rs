//! Reserved keywords of CQL (Cassandra 4.1).
//!
//! Every keyword token of `Lexer.g` that is not listed in `Parser.g`'s `unreserved_keyword`
//! rules is reserved: it cannot be used as an identifier unless quoted. The list matches the
//! "Reserved" column of Cassandra 4.1's CQL appendix (`doc/.../cql/appendices.adoc`).
//! Everything else (including `key`, `type`, `ttl`, `writetime`, `count`, `values`, `keys`,
//! native type names, `json`, `distinct`, `exists`) lexes as an ordinary identifier and the
//! parser recognises it by context.

/// The reserved keywords, lower case and sorted (binary-searched). `true` and `false` are
/// BOOLEAN literal tokens in Lexer.g, so they cannot be identifiers either.
const RESERVED: [&str; 63] = [
    "add",
    "allow",
    "alter",
    "and",
    "apply",
    "asc",
    "authorize",
    "batch",
    "begin",
    "by",
    "columnfamily",
    "create",
    "delete",
    "desc",
    "describe",
    "drop",
    "entries",
    "execute",
    "false",
    "from",
    "full",
    "grant",
    "if",
    "in",
    "index",
    "infinity",
    "insert",
    "into",
    "is",
    "keyspace",
    "limit",
    "materialized",
    "mbean",
    "mbeans",
    "modify",
    "nan",
    "norecursive",
    "not",
    "null",
    "of",
    "on",
    "or",
    "order",
    "primary",
    "rename",
    "replace",
    "revoke",
    "schema",
    "select",
    "set",
    "table",
    "to",
    "token",
    "true",
    "truncate",
    "unlogged",
    "unset",
    "update",
    "use",
    "using",
    "view",
    "where",
    "with",
];

/// True when `word` (any case) is a reserved keyword.
pub(crate) fn is_reserved(word: &str) -> bool {
    // Every reserved word has 2..=12 ASCII letters: lower-case into a stack buffer.
    let bytes = word.as_bytes();
    if bytes.len() < 2 || bytes.len() > 12 {
        return false;
    }
    let mut buf = [0u8; 12];
    for (dst, src) in buf.iter_mut().zip(bytes) {
        *dst = src.to_ascii_lowercase();
    }
    let lower = buf.get(..bytes.len()).unwrap_or_default();
    RESERVED
        .binary_search_by(|k| k.as_bytes().cmp(lower))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_unreserved() {
        for w in [
            "SELECT",
            "from",
            "Token",
            "NaN",
            "with",
            "KEYSPACE",
            "columnfamily",
        ] {
            assert!(is_reserved(w), "{w}");
        }
        for w in [
            "key",
            "type",
            "ttl",
            "writetime",
            "count",
            "value",
            "keys",
            "values",
            "json",
            "a",
        ] {
            assert!(!is_reserved(w), "{w}");
        }
    }
}
