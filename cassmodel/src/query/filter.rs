//! The client side of a query: the residual predicate evaluated on every streamed row, and
//! the bounded top-k sort used when `order_by` is not the server's order.
//!
//! Both work row by row on pages as they arrive, so memory stays bounded by the page size
//! (plus `limit` rows for a client-side sort), whatever the table size.

use std::cmp::Ordering;
use std::fmt;

use cassmodel_schema::Order;

use super::builder::OrderKey;
use super::nnf::{Lit, Nnf, join};
use super::plan::Plan;

/// The predicate the client evaluates on the rows one request returns: the conjuncts the
/// server could not, and the exclusion of rows an earlier OR branch already returned.
pub struct Residual<M> {
    conjuncts: Vec<Nnf<M>>,
    exclude: Vec<Vec<Lit<M>>>,
}

impl<M> Residual<M> {
    /// The residual of the first request of `plan` (an empty one for an empty plan).
    pub(crate) fn of_plan(mut plan: Plan<M>) -> Self {
        if plan.branches.is_empty() {
            return Residual {
                conjuncts: Vec::new(),
                exclude: Vec::new(),
            };
        }
        let b = plan.branches.swap_remove(0);
        Residual {
            conjuncts: b.residual,
            exclude: b.exclude,
        }
    }

    /// Whether `row` passes the client-side part of the query.
    #[inline]
    pub fn matches(&self, row: &M) -> bool {
        self.conjuncts.iter().all(|n| n.eval(row))
            && !self
                .exclude
                .iter()
                .any(|conj| conj.iter().all(|l| l.eval(row)))
    }

    /// Whether the client has nothing to evaluate.
    pub fn is_empty(&self) -> bool {
        self.conjuncts.is_empty() && self.exclude.is_empty()
    }
}

impl<M> fmt::Display for Residual<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        join(f, &self.conjuncts, " AND ", "TRUE")
    }
}

impl<M> fmt::Debug for Residual<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Residual({self})")
    }
}

/// Compares two rows by the `order_by` keys.
pub(crate) fn compare<M>(keys: &[OrderKey<M>], a: &M, b: &M) -> Ordering {
    for k in keys {
        let o = (k.cmp)(a, b);
        let o = if k.dir == Order::Desc { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// The first `k` rows by the `order_by` keys, keeping at most `2k` rows at any time
/// (amortized `O(n log k)`); ties keep their arrival order.
pub(crate) struct TopK<M> {
    keys: Vec<OrderKey<M>>,
    k: usize,
    rows: Vec<M>,
}

impl<M> TopK<M> {
    pub(crate) fn new(keys: Vec<OrderKey<M>>, k: usize) -> Self {
        TopK {
            keys,
            k,
            rows: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, row: M) {
        if self.k == 0 {
            return;
        }
        self.rows.push(row);
        if self.rows.len() >= self.k.saturating_mul(2).max(16) {
            self.shrink();
        }
    }

    fn shrink(&mut self) {
        let keys = &self.keys;
        self.rows.sort_by(|a, b| compare(keys, a, b));
        self.rows.truncate(self.k);
    }

    pub(crate) fn into_sorted(mut self) -> Vec<M> {
        self.shrink();
        self.rows
    }
}
