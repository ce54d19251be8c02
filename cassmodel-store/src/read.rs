//! Partition reads: merge the partition's deletions with its rows and return the live,
//! reconciled rows lazily, slice by slice, forward or reversed.

use std::collections::VecDeque;
use std::ops::Bound as RB;

use fjall::{Iter, Readable, SingleWriterTxKeyspace};

use crate::error::StoreResult;
use crate::keys::{
    RowItem, SECTION_PARTITION_DELETION, SECTION_RANGE_TOMBSTONE, SECTION_ROWS, SECTION_STATIC,
    engine_range, escape_into, parse_bound, parse_row_item, partition_prefix, prefix_successor,
    unescape,
};
use crate::model::{Bound, Cell, ColumnId, Deletion, Liveness, ReadSpec, Row, RowKey, Slice};
use crate::record::{StoredCell, decode_deletion, max_deletion};

/// A range tombstone as stored: its slice and deletion.
#[derive(Debug, Clone)]
struct StoredRange {
    slice: Slice,
    deletion: Deletion,
}

/// True if clustering `c` lies inside `slice` (bounds over prefixes).
pub fn slice_contains(slice: &Slice, c: &[u8]) -> bool {
    let after_start = match &slice.start {
        Bound::Unbounded => true,
        Bound::Inclusive(p) => c >= p.as_slice(),
        Bound::Exclusive(p) => !c.starts_with(p) && c > p.as_slice(),
    };
    let before_end = match &slice.end {
        Bound::Unbounded => true,
        Bound::Inclusive(p) => c.starts_with(p) || c < p.as_slice(),
        Bound::Exclusive(p) => c < p.as_slice(),
    };
    after_start && before_end
}

/// The deletions that apply to a whole partition: its partition deletion and its range
/// tombstones.
#[derive(Debug, Clone, Default)]
pub struct PartitionDeletions {
    partition: Option<Deletion>,
    ranges: Vec<StoredRange>,
}

