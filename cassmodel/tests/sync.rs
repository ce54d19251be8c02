//! `Db::sync::<M>()` on `memory:` (or `CASSMODEL_TEST_URL`): it runs the same diff as
//! `cassmodel migrate` against the live schema, so it creates what is missing (user types,
//! table, indexes, query tables), adds columns to an existing table, refuses incompatible
//! changes with nothing applied, never drops, and is a no-op the second time.
//!
//! Each test uses its own keyspace, so they run independently on one cluster too.

use cassmodel::error::SchemaError;
use cassmodel::prelude::*;
use cassmodel::{Db, Replication};
use cassmodel_schema::diff::{Action, Status, Step};

type TestResult = Result<(), Box<dyn std::error::Error>>;

async fn db(keyspace: &str) -> Result<Db, Box<dyn std::error::Error>> {
    let url = std::env::var("CASSMODEL_TEST_URL").unwrap_or_else(|_| "memory:".to_owned());
    let mut db = Db::connect(&url).await?;
    db.create_keyspace_if_missing(keyspace, &Replication::simple(1))
        .await?;
    db.use_keyspace(keyspace).await?;
    Ok(db)
}

#[derive(UserType, Debug, Clone, PartialEq)]
struct Address {
    street: String,
    zip: i32,
}

/// The first version of the `people` table.
#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "people")]
#[cassmodel(query_table(name = "people_by_city", partition_key = [city]))]
struct PersonV1 {
    #[cassmodel(partition_key)]
    name: String,
    #[cassmodel(index)]
    city: String,
    age: i32,
    #[cassmodel(type = "frozen<address>")]
    home: Option<Address>,
}

/// `people` with one more column.
#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "people")]
#[cassmodel(query_table(name = "people_by_city", partition_key = [city]))]
struct PersonV2 {
    #[cassmodel(partition_key)]
    name: String,
    #[cassmodel(index)]
    city: String,
    age: i32,
    #[cassmodel(type = "frozen<address>")]
    home: Option<Address>,
    email: Option<String>,
}

/// `people` with `age` retyped (and a new column that must not be added either).
#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "people")]
#[cassmodel(query_table(name = "people_by_city", partition_key = [city]))]
struct PersonRetyped {
    #[cassmodel(partition_key)]
    name: String,
    #[cassmodel(index)]
    city: String,
    age: String,
    #[cassmodel(type = "frozen<address>")]
    home: Option<Address>,
    nickname: Option<String>,
}

/// `people` without `age`.
#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "people")]
#[cassmodel(query_table(name = "people_by_city", partition_key = [city]))]
struct PersonWithoutAge {
    #[cassmodel(partition_key)]
    name: String,
    #[cassmodel(index)]
    city: String,
    #[cassmodel(type = "frozen<address>")]
    home: Option<Address>,
}

async fn columns(db: &Db, keyspace: &str, table: &str) -> Result<Vec<String>, SchemaError> {
    let live = db.live_schema(keyspace).await?;
    let mut names: Vec<String> = live
        .iter()
        .flat_map(|s| s.tables.iter())
        .filter(|t| &*t.name == table)
        .flat_map(|t| t.columns.iter().map(|c| c.name.to_string()))
        .collect();
    names.sort();
    Ok(names)
}

fn described(steps: &[&Step]) -> Vec<String> {
    steps.iter().map(|s| s.describe()).collect()
}

/// The row `person(name)` inserted reads back unchanged through the first model.
async fn assert_kept(db: &Db, name: &str) -> TestResult {
    let row = db.get::<PersonV1>(&(name.to_owned(),)).await?;
    assert_eq!(row, Some(person(name)));
    Ok(())
}

fn person(name: &str) -> PersonV1 {
    PersonV1 {
        name: name.to_owned(),
        city: "paris".to_owned(),
        age: 41,
        home: Some(Address {
            street: "rue x".to_owned(),
            zip: 75001,
        }),
    }
}

