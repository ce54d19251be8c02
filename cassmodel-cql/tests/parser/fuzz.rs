//! Robustness: no input makes the parser panic (it must return Ok or a ParseError).

use proptest::prelude::*;

/// Fragments that look like CQL, so that random soups reach deep into the grammar.
const FRAGMENTS: &[&str] = &[
    "SELECT",
    "INSERT",
    "INTO",
    "UPDATE",
    "DELETE",
    "FROM",
    "WHERE",
    "AND",
    "SET",
    "VALUES",
    "CREATE",
    "ALTER",
    "DROP",
    "TABLE",
    "KEYSPACE",
    "INDEX",
    "TYPE",
    "BEGIN",
    "BATCH",
    "APPLY",
    "USING",
    "TTL",
    "TIMESTAMP",
    "IF",
    "NOT",
    "EXISTS",
    "IN",
    "CONTAINS",
    "KEY",
    "PRIMARY",
    "WITH",
    "ORDER",
    "BY",
    "LIMIT",
    "token",
    "count",
    "frozen",
    "map",
    "list",
    "set",
    "tuple",
    "int",
    "text",
    "k",
    "v",
    "\"Q\"",
    "t",
    "ks",
    ".",
    ",",
    ";",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "=",
    "!=",
    "<=",
    "+",
    "-",
    "*",
    "?",
    ":n",
    "'s'",
    "$$x$$",
    "1",
    "-2",
    "1.5",
    "1e3",
    "0xAB",
    "1h",
    "P1D",
    "true",
    "null",
    "NaN",
    "Infinity",
    "..",
    "+=",
    "-=",
    "123e4567-e89b-12d3-a456-426614174000",
    "/*c*/",
    "--c\n",
    "µ",
    "\u{0}",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = cassmodel_cql::parse(&text);
        let _ = cassmodel_cql::parse_statements(&text);
    }

    #[test]
    fn random_token_soups_never_panic(
        picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..40),
        glue in proptest::collection::vec(prop_oneof![Just(" "), Just(""), Just("\n")], 40),
    ) {
        let mut text = String::new();
        for (i, p) in picks.iter().enumerate() {
            text.push_str(FRAGMENTS[*p]);
            text.push_str(glue[i % glue.len()]);
        }
        let _ = cassmodel_cql::parse(&text);
        let _ = cassmodel_cql::parse_statements(&text);
    }

    #[test]
    fn errors_have_consistent_positions(text in "[a-zA-Z0-9 ,;()'.=?*<>\\n-]{0,80}") {
        if let Err(e) = cassmodel_cql::parse(&text) {
            prop_assert!(e.line > 0 || e.column == -1, "{:?}", e);
            prop_assert!(!e.message.is_empty());
        }
    }
}
