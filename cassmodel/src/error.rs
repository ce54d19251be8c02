//! Errors: one `#[non_exhaustive]` enum per operation ([`ConnectError`], [`SchemaError`],
//! [`ReadError`], [`WriteError`]) and the umbrella [`Error`] that `?` converts them into.
//!
//! Every message says what failed and what to do about it. Driver errors are classified
//! by walking their `source()` chain for the server's error code (see `classify`), so a
//! missing keyspace or table, bad credentials or a type mismatch get their own variant
//! instead of a driver dump.

use crate::row::{BindError, MismatchError};
use scylla::deserialize::{DeserializationError, TypeCheckError};
use scylla::errors::{
    ConnectionSetupRequestError, ConnectionSetupRequestErrorKind, DbError, RequestAttemptError,
};
use scylla::serialize::SerializationError;
use std::error::Error as StdError;
use std::sync::Arc;

/// A boxed driver error kept as the source of our variants.
pub type DriverError = Arc<dyn StdError + Send + Sync + 'static>;

/// Connecting to a cluster or starting the embedded server failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The connection URL is malformed.
    #[error(
        "invalid cassmodel URL `{url}`: {reason}; expected `cql://[user:pass@]host[:port][,host2]/keyspace[?consistency=..]`, `embedded:PATH[?keyspace=ks]` or `memory:`"
    )]
    InvalidUrl {
        /// The URL as given (password masked).
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `CASSMODEL_URL` is not set (or not unicode).
    #[error(
        "environment variable `{var}` is not set; set it to a URL such as `memory:`, `embedded:./data` or `cql://127.0.0.1:9042/my_keyspace`"
    )]
    MissingEnv {
        /// The variable's name.
        var: &'static str,
    },
    /// Nothing accepted a connection at the address.
    #[error(
        "no CQL server reachable at {nodes}: {source}; is Cassandra/ScyllaDB running and listening on that port (or use `embedded:`/`memory:`)?"
    )]
    NoServer {
        /// The contact points tried.
        nodes: String,
        /// The driver's error.
        source: DriverError,
    },
    /// The server refused the user name or password.
    #[error(
        "the server at {nodes} rejected the credentials of user `{user}`: {message}; check the `user:password@` part of the URL"
    )]
    BadCredentials {
        /// The contact points.
        nodes: String,
        /// The user name tried (empty when none was given).
        user: String,
        /// The server's message.
        message: String,
    },
    /// The keyspace named by the URL does not exist.
    #[error(
        "keyspace `{keyspace}` does not exist; run `cassmodel migrate` (or call `Db::create_keyspace_if_missing`) to create it"
    )]
    KeyspaceMissing {
        /// The keyspace.
        keyspace: String,
    },
    /// URL scheme `embedded:`/`memory:` without the `embedded` cargo feature.
    #[error(
        "`{scheme}` URLs need cassmodel's `embedded` feature (on by default); re-enable it or connect to a cluster with `cql://`"
    )]
    EmbeddedDisabled {
        /// The scheme used.
        scheme: &'static str,
    },
    /// The embedded server did not start.
    #[error("the embedded CQL server could not start (data directory `{path}`): {message}")]
    EmbeddedStart {
        /// The data directory (or `memory`).
        path: String,
        /// Why.
        message: String,
    },
    /// The server speaks a protocol the driver cannot use.
    #[error(
        "the server at {nodes} does not speak CQL native protocol v4 as expected: {source}; cassmodel supports Cassandra 3.0+ and ScyllaDB"
    )]
    ProtocolMismatch {
        /// The contact points.
        nodes: String,
        /// The driver's error.
        source: DriverError,
    },
    /// Any other failure of the driver while opening the session.
    #[error("could not open a session to {nodes}: {source}")]
    Driver {
        /// The contact points.
        nodes: String,
        /// The driver's error.
        source: DriverError,
    },
}