impl PartitionDeletions {
    /// Takes in one stored item of the sections before the rows (`tail`: its key after
    /// the partition prefix).
    fn absorb(
        &mut self,
        tail: &[u8],
        v: &[u8],
        static_items: Option<&mut Vec<(RowItem, Vec<u8>)>>,
    ) -> StoreResult<()> {
        match tail.first() {
            Some(&SECTION_PARTITION_DELETION) => {
                self.partition = max_deletion(self.partition, Some(decode_deletion(v)?));
            }
            Some(&SECTION_RANGE_TOMBSTONE) => {
                let (start, used) = parse_bound(&tail[1..])?;
                let (end, _) = parse_bound(&tail[1 + used..])?;
                self.ranges.push(StoredRange {
                    slice: Slice { start, end },
                    deletion: decode_deletion(v)?,
                });
            }
            Some(&SECTION_STATIC) => {
                if let Some(items) = static_items {
                    items.push((parse_row_item(&tail[1..])?, v.to_vec()));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The strongest deletion covering clustering row `c` (or the static row).
    fn for_row(&self, key: &RowKey) -> Option<Deletion> {
        let mut d = self.partition;
        if let RowKey::Clustering(c) = key {
            for r in &self.ranges {
                if slice_contains(&r.slice, c) {
                    d = max_deletion(d, Some(r.deletion));
                }
            }
        }
        d
    }
}

/// One raw stored item of a row: its clustering, what it is, and its value.
type RawItem = (Vec<u8>, RowItem, Vec<u8>);

/// Parses a stored row item (`rows_prefix_len`: length of the key up to the rows section).
fn raw_item(k: &[u8], v: &[u8], rows_prefix_len: usize) -> StoreResult<RawItem> {
    let (clustering, used) = unescape(&k[rows_prefix_len..])?;
    let item = parse_row_item(&k[rows_prefix_len + used..])?;
    Ok((clustering, item, v.to_vec()))
}

fn c_live(ttl: Option<crate::Ttl>, now: i64) -> bool {
    ttl.is_none_or(|t| !t.is_expired(now))
}

/// Evaluates one row's stored items into a live row, or `None` if nothing is live.
fn evaluate(
    key: RowKey,
    items: Vec<(RowItem, Vec<u8>)>,
    deletions: &PartitionDeletions,
    dropped: &[(ColumnId, i64)],
    now: i64,
) -> StoreResult<Option<Row>> {
    let mut base = deletions.for_row(&key);
    for (item, v) in &items {
        if *item == RowItem::Deletion {
            base = max_deletion(base, Some(decode_deletion(v)?));
        }
    }
    let covered = |d: Option<Deletion>, ts: i64| d.is_some_and(|d| d.covers(ts));
    let mut marker = None;
    let mut coll: Vec<(ColumnId, Deletion)> = Vec::new();
    for (item, v) in &items {
        if let RowItem::CollectionDeletion(c) = item {
            coll.push((*c, decode_deletion(v)?));
        }
    }
    let mut cells = Vec::new();
    for (item, v) in items {
        let (column, path) = match item {
            RowItem::Marker => {
                let c = StoredCell::decode(&v)?;
                if let StoredCell::Live { timestamp, ttl, .. } = c
                    && c_live(ttl, now)
                    && !covered(base, timestamp)
                {
                    marker = Some(Liveness { timestamp, ttl });
                }
                continue;
            }
            RowItem::Deletion | RowItem::CollectionDeletion(_) => continue,
            RowItem::Simple(c) => (c, None),
            RowItem::Element(c, p) => (c, Some(p)),
        };
        let c = StoredCell::decode(&v)?;
        if !c.is_live(now) || covered(base, c.timestamp()) {
            continue;
        }
        if dropped
            .iter()
            .any(|(col, at)| *col == column && c.timestamp() <= *at)
        {
            continue;
        }
        if path.is_some() {
            let cd = coll.iter().find(|(col, _)| *col == column).map(|(_, d)| *d);
            if covered(cd, c.timestamp()) {
                continue;
            }
        }
        if let StoredCell::Live {
            timestamp,
            ttl,
            value,
        } = c
        {
            cells.push(Cell {
                column,
                path,
                value,
                timestamp,
                ttl,
            });
        }
    }
    if marker.is_none() && cells.is_empty() {
        return Ok(None);
    }
    Ok(Some(Row { key, marker, cells }))
}

/// The storage key range of a slice of rows, intersected with the resume point.
fn slice_range(
    base: &[u8],
    slice: &Slice,
    resume_after: Option<&[u8]>,
    reversed: bool,
) -> (Vec<u8>, Vec<u8>) {
    let mut rows = base.to_vec();
    rows.push(SECTION_ROWS);
    let with = |p: &[u8]| {
        let mut k = rows.clone();
        escape_into(&mut k, p);
        k
    };
    let after = |p: &[u8]| {
        let k = with(p);
        prefix_successor(&k).unwrap_or_else(|| rows_end(base))
    };
    let mut lo = match &slice.start {
        Bound::Unbounded => rows.clone(),
        Bound::Inclusive(p) => with(p),
        Bound::Exclusive(p) => after(p),
    };
    let mut hi = match &slice.end {
        Bound::Unbounded => rows_end(base),
        Bound::Inclusive(p) => after(p),
        Bound::Exclusive(p) => with(p),
    };
    if let Some(r) = resume_after {
        if reversed {
            hi = hi.min(with(r));
        } else {
            lo = lo.max(after(r));
        }
    }
    (lo, hi)
}

fn rows_end(base: &[u8]) -> Vec<u8> {
    let mut k = base.to_vec();
    k.push(SECTION_ROWS + 1);
    k
}

/// The live rows of one partition, produced lazily in clustering order (or reversed).
/// Each item is a reconciled live row; reading stops at the spec's limit.
pub struct PartitionRows {
    /// The static row, if requested and live.
    pub static_row: Option<Row>,
    rows_prefix_len: usize,
    deletions: PartitionDeletions,
    ranges: VecDeque<Iter>,
    current: Option<Iter>,
    pending: Option<RawItem>,
    reversed: bool,
    now: i64,
    dropped: Vec<(ColumnId, i64)>,
    remaining: Option<usize>,
    done: bool,
}

impl std::fmt::Debug for PartitionRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartitionRows")
            .field("static_row", &self.static_row)
            .field("reversed", &self.reversed)
            .finish_non_exhaustive()
    }
}

impl PartitionRows {
    /// Opens a read of `pk` in `table` described by `spec`.
    pub fn open<R: Readable>(
        r: &R,
        ks: &SingleWriterTxKeyspace,
        table: crate::TableId,
        pk: &[u8],
        spec: &ReadSpec,
    ) -> StoreResult<PartitionRows> {
        let base = partition_prefix(table, pk);
        let all = [Slice::ALL];
        let slices: &[Slice] = if spec.slices.is_empty() {
            &all
        } else {
            &spec.slices
        };
        let resume = spec.resume_after.as_deref();
        let ordered: Vec<&Slice> = if spec.reversed {
            slices.iter().rev().collect()
        } else {
            slices.iter().collect()
        };
        let mut bounds: VecDeque<(Vec<u8>, Vec<u8>)> = ordered
            .into_iter()
            .map(|s| slice_range(&base, s, resume, spec.reversed))
            .filter(|(lo, hi)| lo < hi)
            .collect();
        let rows_start = base.len() + 1;
        // The partition deletion, range tombstones and static row sort before the rows.
        // A forward read whose first slice starts at the first row (its lower key is the
        // rows section itself) reads them and that slice in one range; any other read
        // ends this range before the rows. Each range is a search in every memtable and
        // SSTable.
        let through_first_slice =
            !spec.reversed && bounds.front().is_some_and(|(lo, _)| lo.len() == rows_start);
        let first_hi = if through_first_slice {
            bounds.pop_front().map(|(_, hi)| hi)
        } else {
            None
        };
        let mut lo = base.clone();
        lo.push(SECTION_PARTITION_DELETION);
        let hi = first_hi.unwrap_or_else(|| {
            let mut hi = base.clone();
            hi.push(SECTION_STATIC + u8::from(spec.static_row));
            hi
        });
        let mut it = r.range(ks, engine_range(RB::Included(lo), RB::Excluded(hi)));
        let mut deletions = PartitionDeletions::default();
        let mut static_items = Vec::new();
        let mut pending = None;
        for kv in it.by_ref() {
            let (k, v) = kv.into_inner()?;
            if k[base.len()] >= SECTION_ROWS {
                pending = Some(raw_item(&k, &v, rows_start)?);
                break;
            }
            let statics = spec.static_row.then_some(&mut static_items);
            deletions.absorb(&k[base.len()..], &v, statics)?;
        }
        let current = through_first_slice.then_some(it);
        let static_row = if static_items.is_empty() {
            None
        } else {
            evaluate(
                RowKey::Static,
                static_items,
                &deletions,
                &spec.dropped,
                spec.now,
            )?
        };
        let ranges = bounds
            .into_iter()
            .map(|(lo, hi)| r.range(ks, engine_range(RB::Included(lo), RB::Excluded(hi))))
            .collect();
        Ok(PartitionRows {
            static_row,
            rows_prefix_len: rows_start,
            deletions,
            ranges,
            current,
            pending,
            reversed: spec.reversed,
            now: spec.now,
            remaining: spec.limit,
            dropped: spec.dropped.clone(),
            done: spec.limit == Some(0),
        })
    }

    /// Next raw item: (clustering, item, value).
    fn next_item(&mut self) -> StoreResult<Option<RawItem>> {
        if let Some(p) = self.pending.take() {
            return Ok(Some(p));
        }
        loop {
            if self.current.is_none() {
                match self.ranges.pop_front() {
                    Some(it) => self.current = Some(it),
                    None => return Ok(None),
                }
            }
            let next = match self.current.as_mut() {
                Some(it) if self.reversed => it.next_back(),
                Some(it) => it.next(),
                None => None,
            };
            match next {
                None => self.current = None,
                Some(kv) => {
                    let (k, v) = kv.into_inner()?;
                    return raw_item(&k, &v, self.rows_prefix_len).map(Some);
                }
            }
        }
    }

    fn next_row(&mut self) -> StoreResult<Option<Row>> {
        loop {
            let Some((clustering, item, value)) = self.next_item()? else {
                return Ok(None);
            };
            let mut items = vec![(item, value)];
            loop {
                match self.next_item()? {
                    Some((c, i, v)) if c == clustering => items.push((i, v)),
                    Some(other) => {
                        self.pending = Some(other);
                        break;
                    }
                    None => break,
                }
            }
            if self.reversed {
                items.reverse();
            }
            let key = RowKey::Clustering(clustering);
            if let Some(row) = evaluate(key, items, &self.deletions, &self.dropped, self.now)? {
                return Ok(Some(row));
            }
        }
    }
}

impl Iterator for PartitionRows {
    type Item = StoreResult<Row>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_row() {
            Ok(Some(row)) => {
                if let Some(n) = self.remaining.as_mut() {
                    *n -= 1;
                    if *n == 0 {
                        self.done = true;
                    }
                }
                Some(Ok(row))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(start: Bound, end: Bound) -> Slice {
        Slice { start, end }
    }

    #[test]
    fn prefix_bounds() {
        let inc = |p: &[u8]| Bound::Inclusive(p.to_vec());
        let exc = |p: &[u8]| Bound::Exclusive(p.to_vec());
        assert!(slice_contains(&s(inc(b"a"), inc(b"a")), b"ab"));
        assert!(!slice_contains(&s(inc(b"a"), inc(b"a")), b"b"));
        assert!(!slice_contains(&s(exc(b"a"), Bound::Unbounded), b"ab"));
        assert!(slice_contains(&s(exc(b"a"), Bound::Unbounded), b"b"));
        assert!(!slice_contains(&s(Bound::Unbounded, exc(b"b")), b"b1"));
        assert!(slice_contains(&s(Bound::Unbounded, exc(b"b")), b"a9"));
    }
}
