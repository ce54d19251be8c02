//! ALTER TABLE, DROP TABLE and TRUNCATE (`C*: cql3/statements/schema/
//! {AlterTable,DropTable}Statement.java`, `cql3/statements/TruncateStatement.java`).

use std::sync::Arc;

use cassmodel_cql::ast::{
    AlterTable, AlterTableAction, ColumnDefinition, DropObject, Ident, QualifiedName,
};
use cassmodel_store::ColumnId;

use super::keyspace::props;
use super::plan::{Perm, Plan, authorize, no_keyspace, now_micros};
use super::table::check_udt_nesting;
use crate::api::{SchemaChangeKind, SchemaChangeTarget, Session};
use crate::error::{CqlError, CqlResult};
use crate::schema::catalog::{CatalogSnapshot, keyspace_of};
use crate::schema::model::{
    ClusteringOrder, ColumnKind, ColumnMeta, DroppedColumn, KeyspaceMeta, TableMeta,
};
use crate::schema::quote_ident;
use crate::schema::typeres::resolve;
use crate::types::CqlType;

fn table_string(t: &TableMeta) -> String {
    format!("{}.{}", quote_ident(&t.keyspace), quote_ident(&t.name))
}

/// ALTER TABLE.
pub fn alter(snap: &CatalogSnapshot, session: &Session, stmt: &AlterTable) -> CqlResult<Plan> {
    let ks_name = keyspace_of(stmt.name.keyspace.as_ref().map(|k| k.as_str()), session)?;
    let name = stmt.name.name.as_str();
    authorize(ks_name, Some(name), Perm::Alter)?;
    let ks = snap.keyspace(ks_name);
    let Some(current) = ks.and_then(|k| k.tables.get(name)) else {
        if stmt.if_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(CqlError::invalid(format!(
            "Table '{ks_name}.{name}' doesn't exist"
        )));
    };
    let Some(ks) = ks else {
        return Err(no_keyspace(ks_name));
    };
    let mut t = TableMeta::clone(current);
    let changed = match &stmt.action {
        AlterTableAction::Add {
            if_not_exists,
            columns,
        } => add_columns(ks, &mut t, columns, *if_not_exists)?,
        AlterTableAction::Drop {
            if_exists,
            columns,
            timestamp,
        } => drop_columns(
            &mut t,
            columns,
            *if_exists,
            timestamp.unwrap_or_else(now_micros),
        )?,
        AlterTableAction::Rename { if_exists, renames } => {
            rename_columns(&mut t, renames, *if_exists)?
        }
        AlterTableAction::With(options) => {
            if !options.clustering_order.is_empty() || options.compact_storage {
                return Err(CqlError::syntax(
                    "CLUSTERING ORDER and COMPACT STORAGE cannot be altered",
                ));
            }
            let p = props(&options.properties)?;
            if p.has("id") {
                return Err(CqlError::config("Cannot alter table id."));
            }
            let params = t.params.with_props(&p)?;
            if t.is_counter && params.default_time_to_live > 0 {
                return Err(CqlError::invalid(
                    "Cannot set default_time_to_live on a table with counters",
                ));
            }
            t.params = params;
            true
        }
        AlterTableAction::AlterColumnType { .. } => {
            return Err(CqlError::invalid(
                "Altering column types is no longer supported",
            ));
        }
        AlterTableAction::DropCompactStorage => {
            return Err(CqlError::invalid(
                "DROP COMPACT STORAGE is disabled. Enable in cassandra.yaml to use.",
            ));
        }
    };
    if !changed {
        return Ok(Plan::noop(snap));
    }
    t.sort_columns();
    let mut ks = KeyspaceMeta::clone(ks);
    ks.tables.insert(name.to_owned(), Arc::new(t));
    Ok(Plan::replace(
        snap,
        ks,
        SchemaChangeKind::Updated,
        SchemaChangeTarget::Table(name.to_owned()),
    ))
}

