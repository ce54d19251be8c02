//! Cassandra's comparators for the client side: a residual comparison (`lt`, `gte`, ...) or a
//! client-side sort must order values as the server orders the column, or an OR split that
//! skips the rows an earlier branch returned would skip the wrong ones, and a sort would
//! disagree with the server's `ORDER BY`.
//!
//! Rust's own order agrees with Cassandra's for every type but these, picked once per leaf
//! from the column's CQL type and the field's Rust type:
//!
//! * `uuid` — `db/marshal/UUIDType.java`: the version nibble first; version-1 UUIDs by their
//!   timestamp, others by their first 8 bytes unsigned; then the last 8 bytes unsigned.
//! * `timeuuid` — `db/marshal/TimeUUIDType.java`: the timestamp, then the last 8 bytes as
//!   *signed* bytes (`signedBytesToNativeLong`).
//! * `float`/`double` — `FloatType`/`DoubleType` compare with `Float.compare`/`Double.compare`:
//!   `-0.0 < 0.0`, NaN equals NaN and is above everything.
//! * `inet` — `InetAddressType` compares the address bytes unsigned (4 bytes for IPv4, 16 for
//!   IPv6, a shorter prefix first), so `255.0.0.1` sorts after `::1`.

use std::any::{Any, TypeId};
use std::cmp::Ordering;
use std::net::IpAddr;

use cassmodel_schema::CqlType;
use scylla::value::CqlTimeuuid;
use uuid::Uuid;

/// How values of one column compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Collation {
    /// Rust's `PartialOrd`, which is Cassandra's order for this type.
    Native,
    /// `UUIDType`.
    Uuid,
    /// `TimeUUIDType`.
    TimeUuid,
    /// `Float.compare` / `Double.compare`.
    Float,
    /// `InetAddressType`: unsigned address bytes.
    Inet,
}

impl Collation {
    /// The collation of a column of CQL type `ty` read into a Rust `T`.
    pub(crate) fn of<T: 'static>(ty: Option<&CqlType>) -> Collation {
        let ty = match ty {
            Some(CqlType::Frozen(inner)) => Some(&**inner),
            other => other,
        };
        let is = |other: TypeId| TypeId::of::<T>() == other;
        match ty {
            Some(CqlType::Uuid) if is_uuid::<T>() => Collation::Uuid,
            Some(CqlType::TimeUuid) if is_uuid::<T>() => Collation::TimeUuid,
            Some(CqlType::Float | CqlType::Double)
                if is(TypeId::of::<f32>()) || is(TypeId::of::<f64>()) =>
            {
                Collation::Float
            }
            Some(CqlType::Inet) if is(TypeId::of::<IpAddr>()) => Collation::Inet,
            _ => Collation::Native,
        }
    }

    /// Compares `a` with `b` by this collation (`None`: incomparable, for Rust's order only).
    #[inline]
    pub(crate) fn cmp<T: PartialOrd + 'static>(self, a: &T, b: &T) -> Option<Ordering> {
        match self {
            Collation::Native => a.partial_cmp(b),
            Collation::Uuid => uuid_bytes(a)
                .zip(uuid_bytes(b))
                .map(|(a, b)| uuid_cmp(&a, &b)),
            Collation::TimeUuid => uuid_bytes(a)
                .zip(uuid_bytes(b))
                .map(|(a, b)| timeuuid_cmp(&a, &b)),
            Collation::Float => float(a).zip(float(b)).map(|(a, b)| java_double_cmp(a, b)),
            Collation::Inet => inet(a).zip(inet(b)).map(|(a, b)| a.cmp(&b)),
        }
    }

    /// Whether `a` equals `b` by this collation.
    #[inline]
    pub(crate) fn eq<T: PartialOrd + 'static>(self, a: &T, b: &T) -> bool {
        match self {
            Collation::Native => a == b,
            other => other.cmp(a, b) == Some(Ordering::Equal),
        }
    }
}

fn is_uuid<T: 'static>() -> bool {
    let id = TypeId::of::<T>();
    id == TypeId::of::<Uuid>() || id == TypeId::of::<CqlTimeuuid>()
}

fn uuid_bytes<T: 'static>(x: &T) -> Option<[u8; 16]> {
    let x: &dyn Any = x;
    if let Some(u) = x.downcast_ref::<Uuid>() {
        return Some(*u.as_bytes());
    }
    x.downcast_ref::<CqlTimeuuid>().map(|u| *u.as_bytes())
}

fn float<T: 'static>(x: &T) -> Option<f64> {
    let x: &dyn Any = x;
    if let Some(f) = x.downcast_ref::<f64>() {
        return Some(*f);
    }
    x.downcast_ref::<f32>().map(|f| f64::from(*f))
}

fn inet<T: 'static>(x: &T) -> Option<Vec<u8>> {
    let x: &dyn Any = x;
    x.downcast_ref::<IpAddr>().map(|ip| match ip {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    })
}

/// The 60-bit timestamp of a version-1 UUID's first 8 bytes, version nibble on top
/// (`TimeUUIDType.reorderTimestampBytes`).
fn reordered_timestamp(msb: u64) -> u64 {
    (msb << 48) | ((msb << 16) & 0xFFFF_0000_0000) | (msb >> 32)
}

