//! Cascades of a query's `delete()`, on `memory:` (or `CASSMODEL_TEST_URL`): off by default
//! (rows of other models that reference a deleted row stay), and when asked for with
//! `.cascade(..)`, exactly the dependents of the deleted rows go with them.

use cassmodel::prelude::*;
use cassmodel::query::{Cascade, Query};

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "qc_users")]
struct User {
    #[cassmodel(partition_key)]
    username: String,
    #[cassmodel(index = "qc_users_by_country")]
    country: String,
    age: i32,
}

/// A user's timeline: one partition per user.
#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "qc_userline")]
struct Userline {
    #[cassmodel(partition_key)]
    username: String,
    #[cassmodel(clustering_key)]
    seq: i32,
    body: String,
}

/// One row per user.
#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "qc_profiles")]
struct Profile {
    #[cassmodel(partition_key)]
    username: String,
    bio: String,
}

type Boxed = Box<dyn std::error::Error>;

const USERS: i32 = 30;
const POSTS: i32 = 5;

fn name(i: i32) -> String {
    format!("user{i:02}")
}

async fn setup() -> Result<Db, Boxed> {
    let url = std::env::var("CASSMODEL_TEST_URL").unwrap_or_else(|_| "memory:".to_owned());
    let db = Db::connect(&url).await?;
    db.sync::<User>().await?;
    db.sync::<Userline>().await?;
    db.sync::<Profile>().await?;
    for t in ["qc_users", "qc_userline", "qc_profiles"] {
        db.session()
            .get_session()
            .query_unpaged(format!("TRUNCATE {t}"), ())
            .await?;
    }
    for i in 0..USERS {
        db.insert(&User {
            username: name(i),
            country: if i % 2 == 0 { "fr" } else { "de" }.to_owned(),
            age: i,
        })
        .await?;
        db.insert(&Profile {
            username: name(i),
            bio: format!("bio {i}"),
        })
        .await?;
        for seq in 0..POSTS {
            db.insert(&Userline {
                username: name(i),
                seq,
                body: format!("post {seq}"),
            })
            .await?;
        }
    }
    Ok(db)
}

/// French users aged 10 or more: the index serves `country`, the age is a residual.
fn doomed() -> Query<User> {
    User::query().filter_with(|c| c.country.eq("fr") & c.age.gte(10))
}

fn is_doomed(i: i32) -> bool {
    i % 2 == 0 && i >= 10
}

async fn names<M: Model>(db: &Db, name_of: impl Fn(&M) -> String) -> Result<Vec<String>, Boxed> {
    let mut out: Vec<String> = Query::<M>::new()
        .allow_full_scan()
        .all(db)
        .await?
        .iter()
        .map(name_of)
        .collect();
    out.sort();
    Ok(out)
}

#[tokio::test]
async fn without_cascade_other_models_are_untouched() -> Result<(), Boxed> {
    let db = setup().await?;
    let deleted = doomed().delete(&db).await?;
    assert_eq!(deleted, (0..USERS).filter(|&i| is_doomed(i)).count() as u64);
    let users = names::<User>(&db, |u| u.username.clone()).await?;
    let expected: Vec<String> = (0..USERS).filter(|&i| !is_doomed(i)).map(name).collect();
    assert_eq!(users, expected);
    assert_eq!(
        names::<Userline>(&db, |u| u.username.clone()).await?.len(),
        (USERS * POSTS) as usize
    );
    assert_eq!(
        names::<Profile>(&db, |p| p.username.clone()).await?.len(),
        USERS as usize
    );
    Ok(())
}

#[tokio::test]
async fn cascade_deletes_exactly_the_dependents_of_deleted_rows() -> Result<(), Boxed> {
    let db = setup().await?;
    let deleted = doomed()
        .delete(&db)
        .cascade(Cascade::partitions::<Userline>(|u: &User| {
            (u.username.clone(),)
        }))
        .cascade(Cascade::rows::<Profile>(|u: &User| (u.username.clone(),)))
        .await?;
    let survivors: Vec<String> = (0..USERS).filter(|&i| !is_doomed(i)).map(name).collect();
    assert_eq!(deleted as usize, USERS as usize - survivors.len());
    assert_eq!(names::<User>(&db, |u| u.username.clone()).await?, survivors);
    assert_eq!(
        names::<Profile>(&db, |p| p.username.clone()).await?,
        survivors
    );
    let lines = names::<Userline>(&db, |u| u.username.clone()).await?;
    let expected: Vec<String> = survivors
        .iter()
        .flat_map(|n| std::iter::repeat_n(n.clone(), POSTS as usize))
        .collect();
    assert_eq!(lines, expected);
    Ok(())
}

#[test]
fn cascade_names_its_target() {
    let c = Cascade::partitions::<Userline>(|u: &User| (u.username.clone(),));
    assert_eq!(c.table(), "qc_userline");
    assert_eq!(format!("{c:?}"), "Cascade(partition of `qc_userline`)");
}
