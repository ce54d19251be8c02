//! Server-side `DESCRIBE` (Cassandra 4.0+, used by cqlsh 6): the schema rendered as CQL
//! the way `C*: cql3/statements/DescribeStatement.java`, `schema/TableMetadata.toCqlString`,
//! `schema/TableParams.appendCqlTo` and `schema/KeyspaceMetadata.toCqlString` do.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use cassmodel_cql::ast::{Describe, DescribeTarget};

use super::catalog::{CatalogSnapshot, keyspace_of};
use super::model::{ColumnKind, IndexMeta, KeyspaceMeta, TableMeta};
use super::options::java_double;
use super::quote_ident;
use crate::api::{ColumnSpec, ResultRows, Session};
use crate::error::{CqlError, CqlResult};
use crate::types::{CqlType, UserType, Value, serialize};

fn quote_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn map_literal(m: &BTreeMap<String, String>) -> String {
    let items: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("{}: {}", quote_string(k), quote_string(v)))
        .collect();
    format!("{{{}}}", items.join(", "))
}

fn qualified(ks: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(ks), quote_ident(name))
}

/// `CREATE KEYSPACE ...;` as Cassandra prints it (two spaces before `AND` included).
pub fn keyspace_cql(ks: &KeyspaceMeta) -> String {
    format!(
        "CREATE KEYSPACE {} WITH replication = {}  AND durable_writes = {};",
        quote_ident(&ks.name),
        map_literal(&ks.replication.to_map()),
        ks.durable_writes
    )
}

/// `CREATE TYPE ...;`
pub fn type_cql(u: &UserType) -> String {
    let fields: Vec<String> = u
        .fields
        .iter()
        .map(|(n, t)| format!("    {} {t}", quote_ident(n)))
        .collect();
    format!(
        "CREATE TYPE {} (\n{}\n);",
        qualified(&u.keyspace, &u.name),
        fields.join(",\n")
    )
}

/// `CREATE INDEX ...;`
pub fn index_cql(t: &TableMeta, i: &IndexMeta) -> String {
    format!(
        "CREATE INDEX {} ON {} ({});",
        quote_ident(&i.name),
        qualified(&t.keyspace, &t.name),
        i.target_string()
    )
}

/// `name type [static]`, as `ColumnMetadata.appendCqlTo`.
fn column_cql(name: &str, ty: &CqlType, kind: ColumnKind) -> String {
    let mut s = format!("{} {ty}", quote_ident(name));
    if kind == ColumnKind::Static {
        s.push_str(" static");
    }
    s
}

