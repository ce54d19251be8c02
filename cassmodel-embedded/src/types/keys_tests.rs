//! Cross-check of the engine's byte-comparable keys (`exec/codec/comparable.rs`) against
//! Cassandra's comparators here: for random values of every clustering-capable type, the
//! unsigned order of the encodings equals [`super::compare`], and decoding gives back a
//! value equal to the original.

#![expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::cmp::Ordering;

use num_bigint::BigInt;
use proptest::prelude::*;
use uuid::Uuid;

use super::{CqlType, Value, compare, serialize};
use crate::exec::codec::comparable::{decode_key, encode_key};

fn v1(ticks: u64, clock: u16, node: u64) -> Uuid {
    let msb = ((ticks & 0xFFFF_FFFF) << 32)
        | (((ticks >> 32) & 0xFFFF) << 16)
        | ((ticks >> 48) & 0x0FFF)
        | 0x1000;
    let lsb = (0x8000 | u64::from(clock & 0x3FFF)) << 48 | (node & 0xFFFF_FFFF_FFFF);
    Uuid::from_u64_pair(msb, lsb)
}

fn typed_pair() -> impl Strategy<Value = (CqlType, Value, Value)> {
    fn pair<T: std::fmt::Debug + Clone + 'static>(
        ty: CqlType,
        s: impl Strategy<Value = T> + Clone + 'static,
        f: fn(T) -> Value,
    ) -> BoxedStrategy<(CqlType, Value, Value)> {
        (s.clone(), s)
            .prop_map(move |(a, b)| (ty.clone(), f(a), f(b)))
            .boxed()
    }
    let small_dec = (-1000i64..1000, -3i32..4);
    prop_oneof![
        pair(CqlType::Int, any::<i32>(), Value::Int),
        pair(CqlType::Bigint, prop::option::of(any::<i64>()), |o| o
            .map_or(Value::Empty, Value::Bigint)),
        pair(CqlType::Bigint, any::<i64>(), Value::Bigint),
        pair(CqlType::Smallint, any::<i16>(), Value::Smallint),
        pair(CqlType::Tinyint, any::<i8>(), Value::Tinyint),
        pair(CqlType::Timestamp, any::<i64>(), Value::Timestamp),
        pair(CqlType::Time, 0i64..86_400_000_000_000, Value::Time),
        pair(CqlType::Date, any::<u32>(), Value::Date),
        pair(CqlType::Boolean, any::<bool>(), Value::Boolean),
        pair(
            CqlType::Double,
            any::<f64>().prop_filter("nan", |x| !x.is_nan()),
            Value::Double
        ),
        pair(
            CqlType::Float,
            any::<f32>().prop_filter("nan", |x| !x.is_nan()),
            Value::Float
        ),
        pair(CqlType::Text, ".{1,8}", Value::Text),
        pair(
            CqlType::Blob,
            prop::collection::vec(prop_oneof![Just(0u8), Just(0xFF), any::<u8>()], 1..8),
            Value::Blob
        ),
        pair(CqlType::Varint, any::<i128>(), |x| Value::Varint(
            BigInt::from(x)
        )),
        pair(CqlType::Decimal, small_dec, |(u, s)| Value::Decimal {
            unscaled: BigInt::from(u),
            scale: s
        }),
        pair(CqlType::Uuid, any::<u128>(), |u| Value::Uuid(
            Uuid::from_u128(u)
        )),
        pair(
            CqlType::Timeuuid,
            (any::<u64>(), any::<u16>(), any::<u64>()),
            |(t, c, n)| Value::Timeuuid(v1(t, c, n))
        ),
        pair(
            CqlType::Frozen(Box::new(CqlType::List(Box::new(CqlType::Int)))),
            prop::collection::vec(any::<i32>(), 0..4),
            |v| Value::List(v.into_iter().map(Value::Int).collect())
        ),
        pair(
            CqlType::Tuple(vec![CqlType::Int, CqlType::Text]),
            (prop::option::of(any::<i32>()), prop::option::of(".{0,3}")),
            |(a, b)| Value::Tuple(vec![a.map(Value::Int), b.map(Value::Text)])
        ),
    ]
}

fn key(ty: &CqlType, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    encode_key(&mut out, bytes, ty).unwrap();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn key_order_is_cassandra_order((ty, a, b) in typed_pair()) {
        let (x, y) = (serialize(&a), serialize(&b));
        let (kx, ky) = (key(&ty, &x), key(&ty, &y));
        prop_assert_eq!(kx.cmp(&ky), compare(&ty, &x, &y), "{} {:?} vs {:?}", ty, a, b);
        let (decoded, used) = decode_key(&kx, &ty).unwrap();
        prop_assert_eq!(used, kx.len());
        prop_assert_eq!(compare(&ty, &decoded, &x), Ordering::Equal, "{} {:?}", ty, a);
    }
}
