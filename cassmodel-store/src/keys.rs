//! Storage key encoding (drawn in `docs/storage.md`).
//!
//! `table(1-5) | token(8, sign flipped) | esc(pk) 00 01 | section | ...` where `esc`
//! doubles nothing but `00`, which becomes `00 FF`; the `00 01` terminator then sorts
//! before any continuation, so the unsigned order of encoded keys is: table, token,
//! unsigned pk bytes, section, escaped clustering, row item.
//!
//! The table id is written in as few bytes as it needs (see [`push_table_id`]): the
//! engine's memtable compares keys by their first 4 bytes, held inline, before it follows
//! the pointer to the rest. With a fixed 4-byte id those bytes were the same for every key
//! of a table and every comparison went on to a `memcmp` of the whole key through that
//! pointer (~10% of a durable INSERT's CPU, measured with perf); a 1- or 2-byte id
//! leaves 2-3 token bytes in the inline prefix, which settle nearly every comparison.

use crate::error::{StoreError, StoreResult};
use crate::model::{Bound, ColumnId, TableId};
use crate::token::{murmur3_token, token_bytes, token_from_bytes};

/// Section byte of the partition deletion record.
pub const SECTION_PARTITION_DELETION: u8 = 0x10;
/// Section byte of range tombstones.
pub const SECTION_RANGE_TOMBSTONE: u8 = 0x18;
/// Section byte of the static row.
pub const SECTION_STATIC: u8 = 0x20;
/// Section byte of clustering rows.
pub const SECTION_ROWS: u8 = 0x40;

/// Row item: row deletion.
pub const ITEM_ROW_DELETION: u8 = 0x01;
/// Row item: row liveness marker.
pub const ITEM_MARKER: u8 = 0x02;
/// Row item: a column's cell (followed by the column id and a kind byte).
pub const ITEM_COLUMN: u8 = 0x03;

/// Column kind: collection tombstone.
pub const KIND_COLLECTION_DELETION: u8 = 0x10;
/// Column kind: simple cell.
pub const KIND_SIMPLE: u8 = 0x20;
/// Column kind: element cell, followed by the raw path bytes.
pub const KIND_ELEMENT: u8 = 0x30;

/// Cassandra's limit on a partition key or a clustering value.
pub const MAX_KEY_LEN: usize = 65535;
/// The largest key fjall accepts (lsm-tree stores a key's length as a `u16` and panics on
/// a longer one, for reads as well as writes).
///
/// Cassandra limits each key component to 65535 bytes (the partition key, each clustering
/// value, each collection cell path), not their sum, so a row Cassandra accepts can need a
/// storage key longer than this: the key of a cell is the header (9 to 13 bytes), the escaped
/// partition key, the escaped clustering and the cell item (up to 6 bytes plus the cell
/// path), and escaping doubles every `00` byte. Storing such rows would need keys that
/// spill long components out of line (a hashed or truncated component plus an overflow
/// record), which breaks the byte order scans rely on and changes the on-disk format, so
/// the store does not do it: writes whose encoded key would exceed this limit are refused
/// with [`crate::StoreError::StorageKeyTooLarge`] (the engine maps it to an InvalidRequest
/// naming this limit), every key up to it is stored, and reads clamp their range bounds
/// with [`engine_range`] so no key over the limit ever reaches the engine.
pub const MAX_STORAGE_KEY_LEN: usize = 65535;

/// Makes a key range safe for the engine: bounds longer than [`MAX_STORAGE_KEY_LEN`] are
/// replaced by equivalent bounds of that length. No stored key is longer than the limit,
/// and for such a key `k` and a longer bound `b` with `t = b[..limit]`: `k >= b` iff
/// `k > t`, and `k < b` iff `k <= t` (`k` differs from `b` within `t`, or is a prefix of
/// `t` and so below both). The range selects exactly the same stored keys.
pub fn engine_range(
    lo: std::ops::Bound<Vec<u8>>,
    hi: std::ops::Bound<Vec<u8>>,
) -> (std::ops::Bound<Vec<u8>>, std::ops::Bound<Vec<u8>>) {
    use std::ops::Bound as RB;
    let clamp = |b: RB<Vec<u8>>, lower: bool| match b {
        RB::Included(mut k) | RB::Excluded(mut k) if k.len() > MAX_STORAGE_KEY_LEN => {
            k.truncate(MAX_STORAGE_KEY_LEN);
            if lower {
                RB::Excluded(k)
            } else {
                RB::Included(k)
            }
        }
        other => other,
    };
    (clamp(lo, true), clamp(hi, false))
}