/// `CREATE TABLE ...;`, and `WITH INTERNALS` (`internals`) the table's id and its dropped
/// columns: `C*: schema/TableMetadata.java` `appendCqlTo` lists a dropped column with the
/// others (a re-added one in its dropped form), then replays each drop as `ALTER TABLE ..
/// DROP .. USING TIMESTAMP` followed by the `ADD` of a re-added column.
pub fn table_cql(t: &TableMeta, internals: bool) -> String {
    let table = qualified(&t.keyspace, &t.name);
    let mut s = format!("CREATE TABLE {table} (\n");
    let pk: Vec<&str> = t.partition_key().map(|c| c.name.as_str()).collect();
    let ck: Vec<&str> = t.clustering().map(|c| c.name.as_str()).collect();
    let single = pk.len() == 1 && ck.is_empty();
    let dropped: Vec<_> = if internals {
        t.dropped.values().collect()
    } else {
        Vec::new()
    };
    let mut definitions: Vec<String> = Vec::new();
    for c in &t.columns {
        // A re-added column is listed in its dropped form below, then dropped and added.
        if dropped.iter().any(|d| d.name == c.name) {
            continue;
        }
        let mut def = column_cql(&c.name, &c.ty, c.kind);
        if single && c.kind == ColumnKind::PartitionKey {
            def.push_str(" PRIMARY KEY");
        }
        definitions.push(def);
    }
    let live = definitions.len();
    definitions.extend(dropped.iter().map(|d| column_cql(&d.name, &d.ty, d.kind)));
    for (i, def) in definitions.iter().enumerate() {
        // Cassandra's comma rule: every definition of a table with a compound key; with a
        // single-column key, every live one but the last when nothing was dropped (and no
        // dropped one).
        let comma = !single || (i < live && (i + 1 < live || !dropped.is_empty()));
        let _ = writeln!(s, "    {def}{}", if comma { "," } else { "" });
    }
    if !single {
        let pk: Vec<String> = pk.iter().map(|c| quote_ident(c)).collect();
        let pk = if pk.len() == 1 {
            pk[0].clone()
        } else {
            format!("({})", pk.join(", "))
        };
        let mut key = vec![pk];
        key.extend(ck.iter().map(|c| quote_ident(c)));
        let _ = writeln!(s, "    PRIMARY KEY ({})", key.join(", "));
    }
    s.push_str(") WITH ");
    if internals {
        let _ = write!(s, "ID = {}\n    AND ", t.uuid);
    }
    if !ck.is_empty() {
        let order: Vec<String> = t
            .clustering()
            .map(|c| {
                let dir = if c.is_reversed() { "DESC" } else { "ASC" };
                format!("{} {dir}", quote_ident(&c.name))
            })
            .collect();
        let _ = write!(s, "CLUSTERING ORDER BY ({})\n    AND ", order.join(", "));
    }
    let p = &t.params;
    let options = [
        format!(
            "additional_write_policy = {}",
            quote_string(&p.additional_write_policy)
        ),
        format!(
            "bloom_filter_fp_chance = {}",
            java_double(p.bloom_filter_fp_chance)
        ),
        format!("caching = {}", map_literal(&p.caching)),
        format!("cdc = {}", p.cdc),
        format!("comment = {}", quote_string(&p.comment)),
        format!("compaction = {}", map_literal(&p.compaction)),
        format!("compression = {}", map_literal(&p.compression)),
        format!("memtable = {}", quote_string(&p.memtable)),
        format!("crc_check_chance = {}", java_double(p.crc_check_chance)),
        format!("default_time_to_live = {}", p.default_time_to_live),
        "extensions = {}".to_owned(),
        format!("gc_grace_seconds = {}", p.gc_grace_seconds),
        format!("max_index_interval = {}", p.max_index_interval),
        format!(
            "memtable_flush_period_in_ms = {}",
            p.memtable_flush_period_in_ms
        ),
        format!("min_index_interval = {}", p.min_index_interval),
        format!("read_repair = {}", quote_string(&p.read_repair)),
        format!("speculative_retry = {}", quote_string(&p.speculative_retry)),
    ];
    s.push_str(&options.join("\n    AND "));
    s.push(';');
    for d in dropped {
        let _ = write!(
            s,
            "\nALTER TABLE {table} DROP {} USING TIMESTAMP {};",
            quote_ident(&d.name),
            d.dropped_time
        );
        if let Some(c) = t.column(&d.name) {
            let _ = write!(
                s,
                "\nALTER TABLE {table} ADD {};",
                column_cql(&c.name, &c.ty, c.kind)
            );
        }
    }
    s
}

fn text_spec(name: &str) -> ColumnSpec {
    ColumnSpec {
        keyspace: "system".into(),
        table: "describe".into(),
        name: name.into(),
        ty: CqlType::Text,
    }
}

struct Out {
    with_statement: bool,
    /// `WITH INTERNALS`: tables show their id and dropped columns.
    internals: bool,
    rows: Vec<Vec<Option<Vec<u8>>>>,
}

