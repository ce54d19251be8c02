//! The bind-marker metadata a PREPARE of a SELECT returns: drivers bind by these names
//! (a dict of named values) and encode values with these types, so each marker is named
//! and typed after its receiver as Cassandra 4.1 prepares it.

mod engine_common;

use engine_common::db;

fn markers(cql: &str, schema: &str) -> Vec<(String, String)> {
    let mut d = db();
    d.exec(schema);
    let p = d
        .engine
        .prepare(&d.session, cql)
        .unwrap_or_else(|e| panic!("{cql}: {e}"));
    p.bind
        .iter()
        .map(|c| (c.name.clone(), c.ty.to_string()))
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

const ROOMS: &str = "CREATE TABLE rooms (floor int, wing text, nr int, door text, \
    tags set<text>, sizes map<text, int>, PRIMARY KEY ((floor, wing), nr, door))";

#[test]
fn contains_markers_are_the_collection_elements() {
    assert_eq!(
        markers(
            "SELECT * FROM rooms WHERE tags CONTAINS ? ALLOW FILTERING",
            ROOMS
        ),
        pairs(&[("value(tags)", "text")])
    );
    assert_eq!(
        markers(
            "SELECT * FROM rooms WHERE sizes CONTAINS ? ALLOW FILTERING",
            ROOMS
        ),
        pairs(&[("value(sizes)", "int")])
    );
    assert_eq!(
        markers(
            "SELECT * FROM rooms WHERE sizes CONTAINS KEY ? ALLOW FILTERING",
            ROOMS
        ),
        pairs(&[("key(sizes)", "text")])
    );
}

#[test]
fn multi_column_tuple_elements_are_the_columns() {
    let q = "SELECT * FROM rooms WHERE floor = 1 AND wing = 'e' AND (nr, door) > (?, ?)";
    assert_eq!(markers(q, ROOMS), pairs(&[("nr", "int"), ("door", "text")]));
    let q = "SELECT * FROM rooms WHERE floor = 1 AND wing = 'e' AND (nr, door) IN ((?, ?), (3, ?))";
    assert_eq!(
        markers(q, ROOMS),
        pairs(&[("nr", "int"), ("door", "text"), ("door", "text")])
    );
    // A marker for the whole tuple keeps the tuple's name.
    let q = "SELECT * FROM rooms WHERE floor = 1 AND wing = 'e' AND (nr, door) >= ?";
    assert_eq!(
        markers(q, ROOMS),
        pairs(&[("(nr,door)", "frozen<tuple<int, text>>")])
    );
}

#[test]
fn token_arguments_are_typed_like_the_partition_key() {
    assert_eq!(
        markers(
            "SELECT * FROM rooms WHERE token(floor, wing) > token(?, :w)",
            ROOMS
        ),
        pairs(&[("arg0(system.token)", "int"), ("w", "text")])
    );
    assert_eq!(
        markers("SELECT * FROM rooms WHERE token(floor, wing) <= ?", ROOMS),
        pairs(&[("partition key token", "bigint")])
    );
}
