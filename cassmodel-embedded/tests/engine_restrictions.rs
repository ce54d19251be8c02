//! Engine tests of WHERE-clause validation and index reads as Cassandra 4.1 does them:
//! per-relation type checks, ALLOW FILTERING with indexes on key ranges, DISTINCT with
//! WHERE, aggregates with LIMIT, static-only selections, map-entry indexes, LWT
//! conditions on static columns and `system."IndexInfo"`.
#![allow(clippy::unwrap_used)]

mod engine_common;

use engine_common::*;

const AF: &str = "use ALLOW FILTERING";

fn ints(rows: &[Vec<Option<Vec<u8>>>]) -> Vec<Vec<i32>> {
    let mut out: Vec<Vec<i32>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| {
                    v.as_ref()
                        .map_or(-1, |b| i32::from_be_bytes(b.clone().try_into().unwrap()))
                })
                .collect()
        })
        .collect();
    out.sort();
    out
}

#[test]
fn relation_type_checks() {
    let mut db = db();
    db.exec("CREATE TABLE c (k int PRIMARY KEY, s set<int>, fm frozen<map<int, int>>, d duration, l frozen<list<duration>>, t tuple<int, duration>)");
    let e = db.err("SELECT * FROM c WHERE s = {1} ALLOW FILTERING");
    assert_eq!(
        e.message,
        "Collection column 's' (set<int>) cannot be restricted by a '=' relation"
    );
    let e = db.err("SELECT * FROM c WHERE s IN ({1}) ALLOW FILTERING");
    assert_eq!(
        e.message,
        "Collection column 's' (set<int>) cannot be restricted by a 'IN' relation"
    );
    let e = db.err("SELECT * FROM c WHERE k != 1 ALLOW FILTERING");
    assert_eq!(e.message, "Unsupported \"!=\" relation: k != 1");
    let e = db.err("SELECT * FROM c WHERE fm[1] = 2 ALLOW FILTERING");
    assert_eq!(
        e.message,
        "Map-entry equality predicates on frozen map column fm are not supported"
    );
    let e = db.err("SELECT * FROM c WHERE d > 1s ALLOW FILTERING");
    assert_eq!(
        e.message,
        "Slice restrictions are not supported on duration columns"
    );
    let e = db.err("SELECT * FROM c WHERE l > [1s] ALLOW FILTERING");
    assert_eq!(
        e.message,
        "Slice restrictions are not supported on collections containing durations"
    );
    let e = db.err("SELECT * FROM c WHERE t < (1, 1s) ALLOW FILTERING");
    assert_eq!(
        e.message,
        "Slice restrictions are not supported on tuples containing durations"
    );
    // Equality on a duration and CONTAINS stay allowed.
    db.exec("INSERT INTO c (k, d, s) VALUES (1, 1s, {3})");
    assert_eq!(
        db.rows("SELECT k FROM c WHERE d = 1s ALLOW FILTERING")
            .rows
            .len(),
        1
    );
    assert_eq!(
        db.rows("SELECT k FROM c WHERE s CONTAINS 3 ALLOW FILTERING")
            .rows
            .len(),
        1
    );
}

#[test]
fn partition_key_slices_and_contains_need_filtering() {
    let mut db = db();
    db.exec("CREATE TABLE p (pk frozen<map<int, int>>, ck int, v int, PRIMARY KEY (pk, ck))");
    db.exec("INSERT INTO p (pk, ck, v) VALUES ({1: 2}, 1, 10)");
    db.exec("INSERT INTO p (pk, ck, v) VALUES ({3: 4}, 1, 20)");
    assert!(
        db.err("SELECT * FROM p WHERE pk CONTAINS KEY 1")
            .message
            .contains(AF)
    );
    let r = db.rows("SELECT v FROM p WHERE pk CONTAINS KEY 1 ALLOW FILTERING");
    assert_eq!(ints(&r.rows), [[10]]);
    let r = db.rows("SELECT v FROM p WHERE pk CONTAINS 4 ALLOW FILTERING");
    assert_eq!(ints(&r.rows), [[20]]);
    db.exec("CREATE TABLE q (k int, c int, PRIMARY KEY (k, c))");
    assert!(db.err("SELECT * FROM q WHERE k > 0").message.contains(AF));
}

