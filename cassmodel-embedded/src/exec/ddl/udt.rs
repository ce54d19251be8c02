//! CREATE / ALTER / DROP TYPE (`C*: cql3/statements/schema/{Create,Alter,Drop}
//! TypeStatement.java`). Altering a type rewrites every table column using it.

use std::collections::HashSet;
use std::sync::Arc;

use cassmodel_cql::ast::{
    AlterType, AlterTypeAction, CreateType, DropObject, NativeType, QualifiedName, TypeExpr,
};

use super::plan::{Perm, Plan, authorize, no_keyspace};
use crate::api::{SchemaChangeKind, SchemaChangeTarget, Session};
use crate::error::{CqlError, CqlResult};
use crate::schema::catalog::{CatalogSnapshot, keyspace_of};
use crate::schema::model::{KeyspaceMeta, TableMeta};
use crate::schema::quote_ident;
use crate::schema::typeres::{raw_to_string, references_udt, replace_udt, resolve};
use crate::types::UserType;

fn target(name: &str) -> SchemaChangeTarget {
    SchemaChangeTarget::Type(name.to_owned())
}

/// CREATE TYPE.
pub fn create(snap: &CatalogSnapshot, session: &Session, stmt: &CreateType) -> CqlResult<Plan> {
    let ks_name = keyspace_of(stmt.name.keyspace.as_ref().map(|k| k.as_str()), session)?;
    let name = stmt.name.name.as_str();
    authorize(ks_name, None, Perm::Create)?;
    let Some(ks) = snap.keyspace(ks_name) else {
        return Err(no_keyspace(ks_name));
    };
    if ks.types.contains_key(name) {
        if stmt.if_not_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(CqlError::invalid(format!(
            "A user type with name '{name}' already exists"
        )));
    }
    let mut seen = HashSet::new();
    for (f, _) in &stmt.fields {
        if !seen.insert(f.as_str()) {
            return Err(CqlError::invalid(format!(
                "Duplicate field name '{}' in type '{name}'",
                f.as_str()
            )));
        }
    }
    // Counters and non-frozen UDTs are refused for every field before any is resolved.
    for (_, t) in &stmt.fields {
        if matches!(t, TypeExpr::Native(NativeType::Counter)) {
            return Err(CqlError::invalid("A user type cannot contain counters"));
        }
        if matches!(t, TypeExpr::UserType(_)) {
            return Err(CqlError::invalid(
                "A user type cannot contain non-frozen UDTs",
            ));
        }
    }
    let mut fields = Vec::with_capacity(stmt.fields.len());
    for (f, t) in &stmt.fields {
        fields.push((f.as_str().to_owned(), resolve(ks_name, &ks.types, t)?));
    }
    // Unlike keyspace and table names, a (quoted) type name may hold any character:
    // `C*: cql3/statements/schema/CreateTypeStatement.java` does not check it.
    let mut ks = KeyspaceMeta::clone(ks);
    ks.types.insert(
        name.to_owned(),
        Arc::new(UserType {
            keyspace: ks_name.to_owned(),
            name: name.to_owned(),
            fields,
        }),
    );
    Ok(Plan::replace(
        snap,
        ks,
        SchemaChangeKind::Created,
        target(name),
    ))
}

