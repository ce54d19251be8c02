//! Query tables (DESIGN §6): every write of a model reaches its copies in one logged
//! batch — inserts, re-inserts and updates that move a copy to another key, deletes of a
//! row and of a partition, `insert_if_not_exists`, `Db::batch` — and a failed batch leaves
//! neither the row nor its copies.

use cassmodel::prelude::*;
use cassmodel::write::InsertOutcome;
use cassmodel::{Error, Model};
// `db_with` creates the tables with `Db::sync`, as an app would: the model's table and
// each query table with the key the derive declares.
use cassmodel_tests::db_with;

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(
    table = "qt_users",
    query_table(name = "qt_users_by_city", partition_key = [city], clustering_key = [age])
)]
struct User {
    #[cassmodel(partition_key)]
    username: String,
    city: String,
    age: i32,
    email: Option<String>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(
    table = "qt_posts",
    query_table(name = "qt_posts_by_author", partition_key = [author]),
    query_table(name = "qt_posts_by_id", partition_key = [id], clustering_key = [blog])
)]
struct Post {
    #[cassmodel(partition_key)]
    blog: String,
    #[cassmodel(clustering_key)]
    id: i32,
    author: String,
}

fn user(name: &str, city: &str, age: i32) -> User {
    User {
        username: name.to_owned(),
        city: city.to_owned(),
        age,
        email: Some(format!("{name}@example.org")),
    }
}

fn post(blog: &str, id: i32, author: &str) -> Post {
    Post {
        blog: blog.to_owned(),
        id,
        author: author.to_owned(),
    }
}

/// Every row of a query table as `(city, age, username)`, by a raw full scan.
async fn user_copies(
    db: &cassmodel::Db,
) -> Result<Vec<(String, i32, String)>, Box<dyn std::error::Error>> {
    let result = db
        .session()
        .get_session()
        .query_unpaged("SELECT city, age, username FROM qt_users_by_city", ())
        .await?
        .into_rows_result()?;
    let mut rows: Vec<(String, i32, String)> = result
        .rows::<(String, i32, String)>()?
        .collect::<Result<_, _>>()?;
    rows.sort();
    Ok(rows)
}

async fn in_city(db: &cassmodel::Db, city: &str) -> Result<Vec<User>, Error> {
    let city = city.to_owned();
    Ok(User::find_qt_users_by_city(db, &city).try_collect().await?)
}

#[tokio::test]
async fn insert_writes_every_copy_and_the_finder_reads_it() -> Result<(), Box<dyn std::error::Error>>
{
    let db = db_with::<User>().await?;
    for u in [
        user("ada", "paris", 36),
        user("bob", "paris", 20),
        user("cy", "rome", 50),
    ] {
        u.insert(&db).await?;
    }
    // The copy's clustering order is `age`, then the model's key.
    let paris = in_city(&db, "paris").await?;
    assert_eq!(paris, [user("bob", "paris", 20), user("ada", "paris", 36)]);
    assert_eq!(in_city(&db, "rome").await?, [user("cy", "rome", 50)]);
    assert!(in_city(&db, "oslo").await?.is_empty());
    assert_eq!(user_copies(&db).await?.len(), 3);
    Ok(())
}

#[tokio::test]
async fn reinsert_with_another_key_moves_the_copy() -> Result<(), Box<dyn std::error::Error>> {
    let db = db_with::<User>().await?;
    user("ada", "paris", 36).insert(&db).await?;
    user("ada", "london", 36).insert(&db).await?;
    // Same key again: the copy is rewritten, not deleted.
    user("ada", "london", 36).insert(&db).await?;
    assert_eq!(
        user_copies(&db).await?,
        [("london".to_owned(), 36, "ada".to_owned())]
    );
    assert_eq!(in_city(&db, "london").await?, [user("ada", "london", 36)]);
    Ok(())
}

#[tokio::test]
async fn update_of_a_key_column_moves_the_copy() -> Result<(), Box<dyn std::error::Error>> {
    let db = db_with::<User>().await?;
    user("ada", "paris", 36).insert(&db).await?;
    let key = ("ada".to_owned(),);
    User::update(&db, &key)
        .set("city", &"london")
        .execute()
        .await?;
    assert!(in_city(&db, "paris").await?.is_empty());
    // The new copy carries the stored values of the columns not set (email, age).
    assert_eq!(in_city(&db, "london").await?, [user("ada", "london", 36)]);
    assert_eq!(User::get(&db, &key).await?, Some(user("ada", "london", 36)));

    // A non-key column: the copy is updated in place.
    let email = Some("new@example.org".to_owned());
    User::update(&db, &key)
        .set("email", &email)
        .execute()
        .await?;
    let copies = in_city(&db, "london").await?;
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0].email, email);

    // Both key columns of the copy at once, the second to its current value.
    User::update(&db, &key)
        .set("city", &"rome")
        .set("age", &36)
        .execute()
        .await?;
    assert_eq!(
        user_copies(&db).await?,
        [("rome".to_owned(), 36, "ada".to_owned())]
    );
    Ok(())
}

