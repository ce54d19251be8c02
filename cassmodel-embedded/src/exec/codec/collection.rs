//! Native-protocol encodings of collections, tuples and UDTs (`native_protocol_v4.spec`
//! §6.4, §6.7, §6.8, §6.22, §6.23): splitting serialized values into their elements and
//! building them back.

use crate::error::{CqlError, CqlResult};

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn i32(&mut self) -> CqlResult<i32> {
        let b = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| CqlError::invalid("Not enough bytes to read a collection"))?;
        self.pos += 4;
        Ok(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn value(&mut self) -> CqlResult<Option<&'a [u8]>> {
        let len = self.i32()?;
        if len < 0 {
            return Ok(None);
        }
        let len = usize::try_from(len).map_err(|_| CqlError::invalid("bad length"))?;
        let v = self
            .bytes
            .get(self.pos..self.pos + len)
            .ok_or_else(|| CqlError::invalid("Not enough bytes to read a collection element"))?;
        self.pos += len;
        Ok(Some(v))
    }
    fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }
}

fn count(r: &mut Reader<'_>) -> CqlResult<usize> {
    let n = r.i32()?;
    usize::try_from(n).map_err(|_| CqlError::invalid("Invalid negative collection size"))
}

/// The elements of a serialized list or set. Null elements are refused.
pub fn split_elements(bytes: &[u8]) -> CqlResult<Vec<&[u8]>> {
    let mut r = Reader { bytes, pos: 0 };
    let n = count(&mut r)?;
    let mut out = Vec::with_capacity(n.min(1024));
    for _ in 0..n {
        out.push(
            r.value()?
                .ok_or_else(|| CqlError::invalid("null is not supported inside collections"))?,
        );
    }
    if !r.done() {
        return Err(CqlError::invalid(
            "Unexpected extraneous bytes after collection value",
        ));
    }
    Ok(out)
}

/// The entries of a serialized map.
pub fn split_map(bytes: &[u8]) -> CqlResult<Vec<(&[u8], &[u8])>> {
    let mut r = Reader { bytes, pos: 0 };
    let n = count(&mut r)?;
    let mut out = Vec::with_capacity(n.min(1024));
    for _ in 0..n {
        let k = r
            .value()?
            .ok_or_else(|| CqlError::invalid("null is not supported inside collections"))?;
        let v = r
            .value()?
            .ok_or_else(|| CqlError::invalid("null is not supported inside collections"))?;
        out.push((k, v));
    }
    if !r.done() {
        return Err(CqlError::invalid(
            "Unexpected extraneous bytes after map value",
        ));
    }
    Ok(out)
}

/// The fields of a serialized tuple or UDT (`None` = null); may be fewer than the type has.
pub fn split_fields(bytes: &[u8]) -> CqlResult<Vec<Option<&[u8]>>> {
    let mut r = Reader { bytes, pos: 0 };
    let mut out = Vec::new();
    while !r.done() {
        out.push(r.value()?);
    }
    Ok(out)
}

fn push_value(out: &mut Vec<u8>, v: &[u8]) {
    out.extend_from_slice(&i32::try_from(v.len()).unwrap_or(i32::MAX).to_be_bytes());
    out.extend_from_slice(v);
}

/// Serializes a list or set from its elements.
pub fn join_elements<T: AsRef<[u8]>>(items: &[T]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&i32::try_from(items.len()).unwrap_or(i32::MAX).to_be_bytes());
    for i in items {
        push_value(&mut out, i.as_ref());
    }
    out
}

/// Serializes a map from its entries.
pub fn join_map<K: AsRef<[u8]>, V: AsRef<[u8]>>(items: &[(K, V)]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&i32::try_from(items.len()).unwrap_or(i32::MAX).to_be_bytes());
    for (k, v) in items {
        push_value(&mut out, k.as_ref());
        push_value(&mut out, v.as_ref());
    }
    out
}

/// Serializes a tuple or UDT from its fields.
pub fn join_fields<T: AsRef<[u8]>>(fields: &[Option<T>]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in fields {
        match f {
            Some(v) => push_value(&mut out, v.as_ref()),
            None => out.extend_from_slice(&(-1i32).to_be_bytes()),
        }
    }
    out
}

/// The approximate value of a serialized decimal (`scale: i32`, unscaled varint).
pub fn decimal_to_f64(bytes: &[u8]) -> f64 {
    let Some((scale, unscaled)) = bytes.split_first_chunk::<4>() else {
        return 0.0;
    };
    let scale = i32::from_be_bytes(*scale);
    varint_to_f64(unscaled) * 10f64.powi(-scale)
}

/// The approximate value of a serialized varint.
pub fn varint_to_f64(bytes: &[u8]) -> f64 {
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let mut acc = 0.0f64;
    for &b in bytes {
        let b = if negative { !b } else { b };
        acc = acc * 256.0 + f64::from(b);
    }
    if negative { -(acc + 1.0) } else { acc }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    #[test]
    fn collections_round_trip() {
        let list = join_elements(&[b"a".to_vec(), b"bc".to_vec()]);
        assert_eq!(split_elements(&list).unwrap(), vec![&b"a"[..], &b"bc"[..]]);
        let map = join_map(&[(b"k".to_vec(), b"v".to_vec())]);
        assert_eq!(split_map(&map).unwrap(), vec![(&b"k"[..], &b"v"[..])]);
        let tuple = join_fields(&[Some(b"x".to_vec()), None]);
        assert_eq!(split_fields(&tuple).unwrap(), vec![Some(&b"x"[..]), None]);
        assert!(split_elements(&list[..list.len() - 1]).is_err());
    }

    #[test]
    fn numbers_approximate() {
        assert_eq!(varint_to_f64(&[0xFF]), -1.0);
        assert_eq!(varint_to_f64(&[0x01, 0x00]), 256.0);
        assert!((decimal_to_f64(&[0, 0, 0, 2, 0, 150]) - 1.5).abs() < 1e-12);
    }
}
