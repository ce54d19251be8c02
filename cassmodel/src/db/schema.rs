//! Keyspaces from code ([`Db::create_keyspace_if_missing`]) and the one way the runtime runs
//! DDL ([`Db::sync`] and [`Db::apply_plan`] go through it too).
//!
//! The driver waits for schema agreement after each DDL statement.

use super::Db;
use crate::error::{Cause, SchemaError, classify};
use cassmodel_schema::diff::KeyspaceDef;
use cassmodel_schema::render;
use std::sync::Arc;

/// A keyspace's replication (`Replication::simple(1)` for development): the type
/// `cassmodel migrate` and the schema diff use.
pub use cassmodel_schema::diff::Replication;

impl Db {
    /// Creates keyspace `name` with `replication` unless it exists. Does not switch to it:
    /// see [`Db::use_keyspace`].
    pub async fn create_keyspace_if_missing(
        &self,
        name: &str,
        replication: &Replication,
    ) -> Result<(), SchemaError> {
        if !super::url::valid_keyspace_name(name) {
            return Err(SchemaError::BadKeyspaceName {
                name: name.to_owned(),
            });
        }
        let keyspace = KeyspaceDef {
            name: name.to_owned().into(),
            replication: replication.clone(),
            durable_writes: true,
        };
        self.ddl(&render::create_keyspace(&keyspace, true)).await
    }

    /// Runs one DDL statement, unprepared.
    pub(super) async fn ddl(&self, statement: &str) -> Result<(), SchemaError> {
        let session = self.session().get_session();
        let mut query = self.statement(statement, None, None);
        query.set_is_idempotent(true);
        match session.query_unpaged(query, ()).await {
            Ok(_) => Ok(()),
            Err(err) => Err(match classify(&err) {
                Cause::Db(_, message) => SchemaError::Rejected {
                    statement: statement.to_owned(),
                    message: message.to_owned(),
                },
                _ => SchemaError::Driver {
                    statement: statement.to_owned(),
                    source: Arc::new(err),
                },
            }),
        }
    }
}
