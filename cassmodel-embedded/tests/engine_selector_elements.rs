//! Element and slice selection on sets and maps (`SELECT m['k'], s[1..] FROM t`,
//! Cassandra 4.0+): values, result column names and types, and Cassandra 4.1's refusals
//! (`C*: cql3/selection/Selectable.java` `WithElementSelection`/`WithSliceSelection`,
//! `ElementsSelector.java`).

#![allow(clippy::unwrap_used, missing_docs)]

mod engine_common;

use cassmodel_embedded::types::CqlType;
use engine_common::{Db, db, int, text};

/// A serialized set (or list) of the given elements.
fn coll(items: &[Option<Vec<u8>>]) -> Option<Vec<u8>> {
    let mut out = (items.len() as i32).to_be_bytes().to_vec();
    for i in items {
        let b = i.as_deref().unwrap();
        out.extend_from_slice(&(b.len() as i32).to_be_bytes());
        out.extend_from_slice(b);
    }
    Some(out)
}

type Cell = Option<Vec<u8>>;

/// A serialized map of the given entries.
fn map(entries: &[(Cell, Cell)]) -> Option<Vec<u8>> {
    let flat: Vec<Option<Vec<u8>>> = entries
        .iter()
        .flat_map(|(k, v)| [k.clone(), v.clone()])
        .collect();
    let mut out = coll(&flat).unwrap();
    out[..4].copy_from_slice(&(entries.len() as i32).to_be_bytes());
    Some(out)
}

fn setup() -> Db {
    let mut db = db();
    db.exec(
        "CREATE TABLE t (k int PRIMARY KEY, m map<text, int>, fm frozen<map<text, int>>, \
         s set<int>, fs frozen<set<int>>, l list<int>, v int)",
    );
    db.exec(
        "INSERT INTO t (k, m, fm, s, fs, l, v) VALUES (1, {'a': 1, 'b': 2, 'c': 3}, \
         {'a': 1, 'b': 2, 'c': 3}, {1, 3, 5}, {1, 3, 5}, [1, 2], 0)",
    );
    db
}

fn one_row(db: &mut Db, cql: &str) -> (Vec<String>, Vec<CqlType>, Vec<Option<Vec<u8>>>) {
    let mut r = db.rows(cql);
    assert_eq!(r.rows.len(), 1, "{cql}");
    let names = r.columns.iter().map(|c| c.name.clone()).collect();
    let types = r.columns.iter().map(|c| c.ty.clone()).collect();
    (names, types, r.rows.remove(0))
}

fn frozen(t: CqlType) -> CqlType {
    CqlType::Frozen(Box::new(t))
}

fn text_int_map() -> CqlType {
    CqlType::Map(Box::new(CqlType::Text), Box::new(CqlType::Int))
}

#[test]
fn element_of_map_and_set_is_the_value_or_null() {
    let mut db = setup();
    let (names, types, row) = one_row(
        &mut db,
        "SELECT m['b'], m['z'], fm['c'], s[3], s[4], fs[5], fs[0] FROM t WHERE k = 1",
    );
    assert_eq!(
        names,
        [
            "m['b']", "m['z']", "fm['c']", "s[3]", "s[4]", "fs[5]", "fs[0]"
        ]
    );
    // A map element has the map's value type, a set element the set's element type.
    assert_eq!(types, vec![CqlType::Int; 7]);
    assert_eq!(row, [int(2), None, int(3), int(3), None, int(5), None]);
}

#[test]
fn slices_keep_the_keys_within_inclusive_bounds() {
    let mut db = setup();
    let (names, types, row) = one_row(
        &mut db,
        "SELECT m['a'..'b'], m[..'b'], m['b'..], fm['bb'..'c'], s[2..], s[..3], fs[3..3] \
         FROM t WHERE k = 1",
    );
    assert_eq!(
        names,
        [
            "m['a'..'b']",
            "m[..'b']",
            "m['b'..]",
            "fm['bb'..'c']",
            "s[2..]",
            "s[..3]",
            "fs[3..3]"
        ]
    );
    let set = CqlType::Set(Box::new(CqlType::Int));
    assert_eq!(
        types,
        [
            text_int_map(),
            text_int_map(),
            text_int_map(),
            frozen(text_int_map()),
            set.clone(),
            set.clone(),
            frozen(set),
        ]
    );
    let ab = map(&[(text("a"), int(1)), (text("b"), int(2))]);
    assert_eq!(row[0], ab);
    assert_eq!(row[1], ab);
    assert_eq!(row[2], map(&[(text("b"), int(2)), (text("c"), int(3))]));
    assert_eq!(row[3], map(&[(text("c"), int(3))]));
    assert_eq!(row[4], coll(&[int(3), int(5)]));
    assert_eq!(row[5], coll(&[int(1), int(3)]));
    assert_eq!(row[6], coll(&[int(3)]));
}

