//! The embedded CQL server: a tokio TCP listener speaking native protocol v4 in front of one
//! [`Engine`]. [`Server::start`] binds, opens the engine and returns a [`ServerHandle`];
//! [`ServerHandle::shutdown`] stops accepting, lets in-flight requests finish, flushes the
//! engine and removes a throw-away data directory. Dropping the handle also stops it.

mod connection;
mod dispatch;
mod handshake;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tracing::Instrument;

use crate::error::CqlError;
use crate::exec::{Engine, EngineConfig, SyncMode};

/// Where the server keeps its data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StorageLocation {
    /// A directory that survives restarts (created if missing).
    Directory(PathBuf),
    /// A throw-away temporary directory owned by the [`ServerHandle`], removed on shutdown.
    #[default]
    Memory,
}

/// The one user PasswordAuthenticator accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// User name.
    pub user: String,
    /// Password.
    pub password: String,
}

/// How to start a [`Server`].
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on; port 0 picks a free port (see [`ServerHandle::local_addr`]).
    pub listen: SocketAddr,
    /// Data directory or throw-away storage.
    pub storage: StorageLocation,
    /// When set, clients must authenticate (PasswordAuthenticator, SASL PLAIN).
    pub auth: Option<Credentials>,
    /// Commit-log sync mode.
    pub sync: SyncMode,
    /// How long a frame may take to arrive once its first byte came (half-sent frames are
    /// dropped with their connection after this). Idle connections are never timed out.
    pub frame_timeout: Duration,
    /// Requests one connection may have in flight; beyond it the server stops reading that
    /// connection until replies go out (backpressure).
    pub max_in_flight: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 9042),
            storage: StorageLocation::Memory,
            auth: None,
            sync: SyncMode::default(),
            frame_timeout: Duration::from_secs(30),
            max_in_flight: 1024,
        }
    }
}

/// Why [`Server::start`] failed.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The listen address could not be bound (in use, not local, no permission...).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The data directory could not be created.
    #[error("cannot create the data directory {path}: {source}")]
    Storage {
        /// The directory (empty for a temporary one).
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The engine refused to open the data directory.
    #[error("cannot open the CQL engine on {path}: {source}")]
    Engine {
        /// The data directory.
        path: PathBuf,
        /// The engine's error.
        #[source]
        source: CqlError,
    },
}

/// Entry point of the embedded server.
#[derive(Debug)]
pub struct Server;

/// What every connection shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) engine: Arc<Engine>,
    pub(crate) auth: Option<Credentials>,
    pub(crate) frame_timeout: Duration,
    pub(crate) max_in_flight: usize,
}

impl Server {
    /// Binds the listen address, opens the engine on the storage and starts serving.
    pub async fn start(config: ServerConfig) -> Result<ServerHandle, StartError> {
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartError::Bind {
                    addr: config.listen,
                    source,
                })?;
        let local_addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
        let (data_dir, temp) = match &config.storage {
            StorageLocation::Directory(path) => {
                std::fs::create_dir_all(path).map_err(|source| StartError::Storage {
                    path: path.clone(),
                    source,
                })?;
                (path.clone(), None)
            }
            StorageLocation::Memory => {
                let dir = tempfile::Builder::new()
                    .prefix("cassmodel-embedded-")
                    .tempdir()
                    .map_err(|source| StartError::Storage {
                        path: std::env::temp_dir(),
                        source,
                    })?;
                (dir.path().to_path_buf(), Some(dir))
            }
        };
        // Clients dial the address system.local reports: never 0.0.0.0 (EMBEDDED.md §2).
        let rpc_address = if local_addr.ip().is_unspecified() {
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), local_addr.port())
        } else {
            local_addr
        };
        let engine_config = EngineConfig {
            data_dir: data_dir.clone(),
            sync: config.sync,
            rpc_address,
        };
        let engine = tokio::task::spawn_blocking(move || Engine::open(engine_config))
            .await
            .map_err(|e| StartError::Engine {
                path: data_dir.clone(),
                source: CqlError::server(format!("engine start-up panicked: {e}")),
            })?
            .map_err(|source| StartError::Engine {
                path: data_dir.clone(),
                source,
            })?;
        let shared = Arc::new(Shared {
            engine: engine.clone(),
            auth: config.auth.clone(),
            frame_timeout: config.frame_timeout,
            max_in_flight: config.max_in_flight.max(1),
        });
        let (stop_tx, stop_rx) = watch::channel(false);
        let span = tracing::info_span!("cql_server", addr = %local_addr);
        let task = tokio::spawn(accept_loop(listener, shared, stop_rx).instrument(span));
        tracing::info!(addr = %local_addr, dir = %data_dir.display(), "embedded CQL server listening");
        Ok(ServerHandle {
            local_addr,
            data_dir,
            engine,
            stop: stop_tx,
            task: Some(task),
            temp,
        })
    }
}

/// How long shutdown waits for connections to finish their in-flight requests.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((socket, peer)) => {
                    let _ = socket.set_nodelay(true);
                    let span = tracing::info_span!("cql_connection", %peer);
                    connections.spawn(
                        connection::serve(socket, shared.clone(), stop.clone()).instrument(span),
                    );
                }
                Err(e) => {
                    // Out of file descriptors and similar: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drained = tokio::time::timeout(DRAIN_TIMEOUT, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!("connections still busy after {DRAIN_TIMEOUT:?}; closing them");
        connections.shutdown().await;
    }
}

/// A running server. Dropping it stops the server (without waiting).
#[derive(Debug)]
pub struct ServerHandle {
    local_addr: SocketAddr,
    data_dir: PathBuf,
    engine: Arc<Engine>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    temp: Option<tempfile::TempDir>,
}

impl ServerHandle {
    /// The address the server listens on (the real port when port 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The data directory (a temporary one for [`StorageLocation::Memory`]).
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// The engine behind the server.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Stops accepting, lets in-flight requests finish (up to 10 s), flushes the engine and
    /// removes a throw-away data directory. A flush failure is logged.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        flush(self.engine.clone()).await;
        // `self.temp` is dropped here, after the flush.
    }
}

async fn flush(engine: Arc<Engine>) {
    match tokio::task::spawn_blocking(move || engine.flush()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => tracing::error!(error = %e, "engine flush failed on shutdown"),
        Err(e) => tracing::error!(error = %e, "engine flush panicked on shutdown"),
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        let Some(task) = self.task.take() else {
            return;
        };
        let _ = self.stop.send(true);
        let engine = self.engine.clone();
        let temp = self.temp.take();
        // Finish the shutdown in the background when a runtime is still there; the temporary
        // directory lives until the engine is flushed.
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                let _ = task.await;
                flush(engine).await;
                drop(temp);
            });
        }
    }
}