impl Out {
    /// One row: the keyspace and element names quoted where CQL needs it, as
    /// `C*: cql3/statements/DescribeStatement.java` `toRow` does
    /// (`elementKeyspaceQuotedIfNeeded`, `elementNameQuotedIfNeeded`).
    fn push(&mut self, ks: &str, kind: &str, name: &str, stmt: impl FnOnce() -> String) {
        let mut row = vec![
            Some(quote_ident(ks).into_bytes()),
            Some(kind.as_bytes().to_vec()),
            Some(quote_ident(name).into_bytes()),
        ];
        if self.with_statement {
            row.push(Some(stmt().into_bytes()));
        }
        self.rows.push(row);
    }

    fn keyspace(&mut self, ks: &KeyspaceMeta, only: bool) {
        self.push(&ks.name, "keyspace", &ks.name, || keyspace_cql(ks));
        if only {
            return;
        }
        for u in types_in_dependency_order(ks) {
            self.push(&ks.name, "type", &u.name, || type_cql(u));
        }
        for t in ks.tables.values() {
            self.table(t);
        }
    }

    fn table(&mut self, t: &TableMeta) {
        let internals = self.internals;
        self.push(&t.keyspace, "table", &t.name, || table_cql(t, internals));
        for i in t.indexes.values() {
            self.push(&t.keyspace, "index", &i.name, || index_cql(t, i));
        }
    }

    fn finish(self) -> ResultRows {
        let mut columns = vec![
            text_spec("keyspace_name"),
            text_spec("type"),
            text_spec("name"),
        ];
        if self.with_statement {
            columns.push(text_spec("create_statement"));
        }
        ResultRows {
            columns,
            rows: self.rows,
            paging_state: None,
        }
    }
}

/// The keyspace's user types, each after the types it uses, so that the output can be
/// replayed: `C*: schema/Types.java` `sortedStream` visits the types in name order and
/// adds each one after (recursively) the user types among its fields' subtypes.
fn types_in_dependency_order(ks: &KeyspaceMeta) -> Vec<&UserType> {
    fn visit<'a>(ks: &'a KeyspaceMeta, ty: &CqlType, out: &mut Vec<&'a UserType>) {
        match ty {
            CqlType::Frozen(inner) | CqlType::List(inner) | CqlType::Set(inner) => {
                visit(ks, inner, out);
            }
            CqlType::Map(k, v) => {
                visit(ks, k, out);
                visit(ks, v, out);
            }
            CqlType::Tuple(items) => items.iter().for_each(|t| visit(ks, t, out)),
            CqlType::Udt(u) => {
                // The current definition (a field may hold an older copy of the type).
                let Some(current) = ks.types.get(&u.name) else {
                    return;
                };
                for (_, t) in &current.fields {
                    visit(ks, t, out);
                }
                if !out.iter().any(|x| x.name == current.name) {
                    out.push(current);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(ks.types.len());
    for u in ks.types.values() {
        visit(ks, &CqlType::Udt(u.clone()), &mut out);
    }
    out
}

/// The keyspaces a `DESCRIBE TABLES/TYPES/...` listing covers: the session's keyspace
/// when one is in use, else all of them (`C*: cql3/statements/DescribeStatement.java`
/// `Listing.describe`, which reads `state.getRawKeyspace()`).
fn listed_keyspaces<'a>(
    snap: &'a CatalogSnapshot,
    session: &Session,
) -> CqlResult<Vec<&'a KeyspaceMeta>> {
    match session.keyspace.as_deref() {
        Some(ks) => Ok(vec![keyspace_named(snap, ks)?]),
        None => Ok(snap.keyspaces.values().map(AsRef::as_ref).collect()),
    }
}

fn keyspace_named<'a>(snap: &'a CatalogSnapshot, name: &str) -> CqlResult<&'a KeyspaceMeta> {
    snap.keyspace(name)
        .map(AsRef::as_ref)
        .ok_or_else(|| CqlError::invalid(format!("'{name}' not found in keyspaces")))
}