/// Appends `bytes` escaped (`00` → `00 FF`) without a terminator.
pub fn escape_into(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
}

/// Appends `bytes` escaped and terminated by `00 01`.
pub fn escape_terminated(out: &mut Vec<u8>, bytes: &[u8]) {
    escape_into(out, bytes);
    out.extend_from_slice(&[0x00, 0x01]);
}

/// Reads an escaped, terminated string from the front of `input`; returns the unescaped
/// bytes and the number of input bytes consumed (terminator included).
pub fn unescape(input: &[u8]) -> StoreResult<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b != 0 {
            out.push(b);
            i += 1;
            continue;
        }
        match input.get(i + 1) {
            Some(0xFF) => {
                out.push(0);
                i += 2;
            }
            Some(0x01) => return Ok((out, i + 2)),
            _ => break,
        }
    }
    Err(StoreError::Corrupt(
        "unterminated escaped key component".into(),
    ))
}

/// The smallest byte string greater than every string starting with `prefix`, or `None`
/// if there is none (the prefix is all `FF`).
pub fn prefix_successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut out = prefix.to_vec();
    while let Some(last) = out.pop() {
        if last != 0xFF {
            out.push(last + 1);
            return Some(out);
        }
    }
    None
}

/// Checks Cassandra's key limits on a partition key.
pub fn check_partition_key(pk: &[u8]) -> StoreResult<()> {
    if pk.is_empty() {
        return Err(StoreError::EmptyKey);
    }
    if pk.len() > MAX_KEY_LEN {
        return Err(StoreError::KeyTooLarge { length: pk.len() });
    }
    Ok(())
}

/// Checks a finished storage key against the engine's limit.
///
/// The key is checked before `write::relocate` may rewrite its table id to the generation
/// of a truncated table, which can take up to [`MAX_TABLE_ID_LEN`] bytes: the id counts at
/// that length, so a key accepted here stays within the limit whatever its generation.
pub fn check_storage_key(key: &[u8]) -> StoreResult<()> {
    let id_len = parse_table_id(key).map_or(0, |(_, len)| len);
    let length = key.len() - id_len + MAX_TABLE_ID_LEN;
    if length > MAX_STORAGE_KEY_LEN {
        return Err(StoreError::StorageKeyTooLarge {
            length,
            limit: MAX_STORAGE_KEY_LEN,
        });
    }
    Ok(())
}

/// The longest encoded table id.
pub const MAX_TABLE_ID_LEN: usize = 5;

/// Appends table id `id` in 1 to 5 bytes, the length told by the first byte:
/// `0xxxxxxx` (ids below 2^7), `10xxxxxx +1` (2^14), `110xxxxx +2` (2^21),
/// `1110xxxx +3` (2^28), `11110000 +4` (the rest, big-endian). No encoding is a prefix of
/// another, so a table's keys are exactly those starting with its [`table_prefix`]; and
/// the encoding keeps the ids' order.
pub fn push_table_id(out: &mut Vec<u8>, id: TableId) {
    let id = id.0;
    let b = id.to_be_bytes();
    match id {
        0..0x80 => out.push(b[3]),
        0x80..0x4000 => out.extend_from_slice(&[0x80 | b[2], b[3]]),
        0x4000..0x20_0000 => out.extend_from_slice(&[0xC0 | b[1], b[2], b[3]]),
        0x20_0000..0x1000_0000 => out.extend_from_slice(&[0xE0 | b[0], b[1], b[2], b[3]]),
        _ => out.extend_from_slice(&[0xF0, b[0], b[1], b[2], b[3]]),
    }
}

/// Reads the table id at the front of `key`: the id and its encoded length.
pub fn parse_table_id(key: &[u8]) -> StoreResult<(TableId, usize)> {
    let corrupt = || StoreError::Corrupt("storage key with a malformed table id".into());
    let first = *key.first().ok_or_else(corrupt)?;
    let (len, top) = match first {
        0x00..0x80 => (1, first),
        0x80..0xC0 => (2, first & 0x3F),
        0xC0..0xE0 => (3, first & 0x1F),
        0xE0..0xF0 => (4, first & 0x0F),
        0xF0 => (5, 0),
        _ => return Err(corrupt()),
    };
    let rest = key.get(1..len).ok_or_else(corrupt)?;
    let id = rest
        .iter()
        .fold(u32::from(top), |id, &b| (id << 8) | u32::from(b));
    Ok((TableId(id), len))
}

/// The prefix of every key of a table.
pub fn table_prefix(table: TableId) -> Vec<u8> {
    let mut out = Vec::with_capacity(MAX_TABLE_ID_LEN);
    push_table_id(&mut out, table);
    out
}

