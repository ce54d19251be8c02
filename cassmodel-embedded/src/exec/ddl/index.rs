//! CREATE INDEX and DROP INDEX (`C*: cql3/statements/schema/CreateIndexStatement.java`,
//! `DropIndexStatement.java`, `IndexTarget.java`, `schema/IndexMetadata.java`).

use std::sync::Arc;

use cassmodel_cql::ast::{CreateIndex, DropObject, IndexTargetKind, QualifiedName};

use super::plan::{Perm, Plan, authorize, no_keyspace};
use super::table::alloc_table_id;
use crate::api::{SchemaChangeKind, SchemaChangeTarget, Session};
use crate::error::{CqlError, CqlResult};
use crate::schema::catalog::{CatalogSnapshot, keyspace_of};
use crate::schema::model::{ColumnKind, IndexMeta, IndexTargetType, KeyspaceMeta, TableMeta};
use crate::schema::quote_ident;
use crate::schema::typeres::references_duration;
use crate::types::CqlType;

const SASI: &str = "org.apache.cassandra.index.sasi.SASIIndex";

/// CREATE INDEX.
pub fn create(snap: &CatalogSnapshot, session: &Session, stmt: &CreateIndex) -> CqlResult<Plan> {
    let ks_name = keyspace_of(stmt.table.keyspace.as_ref().map(|k| k.as_str()), session)?;
    let table_name = stmt.table.name.as_str();
    authorize(ks_name, Some(table_name), Perm::Alter)?;

    // IndexAttributes.validate
    match (&stmt.using, stmt.custom) {
        (None, true) => {
            return Err(CqlError::invalid(
                "CUSTOM index requires specifying the index class",
            ));
        }
        (Some(_), false) => {
            return Err(CqlError::invalid(
                "Cannot specify index class for a non-CUSTOM index",
            ));
        }
        (None, false) if !stmt.properties.is_empty() => {
            return Err(CqlError::invalid(
                "Cannot specify options for a non-CUSTOM index",
            ));
        }
        (Some(class), true) if class == SASI || class == "SASIIndex" => {
            return Err(CqlError::invalid(
                "SASI indexes are disabled. Enable in cassandra.yaml to use.",
            ));
        }
        (Some(class), true) => {
            return Err(CqlError::unsupported(format!(
                "Custom index class '{class}'"
            )));
        }
        (None, false) => {}
    }

    let Some(ks) = snap.keyspace(ks_name) else {
        return Err(no_keyspace(ks_name));
    };
    let Some(table) = ks.tables.get(table_name) else {
        return Err(CqlError::invalid(format!(
            "Table '{table_name}' doesn't exist"
        )));
    };
    if let Some(n) = &stmt.name
        && ks.index(n.as_str()).is_some()
    {
        if stmt.if_not_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(CqlError::invalid(format!(
            "Index '{}' already exists",
            n.as_str()
        )));
    }
    if table.is_counter {
        return Err(CqlError::invalid(
            "Secondary indexes on counter tables aren't supported",
        ));
    }
    let table_str = format!("{}.{}", quote_ident(ks_name), quote_ident(table_name));
    let mut targets = Vec::new();
    for t in &stmt.targets {
        let Some(col) = table.column(t.column.as_str()) else {
            return Err(CqlError::invalid(format!(
                "Undefined column name {} in table {table_str}",
                quote_ident(t.column.as_str())
            )));
        };
        let kind = match t.kind {
            IndexTargetKind::Simple if col.ty.is_collection() => IndexTargetType::Values,
            IndexTargetKind::Simple => IndexTargetType::Simple,
            IndexTargetKind::Values => IndexTargetType::Values,
            IndexTargetKind::Keys => IndexTargetType::Keys,
            IndexTargetKind::Entries => IndexTargetType::Entries,
            IndexTargetKind::Full => IndexTargetType::Full,
        };
        targets.push((col, kind));
    }
    if targets.is_empty() {
        return Err(CqlError::invalid(
            "Only CUSTOM indexes can be created without specifying a target column",
        ));
    }
    if targets.len() > 1 {
        return Err(CqlError::invalid(
            "Only CUSTOM indexes support multiple columns",
        ));
    }
    for (col, kind) in &targets {
        validate_target(table, col, *kind)?;
    }
    let (col, kind) = targets[0];
    let name = match &stmt.name {
        Some(n) => n.as_str().to_owned(),
        None => {
            // IndexMetadata.generateDefaultIndexName drops every match of Java's `\W`,
            // which is ASCII-only: letters outside [a-zA-Z0-9_] go too.
            let base: String = format!("{table_name}_{}_idx", col.name)
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let mut candidate = base.clone();
            let mut i = 1;
            while ks.index(&candidate).is_some() {
                candidate = format!("{base}_{i}");
                i += 1;
            }
            candidate
        }
    };
    if let Some(existing) = table
        .indexes
        .values()
        .find(|i| i.column == col.name && i.target == kind)
    {
        if stmt.if_not_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(CqlError::invalid(format!(
            "Index {name} is a duplicate of existing index {}",
            existing.name
        )));
    }
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(CqlError::config(format!("Illegal index name {name}")));
    }
    let mut plan = Plan::noop(snap);
    let id = alloc_table_id(&mut plan);
    let mut t = TableMeta::clone(table);
    t.indexes.insert(
        name.clone(),
        IndexMeta {
            name,
            column: col.name.clone(),
            target: kind,
            id,
        },
    );
    let mut ks = KeyspaceMeta::clone(ks);
    ks.tables.insert(table_name.to_owned(), Arc::new(t));
    let next = plan.next_table_id;
    let mut plan = Plan::replace(
        snap,
        ks,
        SchemaChangeKind::Updated,
        SchemaChangeTarget::Table(table_name.to_owned()),
    );
    plan.next_table_id = next;
    Ok(plan)
}