#[test]
fn contains_on_clustering_after_slice_reports_the_slice() {
    let mut db = db();
    db.exec("CREATE TABLE cc (a int, b int, c frozen<list<int>>, PRIMARY KEY (a, b, c))");
    let e = db.err("SELECT * FROM cc WHERE b > 20 AND c CONTAINS 2");
    assert_eq!(
        e.message,
        "Clustering column \"c\" cannot be restricted (preceding column \"b\" is restricted by a non-EQ relation)"
    );
    let e = db.err("SELECT * FROM cc WHERE a = 1 AND c CONTAINS 2");
    assert_eq!(
        e.message,
        "Clustering columns can only be restricted with CONTAINS with a secondary index or filtering"
    );
}

#[test]
fn index_on_key_range_with_other_restrictions_needs_filtering() {
    let mut db = db();
    db.exec(
        "CREATE TABLE i (k1 int, k2 int, c1 int, c2 int, a int, PRIMARY KEY ((k1, k2), c1, c2))",
    );
    db.exec("CREATE INDEX ON i (a)");
    db.exec("CREATE INDEX ON i (c2)");
    for n in 0..4 {
        db.exec(&format!(
            "INSERT INTO i (k1, k2, c1, c2, a) VALUES ({n}, {n}, {n}, 1, 7)"
        ));
    }
    assert!(
        db.err("SELECT * FROM i WHERE a = 7 AND c1 = 1")
            .message
            .contains(AF)
    );
    assert!(
        db.err("SELECT * FROM i WHERE c1 = 1 AND c2 = 1")
            .message
            .contains(AF)
    );
    assert!(
        db.err("SELECT * FROM i WHERE k1 = 1 AND a = 7")
            .message
            .contains(AF)
    );
    // One indexed restriction alone, or with the whole partition key, is fine.
    assert_eq!(db.rows("SELECT k1 FROM i WHERE a = 7").rows.len(), 4);
    assert_eq!(
        db.rows("SELECT k1 FROM i WHERE k1 = 2 AND k2 = 2 AND a = 7")
            .rows
            .len(),
        1
    );
    let r = db.rows("SELECT k1 FROM i WHERE a = 7 AND c1 = 1 ALLOW FILTERING");
    assert_eq!(ints(&r.rows), [[1]]);
}

#[test]
fn distinct_refuses_regular_and_clustering_restrictions() {
    let mut db = db();
    db.exec("CREATE TABLE d (k int, a int, b int, s int static, PRIMARY KEY (k, a))");
    db.exec("CREATE INDEX ON d (b)");
    for (cql, _) in [
        ("SELECT DISTINCT k FROM d WHERE a >= 80 ALLOW FILTERING", ()),
        ("SELECT DISTINCT k FROM d WHERE b = 5", ()),
        ("SELECT DISTINCT k FROM d WHERE k IN (1, 2) AND a = 10", ()),
    ] {
        let e = db.err(cql);
        assert_eq!(
            e.message,
            "SELECT DISTINCT with WHERE clause only supports restriction by partition key and/or static columns.",
            "{cql}"
        );
    }
    db.exec("INSERT INTO d (k, a, b, s) VALUES (1, 1, 1, 5)");
    assert_eq!(
        db.rows("SELECT DISTINCT k FROM d WHERE s = 5 ALLOW FILTERING")
            .rows
            .len(),
        1
    );
}

#[test]
fn count_with_limit_counts_every_row() {
    let mut db = db();
    db.exec("CREATE TABLE n (k int, c int, v boolean, PRIMARY KEY (k, c))");
    db.exec("CREATE INDEX ON n (v)");
    for c in 0..3 {
        db.exec(&format!("INSERT INTO n (k, c, v) VALUES (1, {c}, false)"));
    }
    let r = db.rows("SELECT count(*) FROM n WHERE v = false LIMIT 1");
    assert_eq!(r.rows, vec![vec![bigint(3)]]);
}