/// Creating a keyspace, a table, its UDTs or indexes failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// The server rejected a DDL statement.
    #[error("the server rejected `{statement}`: {message}")]
    Rejected {
        /// The statement.
        statement: String,
        /// The server's message.
        message: String,
    },
    /// The Db has no keyspace selected.
    #[error(
        "no keyspace selected; put one in the URL (`cql://host/ks`, `memory:?keyspace=ks`) or call `Db::use_keyspace`"
    )]
    NoKeyspace,
    /// The keyspace name is not a valid CQL identifier for a keyspace.
    #[error("`{name}` is not a valid keyspace name: use 1–48 ASCII letters, digits or `_`")]
    BadKeyspaceName {
        /// The name.
        name: String,
    },
    /// The request failed for another reason (server down, timeout...).
    #[error("schema change `{statement}` failed: {source}")]
    Driver {
        /// The statement.
        statement: String,
        /// The driver's error.
        source: DriverError,
    },
    /// The live schema could not be read from `system_schema`.
    #[error("cannot read the live schema from system_schema: {message}")]
    LiveSchema {
        /// What went wrong.
        message: String,
    },
    /// The keyspace to sync into does not exist.
    #[error(
        "keyspace `{keyspace}` does not exist; create it with `cassmodel migrate` or `Db::create_keyspace_if_missing`"
    )]
    KeyspaceMissing {
        /// The keyspace.
        keyspace: String,
    },
    /// The plan changes something Cassandra cannot change in place (a column's type, the
    /// primary key, the clustering order, a user type's fields): nothing was applied.
    #[error("{}", refused_message(.plan))]
    Refused {
        /// The whole plan; its [`Status::Refused`](cassmodel_schema::diff::Status::Refused)
        /// steps carry the reason and the safe path.
        plan: Box<cassmodel_schema::diff::Plan>,
    },
}

/// `change type of users.age from int to text: <reason>; safe path: <path>` for each refused
/// step of `plan`, then that nothing was applied.
fn refused_message(plan: &cassmodel_schema::diff::Plan) -> String {
    use cassmodel_schema::diff::Status;
    let refused: Vec<String> = plan
        .steps
        .iter()
        .filter_map(|step| match &step.status {
            Status::Refused { reason, safe_path } => Some(format!(
                "`{}` is refused: {reason}; safe path: {safe_path}",
                step.describe()
            )),
            _ => None,
        })
        .collect();
    format!("{}; nothing was applied", refused.join("; "))
}

/// Why a read or write request failed; shared by [`ReadError`] and [`WriteError`].
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The keyspace does not exist.
    #[error(
        "keyspace of table `{table}` does not exist ({message}); run `cassmodel migrate` to create it"
    )]
    KeyspaceMissing {
        /// The model's table.
        table: String,
        /// The server's message.
        message: String,
    },
    /// The table does not exist.
    #[error(
        "table `{table}` does not exist ({message}); run `cassmodel migrate` (or `Db::sync::<Model>()`)"
    )]
    TableMissing {
        /// The model's table.
        table: String,
        /// The server's message.
        message: String,
    },
    /// The live table's columns do not match the model.
    #[error("model and live table `{table}` disagree: {message}")]
    TypeMismatch {
        /// The model's table.
        table: String,
        /// What differs, and what to do.
        message: String,
    },
    /// The server refused the statement as invalid (wrong key, bad value, ...).
    #[error("the server refused a statement on `{table}`: {message}")]
    Invalid {
        /// The model's table.
        table: String,
        /// The server's message.
        message: String,
    },
    /// The user is not allowed to do this.
    #[error("not authorized on `{table}`: {message}; grant the permission to the URL's user")]
    Unauthorized {
        /// The model's table.
        table: String,
        /// The server's message.
        message: String,
    },
    /// Not enough replicas answered (or in time) for the consistency level.
    #[error(
        "`{table}`: not enough replicas for the consistency level ({message}); retry, or lower the consistency in the options"
    )]
    Unavailable {
        /// The model's table.
        table: String,
        /// The server's message.
        message: String,
    },
    /// A row could not be decoded into the model.
    #[error("a row of `{table}` could not be decoded: {message}")]
    Decode {
        /// The model's table.
        table: String,
        /// What went wrong.
        message: String,
    },
    /// Anything else: connection lost, timeout, driver error.
    #[error("request on `{table}` failed: {source}")]
    Driver {
        /// The model's table.
        table: String,
        /// The driver's error.
        source: DriverError,
    },
}

/// A read (`get`, `find_by_partition`, slices, index lookups) failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The request failed; see [`RequestError`].
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A slice named more clustering columns than the model has.
    #[error(
        "`{table}` has {clustering} clustering column(s) but the slice fixes {requested}; drop some equality values"
    )]
    BadSlice {
        /// The model's table.
        table: String,
        /// Clustering columns of the table.
        clustering: usize,
        /// Clustering columns the slice names.
        requested: usize,
    },
    /// The column is not indexed.
    #[error(
        "column `{column}` of `{table}` has no secondary index; add `#[cassmodel(index)]` to the field and run `cassmodel migrate`"
    )]
    NotIndexed {
        /// The model's table.
        table: String,
        /// The column.
        column: String,
    },
}

