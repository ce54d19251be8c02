//! Partial `UPDATE` of chosen columns of one row, by primary key. On a counter table the
//! values are increments (`c = c + ?`) and no TTL or timestamp is sent (Cassandra refuses
//! both on counters).

use super::fanout;
use super::insert::ttl_value;
use crate::db::{Db, Settings};
use crate::error::WriteError;
use crate::model::Model;
use crate::options::WriteOptions;
use crate::rendered::cached;
use crate::row::{Bind, Binder, KeyValues};
use cassmodel_schema::render;
use scylla::serialize::SerializationError;
use scylla::serialize::value::SerializeValue;
use scylla::statement::batch::BatchType;
use scylla::value::MaybeUnset;

/// One `column = value` assignment.
pub(crate) type Assignment<'a> = (&'a str, &'a (dyn SerializeValue + Sync));

/// Checks the columns and returns the (cached) `UPDATE` statement for them.
pub(crate) fn statement_for<M: Model>(
    columns: &[Assignment<'_>],
) -> Result<&'static str, WriteError> {
    let table = M::TABLE;
    if columns.is_empty() {
        return Err(WriteError::BadOption("an update needs at least one `set`"));
    }
    for (i, (name, _)) in columns.iter().enumerate() {
        let reason = match table.column(name) {
            None => Some("the model has no such column"),
            Some(c) if c.kind.is_primary_key() => {
                Some("it is part of the primary key; delete the row and insert a new one")
            }
            Some(_) if columns[..i].iter().any(|(n, _)| n == name) => Some("it is set twice"),
            Some(_) => None,
        };
        if let Some(reason) = reason {
            return Err(WriteError::BadColumn {
                table: table.name.to_string(),
                column: (*name).to_owned(),
                reason,
            });
        }
    }
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    Ok(cached::<M>(format!("update:{}", names.join(",")), || {
        render::update(table, &names)
    }))
}

/// The values of an update: TTL and timestamp (not on counters), the assignments, the key.
pub(crate) fn bind_update<K: KeyValues + ?Sized>(
    b: &mut Binder<'_, '_>,
    using: Option<(MaybeUnset<i32>, i64)>,
    columns: &[Assignment<'_>],
    key: &K,
) -> Result<(), SerializationError> {
    if let Some((ttl, timestamp)) = &using {
        b.bind_positional("[ttl]", ttl)?;
        b.bind_positional("[timestamp]", timestamp)?;
    }
    for (name, value) in columns {
        b.bind(name, *value)?;
    }
    key.bind_keys(b)
}

/// The `USING` values of an update of `M`, or an error for options a counter refuses.
pub(crate) fn using_for<M: Model>(
    db: &Db,
    options: &WriteOptions,
) -> Result<Option<(MaybeUnset<i32>, i64)>, WriteError> {
    if M::TABLE.is_counter_table() {
        if options.ttl.is_some() || options.timestamp.is_some() {
            return Err(WriteError::BadOption(
                "counter updates take neither a TTL nor a timestamp",
            ));
        }
        return Ok(None);
    }
    let ttl = ttl_value::<M>(options)?;
    Ok(Some((
        ttl,
        options.timestamp.unwrap_or_else(|| db.next_timestamp()),
    )))
}

/// An update of some columns of one row; build it with [`Db::update`].
pub struct UpdateQuery<'a, M, K: ?Sized> {
    db: &'a Db,
    key: &'a K,
    columns: Vec<Assignment<'a>>,
    options: WriteOptions,
    model: std::marker::PhantomData<fn() -> M>,
}

impl<'a, M: Model, K: KeyValues + Sync + ?Sized> UpdateQuery<'a, M, K> {
    /// An update of the row with primary key `key`.
    pub fn new(db: &'a Db, key: &'a K) -> Self {
        UpdateQuery {
            db,
            key,
            columns: Vec::new(),
            options: WriteOptions::default(),
            model: std::marker::PhantomData,
        }
    }

    /// Sets column `column` (its exact name) to `value` (on a counter: adds `value`).
    pub fn set(mut self, column: &'a str, value: &'a (dyn SerializeValue + Sync)) -> Self {
        self.columns.push((column, value));
        self
    }

    /// Per-call options (TTL, timestamp, consistency).
    pub fn options(mut self, options: WriteOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the update. A model with query tables updates the copies in the same logged
    /// batch, reading the stored row first (see [`crate::write`]).
    pub async fn execute(self) -> Result<(), WriteError> {
        let cql = statement_for::<M>(&self.columns)?;
        let using = using_for::<M>(self.db, &self.options)?;
        let table: &'static str = &M::TABLE.name;
        if let (false, Some(using)) = (M::QUERY_TABLES.is_empty(), using) {
            let consistency = self.options.consistency;
            let entries = fanout::update_entries::<M, K>(
                self.db,
                cql,
                self.key,
                &self.columns,
                using,
                consistency,
            )
            .await?;
            return fanout::send(self.db, BatchType::Logged, consistency, &entries).await;
        }
        let settings = Settings {
            consistency: self.options.consistency,
            idempotent: using.is_some(),
            ..Settings::default()
        };
        let (columns, key) = (&self.columns, self.key);
        let values = Bind::new(|b| bind_update(b, using, columns, key));
        self.db
            .execute_prepared(table, cql, settings, values)
            .await?;
        Ok(())
    }
}

impl Db {
    /// An update of chosen columns of the row of `M` with primary key `key`:
    /// `db.update::<User>(&key).set("age", &31).execute().await?`.
    pub fn update<'a, M: Model>(
        &'a self,
        key: &'a M::PrimaryKey,
    ) -> UpdateQuery<'a, M, M::PrimaryKey> {
        UpdateQuery::new(self, key)
    }
}
