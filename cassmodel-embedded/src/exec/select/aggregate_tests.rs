//! Tests of the aggregates' arithmetic and of the folding of rows into groups.

#![allow(clippy::unwrap_used)]

use cassmodel_store::ColumnId;
use num_bigint::BigInt;

use super::aggregate::*;
use super::plan::Sel;
use crate::exec::row::{ColValue, CqlRow};
use crate::schema::{ClusteringOrder, ColumnKind, ColumnMeta};
use crate::types::CqlType;

fn row(values: &[Option<Vec<u8>>]) -> CqlRow {
    CqlRow {
        values: values
            .iter()
            .map(|v| ColValue {
                value: v.clone(),
                ..ColValue::default()
            })
            .collect(),
        clustering: Vec::new(),
        static_only: false,
    }
}

fn int(v: i32) -> Option<Vec<u8>> {
    Some(v.to_be_bytes().to_vec())
}

fn columns(types: &[CqlType]) -> Vec<ColumnMeta> {
    (0u32..)
        .zip(types)
        .map(|(i, ty)| ColumnMeta {
            name: format!("c{i}"),
            id: ColumnId(i),
            kind: ColumnKind::Regular,
            position: -1,
            ty: ty.clone(),
            order: ClusteringOrder::None,
        })
        .collect()
}

fn fold(sels: &[Sel], types: &[CqlType], rows: &[(&str, CqlRow)], limit: i64) -> Vec<OutRow> {
    let columns = columns(types);
    let mut g = Groups::new(sels, &columns, limit);
    for (key, r) in rows {
        let plain = || {
            Ok(sels
                .iter()
                .map(|s| match s {
                    Sel::Column(i) => r.values[*i].value.clone(),
                    _ => None,
                })
                .collect())
        };
        if !g.push(key.as_bytes(), r, plain).unwrap() {
            break;
        }
    }
    g.finish(false).unwrap()
}

#[test]
fn groups_keep_the_first_row_and_accumulate_the_rest() {
    let sels = [Sel::Column(0), Sel::CountAll];
    let types = [CqlType::Int, CqlType::Int];
    let rows = [
        ("a", row(&[int(1), None])),
        ("a", row(&[int(2), None])),
        ("b", row(&[int(3), None])),
    ];
    let n = |v: i64| Some(v.to_be_bytes().to_vec());
    assert_eq!(
        fold(&sels, &types, &rows, i64::MAX),
        vec![vec![int(1), n(2)], vec![int(3), n(1)]]
    );
    assert_eq!(fold(&sels, &types, &rows, 1), vec![vec![int(1), n(2)]]);
}

#[test]
fn int_sum_wraps_and_avg_truncates_as_java() {
    let sels = [
        Sel::Aggregate(AggregateFn::Sum, 0),
        Sel::Aggregate(AggregateFn::Avg, 0),
    ];
    let types = [CqlType::Int];
    let rows = [
        ("k", row(&[int(i32::MAX)])),
        ("k", row(&[int(2)])),
        ("k", row(&[None])),
    ];
    // sum wraps in 32 bits; avg sums exactly: (2^31 - 1 + 2) / 2 = 1073741824.
    assert_eq!(
        fold(&sels, &types, &rows, 1),
        vec![vec![int(i32::MIN + 1), int(1_073_741_824)]]
    );
    let neg = [("k", row(&[int(-7)])), ("k", row(&[int(2)]))];
    assert_eq!(fold(&sels[1..], &types, &neg, 1), vec![vec![int(-2)]]);
}

#[test]
fn decimal_avg_rounds_half_even_at_the_dividend_scale() {
    let d = |unscaled: i64, scale: i32| write_decimal(&(BigInt::from(unscaled), scale));
    let sels = [Sel::Aggregate(AggregateFn::Avg, 0)];
    let types = [CqlType::Decimal];
    // avg(1, 2) = 0 + (1-0)/1 = 1; 1 + (2-1)/2 = 1 + 0 (0.5 rounds to even 0) = 1.
    let rows = [("k", row(&[Some(d(1, 0))])), ("k", row(&[Some(d(2, 0))]))];
    assert_eq!(fold(&sels, &types, &rows, 1), vec![vec![Some(d(1, 0))]]);
    // With a scale the quotient keeps it: avg(1.0, 2.0) = 1.5.
    let rows = [("k", row(&[Some(d(10, 1))])), ("k", row(&[Some(d(20, 1))]))];
    assert_eq!(fold(&sels, &types, &rows, 1), vec![vec![Some(d(15, 1))]]);
}

#[test]
fn an_aggregate_over_no_rows_is_one_row_of_zeros_and_nulls() {
    let sels = [
        Sel::CountAll,
        Sel::Aggregate(AggregateFn::Max, 0),
        Sel::Aggregate(AggregateFn::Sum, 0),
        Sel::Column(0),
    ];
    let columns = columns(&[CqlType::Int]);
    let g = Groups::new(&sels, &columns, i64::MAX);
    assert_eq!(
        g.finish(true).unwrap(),
        vec![vec![Some(0i64.to_be_bytes().to_vec()), None, int(0), None]]
    );
}

#[test]
fn sum_and_avg_only_take_numbers() {
    assert!(AggregateFn::Sum.result_type(&CqlType::Text).is_err());
    assert_eq!(
        AggregateFn::Avg.result_type(&CqlType::Counter).unwrap(),
        CqlType::Counter
    );
    assert_eq!(
        AggregateFn::Max.result_type(&CqlType::Text).unwrap(),
        CqlType::Text
    );
    assert!(
        AggregateFn::Min
            .result_type(&CqlType::List(Box::new(CqlType::Int)))
            .is_err()
    );
}
