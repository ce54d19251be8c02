//! DDL execution: CREATE/ALTER/DROP KEYSPACE, TABLE, INDEX and TYPE, and TRUNCATE, with
//! Cassandra 4.1's rules and messages. Each statement is planned against a catalog
//! snapshot (pure), then its `system_schema` rows, the next id and `system.local`'s
//! `schema_version` are written in one atomic store batch, the new snapshot is installed
//! and the change is broadcast to registered connections.

pub mod alter;
pub mod index;
pub mod keyspace;
pub mod plan;
pub mod table;
pub mod udt;

use cassmodel_cql::ast::{DescribeTarget, Statement};
use cassmodel_store::Store;
use tokio::sync::broadcast;

use crate::api::{QueryResult, SchemaChange, Session};
use crate::error::{CqlError, CqlResult};
use crate::schema::catalog::{Catalog, CatalogSnapshot};
use crate::schema::describe::{RangeOwnership, describe, describe_cluster};
use crate::schema::persist::{keyspace_mutations, local_mutation, next_id_mutation};
use crate::schema::rows::LocalNode;
use crate::schema::system_defs::{is_local_system_keyspace, is_replicated_system_keyspace};

pub use plan::Plan;

/// What DDL execution needs from the engine.
#[derive(Debug, Clone, Copy)]
pub struct DdlContext<'a> {
    /// The catalog.
    pub catalog: &'a Catalog,
    /// The store holding the data and the schema tables.
    pub store: &'a Store,
    /// What `system.local` says about this node (rewritten with the new schema_version).
    pub node: &'a LocalNode,
    /// Where schema changes are broadcast (the engine's `schema_events` sender).
    pub events: Option<&'a broadcast::Sender<SchemaChange>>,
}

/// True for the statements [`execute`] handles (schema changes, TRUNCATE and DESCRIBE).
pub fn handles(stmt: &Statement) -> bool {
    stmt.is_schema_change() || matches!(stmt, Statement::Truncate(_) | Statement::Describe(_))
}

/// Plans a DDL statement against `snap` without side effects.
pub fn plan(snap: &CatalogSnapshot, session: &Session, stmt: &Statement) -> CqlResult<Plan> {
    match stmt {
        Statement::CreateKeyspace(s) => keyspace::create(snap, s),
        Statement::AlterKeyspace(s) => keyspace::alter(snap, s),
        Statement::DropKeyspace(s) => keyspace::drop(snap, s),
        Statement::CreateTable(s) => table::create(snap, session, s),
        Statement::AlterTable(s) => alter::alter(snap, session, s),
        Statement::DropTable(s) => alter::drop(snap, session, s),
        Statement::Truncate(s) => alter::truncate(snap, session, s),
        Statement::CreateIndex(s) => index::create(snap, session, s),
        Statement::DropIndex(s) => index::drop(snap, session, s),
        Statement::CreateType(s) => udt::create(snap, session, s),
        Statement::AlterType(s) => udt::alter(snap, session, s),
        Statement::DropType(s) => udt::drop(snap, session, s),
        _ => Err(CqlError::server("not a DDL statement")),
    }
}

/// The storage port of the node's endpoint (`system.local.listen_port`).
const STORAGE_PORT: u16 = 7000;

/// `InetAddressAndPort.toString`: `/address:port`, an IPv6 address in brackets and in
/// Java's uncompressed form.
fn endpoint_string(addr: std::net::IpAddr) -> String {
    match addr {
        std::net::IpAddr::V4(a) => format!("/{a}:{STORAGE_PORT}"),
        std::net::IpAddr::V6(a) => {
            let parts: Vec<String> = a.segments().iter().map(|s| format!("{s:x}")).collect();
            format!("/[{}]:{STORAGE_PORT}", parts.join(":"))
        }
    }
}

/// The ring of the keyspace in use, for DESCRIBE CLUSTER: none without a keyspace or
/// with a system one (`mustReturnsRangeOwnerships`); this node owns the single range
/// ending at its token.
fn range_ownership(node: &LocalNode, session: &Session) -> Option<Vec<RangeOwnership>> {
    let ks = session.keyspace.as_deref()?;
    if is_local_system_keyspace(ks) || is_replicated_system_keyspace(ks) {
        return None;
    }
    Some(vec![RangeOwnership {
        right_token: node.token,
        endpoints: vec![endpoint_string(node.rpc_address)],
    }])
}

fn store_err(e: impl std::fmt::Display) -> CqlError {
    CqlError::server(format!("Storage error: {e}"))
}

/// Runs a DDL statement (or TRUNCATE, or DESCRIBE): returns `SchemaChange`, or `Void`
/// when nothing changed (`IF [NOT] EXISTS`) and for TRUNCATE, or the DESCRIBE rows.
///
/// After a CREATE INDEX the executor must index the table's existing rows (the catalog
/// only registers the index and its store table).
pub fn execute(
    ctx: &DdlContext<'_>,
    session: &Session,
    stmt: &Statement,
) -> CqlResult<QueryResult> {
    if let Statement::Describe(d) = stmt {
        if d.target == DescribeTarget::Cluster {
            return Ok(QueryResult::Rows(describe_cluster(
                &ctx.node.cluster_name,
                range_ownership(ctx.node, session).as_deref(),
            )));
        }
        let snap = ctx.catalog.snapshot();
        return describe(&snap, session, d, &ctx.node.cluster_name).map(QueryResult::Rows);
    }
    let _guard = ctx.catalog.lock_ddl();
    let snap = ctx.catalog.snapshot();
    let plan = plan(&snap, session, stmt)?;
    for id in &plan.truncate {
        ctx.store.truncate(*id).map_err(store_err)?;
    }
    let Some(mut next) = plan.apply_to(&snap) else {
        return Ok(QueryResult::Void);
    };
    let timestamp = plan::now_micros().max(snap.schema_timestamp + 1);
    next.schema_timestamp = timestamp;
    let mut mutations = Vec::new();
    for (name, ks) in &plan.keyspaces {
        mutations.extend(keyspace_mutations(&next, name, ks.as_deref(), timestamp)?);
    }
    mutations.push(next_id_mutation(next.next_table_id, timestamp));
    mutations.push(local_mutation(&next, ctx.node, timestamp)?);
    ctx.store.apply(&mutations).map_err(store_err)?;
    ctx.catalog.install(next);
    for id in &plan.drop_data {
        ctx.store.drop_table(*id).map_err(store_err)?;
    }
    let change = plan
        .change
        .ok_or_else(|| CqlError::server("schema change without an event"))?;
    if let Some(events) = ctx.events {
        // No receiver (no registered connection) is not an error.
        let _ = events.send(change.clone());
    }
    Ok(QueryResult::SchemaChange(change))
}
