//! The schema catalog of the embedded server: keyspaces, tables, columns, user types and
//! secondary indexes, Cassandra 4.1's table options and replication rules, and the
//! system keyspaces (`system`, `system_schema`, ...) whose tables are real tables in the
//! store so the ordinary SELECT path serves them.

pub mod bootstrap;
pub mod catalog;
pub mod codec;
pub mod describe;
pub mod model;
pub mod options;
pub mod persist;
pub mod replication;
pub mod rows;
pub mod suboptions;
pub mod system_defs;
pub mod typeres;

pub use catalog::{Catalog, CatalogSnapshot};
pub use model::{
    ClusteringOrder, ColumnKind, ColumnMeta, DroppedColumn, IndexMeta, IndexTargetType,
    KeyspaceMeta, TableMeta,
};
pub use options::TableParams;
pub use replication::Replication;

/// Quotes an identifier when CQL needs it (`ColumnIdentifier.maybeQuote`): anything but
/// a lower-case unquoted identifier is written in double quotes.
pub fn quote_ident(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}
