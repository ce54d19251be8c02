//! The query builder: typed predicates on a model's columns, a planner that pushes to the
//! server what Cassandra can serve (primary key, partition + clustering slice, secondary
//! index, scan only on request), a client-side residual filter on the streamed pages, and
//! [`Query::explain`] to read the plan.
//!
//! ```text
//! let adults = User::query()
//!     .filter_with(|c| c.country.eq("fr") & c.age.gte(18) & c.name.icontains("ann"))
//!     .limit(20);
//! println!("{}", adults.explain()?);
//! let rows: Vec<User> = adults.all(&db).await?;
//! ```
//!
//! Column handles come from the derive: `User::columns().age` is a [`Column<User, i32>`];
//! comparing it with a `&str` does not compile.

mod builder;
mod cascade;
mod column;
mod error;
mod exec;
mod explain;
mod filter;
mod nnf;
mod order;
mod plan;
mod predicate;
mod write;

pub use builder::Query;
pub use cascade::Cascade;
pub use cassmodel_schema::Order;
pub use column::{Collection, Column, MapKeys, ModelColumns, QueryValue};
pub use error::QueryError;
pub use explain::{PlannedRequest, QueryPlan};
pub use filter::Residual;
pub use plan::AccessPath;
pub use predicate::{Op, Predicate};
pub use regex::Regex;
pub use write::Delete;