fn halves(b: &[u8; 16]) -> (u64, u64) {
    let mut hi = [0u8; 8];
    let mut lo = [0u8; 8];
    hi.copy_from_slice(&b[..8]);
    lo.copy_from_slice(&b[8..]);
    (u64::from_be_bytes(hi), u64::from_be_bytes(lo))
}

/// `UUIDType.compareCustom`.
pub(crate) fn uuid_cmp(a: &[u8; 16], b: &[u8; 16]) -> Ordering {
    let ((ma, la), (mb, lb)) = (halves(a), halves(b));
    let (va, vb) = ((ma >> 12) & 0xf, (mb >> 12) & 0xf);
    va.cmp(&vb)
        .then_with(|| {
            if va == 1 {
                reordered_timestamp(ma).cmp(&reordered_timestamp(mb))
            } else {
                ma.cmp(&mb)
            }
        })
        .then_with(|| la.cmp(&lb))
}

/// `TimeUUIDType.compareCustom`: the timestamp, then the last 8 bytes as signed bytes.
pub(crate) fn timeuuid_cmp(a: &[u8; 16], b: &[u8; 16]) -> Ordering {
    let ((ma, _), (mb, _)) = (halves(a), halves(b));
    // Signed, as Java's Long.compare; the version nibble on top keeps it non-negative for
    // version 1, and other versions compare as Cassandra's code would.
    let (ta, tb) = (
        reordered_timestamp(ma) as i64,
        reordered_timestamp(mb) as i64,
    );
    ta.cmp(&tb).then_with(|| {
        let signed = |x: &[u8]| x.iter().map(|&v| v as i8).collect::<Vec<i8>>();
        signed(&a[8..]).cmp(&signed(&b[8..]))
    })
}

/// `Double.compare`: `-0.0 < 0.0`, every NaN equal to every NaN and above everything.
pub(crate) fn java_double_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.total_cmp(&b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> [u8; 16] {
        match Uuid::parse_str(s) {
            Ok(u) => *u.as_bytes(),
            Err(e) => panic!("{s}: {e}"),
        }
    }

    #[test]
    fn timeuuid_orders_by_time_before_bytes() {
        // Same node/clock bytes; the second is later (time_hi 0x1ed2 > 0x1ed1) although its
        // time_low is smaller, so byte order disagrees with time order.
        let early = u("ffffffff-0000-11d1-8000-000000000000");
        let late = u("00000000-0000-11d2-8000-000000000000");
        assert_eq!(timeuuid_cmp(&early, &late), Ordering::Less);
        assert_eq!(early.cmp(&late), Ordering::Greater);
        assert_eq!(uuid_cmp(&early, &late), Ordering::Less);
    }

    #[test]
    fn timeuuid_tail_is_signed_uuid_tail_unsigned() {
        let a = u("00000000-0000-1000-0000-000000000000");
        let b = u("00000000-0000-1000-8000-000000000000");
        // 0x80 is -128 as a signed byte: below 0x00 for timeuuid, above for uuid.
        assert_eq!(timeuuid_cmp(&b, &a), Ordering::Less);
        assert_eq!(uuid_cmp(&b, &a), Ordering::Greater);
    }

    #[test]
    fn uuid_orders_by_version_first() {
        let v4 = u("00000000-0000-4000-8000-000000000000");
        let v1 = u("ffffffff-ffff-1fff-bfff-ffffffffffff");
        assert_eq!(uuid_cmp(&v1, &v4), Ordering::Less);
        let v4b = u("00000000-0001-4000-0000-000000000000");
        assert_eq!(uuid_cmp(&v4, &v4b), Ordering::Less);
        assert_eq!(uuid_cmp(&v4, &v4), Ordering::Equal);
    }

    #[test]
    fn floats_follow_java_compare() {
        assert_eq!(java_double_cmp(-0.0, 0.0), Ordering::Less);
        assert_eq!(java_double_cmp(f64::NAN, f64::INFINITY), Ordering::Greater);
        assert_eq!(java_double_cmp(f64::NAN, -f64::NAN), Ordering::Equal);
        assert_eq!(java_double_cmp(1.0, 2.0), Ordering::Less);
        assert!(!Collation::Float.eq(&-0.0f32, &0.0f32));
        assert!(Collation::Float.eq(&f64::NAN, &f64::NAN));
    }

    #[test]
    fn inet_compares_address_bytes() {
        let v4: IpAddr = [255, 0, 0, 1].into();
        let v6: IpAddr = "::1".parse().unwrap_or(v4);
        assert_eq!(Collation::Inet.cmp(&v4, &v6), Some(Ordering::Greater));
        assert!(v4 < v6, "Rust's order differs, hence the collation");
    }

    #[test]
    fn collation_is_picked_from_the_cql_type_and_the_rust_type() {
        assert_eq!(
            Collation::of::<Uuid>(Some(&CqlType::TimeUuid)),
            Collation::TimeUuid
        );
        assert_eq!(Collation::of::<Uuid>(Some(&CqlType::Uuid)), Collation::Uuid);
        assert_eq!(Collation::of::<i32>(Some(&CqlType::Int)), Collation::Native);
        assert_eq!(
            Collation::of::<f32>(Some(&CqlType::Float)),
            Collation::Float
        );
        assert_eq!(
            Collation::of::<String>(Some(&CqlType::Uuid)),
            Collation::Native
        );
    }
}
