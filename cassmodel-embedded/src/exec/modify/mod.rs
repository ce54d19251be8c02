//! INSERT, UPDATE and DELETE: [`plan`] validates them with Cassandra 4.1's rules
//! (`C*: cql3/statements/{ModificationStatement,UpdateStatement,DeleteStatement}.java`,
//! `cql3/Operation.java`, `cql3/Attributes.java`); [`keys`] expands a bound statement's
//! keys and [`apply`] turns it into store mutations (collections, counters, list index
//! operations read before writing);
//! [`condition`] checks IF conditions, [`cas`] evaluates them and [`cas_result`] reports
//! failed ones.

pub mod apply;
pub mod cas;
pub mod cas_result;
pub mod condition;
pub mod json;
pub mod keys;
pub mod ops;
pub mod plan;

pub use plan::{ModKind, ModPlan, plan_modification};
