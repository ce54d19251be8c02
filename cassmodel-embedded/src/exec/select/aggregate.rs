//! Aggregates: `count`, `min`, `max`, `sum`, `avg` with Cassandra's native aggregate
//! functions' arithmetic (`C*: cql3/functions/AggregateFcts.java`), and the folding of
//! rows, already read in primary-key order, into one row per group: plain selectors take
//! the group's first row, aggregate selectors accumulate every row
//! (`C*: cql3/selection/Selection.java` `ResultSetBuilder` with a `GroupMaker`).
//!
//! Rows are folded as they are read, so an aggregate over a large partition holds one
//! accumulator per selector, not the rows.

use std::cmp::Ordering;

use num_bigint::BigInt;

use super::super::codec::compare;
use super::super::row::CqlRow;
use super::plan::Sel;
use crate::error::{CqlError, CqlResult};
use crate::schema::ColumnMeta;
use crate::types::CqlType;

/// One output row: a serialized cell per selector.
pub type OutRow = Vec<Option<Vec<u8>>>;

/// A native aggregate function of one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateFn {
    /// `count(c)`: the non-null values.
    Count,
    /// `min(c)` in the column type's order.
    Min,
    /// `max(c)` in the column type's order.
    Max,
    /// `sum(c)` of a numeric column, in the column's own type.
    Sum,
    /// `avg(c)` of a numeric column, in the column's own type.
    Avg,
}

const NUMERIC: [&str; 9] = [
    "tinyint", "smallint", "int", "bigint", "float", "double", "decimal", "varint", "counter",
];

impl AggregateFn {
    /// The function called `name` (lower case), if it is an aggregate of one column.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "count" => AggregateFn::Count,
            "min" => AggregateFn::Min,
            "max" => AggregateFn::Max,
            "sum" => AggregateFn::Sum,
            "avg" => AggregateFn::Avg,
            _ => return None,
        })
    }

    /// The function's CQL name.
    pub fn name(self) -> &'static str {
        match self {
            AggregateFn::Count => "count",
            AggregateFn::Min => "min",
            AggregateFn::Max => "max",
            AggregateFn::Sum => "sum",
            AggregateFn::Avg => "avg",
        }
    }

    /// The result type for an argument of type `arg`, or Cassandra's error when no
    /// overload takes it: `sum` and `avg` exist for the numeric types, `min` and `max`
    /// for every native type, `count` for everything (`C*: cql3/functions/NativeFunctions`,
    /// `FunctionResolver.java`).
    pub fn result_type(self, arg: &CqlType) -> CqlResult<CqlType> {
        let native = !matches!(
            arg,
            CqlType::List(_)
                | CqlType::Set(_)
                | CqlType::Map(..)
                | CqlType::Tuple(_)
                | CqlType::Udt(_)
                | CqlType::Frozen(_)
        );
        let fits = match self {
            AggregateFn::Count => return Ok(CqlType::Bigint),
            AggregateFn::Min | AggregateFn::Max => native,
            AggregateFn::Sum | AggregateFn::Avg => NUMERIC.contains(&arg.to_string().as_str()),
        };
        if fits {
            return Ok(arg.clone());
        }
        let name = self.name();
        let signatures: Vec<String> = if matches!(self, AggregateFn::Sum | AggregateFn::Avg) {
            NUMERIC
                .iter()
                .map(|t| format!("system.{name} : ({t}) -> {t}"))
                .collect()
        } else {
            vec![format!("system.{name} : (<native type>) -> <native type>")]
        };
        Err(CqlError::invalid(format!(
            "Invalid call to function {name}, none of its type signatures match (known type signatures: {})",
            signatures.join(", ")
        )))
    }
}

/// The running state of one aggregate selector.
#[derive(Debug, Clone)]
enum Accumulator {
    /// `count(*)` (`column: None`) or `count(c)`.
    Count { column: Option<usize>, n: i64 },
    /// `min` / `max`: the best value so far.
    Extreme {
        column: usize,
        ty: CqlType,
        max: bool,
        best: Option<Vec<u8>>,
    },
    /// `sum` / `avg` of tinyint, smallint, int, bigint, counter. `sum` wraps in the
    /// column's width as Java's arithmetic does; `avg` sums exactly (Cassandra falls back
    /// to BigInteger on overflow) and truncates the quotient.
    Integer {
        column: usize,
        width: u32,
        avg: bool,
        sum: i128,
        count: i64,
    },
    /// `sum` / `avg` of float and double: Kahan summation in double precision.
    Float {
        column: usize,
        single: bool,
        avg: bool,
        kahan: Kahan,
        count: i64,
    },
    /// `sum` / `avg` of varint (truncating division).
    Varint {
        column: usize,
        avg: bool,
        sum: BigInt,
        count: i64,
    },
    /// `sum` / `avg` of decimal: `(unscaled, scale)`.
    Decimal {
        column: usize,
        avg: bool,
        acc: (BigInt, i32),
        count: i64,
    },
}

