//! Lightweight transactions report `[applied]` and the existing row; TTLs expire.

use cassmodel::prelude::*;
use cassmodel::write::InsertOutcome;
use cassmodel::{Error, WriteError};
use cassmodel_tests::db_with;
use std::time::Duration;

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "accounts")]
struct Account {
    #[cassmodel(partition_key)]
    login: String,
    owner: String,
}

fn account(login: &str, owner: &str) -> Account {
    Account {
        login: login.to_owned(),
        owner: owner.to_owned(),
    }
}

#[tokio::test]
async fn insert_if_not_exists_reports_applied_then_the_existing_row() -> Result<(), Error> {
    let db = db_with::<Account>().await?;
    let first = account("ada", "Ada Lovelace");
    assert_eq!(
        first.insert_if_not_exists(&db).await?,
        InsertOutcome::Inserted
    );
    let second = account("ada", "Someone Else");
    match second.insert_if_not_exists(&db).await? {
        InsertOutcome::Exists(existing) => assert_eq!(existing, first),
        InsertOutcome::Inserted => panic!("second insert applied"),
    }
    assert_eq!(db.get::<Account>(&("ada".to_owned(),)).await?, Some(first));
    Ok(())
}

#[tokio::test]
async fn conditional_insert_refuses_a_client_timestamp() -> Result<(), Error> {
    let db = db_with::<Account>().await?;
    let options = WriteOptions::new().timestamp(5);
    let result = cassmodel::write::insert_if_not_exists(&db, &account("x", "y"), &options).await;
    assert!(
        matches!(result, Err(WriteError::BadOption(_))),
        "{result:?}"
    );
    Ok(())
}

#[tokio::test]
async fn ttl_expires() -> Result<(), Error> {
    let db = db_with::<Account>().await?;
    // Cassandra TTLs are whole seconds counted from the write's second: a 2 s TTL keeps
    // the row for at least one full second (enough for the read below on a loaded
    // machine; a 1 s TTL may expire a millisecond after the write) and at most two.
    let short = WriteOptions::new().ttl(Duration::from_secs(2));
    account("temp", "t").insert_with(&db, &short).await?;
    account("kept", "k").insert(&db).await?;
    let temp = ("temp".to_owned(),);
    assert!(Account::get(&db, &temp).await?.is_some());
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(Account::get(&db, &temp).await?, None);
    assert!(Account::get(&db, &("kept".to_owned(),)).await?.is_some());
    Ok(())
}

#[tokio::test]
async fn invalid_ttl_is_refused_before_sending() -> Result<(), Error> {
    let db = db_with::<Account>().await?;
    let result = account("a", "b")
        .insert_with(&db, &WriteOptions::new().ttl(Duration::from_millis(500)))
        .await;
    assert!(
        matches!(result, Err(WriteError::BadTtl { .. })),
        "{result:?}"
    );
    Ok(())
}
