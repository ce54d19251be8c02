//! Cascades of a query's `delete()`: rows of other models that reference a deleted row,
//! deleted with it — only when asked for, never by default.
//!
//! ```text
//! User::query()
//!     .filter_with(|c| c.country.eq("fr") & c.last_login.lt(cutoff))
//!     .delete(&db)
//!     .cascade(Cascade::partitions::<Userline>(|u: &User| (u.username.clone(),)))
//!     .cascade(Cascade::rows::<Follow>(|u: &User| (u.username.clone(), "admin".to_owned())))
//!     .await?;
//! ```
//!
//! The key closure returns the dependent model's own key type (`D::PartitionKey` or
//! `D::PrimaryKey`), so a key of the wrong shape does not compile. Each dependent delete
//! goes in the same logged batch as the row it depends on: once the batch is acknowledged,
//! the row and its dependents are gone together. Deleting a dependent partition of a model
//! with query tables reads it first, as every partition delete of such a model does.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::model::Model;
use crate::write::BatchBuilder;

/// A dependent delete, keyed by the deleted row, added to the row's batch.
trait Dependent: Send + Sync {
    fn add<'a>(&'a self, batch: BatchBuilder<'a>) -> BatchBuilder<'a>;
}

struct PartitionOf<D: Model>(D::PartitionKey, PhantomData<fn() -> D>);

impl<D: Model> Dependent for PartitionOf<D> {
    fn add<'a>(&'a self, batch: BatchBuilder<'a>) -> BatchBuilder<'a> {
        batch.delete_partition::<D, D::PartitionKey>(&self.0)
    }
}

struct RowOf<D: Model>(D::PrimaryKey, PhantomData<fn() -> D>);

impl<D: Model> Dependent for RowOf<D> {
    fn add<'a>(&'a self, batch: BatchBuilder<'a>) -> BatchBuilder<'a> {
        batch.delete::<D, D::PrimaryKey>(&self.0)
    }
}

type KeyFn<M> = Arc<dyn Fn(&M) -> Box<dyn Dependent> + Send + Sync>;

/// What else a query's `delete()` deletes for each deleted row of `M`: a partition or a
/// row of another model, keyed by the deleted row. See [`crate::query::Query::delete`].
pub struct Cascade<M> {
    target: &'static str,
    what: &'static str,
    key: KeyFn<M>,
}

impl<M> Clone for Cascade<M> {
    fn clone(&self) -> Self {
        Cascade {
            target: self.target,
            what: self.what,
            key: Arc::clone(&self.key),
        }
    }
}

impl<M> fmt::Debug for Cascade<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cascade({} of `{}`)", self.what, self.target)
    }
}

impl<M: Model> Cascade<M> {
    /// For each deleted row, delete the partition of `D` whose partition key `key` gives
    /// (every row of it): `Cascade::partitions::<Userline>(|u: &User| (u.username.clone(),))`.
    pub fn partitions<D: Model>(key: impl Fn(&M) -> D::PartitionKey + Send + Sync + 'static) -> Self
    where
        D::PartitionKey: 'static,
    {
        Cascade {
            target: &D::TABLE.name,
            what: "partition",
            key: Arc::new(move |row: &M| -> Box<dyn Dependent> {
                Box::new(PartitionOf::<D>(key(row), PhantomData))
            }),
        }
    }

    /// For each deleted row, delete the row of `D` whose primary key `key` gives:
    /// `Cascade::rows::<Profile>(|u: &User| (u.username.clone(),))`.
    pub fn rows<D: Model>(key: impl Fn(&M) -> D::PrimaryKey + Send + Sync + 'static) -> Self
    where
        D::PrimaryKey: 'static,
    {
        Cascade {
            target: &D::TABLE.name,
            what: "row",
            key: Arc::new(move |row: &M| -> Box<dyn Dependent> {
                Box::new(RowOf::<D>(key(row), PhantomData))
            }),
        }
    }

    /// The dependent model's table.
    pub fn table(&self) -> &'static str {
        self.target
    }
}

/// The dependents of a batch of rows, computed before the batch borrows them.
pub(crate) struct Dependents(Vec<Box<dyn Dependent>>);

impl Dependents {
    pub(crate) fn of<M>(cascades: &[Cascade<M>], rows: &[M]) -> Self {
        Dependents(
            rows.iter()
                .flat_map(|row| cascades.iter().map(move |c| (c.key)(row)))
                .collect(),
        )
    }

    /// Adds the dependent deletes of row `i` (of the rows given to [`Dependents::of`]).
    pub(crate) fn add<'a>(
        &'a self,
        i: usize,
        per_row: usize,
        mut batch: BatchBuilder<'a>,
    ) -> BatchBuilder<'a> {
        for d in self.0.iter().skip(i * per_row).take(per_row) {
            batch = d.add(batch);
        }
        batch
    }
}
