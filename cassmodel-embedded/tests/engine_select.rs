//! Engine tests of SELECT: clustering slices and ordering, DESC clustering, IN, tuples,
//! token ranges, DISTINCT, aggregates, aliases and filtering.
#![allow(clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::api::QueryResult;
use engine_common::*;

fn ints(rows: &[Vec<Option<Vec<u8>>>]) -> Vec<Vec<i32>> {
    rows.iter()
        .map(|r| {
            r.iter()
                .map(|v| i32::from_be_bytes(v.clone().unwrap().try_into().unwrap()))
                .collect()
        })
        .collect()
}

fn setup(db: &mut Db) {
    db.exec("CREATE TABLE t (k int, a int, b int, v int, PRIMARY KEY (k, a, b))");
    for k in 0..3 {
        for a in 0..3 {
            for b in 0..3 {
                db.exec(&format!(
                    "INSERT INTO t (k, a, b, v) VALUES ({k}, {a}, {b}, {})",
                    k * 100 + a * 10 + b
                ));
            }
        }
    }
}

#[test]
fn clustering_slices_and_order() {
    let mut db = db();
    setup(&mut db);
    let r = db.rows("SELECT v FROM t WHERE k = 1 AND a = 1 AND b > 0");
    assert_eq!(ints(&r.rows), [[111], [112]]);
    let r = db.rows("SELECT v FROM t WHERE k = 1 AND a >= 1 AND a < 2 ORDER BY a DESC, b DESC");
    assert_eq!(ints(&r.rows), [[112], [111], [110]]);
    let r = db.rows("SELECT v FROM t WHERE k = 1 AND a IN (2, 0) AND b = 1");
    assert_eq!(ints(&r.rows), [[101], [121]]);
    let r = db.rows("SELECT v FROM t WHERE k = 2 AND (a, b) > (1, 1) AND (a, b) <= (2, 0)");
    assert_eq!(ints(&r.rows), [[212], [220]]);
    let r = db.rows("SELECT v FROM t WHERE k = 2 AND (a, b) IN ((0, 1), (2, 2))");
    assert_eq!(ints(&r.rows), [[201], [222]]);
    let r = db.rows("SELECT v FROM t WHERE k = 0 LIMIT 2");
    assert_eq!(ints(&r.rows), [[0], [1]]);
    let r = db.rows("SELECT v FROM t WHERE k IN (2, 0) AND a = 0 AND b = 0 ORDER BY a DESC");
    assert_eq!(r.rows.len(), 2);
}

#[test]
fn desc_clustering_columns() {
    let mut db = db();
    db.exec("CREATE TABLE d (k int, c int, v text, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)");
    for c in 0..5 {
        db.exec(&format!("INSERT INTO d (k, c, v) VALUES (1, {c}, 'x')"));
    }
    let r = db.rows("SELECT c FROM d WHERE k = 1");
    assert_eq!(ints(&r.rows), [[4], [3], [2], [1], [0]]);
    let r = db.rows("SELECT c FROM d WHERE k = 1 AND c > 1 AND c <= 3");
    assert_eq!(ints(&r.rows), [[3], [2]]);
    let r = db.rows("SELECT c FROM d WHERE k = 1 AND c < 2 ORDER BY c ASC");
    assert_eq!(ints(&r.rows), [[0], [1]]);
}

