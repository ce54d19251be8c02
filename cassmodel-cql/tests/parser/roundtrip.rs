//! `Display` renders CQL that parses back to the same AST.

use cassmodel_cql::{parse, parse_with_markers};
use proptest::prelude::*;

/// Parses, renders, parses again and compares trees and bind markers.
fn round_trip(cql: &str) -> Result<(), String> {
    let first = parse_with_markers(cql).map_err(|e| format!("{cql}: {}", e.message))?;
    let rendered = first.statement.to_string();
    let second = parse_with_markers(&rendered)
        .map_err(|e| format!("{cql}\n rendered as {rendered}\n fails: {}", e.message))?;
    if first != second {
        return Err(format!(
            "{cql}\n rendered as {rendered}\n parses differently"
        ));
    }
    Ok(())
}

#[test]
fn smoke_corpus_round_trips() {
    let failures: Vec<String> = crate::smoke::OK
        .iter()
        .filter_map(|cql| round_trip(cql).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rendering_is_canonical() {
    let rendered = |cql: &str| match parse(cql) {
        Ok(s) => s.to_string(),
        Err(e) => panic!("{cql}: {}", e.message),
    };
    assert_eq!(
        rendered("select A, \"B\" from KS.\"T\" where k=1 and c in (1,2) limit 3"),
        "SELECT a, \"B\" FROM ks.\"T\" WHERE k = 1 AND c IN (1, 2) LIMIT 3"
    );
    assert_eq!(
        rendered("update t set c = c + 1, \"select\" = 'it''s' where k = ? if exists"),
        "UPDATE t SET c = c + 1, \"select\" = 'it''s' WHERE k = ? IF EXISTS"
    );
    assert_eq!(
        rendered(
            "create table t (k int, c int, primary key (k, c)) with clustering order by (c desc)"
        ),
        "CREATE TABLE t (k int, c int, PRIMARY KEY ((k), c)) WITH CLUSTERING ORDER BY (c DESC)"
    );
}

/// Pieces of valid statements, combined at random.
const TERMS: &[&str] = &[
    "1",
    "-2",
    "1.5",
    "'s'",
    "'it''s'",
    "$$d$$",
    "true",
    "null",
    "?",
    ":n",
    "NaN",
    "-Infinity",
    "0xAB",
    "1h30m",
    "P1D",
    "123e4567-e89b-12d3-a456-426614174000",
    "[1, 2]",
    "{1, 2}",
    "{'a': 1}",
    "{}",
    "(1, 'x')",
    "{f: 1}",
    "now()",
    "(int) ?",
    "- ?",
    "1 + 2 * 3",
];
const COLUMNS: &[&str] = &["a", "\"B\"", "key", "ttl", "\"select\"", "\"a\"\"b\""];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_statements_round_trip(
        c in proptest::sample::select(COLUMNS),
        t1 in proptest::sample::select(TERMS),
        t2 in proptest::sample::select(TERMS),
        shape in 0..4usize,
    ) {
        let cql = match shape {
            0 => format!("INSERT INTO ks.t ({c}, b) VALUES ({t1}, {t2}) IF NOT EXISTS USING TTL ?"),
            1 => format!("UPDATE t SET {c} = {t1}, m[{t2}] = {t1} WHERE k IN ({t1}, {t2}) IF {c} = {t2}"),
            2 => format!("SELECT {c}, writetime({c}) AS w FROM t WHERE {c} > {t1} AND (a, b) < ({t1}, {t2}) LIMIT 5"),
            _ => format!("BEGIN BATCH DELETE {c}[{t1}] FROM t WHERE k = {t2}; INSERT INTO t (a) VALUES ({t2}) APPLY BATCH"),
        };
        prop_assert!(round_trip(&cql).is_ok(), "{:?}", round_trip(&cql));
    }
}
