//! Byte-comparable encodings: the unsigned byte order of `encode_key(v)` is Cassandra's
//! order of the values (`AbstractType.compare` of each type), every encoding is prefix-free
//! (so concatenated clustering components compare component by component), and every
//! encoding decodes back to the native-protocol bytes. The store orders clustering rows
//! and collection cells by these bytes; DESC clustering columns are stored bit-inverted.
//!
//! Layouts (after `ByteComparable.md` in apache/cassandra, simplified where only order and
//! round-tripping matter):
//! - fixed-width numbers: `0x01`, then big-endian with the sign bit flipped (floats: negative
//!   values fully inverted); an empty value is `0x00` and sorts first, as in Cassandra;
//! - text, ascii, blob, inet, duration: `0x00` escaped as `0x00 0xFF`, then `0x00 0x00`;
//! - varint: sign, length (inverted when negative), two's-complement bytes;
//! - uuid/timeuuid: version, then the time fields reordered (`TimeUUIDType.compareCustom`);
//! - frozen list/set/map: `0x01` + element (+ value) per entry, then `0x00`;
//! - tuples and UDTs: `0x00` for an empty value; otherwise `0x01`, then per field up to
//!   the last non-null one `0x01` for null or `0x02` + field, then `0x00`. Trailing nulls
//!   are left out because Cassandra's `TupleType.compareCustom` (db/marshal/TupleType.java)
//!   treats missing trailing components as nulls: a UDT value written before
//!   `ALTER TYPE ... ADD` is the same key as the new-shape value with the added fields null.

use std::cmp::Ordering;

use crate::error::{CqlError, CqlResult};
use crate::types::CqlType;

use super::collection;

fn corrupt() -> CqlError {
    CqlError::server("corrupt byte-comparable key")
}

fn fixed_width(ty: &CqlType) -> Option<usize> {
    Some(match ty {
        CqlType::Boolean | CqlType::Tinyint => 1,
        CqlType::Smallint => 2,
        CqlType::Int | CqlType::Date | CqlType::Float => 4,
        CqlType::Bigint
        | CqlType::Counter
        | CqlType::Timestamp
        | CqlType::Time
        | CqlType::Double => 8,
        CqlType::Uuid | CqlType::Timeuuid => 16,
        _ => return None,
    })
}

/// Appends the byte-comparable encoding of `value` (native-protocol bytes of `ty`).
pub fn encode_key(out: &mut Vec<u8>, value: &[u8], ty: &CqlType) -> CqlResult<()> {
    let ty = ty.unfrozen();
    if let Some(width) = fixed_width(ty) {
        if value.is_empty() {
            out.push(0x00);
            return Ok(());
        }
        if value.len() != width {
            return Err(CqlError::invalid(format!(
                "Expected {width} bytes for a {ty} value, got {}",
                value.len()
            )));
        }
        out.push(0x01);
        encode_fixed(out, value, ty);
        return Ok(());
    }
    match ty {
        CqlType::Varint => encode_varint(out, value),
        CqlType::Decimal => {
            if value.len() < 4 {
                return Err(CqlError::invalid("Invalid decimal value"));
            }
            // Order by the approximate value, then by the exact bytes (round-trips exactly).
            let approx = collection::decimal_to_f64(value);
            out.push(0x01);
            encode_fixed(out, &approx.to_be_bytes(), &CqlType::Double);
            escape(out, value);
        }
        CqlType::List(elem) | CqlType::Set(elem) => {
            for e in collection::split_elements(value)? {
                out.push(0x01);
                encode_key(out, e, elem)?;
            }
            out.push(0x00);
        }
        CqlType::Map(k, v) => {
            for (key, val) in collection::split_map(value)? {
                out.push(0x01);
                encode_key(out, key, k)?;
                encode_key(out, val, v)?;
            }
            out.push(0x00);
        }
        CqlType::Tuple(types) => encode_fields(out, value, types.iter())?,
        CqlType::Udt(udt) => encode_fields(out, value, udt.fields.iter().map(|(_, t)| t))?,
        _ => escape(out, value),
    }
    Ok(())
}

