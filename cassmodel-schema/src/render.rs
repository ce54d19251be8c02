//! The only writer of CQL text: DDL (`CREATE KEYSPACE/TABLE/INDEX/TYPE`, `ALTER TABLE/TYPE`,
//! `DROP INDEX`, and the key and clustering-order clauses plans quote) and the DML statements the runtime prepares (insert, select by key / partition / slice /
//! index, update, delete). The derive calls these at expansion time and emits the results
//! as `&'static str` literals, so no statement text is built per call at run time.
//!
//! Table names are rendered unqualified: the runtime's session uses the model's keyspace.

use std::fmt::Write as _;

use crate::cql_type::CqlType;
use crate::diff::{KeyspaceDef, Replication};
use crate::ident::{quote, string_literal};
use crate::model::{
    ColumnDef, ColumnKind, IndexDef, IndexTarget, TableDef, TableOptions, UserTypeDef,
};

fn join<'a>(
    names: impl IntoIterator<Item = &'a str>,
    sep: &str,
    each: impl Fn(&str) -> String,
) -> String {
    names.into_iter().map(each).collect::<Vec<_>>().join(sep)
}

fn names<'a>(cols: &[&'a ColumnDef]) -> Vec<&'a str> {
    cols.iter().map(|c| &*c.name).collect()
}

fn if_not_exists(yes: bool) -> &'static str {
    if yes { " IF NOT EXISTS" } else { "" }
}

/// `CREATE TABLE [IF NOT EXISTS] t (a int, ..., PRIMARY KEY ((a, b), c)) WITH ...`.
pub fn create_table(table: &TableDef, if_not: bool) -> String {
    let mut out = format!(
        "CREATE TABLE{} {} (",
        if_not_exists(if_not),
        quote(&table.name)
    );
    for col in table.columns.iter() {
        let _ = write!(out, "{} {}", quote(&col.name), col.ty);
        if col.kind == ColumnKind::Static {
            out.push_str(" STATIC");
        }
        out.push_str(", ");
    }
    out.push_str(&primary_key(table));
    out.push(')');
    let mut with = Vec::new();
    if table
        .clustering_key()
        .iter()
        .any(|c| matches!(c.kind, ColumnKind::Clustering(_, crate::Order::Desc)))
    {
        with.push(clustering_order(table));
    }
    with.extend(options(&table.options));
    if !with.is_empty() {
        out.push_str(" WITH ");
        out.push_str(&with.join(" AND "));
    }
    out
}

/// `PRIMARY KEY (a, c)`, `PRIMARY KEY ((a, b), c)`: partition key, then clustering columns.
pub fn primary_key(table: &TableDef) -> String {
    let pk = names(&table.partition_key());
    let pk_text = if pk.len() == 1 {
        quote(pk[0])
    } else {
        format!("({})", join(pk, ", ", quote))
    };
    let mut out = format!("PRIMARY KEY ({pk_text}");
    for name in names(&table.clustering_key()) {
        out.push_str(", ");
        out.push_str(&quote(name));
    }
    out.push(')');
    out
}

