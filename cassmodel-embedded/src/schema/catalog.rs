//! The catalog: an immutable [`CatalogSnapshot`] behind a lock, replaced as a whole by
//! each DDL statement, so readers (the executor) never see a half-applied change and never
//! wait for a DDL.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use cassmodel_store::TableId;
use uuid::Uuid;

use super::model::{KeyspaceMeta, TableMeta};
use crate::api::Session;
use crate::error::{CqlError, CqlResult};

/// One consistent version of the schema.
#[derive(Debug, Clone)]
pub struct CatalogSnapshot {
    /// Keyspaces by name (system keyspaces included).
    pub keyspaces: BTreeMap<String, Arc<KeyspaceMeta>>,
    /// `schema_version`, changed by every DDL.
    pub schema_version: Uuid,
    /// The next store table id to hand out (for tables and indexes).
    pub next_table_id: u32,
    /// The write timestamp (µs) of the last schema write; the next one is greater.
    pub schema_timestamp: i64,
}

impl CatalogSnapshot {
    /// The keyspace `name`.
    pub fn keyspace(&self, name: &str) -> Option<&Arc<KeyspaceMeta>> {
        self.keyspaces.get(name)
    }

    /// The table `keyspace.name`.
    pub fn table(&self, keyspace: &str, name: &str) -> Option<&Arc<TableMeta>> {
        self.keyspaces.get(keyspace)?.tables.get(name)
    }

    /// The table with store id `id`.
    pub fn table_by_id(&self, id: TableId) -> Option<&Arc<TableMeta>> {
        self.keyspaces
            .values()
            .flat_map(|k| k.tables.values())
            .find(|t| t.id == id)
    }

    /// Looks a table up as Cassandra's `Schema.validateTable` does, with its messages:
    /// `keyspace x does not exist`, `unconfigured table t`.
    pub fn validate_table(&self, keyspace: &str, name: &str) -> CqlResult<&Arc<TableMeta>> {
        if name.is_empty() {
            return Err(CqlError::invalid("non-empty table is required"));
        }
        let ks = self
            .keyspaces
            .get(keyspace)
            .ok_or_else(|| CqlError::invalid(format!("keyspace {keyspace} does not exist")))?;
        ks.tables
            .get(name)
            .ok_or_else(|| CqlError::invalid(format!("unconfigured table {name}")))
    }
}

/// The keyspace a statement works in: the one written, or the session's
/// (`ClientState.getKeyspace`).
pub fn keyspace_of<'a>(written: Option<&'a str>, session: &'a Session) -> CqlResult<&'a str> {
    match written {
        Some(ks) => Ok(ks),
        None => session.keyspace.as_deref().ok_or_else(|| {
            CqlError::invalid(
                "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename",
            )
        }),
    }
}

/// The schema catalog shared by all connections.
#[derive(Debug)]
pub struct Catalog {
    current: RwLock<Arc<CatalogSnapshot>>,
    ddl: Mutex<()>,
}

impl Catalog {
    /// A catalog starting at `snapshot`.
    pub fn new(snapshot: CatalogSnapshot) -> Catalog {
        Catalog {
            current: RwLock::new(Arc::new(snapshot)),
            ddl: Mutex::new(()),
        }
    }

    /// The current schema.
    pub fn snapshot(&self) -> Arc<CatalogSnapshot> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The table `keyspace.name` in the current schema.
    pub fn table(&self, keyspace: &str, name: &str) -> Option<Arc<TableMeta>> {
        self.snapshot().table(keyspace, name).cloned()
    }

    /// The current `schema_version`.
    pub fn schema_version(&self) -> Uuid {
        self.snapshot().schema_version
    }

    /// Serialises schema changes: hold the guard from reading the snapshot to installing
    /// the next one.
    pub fn lock_ddl(&self) -> MutexGuard<'_, ()> {
        self.ddl
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Installs a new schema (callers hold [`Catalog::lock_ddl`]).
    pub fn install(&self, snapshot: CatalogSnapshot) {
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(snapshot);
    }
}