/// A write (`insert`, `update`, `delete`, batch) failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The request failed; see [`RequestError`].
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A TTL outside what Cassandra accepts.
    #[error(
        "TTL of {seconds} s (+{nanos} ns) is invalid: Cassandra accepts whole seconds from 1 to 630720000 (20 years)"
    )]
    BadTtl {
        /// The TTL asked for, whole seconds.
        seconds: u64,
        /// Its sub-second part.
        nanos: u32,
    },
    /// An update named a column the model does not have, or a key column.
    #[error("cannot update column `{column}` of `{table}`: {reason}")]
    BadColumn {
        /// The model's table.
        table: String,
        /// The column.
        column: String,
        /// Why.
        reason: &'static str,
    },
    /// A conditional write's result had no `[applied]` column.
    #[error("the server's answer to a conditional write on `{table}` has no `[applied]` column")]
    NoApplied {
        /// The model's table.
        table: String,
    },
    /// An option the statement cannot take (a timestamp on a conditional write...).
    #[error("{0}")]
    BadOption(&'static str),
}

/// Any cassmodel error: what `?` turns the per-operation errors into.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Connecting failed.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// A schema change failed.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// A read failed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A write failed.
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl From<RequestError> for Error {
    fn from(e: RequestError) -> Self {
        Error::Read(ReadError::Request(e))
    }
}

/// `Result<T, cassmodel::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a driver error boils down to.
#[derive(Debug)]
pub(crate) enum Cause<'a> {
    /// The server answered with an error code.
    Db(&'a DbError, &'a str),
    /// Our model/table type check failed.
    Mismatch(String),
    /// Serializing values failed.
    Bind(String),
    /// Decoding a row failed.
    Decode(String),
    /// Something else (I/O, timeout, ...).
    Other,
}

/// The request attempt error inside `e`, looking through the driver's wrappers (several
/// are `#[error(transparent)]`, which hides them from the `source()` chain).
fn attempt_of<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a RequestAttemptError> {
    use scylla::errors::{
        ExecutionError, NewSessionError, NextPageError, NextRowError, PagerExecutionError,
        PrepareError, RequestError as DriverRequestError, UseKeyspaceError,
    };
    fn prepare(p: &PrepareError) -> Option<&RequestAttemptError> {
        match p {
            PrepareError::AllAttemptsFailed { first_attempt } => Some(first_attempt),
            _ => None,
        }
    }
    fn request(r: &DriverRequestError) -> Option<&RequestAttemptError> {
        match r {
            DriverRequestError::LastAttemptError(a) => Some(a),
            _ => None,
        }
    }
    fn next_page(n: &NextPageError) -> Option<&RequestAttemptError> {
        match n {
            NextPageError::RequestFailure(r) => request(r),
            _ => None,
        }
    }
    fn use_keyspace(u: &UseKeyspaceError) -> Option<&RequestAttemptError> {
        match u {
            UseKeyspaceError::RequestError(a) => Some(a),
            _ => None,
        }
    }
    if let Some(a) = e.downcast_ref::<RequestAttemptError>() {
        return Some(a);
    }
    if let Some(x) = e.downcast_ref::<ExecutionError>() {
        return match x {
            ExecutionError::LastAttemptError(a) => Some(a),
            ExecutionError::PrepareError(p) => prepare(p),
            ExecutionError::UseKeyspaceError(u) => use_keyspace(u),
            _ => None,
        };
    }
    if let Some(p) = e.downcast_ref::<PrepareError>() {
        return prepare(p);
    }
    if let Some(x) = e.downcast_ref::<PagerExecutionError>() {
        return match x {
            PagerExecutionError::PrepareError(p) => prepare(p),
            PagerExecutionError::NextPageError(n) => next_page(n),
            PagerExecutionError::UseKeyspaceError(u) => use_keyspace(u),
            _ => None,
        };
    }
    if let Some(n) = e.downcast_ref::<NextPageError>() {
        return next_page(n);
    }
    if let Some(NextRowError::NextPageError(n)) = e.downcast_ref::<NextRowError>() {
        return next_page(n);
    }
    if let Some(r) = e.downcast_ref::<DriverRequestError>() {
        return request(r);
    }
    if let Some(u) = e.downcast_ref::<UseKeyspaceError>() {
        return use_keyspace(u);
    }
    if let Some(NewSessionError::UseKeyspaceError(u)) = e.downcast_ref::<NewSessionError>() {
        return use_keyspace(u);
    }
    None
}

