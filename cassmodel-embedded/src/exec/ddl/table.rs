//! CREATE TABLE with Cassandra 4.1's rules and messages
//! (`C*: cql3/statements/schema/CreateTableStatement.java`).

use std::collections::{BTreeMap, HashSet};

use cassmodel_cql::ast::{CreateTable, Order};
use cassmodel_store::{ColumnId, TableId};
use uuid::Uuid;

use super::keyspace::props;
use super::plan::{Perm, Plan, authorize, is_valid_name, no_keyspace};
use crate::api::{SchemaChangeKind, SchemaChangeTarget};
use crate::error::{CqlError, CqlResult};
use crate::schema::catalog::{CatalogSnapshot, keyspace_of};
use crate::schema::model::{ClusteringOrder, ColumnKind, ColumnMeta, KeyspaceMeta, TableMeta};
use crate::schema::options::TableParams;
use crate::schema::quote_ident;
use crate::schema::typeres::{references_duration, resolve};
use crate::types::CqlType;

/// Refuses a non-frozen UDT one of whose fields is itself multi-cell.
pub fn check_udt_nesting(ty: &CqlType) -> CqlResult<()> {
    if let CqlType::Udt(u) = ty
        && u.fields.iter().any(|(_, f)| f.is_multi_cell())
    {
        return Err(CqlError::invalid(
            "Non-frozen UDTs with nested non-frozen collections are not supported",
        ));
    }
    Ok(())
}

/// Allocates a fresh store table id.
pub fn alloc_table_id(plan: &mut Plan) -> TableId {
    let id = TableId(plan.next_table_id);
    plan.next_table_id += 1;
    id
}

