//! Markers inside `token(...)` in a prepared WHERE clause: a driver reads their types
//! from the PREPARE result and encodes the bound key values with them, so they must be
//! typed like the partition-key columns (`TokenFct`'s arguments), not as the bigint a
//! bare `token(k) > ?` marker takes.
#![allow(clippy::unwrap_used)]

mod driver_common;

use cassmodel_embedded::server::StorageLocation;
use driver_common::*;
use scylla::frame::response::result::{ColumnType, NativeType};
use scylla::value::Row;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_of_markers_takes_the_partition_key_types() {
    let server = start(StorageLocation::Memory).await;
    let s = session(&server).await;
    with_keyspace(&s, "tok").await;
    s.query_unpaged(
        "CREATE TABLE shelves (aisle int, bay text, slot int, PRIMARY KEY ((aisle, bay), slot))",
        &[],
    )
    .await
    .unwrap();
    for (aisle, bay) in [(1, "n"), (2, "s"), (3, "e")] {
        s.query_unpaged(
            "INSERT INTO shelves (aisle, bay, slot) VALUES (?, ?, 0)",
            (aisle, bay),
        )
        .await
        .unwrap();
    }
    let after = s
        .prepare("SELECT aisle FROM shelves WHERE token(aisle, bay) > token(?, ?)")
        .await
        .unwrap();
    let specs: Vec<(String, ColumnType<'_>)> = after
        .get_variable_col_specs()
        .iter()
        .map(|c| (c.name().to_owned(), c.typ().clone()))
        .collect();
    assert_eq!(
        specs,
        [
            (
                "arg0(system.token)".to_owned(),
                ColumnType::Native(NativeType::Int)
            ),
            (
                "arg1(system.token)".to_owned(),
                ColumnType::Native(NativeType::Text)
            ),
        ]
    );
    // Walking the ring from one partition's token visits the partitions after it.
    let rows = s
        .execute_unpaged(&after, (1, "n"))
        .await
        .unwrap()
        .into_rows_result()
        .unwrap();
    let all = s
        .query_unpaged("SELECT aisle, token(aisle, bay) FROM shelves", &[])
        .await
        .unwrap()
        .into_rows_result()
        .unwrap();
    let ring: Vec<(i32, i64)> = all
        .rows::<(i32, i64)>()
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let pos = ring.iter().position(|(a, _)| *a == 1).unwrap();
    let later: Vec<i32> = ring[pos + 1..].iter().map(|(a, _)| *a).collect();
    let got: Vec<i32> = rows
        .rows::<Row>()
        .unwrap()
        .map(|r| r.unwrap().columns[0].as_ref().unwrap().as_int().unwrap())
        .collect();
    assert_eq!(got, later);

    // A bare marker compared with the token stays a bigint.
    let bare = s
        .prepare("SELECT aisle FROM shelves WHERE token(aisle, bay) > ?")
        .await
        .unwrap();
    let spec = &bare
        .get_variable_col_specs()
        .iter()
        .next()
        .unwrap()
        .typ()
        .clone();
    assert_eq!(spec, &ColumnType::Native(NativeType::BigInt));
    server.shutdown().await;
}
