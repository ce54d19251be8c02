//! Connecting and applying: the runtime's [`Db`] (its URL handling, embedded server, and
//! [`Db::apply_plan`], which runs each statement and waits for schema agreement), with
//! progress lines and errors in the command's terms. The only module that changes the
//! cluster.

use cassmodel::Db;
use cassmodel::error::{ConnectError, SchemaError};
use cassmodel_schema::diff::{Plan, SchemaDef};

use crate::error::Error;
use crate::report;
use crate::url::Url;

/// Connects to the URL's target (starting the embedded server in-process for `embedded:`
/// and `memory:`), in no keyspace and creating none: the plan creates it.
pub async fn connect(url: &Url) -> Result<Db, Error> {
    Db::connect_without_keyspace(&url.connect)
        .await
        .map_err(|e| match e {
            ConnectError::InvalidUrl { .. } => Error::Usage(e.to_string()),
            ConnectError::EmbeddedStart { .. } => Error::Serve(e.to_string()),
            _ => Error::Connect {
                target: target_of(url),
                message: e.to_string(),
            },
        })
}

fn target_of(url: &Url) -> String {
    use cassmodel::db::url::Target;
    match &url.connect.target {
        Target::Cluster { nodes, .. } => nodes.join(","),
        Target::Embedded(dir) => format!("embedded:{}", dir.display()),
        Target::Memory => "memory:".to_owned(),
    }
}

/// The live schema of `keyspace` (`None`: it does not exist), read by the runtime's reader.
pub async fn live_schema(db: &Db, keyspace: &str) -> Result<Option<SchemaDef>, Error> {
    db.live_schema(keyspace)
        .await
        .map_err(|e| Error::Live(e.to_string()))
}

/// Applies every step of `plan` (nothing when it is refused), reporting progress when `text`.
/// Returns how many steps ran.
pub async fn apply(db: &mut Db, plan: &Plan, text: bool) -> Result<usize, Error> {
    let mut current: Option<(usize, String)> = None;
    let result = db
        .apply_plan(plan, |index, total, step| {
            if text {
                if current.is_some() {
                    report::progress_done();
                }
                report::progress(index, total, step);
            }
            current = Some((index, step.describe()));
        })
        .await;
    match result {
        Ok(count) => {
            if text && current.is_some() {
                report::progress_done();
            }
            Ok(count)
        }
        Err(e) => {
            let (index, what) = current.unwrap_or_else(|| (0, "switch to the keyspace".to_owned()));
            let message = match e {
                SchemaError::Rejected { message, .. } => message,
                other => other.to_string(),
            };
            Err(Error::Apply {
                index,
                what,
                message,
            })
        }
    }
}
