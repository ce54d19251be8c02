//! Insert, get, update, delete and batches on a simple model.

use cassmodel::{Error, Model, WriteOptions};
use cassmodel_tests::db_with;
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "users")]
struct User {
    #[cassmodel(partition_key)]
    name: String,
    age: i32,
    email: Option<String>,
}

fn user(name: &str, age: i32) -> User {
    User {
        name: name.to_owned(),
        age,
        email: Some(format!("{name}@example.com")),
    }
}

#[tokio::test]
async fn insert_then_get() -> Result<(), Error> {
    let db = db_with::<User>().await?;
    db.insert(&user("ada", 36)).await?;
    assert_eq!(
        db.get::<User>(&("ada".to_owned(),)).await?,
        Some(user("ada", 36))
    );
    assert_eq!(db.get::<User>(&("bob".to_owned(),)).await?, None);
    Ok(())
}

#[tokio::test]
async fn null_column_round_trips_as_none() -> Result<(), Error> {
    let db = db_with::<User>().await?;
    let row = User {
        email: None,
        ..user("nil", 1)
    };
    db.insert(&row).await?;
    assert_eq!(db.get::<User>(&("nil".to_owned(),)).await?, Some(row));
    Ok(())
}

#[tokio::test]
async fn later_write_wins_and_update_changes_only_named_columns() -> Result<(), Error> {
    let db = db_with::<User>().await?;
    db.insert(&user("ada", 36)).await?;
    db.insert(&user("ada", 37)).await?;
    let key = ("ada".to_owned(),);
    assert_eq!(db.get::<User>(&key).await?.map(|u| u.age), Some(37));
    db.update::<User>(&key).set("age", &40).execute().await?;
    assert_eq!(
        db.get::<User>(&key).await?,
        Some(User {
            age: 40,
            ..user("ada", 0)
        })
    );
    Ok(())
}

#[tokio::test]
async fn update_of_key_or_unknown_column_is_refused() -> Result<(), Error> {
    let db = db_with::<User>().await?;
    let key = ("ada".to_owned(),);
    let err = db.update::<User>(&key).set("name", &"x").execute().await;
    assert!(
        err.as_ref()
            .is_err_and(|e| e.to_string().contains("primary key")),
        "{err:?}"
    );
    let err = db.update::<User>(&key).set("agee", &1).execute().await;
    assert!(
        err.as_ref()
            .is_err_and(|e| e.to_string().contains("no such column")),
        "{err:?}"
    );
    Ok(())
}

#[tokio::test]
async fn delete_removes_the_row() -> Result<(), Error> {
    let db = db_with::<User>().await?;
    db.insert(&user("ada", 36)).await?;
    db.insert(&user("bob", 20)).await?;
    db.delete::<User>(&("ada".to_owned(),)).await?;
    db.delete_row(&user("bob", 0)).await?;
    assert_eq!(db.get::<User>(&("ada".to_owned(),)).await?, None);
    assert_eq!(db.get::<User>(&("bob".to_owned(),)).await?, None);
    Ok(())
}

#[tokio::test]
async fn explicit_older_timestamp_loses() -> Result<(), Error> {
    let db = db_with::<User>().await?;
    db.insert(&user("ada", 36)).await?;
    let old = WriteOptions::new().timestamp(1_000);
    db.insert_with(&user("ada", 99), &old).await?;
    assert_eq!(
        db.get::<User>(&("ada".to_owned(),)).await?.map(|u| u.age),
        Some(36)
    );
    Ok(())
}

#[tokio::test]
async fn writes_in_quick_succession_apply_in_call_order() -> Result<(), Error> {
    // Inserts without options leave their timestamp to the request, deletes and updates
    // bind one: both must come from the Db's one clock, or a write could tie with (a delete
    // wins a tie) or fall behind the one before it.
    let db = db_with::<User>().await?;
    let key = ("quick".to_owned(),);
    // Push the Db's clock well ahead of the wall clock (each call is at least one µs past
    // the last): a write stamped by any other clock, such as the server's, would then
    // fall behind the delete before it and the row would be missing.
    for _ in 0..500_000 {
        db.next_timestamp();
    }
    for i in 0..200 {
        db.insert(&user("quick", i)).await?;
        db.delete::<User>(&key).await?;
        db.insert(&user("quick", i + 1)).await?;
        db.update::<User>(&key)
            .set("age", &(i + 2))
            .execute()
            .await?;
        db.insert(&user("quick", i + 3)).await?;
        assert_eq!(
            db.get::<User>(&key).await?.map(|u| u.age),
            Some(i + 3),
            "round {i}"
        );
    }
    Ok(())
}

#[tokio::test]
async fn batch_groups_writes_and_deletes() -> Result<(), Error> {
    let db = db_with::<User>().await?;
    db.insert(&user("gone", 1)).await?;
    let (a, b) = (user("a", 1), user("b", 2));
    let gone = ("gone".to_owned(),);
    db.batch()
        .insert(&a)
        .insert(&b)
        .delete::<User, _>(&gone)
        .execute()
        .await?;
    assert_eq!(db.get::<User>(&("a".to_owned(),)).await?, Some(a));
    assert_eq!(db.get::<User>(&("b".to_owned(),)).await?, Some(b));
    assert_eq!(db.get::<User>(&gone).await?, None);
    Ok(())
}

#[tokio::test]
async fn chunked_unlogged_batch_writes_everything() -> Result<(), Error> {
    let db = db_with::<User>().await?;
    let users: Vec<User> = (0..250).map(|i| user(&format!("u{i}"), i)).collect();
    let mut batch = db.batch().unlogged().chunked(40);
    for u in &users {
        batch = batch.insert(u);
    }
    assert_eq!(batch.len(), 250);
    batch.execute().await?;
    for u in &users {
        let got: Vec<User> = db
            .find_by_partition::<User>(&(u.name.clone(),))
            .try_collect()
            .await?;
        assert_eq!(got, vec![u.clone()]);
    }
    Ok(())
}