#[tokio::test]
async fn fresh_sync_creates_everything_and_a_second_run_is_a_no_op() -> TestResult {
    let db = db("sync_fresh").await?;
    let report = db.sync::<PersonV1>().await?;
    assert!(!report.is_up_to_date());
    let created = described(&report.plan.to_apply());
    assert_eq!(
        created,
        [
            "create type address",
            "create table people",
            "create index people_city_idx on people (city)",
            "create table people_by_city",
        ],
        "{created:?}"
    );
    let live = db.live_schema("sync_fresh").await?.ok_or("no keyspace")?;
    assert!(live.types.iter().any(|t| &*t.name == "address"));
    let people = live
        .tables
        .iter()
        .find(|t| &*t.name == "people")
        .ok_or("no people")?;
    assert_eq!(people.indexes.len(), 1);
    let by_city = live
        .tables
        .iter()
        .find(|t| &*t.name == "people_by_city")
        .ok_or("no query table")?;
    let key: Vec<&str> = by_city.primary_key().iter().map(|c| &*c.name).collect();
    assert_eq!(key, ["city", "name"], "the base key keeps one copy per row");

    db.insert(&person("ann")).await?;
    let again = db.sync::<PersonV1>().await?;
    assert!(again.is_up_to_date(), "{:?}", again.plan);
    assert_eq!(again.applied, 0);
    assert!(again.skipped_drops().is_empty());
    assert_kept(&db, "ann").await?;
    Ok(())
}

#[tokio::test]
async fn added_field_is_added_and_old_rows_are_kept() -> TestResult {
    let db = db("sync_added").await?;
    db.sync::<PersonV1>().await?;
    db.insert(&person("bob")).await?;
    let report = db.sync::<PersonV2>().await?;
    let applied = described(&report.plan.to_apply());
    assert_eq!(
        applied,
        [
            "add column people.email text",
            "add column people_by_city.email text"
        ]
    );
    assert_eq!(report.applied, 2);
    let row = db
        .get::<PersonV2>(&("bob".to_owned(),))
        .await?
        .ok_or("row lost")?;
    assert_eq!((row.age, row.email), (41, None));
    assert!(db.sync::<PersonV2>().await?.is_up_to_date());
    Ok(())
}

#[tokio::test]
async fn changed_type_is_refused_and_nothing_is_applied() -> TestResult {
    let db = db("sync_retyped").await?;
    db.sync::<PersonV1>().await?;
    let before = db.live_schema("sync_retyped").await?;
    match db.sync::<PersonRetyped>().await {
        Err(SchemaError::Refused { plan }) => {
            let refused: Vec<_> = plan
                .steps
                .iter()
                .filter(|s| matches!(s.status, Status::Refused { .. }))
                .collect();
            assert!(
                refused.iter().any(|s| matches!(
                    &s.action,
                    Action::ChangeColumnType { table, column, .. }
                        if &**table == "people" && &**column == "age"
                )),
                "{refused:?}"
            );
            let message = SchemaError::Refused { plan }.to_string();
            assert!(
                message.contains("change type of people.age from int to text"),
                "{message}"
            );
            assert!(message.contains("safe path"), "{message}");
            assert!(message.contains("nothing was applied"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(db.live_schema("sync_retyped").await?, before);
    assert!(
        !columns(&db, "sync_retyped", "people")
            .await?
            .contains(&"nickname".to_owned())
    );
    Ok(())
}

#[tokio::test]
async fn removed_field_is_reported_not_dropped() -> TestResult {
    let db = db("sync_removed").await?;
    db.sync::<PersonV1>().await?;
    db.insert(&person("cy")).await?;
    let report = db.sync::<PersonWithoutAge>().await?;
    assert!(report.is_up_to_date(), "{:?}", report.plan);
    let drops = described(&report.skipped_drops());
    assert_eq!(
        drops,
        [
            "drop column people.age int",
            "drop column people_by_city.age int"
        ]
    );
    assert!(
        columns(&db, "sync_removed", "people")
            .await?
            .contains(&"age".to_owned())
    );
    // The data is still there for the model that has the column.
    assert_kept(&db, "cy").await?;
    Ok(())
}

#[tokio::test]
async fn plan_from_code_changes_nothing_and_apply_plan_runs_it() -> TestResult {
    let mut db = db("sync_plan").await?;
    let plan = db.sync_plan::<PersonV1>().await?;
    assert!(!plan.to_apply().is_empty());
    assert!(columns(&db, "sync_plan", "people").await?.is_empty());
    let mut seen = Vec::new();
    let ran = db
        .apply_plan(&plan, |i, total, step| {
            seen.push((i, total, step.describe()))
        })
        .await?;
    assert_eq!(ran, plan.to_apply().len());
    assert_eq!(seen.len(), ran);
    assert_eq!(seen.first().map(|s| (s.0, s.1)), Some((1, ran)));
    assert!(db.sync_plan::<PersonV1>().await?.is_up_to_date());
    Ok(())
}
