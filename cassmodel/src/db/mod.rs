//! [`Db`]: a connection to a cluster or to the embedded server, with its keyspace, default
//! consistency and page size, prepared-statement caches and write clock. Statements are
//! prepared once per session and reused: the hot paths (get, insert, delete, update,
//! partition and slice streams) find theirs by the address of their `'static` CQL
//! (`prepared.rs`); CQL built per query goes through the driver's `CachingSession`.
//!
//! There is one client code path: `embedded:` and `memory:` start the embedded server on a
//! loopback port and connect to it through the same driver as `cql://` does.

mod clock;
mod connect;
mod embedded;
mod live;
mod prepared;
mod schema;
mod sync;
pub mod url;

pub use clock::Clock;
pub use live::parse_index_target;
pub(crate) use prepared::{Prepared, Settings};
pub use schema::Replication;
pub use sync::{SyncReport, model_schema};

use crate::error::{ConnectError, RequestError, request_error};
use connect::Endpoint;
use prepared::PreparedCache;
use scylla::client::caching_session::CachingSession;
use scylla::client::session::Session;
use scylla::errors::ExecutionError;
use scylla::response::query_result::QueryResult;
use scylla::serialize::row::SerializeRow;
use scylla::statement::Consistency;
use scylla::statement::unprepared::Statement;
use std::fmt;
use std::sync::{Arc, Mutex};
use url::{ConnectUrl, Target};

/// The environment variable [`Db::from_env`] reads.
pub const URL_ENV: &str = "CASSMODEL_URL";

/// The keyspace `embedded:`/`memory:` URLs use when they name none.
pub const DEFAULT_EMBEDDED_KEYSPACE: &str = "cassmodel";

/// A handle to a database: cheap to clone (clones share the session, the statement cache,
/// the clock and the embedded server).
///
/// ```
/// # tokio::runtime::Runtime::new().map_err(|e| e.to_string())?.block_on(async {
/// let db = cassmodel::Db::connect("memory:").await?;
/// assert_eq!(db.keyspace(), Some("cassmodel"));
/// # Ok::<_, cassmodel::Error>(())
/// # }).map_err(|e| e.to_string())?;
/// # Ok::<_, String>(())
/// ```
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    session: CachingSession,
    /// The hot paths' statements, prepared in `session` (see [`prepared`]).
    prepared: PreparedCache,
    endpoint: Endpoint,
    keyspace: Option<String>,
    consistency: Consistency,
    page_size: i32,
    clock: Arc<Clock>,
    server: Arc<ServerSlot>,
}

