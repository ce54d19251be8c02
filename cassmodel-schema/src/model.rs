//! The schema data model: what one `#[derive(Model)]` (or one live table) declares.
//!
//! Plain data, comparable (`PartialEq`, `Eq`) so that a schema diff is a comparison, and
//! constructible in `static` context (see [`crate::shared`]) so that the derive can emit it.

use crate::cql_type::CqlType;
use crate::shared::{List, Str};

/// Clustering order of a clustering column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Order {
    /// `ASC` (Cassandra's default).
    #[default]
    Asc,
    /// `DESC`.
    Desc,
}

impl Order {
    /// `ASC` or `DESC`.
    pub fn as_cql(self) -> &'static str {
        match self {
            Order::Asc => "ASC",
            Order::Desc => "DESC",
        }
    }
}

/// The role of a column in its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// Part of the partition key, at this position (0-based).
    PartitionKey(u16),
    /// A clustering column at this position (0-based), with its order.
    Clustering(u16, Order),
    /// A static column (one value per partition).
    Static,
    /// A regular column.
    Regular,
}

impl ColumnKind {
    /// A partition-key or clustering column.
    pub fn is_primary_key(self) -> bool {
        matches!(
            self,
            ColumnKind::PartitionKey(_) | ColumnKind::Clustering(..)
        )
    }
}

/// One column of a table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ColumnDef {
    /// The column name, exact (unquoted; quoting happens when rendering).
    pub name: Str,
    /// Its CQL type.
    pub ty: CqlType,
    /// Its role.
    pub kind: ColumnKind,
}

/// What a secondary index indexes (`CREATE INDEX ON t (KEYS(m))`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum IndexTarget {
    /// The value of a regular column, or the values of a collection (the default).
    #[default]
    Values,
    /// The keys of a map.
    Keys,
    /// The entries of a map.
    Entries,
    /// A whole frozen collection.
    Full,
}

/// A secondary index on one column.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IndexDef {
    /// Index name.
    pub name: Str,
    /// Indexed column name.
    pub column: Str,
    /// What of the column is indexed.
    pub target: IndexTarget,
}

/// Table options (`WITH ...`). `None` leaves the server default.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct TableOptions {
    /// `default_time_to_live` in seconds.
    pub default_time_to_live: Option<i32>,
    /// `comment`.
    pub comment: Option<Str>,
    /// `compaction`: a class name (`LeveledCompactionStrategy`) or a CQL map literal.
    pub compaction: Option<Str>,
    /// `compression`: a class name or a CQL map literal.
    pub compression: Option<Str>,
    /// `caching`: a CQL map literal (`{'keys': 'ALL', 'rows_per_partition': 'NONE'}`).
    pub caching: Option<Str>,
    /// `gc_grace_seconds`.
    pub gc_grace_seconds: Option<i32>,
    /// `bloom_filter_fp_chance`, as CQL number text (floats are not `Eq`).
    pub bloom_filter_fp_chance: Option<Str>,
    /// `speculative_retry` (`99p`, `10ms`, `ALWAYS`, `NONE`).
    pub speculative_retry: Option<Str>,
    /// `memtable_flush_period_in_ms`.
    pub memtable_flush_period_in_ms: Option<i32>,
    /// Any other option: name and its value as CQL literal text, rendered verbatim.
    pub other: List<(Str, Str)>,
}

impl TableOptions {
    /// No option set.
    pub const EMPTY: TableOptions = TableOptions {
        default_time_to_live: None,
        comment: None,
        compaction: None,
        compression: None,
        caching: None,
        gc_grace_seconds: None,
        bloom_filter_fp_chance: None,
        speculative_retry: None,
        memtable_flush_period_in_ms: None,
        other: List::Borrowed(&[]),
    };

    /// Whether no option is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::EMPTY
    }
}

/// A key column computed from other columns (django_cassandra's COMPOUND_KEY_FIELDS).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CompoundKeyDef {
    /// The computed column.
    pub column: Str,
    /// Source column names, in order.
    pub fields: List<Str>,
    /// Separator placed between the escaped values.
    pub separator: Str,
}

/// The escape character of compound keys: it precedes a separator or itself inside a value.
pub const COMPOUND_KEY_ESCAPE: char = '\\';

/// A denormalized copy of a model keyed differently: what `query_table(..)` declares.
/// [`TableDef::query_table_defs`] turns it into the full table definition.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QueryTableDef {
    /// Table name.
    pub name: Str,
    /// Partition-key column names, in order.
    pub partition_key: List<Str>,
    /// Clustering column names, in order.
    pub clustering_key: List<Str>,
}

/// A table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TableDef {
    /// Table name, exact (unquoted).
    pub name: Str,
    /// Columns in declaration order.
    pub columns: List<ColumnDef>,
    /// Secondary indexes.
    pub indexes: List<IndexDef>,
    /// Table options.
    pub options: TableOptions,
    /// Computed compound-key columns.
    pub compound_keys: List<CompoundKeyDef>,
    /// Query tables kept in sync with this one.
    pub query_tables: List<QueryTableDef>,
}