/// Walks `err`'s source chain for the most telling cause.
pub(crate) fn classify<'a>(err: &'a (dyn StdError + 'static)) -> Cause<'a> {
    let mut current: Option<&'a (dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(RequestAttemptError::DbError(db, msg)) = attempt_of(e) {
            return Cause::Db(db, msg);
        }
        if let Some(setup) = e.downcast_ref::<ConnectionSetupRequestError>()
            && let ConnectionSetupRequestErrorKind::DbError(db, msg) = setup.get_error()
        {
            return Cause::Db(db, msg);
        }
        if let Some(m) = e.downcast_ref::<MismatchError>() {
            return Cause::Mismatch(m.to_string());
        }
        if let Some(t) = e.downcast_ref::<TypeCheckError>() {
            if let Some(m) = t.downcast_ref::<MismatchError>() {
                return Cause::Mismatch(m.to_string());
            }
            return Cause::Mismatch(t.to_string());
        }
        if let Some(s) = e.downcast_ref::<SerializationError>() {
            if let Some(b) = s.downcast_ref::<BindError>() {
                return Cause::Bind(b.to_string());
            }
            return Cause::Bind(s.to_string());
        }
        if let Some(d) = e.downcast_ref::<DeserializationError>() {
            return Cause::Decode(d.to_string());
        }
        current = e.source();
    }
    Cause::Other
}

/// Turns a driver error from a request on `table` into a [`RequestError`].
pub(crate) fn request_error<E>(table: &str, err: E) -> RequestError
where
    E: StdError + Send + Sync + 'static,
{
    let table = table.to_owned();
    match classify(&err) {
        Cause::Db(db, message) => {
            let message = message.to_owned();
            let lower = message.to_lowercase();
            match db {
                DbError::Invalid
                    if lower.contains("keyspace") && lower.contains("does not exist") =>
                {
                    RequestError::KeyspaceMissing { table, message }
                }
                DbError::Invalid
                    if lower.contains("unconfigured table")
                        || (lower.contains("table") && lower.contains("does not exist")) =>
                {
                    RequestError::TableMissing { table, message }
                }
                DbError::Invalid if lower.contains("no keyspace has been specified") => {
                    RequestError::KeyspaceMissing { table, message }
                }
                DbError::Unauthorized => RequestError::Unauthorized { table, message },
                DbError::Unavailable { .. }
                | DbError::ReadTimeout { .. }
                | DbError::WriteTimeout { .. }
                | DbError::Overloaded => RequestError::Unavailable { table, message },
                _ => RequestError::Invalid { table, message },
            }
        }
        Cause::Mismatch(message) | Cause::Bind(message) => {
            RequestError::TypeMismatch { table, message }
        }
        Cause::Decode(message) => RequestError::Decode { table, message },
        Cause::Other => RequestError::Driver {
            table,
            source: Arc::new(err),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyspace_missing_suggests_migrate() {
        let e = ConnectError::KeyspaceMissing {
            keyspace: "app".into(),
        };
        assert!(e.to_string().contains("cassmodel migrate"), "{e}");
    }

    #[test]
    fn classify_finds_db_error_in_chain() {
        let attempt =
            RequestAttemptError::DbError(DbError::Invalid, "unconfigured table users".to_owned());
        let err = scylla::errors::ExecutionError::LastAttemptError(attempt);
        match request_error("users", err) {
            RequestError::TableMissing { table, .. } => assert_eq!(table, "users"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn classify_keyspace_missing() {
        let attempt = RequestAttemptError::DbError(
            DbError::Invalid,
            "Keyspace 'nope' does not exist".to_owned(),
        );
        let err = scylla::errors::ExecutionError::LastAttemptError(attempt);
        assert!(matches!(
            request_error("t", err),
            RequestError::KeyspaceMissing { .. }
        ));
    }

    #[test]
    fn classify_other_keeps_source() {
        let err = scylla::errors::ExecutionError::EmptyPlan;
        assert!(matches!(
            request_error("t", err),
            RequestError::Driver { .. }
        ));
    }
}
