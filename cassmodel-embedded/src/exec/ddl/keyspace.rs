//! CREATE / ALTER / DROP KEYSPACE (`C*: cql3/statements/schema/{Create,Alter,Drop}
//! KeyspaceStatement.java`, `KeyspaceAttributes.java`), and the conversion of `WITH`
//! properties into text as Cassandra's `propertyValue` rule produces them.

use cassmodel_cql::ast::{
    AlterKeyspace, CreateKeyspace, DropObject, Ident, Literal, Property, PropertyValue, Term,
};

use super::plan::{Perm, Plan, authorize, is_valid_name, no_keyspace};
use crate::api::{SchemaChangeKind, SchemaChangeTarget};
use crate::error::{CqlError, CqlResult};
use crate::exec::client_warn;
use crate::schema::catalog::CatalogSnapshot;
use crate::schema::model::KeyspaceMeta;
use crate::schema::options::{PropValue, Props, parse_bool};
use crate::schema::replication::{LOCAL_DC, Replication};
use crate::schema::system_defs::{is_local_system_keyspace, is_replicated_system_keyspace};

fn term_text(t: &Term) -> CqlResult<String> {
    match t {
        Term::Literal(l) => Ok(match l {
            Literal::String(s) => s.clone(),
            Literal::Integer(s) | Literal::Float(s) | Literal::Uuid(s) | Literal::Duration(s) => {
                s.clone()
            }
            Literal::Boolean(b) => b.to_string(),
            Literal::Hex(h) => format!("0x{h}"),
        }),
        _ => Err(CqlError::syntax(
            "Invalid property value: a constant is expected",
        )),
    }
}

/// Converts parsed `WITH` properties to [`Props`] (duplicates are a syntax error).
pub fn props(properties: &[Property]) -> CqlResult<Props> {
    let mut items = Vec::with_capacity(properties.len());
    for p in properties {
        let v = match &p.value {
            PropertyValue::Constant(t) => PropValue::Simple(term_text(t)?),
            PropertyValue::Ident(i) => PropValue::Simple(i.as_str().to_owned()),
            PropertyValue::Map(entries) => {
                let mut m = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    m.push((term_text(k)?, term_text(v)?));
                }
                PropValue::Map(m)
            }
        };
        items.push((p.name.as_str().to_owned(), v));
    }
    Props::new(items)
}

const KEYSPACE_OPTIONS: &[&str] = &["replication", "durable_writes"];

/// `KeyspaceAttributes.validate`.
fn keyspace_props(properties: &[Property]) -> CqlResult<Props> {
    let p = props(properties)?;
    // `graph_engine` (a DSE option) is accepted and ignored, with a warning in Cassandra.
    p.validate(KEYSPACE_OPTIONS, &["graph_engine"])?;
    if let Some(m) = p.map("replication")?
        && !m.is_empty()
        && !m.iter().any(|(k, _)| k == "class")
    {
        return Err(CqlError::config("Missing replication strategy class"));
    }
    Ok(p)
}

fn durable_writes(p: &Props, current: bool) -> CqlResult<bool> {
    match p.simple("durable_writes")? {
        Some(v) => parse_bool("durable_writes", v),
        None => Ok(current),
    }
}

/// The number of nodes of this single-node cluster (in data center [`LOCAL_DC`]).
const NODES: u32 = 1;

/// The warning of a replication factor above the node count, which CREATE and ALTER
/// KEYSPACE give while validating the new replication (`C*: locator/SimpleStrategy.java`
/// and `NetworkTopologyStrategy.java`, `maybeWarnOnOptions`; not for system keyspaces).
fn warn_on_replication(keyspace: &str, r: &Replication) {
    if is_local_system_keyspace(keyspace) || is_replicated_system_keyspace(keyspace) {
        return;
    }
    match r {
        Replication::Simple { rf } if *rf > NODES => client_warn::warn(format!(
            "Your replication factor {rf} for keyspace {keyspace} is higher than the number of nodes {NODES}"
        )),
        Replication::NetworkTopology { dcs } => {
            // Data centers without nodes are skipped (`nodeCount != 0`); only LOCAL_DC has any.
            for (dc, rf) in dcs {
                if dc == LOCAL_DC && *rf > NODES {
                    client_warn::warn(format!(
                        "Your replication factor {rf} for keyspace {keyspace} is higher than the number of nodes {NODES} for datacenter {dc}"
                    ));
                }
            }
        }
        _ => {}
    }
}