#[tokio::test]
async fn update_of_a_missing_row_copies_only_what_is_keyed()
-> Result<(), Box<dyn std::error::Error>> {
    let db = db_with::<User>().await?;
    // No stored row and neither `city` nor `age` known: the copy's key is incomplete, so
    // there is no copy (the row has none either: its key columns are null).
    let key = ("yan".to_owned(),);
    let email = Some("yan@example.org".to_owned());
    User::update(&db, &key)
        .set("email", &email)
        .execute()
        .await?;
    assert!(user_copies(&db).await?.is_empty());
    // No stored row, but the update sets the copy's whole key: the copy is written.
    let key = ("zed".to_owned(),);
    User::update(&db, &key)
        .set("city", &"oslo")
        .set("age", &7)
        .execute()
        .await?;
    assert_eq!(
        user_copies(&db).await?,
        [("oslo".to_owned(), 7, "zed".to_owned())]
    );
    let zed = User {
        email: None,
        ..user("zed", "oslo", 7)
    };
    assert_eq!(in_city(&db, "oslo").await?, std::slice::from_ref(&zed));
    assert_eq!(User::get(&db, &key).await?, Some(zed));
    Ok(())
}

#[tokio::test]
async fn deletes_remove_the_copies() -> Result<(), Box<dyn std::error::Error>> {
    let db = db_with::<User>().await?;
    let (ada, bob) = (user("ada", "paris", 36), user("bob", "paris", 20));
    ada.insert(&db).await?;
    bob.insert(&db).await?;
    ada.delete(&db).await?;
    assert_eq!(in_city(&db, "paris").await?, std::slice::from_ref(&bob));
    User::delete_by_key(&db, &("bob".to_owned(),)).await?;
    assert!(user_copies(&db).await?.is_empty());
    assert!(User::get(&db, &("bob".to_owned(),)).await?.is_none());
    Ok(())
}

#[tokio::test]
async fn delete_partition_removes_the_copies_of_every_row() -> Result<(), Box<dyn std::error::Error>>
{
    let db = db_with::<Post>().await?;
    for p in [
        post("b1", 1, "ann"),
        post("b1", 2, "ann"),
        post("b1", 3, "ben"),
        post("b2", 1, "ann"),
    ] {
        p.insert(&db).await?;
    }
    let ann = "ann".to_owned();
    assert_eq!(
        Post::find_qt_posts_by_author(&db, &ann)
            .try_collect::<Vec<_>>()
            .await?
            .len(),
        3
    );
    Post::delete_partition(&db, &("b1".to_owned(),)).await?;
    let left: Vec<Post> = Post::find_qt_posts_by_author(&db, &ann)
        .try_collect()
        .await?;
    assert_eq!(left, [post("b2", 1, "ann")]);
    let ben = "ben".to_owned();
    assert!(
        Post::find_qt_posts_by_author(&db, &ben)
            .try_collect::<Vec<_>>()
            .await?
            .is_empty()
    );
    // The second query table too: only b2's post 1 is left under id 1.
    let by_id: Vec<Post> = Post::find_qt_posts_by_id(&db, &1).try_collect().await?;
    assert_eq!(by_id, [post("b2", 1, "ann")]);
    Ok(())
}

#[tokio::test]
async fn insert_if_not_exists_copies_only_when_applied() -> Result<(), Box<dyn std::error::Error>> {
    let db = db_with::<User>().await?;
    let ada = user("ada", "paris", 36);
    assert_eq!(
        ada.insert_if_not_exists(&db).await?,
        InsertOutcome::Inserted
    );
    let impostor = user("ada", "berlin", 99);
    assert_eq!(
        impostor.insert_if_not_exists(&db).await?,
        InsertOutcome::Exists(ada.clone())
    );
    assert_eq!(
        user_copies(&db).await?,
        [("paris".to_owned(), 36, "ada".to_owned())]
    );
    Ok(())
}

#[tokio::test]
async fn db_batch_writes_the_copies_too() -> Result<(), Box<dyn std::error::Error>> {
    let db = db_with::<User>().await?;
    let (ada, bob, cy) = (
        user("ada", "paris", 36),
        user("bob", "paris", 20),
        user("cy", "rome", 50),
    );
    ada.insert(&db).await?;
    let moved = user("ada", "oslo", 37);
    let cy_key = ("cy".to_owned(),);
    let city: &(dyn scylla::serialize::value::SerializeValue + Sync) = &"lima";
    let columns = [("city", city)];
    db.batch()
        .insert(&moved)
        .insert(&bob)
        .insert(&cy)
        .execute()
        .await?;
    db.batch()
        .update::<User, _>(&cy_key, &columns)
        .delete_row(&bob)
        .execute()
        .await?;
    assert_eq!(
        user_copies(&db).await?,
        [
            ("lima".to_owned(), 50, "cy".to_owned()),
            ("oslo".to_owned(), 37, "ada".to_owned()),
        ]
    );
    db.batch().delete::<User, _>(&cy_key).execute().await?;
    assert_eq!(in_city(&db, "lima").await?, []);
    Ok(())
}

