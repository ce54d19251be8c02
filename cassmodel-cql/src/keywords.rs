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

/// Packs up to 16 lower-case ASCII bytes big-endian into a `u128`, zero-padded. Since every
/// keyword byte is non-zero, the packing preserves lexicographic order, so the packed table is
/// sorted like [`RESERVED`] and can be binary-searched with integer comparisons.
const fn pack(word: &[u8]) -> u128 {
    let mut packed = 0u128;
    let mut i = 0;
    while i < 16 {
        let byte = if i < word.len() {
            word[i].to_ascii_lowercase()
        } else {
            0
        };
        packed = (packed << 8) | byte as u128;
        i += 1;
    }
    packed
}

/// [`RESERVED`] packed with [`pack`].
const RESERVED_PACKED: [u128; RESERVED.len()] = {
    let mut out = [0u128; RESERVED.len()];
    let mut i = 0;
    while i < RESERVED.len() {
        out[i] = pack(RESERVED[i].as_bytes());
        i += 1;
    }
    out
};

/// True when `word` (any case) is a reserved keyword.
pub(crate) fn is_reserved(word: &str) -> bool {
    // Every reserved word has 2..=12 ASCII letters.
    let bytes = word.as_bytes();
    if bytes.len() < 2 || bytes.len() > 12 {
        return false;
    }
    RESERVED_PACKED.binary_search(&pack(bytes)).is_ok()
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
