//! Unit tests of the diff (the golden text/JSON plans live in cassmodel-migrate).

use super::*;
use crate::CqlType;
use crate::model::{ColumnDef, ColumnKind, IndexDef, Order, TableOptions};

fn col(name: &'static str, ty: CqlType, kind: ColumnKind) -> ColumnDef {
    ColumnDef {
        name: name.into(),
        ty,
        kind,
    }
}

fn users() -> TableDef {
    TableDef {
        name: "users".into(),
        columns: vec![
            col("username", CqlType::Text, ColumnKind::PartitionKey(0)),
            col("password", CqlType::Text, ColumnKind::Regular),
        ]
        .into(),
        indexes: Vec::new().into(),
        options: TableOptions::EMPTY,
        compound_keys: Vec::new().into(),
        query_tables: Vec::new().into(),
    }
}

fn schema(tables: Vec<TableDef>, types: Vec<UserTypeDef>) -> SchemaDef {
    SchemaDef {
        keyspace: KeyspaceDef {
            name: "ks".into(),
            replication: Replication::Simple(1),
            durable_writes: true,
        },
        types,
        tables,
    }
}

fn with_columns(mut t: TableDef, cols: Vec<ColumnDef>) -> TableDef {
    t.columns = cols.into();
    t
}

#[test]
fn fresh_keyspace_creates_everything_in_order() {
    let addr = UserTypeDef {
        name: "address".into(),
        fields: vec![("city".into(), CqlType::Udt("city".into()))].into(),
    };
    let city = UserTypeDef {
        name: "city".into(),
        fields: vec![("name".into(), CqlType::Text)].into(),
    };
    let plan = diff(
        &schema(vec![users()], vec![addr, city]),
        None,
        DiffOptions::default(),
    );
    let cql: Vec<String> = plan.to_apply().iter().filter_map(|s| s.cql()).collect();
    assert_eq!(cql.len(), 4, "{cql:?}");
    assert!(cql[0].starts_with("CREATE KEYSPACE ks"));
    assert!(cql[1].starts_with("CREATE TYPE city"));
    assert!(cql[2].starts_with("CREATE TYPE address"));
    assert!(cql[3].starts_with("CREATE TABLE users"));
}

#[test]
fn identical_schema_is_up_to_date() {
    let s = schema(vec![users()], vec![]);
    let plan = diff(&s, Some(&s), DiffOptions::default());
    assert!(plan.is_up_to_date(), "{plan:?}");
    assert!(plan.steps.is_empty());
}

#[test]
fn added_and_removed_columns() {
    let live = schema(vec![users()], vec![]);
    let mut cols = users().columns.to_vec();
    cols[1] = col("email", CqlType::Text, ColumnKind::Regular);
    let desired = schema(vec![with_columns(users(), cols)], vec![]);
    let plan = diff(&desired, Some(&live), DiffOptions::default());
    let cql: Vec<String> = plan.to_apply().iter().filter_map(|s| s.cql()).collect();
    assert_eq!(cql, vec!["ALTER TABLE users ADD email text"]);
    assert_eq!(plan.steps[1].status, Status::NeedsAllowDrop);
    let plan = diff(&desired, Some(&live), DiffOptions { allow_drop: true });
    let cql: Vec<String> = plan.to_apply().iter().filter_map(|s| s.cql()).collect();
    assert_eq!(
        cql,
        vec![
            "ALTER TABLE users ADD email text",
            "ALTER TABLE users DROP password"
        ]
    );
}

#[test]
fn type_and_key_changes_are_refused_and_block_the_plan() {
    let live = schema(vec![users()], vec![]);
    let mut cols = users().columns.to_vec();
    cols[1] = col("password", CqlType::Blob, ColumnKind::Regular);
    cols.push(col("email", CqlType::Text, ColumnKind::Regular));
    let desired = schema(vec![with_columns(users(), cols)], vec![]);
    let plan = diff(&desired, Some(&live), DiffOptions::default());
    assert!(plan.is_refused());
    assert!(plan.to_apply().is_empty(), "a refused plan applies nothing");

    let mut cols = users().columns.to_vec();
    cols[1].kind = ColumnKind::Clustering(0, Order::Asc);
    let desired = schema(vec![with_columns(users(), cols)], vec![]);
    let plan = diff(&desired, Some(&live), DiffOptions::default());
    assert!(matches!(
        plan.steps[0].action,
        Action::ChangePrimaryKey { .. }
    ));
    assert!(plan.is_refused());
}

#[test]
fn clustering_order_and_static_changes_are_refused() {
    let mut base = users().columns.to_vec();
    base[1].kind = ColumnKind::Clustering(0, Order::Asc);
    base.push(col("bio", CqlType::Text, ColumnKind::Regular));
    let live = schema(vec![with_columns(users(), base.clone())], vec![]);
    let mut cols = base;
    cols[1].kind = ColumnKind::Clustering(0, Order::Desc);
    cols[2].kind = ColumnKind::Static;
    let plan = diff(
        &schema(vec![with_columns(users(), cols)], vec![]),
        Some(&live),
        DiffOptions::default(),
    );
    assert!(matches!(
        plan.steps[0].action,
        Action::ChangeClusteringOrder { .. }
    ));
    assert!(matches!(
        plan.steps[1].action,
        Action::ChangeColumnKind { .. }
    ));
}

#[test]
fn frozen_tuple_equals_tuple() {
    let a = CqlType::parse("frozen<tuple<int, text>>").unwrap();
    let b = CqlType::parse("tuple<int, text>").unwrap();
    assert!(same_type(&a, &b));
    assert!(!same_type(&CqlType::Int, &CqlType::BigInt));
}

#[test]
fn udt_fields_can_only_be_appended() {
    let live_t = UserTypeDef {
        name: "address".into(),
        fields: vec![("street".into(), CqlType::Text)].into(),
    };
    let mut grown = live_t.clone();
    grown.fields = vec![
        ("street".into(), CqlType::Text),
        ("zip".into(), CqlType::Int),
    ]
    .into();
    let steps = diff_type(&grown, &live_t);
    assert_eq!(
        steps[0].cql().as_deref(),
        Some("ALTER TYPE address ADD zip int")
    );
    let mut renamed = live_t.clone();
    renamed.fields = vec![("road".into(), CqlType::Text)].into();
    assert!(matches!(
        diff_type(&renamed, &live_t)[0].status,
        Status::Refused { .. }
    ));
}

#[test]
fn indexes_are_created_kept_and_dropped() {
    let idx = |name: &'static str, column: &'static str| IndexDef {
        name: name.into(),
        column: column.into(),
        target: Default::default(),
    };
    let mut live_t = users();
    live_t.indexes = vec![
        idx("users_password_idx", "password"),
        idx("old", "password"),
    ]
    .into();
    let mut desired_t = users();
    desired_t.indexes = vec![idx("by_password", "password")].into();
    let steps = diff_table(&desired_t, &live_t, false);
    // by_password matches users_password_idx by target; `old` is a duplicate to drop.
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert_eq!(steps[0].cql().as_deref(), Some("DROP INDEX old"));
    assert_eq!(steps[0].status, Status::NeedsAllowDrop);
}