#[test]
fn empty_slice_is_null_unless_frozen() {
    let mut db = setup();
    let (_, _, row) = one_row(
        &mut db,
        "SELECT m['x'..], fm['x'..], s[6..], fs[6..], s[4..2] FROM t WHERE k = 1",
    );
    assert_eq!(row, [None, map(&[]), None, coll(&[]), None]);
}

#[test]
fn null_collections_select_null() {
    let mut db = setup();
    db.exec("INSERT INTO t (k, v) VALUES (2, 0)");
    let (_, _, row) = one_row(
        &mut db,
        "SELECT m['a'], fm['a'..], s[1], fs[..9] FROM t WHERE k = 2",
    );
    assert_eq!(row, [None, None, None, None]);
}

#[test]
fn alias_and_type_hint_over_an_element() {
    let mut db = setup();
    let (names, types, row) = one_row(
        &mut db,
        "SELECT m['c'] AS mc, (int)(m['a']), cast(s[5] AS text) FROM t WHERE k = 1",
    );
    assert_eq!(names, ["mc", "(int)m['a']", "cast(s[5] as text)"]);
    assert_eq!(types, [CqlType::Int, CqlType::Int, CqlType::Text]);
    assert_eq!(row, [int(3), int(1), text("5")]);
    // Parser.g `selectionTypeHint`: the hint binds to `m`, not to `m['a']`.
    assert_eq!(
        db.err("SELECT (int)m['a'] FROM t").message,
        "Cannot assign value (int)m to (int)m of type int"
    );
}

#[test]
fn list_element_and_slice_are_refused() {
    let mut db = setup();
    assert_eq!(
        db.err("SELECT l[0] FROM t").message,
        "Element selection is only allowed on sets and maps, but l is a list"
    );
    assert_eq!(
        db.err("SELECT k, l[0..1] FROM t").message,
        "Slice selection is only allowed on sets and maps, but l is a list"
    );
}

#[test]
fn element_of_a_non_collection_is_refused() {
    let mut db = setup();
    assert_eq!(
        db.err("SELECT v[1] FROM t").message,
        "Invalid element selection: v is of type int is not a collection"
    );
    assert_eq!(
        db.err("SELECT v[1..2] FROM t").message,
        "Invalid slice selection: v of type int is not a collection"
    );
    assert_eq!(
        db.err("SELECT w[1] FROM t").message,
        "Undefined column name w in table ks.t"
    );
}

#[test]
fn keys_are_typed_by_the_collection() {
    let mut db = setup();
    assert_eq!(
        db.err("SELECT m[1] FROM t").message,
        "Invalid INTEGER constant (1) for \"key(m)\" of type text"
    );
    assert_eq!(
        db.err("SELECT s['a'..] FROM t").message,
        "Invalid STRING constant (a) for \"value(s)\" of type int"
    );
    assert_eq!(
        db.err("SELECT m[null] FROM t").message,
        "Invalid null value for element selection on m"
    );
    assert_eq!(
        db.err("SELECT fs[..null] FROM t").message,
        "Invalid null value for slice selection on fs"
    );
}

#[test]
fn bind_marker_keys_stay_unsupported() {
    let mut db = setup();
    let e = db.err("SELECT m[?] FROM t");
    assert!(
        e.message.contains("not supported by the embedded server"),
        "{}",
        e.message
    );
}

/// Arithmetic selectors (Cassandra 4.0+ `OperationFcts`) combine with element selection
/// and type hints; the result is named after its operands.
#[test]
fn arithmetic_over_elements_and_hinted_constants() {
    let mut db = setup();
    let (names, types, row) = one_row(&mut db, "SELECT m['b'] * 2, -v, (int)1 + (int)2 FROM t");
    assert_eq!(names, ["m['b'] * 2", "-v", "(int)1 + (int)2"]);
    assert_eq!(types, [CqlType::Int, CqlType::Int, CqlType::Int]);
    assert_eq!(
        row,
        [
            Some(4i32.to_be_bytes().to_vec()),
            Some(0i32.to_be_bytes().to_vec()),
            Some(3i32.to_be_bytes().to_vec())
        ]
    );
}
