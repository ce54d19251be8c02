//! What a cassmodel model declares — tables, columns, CQL types, keys, clustering order,
//! static columns, indexes, table options — and the only renderer of the CQL that creates
//! them. With the `syn` feature it also parses `#[cassmodel(...)]` attributes, so the
//! derive and `cassmodel migrate` share one parser and can never disagree.

pub mod compound;
pub mod cql_type;
pub mod diff;
pub mod ident;
pub mod model;
pub mod render;
pub mod shared;

pub use cql_type::{CqlType, TypeParseError};
pub use model::{
    COMPOUND_KEY_ESCAPE, ColumnDef, ColumnKind, CompoundKeyDef, IndexDef, IndexTarget, Order,
    QueryTableDef, TableDef, TableOptions, UserTypeDef,
};
pub use shared::{List, Shared, Str};

#[cfg(feature = "syn")]
pub mod attr;