#[test]
fn static_only_selection_returns_a_row_per_cql_row() {
    let mut db = db();
    db.exec("CREATE TABLE s (k int, c int, v int, s int static, PRIMARY KEY (k, c))");
    db.exec("INSERT INTO s (k, c, v, s) VALUES (0, 0, 1, 24)");
    db.exec("INSERT INTO s (k, c, v) VALUES (0, 1, 2)");
    db.exec("INSERT INTO s (k, s) VALUES (1, 9)");
    assert_eq!(
        ints(&db.rows("SELECT s FROM s WHERE k = 0").rows),
        [[24], [24]]
    );
    // A partition with only a static row still shows up once.
    assert_eq!(ints(&db.rows("SELECT s FROM s WHERE k = 1").rows), [[9]]);
    assert_eq!(
        ints(&db.rows("SELECT DISTINCT s FROM s WHERE k = 0").rows),
        [[24]]
    );
}

#[test]
fn index_reads_only_the_indexed_rows() {
    let mut db = db();
    db.exec("CREATE TABLE r (k int, c int, v int, s int static, PRIMARY KEY (k, c))");
    db.exec("CREATE INDEX ON r (v)");
    db.exec("CREATE INDEX ON r (s)");
    for c in 0..50 {
        db.exec(&format!(
            "INSERT INTO r (k, c, v) VALUES (1, {c}, {})",
            c % 5
        ));
    }
    db.exec("INSERT INTO r (k, s) VALUES (1, 42)");
    let r = db.rows("SELECT c FROM r WHERE v = 3");
    assert_eq!(r.rows.len(), 10);
    // Overwritten values leave stale entries that the base row check discards.
    db.exec("UPDATE r SET v = 4 WHERE k = 1 AND c = 3");
    assert_eq!(db.rows("SELECT c FROM r WHERE v = 3").rows.len(), 9);
    // A static-column index names the whole partition: every row matches.
    assert_eq!(db.rows("SELECT c FROM r WHERE s = 42").rows.len(), 50);
    // Empty values are found too.
    db.exec("CREATE TABLE e (k int PRIMARY KEY, t text)");
    db.exec("CREATE INDEX ON e (t)");
    db.exec("INSERT INTO e (k, t) VALUES (2, '')");
    db.exec("INSERT INTO e (k, t) VALUES (3, 'x')");
    assert_eq!(ints(&db.rows("SELECT k FROM e WHERE t = ''").rows), [[2]]);
}

#[test]
fn map_entries_index() {
    let mut db = db();
    db.exec("CREATE TABLE m (k int, c int, m map<int, int>, PRIMARY KEY (k, c))");
    db.exec("CREATE INDEX ON m (entries(m))");
    db.exec("INSERT INTO m (k, c, m) VALUES (1, 1, {1: 2, 3: 4})");
    db.exec("INSERT INTO m (k, c, m) VALUES (1, 2, {1: 5})");
    db.exec("INSERT INTO m (k, c, m) VALUES (2, 1, {1: 2})");
    assert_eq!(
        ints(&db.rows("SELECT k, c FROM m WHERE m[1] = 2").rows),
        [[1, 1], [2, 1]]
    );
    assert_eq!(
        ints(&db.rows("SELECT k, c FROM m WHERE m[3] = 4").rows),
        [[1, 1]]
    );
    assert!(db.rows("SELECT k FROM m WHERE m[1] = 4").rows.is_empty());
    db.exec("UPDATE m SET m[1] = 9 WHERE k = 2 AND c = 1");
    assert_eq!(
        ints(&db.rows("SELECT k, c FROM m WHERE m[1] = 2").rows),
        [[1, 1]]
    );
    assert_eq!(
        ints(&db.rows("SELECT k, c FROM m WHERE m[1] = 9").rows),
        [[2, 1]]
    );
    // Two entry relations: one is served by the index, the other filters.
    assert!(
        db.err("SELECT k FROM m WHERE m[1] = 2 AND m[3] = 4")
            .message
            .contains(AF)
    );
}

