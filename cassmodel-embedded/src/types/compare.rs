//! Cassandra's comparators on serialized values (`AbstractType.compare` of each type in
//! `C*: src/java/org/apache/cassandra/db/marshal/`): for filtering, ORDER BY with IN, and
//! as the reference order of the byte-comparable encodings.
//!
//! The empty value sorts before every other value. Bytes that do not decode as the type
//! compare as unsigned bytes (they cannot reach here after validation).

use std::cmp::Ordering;

use num_bigint::{BigInt, Sign};

use super::CqlType;
use super::codec::read_fields;

fn be<const N: usize>(b: &[u8]) -> Option<[u8; N]> {
    b.get(..N)?.try_into().ok()
}

/// Reorders a version-1 UUID's most significant half so the timestamp compares as a number
/// (`TimeUUIDType.reorderTimestampBytes`).
pub fn reorder_timestamp(msb: u64) -> u64 {
    (msb << 48) | ((msb << 16) & 0xFFFF_0000_0000) | (msb >> 32)
}

/// Inverse of [`reorder_timestamp`].
pub fn unreorder_timestamp(r: u64) -> u64 {
    (r << 32) | ((r >> 16) & 0xFFFF_0000) | (r >> 48)
}

fn halves(b: &[u8]) -> Option<(u64, u64)> {
    Some((u64::from_be_bytes(be(b)?), u64::from_be_bytes(be(&b[8..])?)))
}

fn compare_timeuuid(a: &[u8], b: &[u8]) -> Option<Ordering> {
    let (am, al) = halves(a)?;
    let (bm, bl) = halves(b)?;
    let c = (reorder_timestamp(am) as i64).cmp(&(reorder_timestamp(bm) as i64));
    const SIGNED_BYTES: u64 = 0x0080_8080_8080_8080;
    Some(c.then(((al ^ SIGNED_BYTES) as i64).cmp(&((bl ^ SIGNED_BYTES) as i64))))
}

fn compare_uuid(a: &[u8], b: &[u8]) -> Option<Ordering> {
    let (am, al) = halves(a)?;
    let (bm, bl) = halves(b)?;
    let (va, vb) = ((am >> 12) & 0xF, (bm >> 12) & 0xF);
    if va != vb {
        return Some(va.cmp(&vb));
    }
    let c = if va == 1 {
        (reorder_timestamp(am) as i64).cmp(&(reorder_timestamp(bm) as i64))
    } else {
        am.cmp(&bm)
    };
    Some(c.then(al.cmp(&bl)))
}

/// A decimal as `sign`, exponent `E` and digits `d1 d2 …` (no trailing zeros) such that the
/// value is `0.d1d2… × 10^E`. Zero has no digits.
pub fn decimal_parts(unscaled: &BigInt, scale: i32) -> (Sign, i64, Vec<u8>) {
    let (sign, mag) = unscaled.to_radix_be(10);
    let mut digits = mag;
    if sign == Sign::NoSign || digits.iter().all(|d| *d == 0) {
        return (Sign::NoSign, 0, Vec::new());
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let ndigits = unscaled.magnitude().to_radix_be(10).len() as i64;
    (sign, ndigits - i64::from(scale), digits)
}

/// `BigDecimal.compareTo`: numeric order, so 1.0 equals 1.00.
pub fn compare_decimal(a: &[u8], b: &[u8]) -> Option<Ordering> {
    let sa = i32::from_be_bytes(be(a)?);
    let sb = i32::from_be_bytes(be(b)?);
    let (ga, ea, da) = decimal_parts(&BigInt::from_signed_bytes_be(&a[4..]), sa);
    let (gb, eb, db) = decimal_parts(&BigInt::from_signed_bytes_be(&b[4..]), sb);
    let rank = |s: Sign| match s {
        Sign::Minus => 0,
        Sign::NoSign => 1,
        Sign::Plus => 2,
    };
    if ga != gb {
        return Some(rank(ga).cmp(&rank(gb)));
    }
    let magnitude = ea.cmp(&eb).then_with(|| da.cmp(&db));
    Some(if ga == Sign::Minus {
        magnitude.reverse()
    } else {
        magnitude
    })
}

fn collection_items(b: &[u8]) -> Option<Vec<&[u8]>> {
    let n = i32::from_be_bytes(be(b)?);
    let mut pos = 4;
    let mut out = Vec::new();
    for _ in 0..n.max(0) {
        let len = i32::from_be_bytes(be(&b[pos..])?);
        pos += 4;
        let len = usize::try_from(len).ok()?;
        out.push(b.get(pos..pos + len)?);
        pos += len;
    }
    Some(out)
}

fn compare_sequences(a: &[&[u8]], b: &[&[u8]], types: &[&CqlType]) -> Ordering {
    for (i, (x, y)) in a.iter().zip(b.iter()).enumerate() {
        let c = compare(types[i % types.len()], x, y);
        if c != Ordering::Equal {
            return c;
        }
    }
    a.len().cmp(&b.len())
}

fn compare_fields(a: &[u8], b: &[u8], types: &[CqlType]) -> Option<Ordering> {
    let fa = read_fields(a, types.len(), "tuple").ok()?;
    let fb = read_fields(b, types.len(), "tuple").ok()?;
    for (i, (x, y)) in fa.iter().zip(fb.iter()).enumerate() {
        let c = match (x, y) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => compare(&types[i], x, y),
        };
        if c != Ordering::Equal {
            return Some(c);
        }
    }
    // Missing trailing components count as nulls (`TupleType.compareCustom`,
    // db/marshal/TupleType.java): a shorter value equals a longer one whose extra
    // components are all null, and sorts before it otherwise.
    let shared = fa.len().min(fb.len());
    let extra_a = fa[shared..].iter().any(Option::is_some);
    let extra_b = fb[shared..].iter().any(Option::is_some);
    Some(extra_a.cmp(&extra_b))
}

