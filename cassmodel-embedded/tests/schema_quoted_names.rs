//! Case-sensitive (quoted) names in the schema as drivers and cqlsh read it back: a user
//! type used as a column or field type is written `frozen<"Person">` in
//! `system_schema.columns.type`, `system_schema.types.field_types` and DESCRIBE
//! (`C*: cql3/CQL3Type.java` `UserDefined.toString` quotes the name with
//! `ColumnIdentifier.maybeQuote`), the DESCRIBE output of such a keyspace replays, and the
//! quoted forms survive a restart.

use std::sync::Arc;

use cassmodel_embedded::api::{QueryParams, QueryResult, ResultRows, Session};
use cassmodel_embedded::{Engine, EngineConfig, SyncMode};

fn engine(dir: &std::path::Path) -> Arc<Engine> {
    Engine::open(EngineConfig {
        data_dir: dir.to_path_buf(),
        sync: SyncMode::Batch,
        rpc_address: "0.0.0.0:9042".parse().expect("addr"),
    })
    .expect("engine")
}

fn exec(e: &Engine, cql: &str) -> QueryResult {
    e.query(&mut Session::default(), cql, &QueryParams::default())
        .unwrap_or_else(|err| panic!("{cql}: {err}"))
}

fn rows(e: &Engine, cql: &str) -> ResultRows {
    match exec(e, cql) {
        QueryResult::Rows(r) => r,
        other => panic!("{cql}: {other:?}"),
    }
}

fn text(v: &Option<Vec<u8>>) -> String {
    String::from_utf8(v.clone().expect("not null")).expect("utf8")
}

/// A `list<text>` cell in the native protocol encoding.
fn text_list(v: &Option<Vec<u8>>) -> Vec<String> {
    let b = v.as_deref().expect("not null");
    let int = |at: usize| i32::from_be_bytes(b[at..at + 4].try_into().expect("4 bytes")) as usize;
    let mut at = 4;
    let mut out = Vec::new();
    for _ in 0..int(0) {
        let len = int(at);
        out.push(String::from_utf8(b[at + 4..at + 4 + len].to_vec()).expect("utf8"));
        at += 4 + len;
    }
    out
}

/// The schema of the finding: every name that can be case-sensitive is.
const SCHEMA: &[&str] = &[
    "CREATE KEYSPACE \"MyKs\" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    "CREATE TYPE \"MyKs\".\"Person\" (\"Name\" text, \"select\" int, plain text)",
    "CREATE TYPE \"MyKs\".wrap (a frozen<\"Person\">, b list<frozen<\"Person\">>, \
     c map<frozen<\"Person\">, int>)",
    "CREATE TABLE \"MyKs\".\"MyTable\" (\"Id\" int PRIMARY KEY, \"MyCol\" text, \"Val\" text, \
     p frozen<\"Person\">, q \"Person\", s set<frozen<\"Person\">>, w frozen<wrap>, \
     t frozen<tuple<int, frozen<\"Person\">>>)",
    "CREATE INDEX \"MyIdx\" ON \"MyKs\".\"MyTable\" (\"MyCol\")",
    "CREATE INDEX ON \"MyKs\".\"MyTable\" (\"Val\")",
];

fn create_schema(e: &Engine) {
    for cql in SCHEMA {
        exec(e, cql);
    }
}

