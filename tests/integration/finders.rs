//! Finders return exactly the right rows, in clustering order: partitions, slices (bounds,
//! reverse, limit), secondary indexes, and paging over thousands of rows.

use cassmodel::prelude::*;
use cassmodel::{Error, ReadError};
use cassmodel_tests::db_with;

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "readings")]
struct Reading {
    #[cassmodel(partition_key)]
    sensor: String,
    #[cassmodel(partition_key)]
    day: i32,
    #[cassmodel(clustering_key)]
    hour: i32,
    #[cassmodel(clustering_key, order = "desc")]
    minute: i32,
    #[cassmodel(index)]
    kind: String,
    value: f64,
}

fn reading(sensor: &str, day: i32, hour: i32, minute: i32) -> Reading {
    Reading {
        sensor: sensor.to_owned(),
        day,
        hour,
        minute,
        kind: if minute % 2 == 0 { "even" } else { "odd" }.to_owned(),
        value: f64::from(hour * 60 + minute) / 10.0,
    }
}

/// Two sensors, two days, 3 hours × 4 minutes each.
async fn seed(db: &Db) -> Result<(), Error> {
    for sensor in ["s1", "s2"] {
        for day in [1, 2] {
            for hour in 0..3 {
                for minute in [0, 15, 30, 45] {
                    db.insert(&reading(sensor, day, hour, minute)).await?;
                }
            }
        }
    }
    Ok(())
}

/// The partition's rows in table order: hour ascending, then minute descending.
fn expected(sensor: &str, day: i32, keep: impl Fn(i32, i32) -> bool) -> Vec<Reading> {
    let mut rows = Vec::new();
    for hour in 0..3 {
        for minute in [45, 30, 15, 0] {
            if keep(hour, minute) {
                rows.push(reading(sensor, day, hour, minute));
            }
        }
    }
    rows
}

#[tokio::test]
async fn partition_rows_in_clustering_order_and_nothing_else() -> Result<(), Error> {
    let db = db_with::<Reading>().await?;
    seed(&db).await?;
    let key = ("s1".to_owned(), 2);
    let rows: Vec<Reading> = Reading::find_by_partition(&db, &key).try_collect().await?;
    assert_eq!(rows, expected("s1", 2, |_, _| true));
    let none: Vec<Reading> = Reading::find_by_partition(&db, &("s3".to_owned(), 1))
        .try_collect()
        .await?;
    assert!(none.is_empty());
    Ok(())
}

#[tokio::test]
async fn get_by_full_key() -> Result<(), Error> {
    let db = db_with::<Reading>().await?;
    seed(&db).await?;
    let key = ("s2".to_owned(), 1, 2, 30);
    assert_eq!(
        Reading::get(&db, &key).await?,
        Some(reading("s2", 1, 2, 30))
    );
    assert_eq!(Reading::get(&db, &("s2".to_owned(), 1, 2, 31)).await?, None);
    Ok(())
}

#[tokio::test]
async fn slices_with_bounds_reverse_and_limit() -> Result<(), Error> {
    let db = db_with::<Reading>().await?;
    seed(&db).await?;
    let key = ("s1".to_owned(), 1);

    let hours: Vec<Reading> = Reading::slice(&db, &key)
        .gte(&1)
        .stream()
        .try_collect()
        .await?;
    assert_eq!(hours, expected("s1", 1, |h, _| h >= 1));

    let within: Vec<Reading> = Reading::slice(&db, &key)
        .eq(&1)
        .gt(&0)
        .lte(&30)
        .stream()
        .try_collect()
        .await?;
    assert_eq!(within, expected("s1", 1, |h, m| h == 1 && m > 0 && m <= 30));

    let reversed: Vec<Reading> = Reading::slice(&db, &key)
        .reverse()
        .stream()
        .try_collect()
        .await?;
    let mut all = expected("s1", 1, |_, _| true);
    all.reverse();
    assert_eq!(reversed, all);

    let first3: Vec<Reading> = Reading::slice(&db, &key)
        .lt(&2)
        .limit(3)
        .stream()
        .try_collect()
        .await?;
    assert_eq!(first3, expected("s1", 1, |h, _| h < 2)[..3].to_vec());
    Ok(())
}

#[tokio::test]
async fn slice_naming_too_many_columns_is_an_error() -> Result<(), Error> {
    let db = db_with::<Reading>().await?;
    let key = ("s1".to_owned(), 1);
    let result: Result<Vec<Reading>, ReadError> = Reading::slice(&db, &key)
        .eq(&1)
        .eq(&2)
        .gt(&3)
        .stream()
        .try_collect()
        .await;
    assert!(
        matches!(result, Err(ReadError::BadSlice { .. })),
        "{result:?}"
    );
    Ok(())
}

#[tokio::test]
async fn index_lookup_returns_exactly_the_matching_rows() -> Result<(), Error> {
    let db = db_with::<Reading>().await?;
    seed(&db).await?;
    let mut rows: Vec<Reading> = Reading::find_by_index(&db, "kind", "odd")
        .try_collect()
        .await?;
    rows.sort_by_key(|r| (r.sensor.clone(), r.day, r.hour, r.minute));
    let mut want = Vec::new();
    for sensor in ["s1", "s2"] {
        for day in [1, 2] {
            for hour in 0..3 {
                for minute in [15, 45] {
                    want.push(reading(sensor, day, hour, minute));
                }
            }
        }
    }
    assert_eq!(rows, want);
    let unindexed: Result<Vec<Reading>, ReadError> = Reading::find_by_index(&db, "value", &1.0)
        .try_collect()
        .await;
    assert!(
        matches!(unindexed, Err(ReadError::NotIndexed { .. })),
        "{unindexed:?}"
    );
    Ok(())
}

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "events")]
struct Event {
    #[cassmodel(partition_key)]
    stream: String,
    #[cassmodel(clustering_key)]
    seq: i32,
    payload: String,
}

#[tokio::test]
async fn paging_over_thousands_of_rows() -> Result<(), Error> {
    let db = db_with::<Event>().await?;
    let rows: Vec<Event> = (0..3000)
        .map(|seq| Event {
            stream: "big".to_owned(),
            seq,
            payload: format!("event {seq}"),
        })
        .collect();
    let mut batch = db.batch().unlogged().chunked(200);
    for row in &rows {
        batch = batch.insert(row);
    }
    batch.execute().await?;
    // A page size far below the row count: several pages must be fetched and stitched.
    let key = ("big".to_owned(),);
    let mut stream = cassmodel::read::find_by_partition::<Event, _>(
        &db,
        &key,
        ReadOptions::new().page_size(128),
    );
    let mut seen = 0;
    while let Some(row) = stream.next().await {
        let row = row?;
        assert_eq!(row, rows[seen]);
        seen += 1;
    }
    assert_eq!(seen, 3000);
    Ok(())
}
