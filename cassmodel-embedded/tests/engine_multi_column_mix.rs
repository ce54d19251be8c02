//! Multi-column clustering relations that do not start at the first clustering column or
//! that sit next to single-column relations, with what Cassandra 4.1 accepts and refuses
//! (`cql3/MultiColumnRelation.java`, `cql3/restrictions/ClusteringColumnRestrictions.java`,
//! `MultiColumnRestriction.java`).

#![allow(clippy::unwrap_used, missing_docs)]

mod engine_common;

use engine_common::{Db, db};

/// A partition `'x'` whose rows are every (y, z, w) in 0..3 × 0..3 × 0..2.
fn grid(db: &mut Db) {
    db.exec("CREATE TABLE grid (k text, y int, z int, w int, note text, PRIMARY KEY (k, y, z, w))");
    for y in 0..3 {
        for z in 0..3 {
            for w in 0..2 {
                db.exec(&format!(
                    "INSERT INTO grid (k, y, z, w, note) VALUES ('x', {y}, {z}, {w}, 'n')"
                ));
            }
        }
    }
}

fn keys(db: &mut Db, cql: &str) -> Vec<(i32, i32, i32)> {
    let int = |v: &Option<Vec<u8>>| i32::from_be_bytes(v.as_deref().unwrap().try_into().unwrap());
    db.rows(cql)
        .rows
        .iter()
        .map(|r| (int(&r[0]), int(&r[1]), int(&r[2])))
        .collect()
}

#[test]
fn single_column_prefix_then_tuple_on_later_columns() {
    let mut db = db();
    grid(&mut db);
    assert_eq!(
        keys(
            &mut db,
            "SELECT y, z, w FROM grid WHERE k = 'x' AND y = 2 AND (z, w) = (1, 0)"
        ),
        [(2, 1, 0)]
    );
    assert_eq!(
        keys(
            &mut db,
            "SELECT y, z, w FROM grid WHERE k = 'x' AND (y, z) = (0, 2) AND w = 1"
        ),
        [(0, 2, 1)]
    );
    assert_eq!(
        keys(
            &mut db,
            "SELECT y, z, w FROM grid WHERE k = 'x' AND y IN (0, 1) AND (z, w) IN ((2, 1), (0, 0))"
        ),
        [(0, 0, 0), (0, 2, 1), (1, 0, 0), (1, 2, 1)]
    );
}

#[test]
fn tuple_slice_bounded_by_a_single_column_slice_on_its_first_column() {
    let mut db = db();
    grid(&mut db);
    // (y, z, w) > (1, 2, 0) AND y < 2: only the rest of y = 1 after (2, 0).
    assert_eq!(
        keys(
            &mut db,
            "SELECT y, z, w FROM grid WHERE k = 'x' AND (y, z, w) > (1, 2, 0) AND y < 2"
        ),
        [(1, 2, 1)]
    );
    // The single-column bound may come first, and a one-column tuple is a slice too.
    assert_eq!(
        keys(
            &mut db,
            "SELECT y, z, w FROM grid WHERE k = 'x' AND y >= 2 AND (y) < (3) AND z = 0 ALLOW FILTERING"
        ),
        [(2, 0, 0), (2, 0, 1)]
    );
}

#[test]
fn tuple_not_starting_at_the_first_clustering_column() {
    let mut db = db();
    grid(&mut db);
    let e = db.err("SELECT * FROM grid WHERE k = 'x' AND (z, w) = (1, 1)");
    assert_eq!(
        e.message,
        "PRIMARY KEY column \"z\" cannot be restricted as preceding column \"y\" is not restricted"
    );
    assert_eq!(
        keys(
            &mut db,
            "SELECT y, z, w FROM grid WHERE k = 'x' AND (z, w) = (1, 1) ALLOW FILTERING"
        ),
        [(0, 1, 1), (1, 1, 1), (2, 1, 1)]
    );
    // A tuple slice cannot be a row filter.
    let e = db.err("SELECT * FROM grid WHERE k = 'x' AND (z, w) > (1, 0) ALLOW FILTERING");
    assert_eq!(
        e.message,
        "Multi-column slice restrictions cannot be used for filtering."
    );
}

#[test]
fn refused_combinations() {
    let mut db = db();
    grid(&mut db);
    // Skipping a column inside the tuple; the relation is quoted back.
    let e = db.err("SELECT * FROM grid WHERE k = 'x' AND (y, w) = (1, 1) ALLOW FILTERING");
    assert_eq!(
        e.message,
        "Clustering columns must appear in the PRIMARY KEY order in multi-column relations: (y, w) = (1, 1)"
    );
    // Two slices on z that start at different columns.
    let e = db.err("SELECT * FROM grid WHERE k = 'x' AND (y, z) > (0, 1) AND z < 2");
    assert_eq!(
        e.message,
        "Column \"z\" cannot be restricted by two inequalities not starting with the same column"
    );
    // Nothing may follow a tuple slice without filtering.
    let e = db.err("SELECT * FROM grid WHERE k = 'x' AND (y, z) > (0, 1) AND w = 0");
    assert_eq!(
        e.message,
        "Clustering column \"w\" cannot be restricted (preceding column \"y\" is restricted by a non-EQ relation)"
    );
    // An equality merges with nothing.
    let e = db.err("SELECT * FROM grid WHERE k = 'x' AND (y, z) = (0, 1) AND z = 1");
    assert!(
        e.message
            .contains("cannot be restricted by more than one relation if it includes an Equal"),
        "{}",
        e.message
    );
}
