//! What a DDL statement changes, computed from a catalog snapshot without touching the
//! store: the keyspaces replaced or dropped, store tables whose data goes, the result.

use std::collections::BTreeMap;
use std::sync::Arc;

use cassmodel_store::TableId;
use uuid::Uuid;

use crate::api::{SchemaChange, SchemaChangeKind, SchemaChangeTarget};
use crate::error::{CqlError, CqlResult};
use crate::schema::catalog::CatalogSnapshot;
use crate::schema::model::KeyspaceMeta;
use crate::schema::system_defs::{is_local_system_keyspace, is_replicated_system_keyspace};

/// The outcome of planning a DDL statement.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The schema change to report; `None` when nothing changed (`IF [NOT] EXISTS`), which
    /// Cassandra answers with a Void result.
    pub change: Option<SchemaChange>,
    /// Keyspaces replaced (`Some`) or dropped (`None`).
    pub keyspaces: BTreeMap<String, Option<Arc<KeyspaceMeta>>>,
    /// The next free store table id after this change.
    pub next_table_id: u32,
    /// Store tables (tables and index tables) whose data must be dropped.
    pub drop_data: Vec<TableId>,
    /// Store tables to truncate (TRUNCATE: the table and its indexes).
    pub truncate: Vec<TableId>,
}

impl Plan {
    /// A plan that changes nothing.
    pub fn noop(snapshot: &CatalogSnapshot) -> Plan {
        Plan {
            next_table_id: snapshot.next_table_id,
            ..Plan::default()
        }
    }

    /// A plan replacing one keyspace.
    pub fn replace(
        snapshot: &CatalogSnapshot,
        ks: KeyspaceMeta,
        kind: SchemaChangeKind,
        target: SchemaChangeTarget,
    ) -> Plan {
        let mut plan = Plan::noop(snapshot);
        plan.change = Some(SchemaChange {
            kind,
            keyspace: ks.name.clone(),
            target,
        });
        plan.keyspaces.insert(ks.name.clone(), Some(Arc::new(ks)));
        plan
    }

    /// The snapshot after this plan, with a new schema version (`None` if nothing changed).
    pub fn apply_to(&self, snapshot: &CatalogSnapshot) -> Option<CatalogSnapshot> {
        self.change.as_ref()?;
        let mut next = snapshot.clone();
        for (name, ks) in &self.keyspaces {
            match ks {
                Some(ks) => {
                    next.keyspaces.insert(name.clone(), ks.clone());
                }
                None => {
                    next.keyspaces.remove(name);
                }
            }
        }
        next.next_table_id = self.next_table_id.max(snapshot.next_table_id);
        next.schema_version = Uuid::new_v4();
        Some(next)
    }
}

/// The permission a DDL statement needs (`C*: auth/Permission.java`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perm {
    /// CREATE
    Create,
    /// ALTER
    Alter,
    /// DROP
    Drop,
    /// MODIFY (TRUNCATE)
    Modify,
}

impl Perm {
    fn name(self) -> &'static str {
        match self {
            Perm::Create => "CREATE",
            Perm::Alter => "ALTER",
            Perm::Drop => "DROP",
            Perm::Modify => "MODIFY",
        }
    }
}

/// `ClientState.preventSystemKSSchemaModification`: the local system keyspaces are
/// read-only, the replicated ones only allow ALTER KEYSPACE. `table` is `None` for a
/// keyspace-level resource.
pub fn authorize(keyspace: &str, table: Option<&str>, perm: Perm) -> CqlResult<()> {
    if is_local_system_keyspace(keyspace) {
        return Err(CqlError::unauthorized(format!(
            "{keyspace} keyspace is not user-modifiable."
        )));
    }
    if perm == Perm::Modify {
        return Ok(());
    }
    if is_replicated_system_keyspace(keyspace) {
        if perm == Perm::Alter && table.is_none() {
            return Ok(());
        }
        let resource = match table {
            Some(t) => format!("<table {keyspace}.{t}>"),
            None => format!("<keyspace {keyspace}>"),
        };
        return Err(CqlError::unauthorized(format!(
            "Cannot {} {resource}",
            perm.name()
        )));
    }
    Ok(())
}

/// `SchemaConstants.isValidName`: 1 to 48 word characters.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 48
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `Keyspace 'x' doesn't exist`.
pub fn no_keyspace(keyspace: &str) -> CqlError {
    CqlError::invalid(format!("Keyspace '{keyspace}' doesn't exist"))
}

/// The current time in microseconds since the epoch.
pub fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}