#[tokio::test]
async fn a_failed_batch_leaves_neither_copy() -> Result<(), Box<dyn std::error::Error>> {
    let db = db_with::<User>().await?;
    let ada = user("ada", "paris", 36);
    ada.insert(&db).await?;
    // Without the query table the batch is refused as a whole: the row is not written
    // (nor changed) in the model's table either.
    db.session()
        .get_session()
        .query_unpaged("DROP TABLE qt_users_by_city", ())
        .await?;
    assert!(user("bob", "rome", 20).insert(&db).await.is_err());
    assert!(User::get(&db, &("bob".to_owned(),)).await?.is_none());
    let key = ("ada".to_owned(),);
    assert!(
        User::update(&db, &key)
            .set("city", &"oslo")
            .execute()
            .await
            .is_err()
    );
    assert!(ada.delete(&db).await.is_err());
    assert_eq!(User::get(&db, &key).await?, Some(ada));
    Ok(())
}

#[tokio::test]
async fn an_oversized_batch_writes_nothing() -> Result<(), Box<dyn std::error::Error>> {
    let db = db_with::<User>().await?;
    // Two copies of a 40 kB value: over Cassandra's 50 KiB batch limit, refused whole.
    let mut big = user("big", "paris", 1);
    big.email = Some("x".repeat(40_000));
    assert!(big.insert(&db).await.is_err());
    assert!(User::get(&db, &("big".to_owned(),)).await?.is_none());
    assert!(user_copies(&db).await?.is_empty());
    Ok(())
}

#[tokio::test]
async fn slices_of_a_query_table_partition() -> Result<(), Box<dyn std::error::Error>> {
    let db = db_with::<User>().await?;
    for (name, age) in [
        ("ada", 36),
        ("bob", 20),
        ("cy", 51),
        ("dan", 44),
        ("eve", 29),
    ] {
        user(name, "paris", age).insert(&db).await?;
    }
    user("fay", "rome", 30).insert(&db).await?;
    let paris = "paris".to_owned();
    let names = |rows: Vec<User>| rows.into_iter().map(|u| u.username).collect::<Vec<_>>();

    let range: Vec<User> = User::slice_qt_users_by_city(&db, &paris)
        .gte(&29)
        .lt(&44)
        .stream()
        .try_collect()
        .await?;
    assert_eq!(names(range), ["eve", "ada"]);

    let oldest_two: Vec<User> = User::slice_qt_users_by_city(&db, &paris)
        .gt(&20)
        .reverse()
        .limit(2)
        .stream()
        .try_collect()
        .await?;
    assert_eq!(names(oldest_two), ["cy", "dan"]);

    // Equality on the first clustering column (age), then the appended base key.
    let exact: Vec<User> = User::slice_qt_users_by_city(&db, &paris)
        .eq(&36)
        .stream()
        .try_collect()
        .await?;
    assert_eq!(names(exact), ["ada"]);

    // Too many clustering restrictions for the query table: an error, not a wrong query.
    let too_many: Result<Vec<User>, _> = User::slice_qt_users_by_city(&db, &paris)
        .eq(&36)
        .eq(&"ada")
        .gt(&1)
        .stream()
        .try_collect()
        .await;
    assert!(
        matches!(too_many, Err(cassmodel::ReadError::BadSlice { .. })),
        "{too_many:?}"
    );
    Ok(())
}

#[tokio::test]
async fn slice_of_a_query_table_without_clustering_columns_of_its_own()
-> Result<(), Box<dyn std::error::Error>> {
    let db = db_with::<Post>().await?;
    for id in 1..=5 {
        post("b1", id, "ann").insert(&db).await?;
    }
    post("b2", 9, "ann").insert(&db).await?;
    let ann = "ann".to_owned();
    // qt_posts_by_author clusters by the base key (blog, id), appended.
    let b1_after_2: Vec<Post> = Post::slice_qt_posts_by_author(&db, &ann)
        .eq(&"b1")
        .gt(&2)
        .limit(2)
        .stream()
        .try_collect()
        .await?;
    assert_eq!(b1_after_2, [post("b1", 3, "ann"), post("b1", 4, "ann")]);
    let last: Vec<Post> = Post::slice_qt_posts_by_author(&db, &ann)
        .reverse()
        .limit(1)
        .stream()
        .try_collect()
        .await?;
    assert_eq!(last, [post("b2", 9, "ann")]);
    Ok(())
}