fn encode_fields<'a>(
    out: &mut Vec<u8>,
    value: &[u8],
    types: impl Iterator<Item = &'a CqlType>,
) -> CqlResult<()> {
    if value.is_empty() {
        out.push(0x00);
        return Ok(());
    }
    out.push(0x01);
    let fields = collection::split_fields(value)?;
    let present = fields
        .iter()
        .rposition(Option::is_some)
        .map_or(0, |i| i + 1);
    for (field, ty) in fields.iter().take(present).zip(types) {
        match field {
            None => out.push(0x01),
            Some(f) => {
                out.push(0x02);
                encode_key(out, f, ty)?;
            }
        }
    }
    out.push(0x00);
    Ok(())
}

fn encode_fixed(out: &mut Vec<u8>, value: &[u8], ty: &CqlType) {
    match ty {
        CqlType::Boolean | CqlType::Date => out.extend_from_slice(value),
        CqlType::Float | CqlType::Double if value[0] & 0x80 != 0 => {
            out.extend(value.iter().map(|b| !b));
        }
        CqlType::Uuid | CqlType::Timeuuid => encode_uuid(out, value),
        _ => {
            out.push(value[0] ^ 0x80);
            out.extend_from_slice(&value[1..]);
        }
    }
}

fn u64_at(value: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&value[at..at + 8]);
    u64::from_be_bytes(b)
}

const LSB_FLIP: u64 = 0x8080_8080_8080_8080;

fn encode_uuid(out: &mut Vec<u8>, value: &[u8]) {
    let msb = u64_at(value, 0);
    let lsb = u64_at(value, 8);
    let version = ((msb >> 12) & 0xF) as u8;
    out.push(version);
    if version == 1 {
        // TimeUUIDType: timestamp (reordered msb) unsigned, then lsb compared as signed bytes.
        let t = (msb << 48) | ((msb << 16) & 0xFFFF_0000_0000) | (msb >> 32);
        out.extend_from_slice(&t.to_be_bytes());
        out.extend_from_slice(&(lsb ^ LSB_FLIP).to_be_bytes());
    } else {
        out.extend_from_slice(&value[..16]);
    }
}

fn decode_uuid(input: &[u8]) -> CqlResult<(Vec<u8>, usize)> {
    let version = *input.first().ok_or_else(corrupt)?;
    let body = input.get(1..17).ok_or_else(corrupt)?;
    if version != 1 {
        return Ok((body.to_vec(), 17));
    }
    let t = u64_at(body, 0);
    let lsb = u64_at(body, 8) ^ LSB_FLIP;
    let msb = ((t & 0xFFFF_FFFF) << 32) | (((t >> 32) & 0xFFFF) << 16) | (t >> 48);
    let mut v = msb.to_be_bytes().to_vec();
    v.extend_from_slice(&lsb.to_be_bytes());
    Ok((v, 17))
}

fn encode_varint(out: &mut Vec<u8>, value: &[u8]) {
    let negative = value.first().is_some_and(|b| b & 0x80 != 0);
    let len = u32::try_from(value.len()).unwrap_or(u32::MAX);
    if negative {
        out.push(0x01);
        out.extend_from_slice(&(!len).to_be_bytes());
    } else {
        out.push(0x02);
        out.extend_from_slice(&len.to_be_bytes());
    }
    out.extend_from_slice(value);
}

fn escape(out: &mut Vec<u8>, value: &[u8]) {
    for &b in value {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
    out.extend_from_slice(&[0, 0]);
}

fn unescape(input: &[u8]) -> CqlResult<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let b = *input.get(i).ok_or_else(corrupt)?;
        if b == 0 {
            match input.get(i + 1) {
                Some(0xFF) => {
                    out.push(0);
                    i += 2;
                }
                Some(0) => return Ok((out, i + 2)),
                _ => return Err(corrupt()),
            }
        } else {
            out.push(b);
            i += 1;
        }
    }
}