#[derive(Debug, Clone, Copy, Default)]
struct Kahan {
    sum: f64,
    compensation: f64,
    simple: f64,
}

impl Kahan {
    fn add(&mut self, x: f64) {
        self.simple += x;
        let tmp = x - self.compensation;
        let rounded = self.sum + tmp;
        self.compensation = (rounded - self.sum) - tmp;
        self.sum = rounded;
    }

    /// The sum; same-signed infinities that made the compensated sum NaN stay infinite.
    fn total(&self) -> f64 {
        let tmp = self.sum + self.compensation;
        if tmp.is_nan() && self.simple.is_infinite() {
            self.simple
        } else {
            tmp
        }
    }
}

fn int_width(ty: &CqlType) -> Option<u32> {
    Some(match ty {
        CqlType::Tinyint => 1,
        CqlType::Smallint => 2,
        CqlType::Int => 4,
        CqlType::Bigint | CqlType::Counter => 8,
        _ => return None,
    })
}

fn read_int(v: &[u8]) -> Option<i128> {
    Some(match v.len() {
        1 => i128::from(v[0] as i8),
        2 => i128::from(i16::from_be_bytes([v[0], v[1]])),
        4 => i128::from(i32::from_be_bytes(v.try_into().ok()?)),
        8 => i128::from(i64::from_be_bytes(v.try_into().ok()?)),
        _ => return None,
    })
}

/// `n` truncated to `width` bytes (two's complement), big-endian.
fn write_int(n: i128, width: u32) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    bytes[bytes.len() - width as usize..].to_vec()
}

fn read_decimal(v: &[u8]) -> Option<(BigInt, i32)> {
    let scale = i32::from_be_bytes(v.get(..4)?.try_into().ok()?);
    Some((BigInt::from_signed_bytes_be(&v[4..]), scale))
}

pub(super) fn write_decimal((unscaled, scale): &(BigInt, i32)) -> Vec<u8> {
    let mut out = scale.to_be_bytes().to_vec();
    out.extend_from_slice(&unscaled.to_signed_bytes_be());
    out
}

/// `unscaled × 10^(to - from)` for `to >= from`.
fn rescale(unscaled: &BigInt, from: i32, to: i32) -> BigInt {
    let shift = u32::try_from(i64::from(to) - i64::from(from)).unwrap_or(0);
    unscaled * BigInt::from(10).pow(shift)
}

/// `BigDecimal.add`: the result has the larger scale.
fn decimal_add(a: &(BigInt, i32), b: &(BigInt, i32)) -> (BigInt, i32) {
    let scale = a.1.max(b.1);
    (rescale(&a.0, a.1, scale) + rescale(&b.0, b.1, scale), scale)
}

/// `BigDecimal.divide(BigDecimal.valueOf(n), RoundingMode.HALF_EVEN)`: the dividend's
/// scale, rounded half to even.
fn decimal_div(a: &(BigInt, i32), n: i64) -> (BigInt, i32) {
    let n = BigInt::from(n);
    let (q, r) = (&a.0 / &n, &a.0 % &n);
    let twice = BigInt::from(2) * num_bigint::BigInt::from(r.magnitude().clone());
    let divisor = BigInt::from(n.magnitude().clone());
    let away = match twice.cmp(&divisor) {
        Ordering::Greater => true,
        Ordering::Equal => (&q % BigInt::from(2)) != BigInt::from(0),
        Ordering::Less => false,
    };
    let q = if away {
        // Round away from zero, in the direction of the exact quotient's sign.
        if (a.0.sign() == num_bigint::Sign::Minus) != (n.sign() == num_bigint::Sign::Minus) {
            q - 1
        } else {
            q + 1
        }
    } else {
        q
    };
    (q, a.1)
}