/// CREATE TABLE.
pub fn create(
    snap: &CatalogSnapshot,
    session: &crate::api::Session,
    stmt: &CreateTable,
) -> CqlResult<Plan> {
    let ks_name = keyspace_of(stmt.name.keyspace.as_ref().map(|k| k.as_str()), session)?;
    let name = stmt.name.name.as_str();
    authorize(ks_name, None, Perm::Create)?;
    let qualified = format!("{}.{}", quote_ident(ks_name), quote_ident(name));

    // CreateTableStatement.Raw: declarations.
    let mut declared: BTreeMap<&str, &cassmodel_cql::ast::ColumnDefinition> = BTreeMap::new();
    for c in &stmt.columns {
        if declared.insert(c.name.as_str(), c).is_some() {
            return Err(CqlError::invalid(format!(
                "Duplicate column '{}' declaration for table '{qualified}'",
                c.name.as_str()
            )));
        }
    }
    let inline = stmt.columns.iter().filter(|c| c.primary_key).count();
    match inline + stmt.primary_keys.len() {
        0 => {
            return Err(CqlError::invalid(format!(
                "No PRIMARY KEY specifed for table '{qualified}' (exactly one required)"
            )));
        }
        1 => {}
        _ => {
            return Err(CqlError::invalid(format!(
                "Multiple PRIMARY KEY specified for table '{qualified}' (exactly one required)"
            )));
        }
    }
    let pk = stmt
        .primary_key()
        .ok_or_else(|| CqlError::invalid("Exactly one PRIMARY KEY is required"))?;
    let mut order: Vec<(&str, Order)> = Vec::new();
    for (c, o) in &stmt.options.clustering_order {
        if order.iter().any(|(n, _)| *n == c.as_str()) {
            return Err(CqlError::invalid(format!(
                "Duplicate column '{}' in CLUSTERING ORDER BY clause for table '{qualified}'",
                c.as_str()
            )));
        }
        order.push((c.as_str(), *o));
    }
    // apply()
    let Some(ks) = snap.keyspace(ks_name) else {
        return Err(no_keyspace(ks_name));
    };
    if ks.tables.contains_key(name) {
        if stmt.if_not_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(CqlError::already_exists(ks_name, name));
    }
    let p = props(&stmt.options.properties)?;
    let params = TableParams::default().with_props(&p)?;
    let uuid = match p.simple("id")? {
        Some(id) => Uuid::parse_str(id).map_err(|_| CqlError::config("Invalid table id"))?,
        None => Uuid::new_v4(),
    };

    // Types, resolved in name order as Cassandra does (TreeMap by name bytes).
    let mut types: BTreeMap<&str, CqlType> = BTreeMap::new();
    for (n, c) in &declared {
        types.insert(n, resolve(ks_name, &ks.types, &c.ty)?);
    }
    for t in types.values() {
        check_udt_nesting(t)?;
    }

    let statics: HashSet<&str> = stmt
        .columns
        .iter()
        .filter(|c| c.is_static)
        .map(|c| c.name.as_str())
        .collect();
    let mut in_pk: HashSet<&str> = HashSet::new();
    for c in pk.partition_key.iter().chain(&pk.clustering) {
        let c = c.as_str();
        let Some(ty) = types.get(c) else {
            return Err(CqlError::invalid(format!(
                "Unknown column '{c}' referenced in PRIMARY KEY for table '{name}'"
            )));
        };
        if !in_pk.insert(c) {
            return Err(CqlError::invalid(format!(
                "Duplicate column '{c}' in PRIMARY KEY clause for table '{name}'"
            )));
        }
        if ty.is_multi_cell() {
            let what = if ty.is_collection() {
                "collection type"
            } else {
                "user-defined type"
            };
            return Err(CqlError::invalid(format!(
                "Invalid non-frozen {what} {ty} for PRIMARY KEY column '{c}'"
            )));
        }
        if *ty == CqlType::Counter {
            return Err(CqlError::invalid(format!(
                "counter type is not supported for PRIMARY KEY column '{c}'"
            )));
        }
        if references_duration(ty) {
            return Err(CqlError::invalid(format!(
                "duration type is not supported for PRIMARY KEY column '{c}'"
            )));
        }
        if statics.contains(c) {
            return Err(CqlError::invalid(format!(
                "Static column '{c}' cannot be part of the PRIMARY KEY"
            )));
        }
    }

    if order.len() > pk.clustering.len() {
        return Err(CqlError::invalid(
            "Only clustering columns can be defined in CLUSTERING ORDER directive",
        ));
    }
    for (n, (id, _)) in order.iter().enumerate() {
        let c = pk.clustering[n].as_str();
        if *id != c {
            if order.iter().any(|(o, _)| *o == c) {
                return Err(CqlError::invalid(format!(
                    "The order of columns in the CLUSTERING ORDER directive must match that of the clustering columns ({c} must appear before {id})"
                )));
            }
            return Err(CqlError::invalid(format!(
                "Missing CLUSTERING ORDER for column {c}"
            )));
        }
    }
    if stmt.options.compact_storage {
        check_compact_definition(&types, &in_pk, &statics, !pk.clustering.is_empty())?;
    } else if pk.clustering.is_empty() && !statics.is_empty() {
        return Err(CqlError::invalid(
            "Static columns are only useful (and thus allowed) if the table has at least one clustering column",
        ));
    }
    let has_counters = types.values().any(|t| *t == CqlType::Counter);
    if has_counters {
        if types
            .iter()
            .any(|(n, t)| !in_pk.contains(n) && *t != CqlType::Counter)
        {
            return Err(CqlError::invalid(
                "Cannot mix counter and non counter columns in the same table",
            ));
        }
        if params.default_time_to_live > 0 {
            return Err(CqlError::invalid(
                "Cannot set default_time_to_live on a table with counters",
            ));
        }
    }
    if !is_valid_name(name) {
        return Err(CqlError::config(format!(
            "{ks_name}.{name}: Table name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got \"{name}\")"
        )));
    }

    // A definition Cassandra 4.1 would accept as a COMPACT STORAGE table: the embedded
    // server does not implement compact tables' storage semantics, so it refuses them here,
    // after every check Cassandra makes of the definition.
    if stmt.options.compact_storage {
        return Err(CqlError::invalid(
            "COMPACT STORAGE tables are not allowed starting with version 4.0",
        ));
    }

    // Build: column ids in declaration order.
    let mut columns = Vec::with_capacity(stmt.columns.len());
    for (i, c) in stmt.columns.iter().enumerate() {
        let n = c.name.as_str();
        let ty = types.get(n).cloned().unwrap_or(CqlType::Blob);
        let (kind, position, ord) =
            if let Some(p) = pk.partition_key.iter().position(|x| x.as_str() == n) {
                (ColumnKind::PartitionKey, p, ClusteringOrder::None)
            } else if let Some(p) = pk.clustering.iter().position(|x| x.as_str() == n) {
                let desc = order.iter().any(|(o, d)| *o == n && *d == Order::Desc);
                let ord = if desc {
                    ClusteringOrder::Desc
                } else {
                    ClusteringOrder::Asc
                };
                (ColumnKind::Clustering, p, ord)
            } else if statics.contains(n) {
                (ColumnKind::Static, usize::MAX, ClusteringOrder::None)
            } else {
                (ColumnKind::Regular, usize::MAX, ClusteringOrder::None)
            };
        columns.push(ColumnMeta {
            name: n.to_owned(),
            id: ColumnId(u32::try_from(i).unwrap_or(u32::MAX)),
            kind,
            position: i32::try_from(position).unwrap_or(-1),
            ty,
            order: ord,
        });
    }
    let mut plan = Plan::noop(snap);
    let id = alloc_table_id(&mut plan);
    let mut table = TableMeta {
        keyspace: ks_name.to_owned(),
        name: name.to_owned(),
        id,
        uuid,
        next_column_id: u32::try_from(columns.len()).unwrap_or(u32::MAX),
        columns,
        params,
        is_counter: has_counters,
        dropped: BTreeMap::new(),
        indexes: BTreeMap::new(),
        is_system: false,
    };
    table.sort_columns();
    let mut ks = KeyspaceMeta::clone(ks);
    ks.tables
        .insert(name.to_owned(), std::sync::Arc::new(table));
    let next = plan.next_table_id;
    let mut plan = Plan::replace(
        snap,
        ks,
        SchemaChangeKind::Created,
        SchemaChangeTarget::Table(name.to_owned()),
    );
    plan.next_table_id = next;
    Ok(plan)
}