/// Decodes one value encoded by [`encode_key`] at the start of `input`; returns the
/// native-protocol bytes and how many input bytes it used.
pub fn decode_key(input: &[u8], ty: &CqlType) -> CqlResult<(Vec<u8>, usize)> {
    let ty = ty.unfrozen();
    if let Some(width) = fixed_width(ty) {
        match input.first() {
            Some(0x00) => return Ok((Vec::new(), 1)),
            Some(0x01) => {}
            _ => return Err(corrupt()),
        }
        let body = &input[1..];
        if matches!(ty, CqlType::Uuid | CqlType::Timeuuid) {
            let (v, used) = decode_uuid(body)?;
            return Ok((v, used + 1));
        }
        let raw = body.get(..width).ok_or_else(corrupt)?;
        let value = match ty {
            CqlType::Boolean | CqlType::Date => raw.to_vec(),
            CqlType::Float | CqlType::Double => {
                if raw[0] & 0x80 != 0 {
                    let mut v = raw.to_vec();
                    v[0] ^= 0x80;
                    v
                } else {
                    raw.iter().map(|b| !b).collect()
                }
            }
            _ => {
                let mut v = raw.to_vec();
                v[0] ^= 0x80;
                v
            }
        };
        return Ok((value, width + 1));
    }
    match ty {
        CqlType::Varint => {
            let sign = *input.first().ok_or_else(corrupt)?;
            let len_bytes: [u8; 4] = input
                .get(1..5)
                .ok_or_else(corrupt)?
                .try_into()
                .map_err(|_| corrupt())?;
            let mut len = u32::from_be_bytes(len_bytes);
            if sign == 0x01 {
                len = !len;
            }
            let len = usize::try_from(len).map_err(|_| corrupt())?;
            let v = input.get(5..5 + len).ok_or_else(corrupt)?;
            Ok((v.to_vec(), 5 + len))
        }
        CqlType::Decimal => {
            let (v, used) = unescape(input.get(9..).ok_or_else(corrupt)?)?;
            Ok((v, 9 + used))
        }
        CqlType::List(elem) | CqlType::Set(elem) => {
            let mut items = Vec::new();
            let mut pos = 0;
            loop {
                match input.get(pos) {
                    Some(0x00) => break,
                    Some(0x01) => {
                        let (v, used) = decode_key(&input[pos + 1..], elem)?;
                        items.push(v);
                        pos += 1 + used;
                    }
                    _ => return Err(corrupt()),
                }
            }
            Ok((collection::join_elements(&items), pos + 1))
        }
        CqlType::Map(kt, vt) => {
            let mut items = Vec::new();
            let mut pos = 0;
            loop {
                match input.get(pos) {
                    Some(0x00) => break,
                    Some(0x01) => {
                        let (k, used) = decode_key(&input[pos + 1..], kt)?;
                        pos += 1 + used;
                        let (v, used) = decode_key(&input[pos..], vt)?;
                        pos += used;
                        items.push((k, v));
                    }
                    _ => return Err(corrupt()),
                }
            }
            Ok((collection::join_map(&items), pos + 1))
        }
        CqlType::Tuple(types) => decode_fields(input, types.iter()),
        CqlType::Udt(udt) => decode_fields(input, udt.fields.iter().map(|(_, t)| t)),
        _ => unescape(input),
    }
}

/// Decodes a tuple or UDT; fields left out of the key (trailing nulls, or fields added to
/// the type after the value was written) come back as nulls, so the value has the
/// current shape of the type.
fn decode_fields<'a>(
    input: &[u8],
    types: impl ExactSizeIterator<Item = &'a CqlType>,
) -> CqlResult<(Vec<u8>, usize)> {
    match input.first() {
        Some(0x00) => return Ok((Vec::new(), 1)),
        Some(0x01) => {}
        _ => return Err(corrupt()),
    }
    let mut fields = Vec::with_capacity(types.len());
    let mut pos = 1;
    let mut types = types;
    loop {
        let marker = *input.get(pos).ok_or_else(corrupt)?;
        pos += 1;
        if marker == 0x00 {
            break;
        }
        let ty = types.next().ok_or_else(corrupt)?;
        match marker {
            0x01 => fields.push(None),
            0x02 => {
                let (v, used) = decode_key(&input[pos..], ty)?;
                fields.push(Some(v));
                pos += used;
            }
            _ => return Err(corrupt()),
        }
    }
    fields.extend(types.map(|_| None));
    Ok((collection::join_fields(&fields), pos))
}