impl Accumulator {
    /// The accumulator of `sel`, `None` for a plain selector.
    fn of(sel: &Sel, columns: &[ColumnMeta]) -> Option<Accumulator> {
        let (f, column) = match sel {
            Sel::CountAll => return Some(Accumulator::Count { column: None, n: 0 }),
            Sel::Aggregate(f, c) => (*f, *c),
            Sel::Over(inner, _) => return Accumulator::of(inner, columns),
            _ => return None,
        };
        let ty = columns[column].ty.clone();
        let avg = f == AggregateFn::Avg;
        Some(match f {
            AggregateFn::Count => Accumulator::Count {
                column: Some(column),
                n: 0,
            },
            AggregateFn::Min | AggregateFn::Max => Accumulator::Extreme {
                column,
                ty,
                max: f == AggregateFn::Max,
                best: None,
            },
            AggregateFn::Sum | AggregateFn::Avg => match &ty {
                CqlType::Float | CqlType::Double => Accumulator::Float {
                    column,
                    single: ty == CqlType::Float,
                    avg,
                    kahan: Kahan::default(),
                    count: 0,
                },
                CqlType::Varint => Accumulator::Varint {
                    column,
                    avg,
                    sum: BigInt::from(0),
                    count: 0,
                },
                CqlType::Decimal => Accumulator::Decimal {
                    column,
                    avg,
                    acc: (BigInt::from(0), 0),
                    count: 0,
                },
                other => Accumulator::Integer {
                    column,
                    width: int_width(other).unwrap_or(8),
                    avg,
                    sum: 0,
                    count: 0,
                },
            },
        })
    }

    fn add(&mut self, row: &CqlRow) {
        let value = |c: usize| row.values[c].value.as_deref().filter(|v| !v.is_empty());
        match self {
            Accumulator::Count { column: None, n } => *n += 1,
            Accumulator::Count { column: Some(c), n } => {
                *n += i64::from(row.values[*c].value.is_some());
            }
            Accumulator::Extreme {
                column,
                ty,
                max,
                best,
            } => {
                let Some(v) = row.values[*column].value.as_deref() else {
                    return;
                };
                let better = best.as_deref().is_none_or(|b| {
                    let ord = compare(v, b, ty);
                    if *max { ord.is_gt() } else { ord.is_lt() }
                });
                if better {
                    *best = Some(v.to_vec());
                }
            }
            Accumulator::Integer {
                column, sum, count, ..
            } => {
                if let Some(n) = value(*column).and_then(read_int) {
                    *sum += n;
                    *count += 1;
                }
            }
            Accumulator::Float {
                column,
                single,
                kahan,
                count,
                ..
            } => {
                let x = match value(*column) {
                    Some(v) if *single && v.len() == 4 => {
                        f64::from(f32::from_be_bytes([v[0], v[1], v[2], v[3]]))
                    }
                    Some(v) if v.len() == 8 => f64::from_be_bytes(v.try_into().unwrap_or([0; 8])),
                    _ => return,
                };
                kahan.add(x);
                *count += 1;
            }
            Accumulator::Varint {
                column, sum, count, ..
            } => {
                if let Some(v) = value(*column) {
                    *sum += BigInt::from_signed_bytes_be(v);
                    *count += 1;
                }
            }
            Accumulator::Decimal {
                column,
                avg,
                acc,
                count,
            } => {
                let Some(x) = value(*column).and_then(read_decimal) else {
                    return;
                };
                *count += 1;
                *acc = if *avg {
                    // avg = avg + (x - avg) / count, as AggregateFcts.avgFunctionForDecimal.
                    let diff = decimal_add(&x, &(-acc.0.clone(), acc.1));
                    decimal_add(acc, &decimal_div(&diff, *count))
                } else {
                    decimal_add(acc, &x)
                };
            }
        }
    }

    fn finish(&self) -> Option<Vec<u8>> {
        Some(match self {
            Accumulator::Count { n, .. } => n.to_be_bytes().to_vec(),
            Accumulator::Extreme { best, .. } => return best.clone(),
            Accumulator::Integer {
                width,
                avg,
                sum,
                count,
                ..
            } => {
                let n = match (*avg, *count) {
                    (false, _) => *sum,
                    (true, 0) => 0,
                    // i128 division truncates toward zero, as Java's long and BigInteger do.
                    (true, c) => *sum / i128::from(c),
                };
                write_int(n, *width)
            }
            Accumulator::Float {
                single,
                avg,
                kahan,
                count,
                ..
            } => {
                let total = kahan.total();
                let x = match (*avg, *count) {
                    (false, _) => total,
                    (true, 0) => 0.0,
                    (true, c) => total / c as f64,
                };
                if *single {
                    (x as f32).to_be_bytes().to_vec()
                } else {
                    x.to_be_bytes().to_vec()
                }
            }
            Accumulator::Varint {
                avg, sum, count, ..
            } => {
                let n = match (*avg, *count) {
                    (false, _) => sum.clone(),
                    (true, 0) => BigInt::from(0),
                    (true, c) => sum / BigInt::from(c),
                };
                n.to_signed_bytes_be()
            }
            Accumulator::Decimal { acc, .. } => write_decimal(acc),
        })
    }
}