/// `(column_name, type)` of the table, from `system_schema.columns`.
fn column_types(e: &Engine, ks: &str) -> Vec<(String, String)> {
    let r = rows(
        e,
        &format!(
            "SELECT column_name, type FROM system_schema.columns \
             WHERE keyspace_name = '{ks}' AND table_name = 'MyTable'"
        ),
    );
    r.rows
        .iter()
        .map(|row| (text(&row[0]), text(&row[1])))
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// `(type_name, field_names, field_types)` from `system_schema.types`.
fn types_rows(e: &Engine, ks: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let r = rows(
        e,
        &format!(
            "SELECT type_name, field_names, field_types FROM system_schema.types \
             WHERE keyspace_name = '{ks}'"
        ),
    );
    r.rows
        .iter()
        .map(|row| (text(&row[0]), text_list(&row[1]), text_list(&row[2])))
        .collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The CQL statements of `DESCRIBE KEYSPACE`.
fn describe(e: &Engine, ks: &str) -> Vec<String> {
    let r = rows(e, &format!("DESCRIBE KEYSPACE \"{ks}\""));
    r.rows.iter().map(|row| text(&row[3])).collect()
}

fn check_system_schema(e: &Engine, ks: &str) {
    assert_eq!(
        column_types(e, ks),
        pairs(&[
            ("Id", "int"),
            ("MyCol", "text"),
            ("Val", "text"),
            ("p", "frozen<\"Person\">"),
            ("q", "\"Person\""),
            ("s", "set<frozen<\"Person\">>"),
            ("t", "frozen<tuple<int, frozen<\"Person\">>>"),
            ("w", "frozen<wrap>"),
        ])
    );
    // SchemaKeyspace.addTypeToSchemaMutation: the row key and the field names are the bare
    // names (FieldIdentifier.toString), the field types are CQL3Type.toString.
    assert_eq!(
        types_rows(e, ks),
        vec![
            (
                "Person".to_owned(),
                strings(&["Name", "select", "plain"]),
                strings(&["text", "int", "text"]),
            ),
            (
                "wrap".to_owned(),
                strings(&["a", "b", "c"]),
                strings(&[
                    "frozen<\"Person\">",
                    "list<frozen<\"Person\">>",
                    "map<frozen<\"Person\">, int>",
                ]),
            ),
        ]
    );
    let r = rows(
        e,
        &format!(
            "SELECT index_name, options FROM system_schema.indexes WHERE keyspace_name = '{ks}'"
        ),
    );
    let names: Vec<String> = r.rows.iter().map(|row| text(&row[0])).collect();
    assert_eq!(names, strings(&["MyIdx", "MyTable_Val_idx"]));
}

#[test]
fn system_schema_quotes_user_type_names_used_as_types() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = engine(dir.path());
    create_schema(&e);
    check_system_schema(&e, "MyKs");
}

#[test]
fn describe_quotes_every_case_sensitive_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = engine(dir.path());
    create_schema(&e);
    let got = describe(&e, "MyKs");
    assert_eq!(got.len(), 6, "{got:#?}");
    assert!(
        got[0].starts_with("CREATE KEYSPACE \"MyKs\" WITH"),
        "{}",
        got[0]
    );
    assert_eq!(
        got[1],
        "CREATE TYPE \"MyKs\".\"Person\" (\n    \"Name\" text,\n    \"select\" int,\n    plain text\n);"
    );
    assert_eq!(
        got[2],
        "CREATE TYPE \"MyKs\".wrap (\n    a frozen<\"Person\">,\n    b list<frozen<\"Person\">>,\n    \
         c map<frozen<\"Person\">, int>\n);"
    );
    let table_head = "CREATE TABLE \"MyKs\".\"MyTable\" (\n    \"Id\" int PRIMARY KEY,\n    \
        \"MyCol\" text,\n    \"Val\" text,\n    p frozen<\"Person\">,\n    q \"Person\",\n    \
        s set<frozen<\"Person\">>,\n    t frozen<tuple<int, frozen<\"Person\">>>,\n    \
        w frozen<wrap>\n) WITH ";
    assert!(got[3].starts_with(table_head), "{}", got[3]);
    assert_eq!(
        got[4],
        "CREATE INDEX \"MyIdx\" ON \"MyKs\".\"MyTable\" (\"MyCol\");"
    );
    assert_eq!(
        got[5],
        "CREATE INDEX \"MyTable_Val_idx\" ON \"MyKs\".\"MyTable\" (\"Val\");"
    );
    // DESCRIBE TYPE / TABLE print the same statements.
    let r = rows(&e, "DESCRIBE TYPE \"MyKs\".wrap");
    assert_eq!(text(&r.rows[0][3]), got[2]);
    let r = rows(&e, "DESCRIBE TABLE \"MyKs\".\"MyTable\"");
    assert_eq!(text(&r.rows[0][3]), got[3]);
}

/// `(keyspace_name, name)` of each row of a DESCRIBE statement.
fn listed(e: &Engine, cql: &str) -> Vec<(String, String)> {
    rows(e, cql)
        .rows
        .iter()
        .map(|r| (text(&r[0]), text(&r[2])))
        .collect()
}

#[test]
fn describe_rows_quote_keyspace_and_element_names_that_need_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = engine(dir.path());
    create_schema(&e);
    let keyspaces = listed(&e, "DESCRIBE KEYSPACES");
    assert!(
        keyspaces.contains(&("\"MyKs\"".into(), "\"MyKs\"".into())),
        "{keyspaces:?}"
    );
    assert!(keyspaces.contains(&("system".into(), "system".into())));
    let tables = listed(&e, "DESCRIBE TABLES");
    assert!(
        tables.contains(&("\"MyKs\"".into(), "\"MyTable\"".into())),
        "{tables:?}"
    );
    assert!(tables.contains(&("system".into(), "\"IndexInfo\"".into())));
    let types = listed(&e, "DESCRIBE TYPES");
    assert!(types.contains(&("\"MyKs\"".into(), "\"Person\"".into())));
    assert!(types.contains(&("\"MyKs\"".into(), "wrap".into())));
    let one = listed(&e, "DESCRIBE TABLE \"MyKs\".\"MyTable\"");
    assert_eq!(one[0], ("\"MyKs\"".into(), "\"MyTable\"".into()));
}

