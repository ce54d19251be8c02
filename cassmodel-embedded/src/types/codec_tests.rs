//! Tests of the value codec and comparators: round trips (proptest), Cassandra's
//! validation messages, and comparator order against the natural order of the values.

#![expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::cmp::Ordering;
use std::sync::Arc;

use num_bigint::BigInt;
use proptest::prelude::*;
use uuid::Uuid;

use super::value::Duration;
use super::{CqlType, UserType, Value, compare, deserialize, serialize};

fn round_trip(ty: &CqlType, v: &Value) {
    let bytes = serialize(v);
    assert_eq!(&deserialize(ty, &bytes).unwrap(), v, "{ty}");
}

fn err(ty: &CqlType, bytes: &[u8]) -> String {
    deserialize(ty, bytes).unwrap_err().message
}

#[test]
fn validation_messages() {
    assert_eq!(
        err(&CqlType::Int, &[0, 0, 1]),
        "Expected 4 or 0 byte int (3)"
    );
    assert_eq!(
        err(&CqlType::Bigint, &[0; 3]),
        "Expected 8 or 0 byte long (3)"
    );
    assert_eq!(
        err(&CqlType::Smallint, &[]),
        "Expected 2 bytes for a smallint (0)"
    );
    assert_eq!(
        err(&CqlType::Tinyint, &[1, 2]),
        "Expected 1 byte for a tinyint (2)"
    );
    assert_eq!(
        err(&CqlType::Float, &[1]),
        "Expected 4 or 0 byte value for a float (1)"
    );
    assert_eq!(
        err(&CqlType::Date, &[]),
        "Expected 4 byte long for date (0)"
    );
    assert_eq!(
        err(&CqlType::Duration, &[]),
        "Expected at least 3 bytes for a duration (0)"
    );
    assert_eq!(err(&CqlType::Text, &[0xFF]), "String didn't validate.");
    assert_eq!(err(&CqlType::Ascii, &[0xC3]), "Invalid byte for ascii: -61");
    assert_eq!(
        err(&CqlType::Uuid, &[1; 3]),
        "UUID should be 16 or 0 bytes (3)"
    );
    let v4 = Uuid::new_v4();
    assert_eq!(
        err(&CqlType::Timeuuid, v4.as_bytes()),
        "Invalid version for TimeUUID type."
    );
    assert_eq!(
        err(&CqlType::Inet, &[1, 2]),
        "Expected 4 or 16 byte inetaddress; got 0x0102"
    );
    assert_eq!(
        err(&CqlType::Decimal, &[1]),
        "Expected 0 or at least 4 bytes (1)"
    );
    let list = CqlType::List(Box::new(CqlType::Int));
    assert_eq!(err(&list, &[0, 0, 0, 1]), "Not enough bytes to read a list");
    let mut null_elem = 1i32.to_be_bytes().to_vec();
    null_elem.extend_from_slice(&(-1i32).to_be_bytes());
    assert_eq!(
        err(&list, &null_elem),
        "null is not supported inside collections"
    );
    let mut extra = serialize(&Value::List(vec![Value::Int(1)]));
    extra.push(0);
    assert_eq!(
        err(&list, &extra),
        "Unexpected extraneous bytes after list value"
    );
    let mixed = serialize(&Value::Duration(Duration {
        months: 1,
        days: -1,
        nanos: 0,
    }));
    assert!(err(&CqlType::Duration, &mixed).contains("must be all of the same sign"));
}

#[test]
fn empty_values() {
    for ty in [
        CqlType::Int,
        CqlType::Bigint,
        CqlType::Boolean,
        CqlType::Double,
        CqlType::Uuid,
        CqlType::Inet,
        CqlType::Varint,
        CqlType::Decimal,
        CqlType::Timestamp,
    ] {
        assert_eq!(deserialize(&ty, &[]).unwrap(), Value::Empty, "{ty}");
    }
    assert_eq!(
        deserialize(&CqlType::Text, &[]).unwrap(),
        Value::Text(String::new())
    );
    assert_eq!(
        deserialize(&CqlType::Blob, &[]).unwrap(),
        Value::Blob(Vec::new())
    );
    assert_eq!(
        compare(&CqlType::Int, &[], &1i32.to_be_bytes()),
        Ordering::Less
    );
}

