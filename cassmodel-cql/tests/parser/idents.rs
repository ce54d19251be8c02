//! Identifier normalisation and reserved keywords.

use crate::common::{err, id, local, ok};
use cassmodel_cql::ast::*;

fn table_of(cql: &str) -> QualifiedName {
    match ok(cql) {
        Statement::Select(s) => s.table,
        other => panic!("{other:?}"),
    }
}

#[test]
fn unquoted_identifiers_are_lower_cased() {
    assert_eq!(table_of("SELECT * FROM MyTable"), local("mytable"));
    assert_eq!(
        table_of("SELECT * FROM KS.Tab"),
        QualifiedName::qualified("ks", "tab")
    );
    assert_eq!(ok("USE MyKs"), Statement::Use(id("myks")));
}

#[test]
fn quoted_identifiers_keep_case_and_unescape() {
    assert_eq!(table_of("SELECT * FROM \"MyTable\""), local("MyTable"));
    assert_eq!(table_of("SELECT * FROM \"a\"\"b\""), local("a\"b"));
    assert_eq!(table_of("SELECT * FROM \"select\""), local("select"));
    assert_eq!(table_of("SELECT * FROM \"has space\""), local("has space"));
    err("SELECT * FROM \"\"");
}

#[test]
fn keywords_are_case_insensitive() {
    assert!(matches!(
        ok("sElEcT * fRoM t wHeRe k = 1"),
        Statement::Select(_)
    ));
    assert!(matches!(
        ok("insert INTO t (k) values (1)"),
        Statement::Insert(_)
    ));
}

#[test]
fn reserved_keywords_need_quotes() {
    for cql in [
        "CREATE TABLE select (k int PRIMARY KEY)",
        "CREATE TABLE t (from int PRIMARY KEY)",
        "SELECT * FROM t WHERE token = 1",
        "SELECT select FROM t",
        "CREATE KEYSPACE table WITH replication = {}",
        "INSERT INTO t (limit) VALUES (1)",
        "UPDATE t SET where = 1 WHERE k = 1",
        "CREATE TABLE t (k int PRIMARY KEY, true int)",
    ] {
        let e = err(cql);
        assert!(
            e.message.contains("no viable alternative"),
            "{cql}: {}",
            e.message
        );
    }
    assert!(matches!(
        ok("CREATE TABLE \"select\" (\"from\" int PRIMARY KEY)"),
        Statement::CreateTable(_)
    ));
}

#[test]
fn unreserved_keywords_are_identifiers() {
    let Statement::CreateTable(t) = ok(
        "CREATE TABLE key (key int PRIMARY KEY, type text, ttl int, \
         writetime int, count int, value int, keys int, values int, filtering int, static int, \
         json int, distinct int, exists int, frozen int, text text, map int)",
    ) else {
        panic!("not a CREATE TABLE")
    };
    assert_eq!(t.name, local("key"));
    assert_eq!(t.columns.len(), 16);
    assert_eq!(t.columns[14].name, id("text"));
}
