//! Model-based test: random sequences of writes and deletions to one partition, checked
//! against a direct, in-memory transcription of Cassandra's rules (reconciliation,
//! shadowing by partition/range/row deletions, TTL expiry, row liveness).

#![allow(clippy::unwrap_used)]
mod common;
use std::collections::BTreeMap;

use cassmodel_store::{
    Bound, CellOp, CellUpdate, ColumnId, Deletion, Liveness, Mutation, RangeTombstone, ReadSpec,
    RowKey, RowUpdate, Slice, Ttl,
};
use common::*;
use proptest::prelude::*;

const NOW: i64 = 1000;

#[derive(Debug, Clone)]
enum Op {
    Write {
        ck: u8,
        col: u32,
        ts: i64,
        value: u8,
        ttl: Option<i64>,
    },
    DeleteCell {
        ck: u8,
        col: u32,
        ts: i64,
    },
    Marker {
        ck: u8,
        ts: i64,
        ttl: Option<i64>,
    },
    DeleteRow {
        ck: u8,
        ts: i64,
    },
    DeleteRange {
        lo: Option<(u8, bool)>,
        hi: Option<(u8, bool)>,
        ts: i64,
    },
    DeletePartition {
        ts: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let ck = 0u8..6;
    let ts = 0i64..6;
    // A TTL whose expiry is before, at, or after NOW (written at NOW - 10).
    let ttl = prop::option::of(5i64..15);
    prop_oneof![
        4 => (ck.clone(), 1u32..3, ts.clone(), 0u8..3, ttl.clone())
            .prop_map(|(ck, col, ts, value, ttl)| Op::Write { ck, col, ts, value, ttl }),
        1 => (ck.clone(), 1u32..3, ts.clone()).prop_map(|(ck, col, ts)| Op::DeleteCell { ck, col, ts }),
        2 => (ck.clone(), ts.clone(), ttl).prop_map(|(ck, ts, ttl)| Op::Marker { ck, ts, ttl }),
        1 => (ck.clone(), ts.clone()).prop_map(|(ck, ts)| Op::DeleteRow { ck, ts }),
        1 => (prop::option::of((ck.clone(), any::<bool>())), prop::option::of((ck, any::<bool>())), ts.clone())
            .prop_map(|(lo, hi, ts)| Op::DeleteRange { lo, hi, ts }),
        1 => ts.prop_map(|ts| Op::DeletePartition { ts }),
    ]
}

/// A cell in the model: (timestamp, kind rank, local deletion time, value). Cassandra 4.x
/// reconciliation is the lexicographic maximum of this tuple: live < expiring < tombstone
/// on equal timestamps, then the later local deletion time, then the greater value.
type ModelCell = (i64, u8, i64, Vec<u8>);

/// An end of a range deletion: (clustering byte, inclusive); `None` is unbounded.
type End = Option<(u8, bool)>;

/// A row as compared: clustering byte, live marker, live cells (column, value, timestamp).
type ModelRow = (u8, bool, Vec<(u32, Vec<u8>, i64)>);

#[derive(Default)]
struct Model {
    cells: BTreeMap<(u8, u32), ModelCell>,
    markers: BTreeMap<u8, ModelCell>,
    row_dels: BTreeMap<u8, i64>,
    ranges: Vec<(End, End, i64)>,
    partition_del: Option<i64>,
}

fn merge<K: Ord>(map: &mut BTreeMap<K, ModelCell>, k: K, c: ModelCell) {
    let e = map.entry(k).or_insert_with(|| c.clone());
    if c > *e {
        *e = c;
    }
}

fn write_cell(ts: i64, value: u8, ttl: Option<i64>) -> ModelCell {
    match ttl {
        None => (ts, 0, i64::MIN, vec![value]),
        Some(t) => (ts, 1, NOW - 10 + t, vec![value]),
    }
}

impl Model {
    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Write {
                ck,
                col,
                ts,
                value,
                ttl,
            } => merge(&mut self.cells, (ck, col), write_cell(ts, value, ttl)),
            Op::DeleteCell { ck, col, ts } => {
                merge(&mut self.cells, (ck, col), (ts, 2, 0, Vec::new()))
            }
            Op::Marker { ck, ts, ttl } => merge(&mut self.markers, ck, write_cell(ts, 0, ttl)),
            Op::DeleteRow { ck, ts } => {
                let e = self.row_dels.entry(ck).or_insert(ts);
                *e = (*e).max(ts);
            }
            Op::DeleteRange { lo, hi, ts } => self.ranges.push((lo, hi, ts)),
            Op::DeletePartition { ts } => {
                self.partition_del = Some(self.partition_del.map_or(ts, |d| d.max(ts)))
            }
        }
    }

    fn deletion_for(&self, ck: u8) -> i64 {
        let mut d = self.partition_del.unwrap_or(i64::MIN);
        if let Some(r) = self.row_dels.get(&ck) {
            d = d.max(*r);
        }
        for (lo, hi, ts) in &self.ranges {
            let after = lo.is_none_or(|(b, inc)| if inc { ck >= b } else { ck > b });
            let before = hi.is_none_or(|(b, inc)| if inc { ck <= b } else { ck < b });
            if after && before {
                d = d.max(*ts);
            }
        }
        d
    }

    fn live(c: &ModelCell, del: i64) -> bool {
        c.0 > del && (c.1 == 0 || (c.1 == 1 && NOW < c.2))
    }

    /// Expected rows: clustering -> [(column, value, timestamp)].
    fn rows(&self) -> Vec<ModelRow> {
        let mut out = Vec::new();
        for ck in 0u8..6 {
            let del = self.deletion_for(ck);
            let marker = self.markers.get(&ck).is_some_and(|m| Self::live(m, del));
            let cells: Vec<_> = self
                .cells
                .range((ck, 0)..(ck + 1, 0))
                .filter(|(_, c)| Self::live(c, del))
                .map(|((_, col), c)| (*col, c.3.clone(), c.0))
                .collect();
            if marker || !cells.is_empty() {
                out.push((ck, marker, cells));
            }
        }
        out
    }
}

