//! Engine-level tests of the core path: USE, DDL, INSERT, SELECT by key, prepared
//! statements and paging.
#![allow(clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::ErrorCode;
use cassmodel_embedded::api::{BoundValues, QueryParams, QueryResult, Session};
use engine_common::*;

#[test]
fn insert_then_select_by_key() {
    let mut db = db();
    db.exec("CREATE TABLE t (k int, c int, v text, PRIMARY KEY (k, c))");
    db.exec("INSERT INTO t (k, c, v) VALUES (1, 2, 'a')");
    db.exec("INSERT INTO t (k, c, v) VALUES (1, 1, 'b')");
    let r = db.rows("SELECT * FROM t WHERE k = 1");
    assert_eq!(
        r.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["k", "c", "v"]
    );
    assert_eq!(
        r.rows,
        vec![
            vec![int(1), int(1), text("b")],
            vec![int(1), int(2), text("a")]
        ]
    );
    let r = db.rows("SELECT v FROM t WHERE k = 1 AND c = 2");
    assert_eq!(r.rows, vec![vec![text("a")]]);
}

#[test]
fn use_of_missing_keyspace_is_invalid() {
    let mut db = db();
    let e = db.err("USE nope");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(e.message, "Keyspace 'nope' does not exist");
}

#[test]
fn prepared_statements_have_cassandra_metadata() {
    let mut db = db();
    db.exec("CREATE TABLE p (a int, b text, c int, v int, PRIMARY KEY ((a, b), c))");
    let session = Session {
        keyspace: Some("ks".into()),
        user: None,
    };
    let p = db
        .engine
        .prepare(
            &session,
            "INSERT INTO p (b, a, c, v) VALUES (?, ?, ?, ?) USING TTL ?",
        )
        .expect("prepare");
    assert_eq!(p.pk_indexes, vec![1, 0]);
    let names: Vec<_> = p.bind.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["b", "a", "c", "v", "[ttl]"]);
    assert!(p.result.is_empty());
    let again = db
        .engine
        .prepare(
            &session,
            "INSERT INTO p (b, a, c, v) VALUES (?, ?, ?, ?) USING TTL ?",
        )
        .expect("prepare");
    assert_eq!(p.id, again.id);
    let s = db
        .engine
        .prepare(&session, "SELECT v FROM p WHERE a IN ? AND b = ? LIMIT ?")
        .expect("prepare");
    let names: Vec<_> = s
        .bind
        .iter()
        .map(|b| (b.name.as_str(), b.ty.to_string()))
        .collect();
    assert_eq!(
        names,
        [
            ("in(a)", "list<int>".to_owned()),
            ("b", "text".to_owned()),
            ("[limit]", "int".to_owned())
        ]
    );
    assert!(s.pk_indexes.is_empty());
    assert_eq!(s.result.len(), 1);

    let params = QueryParams {
        values: BoundValues::Positional(vec![
            val(text("x")),
            val(int(1)),
            val(int(2)),
            val(int(3)),
            val(int(0)),
        ]),
        ..QueryParams::default()
    };
    db.engine
        .execute(&mut db.session, &p.id, &params)
        .expect("execute");
    let r = db.rows("SELECT a, b, c, v FROM p WHERE a = 1 AND b = 'x'");
    assert_eq!(r.rows, vec![vec![int(1), text("x"), int(2), int(3)]]);
}

#[test]
fn execute_of_unknown_id_is_unprepared() {
    let mut db = db();
    let e = db
        .engine
        .execute(&mut db.session, &[7; 16], &QueryParams::default())
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Unprepared);
}

#[test]
fn paging_across_partitions_returns_every_row_once() {
    let mut db = db();
    db.exec("CREATE TABLE pg (k int, c int, v int, PRIMARY KEY (k, c))");
    for k in 0..7 {
        for c in 0..3 {
            db.exec(&format!(
                "INSERT INTO pg (k, c, v) VALUES ({k}, {c}, {})",
                k * 10 + c
            ));
        }
    }
    let mut seen = Vec::new();
    let mut state = None;
    let mut pages = 0;
    loop {
        let params = QueryParams {
            page_size: Some(4),
            paging_state: state.clone(),
            ..QueryParams::default()
        };
        let QueryResult::Rows(r) = db.try_query("SELECT v FROM pg", &params).expect("page") else {
            panic!("rows")
        };
        assert!(r.rows.len() <= 4);
        seen.extend(r.rows.into_iter().map(|row| row[0].clone()));
        pages += 1;
        state = r.paging_state;
        if state.is_none() {
            break;
        }
    }
    assert!(pages >= 6);
    let mut got: Vec<i32> = seen
        .iter()
        .map(|v| i32::from_be_bytes(v.clone().unwrap().try_into().unwrap()))
        .collect();
    got.sort();
    let mut want: Vec<i32> = (0..7)
        .flat_map(|k| (0..3).map(move |c| k * 10 + c))
        .collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn limit_holds_across_pages() {
    let mut db = db();
    db.exec("CREATE TABLE lp (k int, c int, PRIMARY KEY (k, c))");
    for k in 0..3 {
        for c in 0..4 {
            db.exec(&format!("INSERT INTO lp (k, c) VALUES ({k}, {c})"));
        }
    }
    let mut total = 0;
    let mut state = None;
    loop {
        let params = QueryParams {
            page_size: Some(2),
            paging_state: state.clone(),
            ..QueryParams::default()
        };
        let QueryResult::Rows(r) = db
            .try_query("SELECT * FROM lp PER PARTITION LIMIT 3 LIMIT 7", &params)
            .expect("page")
        else {
            panic!("rows")
        };
        total += r.rows.len();
        state = r.paging_state;
        if state.is_none() {
            break;
        }
    }
    assert_eq!(total, 7);
}

#[test]
fn bad_paging_state_is_a_protocol_error() {
    let mut db = db();
    db.exec("CREATE TABLE bp (k int PRIMARY KEY)");
    let params = QueryParams {
        page_size: Some(2),
        paging_state: Some(vec![1, 2, 3]),
        ..QueryParams::default()
    };
    let e = db.try_query("SELECT * FROM bp", &params).unwrap_err();
    assert_eq!(e.code, ErrorCode::Protocol);
}

#[test]
fn describe_is_answered_through_the_engine() {
    let mut db = db();
    db.exec("CREATE TABLE dt (k int PRIMARY KEY, v text)");
    let r = db.rows("DESCRIBE TABLE dt");
    let text: Vec<String> = r
        .rows
        .iter()
        .flat_map(|row| {
            row.iter()
                .flatten()
                .map(|v| String::from_utf8_lossy(v).into_owned())
        })
        .collect();
    assert!(
        text.iter().any(|t| t.contains("CREATE TABLE ks.dt")),
        "{text:?}"
    );
}

/// `system.local` reports Cassandra 4.1's versions: release 4.1.x and CQL 3.4.6 (what
/// cqlsh prints as "CQL spec" and checks `--cqlversion` against).
#[test]
fn system_local_reports_the_versions_of_cassandra_4_1() {
    let mut db = db();
    let r = db.rows("SELECT release_version, cql_version FROM system.local");
    assert_eq!(
        r.rows[0][0].as_deref().map(|b| b.starts_with(b"4.1.")),
        Some(true)
    );
    assert_eq!(r.rows[0][1], text("3.4.6"));
}