/// `CreateIndexStatement.validateIndexTarget`.
fn validate_target(
    table: &TableMeta,
    col: &crate::schema::model::ColumnMeta,
    kind: IndexTargetType,
) -> CqlResult<()> {
    // ColumnMetadata.toString is the raw name (not quoted).
    let n = col.name.as_str();
    let ty = &col.ty;
    if references_duration(ty) {
        let msg = if ty.is_collection() {
            "Secondary indexes are not supported on collections containing durations"
        } else if matches!(ty.unfrozen(), CqlType::Tuple(_)) {
            "Secondary indexes are not supported on tuples containing durations"
        } else if matches!(ty.unfrozen(), CqlType::Udt(_)) {
            "Secondary indexes are not supported on UDTs containing durations"
        } else {
            "Secondary indexes are not supported on duration columns"
        };
        return Err(CqlError::invalid(msg));
    }
    if col.kind == ColumnKind::PartitionKey && table.partition_key().count() == 1 {
        return Err(CqlError::invalid(format!(
            "Cannot create secondary index on the only partition key column {n}"
        )));
    }
    let frozen_collection = ty.is_collection() && !ty.is_multi_cell();
    if frozen_collection && kind != IndexTargetType::Full {
        return Err(CqlError::invalid(format!(
            "Cannot create {}() index on frozen column {n}. Frozen collections are immutable and must be fully indexed by using the 'full({n})' modifier",
            kind.as_str()
        )));
    }
    if !frozen_collection && kind == IndexTargetType::Full {
        return Err(CqlError::invalid(
            "full() indexes can only be created on frozen collections",
        ));
    }
    if !ty.is_collection() && kind != IndexTargetType::Simple {
        return Err(CqlError::invalid(format!(
            "Cannot create {}() index on {n}. Non-collection columns only support simple indexes",
            kind.as_str()
        )));
    }
    let multi_cell_map = matches!(ty, CqlType::Map(..));
    if !multi_cell_map && matches!(kind, IndexTargetType::Keys | IndexTargetType::Entries) {
        return Err(CqlError::invalid(format!(
            "Cannot create index on {} of column {n} with non-map type",
            kind.as_str()
        )));
    }
    if matches!(ty, CqlType::Udt(_)) {
        return Err(CqlError::invalid(format!(
            "Cannot create index on non-frozen UDT column {n}"
        )));
    }
    Ok(())
}

/// DROP INDEX.
pub fn drop(
    snap: &CatalogSnapshot,
    session: &Session,
    stmt: &DropObject<QualifiedName>,
) -> CqlResult<Plan> {
    let ks_name = keyspace_of(stmt.name.keyspace.as_ref().map(|k| k.as_str()), session)?;
    let name = stmt.name.name.as_str();
    let found = snap.keyspace(ks_name).and_then(|k| k.index(name));
    let Some((table, index)) = found else {
        if stmt.if_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(CqlError::invalid(format!(
            "Index '{ks_name}.{name}' doesn't exist'"
        )));
    };
    authorize(ks_name, Some(&table.name), Perm::Alter)?;
    let Some(ks) = snap.keyspace(ks_name) else {
        return Err(no_keyspace(ks_name));
    };
    let mut t = TableMeta::clone(table);
    let index_id = index.id;
    t.indexes.remove(name);
    let table_name = t.name.clone();
    let mut ks = KeyspaceMeta::clone(ks);
    ks.tables.insert(table_name.clone(), Arc::new(t));
    let mut plan = Plan::replace(
        snap,
        ks,
        SchemaChangeKind::Updated,
        SchemaChangeTarget::Table(table_name),
    );
    plan.drop_data.push(index_id);
    Ok(plan)
}
