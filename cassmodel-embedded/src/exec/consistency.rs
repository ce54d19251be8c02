//! Consistency levels on a single node: which levels a statement may use, and whether one
//! replica is enough to satisfy them.
//!
//! Rules from apache/cassandra 4.1 `src/java/org/apache/cassandra/db/ConsistencyLevel.java`
//! (`blockFor`, `validateForRead`, `validateForWrite`, `validateForCas`,
//! `validateForCasCommit`, `validateCounterForWrite`) and `locator/ReplicaPlans.java`
//! (`assureSufficientLiveReplicas`, which throws `UnavailableException.create`, whose message is
//! `Cannot achieve consistency level X`).

use crate::api::Consistency;
use crate::error::{CqlError, CqlResult, ErrorCode, ErrorExtra};

/// The replication of a keyspace as far as consistency is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplicationFactors {
    /// Total replicas over all data centers.
    pub total: u32,
    /// Replicas in the local data center (`datacenter1`); equal to `total` for SimpleStrategy.
    pub local: u32,
}

impl ReplicationFactors {
    /// One replica (system keyspaces, LocalStrategy).
    pub const LOCAL: ReplicationFactors = ReplicationFactors { total: 1, local: 1 };
}

fn quorum(rf: u32) -> u32 {
    rf / 2 + 1
}

/// How many replicas must answer (`ConsistencyLevel.blockFor`).
pub fn block_for(cl: Consistency, rf: ReplicationFactors) -> u32 {
    use Consistency::*;
    match cl {
        One | LocalOne | Any => 1,
        Two => 2,
        Three => 3,
        Quorum | Serial => quorum(rf.total),
        All => rf.total,
        LocalQuorum | LocalSerial => quorum(rf.local),
        // Only one data center exists here, so EACH_QUORUM is the local quorum.
        EachQuorum => quorum(rf.local),
    }
}

/// Fails with Unavailable when one live node cannot satisfy `cl`.
pub fn assure_available(cl: Consistency, rf: ReplicationFactors) -> CqlResult<()> {
    let required = block_for(cl, rf);
    if cl == Consistency::Any || required <= 1 {
        return Ok(());
    }
    Err(CqlError {
        code: ErrorCode::Unavailable,
        message: format!("Cannot achieve consistency level {}", cl.name()),
        extra: ErrorExtra::Unavailable {
            consistency: cl.code(),
            required: i32::try_from(required).unwrap_or(i32::MAX),
            alive: 1,
        },
    })
}

/// `validateForRead`.
pub fn validate_for_read(cl: Consistency) -> CqlResult<()> {
    if cl == Consistency::Any {
        return Err(CqlError::invalid(
            "ANY ConsistencyLevel is only supported for writes",
        ));
    }
    Ok(())
}

/// `validateForWrite` (for a write without conditions).
pub fn validate_for_write(cl: Consistency) -> CqlResult<()> {
    if matches!(cl, Consistency::Serial | Consistency::LocalSerial) {
        return Err(CqlError::invalid(
            "You must use conditional updates for serializable writes",
        ));
    }
    Ok(())
}

/// `validateCounterForWrite`.
pub fn validate_counter_for_write(cl: Consistency, table: &str) -> CqlResult<()> {
    match cl {
        Consistency::Any => Err(CqlError::invalid(format!(
            "Consistency level ANY is not yet supported for counter table {table}"
        ))),
        Consistency::Serial | Consistency::LocalSerial => Err(CqlError::invalid(
            "Counter operations are inherently non-serializable",
        )),
        _ => Ok(()),
    }
}

/// `validateForCasCommit` for the main consistency of a conditional write.
pub fn validate_for_cas_commit(cl: Consistency) -> CqlResult<()> {
    if matches!(cl, Consistency::Serial | Consistency::LocalSerial) {
        return Err(CqlError::invalid(format!(
            "{} is not supported as conditional update commit consistency. Use ANY if you mean \"make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads\"",
            cl.name()
        )));
    }
    Ok(())
}

/// `validateForCas` for the serial consistency of a conditional write.
pub fn validate_for_cas(serial: Consistency) -> CqlResult<()> {
    if !matches!(serial, Consistency::Serial | Consistency::LocalSerial) {
        return Err(CqlError::invalid(
            "Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL",
        ));
    }
    Ok(())
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    #[test]
    fn local_quorum_on_rf3_is_unavailable_with_extras() {
        let rf = ReplicationFactors { total: 3, local: 3 };
        let err = assure_available(Consistency::LocalQuorum, rf).unwrap_err();
        assert_eq!(err.code, ErrorCode::Unavailable);
        assert_eq!(err.message, "Cannot achieve consistency level LOCAL_QUORUM");
        assert_eq!(
            err.extra,
            ErrorExtra::Unavailable {
                consistency: 6,
                required: 2,
                alive: 1
            }
        );
    }

    #[test]
    fn rf1_satisfies_every_level_but_two_and_three() {
        let rf = ReplicationFactors::LOCAL;
        for cl in [
            Consistency::One,
            Consistency::Quorum,
            Consistency::LocalQuorum,
            Consistency::All,
            Consistency::Any,
            Consistency::Serial,
        ] {
            assert!(assure_available(cl, rf).is_ok(), "{cl:?}");
        }
        assert!(assure_available(Consistency::Two, rf).is_err());
        assert!(assure_available(Consistency::Three, rf).is_err());
    }

    #[test]
    fn any_is_rejected_for_reads_and_serial_for_plain_writes() {
        assert!(validate_for_read(Consistency::Any).is_err());
        assert!(validate_for_write(Consistency::Serial).is_err());
        assert!(validate_for_write(Consistency::Any).is_ok());
    }
}