fn add_columns(
    ks: &KeyspaceMeta,
    t: &mut TableMeta,
    columns: &[ColumnDefinition],
    if_not_exists: bool,
) -> CqlResult<bool> {
    let mut changed = false;
    for c in columns {
        let n = c.name.as_str();
        let ty = resolve(&ks.name, &ks.types, &c.ty)?;
        if t.column(n).is_some() {
            if !if_not_exists {
                return Err(CqlError::invalid(format!(
                    "Column with name '{n}' already exists"
                )));
            }
            continue;
        }
        if c.is_static && t.clustering().next().is_none() {
            return Err(CqlError::invalid(
                "Static columns are only useful (and thus allowed) if the table has at least one clustering column",
            ));
        }
        check_udt_nesting(&ty)?;
        if let Some(d) = t.dropped.get(n) {
            if !value_compatible(&ty, &d.ty) {
                return Err(CqlError::invalid(format!(
                    "Cannot re-add previously dropped column '{n}' of type {ty}, incompatible with previous type {}",
                    d.ty
                )));
            }
            if (d.kind == ColumnKind::Static) != c.is_static {
                let kind = if c.is_static { "STATIC" } else { "REGULAR" };
                let prev = if d.kind == ColumnKind::Static {
                    "STATIC"
                } else {
                    "REGULAR"
                };
                return Err(CqlError::invalid(format!(
                    "Cannot re-add previously dropped column '{n}' of kind {kind}, incompatible with previous kind {prev}"
                )));
            }
            if t.is_counter {
                return Err(CqlError::invalid(format!(
                    "Cannot re-add previously dropped counter column {n}"
                )));
            }
        }
        if t.is_counter && ty != CqlType::Counter {
            return Err(CqlError::config(format!(
                "{}: Cannot have a non counter column (\"{n}\") in a counter table",
                table_string(t)
            )));
        }
        if !t.is_counter && ty == CqlType::Counter {
            return Err(CqlError::config(format!(
                "{}: Cannot have a counter column (\"{n}\") in a non counter table",
                table_string(t)
            )));
        }
        // A re-added column takes back its store id: its cells written after the drop
        // show again (`C*: schema/DroppedColumn.java`).
        let id = match t.dropped.get(n).and_then(|d| d.id) {
            Some(id) => id,
            None => {
                t.next_column_id += 1;
                ColumnId(t.next_column_id - 1)
            }
        };
        t.columns.push(ColumnMeta {
            name: n.to_owned(),
            id,
            kind: if c.is_static {
                ColumnKind::Static
            } else {
                ColumnKind::Regular
            },
            position: -1,
            ty,
            order: ClusteringOrder::None,
        });
        changed = true;
    }
    Ok(changed)
}

/// `AbstractType.isValueCompatibleWith`, simplified: same type, or text/ascii/blob
/// widening as Cassandra allows it.
fn value_compatible(new: &CqlType, old: &CqlType) -> bool {
    new == old
        || matches!(
            (new.unfrozen(), old.unfrozen()),
            (CqlType::Blob, _) | (CqlType::Text, CqlType::Ascii)
        )
}

fn drop_columns(
    t: &mut TableMeta,
    columns: &[Ident],
    if_exists: bool,
    timestamp: i64,
) -> CqlResult<bool> {
    let mut changed = false;
    for c in columns {
        let n = c.as_str();
        let Some(col) = t.column(n).cloned() else {
            if !if_exists {
                return Err(CqlError::invalid(format!(
                    "Column {n} was not found in table '{}'",
                    table_string(t)
                )));
            }
            continue;
        };
        if col.kind.is_primary_key() {
            return Err(CqlError::invalid(format!(
                "Cannot drop PRIMARY KEY column {n}"
            )));
        }
        if matches!(col.ty, CqlType::Udt(_)) {
            return Err(CqlError::invalid(format!(
                "Cannot drop non-frozen column {n} of user type {}",
                col.ty
            )));
        }
        let deps: Vec<&str> = t.indexes_on(n).map(|i| i.name.as_str()).collect();
        if !deps.is_empty() {
            return Err(CqlError::invalid(format!(
                "Cannot drop column {n} because it has dependent secondary indexes ({})",
                deps.join(", ")
            )));
        }
        t.columns.retain(|x| x.name != n);
        t.dropped.insert(
            n.to_owned(),
            DroppedColumn {
                name: n.to_owned(),
                ty: col.ty.clone(),
                kind: col.kind,
                // system_schema.dropped_columns keeps milliseconds: rounded up, so
                // the reloaded time still covers every cell written before the drop.
                dropped_time: timestamp.div_euclid(1000) * 1000
                    + if timestamp.rem_euclid(1000) == 0 {
                        0
                    } else {
                        1000
                    },
                id: Some(col.id),
            },
        );
        changed = true;
    }
    Ok(changed)
}

