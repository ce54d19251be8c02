//! The schema catalog of the embedded server: keyspaces, tables, columns, user types and
//! secondary indexes, Cassandra 4.1's table options and replication rules, and the
//! system keyspaces (`system`, `system_schema`, ...) whose tables are real tables in the
//! store so the ordinary SELECT path serves them.

pub mod bootstrap;
pub mod catalog;
pub mod codec;
pub mod compaction;
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
/// a lower-case identifier that is not a reserved keyword is written in double quotes.
pub fn quote_ident(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        // Reserved keywords cannot be column names unquoted: let the parser tell.
        && cassmodel_cql::parse(&format!("CREATE TABLE t ({name} int PRIMARY KEY)")).is_ok();
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod tests {
    use super::quote_ident;

    #[test]
    fn identifiers_are_quoted_like_cassandra() {
        assert_eq!(quote_ident("abc_1"), "abc_1");
        assert_eq!(quote_ident("Abc"), "\"Abc\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("select"), "\"select\"");
        assert_eq!(quote_ident("key"), "key");
    }
}
