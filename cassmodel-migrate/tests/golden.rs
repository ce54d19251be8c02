//! Golden tests of plans, as text and JSON: the desired schema comes from model sources (through
//! the same discovery as `cassmodel migrate`), the live schema from other model sources, and
//! the rendered plan must match `tests/golden/<case>.{txt,json}` exactly. Pure: no server.
//! Set `UPDATE_GOLDEN=1` to rewrite the files, then review the diff like code.

#![allow(clippy::unwrap_used, reason = "tests")]

use std::path::{Path, PathBuf};

use cassmodel_migrate::discover::{Models, discover_source};
use cassmodel_migrate::plan::{desired_schema, plan};
use cassmodel_migrate::report::{Style, plan_json, plan_text};
use cassmodel_schema::diff::{KeyspaceDef, Replication, SchemaDef};

const BASE: &str = r#"
#[derive(Model)]
#[cassmodel(table = "users")]
pub struct User {
    #[cassmodel(partition_key)]
    pub username: String,
    pub password: String,
}

#[derive(Model)]
pub struct Tweet {
    #[cassmodel(partition_key)]
    pub tweet_id: uuid::Uuid,
    pub username: String,
    pub body: String,
}
"#;

fn schema(src: &str) -> SchemaDef {
    let mut models = Models::default();
    let mut errors = Vec::new();
    discover_source(Path::new("models.rs"), src, &mut models, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    desired_schema(
        &models,
        KeyspaceDef {
            name: "twissandra".into(),
            replication: Replication::Simple(1),
            durable_writes: true,
        },
    )
}

fn check(case: &str, desired: &str, live: Option<&str>, allow_drop: bool) {
    let live = live.map(schema);
    let plan = plan(&schema(desired), live.as_ref(), allow_drop);
    let text = plan_text(&plan, Style::PLAIN);
    let json = format!("{:#}\n", plan_json(&plan));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    for (ext, actual) in [("txt", &text), ("json", &json)] {
        let path = dir.join(format!("{case}.{ext}"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
        assert_eq!(
            actual,
            &expected,
            "{} differs; run with UPDATE_GOLDEN=1 and review",
            path.display()
        );
    }
}

fn replace(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from}");
    BASE.replacen(from, to, 1)
}

#[test]
fn fresh_keyspace() {
    let src = format!(
        "{BASE}\n#[derive(UserType)]\npub struct Address {{ pub street: String, pub zip: i32 }}\n\
         #[derive(Model)]\npub struct Userline {{\n  #[cassmodel(partition_key)]\n  pub username: String,\n  \
         #[cassmodel(clustering_key, order = \"desc\")]\n  pub time: uuid::Uuid,\n  \
         #[cassmodel(index)]\n  pub tweet_id: uuid::Uuid,\n}}\n"
    );
    check("fresh_keyspace", &src, None, false);
}

#[test]
fn up_to_date() {
    check("up_to_date", BASE, Some(BASE), false);
}

#[test]
fn added_column() {
    let desired = replace(
        "pub password: String,",
        "pub password: String,\n    pub email: Option<String>,",
    );
    check("added_column", &desired, Some(BASE), false);
}

#[test]
fn added_index() {
    let desired = replace(
        "pub username: String,\n    pub body",
        "#[cassmodel(index)]\n    pub username: String,\n    pub body",
    );
    check("added_index", &desired, Some(BASE), false);
}

#[test]
fn removed_column_without_allow_drop() {
    let desired = replace("    pub password: String,\n", "");
    check("removed_column", &desired, Some(BASE), false);
}

#[test]
fn removed_column_with_allow_drop() {
    let desired = replace("    pub password: String,\n", "");
    check("removed_column_allow_drop", &desired, Some(BASE), true);
}

#[test]
fn type_change_refused() {
    let desired = replace(
        "pub password: String,",
        "pub password: Vec<u8>,\n    pub email: String,",
    );
    check("type_change_refused", &desired, Some(BASE), false);
}

#[test]
fn key_change_refused() {
    let desired = replace(
        "pub username: String,\n    pub body",
        "#[cassmodel(clustering_key)]\n    pub username: String,\n    pub body",
    );
    check("key_change_refused", &desired, Some(BASE), false);
}

#[test]
fn options_change() {
    let desired = replace(
        "#[cassmodel(table = \"users\")]",
        "#[cassmodel(table = \"users\", options(default_time_to_live = 86400, comment = \"accounts\"))]",
    );
    check("options_change", &desired, Some(BASE), false);
}

const PLACE: &str = "\n#[derive(UserType)]\npub struct Place { pub city: String, pub zip: i32 }\n";

#[test]
fn user_type_field_appended() {
    let live = format!("{BASE}{PLACE}");
    let desired = format!(
        "{BASE}{}",
        PLACE.replace("pub zip: i32 }", "pub zip: i32, pub country: String }")
    );
    check("udt_field_added", &desired, Some(&live), false);
}

#[test]
fn user_type_change_refused() {
    let live = format!("{BASE}{PLACE}");
    let desired = format!("{BASE}{}", PLACE.replace("pub zip: i32", "pub zip: String"));
    check("udt_change_refused", &desired, Some(&live), false);
}

#[test]
fn query_table_added() {
    let desired = replace(
        "#[derive(Model)]\npub struct Tweet {",
        "#[derive(Model)]\n#[cassmodel(query_table(name = \"tweets_by_user\", partition_key = [username]))]\npub struct Tweet {",
    );
    check("query_table_added", &desired, Some(BASE), false);
}
