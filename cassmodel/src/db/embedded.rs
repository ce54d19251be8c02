//! Starting the embedded CQL server in-process for `embedded:PATH` and `memory:` URLs
//! (cargo feature `embedded`, on by default). The server listens on 127.0.0.1 with an
//! ephemeral port and the [`crate::Db`] keeps its handle: the server lives as long as the
//! Db (and its clones) and stops when the last one is dropped or [`crate::Db::close`]d.

use super::url::Target;
use crate::error::ConnectError;
use std::net::SocketAddr;

/// A running embedded server owned by a Db.
#[cfg(feature = "embedded")]
pub(crate) type Handle = cassmodel_embedded::server::ServerHandle;

/// Without the `embedded` feature there is never a server to own.
#[cfg(not(feature = "embedded"))]
#[derive(Debug)]
pub(crate) enum Handle {}

/// Starts the server for `target` and returns its handle and address.
#[cfg(feature = "embedded")]
pub(crate) async fn start(target: &Target) -> Result<(Handle, SocketAddr), ConnectError> {
    use cassmodel_embedded::server::{Server, ServerConfig, StorageLocation};
    use std::net::{IpAddr, Ipv4Addr};
    let (storage, path) = match target {
        Target::Embedded(path) => (
            StorageLocation::Directory(path.clone()),
            path.display().to_string(),
        ),
        Target::Memory | Target::Cluster { .. } => (StorageLocation::Memory, "memory".to_owned()),
    };
    let config = ServerConfig {
        listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
        storage,
        ..ServerConfig::default()
    };
    let handle = Server::start(config)
        .await
        .map_err(|e| ConnectError::EmbeddedStart {
            path,
            message: e.to_string(),
        })?;
    let addr = handle.local_addr();
    Ok((handle, addr))
}

/// Without the `embedded` feature: a clear error.
#[cfg(not(feature = "embedded"))]
pub(crate) async fn start(target: &Target) -> Result<(Handle, SocketAddr), ConnectError> {
    Err(ConnectError::EmbeddedDisabled {
        scheme: match target {
            Target::Embedded(_) => "embedded:",
            _ => "memory:",
        },
    })
}

/// Stops the server, flushing its engine.
pub(crate) async fn shutdown(handle: Handle) {
    #[cfg(feature = "embedded")]
    handle.shutdown().await;
    #[cfg(not(feature = "embedded"))]
    match handle {}
}
