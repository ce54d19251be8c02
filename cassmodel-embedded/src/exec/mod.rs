//! The CQL engine: parses statements, validates them with Cassandra's rules, and runs
//! them against the catalog and the store. The protocol layer talks to it only through
//! [`Engine`] and the types of [`crate::api`].

pub mod bind;
pub mod cache;
pub mod clock;
pub mod codec;
pub mod consistency;
pub mod ddl;
pub mod modify;
pub mod paging;
pub mod row;
pub mod select;
pub mod term;
pub mod timeuuid;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use crate::api::{BatchRequest, PreparedResult, QueryParams, QueryResult, SchemaChange, Session};
use crate::error::{CqlError, CqlResult};

/// When a write is acknowledged relative to the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncMode {
    /// Acknowledge after the commit log is fsynced (group commit). The default.
    #[default]
    Batch,
    /// Acknowledge after the write reaches the OS; fsync in the background.
    Periodic,
}

/// How to open an [`Engine`].
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Where data lives.
    pub data_dir: PathBuf,
    /// Commit-log sync mode.
    pub sync: SyncMode,
    /// The address clients reach this node at (reported in system.local).
    pub rpc_address: SocketAddr,
}

/// The CQL engine shared by all connections.
#[derive(Debug)]
pub struct Engine {
    events: tokio::sync::broadcast::Sender<SchemaChange>,
    _config: EngineConfig,
}

impl Engine {
    /// Opens (or creates) the data directory and recovers what is on disk.
    pub fn open(config: EngineConfig) -> CqlResult<Arc<Engine>> {
        let (events, _) = tokio::sync::broadcast::channel(256);
        Ok(Arc::new(Engine {
            events,
            _config: config,
        }))
    }

    /// Runs a QUERY.
    pub fn query(
        &self,
        _session: &mut Session,
        _cql: &str,
        _params: &QueryParams,
    ) -> CqlResult<QueryResult> {
        Err(CqlError::unsupported("QUERY"))
    }

    /// Prepares a statement.
    pub fn prepare(&self, _session: &Session, _cql: &str) -> CqlResult<PreparedResult> {
        Err(CqlError::unsupported("PREPARE"))
    }

    /// Runs a prepared statement.
    pub fn execute(
        &self,
        _session: &mut Session,
        id: &[u8],
        _params: &QueryParams,
    ) -> CqlResult<QueryResult> {
        Err(CqlError::unprepared(id))
    }

    /// Runs a BATCH.
    pub fn batch(&self, _session: &Session, _batch: &BatchRequest) -> CqlResult<QueryResult> {
        Err(CqlError::unsupported("BATCH"))
    }

    /// Schema changes, for connections that sent REGISTER SCHEMA_CHANGE.
    pub fn schema_events(&self) -> tokio::sync::broadcast::Receiver<SchemaChange> {
        self.events.subscribe()
    }

    /// Makes everything acknowledged durable and stops background work (on shutdown).
    pub fn flush(&self) -> CqlResult<()> {
        Ok(())
    }
}