#[test]
fn token_ranges_scan_in_token_order() {
    let mut db = db();
    db.exec("CREATE TABLE tk (k int PRIMARY KEY, v int)");
    for k in 0..10 {
        db.exec(&format!("INSERT INTO tk (k, v) VALUES ({k}, {k})"));
    }
    let all = db.rows("SELECT k, token(k) FROM tk");
    assert_eq!(all.columns[1].name, "system.token(k)");
    let tokens: Vec<i64> = all
        .rows
        .iter()
        .map(|r| i64::from_be_bytes(r[1].clone().unwrap().try_into().unwrap()))
        .collect();
    let mut sorted = tokens.clone();
    sorted.sort();
    assert_eq!(tokens, sorted);
    // int 1 → -4069959284402364209 (EMBEDDED.md §6.4).
    let one = all.rows.iter().find(|r| r[0] == int(1)).unwrap();
    assert_eq!(one[1], bigint(-4_069_959_284_402_364_209));
    let mid = tokens[4];
    let r = db.rows(&format!("SELECT k FROM tk WHERE token(k) > {mid}"));
    assert_eq!(r.rows.len(), 5);
    let r = db.rows(&format!(
        "SELECT k FROM tk WHERE token(k) > {} AND token(k) <= {}",
        tokens[1], tokens[3]
    ));
    assert_eq!(r.rows.len(), 2);
}

#[test]
fn count_distinct_aliases_and_filtering() {
    let mut db = db();
    setup(&mut db);
    let r = db.rows("SELECT count(*) FROM t");
    assert_eq!(r.columns[0].name, "count");
    assert_eq!(r.rows, vec![vec![bigint(27)]]);
    let r = db.rows("SELECT count(*) AS n FROM t WHERE k = 1 AND a = 2");
    assert_eq!(r.columns[0].name, "n");
    assert_eq!(r.rows, vec![vec![bigint(3)]]);
    let r = db.rows("SELECT DISTINCT k FROM t");
    assert_eq!(r.rows.len(), 3);
    let r = db.rows("SELECT v AS value FROM t WHERE v > 220 ALLOW FILTERING");
    assert_eq!(r.columns[0].name, "value");
    assert_eq!(ints(&r.rows), [[221], [222]]);
    let r = db.rows("SELECT v FROM t WHERE k = 1 AND b = 2 ALLOW FILTERING");
    assert_eq!(ints(&r.rows), [[102], [112], [122]]);
    let r = db.rows("SELECT v FROM t PER PARTITION LIMIT 1");
    assert_eq!(r.rows.len(), 3);
}

#[test]
fn min_max_sum_avg_per_query_and_per_group() {
    let mut db = db();
    setup(&mut db);
    // Partition 1 holds v = 100..=122 (a*10 + b + 100).
    let r = db.rows("SELECT min(v), max(v), sum(v), avg(v), count(v) FROM t WHERE k = 1");
    let names: Vec<&str> = r.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "system.min(v)",
            "system.max(v)",
            "system.sum(v)",
            "system.avg(v)",
            "system.count(v)"
        ]
    );
    assert_eq!(
        r.rows,
        vec![vec![int(100), int(122), int(999), int(111), bigint(9)]]
    );
    // Plain columns next to aggregates take the first row's values.
    let r = db.rows("SELECT a, b, max(v) FROM t WHERE k = 2 AND a = 1");
    assert_eq!(r.rows, vec![vec![int(1), int(0), int(212)]]);
    let r = db.rows("SELECT k, a, max(b), sum(v) FROM t WHERE k = 0 GROUP BY k, a");
    assert_eq!(
        r.rows,
        vec![
            vec![int(0), int(0), int(2), int(3)],
            vec![int(0), int(1), int(2), int(33)],
            vec![int(0), int(2), int(2), int(63)],
        ]
    );
    // Groups come in token order (partition 1 first), LIMIT counts groups.
    let r = db.rows("SELECT k, min(v) FROM t GROUP BY k LIMIT 2");
    assert_eq!(ints(&r.rows), [[1, 100], [0, 0]]);
    // Over no rows: one row, zero sums and averages, null extremes and plain columns.
    let r = db.rows("SELECT count(*), sum(v), avg(v), max(v), a FROM t WHERE k = 9");
    assert_eq!(r.rows, vec![vec![bigint(0), int(0), int(0), None, None]]);
    let r = db.rows("SELECT k, max(v) FROM t WHERE k = 9 GROUP BY k");
    assert!(r.rows.is_empty());
}