/// `CLUSTERING ORDER BY (c DESC, d ASC)`: every clustering column with its order.
pub fn clustering_order(table: &TableDef) -> String {
    let order = table
        .clustering_key()
        .iter()
        .map(|c| match c.kind {
            ColumnKind::Clustering(_, order) => format!("{} {}", quote(&c.name), order.as_cql()),
            _ => quote(&c.name),
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("CLUSTERING ORDER BY ({order})")
}

/// A class name becomes `{'class': 'Name'}`; a map literal (`{...}`) is kept verbatim.
fn class_or_map(value: &str) -> String {
    if value.trim_start().starts_with('{') {
        value.to_owned()
    } else {
        format!("{{'class': {}}}", string_literal(value))
    }
}

/// The `name = value` items of a `WITH` clause, in a fixed order.
pub fn options(opts: &TableOptions) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(v) = &opts.bloom_filter_fp_chance {
        out.push(format!("bloom_filter_fp_chance = {v}"));
    }
    if let Some(v) = &opts.caching {
        out.push(format!("caching = {v}"));
    }
    if let Some(v) = &opts.comment {
        out.push(format!("comment = {}", string_literal(v)));
    }
    if let Some(v) = &opts.compaction {
        out.push(format!("compaction = {}", class_or_map(v)));
    }
    if let Some(v) = &opts.compression {
        out.push(format!("compression = {}", class_or_map(v)));
    }
    if let Some(v) = opts.default_time_to_live {
        out.push(format!("default_time_to_live = {v}"));
    }
    if let Some(v) = opts.gc_grace_seconds {
        out.push(format!("gc_grace_seconds = {v}"));
    }
    if let Some(v) = opts.memtable_flush_period_in_ms {
        out.push(format!("memtable_flush_period_in_ms = {v}"));
    }
    if let Some(v) = &opts.speculative_retry {
        out.push(format!("speculative_retry = {}", string_literal(v)));
    }
    for (name, value) in opts.other.iter() {
        out.push(format!("{name} = {value}"));
    }
    out
}

/// `CREATE INDEX [IF NOT EXISTS] name ON t (KEYS(col))`.
pub fn create_index(table: &TableDef, index: &IndexDef, if_not: bool) -> String {
    create_index_on(&table.name, index, if_not)
}

/// [`create_index`] given only the table's name.
pub fn create_index_on(table: &str, index: &IndexDef, if_not: bool) -> String {
    format!(
        "CREATE INDEX{} {} ON {} ({})",
        if_not_exists(if_not),
        quote(&index.name),
        quote(table),
        index_target(index)
    )
}

/// What an index indexes: `col`, `KEYS(col)`, `ENTRIES(col)`, `FULL(col)`.
pub fn index_target(index: &IndexDef) -> String {
    let col = quote(&index.column);
    match index.target {
        IndexTarget::Values => col,
        IndexTarget::Keys => format!("KEYS({col})"),
        IndexTarget::Entries => format!("ENTRIES({col})"),
        IndexTarget::Full => format!("FULL({col})"),
    }
}

/// `DROP INDEX name` (run in the index's keyspace).
pub fn drop_index(name: &str) -> String {
    format!("DROP INDEX {}", quote(name))
}

/// `CREATE KEYSPACE [IF NOT EXISTS] name WITH replication = {...} AND durable_writes = ..`.
pub fn create_keyspace(keyspace: &KeyspaceDef, if_not: bool) -> String {
    format!(
        "CREATE KEYSPACE{} {} WITH replication = {} AND durable_writes = {}",
        if_not_exists(if_not),
        quote(&keyspace.name),
        replication(&keyspace.replication),
        keyspace.durable_writes
    )
}

/// The CQL map literal of `WITH replication = ...`.
pub fn replication(replication: &Replication) -> String {
    let mut out = String::from("{'class': ");
    match replication {
        Replication::Simple(n) => {
            let _ = write!(out, "'SimpleStrategy', 'replication_factor': '{n}'");
        }
        Replication::NetworkTopology(dcs) => {
            out.push_str("'NetworkTopologyStrategy'");
            for (dc, n) in dcs {
                let _ = write!(out, ", {}: '{n}'", string_literal(dc));
            }
        }
        Replication::Other { class, options } => {
            out.push_str(&string_literal(class));
            for (k, v) in options {
                let _ = write!(out, ", {}: {}", string_literal(k), string_literal(v));
            }
        }
    }
    out.push('}');
    out
}

/// `ALTER TYPE t ADD field type`.
pub fn alter_type_add(type_name: &str, field: &str, ty: &CqlType) -> String {
    format!("ALTER TYPE {} ADD {} {ty}", quote(type_name), quote(field))
}

/// `CREATE TYPE [IF NOT EXISTS] name (a int, b text)`.
pub fn create_type(udt: &UserTypeDef, if_not: bool) -> String {
    let fields = udt
        .fields
        .iter()
        .map(|(n, t)| format!("{} {t}", quote(n)))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "CREATE TYPE{} {} ({fields})",
        if_not_exists(if_not),
        quote(&udt.name)
    )
}