#[test]
fn lwt_conditions_on_static_columns() {
    let mut db = db();
    db.exec("CREATE TABLE l (p int, c int, r int, s int static, PRIMARY KEY (p, c))");
    db.exec("INSERT INTO l (p, s) VALUES (1, 1)");
    // The clustering row is missing: r is null and s comes from the static row.
    let r = db.rows("UPDATE l SET s = 2, r = 1 WHERE p = 1 AND c = 1 IF s = 1 AND r = null");
    assert_eq!(r.rows[0][0], Some(vec![1]));
    assert_eq!(
        ints(&db.rows("SELECT p, c, r, s FROM l WHERE p = 1").rows),
        [[1, 1, 1, 2]]
    );
    // Static-only condition and update: no clustering key needed.
    let r = db.rows("UPDATE l SET s = 3 WHERE p = 1 IF s = 2");
    assert_eq!(r.rows[0][0], Some(vec![1]));
    // A regular-column condition needs the clustering key.
    let e = db.err("UPDATE l SET s = 2 WHERE p = 1 IF r = 1");
    assert_eq!(e.message, "Some clustering keys are missing: c");
    let e = db.err("DELETE s FROM l WHERE p = 1 AND (c) > (0)");
    assert_eq!(
        e.message,
        "Invalid restrictions on clustering columns since the DELETE statement modifies only static columns"
    );
}

#[test]
fn built_indexes_are_listed_in_index_info() {
    let mut db = db();
    db.exec("CREATE TABLE x (k int PRIMARY KEY, v int)");
    db.exec("CREATE INDEX xv ON x (v)");
    let r = db.rows("SELECT index_name FROM system.\"IndexInfo\" WHERE table_name = 'ks'");
    assert_eq!(r.rows, vec![vec![text("xv")]]);
    db.exec("DROP INDEX xv");
    let r = db.rows("SELECT index_name FROM system.\"IndexInfo\" WHERE table_name = 'ks'");
    assert!(r.rows.is_empty());
}

#[test]
fn keyspace_name_is_validated_first_as_invalid_request() {
    let mut db = db();
    let long = "k".repeat(49);
    let e = db.err(&format!(
        "CREATE KEYSPACE {long} WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
    ));
    assert_eq!(e.code, cassmodel_embedded::error::ErrorCode::Invalid);
    assert_eq!(
        e.message,
        format!(
            "Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got '{long}')"
        )
    );
}

#[test]
fn more_restriction_checks() {
    let mut db = db();
    db.exec("CREATE TABLE t (a int, b int, c int, v int, PRIMARY KEY (a, b, c))");
    let e = db.err("SELECT * FROM t WHERE a = 1 AND v IS NOT NULL");
    assert_eq!(e.message, "Unsupported restriction: v IS NOT NULL");
    let e = db.err("SELECT * FROM t WHERE a = 1 AND (b) < (1) AND (b, c) < (1, 2)");
    assert_eq!(
        e.message,
        "More than one restriction was found for the end bound on b"
    );
    let e = db.err("INSERT INTO t (a, c, v) VALUES (1, 1, 1)");
    assert_eq!(e.message, "Some clustering keys are missing: b");
    db.exec("CREATE TABLE f (k int PRIMARY KEY, m frozen<map<text, text>>)");
    let e = db.err("UPDATE f SET m['foo'] = 'bar' WHERE k = 0");
    assert_eq!(
        e.message,
        "Invalid operation (m['foo'] = 'bar') for frozen collection column m"
    );
}

