//! `INSERT` (an upsert, with TTL and timestamp) and `INSERT .. IF NOT EXISTS` (a lightweight
//! transaction that reports whether it applied and, if not, the row already there).

use super::fanout;
use crate::db::{Db, Settings};
use crate::error::{WriteError, request_error};
use crate::model::Model;
use crate::options::WriteOptions;
use crate::row::{Bind, ColumnChecker, RowReader};
use scylla::deserialize::row::{ColumnIterator, DeserializeRow};
use scylla::deserialize::{DeserializationError, TypeCheckError};
use scylla::frame::response::result::ColumnSpec;
use scylla::statement::SerialConsistency;
use scylla::statement::batch::BatchType;
use scylla::value::MaybeUnset;

/// The TTL bind value of a write of `M`: the options' TTL, else the model's
/// `#[cassmodel(ttl = N)]` ([`Model::DEFAULT_TTL`]), else unset, which leaves the table's
/// `default_time_to_live` (server side) in force.
pub(crate) fn ttl_value<M: Model>(options: &WriteOptions) -> Result<MaybeUnset<i32>, WriteError> {
    Ok(match options.ttl_seconds()?.or(M::DEFAULT_TTL) {
        Some(seconds) => MaybeUnset::Set(seconds),
        None => MaybeUnset::Unset,
    })
}

/// Writes `row` (every column; an upsert, as all Cassandra inserts).
///
/// A model with query tables writes the row and its copies in one logged batch (see
/// [`crate::write`]).
pub async fn insert<M: Model>(db: &Db, row: &M, options: &WriteOptions) -> Result<(), WriteError> {
    let table: &'static str = &M::TABLE.name;
    let ttl = ttl_value::<M>(options)?;
    if !M::QUERY_TABLES.is_empty() {
        let timestamp = options.timestamp.unwrap_or_else(|| db.next_timestamp());
        let entries = fanout::insert_entries(db, row, ttl, timestamp, options.consistency).await?;
        return fanout::send(db, BatchType::Logged, options.consistency, &entries).await;
    }
    let settings = Settings {
        consistency: options.consistency,
        idempotent: true,
        ..Settings::default()
    };
    if matches!(ttl, MaybeUnset::Unset) && options.timestamp.is_none() {
        // Neither a TTL nor a timestamp of the caller's: the statement without their
        // markers, which the session stamps with the Db's clock (`Db::next_timestamp`).
        let values = Bind::new(|b| row.bind_row(b));
        db.execute_prepared(table, M::CQL.insert_plain, settings, values)
            .await?;
        return Ok(());
    }
    let timestamp = options.timestamp.unwrap_or_else(|| db.next_timestamp());
    let values = Bind::new(|b| {
        row.bind_row(b)?;
        b.bind_positional("[ttl]", &ttl)?;
        b.bind_positional("[timestamp]", &timestamp)
    });
    db.execute_prepared(table, M::CQL.insert, settings, values)
        .await?;
    Ok(())
}

/// What an `INSERT .. IF NOT EXISTS` did.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum InsertOutcome<M> {
    /// The row did not exist and was written.
    Inserted,
    /// A row with that primary key exists; here it is, unchanged.
    Exists(M),
}

impl<M> InsertOutcome<M> {
    /// Whether the insert applied.
    pub fn applied(&self) -> bool {
        matches!(self, InsertOutcome::Inserted)
    }
}

/// Writes `row` only if no row has its primary key (a Paxos round; slower than
/// [`insert`]). Cassandra refuses a client timestamp here, so `options.timestamp` must be
/// `None`.
///
/// With query tables, the copies are written (one logged batch) only after the insert
/// applied; should that batch fail, the error is returned and the row exists without its
/// copies until it is written again (`insert` repairs them).
pub async fn insert_if_not_exists<M: Model>(
    db: &Db,
    row: &M,
    options: &WriteOptions,
) -> Result<InsertOutcome<M>, WriteError> {
    if options.timestamp.is_some() {
        return Err(WriteError::BadOption(
            "a conditional write (IF NOT EXISTS) cannot take a client timestamp: Cassandra assigns it",
        ));
    }
    let table: &'static str = &M::TABLE.name;
    let ttl = ttl_value::<M>(options)?;
    let settings = Settings {
        consistency: options.consistency,
        serial: Some(
            options
                .serial_consistency
                .unwrap_or(SerialConsistency::LocalSerial),
        ),
        ..Settings::default()
    };
    let values = Bind::new(|b| {
        row.bind_row(b)?;
        b.bind_positional("[ttl]", &ttl)
    });
    let result = db
        .execute_prepared(table, M::CQL.insert_if_not_exists, settings, values)
        .await?;
    let rows = result
        .into_rows_result()
        .map_err(|e| request_error(table, e))?;
    match rows
        .maybe_first_row::<LwtRow<M>>()
        .map_err(|e| request_error(table, e))?
    {
        Some(LwtRow(InsertOutcome::Inserted)) if !M::QUERY_TABLES.is_empty() => {
            // Only a row that was written gets copies; a conditional batch cannot span
            // tables, so they follow in their own logged batch.
            let mut entries = Vec::with_capacity(M::QUERY_TABLES.len());
            fanout::copies_of(row, ttl, db.next_timestamp(), &mut entries);
            fanout::send(db, BatchType::Logged, options.consistency, &entries).await?;
            Ok(InsertOutcome::Inserted)
        }
        Some(LwtRow(outcome)) => Ok(outcome),
        None => Err(WriteError::NoApplied {
            table: table.to_owned(),
        }),
    }
}

/// The `[applied]` column of an LWT result, then (when not applied) the existing row.
pub(crate) struct LwtRow<M>(pub(crate) InsertOutcome<M>);

/// The name of the LWT result's first column.
pub(crate) const APPLIED: &str = "[applied]";

impl<'f, 'm, M: Model> DeserializeRow<'f, 'm> for LwtRow<M> {
    fn type_check(specs: &[ColumnSpec]) -> Result<(), TypeCheckError> {
        let mut checker = ColumnChecker::new(&M::TABLE.name, specs);
        checker.column::<bool>(APPLIED)?;
        if specs.len() > 1 {
            M::check_columns(&mut checker)?;
        }
        Ok(())
    }

    fn deserialize(row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
        let mut reader = RowReader::new(row)?;
        if reader.get::<bool>(APPLIED)? {
            Ok(LwtRow(InsertOutcome::Inserted))
        } else {
            M::read_row(&mut reader).map(|m| LwtRow(InsertOutcome::Exists(m)))
        }
    }
}

impl Db {
    /// Writes `row` with the default options (table TTL, clock timestamp).
    pub async fn insert<M: Model>(&self, row: &M) -> Result<(), WriteError> {
        insert(self, row, &WriteOptions::default()).await
    }

    /// Writes `row` with per-call options (TTL, timestamp, consistency).
    pub async fn insert_with<M: Model>(
        &self,
        row: &M,
        options: &WriteOptions,
    ) -> Result<(), WriteError> {
        insert(self, row, options).await
    }

    /// Writes `row` unless its primary key exists; see [`insert_if_not_exists`].
    pub async fn insert_if_not_exists<M: Model>(
        &self,
        row: &M,
    ) -> Result<InsertOutcome<M>, WriteError> {
        insert_if_not_exists(self, row, &WriteOptions::default()).await
    }
}