/// CREATE KEYSPACE.
pub fn create(snap: &CatalogSnapshot, stmt: &CreateKeyspace) -> CqlResult<Plan> {
    let name = stmt.name.as_str();
    // AlterSchemaStatement.validateKeyspaceName runs in validate(), before apply(), and
    // throws an InvalidRequestException (apache/cassandra 4.1
    // cql3/statements/schema/AlterSchemaStatement.java).
    if !is_valid_name(name) {
        return Err(CqlError::invalid(format!(
            "Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got '{name}')"
        )));
    }
    let p = keyspace_props(&stmt.properties)?;
    let Some(replication) = p.map("replication")? else {
        return Err(CqlError::invalid("Missing mandatory option 'replication'"));
    };
    if snap.keyspace(name).is_some() {
        if stmt.if_not_exists {
            return Ok(Plan::noop(snap));
        }
        // AlreadyExistsException(ksName): "Cannot add existing keyspace \"ks\"".
        let mut e = CqlError::already_exists(name, "");
        e.message = format!("Cannot add existing keyspace \"{name}\"");
        return Err(e);
    }
    let replication = Replication::from_options(name, replication)?;
    let ks = KeyspaceMeta::new(name, replication, durable_writes(&p, true)?);
    warn_on_replication(name, &ks.replication);
    Ok(Plan::replace(
        snap,
        ks,
        SchemaChangeKind::Created,
        SchemaChangeTarget::Keyspace,
    ))
}

/// ALTER KEYSPACE.
pub fn alter(snap: &CatalogSnapshot, stmt: &AlterKeyspace) -> CqlResult<Plan> {
    let name = stmt.name.as_str();
    authorize(name, None, Perm::Alter)?;
    let p = keyspace_props(&stmt.properties)?;
    let Some(current) = snap.keyspace(name) else {
        if stmt.if_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(no_keyspace(name));
    };
    let mut ks = KeyspaceMeta::clone(current);
    if let Some(m) = p.map("replication")? {
        ks.replication = Replication::from_options(name, m)?;
    }
    ks.durable_writes = durable_writes(&p, ks.durable_writes)?;
    warn_on_replication(name, &ks.replication);
    // AlterKeyspaceStatement.clientWarnings, once the change is made.
    if current.replication.total_replication_factor() < ks.replication.total_replication_factor() {
        client_warn::warn(
            "When increasing replication factor you need to run a full (-full) repair to distribute the data.",
        );
    }
    Ok(Plan::replace(
        snap,
        ks,
        SchemaChangeKind::Updated,
        SchemaChangeTarget::Keyspace,
    ))
}

/// DROP KEYSPACE: drops the data of every table and index in it.
pub fn drop(snap: &CatalogSnapshot, stmt: &DropObject<Ident>) -> CqlResult<Plan> {
    let name = stmt.name.as_str();
    authorize(name, None, Perm::Drop)?;
    let Some(ks) = snap.keyspace(name) else {
        if stmt.if_exists {
            return Ok(Plan::noop(snap));
        }
        return Err(no_keyspace(name));
    };
    let mut plan = Plan::noop(snap);
    for t in ks.tables.values() {
        plan.drop_data.push(t.id);
        plan.drop_data.extend(t.indexes.values().map(|i| i.id));
    }
    plan.keyspaces.insert(name.to_owned(), None);
    plan.change = Some(crate::api::SchemaChange {
        kind: SchemaChangeKind::Dropped,
        keyspace: name.to_owned(),
        target: SchemaChangeTarget::Keyspace,
    });
    Ok(plan)
}
