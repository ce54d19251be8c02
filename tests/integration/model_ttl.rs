//! `#[cassmodel(ttl = N)]`: the client-side default TTL of a model's writes (copies in
//! query tables included); an explicit `WriteOptions::ttl` overrides it.

use cassmodel::prelude::*;
use cassmodel_tests::db;
use std::time::Duration;

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(
    table = "ttl_sessions",
    ttl = 2,
    query_table(name = "ttl_sessions_by_user", partition_key = [user])
)]
struct Session {
    #[cassmodel(partition_key)]
    id: String,
    user: String,
}

fn session(id: &str, user: &str) -> Session {
    Session {
        id: id.to_owned(),
        user: user.to_owned(),
    }
}

#[tokio::test]
async fn rows_expire_after_the_model_ttl_unless_overridden()
-> Result<(), Box<dyn std::error::Error>> {
    assert_eq!(<Session as Model>::DEFAULT_TTL, Some(2));
    let db = db().await?;
    db.sync::<Session>().await?;
    let session_db = db.session().get_session();
    for qt in <Session as Model>::QUERY_TABLES {
        let drop = format!("DROP TABLE IF EXISTS {}", qt.table.name);
        session_db.query_unpaged(drop, ()).await?;
        session_db.query_unpaged(qt.create_table, ()).await?;
    }
    session("short", "ada").insert(&db).await?;
    let long = WriteOptions::new().ttl(Duration::from_secs(3600));
    session("long", "ada").insert_with(&db, &long).await?;
    let ada = "ada".to_owned();
    let copies: Vec<Session> = Session::find_ttl_sessions_by_user(&db, &ada)
        .try_collect()
        .await?;
    assert_eq!(copies.len(), 2);

    // A 2 s TTL lives at least one full second (the copies above are read in time on a
    // loaded machine) and at most two.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    assert!(Session::get(&db, &("short".to_owned(),)).await?.is_none());
    assert_eq!(
        Session::get(&db, &("long".to_owned(),)).await?,
        Some(session("long", "ada"))
    );
    let copies: Vec<Session> = Session::find_ttl_sessions_by_user(&db, &ada)
        .try_collect()
        .await?;
    assert_eq!(copies, [session("long", "ada")]);
    Ok(())
}