/// The prefix of every key of a partition: `table | token | esc(pk) 00 01`.
pub fn partition_prefix(table: TableId, pk: &[u8]) -> Vec<u8> {
    // Room for every byte escaped (small keys such as bigints are mostly zeros) and the
    // terminator, so the prefix is never reallocated (a profile showed it was).
    let mut out = Vec::with_capacity(MAX_TABLE_ID_LEN + 8 + 2 * pk.len() + 2);
    push_table_id(&mut out, table);
    out.extend_from_slice(&token_bytes(murmur3_token(pk)));
    escape_terminated(&mut out, pk);
    out
}

/// The key range start for partitions with `token` (before all of them).
pub fn token_start(table: TableId, token: i64) -> Vec<u8> {
    let mut out = Vec::with_capacity(MAX_TABLE_ID_LEN + 8);
    push_table_id(&mut out, table);
    out.extend_from_slice(&token_bytes(token));
    out
}

/// Splits a storage key into its partition (token, pk) and the length of the partition
/// prefix, so scans can skip to the next partition.
pub fn parse_partition(key: &[u8]) -> StoreResult<(i64, Vec<u8>, usize)> {
    let (_, id_len) = parse_table_id(key)?;
    let header = id_len + 8;
    let Some(token) = key.get(id_len..header) else {
        return Err(StoreError::Corrupt(
            "storage key shorter than its header".into(),
        ));
    };
    let mut tok = [0u8; 8];
    tok.copy_from_slice(token);
    let (pk, used) = unescape(&key[header..])?;
    Ok((token_from_bytes(tok), pk, header + used))
}

/// Appends the start of a row's items: `0x40 | esc(clustering) 00 01`.
pub fn push_row(out: &mut Vec<u8>, clustering: &[u8]) {
    out.push(SECTION_ROWS);
    escape_terminated(out, clustering);
}

/// Appends a column item: `0x03 | column(u32 BE) | kind [| path]`.
pub fn push_column(out: &mut Vec<u8>, column: ColumnId, kind: u8, path: Option<&[u8]>) {
    out.push(ITEM_COLUMN);
    out.extend_from_slice(&column.0.to_be_bytes());
    out.push(kind);
    if let Some(p) = path {
        out.extend_from_slice(p);
    }
}

/// Appends one end of a range tombstone (a kind byte, then the escaped prefix).
pub fn push_bound(out: &mut Vec<u8>, bound: &Bound) {
    match bound {
        Bound::Unbounded => out.push(0x01),
        Bound::Inclusive(p) => {
            out.push(0x02);
            escape_terminated(out, p);
        }
        Bound::Exclusive(p) => {
            out.push(0x03);
            escape_terminated(out, p);
        }
    }
}

/// Reads one end of a range tombstone written by [`push_bound`].
pub fn parse_bound(input: &[u8]) -> StoreResult<(Bound, usize)> {
    match input.first() {
        Some(0x01) => Ok((Bound::Unbounded, 1)),
        Some(k @ (0x02 | 0x03)) => {
            let (p, used) = unescape(&input[1..])?;
            let b = if *k == 0x02 {
                Bound::Inclusive(p)
            } else {
                Bound::Exclusive(p)
            };
            Ok((b, used + 1))
        }
        _ => Err(StoreError::Corrupt("bad range tombstone bound".into())),
    }
}

/// A row item decoded from the tail of a key (after the row's clustering or static section).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowItem {
    /// Row deletion.
    Deletion,
    /// Row marker.
    Marker,
    /// Collection tombstone of a column.
    CollectionDeletion(ColumnId),
    /// Simple cell.
    Simple(ColumnId),
    /// Element cell with its path.
    Element(ColumnId, Vec<u8>),
}