/// The embedded server, if this Db started one; shared by every Db derived from it.
struct ServerSlot(Mutex<Option<embedded::Handle>>);

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Db")
            .field("nodes", &self.inner.endpoint.nodes)
            .field("keyspace", &self.inner.keyspace)
            .field("consistency", &self.inner.consistency)
            .field("page_size", &self.inner.page_size)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Connects to `url`: `cql://[user:pass@]host[:port][,host2...]/keyspace[?consistency=..&page_size=..]`,
    /// `embedded:PATH[?keyspace=ks]` (starts the embedded server in-process, data under
    /// PATH, durable) or `memory:[?keyspace=ks]` (same, on a throw-away directory).
    ///
    /// For a cluster the keyspace must exist (`cassmodel migrate` creates it). For the
    /// embedded server, the keyspace (default `cassmodel`) is created if missing, with
    /// `SimpleStrategy` and one replica.
    pub async fn connect(url: &str) -> Result<Db, ConnectError> {
        let url = ConnectUrl::parse(url)?;
        Db::connect_parsed(&url).await
    }

    /// [`Db::connect`] to the URL in the `CASSMODEL_URL` environment variable.
    pub async fn from_env() -> Result<Db, ConnectError> {
        let url = std::env::var(URL_ENV).map_err(|_| ConnectError::MissingEnv { var: URL_ENV })?;
        Db::connect(&url).await
    }

    /// [`Db::connect`] with an already parsed URL.
    pub async fn connect_parsed(url: &ConnectUrl) -> Result<Db, ConnectError> {
        let (mut db, keyspace) = Db::open(url, true).await?;
        let embedded = !matches!(url.target, Target::Cluster { .. });
        match keyspace {
            // The embedded server's keyspace is created on first use; a cluster's must
            // exist and is already selected.
            Some(ks) if embedded => {
                db.create_keyspace_if_missing(&ks, &Replication::simple(1))
                    .await
                    .map_err(|e| ConnectError::EmbeddedStart {
                        path: ks.clone(),
                        message: e.to_string(),
                    })?;
                db.use_keyspace(&ks).await?;
            }
            _ => {}
        }
        Ok(db)
    }

    /// Connects to `url` (starting the embedded server for `embedded:`/`memory:`) without
    /// selecting a keyspace and without creating one, whatever the URL names: for tools
    /// that manage keyspaces themselves, such as `cassmodel migrate` (which then reads
    /// [`Db::live_schema`] and runs [`Db::apply_plan`]).
    pub async fn connect_without_keyspace(url: &ConnectUrl) -> Result<Db, ConnectError> {
        Ok(Db::open(url, false).await?.0)
    }

    /// Starts the embedded server if the URL asks for one and opens a session, in the
    /// cluster's keyspace when `select` (embedded targets: in none); returns the Db and the
    /// keyspace the URL selects (for embedded targets, [`DEFAULT_EMBEDDED_KEYSPACE`] when it
    /// names none).
    async fn open(url: &ConnectUrl, select: bool) -> Result<(Db, Option<String>), ConnectError> {
        let (endpoint, server, keyspace) = match Endpoint::of(url) {
            Some(endpoint) => (endpoint, None, url.keyspace.clone()),
            None => {
                let (handle, addr) = embedded::start(&url.target).await?;
                let endpoint = Endpoint {
                    nodes: vec![addr.to_string()],
                    credentials: None,
                };
                let ks = url
                    .keyspace
                    .clone()
                    .unwrap_or_else(|| DEFAULT_EMBEDDED_KEYSPACE.to_owned());
                (endpoint, Some(handle), Some(ks))
            }
        };
        let initial_keyspace = match &url.target {
            Target::Cluster { .. } if select => keyspace.clone(),
            _ => None,
        };
        let server = Arc::new(ServerSlot(Mutex::new(server)));
        let clock = Arc::new(Clock::new());
        let session = endpoint
            .open(initial_keyspace.as_deref(), Arc::clone(&clock))
            .await?;
        let db = Db {
            inner: Arc::new(Inner {
                session,
                prepared: PreparedCache::default(),
                endpoint,
                keyspace: initial_keyspace,
                consistency: url.consistency,
                page_size: url.page_size,
                clock,
                server,
            }),
        };
        Ok((db, keyspace))
    }

    /// Switches this `Db` value (not its earlier clones) to another keyspace, which must
    /// exist. Opens a new session so that cached prepared statements never point at the old
    /// keyspace; the clock and embedded server are kept.
    pub async fn use_keyspace(&mut self, keyspace: &str) -> Result<(), ConnectError> {
        if !url::valid_keyspace_name(keyspace) {
            return Err(ConnectError::InvalidUrl {
                url: keyspace.to_owned(),
                reason: "not a valid keyspace name (1–48 ASCII letters, digits, `_`)".to_owned(),
            });
        }
        let session = self
            .inner
            .endpoint
            .open(Some(keyspace), Arc::clone(&self.inner.clock))
            .await?;
        self.inner = Arc::new(Inner {
            session,
            prepared: PreparedCache::default(),
            endpoint: self.inner.endpoint.clone(),
            keyspace: Some(keyspace.to_owned()),
            consistency: self.inner.consistency,
            page_size: self.inner.page_size,
            clock: Arc::clone(&self.inner.clock),
            server: Arc::clone(&self.inner.server),
        });
        Ok(())
    }

    /// The keyspace statements run in, if one is selected.
    pub fn keyspace(&self) -> Option<&str> {
        self.inner.keyspace.as_deref()
    }

    /// The default consistency of requests.
    pub fn consistency(&self) -> Consistency {
        self.inner.consistency
    }

    /// The default page size of paged reads.
    pub fn page_size(&self) -> i32 {
        self.inner.page_size
    }

    /// The contact points (`host:port`); for the embedded server, its loopback address.
    pub fn nodes(&self) -> &[String] {
        &self.inner.endpoint.nodes
    }

    /// The next client-side write timestamp (µs since the epoch, strictly increasing).
    pub fn next_timestamp(&self) -> i64 {
        self.inner.clock.next()
    }

    /// The driver's caching session, for hand-written CQL next to the ORM.
    pub fn session(&self) -> &CachingSession {
        &self.inner.session
    }

    /// Stops the embedded server this Db started (flushing it) once no other clone needs
    /// it; a no-op for clusters. Dropping every clone also stops the server, without the
    /// explicit flush.
    pub async fn close(self) {
        let Db { inner } = self;
        let Ok(inner) = Arc::try_unwrap(inner) else {
            return;
        };
        let Inner {
            session, server, ..
        } = inner;
        drop(session);
        let Ok(slot) = Arc::try_unwrap(server) else {
            return;
        };
        let handle = slot.0.into_inner().ok().flatten();
        if let Some(handle) = handle {
            embedded::shutdown(handle).await;
        }
    }

    /// The prepared statement for `cql` (a model's generated CQL or a shape rendered once
    /// per process), with this Db's defaults and the call's `settings`: prepared on first use
    /// in this Db's session, then found by the text's address (no copy, no hashing of it).
    /// A failure to prepare is reported as a request error on `table`.
    pub(crate) async fn prepared(
        &self,
        table: &str,
        cql: &'static str,
        settings: Settings,
    ) -> Result<Prepared, RequestError> {
        let inner = &*self.inner;
        inner
            .prepared
            .get(
                inner.session.get_session(),
                cql,
                settings,
                inner.consistency,
                inner.page_size,
            )
            .await
            .map_err(|e| request_error(table, ExecutionError::from(e)))
    }

    /// Runs the hot-path statement `cql` ([`Db::prepared`] with `settings`) once, unpaged,
    /// with `values`; a failure is a request error on `table`.
    pub(crate) async fn execute_prepared(
        &self,
        table: &str,
        cql: &'static str,
        settings: Settings,
        values: impl SerializeRow,
    ) -> Result<QueryResult, RequestError> {
        let statement = self.prepared(table, cql, settings).await?;
        self.driver()
            .execute_unpaged(&statement, values)
            .await
            .map_err(|e| request_error(table, e))
    }

    /// The driver session under the statement caches, to execute [`Db::prepared`] statements.
    pub(crate) fn driver(&self) -> &Session {
        self.inner.session.get_session()
    }

    /// A statement with this Db's defaults (consistency, page size) and the given overrides.
    pub(crate) fn statement(
        &self,
        cql: &str,
        consistency: Option<Consistency>,
        page_size: Option<i32>,
    ) -> Statement {
        let mut statement = Statement::new(cql);
        statement.set_consistency(consistency.unwrap_or(self.inner.consistency));
        statement.set_page_size(page_size.unwrap_or(self.inner.page_size));
        statement
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn unreachable_cluster_is_no_server() {
        // Port 1 on loopback: nothing listens there.
        let err = Db::connect("cql://127.0.0.1:1/ks").await.err();
        match err {
            Some(ConnectError::NoServer { nodes, .. }) => assert_eq!(nodes, "127.0.0.1:1"),
            other => panic!("expected NoServer, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn bad_url_is_reported_before_connecting() {
        let err = Db::connect("postgres://x").await.err();
        assert!(
            matches!(err, Some(ConnectError::InvalidUrl { .. })),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn missing_env_var_is_named() {
        // Only this test touches the variable, and it only reads it.
        if std::env::var(URL_ENV).is_ok() {
            return;
        }
        let err = Db::from_env().await.err();
        assert!(
            matches!(err, Some(ConnectError::MissingEnv { var: URL_ENV })),
            "{err:?}"
        );
    }

    #[cfg(feature = "embedded")]
    #[tokio::test]
    async fn missing_keyspace_on_a_cluster_url_says_to_migrate() -> Result<(), ConnectError> {
        let server = Db::connect("memory:").await?;
        let url = format!("cql://{}/no_such_keyspace", server.nodes().join(","));
        match Db::connect(&url).await {
            Err(e @ ConnectError::KeyspaceMissing { .. }) => {
                assert!(e.to_string().contains("cassmodel migrate"), "{e}");
            }
            other => panic!("expected KeyspaceMissing, got {other:?}"),
        }
        let url = format!("cql://{}/cassmodel", server.nodes().join(","));
        let db = Db::connect(&url).await?;
        assert_eq!(db.keyspace(), Some("cassmodel"));
        Ok(())
    }

    #[cfg(feature = "embedded")]
    #[tokio::test]
    async fn wrong_password_is_bad_credentials() -> Result<(), Box<dyn std::error::Error>> {
        use cassmodel_embedded::server::{Credentials, Server, ServerConfig};
        let handle = Server::start(ServerConfig {
            listen: "127.0.0.1:0".parse()?,
            auth: Some(Credentials {
                user: "cassandra".into(),
                password: "right".into(),
            }),
            ..ServerConfig::default()
        })
        .await?;
        let addr = handle.local_addr();
        match Db::connect(&format!("cql://cassandra:wrong@{addr}")).await {
            Err(ConnectError::BadCredentials { user, .. }) => assert_eq!(user, "cassandra"),
            other => panic!("expected BadCredentials, got {other:?}"),
        }
        let db = Db::connect(&format!("cql://cassandra:right@{addr}")).await?;
        assert_eq!(db.keyspace(), None);
        handle.shutdown().await;
        Ok(())
    }

    #[cfg(not(feature = "embedded"))]
    #[tokio::test]
    async fn memory_without_feature_is_explained() {
        let err = Db::connect("memory:").await.err();
        assert!(
            matches!(
                err,
                Some(ConnectError::EmbeddedDisabled { scheme: "memory:" })
            ),
            "{err:?}"
        );
    }
}