/// The partitioner `DESCRIBE CLUSTER` names, trimmed of `org.apache.cassandra.dht.`.
const PARTITIONER: &str = "Murmur3Partitioner";
/// The snitch `DESCRIBE CLUSTER` names, trimmed of `org.apache.cassandra.locator.`: with
/// 4.1's default `dynamic_snitch: true` the configured snitch is wrapped in
/// `DynamicEndpointSnitch`, the class `DatabaseDescriptor.getEndpointSnitch()` returns.
const SNITCH: &str = "DynamicEndpointSnitch";

/// One range of the ring and its replicas' endpoints, for `DESCRIBE CLUSTER` with a
/// keyspace in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeOwnership {
    /// The range's end token (`Range.right`).
    pub right_token: i64,
    /// The replicas, as `InetAddressAndPort.toString` writes them (`/127.0.0.1:7000`).
    pub endpoints: Vec<String>,
}

/// `DESCRIBE CLUSTER` (`C*: cql3/statements/DescribeStatement.java`, `cluster()`): cluster
/// name, partitioner and snitch without their package prefixes, and, when a non-system
/// keyspace is in use, a `range_ownership` map from each range's end token to its
/// replicas' endpoints.
pub fn describe_cluster(cluster_name: &str, ranges: Option<&[RangeOwnership]>) -> ResultRows {
    let spec = |n: &str, ty: CqlType| ColumnSpec {
        keyspace: "system".into(),
        table: "describe".into(),
        name: n.into(),
        ty,
    };
    let mut columns = vec![
        spec("cluster", CqlType::Text),
        spec("partitioner", CqlType::Text),
        spec("snitch", CqlType::Text),
    ];
    let mut row = vec![
        Some(cluster_name.as_bytes().to_vec()),
        Some(PARTITIONER.as_bytes().to_vec()),
        Some(SNITCH.as_bytes().to_vec()),
    ];
    if let Some(ranges) = ranges {
        let list = CqlType::Frozen(Box::new(CqlType::List(Box::new(CqlType::Text))));
        columns.push(spec(
            "range_ownership",
            CqlType::Frozen(Box::new(CqlType::Map(
                Box::new(CqlType::Text),
                Box::new(list),
            ))),
        ));
        let mut sorted: Vec<&RangeOwnership> = ranges.iter().collect();
        sorted.sort_by_key(|r| r.right_token);
        let map = Value::Map(
            sorted
                .into_iter()
                .map(|r| {
                    (
                        Value::Text(r.right_token.to_string()),
                        Value::List(r.endpoints.iter().cloned().map(Value::Text).collect()),
                    )
                })
                .collect(),
        );
        row.push(Some(serialize(&map)));
    }
    ResultRows {
        columns,
        rows: vec![row],
        paging_state: None,
    }
}