/// Decodes a row item.
pub fn parse_row_item(tail: &[u8]) -> StoreResult<RowItem> {
    match tail.first() {
        Some(&ITEM_ROW_DELETION) => Ok(RowItem::Deletion),
        Some(&ITEM_MARKER) => Ok(RowItem::Marker),
        Some(&ITEM_COLUMN) if tail.len() >= 6 => {
            let mut id = [0u8; 4];
            id.copy_from_slice(&tail[1..5]);
            let column = ColumnId(u32::from_be_bytes(id));
            match tail[5] {
                KIND_COLLECTION_DELETION => Ok(RowItem::CollectionDeletion(column)),
                KIND_SIMPLE => Ok(RowItem::Simple(column)),
                KIND_ELEMENT => Ok(RowItem::Element(column, tail[6..].to_vec())),
                _ => Err(StoreError::Corrupt("bad column kind".into())),
            }
        }
        _ => Err(StoreError::Corrupt("bad row item".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(b: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        escape_terminated(&mut v, b);
        v
    }

    #[test]
    fn escaping_preserves_order_and_round_trips() {
        let mut vals: Vec<Vec<u8>> = vec![
            vec![],
            vec![0],
            vec![0, 0],
            vec![0, 1],
            vec![1],
            vec![0xFF],
            vec![0xFF, 0],
            vec![b'a'],
            vec![b'a', 0],
            vec![b'a', b'b'],
        ];
        vals.sort();
        for w in vals.windows(2) {
            assert!(enc(&w[0]) < enc(&w[1]), "{:?} vs {:?}", w[0], w[1]);
        }
        for v in &vals {
            let e = enc(v);
            let (d, used) = unescape(&e).unwrap();
            assert_eq!(&d, v);
            assert_eq!(used, e.len());
        }
    }

    #[test]
    fn engine_range_keeps_the_stored_keys_of_a_range() {
        use std::ops::{Bound as RB, RangeBounds};
        let long = |fill: u8, tail: u8| {
            let mut k = vec![fill; MAX_STORAGE_KEY_LEN];
            k.push(tail);
            k
        };
        let limit_key = vec![7u8; MAX_STORAGE_KEY_LEN];
        let stored = [
            vec![7u8],
            vec![7u8; MAX_STORAGE_KEY_LEN - 1],
            limit_key.clone(),
            vec![8u8],
            vec![6u8; 10],
        ];
        let ranges = [
            (RB::Included(long(7, 0)), RB::Excluded(long(7, 9))),
            (RB::Excluded(long(7, 0)), RB::Included(long(7, 9))),
            (RB::Included(vec![7u8]), RB::Excluded(long(7, 1))),
            (RB::Included(long(6, 1)), RB::Unbounded),
        ];
        for (lo, hi) in ranges {
            let (clo, chi) = engine_range(lo.clone(), hi.clone());
            for b in [&clo, &chi] {
                if let RB::Included(k) | RB::Excluded(k) = b {
                    assert!(k.len() <= MAX_STORAGE_KEY_LEN);
                }
            }
            for k in &stored {
                assert_eq!(
                    (lo.clone(), hi.clone()).contains(k),
                    (clo.clone(), chi.clone()).contains(k),
                    "key of {} bytes",
                    k.len()
                );
            }
        }
        assert!(!(RB::Included(long(7, 0)), RB::Unbounded).contains(&limit_key));
    }

    #[test]
    fn successor() {
        assert_eq!(prefix_successor(&[1, 2]), Some(vec![1, 3]));
        assert_eq!(prefix_successor(&[1, 0xFF]), Some(vec![2]));
        assert_eq!(prefix_successor(&[0xFF, 0xFF]), None);
    }

    #[test]
    fn table_ids_round_trip_prefix_free_and_in_order() {
        let ids = [
            0u32,
            1,
            0x7F,
            0x80,
            0x3FFF,
            0x4000,
            0x1F_FFFF,
            0x20_0000,
            0x0FFF_FFFF,
            0x1000_0000,
            0x8000_0000,
            u32::MAX,
        ];
        let encoded: Vec<Vec<u8>> = ids.iter().map(|&id| table_prefix(TableId(id))).collect();
        let lens: Vec<usize> = encoded.iter().map(Vec::len).collect();
        assert_eq!(lens, [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5]);
        for (i, (id, bytes)) in ids.iter().zip(&encoded).enumerate() {
            let mut key = bytes.clone();
            key.extend_from_slice(b"rest");
            assert_eq!(parse_table_id(&key).unwrap(), (TableId(*id), bytes.len()));
            for other in &encoded[i + 1..] {
                assert!(bytes < other, "order: {bytes:?} < {other:?}");
                assert!(!other.starts_with(bytes), "{bytes:?} prefixes {other:?}");
            }
        }
        // Truncated ids and the unused first bytes are corrupt keys, not panics.
        for bad in [
            &[][..],
            &[0x80],
            &[0xC0, 1],
            &[0xF0, 0, 0, 0],
            &[0xF1, 0, 0, 0, 0],
        ] {
            assert!(parse_table_id(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn partition_prefix_parses_back() {
        let p = partition_prefix(TableId(7), b"a\0b");
        let mut key = p.clone();
        key.push(SECTION_STATIC);
        let (tok, pk, used) = parse_partition(&key).unwrap();
        assert_eq!(tok, murmur3_token(b"a\0b"));
        assert_eq!(pk, b"a\0b");
        assert_eq!(used, p.len());
    }
}
