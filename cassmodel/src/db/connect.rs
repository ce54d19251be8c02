//! Opening a driver session for a [`ConnectUrl`]: contact points, credentials, keyspace, and
//! turning the driver's connection errors into [`ConnectError`]s that say what to do.

use super::Clock;
use super::url::{ConnectUrl, Target};
use crate::error::{Cause, ConnectError, classify};
use scylla::client::caching_session::{CachingSession, CachingSessionBuilder};
use scylla::client::session::Session;
use scylla::client::session_builder::SessionBuilder;
use scylla::errors::{DbError, NewSessionError};
use std::sync::Arc;
use std::time::Duration;

/// Capacity of the prepared-statement cache of one session.
pub(crate) const STATEMENT_CACHE: usize = 512;

/// Contact points and credentials of a session (the parts that survive `use_keyspace`).
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    pub(crate) nodes: Vec<String>,
    pub(crate) credentials: Option<(String, String)>,
}

impl Endpoint {
    /// The endpoint of a cluster URL (embedded targets get theirs from the started server).
    pub(crate) fn of(url: &ConnectUrl) -> Option<Endpoint> {
        match &url.target {
            Target::Cluster { nodes, credentials } => Some(Endpoint {
                nodes: nodes.clone(),
                credentials: credentials.clone(),
            }),
            Target::Embedded(_) | Target::Memory => None,
        }
    }

    fn describe(&self) -> String {
        self.nodes.join(",")
    }

    /// Opens a session, `USE`ing `keyspace` when given, whose requests carry timestamps
    /// from `clock` (the protocol's client timestamp, `native_protocol_v4.spec` §4.1.4), so
    /// a statement that binds no `USING TIMESTAMP` is ordered with those that bind one.
    pub(crate) async fn open(
        &self,
        keyspace: Option<&str>,
        clock: Arc<Clock>,
    ) -> Result<CachingSession, ConnectError> {
        let mut builder = SessionBuilder::new()
            .known_nodes(&self.nodes)
            .connection_timeout(Duration::from_secs(5))
            .timestamp_generator(clock);
        if let Some((user, password)) = &self.credentials {
            builder = builder.user(user, password);
        }
        if let Some(ks) = keyspace {
            builder = builder.use_keyspace(ks, false);
        }
        let session: Session = builder
            .build()
            .await
            .map_err(|e| self.connect_error(keyspace, e))?;
        Ok(CachingSessionBuilder::new_shared(Arc::new(session))
            .max_capacity(STATEMENT_CACHE)
            .build())
    }

    fn connect_error(&self, keyspace: Option<&str>, err: NewSessionError) -> ConnectError {
        let nodes = self.describe();
        let user = self
            .credentials
            .as_ref()
            .map(|(u, _)| u.clone())
            .unwrap_or_default();
        let text = err.to_string();
        let lower = text.to_lowercase();
        match classify(&err) {
            Cause::Db(DbError::AuthenticationError, message) => ConnectError::BadCredentials {
                nodes,
                user,
                message: message.to_owned(),
            },
            Cause::Db(DbError::Invalid, message) if message.to_lowercase().contains("keyspace") => {
                ConnectError::KeyspaceMissing {
                    keyspace: keyspace.unwrap_or_default().to_owned(),
                }
            }
            Cause::Db(DbError::ProtocolError, _) => ConnectError::ProtocolMismatch {
                nodes,
                source: Arc::new(err),
            },
            _ if lower.contains("authenticat") => ConnectError::BadCredentials {
                nodes,
                user,
                message: text,
            },
            _ if lower.contains("connection refused")
                || lower.contains("connect timeout")
                || lower.contains("timed out")
                || lower.contains("failed to resolve")
                || lower.contains("could not connect")
                || lower.contains("connection pool") =>
            {
                ConnectError::NoServer {
                    nodes,
                    source: Arc::new(err),
                }
            }
            _ => ConnectError::Driver {
                nodes,
                source: Arc::new(err),
            },
        }
    }
}