fn bound(b: Option<(u8, bool)>) -> Bound {
    match b {
        None => Bound::Unbounded,
        Some((v, true)) => Bound::Inclusive(vec![v]),
        Some((v, false)) => Bound::Exclusive(vec![v]),
    }
}

fn ttl(t: Option<i64>) -> Option<Ttl> {
    t.map(|t| Ttl::new(t as u32, NOW - 10))
}

fn mutation(op: &Op) -> Mutation {
    let mut m = Mutation::new(T, b"pk".to_vec());
    let row = |ck: u8| RowUpdate::new(RowKey::Clustering(vec![ck]));
    match *op {
        Op::Write {
            ck,
            col,
            ts,
            value,
            ttl: t,
        } => m
            .rows
            .push(row(ck).set(ColumnId(col), ts, vec![value], ttl(t))),
        Op::DeleteCell { ck, col, ts } => {
            let mut r = row(ck);
            r.cells.push(CellUpdate {
                column: ColumnId(col),
                path: None,
                op: CellOp::Delete(Deletion::new(ts, 0)),
            });
            m.rows.push(r);
        }
        Op::Marker { ck, ts, ttl: t } => m.rows.push(row(ck).with_marker(Liveness {
            timestamp: ts,
            ttl: ttl(t),
        })),
        Op::DeleteRow { ck, ts } => {
            let mut r = row(ck);
            r.deletion = Some(Deletion::new(ts, 0));
            m.rows.push(r);
        }
        Op::DeleteRange { lo, hi, ts } => m.range_tombstones.push(RangeTombstone {
            slice: Slice {
                start: bound(lo),
                end: bound(hi),
            },
            deletion: Deletion::new(ts, 0),
        }),
        Op::DeletePartition { ts } => m.partition_deletion = Some(Deletion::new(ts, 0)),
    }
    m
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn store_matches_model(ops in prop::collection::vec(op(), 1..25), reversed in any::<bool>()) {
        let (_d, s) = store();
        let mut model = Model::default();
        // Apply in groups of up to three mutations per apply.
        for chunk in ops.chunks(3) {
            let muts: Vec<_> = chunk.iter().map(mutation).collect();
            s.apply(&muts).unwrap();
            chunk.iter().for_each(|o| model.apply(o));
        }
        let mut spec = ReadSpec::all(NOW);
        spec.reversed = reversed;
        let got: Vec<_> = read(&s, b"pk", &spec)
            .into_iter()
            .map(|r| {
                let cells = r.cells.iter().map(|c| (c.column.0, c.value.clone(), c.timestamp)).collect();
                (r.clustering()[0], r.marker.is_some(), cells)
            })
            .collect();
        let mut want = model.rows();
        if reversed {
            want.reverse();
        }
        prop_assert_eq!(got, want);
    }
}