#[test]
fn nested_round_trips() {
    let udt = CqlType::Udt(Arc::new(UserType {
        keyspace: "ks".into(),
        name: "addr".into(),
        fields: vec![
            ("street".into(), CqlType::Text),
            ("no".into(), CqlType::Int),
        ],
    }));
    round_trip(
        &udt,
        &Value::Udt(vec![
            ("street".into(), Some(Value::Text("x".into()))),
            ("no".into(), None),
        ]),
    );
    let map = CqlType::Map(
        Box::new(CqlType::Text),
        Box::new(CqlType::List(Box::new(CqlType::Int))),
    );
    round_trip(
        &map,
        &Value::Map(vec![(
            Value::Text("a".into()),
            Value::List(vec![Value::Int(1), Value::Int(-2)]),
        )]),
    );
    let tuple = CqlType::Tuple(vec![CqlType::Int, CqlType::Text, CqlType::Boolean]);
    round_trip(
        &tuple,
        &Value::Tuple(vec![Some(Value::Int(3)), None, Some(Value::Boolean(true))]),
    );
    // Trailing tuple components may be missing.
    let short = serialize(&Value::Tuple(vec![Some(Value::Int(3))]));
    assert_eq!(
        deserialize(&tuple, &short).unwrap(),
        Value::Tuple(vec![Some(Value::Int(3))])
    );
    round_trip(
        &CqlType::Duration,
        &Value::Duration(Duration {
            months: -1,
            days: -2,
            nanos: -3,
        }),
    );
    round_trip(
        &CqlType::Frozen(Box::new(CqlType::Set(Box::new(CqlType::Text)))),
        &Value::Set(vec![Value::Text(String::new())]),
    );
}

#[test]
fn decimal_compares_numerically() {
    let d = |u: i64, s: i32| {
        serialize(&Value::Decimal {
            unscaled: BigInt::from(u),
            scale: s,
        })
    };
    assert_eq!(
        compare(&CqlType::Decimal, &d(10, 1), &d(100, 2)),
        Ordering::Equal
    );
    assert_eq!(
        compare(&CqlType::Decimal, &d(-5, 0), &d(1, 3)),
        Ordering::Less
    );
    assert_eq!(
        compare(&CqlType::Decimal, &d(-5, 0), &d(-50, 0)),
        Ordering::Greater
    );
    assert_eq!(
        compare(&CqlType::Decimal, &d(0, 5), &d(0, -3)),
        Ordering::Equal
    );
    assert_eq!(
        compare(&CqlType::Decimal, &d(1, -1000), &d(9, 0)),
        Ordering::Greater
    );
}

#[test]
fn uuid_orders() {
    // timeuuids order by their timestamp, whatever the node bits.
    let t = |ticks: u64, node: u8| {
        let msb = ((ticks & 0xFFFF_FFFF) << 32)
            | (((ticks >> 32) & 0xFFFF) << 16)
            | ((ticks >> 48) & 0x0FFF)
            | 0x1000;
        let lsb = 0x8000_0000_0000_0000 | (u64::from(node) * 0x0101_0101_0101);
        serialize(&Value::Timeuuid(Uuid::from_u64_pair(msb, lsb)))
    };
    assert_eq!(
        compare(&CqlType::Timeuuid, &t(5, 0xFF), &t(6, 0)),
        Ordering::Less
    );
    assert_eq!(
        compare(&CqlType::Timeuuid, &t(1 << 40, 0), &t(1 << 20, 0xFF)),
        Ordering::Greater
    );
    // uuid: the version comes first.
    let v4 = serialize(&Value::Uuid(Uuid::from_u128(
        0x0000_0000_0000_4000_8000_0000_0000_0000,
    )));
    assert_eq!(compare(&CqlType::Uuid, &t(1 << 50, 0), &v4), Ordering::Less);
}

#[test]
fn collection_and_tuple_orders() {
    let list = CqlType::Frozen(Box::new(CqlType::List(Box::new(CqlType::Int))));
    let l = |v: &[i32]| serialize(&Value::List(v.iter().map(|x| Value::Int(*x)).collect()));
    assert_eq!(compare(&list, &l(&[1, 2]), &l(&[1, 2, 0])), Ordering::Less);
    assert_eq!(compare(&list, &l(&[2]), &l(&[1, 9])), Ordering::Greater);
    assert_eq!(compare(&list, &l(&[-1]), &l(&[0])), Ordering::Less);
    let tuple = CqlType::Tuple(vec![CqlType::Int, CqlType::Int]);
    let t = |a: Option<i32>, b: Option<i32>| {
        serialize(&Value::Tuple(vec![a.map(Value::Int), b.map(Value::Int)]))
    };
    assert_eq!(
        compare(&tuple, &t(None, Some(1)), &t(Some(-5), None)),
        Ordering::Less
    );
    assert_eq!(
        compare(&tuple, &t(Some(1), None), &t(Some(1), Some(0))),
        Ordering::Less
    );
}