fn float_key32(b: &[u8]) -> Option<f32> {
    Some(f32::from_be_bytes(be(b)?))
}

fn float_key64(b: &[u8]) -> Option<f64> {
    Some(f64::from_be_bytes(be(b)?))
}

/// Java's `Float.compare`/`Double.compare`: -0.0 < 0.0, NaN above everything and equal to itself.
fn java_float_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => a.total_cmp(&b),
    }
}

/// Compares two serialized values of `ty` as Cassandra does.
pub fn compare(ty: &CqlType, a: &[u8], b: &[u8]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    let typed = match ty {
        CqlType::Frozen(inner) => return compare(inner, a, b),
        CqlType::Tinyint => be::<1>(a)
            .zip(be::<1>(b))
            .map(|(x, y)| (x[0] as i8).cmp(&(y[0] as i8))),
        CqlType::Smallint => be(a)
            .zip(be(b))
            .map(|(x, y)| i16::from_be_bytes(x).cmp(&i16::from_be_bytes(y))),
        CqlType::Int => be(a)
            .zip(be(b))
            .map(|(x, y)| i32::from_be_bytes(x).cmp(&i32::from_be_bytes(y))),
        CqlType::Bigint | CqlType::Counter | CqlType::Timestamp | CqlType::Time => be(a)
            .zip(be(b))
            .map(|(x, y)| i64::from_be_bytes(x).cmp(&i64::from_be_bytes(y))),
        CqlType::Boolean => Some((a[0] != 0).cmp(&(b[0] != 0))),
        CqlType::Float => float_key32(a)
            .zip(float_key32(b))
            .map(|(x, y)| java_float_cmp(f64::from(x), f64::from(y))),
        CqlType::Double => float_key64(a)
            .zip(float_key64(b))
            .map(|(x, y)| java_float_cmp(x, y)),
        CqlType::Varint => {
            Some(BigInt::from_signed_bytes_be(a).cmp(&BigInt::from_signed_bytes_be(b)))
        }
        CqlType::Decimal => compare_decimal(a, b),
        CqlType::Uuid => compare_uuid(a, b),
        CqlType::Timeuuid => compare_timeuuid(a, b),
        CqlType::List(e) | CqlType::Set(e) => collection_items(a)
            .zip(collection_items(b))
            .map(|(x, y)| compare_sequences(&x, &y, &[e])),
        CqlType::Map(k, v) => collection_items(a)
            .zip(collection_items(b))
            .map(|(x, y)| compare_sequences(&x, &y, &[k, v])),
        CqlType::Tuple(types) => compare_fields(a, b, types),
        CqlType::Udt(u) => {
            let types: Vec<CqlType> = u.fields.iter().map(|(_, t)| t.clone()).collect();
            compare_fields(a, b, &types)
        }
        // ascii, text, blob, inet, date (unsigned), duration: unsigned bytes.
        _ => None,
    };
    typed.unwrap_or_else(|| a.cmp(b))
}

/// Equality as Cassandra's comparator sees it (e.g. decimal 1.0 = 1.00).
pub fn equal(ty: &CqlType, a: &[u8], b: &[u8]) -> bool {
    compare(ty, a, b) == Ordering::Equal
}
