//! Bind-marker numbering.

use cassmodel_cql::ast::{BindMarker, Ident};
use cassmodel_cql::parse_with_markers;

fn markers(cql: &str) -> Vec<BindMarker> {
    match parse_with_markers(cql) {
        Ok(p) => p.bind_markers,
        Err(e) => panic!("{cql}: {}", e.message),
    }
}

fn positional(index: usize) -> BindMarker {
    BindMarker { index, name: None }
}

fn named(index: usize, name: &str) -> BindMarker {
    BindMarker {
        index,
        name: Some(Ident::new(name)),
    }
}

#[test]
fn positional_markers_in_source_order() {
    assert_eq!(
        markers("UPDATE t USING TTL ? SET a = ?, m[?] = ? WHERE k = ? AND c IN ? IF b = ?"),
        (0..7).map(positional).collect::<Vec<_>>()
    );
}

#[test]
fn named_markers_and_repeats() {
    assert_eq!(
        markers(
            "SELECT * FROM t WHERE k = :key AND c > :\"Low\" AND d < ? AND e = :key LIMIT :lim"
        ),
        vec![
            named(0, "key"),
            named(1, "Low"),
            positional(2),
            named(3, "key"),
            named(4, "lim")
        ]
    );
}

#[test]
fn batch_markers_number_across_statements() {
    assert_eq!(
        markers(
            "BEGIN BATCH USING TIMESTAMP ? INSERT INTO t (a, b) VALUES (?, ?); \
                 UPDATE t SET a = ? WHERE k = ?; DELETE FROM t WHERE k = ? APPLY BATCH"
        ),
        (0..6).map(positional).collect::<Vec<_>>()
    );
}

#[test]
fn type_hint_backtracking_does_not_duplicate_markers() {
    assert_eq!(
        markers("INSERT INTO t (a, b) VALUES ((int) ?, (?, ?))"),
        (0..3).map(positional).collect::<Vec<_>>()
    );
}

#[test]
fn no_markers() {
    assert!(markers("SELECT * FROM t").is_empty());
}