/// Runs a DESCRIBE statement against the schema. `cluster_name` is reported by
/// `DESCRIBE CLUSTER` (without range ownership: see [`describe_cluster`]).
pub fn describe(
    snap: &CatalogSnapshot,
    session: &Session,
    stmt: &Describe,
    cluster_name: &str,
) -> CqlResult<ResultRows> {
    let listing = matches!(
        stmt.target,
        DescribeTarget::Keyspaces
            | DescribeTarget::Tables
            | DescribeTarget::Types
            | DescribeTarget::Functions
            | DescribeTarget::Aggregates
    );
    let mut out = Out {
        with_statement: !listing,
        internals: stmt.with_internals,
        rows: Vec::new(),
    };
    let ks_of = |q: &cassmodel_cql::ast::QualifiedName| {
        keyspace_of(q.keyspace.as_ref().map(|k| k.as_str()), session).map(str::to_owned)
    };
    match &stmt.target {
        DescribeTarget::Cluster => return Ok(describe_cluster(cluster_name, None)),
        DescribeTarget::Keyspaces => {
            for ks in snap.keyspaces.values() {
                out.push(&ks.name, "keyspace", &ks.name, String::new);
            }
        }
        DescribeTarget::Tables => {
            for ks in listed_keyspaces(snap, session)? {
                for t in ks.tables.values() {
                    out.push(&ks.name, "table", &t.name, String::new);
                }
            }
        }
        DescribeTarget::Types => {
            for ks in listed_keyspaces(snap, session)? {
                for u in ks.types.values() {
                    out.push(&ks.name, "type", &u.name, String::new);
                }
            }
        }
        DescribeTarget::Functions | DescribeTarget::Aggregates => {
            // No user functions or aggregates exist here; the current keyspace is still
            // checked as Cassandra's listing does.
            listed_keyspaces(snap, session)?;
        }
        DescribeTarget::Schema { full } => {
            for ks in snap.keyspaces.values() {
                if *full || !ks.is_system {
                    out.keyspace(ks, false);
                }
            }
        }
        DescribeTarget::Keyspace { name, only } => {
            let name = match name {
                Some(n) => n.as_str(),
                None => keyspace_of(None, session)?,
            };
            out.keyspace(keyspace_named(snap, name)?, *only);
        }
        DescribeTarget::Table(q) => {
            let ks = ks_of(q)?;
            let ksm = keyspace_named(snap, &ks)?;
            let t = ksm.tables.get(q.name.as_str()).ok_or_else(|| {
                CqlError::invalid(format!(
                    "Table '{}' not found in keyspace '{ks}'",
                    q.name.as_str()
                ))
            })?;
            out.table(t);
        }
        DescribeTarget::Index(q) => {
            let ks = ks_of(q)?;
            let ksm = keyspace_named(snap, &ks)?;
            let (t, i) = ksm.index(q.name.as_str()).ok_or_else(|| {
                CqlError::invalid(format!(
                    "Index '{}' not found in keyspace '{ks}'",
                    q.name.as_str()
                ))
            })?;
            out.push(&ks, "index", &i.name, || index_cql(t, i));
        }
        DescribeTarget::Type(q) => {
            let ks = ks_of(q)?;
            let ksm = keyspace_named(snap, &ks)?;
            let u = ksm.types.get(q.name.as_str()).ok_or_else(|| {
                CqlError::invalid(format!(
                    "User defined type '{}' not found in '{ks}'",
                    q.name.as_str()
                ))
            })?;
            out.push(&ks, "type", &u.name, || type_cql(u));
        }
        DescribeTarget::MaterializedView(q) => {
            let ks = ks_of(q)?;
            keyspace_named(snap, &ks)?;
            return Err(CqlError::invalid(format!(
                "Materialized view '{}' not found in keyspace '{ks}'",
                q.name.as_str()
            )));
        }
        DescribeTarget::Function(q) | DescribeTarget::Aggregate(q) => {
            let ks = ks_of(q)?;
            keyspace_named(snap, &ks)?;
            return Err(CqlError::invalid(format!(
                "Function '{}' not found in '{ks}'",
                q.name.as_str()
            )));
        }
        DescribeTarget::Generic(q) => {
            // `DESCRIBE x`: a keyspace when unqualified and one exists, else a table,
            // index... of the (given or current) keyspace.
            if q.keyspace.is_none()
                && let Some(ks) = snap.keyspace(q.name.as_str())
            {
                out.keyspace(ks, false);
            } else {
                let ks = ks_of(q)?;
                let ksm = keyspace_named(snap, &ks)?;
                let n = q.name.as_str();
                if let Some(t) = ksm.tables.get(n) {
                    out.table(t);
                } else if let Some((t, i)) = ksm.index(n) {
                    out.push(&ks, "index", &i.name, || index_cql(t, i));
                } else if let Some(u) = ksm.types.get(n) {
                    out.push(&ks, "type", &u.name, || type_cql(u));
                } else {
                    return Err(CqlError::invalid(format!(
                        "'{n}' not found in keyspace '{ks}'"
                    )));
                }
            }
        }
    }
    Ok(out.finish())
}