/// `ALTER TABLE t ADD col type [STATIC]`.
pub fn alter_add(table: &str, col: &ColumnDef) -> String {
    let stat = if col.kind == ColumnKind::Static {
        " STATIC"
    } else {
        ""
    };
    format!(
        "ALTER TABLE {} ADD {} {}{stat}",
        quote(table),
        quote(&col.name),
        col.ty
    )
}

/// `ALTER TABLE t DROP col`.
pub fn alter_drop(table: &str, column: &str) -> String {
    format!("ALTER TABLE {} DROP {}", quote(table), quote(column))
}

/// `ALTER TABLE t WITH ...`, `None` when no option is set.
pub fn alter_with(table: &str, opts: &TableOptions) -> Option<String> {
    let items = options(opts);
    (!items.is_empty())
        .then(|| format!("ALTER TABLE {} WITH {}", quote(table), items.join(" AND ")))
}

/// The select list: every column in declaration order.
pub fn column_list(table: &TableDef) -> String {
    join(table.columns.iter().map(|c| &*c.name), ", ", quote)
}

fn where_eq(cols: &[&str]) -> String {
    join(cols.iter().copied(), " AND ", |n| {
        format!("{} = ?", quote(n))
    })
}

/// Whether an insert is a lightweight transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InsertKind {
    /// Plain upsert: `... USING TTL ? AND TIMESTAMP ?`; binds are every column in
    /// declaration order, then the TTL, then the timestamp. Leave TTL/timestamp unset
    /// for the table default / server time (Cassandra `cql3/Attributes.java`).
    Upsert,
    /// `... IF NOT EXISTS USING TTL ?`: Cassandra refuses a custom timestamp on a
    /// conditional update (`ModificationStatement`), so only the TTL is bound.
    IfNotExists,
    /// No TTL or timestamp marker: the table's `default_time_to_live`, and the request's
    /// timestamp (the client's, sent with the request, else the server's clock).
    Plain,
}

/// `INSERT INTO t (a, b) VALUES (?, ?) [[IF NOT EXISTS] USING TTL ? [AND TIMESTAMP ?]]`.
pub fn insert(table: &TableDef, kind: InsertKind) -> String {
    let cols = column_list(table);
    let marks = vec!["?"; table.columns.len()].join(", ");
    let tail = match kind {
        InsertKind::Upsert => " USING TTL ? AND TIMESTAMP ?",
        InsertKind::IfNotExists => " IF NOT EXISTS USING TTL ?",
        InsertKind::Plain => "",
    };
    format!(
        "INSERT INTO {} ({cols}) VALUES ({marks}){tail}",
        quote(&table.name)
    )
}

/// `SELECT <all> FROM t WHERE <every primary-key column> = ?`.
pub fn select_by_primary_key(table: &TableDef) -> String {
    select_where(table, &names(&table.primary_key()))
}

/// `SELECT <all> FROM t WHERE <partition key> = ?`.
pub fn select_by_partition(table: &TableDef) -> String {
    select_where(table, &names(&table.partition_key()))
}

/// `SELECT <all> FROM t WHERE col = ?` (a secondary-index lookup).
pub fn select_by_column(table: &TableDef, column: &str) -> String {
    select_where(table, &[column])
}

fn select_where(table: &TableDef, cols: &[&str]) -> String {
    format!(
        "SELECT {} FROM {} WHERE {}",
        column_list(table),
        quote(&table.name),
        where_eq(cols)
    )
}

/// One end of a clustering slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// `>=` / `<=`
    Inclusive,
    /// `>` / `<`
    Exclusive,
}