#[test]
fn per_partition_limit_counts_groups_under_group_by() {
    let mut db = db();
    setup(&mut db);
    // Each group (k, a) holds three rows; PER PARTITION LIMIT 2 keeps two whole groups
    // per partition, not two rows.
    let r = db.rows("SELECT k, a, count(*) FROM t WHERE k = 2 GROUP BY k, a PER PARTITION LIMIT 2");
    assert_eq!(
        r.rows,
        vec![
            vec![int(2), int(0), bigint(3)],
            vec![int(2), int(1), bigint(3)],
        ]
    );
    // Without aggregates: one row per group, the first of each.
    let r = db.rows("SELECT k, a, b FROM t GROUP BY k, a PER PARTITION LIMIT 1");
    assert_eq!(ints(&r.rows), [[1, 0, 0], [0, 0, 0], [2, 0, 0]]);
    // With LIMIT too: both count groups.
    let r = db.rows("SELECT k, a, max(v) FROM t GROUP BY k, a PER PARTITION LIMIT 2 LIMIT 3");
    assert_eq!(ints(&r.rows), [[1, 0, 102], [1, 1, 112], [0, 0, 2]]);
    // An aggregate over everything reads every row of every partition.
    let r = db.rows("SELECT count(*) FROM t PER PARTITION LIMIT 1");
    assert_eq!(r.rows, vec![vec![bigint(27)]]);
}

#[test]
fn aggregates_keep_each_types_arithmetic() {
    let mut db = db();
    db.exec(
        "CREATE TABLE n (k int, c int, i int, d double, m decimal, s text, PRIMARY KEY (k, c))",
    );
    db.exec("INSERT INTO n (k, c, i, d, m, s) VALUES (0, 0, 2147483647, 0.5, 1.10, 'pear')");
    db.exec("INSERT INTO n (k, c, i, d, m, s) VALUES (0, 1, 1, 0.25, 2.2, 'apple')");
    db.exec("INSERT INTO n (k, c) VALUES (0, 2)");
    let r =
        db.rows("SELECT sum(i), avg(i), sum(d), avg(d), sum(m), min(s), max(s) FROM n WHERE k = 0");
    let row = &r.rows[0];
    // int sum wraps as Java's int arithmetic; avg sums exactly, skipping nulls.
    assert_eq!(row[0], int(i32::MIN));
    assert_eq!(row[1], int(1_073_741_824));
    assert_eq!(row[2], Some(0.75f64.to_be_bytes().to_vec()));
    assert_eq!(row[3], Some(0.375f64.to_be_bytes().to_vec()));
    // 1.10 + 2.2 = 3.30 (the larger scale): scale 2, unscaled 330 = 0x014a.
    assert_eq!(row[4], Some(vec![0, 0, 0, 2, 1, 74]));
    assert_eq!(row[5], text("apple"));
    assert_eq!(row[6], text("pear"));
    let e = db.err("SELECT sum(s) FROM n WHERE k = 0");
    assert!(
        e.message
            .starts_with("Invalid call to function sum, none of its type signatures match"),
        "{}",
        e.message
    );
}

#[test]
fn secondary_index_lookups_need_no_allow_filtering() {
    let mut db = db();
    db.exec("CREATE TABLE ix (k int PRIMARY KEY, v int, w int)");
    db.exec("CREATE INDEX ON ix (v)");
    for k in 0..6 {
        db.exec(&format!(
            "INSERT INTO ix (k, v, w) VALUES ({k}, {}, {k})",
            k % 2
        ));
    }
    let mut r = ints(&db.rows("SELECT k FROM ix WHERE v = 1").rows);
    r.sort();
    assert_eq!(r, [[1], [3], [5]]);
    let e = db.err("SELECT k FROM ix WHERE v = 1 AND w = 3");
    assert!(e.message.contains("ALLOW FILTERING"));
    assert_eq!(
        ints(
            &db.rows("SELECT k FROM ix WHERE v = 1 AND w = 3 ALLOW FILTERING")
                .rows
        ),
        [[3]]
    );
}