/// ALTER TYPE.
pub fn alter(snap: &CatalogSnapshot, session: &Session, stmt: &AlterType) -> CqlResult<Plan> {
    let ks_name = keyspace_of(stmt.name.keyspace.as_ref().map(|k| k.as_str()), session)?;
    let name = stmt.name.name.as_str();
    authorize(ks_name, None, Perm::Alter)?;
    let ks = snap.keyspace(ks_name);
    let Some(current) = ks.and_then(|k| k.types.get(name)) else {
        if stmt.if_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(CqlError::invalid(format!(
            "Type {ks_name}.{name} doesn't exist"
        )));
    };
    let Some(ks) = ks else {
        return Err(no_keyspace(ks_name));
    };
    let mut u = UserType::clone(current);
    let mut changed = false;
    match &stmt.action {
        AlterTypeAction::Add {
            if_not_exists,
            field,
            ty,
        } => {
            let f = field.as_str();
            if u.fields.iter().any(|(n, _)| n == f) {
                if !if_not_exists {
                    return Err(CqlError::invalid(format!(
                        "Cannot add field {f} to type {ks_name}.{name}: a field with name {f} already exists"
                    )));
                }
            } else {
                let t = resolve(ks_name, &ks.types, ty)?;
                let raw = raw_to_string(ty);
                if references_udt(&t, name) {
                    return Err(CqlError::invalid(format!(
                        "Cannot add new field {f} of type {raw} to user type {ks_name}.{name} as it would create a circular reference"
                    )));
                }
                let in_pk: Vec<String> = ks
                    .tables
                    .values()
                    .filter(|t| t.partition_key().any(|c| references_udt(&c.ty, name)))
                    .map(|t| format!("{}.{}", quote_ident(&t.keyspace), quote_ident(&t.name)))
                    .collect();
                if !in_pk.is_empty() {
                    return Err(CqlError::invalid(format!(
                        "Cannot add new field {f} of type {raw} to user type {ks_name}.{name} as the type is being used in partition key by the following tables: {}",
                        in_pk.join(", ")
                    )));
                }
                u.fields.push((f.to_owned(), t));
                changed = true;
            }
        }
        AlterTypeAction::Rename { if_exists, renames } => {
            for (from, to) in renames {
                let Some(pos) = u.fields.iter().position(|(n, _)| n == from.as_str()) else {
                    if *if_exists {
                        continue;
                    }
                    return Err(CqlError::invalid(format!(
                        "Unkown field {} in user type {ks_name}.{name}",
                        from.as_str()
                    )));
                };
                u.fields[pos].0 = to.as_str().to_owned();
                changed = true;
            }
            for (i, (n, _)) in u.fields.iter().enumerate() {
                if u.fields[i + 1..].iter().any(|(m, _)| m == n) {
                    // Cassandra's format string drops its last argument: "... in type <ks>".
                    return Err(CqlError::invalid(format!(
                        "Duplicate field name {n} in type {ks_name}"
                    )));
                }
            }
        }
        AlterTypeAction::AlterFieldType { .. } => {
            return Err(CqlError::invalid(
                "Altering field types is no longer supported",
            ));
        }
    }
    if !changed {
        return Ok(Plan::noop(snap));
    }
    let u = Arc::new(u);
    let mut ks = KeyspaceMeta::clone(ks);
    // Other types and tables referring to this one see the new definition.
    let others: Vec<(String, Arc<UserType>)> = ks
        .types
        .iter()
        .filter(|(n, t)| {
            n.as_str() != name && t.fields.iter().any(|(_, f)| references_udt(f, name))
        })
        .map(|(n, t)| {
            let mut t = UserType::clone(t);
            for (_, f) in &mut t.fields {
                *f = replace_udt(f, &u);
            }
            (n.clone(), Arc::new(t))
        })
        .collect();
    ks.types.extend(others);
    ks.types.insert(name.to_owned(), u.clone());
    let tables: Vec<(String, Arc<TableMeta>)> = ks
        .tables
        .iter()
        .filter(|(_, t)| t.columns.iter().any(|c| references_udt(&c.ty, name)))
        .map(|(n, t)| {
            let mut t = TableMeta::clone(t);
            for c in &mut t.columns {
                c.ty = replace_udt(&c.ty, &u);
            }
            (n.clone(), Arc::new(t))
        })
        .collect();
    ks.tables.extend(tables);
    Ok(Plan::replace(
        snap,
        ks,
        SchemaChangeKind::Updated,
        target(name),
    ))
}

/// DROP TYPE.
pub fn drop(
    snap: &CatalogSnapshot,
    session: &Session,
    stmt: &DropObject<QualifiedName>,
) -> CqlResult<Plan> {
    let ks_name = keyspace_of(stmt.name.keyspace.as_ref().map(|k| k.as_str()), session)?;
    let name = stmt.name.name.as_str();
    authorize(ks_name, None, Perm::Drop)?;
    let ks = snap.keyspace(ks_name);
    let Some(ks) = ks.filter(|k| k.types.contains_key(name)) else {
        if stmt.if_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(CqlError::invalid(format!(
            "Type '{ks_name}.{name}' doesn't exist"
        )));
    };
    let types: Vec<&str> = ks
        .types
        .iter()
        .filter(|(n, t)| {
            n.as_str() != name && t.fields.iter().any(|(_, f)| references_udt(f, name))
        })
        .map(|(n, _)| n.as_str())
        .collect();
    if !types.is_empty() {
        return Err(CqlError::invalid(format!(
            "Cannot drop user type '{ks_name}.{name}' as it is still used by user types {}",
            types.join(", ")
        )));
    }
    let tables: Vec<&str> = ks
        .tables
        .values()
        .filter(|t| t.columns.iter().any(|c| references_udt(&c.ty, name)))
        .map(|t| t.name.as_str())
        .collect();
    if !tables.is_empty() {
        return Err(CqlError::invalid(format!(
            "Cannot drop user type '{ks_name}.{name}' as it is still used by tables {}",
            tables.join(", ")
        )));
    }
    let mut ks = KeyspaceMeta::clone(ks);
    ks.types.remove(name);
    Ok(Plan::replace(
        snap,
        ks,
        SchemaChangeKind::Dropped,
        target(name),
    ))
}
