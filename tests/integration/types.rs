//! Every supported type round-trips through the server unchanged, including nulls, empty
//! collections' absence, extremes and unicode.

use cassmodel::Error;
use cassmodel::prelude::*;
use cassmodel::types::{CqlDate, CqlDuration, CqlTime, CqlTimestamp, TimeUuid, Uuid, timeuuid_now};
use cassmodel_tests::db_with;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(UserType, Debug, Clone, PartialEq)]
#[cassmodel(name = "address")]
struct Address {
    street: String,
    zip: Option<i32>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "all_types")]
struct AllTypes {
    #[cassmodel(partition_key)]
    id: Uuid,
    text: String,
    #[cassmodel(type = "ascii")]
    ascii: String,
    tiny: i8,
    small: i16,
    int: i32,
    big: i64,
    float: f32,
    double: f64,
    flag: bool,
    tid: TimeUuid,
    at: CqlTimestamp,
    day: CqlDate,
    time: CqlTime,
    span: CqlDuration,
    ip: IpAddr,
    bytes: Vec<u8>,
    list: Vec<String>,
    set: BTreeSet<i32>,
    hset: HashSet<String>,
    map: BTreeMap<String, i64>,
    hmap: HashMap<i32, String>,
    pair: (i32, String),
    #[cassmodel(type = "frozen<address>")]
    home: Address,
    #[cassmodel(type = "list<frozen<address>>")]
    others: Vec<Address>,
    maybe: Option<i32>,
}

fn sample(id: Uuid) -> AllTypes {
    AllTypes {
        id,
        text: "héllo — 世界 🌍".to_owned(),
        ascii: "plain ascii".to_owned(),
        tiny: i8::MIN,
        small: i16::MAX,
        int: -42,
        big: i64::MAX,
        float: 1.5,
        double: -2.25e300,
        flag: true,
        tid: timeuuid_now(),
        at: CqlTimestamp(1_700_000_000_123),
        day: CqlDate((1u32 << 31) + 19_000),
        time: CqlTime(13 * 3_600_000_000_000 + 5),
        // Cassandra refuses a duration whose parts differ in sign (DurationSerializer).
        span: CqlDuration {
            months: -1,
            days: -2,
            nanoseconds: -3_000_000_000,
        },
        ip: IpAddr::V6(Ipv6Addr::LOCALHOST),
        bytes: vec![0, 1, 2, 255],
        list: vec!["b".to_owned(), "a".to_owned(), "b".to_owned()],
        set: [3, 1, 2].into_iter().collect(),
        hset: ["x".to_owned(), "ÿ".to_owned()].into_iter().collect(),
        map: [("k1".to_owned(), 1), ("κ2".to_owned(), -1)]
            .into_iter()
            .collect(),
        hmap: [(7, "seven".to_owned())].into_iter().collect(),
        pair: (9, "nine".to_owned()),
        home: Address {
            street: "Rue de l'Église".to_owned(),
            zip: Some(75001),
        },
        others: vec![Address {
            street: "Main St".to_owned(),
            zip: None,
        }],
        maybe: None,
    }
}

#[tokio::test]
async fn every_type_round_trips() -> Result<(), Error> {
    let db = db_with::<AllTypes>().await?;
    let row = sample(Uuid::new_v4());
    db.insert(&row).await?;
    assert_eq!(db.get::<AllTypes>(&(row.id,)).await?, Some(row.clone()));

    let other = AllTypes {
        ip: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
        maybe: Some(i32::MIN),
        text: String::new(),
        bytes: Vec::new(),
        ..sample(Uuid::new_v4())
    };
    db.insert(&other).await?;
    assert_eq!(db.get::<AllTypes>(&(other.id,)).await?, Some(other));
    Ok(())
}