#[test]
fn index_entries_are_backfilled_and_stale_ones_skipped() {
    let mut db = db();
    db.exec("CREATE TABLE bf (k int, c int, v text, PRIMARY KEY (k, c))");
    for k in 0..4 {
        db.exec(&format!("INSERT INTO bf (k, c, v) VALUES ({k}, 1, 'old')"));
    }
    db.exec("CREATE INDEX bf_v ON bf (v)");
    assert_eq!(db.rows("SELECT k FROM bf WHERE v = 'old'").rows.len(), 4);
    db.exec("UPDATE bf SET v = 'new' WHERE k = 1 AND c = 1");
    db.exec("DELETE FROM bf WHERE k = 2");
    let mut old = ints(&db.rows("SELECT k FROM bf WHERE v = 'old'").rows);
    old.sort();
    assert_eq!(old, [[0], [3]]);
    assert_eq!(
        ints(&db.rows("SELECT k FROM bf WHERE v = 'new'").rows),
        [[1]]
    );
    db.exec("CREATE TABLE cx (k int PRIMARY KEY, tags set<text>)");
    db.exec("CREATE INDEX ON cx (tags)");
    db.exec("INSERT INTO cx (k, tags) VALUES (1, {'a', 'b'})");
    db.exec("INSERT INTO cx (k, tags) VALUES (2, {'b'})");
    assert_eq!(
        db.rows("SELECT k FROM cx WHERE tags CONTAINS 'a'").rows,
        vec![vec![int(1)]]
    );
    assert_eq!(
        db.rows("SELECT k FROM cx WHERE tags CONTAINS 'b'")
            .rows
            .len(),
        2
    );
}

#[test]
fn system_tables_are_read_through_select() {
    let mut db = db();
    let r = db.rows("SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = 'ks'");
    assert_eq!(r.rows, vec![vec![text("ks")]]);
    let r = db.rows("SELECT cluster_name, rpc_address FROM system.local WHERE key = 'local'");
    assert_eq!(r.rows.len(), 1);
    assert!(db.rows("SELECT * FROM system.peers").rows.is_empty());
    // What the Python driver's SchemaParserV4 and cqlsh read, unpaged.
    db.exec("CREATE TABLE meta (k int, c text, v list<int>, PRIMARY KEY (k, c))");
    db.exec("CREATE INDEX ON meta (c)");
    for t in [
        "keyspaces",
        "tables",
        "columns",
        "types",
        "functions",
        "aggregates",
        "triggers",
        "indexes",
        "views",
    ] {
        db.rows(&format!("SELECT * FROM system_schema.{t}"));
    }
    let r = db.rows("SELECT column_name, kind, position FROM system_schema.columns WHERE keyspace_name = 'ks' AND table_name = 'meta'");
    assert_eq!(r.rows.len(), 3);
    assert_eq!(
        db.rows("SELECT * FROM system.local WHERE key = 'local'")
            .rows
            .len(),
        1
    );
    let r = db.rows(
        "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name IN ('ks', 'system')",
    );
    assert_eq!(r.rows.len(), 2);
}

#[test]
fn decimals_compare_by_value_not_by_scale() {
    let mut db = db();
    db.exec("CREATE TABLE dec (k int PRIMARY KEY, d decimal)");
    db.exec("INSERT INTO dec (k, d) VALUES (1, 2.50)");
    db.exec("INSERT INTO dec (k, d) VALUES (2, 25E-1)");
    db.exec("INSERT INTO dec (k, d) VALUES (3, 2.51)");
    let mut r = ints(
        &db.rows("SELECT k FROM dec WHERE d = 2.5 ALLOW FILTERING")
            .rows,
    );
    r.sort();
    assert_eq!(r, [[1], [2]]);
    let r = db.rows("SELECT k FROM dec WHERE d IN (2.500) AND k = 1 ALLOW FILTERING");
    assert_eq!(ints(&r.rows), [[1]]);
    // An LWT condition compares the same way (DecimalType.compareCustom).
    let QueryResult::Rows(r) = db.exec("UPDATE dec SET d = 3 WHERE k = 1 IF d = 2.5") else {
        panic!("an LWT returns rows")
    };
    assert_eq!(r.rows[0][0], Some(vec![1]));
}