#[test]
fn index_with_clustering_contains_and_indexed_key_columns() {
    let mut db = db();
    db.exec("CREATE TABLE t (p int, c1 frozen<list<int>>, c3 int, PRIMARY KEY (p, c1, c3))");
    db.exec("CREATE INDEX ON t (c3)");
    db.exec("INSERT INTO t (p, c1, c3) VALUES (0, [1], 0)");
    // CONTAINS on a clustering column filters even next to an index.
    let e = db.err("SELECT * FROM t WHERE p = 0 AND c1 CONTAINS 1 AND c3 = 0");
    assert!(e.message.contains(AF), "{}", e.message);
    assert_eq!(
        db.rows("SELECT p FROM t WHERE p = 0 AND c1 CONTAINS 1 AND c3 = 0 ALLOW FILTERING")
            .rows
            .len(),
        1
    );
    // An index on a fully restricted partition-key column is not counted.
    db.exec(
        "CREATE TABLE k (p0 int, p1 int, c0 int, c1 int, v int, PRIMARY KEY ((p0, p1), c0, c1))",
    );
    db.exec("CREATE INDEX ON k (p0)");
    db.exec("CREATE INDEX ON k (c1)");
    db.exec("INSERT INTO k (p0, p1, c0, c1, v) VALUES (3, 4, 5, 0, 2)");
    let r = db.rows("SELECT v FROM k WHERE p0 = 3 AND p1 = 4 AND c1 = 0");
    assert_eq!(ints(&r.rows), [[2]]);
}

