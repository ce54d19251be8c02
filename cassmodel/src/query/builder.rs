//! [`Query`]: the builder returned by `M::query()` — a predicate, ordering, limit, paging
//! and consistency, and the opt-ins `allow_filtering`/`allow_full_scan`.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use cassmodel_schema::Order;
use scylla::statement::Consistency;

use super::column::{Column, ModelColumns};
use super::error::QueryError;
use super::explain::QueryPlan;
use super::filter::Residual;
use super::order::Collation;
use super::plan::{self, Plan, PlanOptions};
use super::predicate::Predicate;
use crate::model::Model;

/// Compares two rows by one `order_by` column.
pub(crate) type Cmp<M> = Arc<dyn Fn(&M, &M) -> Ordering + Send + Sync>;

/// One `order_by` key.
pub(crate) struct OrderKey<M> {
    pub(crate) column: usize,
    pub(crate) dir: Order,
    pub(crate) cmp: Cmp<M>,
}

impl<M> Clone for OrderKey<M> {
    fn clone(&self) -> Self {
        OrderKey {
            column: self.column,
            dir: self.dir,
            cmp: Arc::clone(&self.cmp),
        }
    }
}

/// A query on model `M`: `User::query().filter_with(|c| c.age.gte(18)).limit(10)`.
///
/// Nothing runs until an executing method (`stream`, `all`, `first`, `count`, `exists`,
/// `update`, `delete`); [`Query::explain`] shows what would run.
pub struct Query<M> {
    pub(crate) pred: Predicate<M>,
    pub(crate) order: Vec<OrderKey<M>>,
    pub(crate) limit: Option<u64>,
    pub(crate) page_size: Option<i32>,
    pub(crate) consistency: Option<Consistency>,
    pub(crate) allow_filtering: bool,
    pub(crate) allow_full_scan: bool,
}

impl<M> Clone for Query<M> {
    fn clone(&self) -> Self {
        Query {
            pred: self.pred.clone(),
            order: self.order.clone(),
            limit: self.limit,
            page_size: self.page_size,
            consistency: self.consistency,
            allow_filtering: self.allow_filtering,
            allow_full_scan: self.allow_full_scan,
        }
    }
}

impl<M> fmt::Debug for Query<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("where", &self.pred.to_string())
            .field("limit", &self.limit)
            .field("page_size", &self.page_size)
            .field("allow_filtering", &self.allow_filtering)
            .field("allow_full_scan", &self.allow_full_scan)
            .finish_non_exhaustive()
    }
}

impl<M: Model> Default for Query<M> {
    fn default() -> Self {
        Query::new()
    }
}

impl<M: Model> Query<M> {
    /// A query matching every row (refused when run unless narrowed or `allow_full_scan`).
    pub fn new() -> Self {
        Query {
            pred: Predicate::all(),
            order: Vec::new(),
            limit: None,
            page_size: None,
            consistency: None,
            allow_filtering: false,
            allow_full_scan: false,
        }
    }

    /// Adds a condition (ANDed with the previous ones).
    pub fn filter(mut self, pred: Predicate<M>) -> Self {
        self.pred = self.pred.and(pred);
        self
    }

    /// Adds a condition built from the model's column handles:
    /// `.filter_with(|c| c.age.gt(30) | c.name.eq("bob"))`.
    pub fn filter_with(self, f: impl FnOnce(M::Columns) -> Predicate<M>) -> Self
    where
        M: ModelColumns,
    {
        let pred = f(M::columns());
        self.filter(pred)
    }

    /// Orders by a column (call again for further keys). Served by the server when it is the
    /// clustering order (or its reverse) within one partition; otherwise the rows are sorted
    /// in the client, which needs [`Query::limit`].
    pub fn order_by<T: PartialOrd + 'static>(mut self, column: Column<M, T>, dir: Order) -> Self {
        let collation = Collation::of::<T>(M::TABLE.columns.get(column.index()).map(|c| &c.ty));
        let cmp: Cmp<M> = Arc::new(move |a, b| {
            // Nulls first in ascending order; values as the server orders them.
            match (column.get(a), column.get(b)) {
                (Some(x), Some(y)) => collation.cmp(x, y).unwrap_or(Ordering::Equal),
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        });
        self.order.push(OrderKey {
            column: column.index(),
            dir,
            cmp,
        });
        self
    }

    /// At most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Rows per page fetched from the server (default: the Db's).
    pub fn page_size(mut self, rows: i32) -> Self {
        self.page_size = Some(rows);
        self
    }

    /// The consistency level of the reads (default: the Db's).
    pub fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = Some(consistency);
        self
    }

    /// Lets the server filter regular columns (`ALLOW FILTERING`): more is pushed down, at
    /// the cost of the server reading rows it then drops.
    pub fn allow_filtering(mut self) -> Self {
        self.allow_filtering = true;
        self
    }

    /// Lets the query read every partition of the table when no key or index serves it.
    pub fn allow_full_scan(mut self) -> Self {
        self.allow_full_scan = true;
        self
    }

    /// The plan: per request, the CQL, its bound values, the residual predicate, whether it
    /// scans, and the partitions touched. Pure: nothing is sent.
    pub fn explain(&self) -> Result<QueryPlan, QueryError> {
        Ok(QueryPlan::of(M::TABLE, &self.plan()?, self.limit))
    }

    /// The predicate the client evaluates on the rows of the first request (all of it for a
    /// scan). For benchmarks and tests of the client-side filter.
    pub fn residual(&self) -> Result<Residual<M>, QueryError> {
        Ok(Residual::of_plan(self.plan()?))
    }

    /// Whether `row` satisfies the query's predicate (evaluated entirely in the client).
    pub fn matches(&self, row: &M) -> bool {
        self.pred.matches(row)
    }

    pub(crate) fn options(&self) -> PlanOptions {
        PlanOptions {
            order: self.order.iter().map(|k| (k.column, k.dir)).collect(),
            limit: self.limit,
            allow_filtering: self.allow_filtering,
            allow_full_scan: self.allow_full_scan,
        }
    }

    pub(crate) fn plan(&self) -> Result<Plan<M>, QueryError> {
        plan::plan(M::TABLE, &self.pred.node, &self.options())
    }
}
