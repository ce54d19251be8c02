//! Every CQL type round-trips through the unmodified scylla driver, bound as prepared
//! values and written as literals.
#![allow(clippy::unwrap_used)]

mod driver_common;

use std::net::IpAddr;

use cassmodel_embedded::server::StorageLocation;
use driver_common::*;
use scylla::value::{
    CqlDate, CqlDecimal, CqlDuration, CqlTime, CqlTimestamp, CqlTimeuuid, CqlValue, CqlVarint, Row,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_type_round_trips() {
    let server = start(StorageLocation::Memory).await;
    let s = session(&server).await;
    with_keyspace(&s, "types").await;
    s.query_unpaged("CREATE TYPE addr (street text, no int)", &[])
        .await
        .unwrap();
    s.query_unpaged(
        "CREATE TABLE all_types (k int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d date, de decimal, \
         do double, du duration, f float, i inet, s smallint, t text, ti time, ts timestamp, tu timeuuid, \
         ty tinyint, u uuid, vi varint, l list<int>, se set<text>, m map<text, int>, fl frozen<list<int>>, \
         tu2 tuple<int, text>, ad frozen<addr>, an addr)",
        &[],
    )
    .await
    .unwrap();
    let tuuid: uuid::Uuid = "8e2a2a4e-5c1f-11ee-8c99-0242ac120002".parse().unwrap();
    let uuid: uuid::Uuid = "123e4567-e89b-42d3-a456-426614174000".parse().unwrap();
    let udt = |street: &str, no: i32| CqlValue::UserDefinedType {
        keyspace: "types".into(),
        name: "addr".into(),
        fields: vec![
            ("street".into(), Some(CqlValue::Text(street.into()))),
            ("no".into(), Some(CqlValue::Int(no))),
        ],
    };
    let values: Vec<CqlValue> = vec![
        CqlValue::Int(1),
        CqlValue::Ascii("ascii".into()),
        CqlValue::BigInt(-5_000_000_000),
        CqlValue::Blob(vec![0, 1, 254, 255]),
        CqlValue::Boolean(true),
        CqlValue::Date(CqlDate((1 << 31) + 19_000)),
        CqlValue::Decimal(CqlDecimal::from_signed_be_bytes_and_exponent(
            vec![0x30, 0x39],
            2,
        )),
        CqlValue::Double(-1.25e300),
        CqlValue::Duration(CqlDuration {
            months: 1,
            days: 2,
            nanoseconds: 3_000_000_000,
        }),
        CqlValue::Float(3.5),
        CqlValue::Inet("::1".parse::<IpAddr>().unwrap()),
        CqlValue::SmallInt(-300),
        CqlValue::Text("text ü".into()),
        CqlValue::Time(CqlTime(3_600_000_000_123)),
        CqlValue::Timestamp(CqlTimestamp(1_700_000_000_123)),
        CqlValue::Timeuuid(CqlTimeuuid::from(tuuid)),
        CqlValue::TinyInt(-7),
        CqlValue::Uuid(uuid),
        CqlValue::Varint(CqlVarint::from_signed_bytes_be(vec![0xFF, 0x00, 0x01])),
        CqlValue::List(vec![CqlValue::Int(3), CqlValue::Int(1)]),
        CqlValue::Set(vec![CqlValue::Text("a".into()), CqlValue::Text("b".into())]),
        CqlValue::Map(vec![(CqlValue::Text("x".into()), CqlValue::Int(9))]),
        CqlValue::List(vec![CqlValue::Int(5)]),
        CqlValue::Tuple(vec![
            Some(CqlValue::Int(2)),
            Some(CqlValue::Text("two".into())),
        ]),
        udt("main", 1),
        udt("side", 2),
    ];
    let insert = s
        .prepare(
            "INSERT INTO all_types (k, a, b, bl, bo, d, de, do, du, f, i, s, t, ti, ts, tu, ty, u, vi, l, se, m, fl, tu2, ad, an) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .await
        .unwrap();
    s.execute_unpaged(&insert, &values).await.unwrap();
    s.query_unpaged(
        "INSERT INTO all_types (k, a, b, bl, bo, d, de, do, du, f, i, s, t, ti, ts, tu, ty, u, vi, l, se, m, fl, tu2, ad, an) \
         VALUES (2, 'ascii', -5000000000, 0x0001feff, true, '2022-01-08', 123.45, -1.25e300, 1mo2d3s, 3.5, '::1', -300, \
         'text ü', '01:00:00.000000123', 1700000000123, 8e2a2a4e-5c1f-11ee-8c99-0242ac120002, -7, \
         123e4567-e89b-42d3-a456-426614174000, -65535, [3, 1], {'b', 'a'}, {'x': 9}, [5], (2, 'two'), \
         {street: 'main', no: 1}, {street: 'side', no: 2})",
        &[],
    )
    .await
    .unwrap();
    let select = "SELECT k, a, b, bl, bo, d, de, do, du, f, i, s, t, ti, ts, tu, ty, u, vi, l, se, m, fl, tu2, ad, an \
                  FROM all_types WHERE k = ?";
    for k in [1, 2] {
        let row: Row = s
            .query_unpaged(select, (k,))
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .single_row()
            .unwrap();
        let got: Vec<CqlValue> = row.columns.into_iter().map(|c| c.unwrap()).collect();
        let mut want = values.clone();
        want[0] = CqlValue::Int(k);
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(g, w, "row {k} column {i}");
        }
    }
    server.shutdown().await;
}