#[test]
fn order_by_may_skip_clustering_columns_restricted_by_equality() {
    let mut db = db();
    db.exec(
        "CREATE TABLE ob (k int, a int, b int, c int, PRIMARY KEY (k, a, b, c)) \
         WITH CLUSTERING ORDER BY (a ASC, b DESC, c ASC)",
    );
    for (a, b) in [(1, 0), (1, 2), (2, 1)] {
        db.exec(&format!(
            "INSERT INTO ob (k, a, b, c) VALUES (0, {a}, {b}, 0)"
        ));
    }
    let bs = |db: &mut Db, cql: &str| {
        db.rows(cql)
            .rows
            .into_iter()
            .map(|r| r[0].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        bs(
            &mut db,
            "SELECT b FROM ob WHERE k = 0 AND a = 1 ORDER BY b ASC"
        ),
        [int(0), int(2)]
    );
    assert_eq!(
        bs(
            &mut db,
            "SELECT b FROM ob WHERE k = 0 AND a IN (1) ORDER BY b DESC, c ASC"
        ),
        [int(2), int(0)]
    );
    assert_eq!(
        bs(
            &mut db,
            "SELECT b FROM ob WHERE k = 0 AND (a, b) = (1, 2) ORDER BY c DESC"
        ),
        [int(2)]
    );
    // GROUP BY skips the same columns (a one-value IN is an EQ).
    assert_eq!(
        bs(
            &mut db,
            "SELECT b FROM ob WHERE k = 0 AND a IN (1) GROUP BY b"
        ),
        [int(2), int(0)]
    );
    for (cql, message) in [
        (
            "SELECT b FROM ob WHERE k = 0 AND a > 0 ORDER BY b ASC",
            "Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY",
        ),
        (
            "SELECT b FROM ob WHERE k = 0 AND a = 1 ORDER BY b ASC, c ASC",
            "Unsupported order by relation",
        ),
    ] {
        assert_eq!(db.err(cql).message, message, "{cql}");
    }
}

#[test]
fn order_by_skips_clustering_columns_fixed_to_one_value() {
    let mut db = db();
    setup(&mut db);
    // `a` is fixed by `=`, a one-value IN or a multi-column equality: ORDER BY may name `b`.
    let r = db.rows("SELECT v FROM t WHERE k = 1 AND a = 2 ORDER BY b DESC");
    assert_eq!(ints(&r.rows), [[122], [121], [120]]);
    let r = db.rows("SELECT v FROM t WHERE k = 1 AND a IN (0) ORDER BY b DESC");
    assert_eq!(ints(&r.rows), [[102], [101], [100]]);
    let r = db.rows("SELECT v FROM t WHERE k = 1 AND (a, b) = (1, 1) ORDER BY b DESC");
    assert_eq!(ints(&r.rows), [[111]]);
    // Several values of `a`, or a slice on it, keep `b` from leading the order.
    for cql in [
        "SELECT v FROM t WHERE k = 1 AND a IN (0, 1) ORDER BY b",
        "SELECT v FROM t WHERE k = 1 AND a > 0 ORDER BY b",
        "SELECT v FROM t WHERE k = 1 AND (a, b) IN ((0, 1), (1, 1)) ORDER BY b",
        "SELECT v FROM t WHERE k = 1 ORDER BY b",
    ] {
        assert_eq!(
            db.err(cql).message,
            "Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY",
            "{cql}"
        );
    }
}
