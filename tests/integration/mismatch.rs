//! A model that disagrees with the live table gets a clear error naming the column and
//! both types, never garbage; missing tables and keyspaces say what to run.

use cassmodel::prelude::*;
use cassmodel::{Error, ReadError, RequestError, WriteError};
use cassmodel_tests::db;

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "people")]
struct Person {
    #[cassmodel(partition_key)]
    name: String,
    age: i32,
}

async fn raw(db: &Db, cql: &str) -> Result<(), Box<dyn std::error::Error>> {
    db.session().get_session().query_unpaged(cql, ()).await?;
    Ok(())
}

#[tokio::test]
async fn type_mismatch_with_live_table_is_explained() -> Result<(), Box<dyn std::error::Error>> {
    let db = db().await?;
    raw(&db, "CREATE TABLE people (name text PRIMARY KEY, age text)").await?;
    raw(&db, "INSERT INTO people (name, age) VALUES ('ada', 'old')").await?;

    let read = Person::get(&db, &("ada".to_owned(),)).await;
    match read {
        Err(ReadError::Request(RequestError::TypeMismatch { message, .. })) => {
            assert!(message.contains("age"), "{message}");
            assert!(message.contains("text"), "{message}");
        }
        other => panic!("expected a type mismatch, got {other:?}"),
    }

    let write = Person {
        name: "bob".to_owned(),
        age: 3,
    }
    .insert(&db)
    .await;
    match write {
        Err(WriteError::Request(RequestError::TypeMismatch { message, .. })) => {
            assert!(message.contains("age"), "{message}");
        }
        other => panic!("expected a type mismatch, got {other:?}"),
    }
    Ok(())
}

#[tokio::test]
async fn missing_table_says_to_migrate() -> Result<(), Error> {
    let db = db().await?;
    let read = Person::get(&db, &("ada".to_owned(),)).await;
    match read {
        Err(ReadError::Request(e @ RequestError::TableMissing { .. })) => {
            assert!(e.to_string().contains("cassmodel migrate"), "{e}");
        }
        other => panic!("expected TableMissing, got {other:?}"),
    }
    Ok(())
}