#[test]
fn bound_sets_and_maps_are_canonical() {
    let mut db = db();
    db.exec("CREATE TABLE s (k frozen<set<int>> PRIMARY KEY, v int)");
    let set = |items: &[i32]| {
        let mut b = (items.len() as i32).to_be_bytes().to_vec();
        for i in items {
            b.extend_from_slice(&4i32.to_be_bytes());
            b.extend_from_slice(&i.to_be_bytes());
        }
        val(Some(b))
    };
    db.exec_with("INSERT INTO s (k, v) VALUES (?, 1)", vec![set(&[2, 1, 3])]);
    let r = db.rows("SELECT v FROM s WHERE k = {1, 2, 3}");
    assert_eq!(ints(&r.rows), [[1]]);
    match db.exec_with("SELECT v FROM s WHERE k = ?", vec![set(&[3, 2, 1, 2])]) {
        cassmodel_embedded::api::QueryResult::Rows(r) => assert_eq!(ints(&r.rows), [[1]]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unset_list_index_in_delete_is_ignored() {
    let mut db = db();
    db.exec("CREATE TABLE l (k int PRIMARY KEY, l list<int>)");
    db.exec("INSERT INTO l (k, l) VALUES (1, [5, 6])");
    db.exec_with(
        "DELETE l[?] FROM l WHERE k = 1",
        vec![cassmodel_embedded::api::BoundValue::Unset],
    );
    let r = db.rows("SELECT l FROM l WHERE k = 1");
    assert_eq!(r.rows.len(), 1);
    assert!(r.rows[0][0].is_some());
}

/// Rows of (int, int, int, bigint) columns, as i64s.
fn mixed(rows: &[Vec<Option<Vec<u8>>>]) -> Vec<Vec<i64>> {
    rows.iter()
        .map(|r| {
            r.iter()
                .map(|v| {
                    let b = v.clone().unwrap();
                    match b.len() {
                        4 => i64::from(i32::from_be_bytes(b.try_into().unwrap())),
                        _ => i64::from_be_bytes(b.try_into().unwrap()),
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn group_by_partition_and_clustering_prefix() {
    let mut db = db();
    db.exec("CREATE TABLE g (p int, c int, d int, v int, PRIMARY KEY (p, c, d))");
    for p in 0..3 {
        for c in 0..2 {
            for d in 0..2 {
                let v = p * 10 + c * 2 + d;
                db.exec(&format!(
                    "INSERT INTO g (p, c, d, v) VALUES ({p}, {c}, {d}, {v})"
                ));
            }
        }
    }
    let mut got = mixed(&db.rows("SELECT p, count(*) FROM g GROUP BY p").rows);
    got.sort();
    assert_eq!(got, [[0, 4], [1, 4], [2, 4]]);
    // Plain columns take the first row of each group.
    let r = db.rows("SELECT p, c, v, count(v) FROM g WHERE p = 1 GROUP BY c");
    assert_eq!(mixed(&r.rows), [[1, 0, 10, 2], [1, 1, 12, 2]]);
    // LIMIT counts groups.
    let r = db.rows("SELECT p, c, count(*) FROM g WHERE p = 1 GROUP BY p, c LIMIT 1");
    assert_eq!(mixed(&r.rows), [[1, 0, 2]]);
    // DISTINCT with GROUP BY the partition key: one row per partition.
    let r = db.rows("SELECT DISTINCT p, count(p) FROM g WHERE p = 2 GROUP BY p");
    assert_eq!(mixed(&r.rows), [[2, 1]]);
    let e = db.err("SELECT DISTINCT p FROM g WHERE p = 2 GROUP BY p, c");
    assert_eq!(
        e.message,
        "Grouping on clustering columns is not allowed for SELECT DISTINCT queries"
    );
    let e = db.err("SELECT p FROM g GROUP BY c");
    assert_eq!(
        e.message,
        "Group by currently only support groups of columns following their declared order in the PRIMARY KEY"
    );
    let e = db.err("SELECT p FROM g GROUP BY v");
    assert_eq!(
        e.message,
        "Group by is currently only supported on the columns of the PRIMARY KEY, got v"
    );
}

#[test]
fn oversized_values_and_indexes() {
    let mut db = db();
    db.exec("CREATE TABLE o (p int PRIMARY KEY, v text)");
    let big = "x".repeat(66_000);
    db.exec_with("INSERT INTO o (p, v) VALUES (0, ?)", vec![val(text(&big))]);
    db.exec("INSERT INTO o (p, v) VALUES (1, 'small')");
    // Building the index skips what cannot be an index key.
    db.exec("CREATE INDEX ov ON o (v)");
    assert_eq!(
        ints(&db.rows("SELECT p FROM o WHERE v = 'small'").rows),
        [[1]]
    );
    let params = cassmodel_embedded::api::QueryParams {
        values: cassmodel_embedded::api::BoundValues::Positional(vec![val(text(&big))]),
        ..Default::default()
    };
    let e = db
        .try_query("INSERT INTO o (p, v) VALUES (2, ?)", &params)
        .unwrap_err();
    assert_eq!(
        e.message,
        "Cannot index value of size 66000 for index ov on ks.o(v) (maximum allowed size=65535)"
    );
}

#[test]
fn collection_literal_with_oversized_tuple_element() {
    let mut db = db();
    db.exec("CREATE TABLE c (k int PRIMARY KEY, s frozen<set<tuple<int, text>>>, m map<int, frozen<tuple<int, text>>>)");
    let e = db.err("INSERT INTO c (k, s) VALUES (0, {(1, 'a', 3)})");
    assert_eq!(
        e.message,
        "Invalid set literal for s: value (1, 'a', 3) is not of type frozen<tuple<int, text>>"
    );
    let e = db.err("INSERT INTO c (k, m) VALUES (0, {1: (1, 'a', 3)})");
    assert_eq!(
        e.message,
        "Invalid map literal for m: value (1, 'a', 3) is not of type frozen<tuple<int, text>>"
    );
}

#[test]
fn index_reads_page_without_loss_or_repeats() {
    let mut db = db();
    db.exec("CREATE TABLE pg (k int, c int, v int, PRIMARY KEY (k, c))");
    db.exec("CREATE INDEX ON pg (v)");
    for k in 0..5 {
        for c in 0..7 {
            db.exec(&format!(
                "INSERT INTO pg (k, c, v) VALUES ({k}, {c}, {})",
                c % 2
            ));
        }
    }
    let mut seen = Vec::new();
    let mut state = None;
    loop {
        let params = cassmodel_embedded::api::QueryParams {
            page_size: Some(3),
            paging_state: state.take(),
            ..Default::default()
        };
        let r = match db
            .try_query("SELECT k, c FROM pg WHERE v = 1", &params)
            .unwrap()
        {
            cassmodel_embedded::api::QueryResult::Rows(r) => r,
            other => panic!("{other:?}"),
        };
        seen.extend(ints(&r.rows));
        match r.paging_state {
            Some(s) => state = Some(s),
            None => break,
        }
    }
    seen.sort();
    let mut want: Vec<Vec<i32>> = (0..5).flat_map(|k| [1, 3, 5].map(|c| vec![k, c])).collect();
    want.sort();
    assert_eq!(seen, want);
}

#[test]
fn key_column_index_survives_an_expiring_cell() {
    let mut db = db();
    db.exec(
        "CREATE TABLE plot (zone int, bed int, crop int, water int, PRIMARY KEY ((zone, bed)))",
    );
    db.exec("CREATE INDEX ON plot (zone)");
    db.exec(
        "CREATE TABLE row_plot (zone int, bed int, crop int, water int, PRIMARY KEY (zone, bed))",
    );
    db.exec("CREATE INDEX ON row_plot (bed)");
    for t in ["plot", "row_plot"] {
        db.exec(&format!(
            "INSERT INTO {t} (zone, bed, crop, water) VALUES (6, 2, 9, 1)"
        ));
        db.exec(&format!(
            "UPDATE {t} USING TTL 5 SET water = 8 WHERE zone = 6 AND bed = 2"
        ));
    }
    db.clock.advance_secs(6);
    for q in [
        "SELECT * FROM plot WHERE zone = 6",
        "SELECT * FROM row_plot WHERE bed = 2",
    ] {
        assert_eq!(
            db.rows(q).rows,
            vec![vec![int(6), int(2), int(9), None]],
            "{q}"
        );
    }
}

// `C*: cql3/restrictions/TokenFilter.java`: token and key-column restrictions combine.
#[test]
fn token_relation_next_to_partition_key_relations() {
    let mut db = db();
    db.exec("CREATE TABLE visits (site int, day int, hits int, PRIMARY KEY ((site, day)))");
    for site in 0..4 {
        db.exec(&format!(
            "INSERT INTO visits (site, day, hits) VALUES ({site}, 1, {site})"
        ));
    }
    let token_of = |db: &mut Db, site: i32| -> i64 {
        let r = db.rows(&format!(
            "SELECT token(site, day) FROM visits WHERE site = {site} AND day = 1"
        ));
        i64::from_be_bytes(r.rows[0][0].as_deref().unwrap().try_into().unwrap())
    };
    let t2 = token_of(&mut db, 2);
    // Whole key given: the key's partition is kept only when its token matches.
    let q =
        format!("SELECT hits FROM visits WHERE site = 2 AND day = 1 AND token(site, day) = {t2}");
    assert_eq!(db.rows(&q).rows, vec![vec![int(2)]]);
    let q =
        format!("SELECT hits FROM visits WHERE site = 2 AND day = 1 AND token(site, day) > {t2}");
    assert!(db.rows(&q).rows.is_empty());
    // Part of the key: a token range filtered by the key column, with ALLOW FILTERING.
    let q = format!("SELECT hits FROM visits WHERE token(site, day) >= {t2} AND site = 2");
    assert!(db.err(&q).message.contains("ALLOW FILTERING"));
    assert_eq!(
        db.rows(&format!("{q} ALLOW FILTERING")).rows,
        vec![vec![int(2)]]
    );
}

// `C*: index/internal/CassandraIndex.java` insertRow: an index on a partition-key column
// also indexes static rows, so a partition with only static content is found.
#[test]
fn partition_key_index_finds_a_partition_with_only_static_content() {
    let mut db = db();
    db.exec(
        "CREATE TABLE racks (room int, row_no int, slot int, owner text STATIC, load int, \
         PRIMARY KEY ((room, row_no), slot))",
    );
    db.exec("CREATE INDEX ON racks (row_no)");
    db.exec("INSERT INTO racks (room, row_no, slot, owner, load) VALUES (1, 7, 1, 'ops', 40)");
    db.exec("INSERT INTO racks (room, row_no, owner) VALUES (2, 7, 'lab')");
    let mut rows = db
        .rows("SELECT room, slot, owner, load FROM racks WHERE row_no = 7")
        .rows;
    rows.sort();
    assert_eq!(
        rows,
        vec![
            vec![int(1), int(1), text("ops"), int(40)],
            vec![int(2), None, text("lab"), None],
        ]
    );
    // An index built over existing data sees the static-only partition as well.
    db.exec("CREATE INDEX ON racks (room)");
    let r = db.rows("SELECT row_no, owner FROM racks WHERE room = 2");
    assert_eq!(r.rows, vec![vec![int(7), text("lab")]]);
}
