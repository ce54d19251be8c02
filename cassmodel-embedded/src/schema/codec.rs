//! Native-protocol (v4) serialization of the few types the system tables use, in both
//! directions: text, boolean, int, double, uuid, timestamp, inet, blob and frozen
//! collections of those (`doc/native_protocol_v4.spec` §6). Kept here so the catalog can
//! write and read its own rows without depending on the general value codecs.

use std::collections::BTreeMap;
use std::net::IpAddr;

use uuid::Uuid;

use crate::error::{CqlError, CqlResult};

/// `text`
pub fn text(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// `boolean`
pub fn boolean(b: bool) -> Vec<u8> {
    vec![u8::from(b)]
}

/// `int`
pub fn int(v: i32) -> Vec<u8> {
    v.to_be_bytes().to_vec()
}

/// `double`
pub fn double(v: f64) -> Vec<u8> {
    v.to_be_bytes().to_vec()
}

/// `uuid` / `timeuuid`
pub fn uuid(u: Uuid) -> Vec<u8> {
    u.as_bytes().to_vec()
}

/// `timestamp` (milliseconds since the epoch)
pub fn timestamp(ms: i64) -> Vec<u8> {
    ms.to_be_bytes().to_vec()
}

/// `inet`
pub fn inet(ip: IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

fn push_bytes(out: &mut Vec<u8>, b: &[u8]) {
    let len = i32::try_from(b.len()).unwrap_or(i32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(b);
}

fn count(n: usize) -> [u8; 4] {
    i32::try_from(n).unwrap_or(i32::MAX).to_be_bytes()
}

/// A frozen list or set of already serialized elements.
pub fn list(items: &[Vec<u8>]) -> Vec<u8> {
    let mut out = count(items.len()).to_vec();
    for i in items {
        push_bytes(&mut out, i);
    }
    out
}

/// A frozen `list<text>` / `set<text>` (sets must be given sorted).
pub fn text_list<'a>(items: impl IntoIterator<Item = &'a str>) -> Vec<u8> {
    let items: Vec<Vec<u8>> = items.into_iter().map(text).collect();
    list(&items)
}

/// A frozen `map<text, text>` (BTreeMap order is the serialized order).
pub fn text_map(m: &BTreeMap<String, String>) -> Vec<u8> {
    let mut out = count(m.len()).to_vec();
    for (k, v) in m {
        push_bytes(&mut out, k.as_bytes());
        push_bytes(&mut out, v.as_bytes());
    }
    out
}

/// A frozen `map<text, blob>`.
pub fn blob_map(m: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut out = count(m.len()).to_vec();
    for (k, v) in m {
        push_bytes(&mut out, k.as_bytes());
        push_bytes(&mut out, v);
    }
    out
}

fn bad(what: &str) -> CqlError {
    CqlError::server(format!("Corrupted system table value ({what})"))
}

/// Decodes `text`.
pub fn read_text(b: &[u8]) -> CqlResult<String> {
    String::from_utf8(b.to_vec()).map_err(|_| bad("text"))
}

/// Decodes `boolean`.
pub fn read_bool(b: &[u8]) -> CqlResult<bool> {
    match b {
        [v] => Ok(*v != 0),
        _ => Err(bad("boolean")),
    }
}

/// Decodes `int`.
pub fn read_int(b: &[u8]) -> CqlResult<i32> {
    <[u8; 4]>::try_from(b)
        .map(i32::from_be_bytes)
        .map_err(|_| bad("int"))
}

/// Decodes `double`.
pub fn read_double(b: &[u8]) -> CqlResult<f64> {
    <[u8; 8]>::try_from(b)
        .map(f64::from_be_bytes)
        .map_err(|_| bad("double"))
}

/// Decodes `timestamp`.
pub fn read_timestamp(b: &[u8]) -> CqlResult<i64> {
    <[u8; 8]>::try_from(b)
        .map(i64::from_be_bytes)
        .map_err(|_| bad("timestamp"))
}

/// Decodes `uuid`.
pub fn read_uuid(b: &[u8]) -> CqlResult<Uuid> {
    Uuid::from_slice(b).map_err(|_| bad("uuid"))
}

fn take<'a>(b: &mut &'a [u8]) -> CqlResult<&'a [u8]> {
    if b.len() < 4 {
        return Err(bad("collection"));
    }
    let (len, rest) = b.split_at(4);
    let len = i32::from_be_bytes([len[0], len[1], len[2], len[3]]);
    let len = usize::try_from(len).map_err(|_| bad("collection"))?;
    if rest.len() < len {
        return Err(bad("collection"));
    }
    let (item, rest) = rest.split_at(len);
    *b = rest;
    Ok(item)
}

fn read_count(b: &mut &[u8]) -> CqlResult<usize> {
    if b.len() < 4 {
        return Err(bad("collection"));
    }
    let (n, rest) = b.split_at(4);
    *b = rest;
    usize::try_from(i32::from_be_bytes([n[0], n[1], n[2], n[3]])).map_err(|_| bad("collection"))
}

/// Decodes a frozen list or set into its serialized elements.
pub fn read_list(mut b: &[u8]) -> CqlResult<Vec<Vec<u8>>> {
    let n = read_count(&mut b)?;
    let mut out = Vec::with_capacity(n.min(1024));
    for _ in 0..n {
        out.push(take(&mut b)?.to_vec());
    }
    Ok(out)
}

/// Decodes a frozen `list<text>` / `set<text>`.
pub fn read_text_list(b: &[u8]) -> CqlResult<Vec<String>> {
    read_list(b)?.iter().map(|e| read_text(e)).collect()
}

/// Decodes a frozen map into serialized key/value pairs.
pub fn read_map(mut b: &[u8]) -> CqlResult<Vec<(Vec<u8>, Vec<u8>)>> {
    let n = read_count(&mut b)?;
    let mut out = Vec::with_capacity(n.min(1024));
    for _ in 0..n {
        let k = take(&mut b)?.to_vec();
        let v = take(&mut b)?.to_vec();
        out.push((k, v));
    }
    Ok(out)
}

/// Decodes a frozen `map<text, text>`.
pub fn read_text_map(b: &[u8]) -> CqlResult<BTreeMap<String, String>> {
    read_map(b)?
        .into_iter()
        .map(|(k, v)| Ok((read_text(&k)?, read_text(&v)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collections_round_trip() {
        let mut m = BTreeMap::new();
        m.insert("class".to_owned(), "SimpleStrategy".to_owned());
        m.insert("replication_factor".to_owned(), "1".to_owned());
        assert_eq!(read_text_map(&text_map(&m)).expect("map"), m);
        let l = text_list(["a", "bc"]);
        assert_eq!(&l[..4], &[0, 0, 0, 2]);
        assert_eq!(read_text_list(&l).expect("list"), ["a", "bc"]);
        assert!(read_text_list(&l[..6]).is_err());
    }
}