/// `CreateTableStatement.validateCompactTable`: what a COMPACT STORAGE definition may hold
/// (`types` has every column by name, in name order; `dense` means clustering columns).
fn check_compact_definition(
    types: &BTreeMap<&str, CqlType>,
    in_pk: &HashSet<&str>,
    statics: &HashSet<&str>,
    dense: bool,
) -> CqlResult<()> {
    let regular: Vec<(&str, &CqlType)> = types
        .iter()
        .filter(|(n, _)| !in_pk.contains(*n))
        .map(|(n, t)| (*n, t))
        .collect();
    if regular.iter().any(|(_, t)| t.is_multi_cell()) {
        return Err(CqlError::invalid(
            "Non-frozen collections and UDTs are not supported with COMPACT STORAGE",
        ));
    }
    if !statics.is_empty() {
        return Err(CqlError::invalid(
            "Static columns are not supported in COMPACT STORAGE tables",
        ));
    }
    if !dense && regular.is_empty() {
        return Err(CqlError::invalid(
            "No definition found that is not part of the PRIMARY KEY",
        ));
    }
    if dense && regular.len() > 1 {
        let names: Vec<&str> = regular.iter().map(|(n, _)| *n).collect();
        return Err(CqlError::invalid(format!(
            "COMPACT STORAGE with composite PRIMARY KEY allows no more than one column not part of the PRIMARY KEY (got: {})",
            names.join(", ")
        )));
    }
    Ok(())
}