impl TableDef {
    /// Partition-key columns, by position.
    pub fn partition_key(&self) -> Vec<&ColumnDef> {
        let mut cols: Vec<(u16, &ColumnDef)> = self
            .columns
            .iter()
            .filter_map(|c| match c.kind {
                ColumnKind::PartitionKey(pos) => Some((pos, c)),
                _ => None,
            })
            .collect();
        cols.sort_by_key(|(pos, _)| *pos);
        cols.into_iter().map(|(_, c)| c).collect()
    }

    /// Clustering columns, by position.
    pub fn clustering_key(&self) -> Vec<&ColumnDef> {
        let mut cols: Vec<(u16, &ColumnDef)> = self
            .columns
            .iter()
            .filter_map(|c| match c.kind {
                ColumnKind::Clustering(pos, _) => Some((pos, c)),
                _ => None,
            })
            .collect();
        cols.sort_by_key(|(pos, _)| *pos);
        cols.into_iter().map(|(_, c)| c).collect()
    }

    /// Partition key then clustering columns.
    pub fn primary_key(&self) -> Vec<&ColumnDef> {
        let mut key = self.partition_key();
        key.extend(self.clustering_key());
        key
    }

    /// Static and regular columns, in declaration order.
    pub fn non_key_columns(&self) -> Vec<&ColumnDef> {
        self.columns
            .iter()
            .filter(|c| !c.kind.is_primary_key())
            .collect()
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether this is a counter table.
    pub fn is_counter_table(&self) -> bool {
        self.columns.iter().any(|c| c.ty == CqlType::Counter)
    }

    /// The full table definition of each query table, in declaration order.
    ///
    /// A query table holds one copy of every row of this table, keyed differently:
    /// * its columns are this table's columns, same names, types and (declaration) order,
    ///   so a row binds to its `INSERT` exactly as to the base table's;
    /// * its partition key is the declared `partition_key`; its clustering columns are the
    ///   declared `clustering_key`, then every primary-key column of this table the
    ///   declaration does not mention (partition key first, then clustering columns), so
    ///   each base row maps to exactly one query-table row and no two base rows collide;
    /// * a clustering column keeps the order it has in this table (a `DESC` timeline stays
    ///   newest first in the copy); other clustering columns are `ASC`;
    /// * static columns become regular (the copy's partitions are not this table's);
    /// * no indexes, compound keys or nested query tables: the copy is written whole by
    ///   the runtime from the base row, never on its own;
    /// * options: every option of this table except `comment` (it describes the base
    ///   table). In particular `default_time_to_live` is inherited, so copies expire with
    ///   the rows they copy.
    ///
    /// A declaration naming a column this table lacks keeps only the columns it has; the
    /// derive refuses such declarations at compile time.
    pub fn query_table_defs(&self) -> Vec<TableDef> {
        self.query_tables
            .iter()
            .map(|qt| self.query_table_def(qt))
            .collect()
    }

    fn query_table_def(&self, qt: &QueryTableDef) -> TableDef {
        let mut clustering: Vec<Str> = qt.clustering_key.to_vec();
        for key in self.primary_key() {
            let declared = qt.partition_key.contains(&key.name) || clustering.contains(&key.name);
            if !declared {
                clustering.push(key.name.clone());
            }
        }
        let position = |list: &[Str], name: &str| {
            list.iter()
                .position(|n| n == name)
                .and_then(|p| u16::try_from(p).ok())
        };
        let columns: Vec<ColumnDef> = self
            .columns
            .iter()
            .map(|c| {
                let kind = if let Some(p) = position(&qt.partition_key, &c.name) {
                    ColumnKind::PartitionKey(p)
                } else if let Some(p) = position(&clustering, &c.name) {
                    let order = match c.kind {
                        ColumnKind::Clustering(_, order) => order,
                        _ => Order::Asc,
                    };
                    ColumnKind::Clustering(p, order)
                } else {
                    ColumnKind::Regular
                };
                ColumnDef {
                    name: c.name.clone(),
                    ty: c.ty.clone(),
                    kind,
                }
            })
            .collect();
        TableDef {
            name: qt.name.clone(),
            columns: columns.into(),
            indexes: List::Borrowed(&[]),
            options: TableOptions {
                comment: None,
                ..self.options.clone()
            },
            compound_keys: List::Borrowed(&[]),
            query_tables: List::Borrowed(&[]),
        }
    }
}

/// A user-defined type (`CREATE TYPE`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UserTypeDef {
    /// Type name, exact.
    pub name: Str,
    /// Fields: name and type, in order.
    pub fields: List<(Str, CqlType)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &'static str, ty: CqlType, kind: ColumnKind) -> ColumnDef {
        ColumnDef {
            name: name.into(),
            ty,
            kind,
        }
    }

    fn qt(name: &'static str, pk: &[&'static str], ck: &[&'static str]) -> QueryTableDef {
        let list = |names: &[&'static str]| -> List<Str> {
            names
                .iter()
                .map(|n| Str::from(*n))
                .collect::<Vec<_>>()
                .into()
        };
        QueryTableDef {
            name: name.into(),
            partition_key: list(pk),
            clustering_key: list(ck),
        }
    }

    /// `users`: partition `(org, username)`, clustering `joined DESC`, a static, regulars.
    fn users(query_tables: Vec<QueryTableDef>) -> TableDef {
        TableDef {
            name: "users".into(),
            columns: vec![
                col("org", CqlType::Text, ColumnKind::PartitionKey(0)),
                col("username", CqlType::Text, ColumnKind::PartitionKey(1)),
                col(
                    "joined",
                    CqlType::Timestamp,
                    ColumnKind::Clustering(0, Order::Desc),
                ),
                col("org_name", CqlType::Text, ColumnKind::Static),
                col("city", CqlType::Text, ColumnKind::Regular),
                col("age", CqlType::Int, ColumnKind::Regular),
            ]
            .into(),
            indexes: vec![IndexDef {
                name: "users_city_idx".into(),
                column: "city".into(),
                target: IndexTarget::Values,
            }]
            .into(),
            options: TableOptions {
                default_time_to_live: Some(60),
                comment: Some("the users".into()),
                gc_grace_seconds: Some(10),
                ..TableOptions::EMPTY
            },
            compound_keys: Vec::new().into(),
            query_tables: query_tables.into(),
        }
    }

    fn kinds(t: &TableDef) -> Vec<(&str, ColumnKind)> {
        t.columns.iter().map(|c| (&*c.name, c.kind)).collect()
    }

    #[test]
    fn keys_are_reassigned_and_base_key_appended() {
        let base = users(vec![qt("users_by_city", &["city"], &["age", "username"])]);
        let defs = base.query_table_defs();
        assert_eq!(defs.len(), 1);
        let t = &defs[0];
        assert_eq!(t.name, "users_by_city");
        // Same columns, same order and types; keys as declared, then the missing base key
        // columns (`org`, then `joined` with its DESC order) as clustering columns.
        assert_eq!(
            kinds(t),
            [
                ("org", ColumnKind::Clustering(2, Order::Asc)),
                ("username", ColumnKind::Clustering(1, Order::Asc)),
                ("joined", ColumnKind::Clustering(3, Order::Desc)),
                ("org_name", ColumnKind::Regular),
                ("city", ColumnKind::PartitionKey(0)),
                ("age", ColumnKind::Clustering(0, Order::Asc)),
            ]
        );
        let types: Vec<&CqlType> = t.columns.iter().map(|c| &c.ty).collect();
        let base_types: Vec<&CqlType> = base.columns.iter().map(|c| &c.ty).collect();
        assert_eq!(types, base_types);
        let ck: Vec<&str> = t.clustering_key().iter().map(|c| &*c.name).collect();
        assert_eq!(ck, ["age", "username", "org", "joined"]);
    }

    #[test]
    fn no_indexes_compound_keys_or_nested_query_tables() {
        let base = users(vec![qt("by_city", &["city"], &[])]);
        let t = &base.query_table_defs()[0];
        assert!(t.indexes.is_empty());
        assert!(t.compound_keys.is_empty());
        assert!(t.query_tables.is_empty());
        assert!(t.query_table_defs().is_empty());
    }

    #[test]
    fn options_inherited_except_comment() {
        let base = users(vec![qt("by_city", &["city"], &[])]);
        let t = &base.query_table_defs()[0];
        assert_eq!(t.options.default_time_to_live, Some(60));
        assert_eq!(t.options.gc_grace_seconds, Some(10));
        assert_eq!(t.options.comment, None);
    }

    #[test]
    fn declared_base_key_columns_are_not_repeated() {
        // The declaration already names the whole base key: nothing appended.
        let base = users(vec![qt("by_user", &["username", "org"], &["joined"])]);
        let t = &base.query_table_defs()[0];
        let pk: Vec<&str> = t.partition_key().iter().map(|c| &*c.name).collect();
        assert_eq!(pk, ["username", "org"]);
        let ck: Vec<&str> = t.clustering_key().iter().map(|c| &*c.name).collect();
        assert_eq!(ck, ["joined"]);
        assert_eq!(t.primary_key().len(), 3);
    }

    #[test]
    fn several_query_tables_in_declaration_order() {
        let base = users(vec![
            qt("by_city", &["city"], &[]),
            qt("by_age", &["age"], &["city"]),
        ]);
        let names: Vec<String> = base
            .query_table_defs()
            .iter()
            .map(|t| t.name.to_string())
            .collect();
        assert_eq!(names, ["by_city", "by_age"]);
        assert!(users(Vec::new()).query_table_defs().is_empty());
    }
}