/// Appends a component encoded for a clustering column, inverted when it is DESC.
pub fn encode_component(
    out: &mut Vec<u8>,
    value: &[u8],
    ty: &CqlType,
    desc: bool,
) -> CqlResult<()> {
    let start = out.len();
    encode_key(out, value, ty)?;
    if desc {
        for b in &mut out[start..] {
            *b = !*b;
        }
    }
    Ok(())
}

/// Decodes a clustering key into its components' native-protocol bytes.
/// `columns` gives each component's type and whether it is DESC; a prefix decodes to fewer.
pub fn decode_clustering(input: &[u8], columns: &[(&CqlType, bool)]) -> CqlResult<Vec<Vec<u8>>> {
    let mut out = Vec::with_capacity(columns.len());
    let mut pos = 0;
    for (ty, desc) in columns {
        if pos >= input.len() {
            break;
        }
        let (v, used) = if *desc {
            let inverted: Vec<u8> = input[pos..].iter().map(|b| !b).collect();
            decode_key(&inverted, ty)?
        } else {
            decode_key(&input[pos..], ty)?
        };
        out.push(v);
        pos += used;
    }
    if pos != input.len() {
        return Err(corrupt());
    }
    Ok(out)
}

/// Compares two serialized values of `ty` in Cassandra's order. Values that do not encode
/// (malformed) compare by their raw bytes.
///
/// A decimal's key keeps its exact bytes (so that it decodes back to what was written),
/// which would make 2.5 and 2.50 differ; Cassandra compares decimals with
/// `BigDecimal.compareTo` (`DecimalType.compareCustom`), under which they are equal, and
/// filters, IN lists and LWT conditions must see them as equal too.
pub fn compare(a: &[u8], b: &[u8], ty: &CqlType) -> Ordering {
    if has_decimal(ty) {
        return crate::types::compare(ty, a, b);
    }
    let mut ka = Vec::new();
    let mut kb = Vec::new();
    match (encode_key(&mut ka, a, ty), encode_key(&mut kb, b, ty)) {
        (Ok(()), Ok(())) => ka.cmp(&kb),
        _ => a.cmp(b),
    }
}

