//! Canonical form of bound collection values: a client may send a set's elements or a
//! map's keys in any order (and repeated); Cassandra rebuilds them as sorted sets and
//! maps when it binds them (`C*: cql3/Sets.java` / `cql3/Maps.java` `Value.fromSerialized`
//! collect into a `TreeSet` / `TreeMap` of the element type), so that a frozen value
//! compares and hashes the same however it was sent — which matters for keys.

use std::cmp::Ordering;

use super::collection::{
    join_elements, join_fields, join_map, split_elements, split_fields, split_map,
};
use super::comparable::compare;
use crate::error::CqlResult;
use crate::types::CqlType;

/// True when `ty` contains a set or a map somewhere (only those need rebuilding).
fn has_unordered(ty: &CqlType) -> bool {
    match ty {
        CqlType::Set(_) | CqlType::Map(..) => true,
        CqlType::Frozen(t) | CqlType::List(t) => has_unordered(t),
        CqlType::Tuple(ts) => ts.iter().any(has_unordered),
        CqlType::Udt(u) => u.fields.iter().any(|(_, t)| has_unordered(t)),
        _ => false,
    }
}

/// `bytes` (a valid serialized value of `ty`) with every set and map, at any depth,
/// sorted by its element (key) type and without duplicates (the last value of a repeated
/// map key wins, as in a `TreeMap`).
pub fn normalize(bytes: &[u8], ty: &CqlType) -> CqlResult<Vec<u8>> {
    if !has_unordered(ty) {
        return Ok(bytes.to_vec());
    }
    Ok(match ty {
        CqlType::Frozen(t) => normalize(bytes, t)?,
        CqlType::List(e) => {
            let items = split_elements(bytes)?
                .into_iter()
                .map(|x| normalize(x, e))
                .collect::<CqlResult<Vec<_>>>()?;
            join_elements(&items)
        }
        CqlType::Set(e) => {
            let mut items = split_elements(bytes)?
                .into_iter()
                .map(|x| normalize(x, e))
                .collect::<CqlResult<Vec<_>>>()?;
            items.sort_by(|a, b| compare(a, b, e));
            items.dedup_by(|a, b| compare(a, b, e) == Ordering::Equal);
            join_elements(&items)
        }
        CqlType::Map(k, v) => {
            let mut items = split_map(bytes)?
                .into_iter()
                .map(|(mk, mv)| Ok((normalize(mk, k)?, normalize(mv, v)?)))
                .collect::<CqlResult<Vec<_>>>()?;
            // Stable sort keeps sending order among equal keys; keep the last one.
            items.sort_by(|a, b| compare(&a.0, &b.0, k));
            let mut out: Vec<(Vec<u8>, Vec<u8>)> = Vec::with_capacity(items.len());
            for item in items {
                match out.last_mut() {
                    Some(last) if compare(&last.0, &item.0, k) == Ordering::Equal => *last = item,
                    _ => out.push(item),
                }
            }
            join_map(&out)
        }
        CqlType::Tuple(ts) => fields(bytes, ts.iter())?,
        CqlType::Udt(u) => fields(bytes, u.fields.iter().map(|(_, t)| t))?,
        _ => bytes.to_vec(),
    })
}

fn fields<'a>(bytes: &[u8], types: impl Iterator<Item = &'a CqlType>) -> CqlResult<Vec<u8>> {
    let parts = split_fields(bytes)?;
    let mut out = Vec::with_capacity(parts.len());
    let mut types = types;
    for part in parts {
        let ty = types.next();
        out.push(match (part, ty) {
            (Some(p), Some(t)) => Some(normalize(p, t)?),
            (p, _) => p.map(<[u8]>::to_vec),
        });
    }
    Ok(join_fields(&out))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn int(v: i32) -> Vec<u8> {
        v.to_be_bytes().to_vec()
    }

    #[test]
    fn sets_are_sorted_and_deduplicated() {
        let ty = CqlType::Frozen(Box::new(CqlType::Set(Box::new(CqlType::Int))));
        let sent = join_elements(&[int(3), int(1), int(3), int(2)]);
        let want = join_elements(&[int(1), int(2), int(3)]);
        assert_eq!(normalize(&sent, &ty).unwrap(), want);
    }

    #[test]
    fn nested_sets_in_map_keys_are_sorted() {
        let set = CqlType::Frozen(Box::new(CqlType::Set(Box::new(CqlType::Int))));
        let ty = CqlType::Frozen(Box::new(CqlType::Map(
            Box::new(set),
            Box::new(CqlType::Int),
        )));
        let k1 = join_elements(&[int(2), int(1)]);
        let k0 = join_elements(&[int(0)]);
        let sent = join_map(&[(k1, int(7)), (k0, int(8))]);
        let want = join_map(&[
            (join_elements(&[int(0)]), int(8)),
            (join_elements(&[int(1), int(2)]), int(7)),
        ]);
        assert_eq!(normalize(&sent, &ty).unwrap(), want);
    }

    #[test]
    fn repeated_map_keys_keep_the_last_value() {
        let ty = CqlType::Map(Box::new(CqlType::Int), Box::new(CqlType::Int));
        let sent = join_map(&[(int(1), int(5)), (int(0), int(1)), (int(1), int(6))]);
        let want = join_map(&[(int(0), int(1)), (int(1), int(6))]);
        assert_eq!(normalize(&sent, &ty).unwrap(), want);
    }

    #[test]
    fn types_without_sets_or_maps_are_untouched() {
        let ty = CqlType::List(Box::new(CqlType::Int));
        let sent = join_elements(&[int(3), int(1)]);
        assert_eq!(normalize(&sent, &ty).unwrap(), sent);
    }
}