#[test]
fn a_quoted_type_name_may_hold_any_character() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = engine(dir.path());
    create_schema(&e);
    exec(
        &e,
        "CREATE TYPE \"MyKs\".\"pair of ints; or (two)\" (x int, \"y!\" int)",
    );
    exec(
        &e,
        "CREATE TABLE \"MyKs\".uses_odd (k int PRIMARY KEY, v frozen<\"pair of ints; or (two)\">)",
    );
    exec(
        &e,
        "INSERT INTO \"MyKs\".uses_odd (k, v) VALUES (1, {x: 2, \"y!\": 3})",
    );
    let r = rows(&e, "SELECT v.\"y!\" FROM \"MyKs\".uses_odd WHERE k = 1");
    assert_eq!(r.rows[0][0].as_deref(), Some(&3i32.to_be_bytes()[..]));
    let statement = text(&rows(&e, "DESCRIBE TYPE \"MyKs\".\"pair of ints; or (two)\"").rows[0][3]);
    assert!(
        statement.starts_with("CREATE TYPE \"MyKs\".\"pair of ints; or (two)\" ("),
        "{statement}"
    );
    assert!(
        describe(&e, "MyKs")
            .iter()
            .any(|s| s.contains("v frozen<\"pair of ints; or (two)\">")),
    );
}

#[test]
fn describe_output_replays_into_another_keyspace() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = engine(dir.path());
    create_schema(&e);
    let original = describe(&e, "MyKs");
    for stmt in &original {
        exec(&e, &stmt.replace("\"MyKs\"", "\"MyKs2\""));
    }
    let copy = describe(&e, "MyKs2");
    let renamed: Vec<String> = original
        .iter()
        .map(|s| s.replace("\"MyKs\"", "\"MyKs2\""))
        .collect();
    assert_eq!(copy, renamed);
    check_system_schema(&e, "MyKs2");
    // The replayed table and its indexes work.
    exec(
        &e,
        "INSERT INTO \"MyKs2\".\"MyTable\" (\"Id\", \"MyCol\", \"Val\", p) \
         VALUES (1, 'x', 'y', {\"Name\": 'ann', \"select\": 3})",
    );
    for cql in [
        "SELECT \"Id\" FROM \"MyKs2\".\"MyTable\" WHERE \"MyCol\" = 'x'",
        "SELECT \"Id\" FROM \"MyKs2\".\"MyTable\" WHERE \"Val\" = 'y'",
    ] {
        assert_eq!(rows(&e, cql).rows.len(), 1, "{cql}");
    }
}

#[test]
fn quoted_names_survive_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let before = {
        let e = engine(dir.path());
        create_schema(&e);
        describe(&e, "MyKs")
    };
    let e = engine(dir.path());
    assert_eq!(describe(&e, "MyKs"), before);
    check_system_schema(&e, "MyKs");
    exec(
        &e,
        "INSERT INTO \"MyKs\".\"MyTable\" (\"Id\", q) VALUES (2, {plain: 'p'})",
    );
    let r = rows(
        &e,
        "SELECT q.plain FROM \"MyKs\".\"MyTable\" WHERE \"Id\" = 2",
    );
    assert_eq!(text(&r.rows[0][0]), "p");
}

/// A default index name keeps only `[a-zA-Z0-9_]` of `<table>_<column>_idx`
/// (`IndexMetadata.generateDefaultIndexName` removes Java's ASCII-only `\W`).
#[test]
fn default_index_names_drop_non_ascii_letters() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = engine(dir.path());
    exec(
        &e,
        "CREATE KEYSPACE accents WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    );
    exec(
        &e,
        "CREATE TABLE accents.\"Cafe\" (id int PRIMARY KEY, \"größe\" int, \"naïve\" text)",
    );
    exec(&e, "CREATE INDEX ON accents.\"Cafe\" (\"größe\")");
    exec(&e, "CREATE INDEX ON accents.\"Cafe\" (\"naïve\")");
    let r = rows(
        &e,
        "SELECT index_name FROM system_schema.indexes WHERE keyspace_name = 'accents'",
    );
    let names: Vec<String> = r.rows.iter().map(|row| text(&row[0])).collect();
    assert_eq!(names, strings(&["Cafe_gre_idx", "Cafe_nave_idx"]));
}
