//! Keyspaces from code ([`Db::create_keyspace_if_missing`]) and the one way the runtime runs
//! DDL ([`Db::sync`] and [`Db::apply_plan`] go through it too).
//!
//! The driver waits for schema agreement after each DDL statement.

use super::Db;
use crate::error::{Cause, SchemaError, classify};
use std::sync::Arc;

/// A keyspace's replication.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Replication {
    /// `SimpleStrategy` with this replication factor (one datacenter; development).
    Simple(u32),
    /// `NetworkTopologyStrategy` with a replication factor per datacenter.
    NetworkTopology(Vec<(String, u32)>),
}

impl Replication {
    /// `SimpleStrategy` with `factor` replicas.
    pub fn simple(factor: u32) -> Replication {
        Replication::Simple(factor)
    }

    /// The CQL map literal of the replication option.
    fn to_cql(&self) -> String {
        match self {
            Replication::Simple(rf) => {
                format!("{{'class': 'SimpleStrategy', 'replication_factor': {rf}}}")
            }
            Replication::NetworkTopology(dcs) => {
                let mut out = String::from("{'class': 'NetworkTopologyStrategy'");
                for (dc, rf) in dcs {
                    out.push_str(&format!(", '{}': {rf}", dc.replace('\'', "''")));
                }
                out.push('}');
                out
            }
        }
    }
}

/// `CREATE KEYSPACE IF NOT EXISTS name WITH replication = {...}`; `name` must be valid.
fn create_keyspace_cql(name: &str, replication: &Replication) -> String {
    format!(
        "CREATE KEYSPACE IF NOT EXISTS {name} WITH replication = {}",
        replication.to_cql()
    )
}

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
        self.ddl(&create_keyspace_cql(name, replication)).await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyspace_cql() {
        assert_eq!(
            create_keyspace_cql("app", &Replication::simple(3)),
            "CREATE KEYSPACE IF NOT EXISTS app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"
        );
        let nts = Replication::NetworkTopology(vec![("dc1".into(), 3), ("d'c2".into(), 2)]);
        assert_eq!(
            create_keyspace_cql("app", &nts),
            "CREATE KEYSPACE IF NOT EXISTS app WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'd''c2': 2}"
        );
    }
}
