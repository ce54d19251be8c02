//! Startup of the catalog: rebuild the schema from the store, keep (or create) the
//! node's `host_id`, and (re)write `system.local` and the `system_schema` rows of the
//! hard-coded system keyspaces so drivers find them like on Cassandra.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use cassmodel_store::Store;
use uuid::Uuid;

use super::catalog::Catalog;
use super::persist::{keyspace_mutations, load, local_mutation, next_id_mutation, stored_local};
use super::rows::LocalNode;
use crate::error::{CqlError, CqlResult};

/// The default `cluster_name`.
pub const DEFAULT_CLUSTER_NAME: &str = "Test Cluster";

/// The address `system.local` reports for a bound address: the unspecified address
/// (0.0.0.0 / ::) becomes loopback, which is where clients can dial the node.
pub fn reported_address(addr: SocketAddr) -> IpAddr {
    match addr.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    }
}

/// Opens the catalog over `store`: rebuilds every keyspace from `system_schema`, keeps
/// the stored `host_id` (a new one on first start) and writes `system.local` for the
/// address clients use. Returns the catalog and the node description DDL needs.
pub fn open_catalog(
    store: &Store,
    rpc_address: SocketAddr,
    cluster_name: &str,
) -> CqlResult<(Catalog, LocalNode)> {
    let mut snap = load(store)?;
    let (stored_host, last_write) = stored_local(store, &snap)?;
    snap.schema_timestamp = last_write;
    let host_id = stored_host.unwrap_or_else(Uuid::new_v4);
    let b = host_id.as_bytes();
    let token = i64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
    let node = LocalNode {
        cluster_name: cluster_name.to_owned(),
        host_id,
        rpc_address: reported_address(rpc_address),
        rpc_port: rpc_address.port(),
        token: if token == i64::MIN { i64::MAX } else { token },
    };
    let timestamp = super::super::exec::ddl::plan::now_micros().max(snap.schema_timestamp + 1);
    snap.schema_timestamp = timestamp;
    let mut mutations = Vec::new();
    for (name, ks) in &snap.keyspaces {
        if ks.is_system {
            mutations.extend(keyspace_mutations(&snap, name, Some(ks), timestamp)?);
        }
    }
    mutations.push(next_id_mutation(snap.next_table_id, timestamp));
    mutations.push(local_mutation(&snap, &node, timestamp)?);
    store
        .apply(&mutations)
        .map_err(|e| CqlError::server(format!("Storage error: {e}")))?;
    Ok((Catalog::new(snap), node))
}
