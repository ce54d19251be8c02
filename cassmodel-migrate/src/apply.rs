//! Runs a validated plan: each statement, then the driver's wait for schema agreement, in
//! order. The only module that changes the cluster.

use cassmodel_schema::diff::{Action, Plan};
use scylla::client::session::Session;

use crate::error::Error;
use crate::report;

/// Applies every step of `plan` (nothing when it is refused), reporting progress when `text`.
/// Returns how many steps ran.
pub async fn apply(session: &Session, plan: &Plan, text: bool) -> Result<usize, Error> {
    let steps = plan.to_apply();
    let total = steps.len();
    let mut in_keyspace = false;
    for (i, step) in steps.iter().enumerate() {
        let fail = |message: String| Error::Apply {
            index: i + 1,
            what: step.describe(),
            message,
        };
        let creates_keyspace = matches!(step.action, Action::CreateKeyspace(_));
        if !creates_keyspace && !in_keyspace {
            session
                .use_keyspace(&*plan.keyspace, true)
                .await
                .map_err(|e| fail(e.to_string()))?;
            in_keyspace = true;
        }
        let Some(cql) = step.cql() else { continue };
        if text {
            report::progress(i + 1, total, step);
        }
        session
            .query_unpaged(cql, ())
            .await
            .map_err(|e| fail(e.to_string()))?;
        session
            .await_schema_agreement()
            .await
            .map_err(|e| fail(format!("no schema agreement: {e}")))?;
        if text {
            report::progress_done();
        }
    }
    Ok(total)
}