fn rename_columns(
    t: &mut TableMeta,
    renames: &[(Ident, Ident)],
    if_exists: bool,
) -> CqlResult<bool> {
    let mut changed = false;
    for (from, to) in renames {
        let (from, to) = (from.as_str(), to.as_str());
        let Some(col) = t.column(from).cloned() else {
            if !if_exists {
                return Err(CqlError::invalid(format!(
                    "Column {from} was not found in table {}",
                    table_string(t)
                )));
            }
            continue;
        };
        if !col.kind.is_primary_key() {
            return Err(CqlError::invalid(format!(
                "Cannot rename non PRIMARY KEY column {from}"
            )));
        }
        if t.column(to).is_some() {
            return Err(CqlError::invalid(format!(
                "Cannot rename column {from} to {to} in table '{}'; another column with that name already exists",
                table_string(t)
            )));
        }
        let deps: Vec<&str> = t.indexes_on(from).map(|i| i.name.as_str()).collect();
        if !deps.is_empty() {
            return Err(CqlError::invalid(format!(
                "Can't rename column {from} because it has dependent secondary indexes ({})",
                deps.join(", ")
            )));
        }
        for c in &mut t.columns {
            if c.name == from {
                to.clone_into(&mut c.name);
            }
        }
        changed = true;
    }
    Ok(changed)
}

/// DROP TABLE: the table's and its indexes' data go too.
pub fn drop(
    snap: &CatalogSnapshot,
    session: &Session,
    stmt: &DropObject<QualifiedName>,
) -> CqlResult<Plan> {
    let ks_name = keyspace_of(stmt.name.keyspace.as_ref().map(|k| k.as_str()), session)?;
    let name = stmt.name.name.as_str();
    authorize(ks_name, Some(name), Perm::Drop)?;
    let Some(ks) = snap.keyspace(ks_name) else {
        if stmt.if_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(no_keyspace(ks_name));
    };
    let Some(t) = ks.tables.get(name) else {
        if stmt.if_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(CqlError::invalid(format!(
            "Table '{ks_name}.{name}' doesn't exist"
        )));
    };
    let mut drop_data = vec![t.id];
    drop_data.extend(t.indexes.values().map(|i| i.id));
    let mut ks = KeyspaceMeta::clone(ks);
    ks.tables.remove(name);
    let mut plan = Plan::replace(
        snap,
        ks,
        SchemaChangeKind::Dropped,
        SchemaChangeTarget::Table(name.to_owned()),
    );
    plan.drop_data = drop_data;
    Ok(plan)
}

/// TRUNCATE: no schema change; the table and its index tables are emptied.
pub fn truncate(
    snap: &CatalogSnapshot,
    session: &Session,
    name: &QualifiedName,
) -> CqlResult<Plan> {
    let ks_name = keyspace_of(name.keyspace.as_ref().map(|k| k.as_str()), session)?;
    authorize(ks_name, Some(name.name.as_str()), Perm::Modify)?;
    let t = snap.validate_table(ks_name, name.name.as_str())?;
    let mut plan = Plan::noop(snap);
    plan.truncate.push(t.id);
    plan.truncate.extend(t.indexes.values().map(|i| i.id));
    Ok(plan)
}