fn has_decimal(ty: &CqlType) -> bool {
    match ty {
        CqlType::Decimal => true,
        CqlType::Frozen(t) | CqlType::List(t) | CqlType::Set(t) => has_decimal(t),
        CqlType::Map(k, v) => has_decimal(k) || has_decimal(v),
        CqlType::Tuple(types) => types.iter().any(has_decimal),
        CqlType::Udt(u) => u.fields.iter().any(|(_, t)| has_decimal(t)),
        _ => false,
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    fn key(v: &[u8], ty: &CqlType) -> Vec<u8> {
        let mut out = Vec::new();
        encode_key(&mut out, v, ty).unwrap();
        let (back, used) = decode_key(&out, ty).unwrap();
        assert_eq!(back, v);
        assert_eq!(used, out.len());
        out
    }

    #[test]
    fn ints_order_and_round_trip() {
        let vals = [i32::MIN, -5, -1, 0, 1, 7, i32::MAX];
        let keys: Vec<_> = vals
            .iter()
            .map(|v| key(&v.to_be_bytes(), &CqlType::Int))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn doubles_order_and_round_trip() {
        let vals = [f64::NEG_INFINITY, -2.5, -0.0, 0.0, 1e-9, 3.0, f64::INFINITY];
        let keys: Vec<_> = vals
            .iter()
            .map(|v| key(&v.to_be_bytes(), &CqlType::Double))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn text_is_prefix_free_and_ordered() {
        let vals: [&[u8]; 5] = [b"", b"a", b"a\0", b"a\0b", b"ab"];
        let keys: Vec<_> = vals.iter().map(|v| key(v, &CqlType::Text)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn varints_order() {
        let vals: [&[u8]; 5] = [&[0x80, 0], &[0xFF], &[0], &[0x7F], &[0x01, 0]];
        let keys: Vec<_> = vals.iter().map(|v| key(v, &CqlType::Varint)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn timeuuids_order_by_time() {
        let early = uuid::Uuid::parse_str("00000001-0000-1000-8000-000000000000").unwrap();
        let late = uuid::Uuid::parse_str("00000000-0001-1000-8000-000000000000").unwrap();
        let a = key(early.as_bytes(), &CqlType::Timeuuid);
        let b = key(late.as_bytes(), &CqlType::Timeuuid);
        assert!(a < b);
    }

    #[test]
    fn desc_components_reverse_and_decode() {
        let mut k1 = Vec::new();
        encode_component(&mut k1, &1i32.to_be_bytes(), &CqlType::Int, true).unwrap();
        encode_component(&mut k1, b"x", &CqlType::Text, false).unwrap();
        let mut k2 = Vec::new();
        encode_component(&mut k2, &2i32.to_be_bytes(), &CqlType::Int, true).unwrap();
        assert!(k2 < k1);
        let cols = [(&CqlType::Int, true), (&CqlType::Text, false)];
        assert_eq!(
            decode_clustering(&k1, &cols).unwrap(),
            vec![1i32.to_be_bytes().to_vec(), b"x".to_vec()]
        );
    }

    #[test]
    fn frozen_collections_round_trip() {
        let ty = CqlType::Frozen(Box::new(CqlType::List(Box::new(CqlType::Int))));
        let v =
            collection::join_elements(&[1i32.to_be_bytes().to_vec(), 2i32.to_be_bytes().to_vec()]);
        key(&v, &ty);
        let tup = CqlType::Tuple(vec![CqlType::Int, CqlType::Text]);
        let t = collection::join_fields(&[Some(3i32.to_be_bytes().to_vec()), None]);
        key(&t, &tup);
    }

    fn udt(fields: &[&str]) -> CqlType {
        CqlType::Udt(std::sync::Arc::new(crate::types::UserType {
            keyspace: "ks".into(),
            name: "shape".into(),
            fields: fields
                .iter()
                .map(|f| ((*f).to_owned(), CqlType::Int))
                .collect(),
        }))
    }

    #[test]
    fn a_key_written_before_a_field_was_added_decodes_with_the_field_null() {
        let narrow = udt(&["x"]);
        let wide = udt(&["x", "y"]);
        let seven = Some(7i32.to_be_bytes().to_vec());
        let old = key(
            &collection::join_fields(std::slice::from_ref(&seven)),
            &narrow,
        );
        // The key is followed by another element of a set: decoding must stop at its end.
        let mut set = old.clone();
        set.push(0x01);
        let (back, used) = decode_key(&set, &wide).unwrap();
        assert_eq!(used, old.len());
        assert_eq!(back, collection::join_fields(&[seven.clone(), None]));
        // The same value written after the change is the same key.
        let mut new = Vec::new();
        encode_key(
            &mut new,
            &collection::join_fields(&[seven.clone(), None]),
            &wide,
        )
        .unwrap();
        assert_eq!(new, old);
        let filled = key(
            &collection::join_fields(&[seven, Some(vec![0, 0, 0, 1])]),
            &wide,
        );
        assert!(old < filled);
    }

    #[test]
    fn an_empty_tuple_value_sorts_before_an_all_null_one() {
        let tup = CqlType::Tuple(vec![CqlType::Int, CqlType::Int]);
        let empty = key(&[], &tup);
        let nulls = key(&collection::join_fields::<Vec<u8>>(&[None, None]), &tup);
        assert!(empty < nulls);
    }
}
