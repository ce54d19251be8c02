//! Shared helpers for the workspace integration tests: [`db`] connects to `memory:` (a
//! fresh embedded server on a throw-away directory) unless `CASSMODEL_TEST_URL` names
//! another server, and every call gets its own new keyspace, so tests never see each
//! other's rows and can run in parallel against the same cluster.

use cassmodel::{Db, Error, Replication};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The environment variable naming the server the tests run against.
pub const TEST_URL_ENV: &str = "CASSMODEL_TEST_URL";

/// A keyspace name no other test (in this or another process) uses.
pub fn unique_keyspace_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "test_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A Db in a fresh keyspace: on `memory:` by default, on `CASSMODEL_TEST_URL` when set
/// (the URL's own keyspace, if any, is ignored).
pub async fn db() -> Result<Db, Error> {
    let keyspace = unique_keyspace_name();
    match std::env::var(TEST_URL_ENV) {
        Ok(url) => {
            let base = url.split('?').next().unwrap_or(&url);
            let without_keyspace = match base.strip_prefix("cql://") {
                Some(rest) => format!("cql://{}", rest.split('/').next().unwrap_or(rest)),
                None => base.to_owned(),
            };
            let mut db = Db::connect(&without_keyspace).await?;
            db.create_keyspace_if_missing(&keyspace, &Replication::simple(1))
                .await?;
            db.use_keyspace(&keyspace).await?;
            Ok(db)
        }
        Err(_) => Ok(Db::connect(&format!("memory:?keyspace={keyspace}")).await?),
    }
}

/// [`db`] with model `M`'s table (and its UDTs and indexes) created.
pub async fn db_with<M: cassmodel::Model>() -> Result<Db, Error> {
    let db = db().await?;
    db.sync::<M>().await?;
    Ok(db)
}