/// Folds rows into one output row per group (one group in all for an aggregate query
/// without GROUP BY), keeping at most `limit` groups.
pub struct Groups<'a> {
    selectors: &'a [Sel],
    columns: &'a [ColumnMeta],
    limit: i64,
    current: Option<Group>,
    /// Complete groups with the clustering key of their first row.
    done: Vec<(Vec<u8>, OutRow)>,
}

struct Group {
    key: Vec<u8>,
    first_clustering: Vec<u8>,
    first: OutRow,
    accumulators: Vec<Option<Accumulator>>,
}

impl<'a> Groups<'a> {
    /// Groups for `selectors` over rows of a table with these `columns`.
    pub fn new(selectors: &'a [Sel], columns: &'a [ColumnMeta], limit: i64) -> Self {
        Groups {
            selectors,
            columns,
            limit,
            current: None,
            done: Vec::new(),
        }
    }

    fn accumulators(&self) -> Vec<Option<Accumulator>> {
        self.selectors
            .iter()
            .map(|s| Accumulator::of(s, self.columns))
            .collect()
    }

    /// Adds `row` to group `key` (`plain` computes the row's output; only a group's
    /// first row's is kept). False once `limit` groups are complete and `row` would
    /// start another: the caller stops reading.
    pub fn push(
        &mut self,
        key: &[u8],
        row: &CqlRow,
        plain: impl FnOnce() -> CqlResult<OutRow>,
    ) -> CqlResult<bool> {
        if self.current.as_ref().is_none_or(|g| g.key != key) {
            self.close()?;
            if i64::try_from(self.done.len()).unwrap_or(i64::MAX) >= self.limit {
                return Ok(false);
            }
            self.current = Some(Group {
                key: key.to_vec(),
                first_clustering: row.clustering.clone(),
                first: plain()?,
                accumulators: self.accumulators(),
            });
        }
        if let Some(g) = &mut self.current {
            for acc in g.accumulators.iter_mut().flatten() {
                acc.add(row);
            }
        }
        Ok(true)
    }

    /// The value of an aggregate selector from its accumulator: the aggregate's result,
    /// or an expression over it ([`Sel::Over`]).
    fn result(sel: &Sel, acc: &Accumulator) -> CqlResult<Option<Vec<u8>>> {
        let v = acc.finish();
        match sel {
            Sel::Over(_, expr) => expr.eval_aggregated(v.as_deref()),
            _ => Ok(v),
        }
    }

    fn close(&mut self) -> CqlResult<()> {
        if let Some(g) = self.current.take() {
            let mut out = g.first;
            for ((slot, acc), sel) in out.iter_mut().zip(&g.accumulators).zip(self.selectors) {
                if let Some(acc) = acc {
                    *slot = Self::result(sel, acc)?;
                }
            }
            self.done.push((g.first_clustering, out));
        }
        Ok(())
    }

    /// The output rows. An aggregate query without GROUP BY (`one_row`) returns one row
    /// even over no rows: counts and sums of nothing, null plain columns and extremes.
    pub fn finish(mut self, one_row: bool) -> CqlResult<Vec<OutRow>> {
        self.close()?;
        if one_row && self.done.is_empty() && self.limit > 0 {
            let empty = self
                .accumulators()
                .iter()
                .zip(self.selectors)
                .map(|(a, sel)| match a {
                    Some(a) => Self::result(sel, a),
                    None => Ok(None),
                })
                .collect::<CqlResult<_>>()?;
            self.done.push((Vec::new(), empty));
        }
        Ok(self.done.into_iter().map(|(_, row)| row).collect())
    }

    /// The groups sorted by their first row's clustering key (descending if `reversed`),
    /// at most `limit`: ORDER BY across the partitions of an IN.
    pub fn finish_sorted(mut self, reversed: bool, limit: i64) -> CqlResult<Vec<OutRow>> {
        self.close()?;
        if reversed {
            self.done.sort_by(|a, b| b.0.cmp(&a.0));
        } else {
            self.done.sort_by(|a, b| a.0.cmp(&b.0));
        }
        self.done
            .truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(self.done.into_iter().map(|(_, row)| row).collect())
    }
}
