//! SELECT: [`plan`] validates a statement with Cassandra 4.1's restriction rules and picks
//! the access path (partition keys, token range or scan, clustering slices); [`filter`]
//! evaluates every WHERE relation on materialized rows; [`run`] reads pages from the store.

pub mod aggregate;
#[cfg(test)]
mod aggregate_tests;
pub mod filter;
pub mod group;
pub mod merge;
pub mod multi_ck;
pub mod order;
pub mod plan;
pub mod restrict;
pub mod run;
pub mod selection;
pub mod validate;

pub use plan::{SelectPlan, plan_select};