fn scalar() -> impl Strategy<Value = (CqlType, Value)> {
    prop_oneof![
        any::<i32>().prop_map(|x| (CqlType::Int, Value::Int(x))),
        any::<i64>().prop_map(|x| (CqlType::Bigint, Value::Bigint(x))),
        any::<i16>().prop_map(|x| (CqlType::Smallint, Value::Smallint(x))),
        any::<i8>().prop_map(|x| (CqlType::Tinyint, Value::Tinyint(x))),
        any::<i64>().prop_map(|x| (CqlType::Timestamp, Value::Timestamp(x))),
        (0..super::value::NANOS_PER_DAY).prop_map(|x| (CqlType::Time, Value::Time(x))),
        any::<u32>().prop_map(|x| (CqlType::Date, Value::Date(x))),
        any::<bool>().prop_map(|x| (CqlType::Boolean, Value::Boolean(x))),
        any::<f64>()
            .prop_filter("NaN != NaN", |x| !x.is_nan())
            .prop_map(|x| (CqlType::Double, Value::Double(x))),
        any::<f32>()
            .prop_filter("NaN != NaN", |x| !x.is_nan())
            .prop_map(|x| (CqlType::Float, Value::Float(x))),
        ".*".prop_map(|s| (CqlType::Text, Value::Text(s))),
        "[ -~]*".prop_map(|s| (CqlType::Ascii, Value::Ascii(s))),
        proptest::collection::vec(any::<u8>(), 0..20).prop_map(|b| (CqlType::Blob, Value::Blob(b))),
        any::<u128>().prop_map(|u| (CqlType::Uuid, Value::Uuid(Uuid::from_u128(u)))),
        any::<i128>().prop_map(|x| (CqlType::Varint, Value::Varint(BigInt::from(x)))),
        (any::<i64>(), any::<i32>()).prop_map(|(u, s)| (
            CqlType::Decimal,
            Value::Decimal {
                unscaled: BigInt::from(u),
                scale: s
            }
        )),
        (any::<i32>(), any::<i32>(), any::<i64>())
            .prop_filter("one sign", |(m, d, n)| (*m >= 0 && *d >= 0 && *n >= 0)
                || (*m <= 0 && *d <= 0 && *n <= 0))
            .prop_map(|(months, days, nanos)| (
                CqlType::Duration,
                Value::Duration(Duration {
                    months,
                    days,
                    nanos
                })
            )),
    ]
}

proptest! {
    #[test]
    fn scalars_round_trip((ty, v) in scalar()) {
        let bytes = serialize(&v);
        prop_assert_eq!(deserialize(&ty, &bytes).unwrap(), v);
        prop_assert_eq!(compare(&ty, &bytes, &bytes), Ordering::Equal);
    }

    #[test]
    fn lists_round_trip(items in proptest::collection::vec(any::<i64>(), 0..10)) {
        let ty = CqlType::List(Box::new(CqlType::Bigint));
        let v = Value::List(items.into_iter().map(Value::Bigint).collect());
        prop_assert_eq!(deserialize(&ty, &serialize(&v)).unwrap(), v);
    }

    #[test]
    fn int_order(a in any::<i64>(), b in any::<i64>()) {
        let (x, y) = (serialize(&Value::Bigint(a)), serialize(&Value::Bigint(b)));
        prop_assert_eq!(compare(&CqlType::Bigint, &x, &y), a.cmp(&b));
    }

    #[test]
    fn double_order(a in any::<f64>(), b in any::<f64>()) {
        let both_zero = a == 0.0 && b == 0.0;
        prop_assume!(!(a.is_nan() || b.is_nan() || both_zero));
        let (x, y) = (serialize(&Value::Double(a)), serialize(&Value::Double(b)));
        prop_assert_eq!(compare(&CqlType::Double, &x, &y), a.partial_cmp(&b).unwrap());
    }

    #[test]
    fn varint_order(a in any::<i128>(), b in any::<i128>()) {
        let (x, y) = (serialize(&Value::Varint(a.into())), serialize(&Value::Varint(b.into())));
        prop_assert_eq!(compare(&CqlType::Varint, &x, &y), a.cmp(&b));
    }

    #[test]
    fn decimal_order(a in any::<i32>(), sa in -6i32..6, b in any::<i32>(), sb in -6i32..6) {
        // Compare a*10^-sa with b*10^-sb exactly in i128 at a common scale.
        let scale = |v: i32, s: i32| i128::from(v) * 10i128.pow((6 - s) as u32);
        let expected = scale(a, sa).cmp(&scale(b, sb));
        let x = serialize(&Value::Decimal { unscaled: a.into(), scale: sa });
        let y = serialize(&Value::Decimal { unscaled: b.into(), scale: sb });
        prop_assert_eq!(compare(&CqlType::Decimal, &x, &y), expected);
    }

    #[test]
    fn text_order(a in ".*", b in ".*") {
        prop_assert_eq!(compare(&CqlType::Text, a.as_bytes(), b.as_bytes()), a.as_bytes().cmp(b.as_bytes()));
    }
}