/// A clustering slice inside one partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Slice {
    /// How many leading clustering columns are fixed by equality.
    pub eq_prefix: usize,
    /// Lower bound on the next clustering column, if any.
    pub lower: Option<Bound>,
    /// Upper bound on the next clustering column, if any.
    pub upper: Option<Bound>,
    /// Return rows in the reverse of the table's clustering order.
    pub reverse: bool,
    /// End with `LIMIT ?`.
    pub limit: bool,
}

/// `SELECT .. WHERE pk = ? AND c0 = ? AND c1 > ? AND c1 <= ? [ORDER BY ..] [LIMIT ?]`.
///
/// Binds: the partition key, `eq_prefix` clustering values, the lower then upper bound,
/// then the limit. `None` when the slice names more clustering columns than exist.
pub fn select_slice(table: &TableDef, slice: Slice) -> Option<String> {
    let ck = table.clustering_key();
    let ranged = slice.lower.is_some() || slice.upper.is_some();
    if slice.eq_prefix + usize::from(ranged) > ck.len() {
        return None;
    }
    let mut cols = names(&table.partition_key());
    cols.extend(ck.iter().take(slice.eq_prefix).map(|c| &*c.name));
    let mut out = select_where(table, &cols);
    if let Some(col) = ck.get(slice.eq_prefix).filter(|_| ranged) {
        let name = quote(&col.name);
        if let Some(b) = slice.lower {
            let op = if b == Bound::Inclusive { ">=" } else { ">" };
            let _ = write!(out, " AND {name} {op} ?");
        }
        if let Some(b) = slice.upper {
            let op = if b == Bound::Inclusive { "<=" } else { "<" };
            let _ = write!(out, " AND {name} {op} ?");
        }
    }
    if slice.reverse {
        // ORDER BY may name only the first clustering column; its reverse order
        // reverses the whole partition (SelectStatement.java, "Order by currently only
        // supports the ordering of columns following their declared order in the
        // PRIMARY KEY" or its exact reverse).
        let first = ck.first()?;
        let reversed = match first.kind {
            ColumnKind::Clustering(_, crate::Order::Desc) => "ASC",
            _ => "DESC",
        };
        let _ = write!(out, " ORDER BY {} {reversed}", quote(&first.name));
    }
    if slice.limit {
        out.push_str(" LIMIT ?");
    }
    Some(out)
}

/// `UPDATE t USING TTL ? AND TIMESTAMP ? SET a = ?, b = ? WHERE <primary key>`.
///
/// Binds: TTL, timestamp, the set columns in the given order, then the primary key.
/// For counter columns the assignment is `c = c + ?` and there is no `USING` clause
/// (counters accept neither TTL nor client timestamps).
pub fn update(table: &TableDef, columns: &[&str]) -> String {
    let counter = table.is_counter_table();
    let set = join(columns.iter().copied(), ", ", |n| {
        let q = quote(n);
        if counter {
            format!("{q} = {q} + ?")
        } else {
            format!("{q} = ?")
        }
    });
    let using = if counter {
        ""
    } else {
        " USING TTL ? AND TIMESTAMP ?"
    };
    format!(
        "UPDATE {}{using} SET {set} WHERE {}",
        quote(&table.name),
        where_eq(&names(&table.primary_key()))
    )
}

/// `DELETE FROM t USING TIMESTAMP ? WHERE <primary key>` (binds: timestamp, key).
pub fn delete_row(table: &TableDef) -> String {
    delete_where(table, &names(&table.primary_key()))
}

/// `DELETE FROM t USING TIMESTAMP ? WHERE <partition key>` (binds: timestamp, key).
pub fn delete_partition(table: &TableDef) -> String {
    delete_where(table, &names(&table.partition_key()))
}

fn delete_where(table: &TableDef, cols: &[&str]) -> String {
    format!(
        "DELETE FROM {} USING TIMESTAMP ? WHERE {}",
        quote(&table.name),
        where_eq(cols)
    )
}

/// The types a column accepts in a bind marker: a counter column is bound as `bigint`.
pub fn bind_type(ty: &CqlType) -> CqlType {
    if *ty == CqlType::Counter {
        CqlType::BigInt
    } else {
        ty.clone()
    }
}
