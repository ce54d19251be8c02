//! Reads, generic over [`Model`]: the generated finders call these.
//!
//! * [`get`] — one row by its full primary key;
//! * [`find_by_partition`] — every row of a partition, in clustering order, paged;
//! * [`SliceQuery`] — a clustering slice of a partition: equality on a clustering prefix,
//!   a range on the next column, reverse order, limit;
//! * [`find_by_index`] — rows whose indexed column equals a value;
//! * [`find_in_query_table`] — the copies of rows in a query table, by its partition key.
//!
//! The same operations are methods of [`Db`] taking the model's typed keys.

use crate::db::{Db, Settings};
use crate::error::{ReadError, RequestError, request_error};
use crate::model::{Model, QueryTableCql};
use crate::options::{Consistency, ReadOptions};
use crate::rendered::cached;
use crate::row::{Bind, KeyValues, ModelRow};
use crate::stream::RowStream;
use cassmodel_schema::TableDef;
use cassmodel_schema::render::{self, Bound, Slice};
use scylla::serialize::value::SerializeValue;

/// The row of `M` with primary key `key` (partition key then clustering columns), if any.
pub async fn get<M, K>(db: &Db, key: &K, options: ReadOptions) -> Result<Option<M>, ReadError>
where
    M: Model,
    K: KeyValues + ?Sized,
{
    Ok(get_request(db, key, options.consistency).await?)
}

/// [`get`] failing only with a request error (the write path reads stored rows with it).
pub(crate) async fn get_request<M, K>(
    db: &Db,
    key: &K,
    consistency: Option<Consistency>,
) -> Result<Option<M>, RequestError>
where
    M: Model,
    K: KeyValues + ?Sized,
{
    let table: &'static str = &M::TABLE.name;
    let settings = Settings {
        consistency,
        idempotent: true,
        ..Settings::default()
    };
    let values = Bind::new(|b| key.bind_keys(b));
    let result = db
        .execute_prepared(table, M::CQL.select_by_primary_key, settings, values)
        .await?;
    let rows = result
        .into_rows_result()
        .map_err(|e| request_error(table, e))?;
    let row = rows
        .maybe_first_row::<ModelRow<M>>()
        .map_err(|e| request_error(table, e))?;
    Ok(row.map(|ModelRow(m)| m))
}

/// Every row of `M` copied into query table `table` (one of `M::QUERY_TABLES`) under
/// partition key `key` (the query table's partition-key values, in order), in the query
/// table's clustering order, fetched page by page. The derive generates a typed finder
/// `find_<query table>` per query table on top of this.
pub fn find_in_query_table<'a, M, K>(
    db: &'a Db,
    table: &'static QueryTableCql,
    key: K,
    options: ReadOptions,
) -> RowStream<'a, M>
where
    M: Model,
    K: KeyValues + Send + Sync + 'a,
{
    RowStream::paged(
        db,
        table.select_by_partition,
        Bind::new(move |b| key.bind_keys(b)),
        options,
    )
}

/// Every row of the partition `key`, in clustering order, fetched page by page.
pub fn find_by_partition<'a, M, K>(db: &'a Db, key: &'a K, options: ReadOptions) -> RowStream<'a, M>
where
    M: Model,
    K: KeyValues + Sync + ?Sized,
{
    RowStream::paged(
        db,
        M::CQL.select_by_partition,
        Bind::new(move |b| key.bind_keys(b)),
        options,
    )
}

/// Rows whose indexed column `column` (unquoted name) equals `value`, paged. The column
/// must carry a secondary index (`#[cassmodel(index)]`).
pub fn find_by_index<'a, M, V>(
    db: &'a Db,
    column: &str,
    value: &'a V,
    options: ReadOptions,
) -> RowStream<'a, M>
where
    M: Model,
    V: SerializeValue + Sync + ?Sized,
{
    let table = M::TABLE;
    if !table.indexes.iter().any(|i| i.column == column) {
        return RowStream::failed(ReadError::NotIndexed {
            table: table.name.to_string(),
            column: column.to_owned(),
        });
    }
    let cql = cached::<M>(format!("index:{column}"), || {
        render::select_by_column(table, column)
    });
    RowStream::paged(
        db,
        cql,
        Bind::new(move |b| b.bind_positional("indexed value", value)),
        options,
    )
}

/// A clustering slice of one partition of a model's table or of one of its query tables;
/// build it with [`Db::slice`], [`SliceQuery::new`], [`SliceQuery::in_query_table`] or the
/// generated `slice_<query table>` finders.
///
/// Equalities fix clustering columns from the first one on ([`Self::eq`]); the bounds
/// ([`Self::gt`], [`Self::gte`], [`Self::lt`], [`Self::lte`]) apply to the next clustering
/// column. Rows come in clustering order, or reversed with [`Self::reverse`]. `K` is the
/// partition key's values (a tuple, or a reference to one).
pub struct SliceQuery<'a, M, K> {
    db: &'a Db,
    table: &'static TableDef,
    partition: K,
    eq: Vec<&'a (dyn SerializeValue + Sync)>,
    lower: Option<(Bound, &'a (dyn SerializeValue + Sync))>,
    upper: Option<(Bound, &'a (dyn SerializeValue + Sync))>,
    reverse: bool,
    limit: Option<i32>,
    options: ReadOptions,
    model: std::marker::PhantomData<fn() -> M>,
}

impl<'a, M: Model, K: KeyValues + Send + Sync + 'a> SliceQuery<'a, M, K> {
    /// A slice of partition `partition` (its partition key values) of `M`'s table, with no
    /// restriction yet.
    pub fn new(db: &'a Db, partition: K) -> Self {
        Self::of_table(db, M::TABLE, partition)
    }

    /// A slice of partition `partition` (the query table's partition key values, in order)
    /// of query table `table` (one of `M::QUERY_TABLES`), whose clustering columns are the
    /// query table's. The derive generates a typed `slice_<query table>` per query table on
    /// top of this.
    pub fn in_query_table(db: &'a Db, table: &'static QueryTableCql, partition: K) -> Self {
        Self::of_table(db, table.table, partition)
    }

    fn of_table(db: &'a Db, table: &'static TableDef, partition: K) -> Self {
        SliceQuery {
            db,
            table,
            partition,
            eq: Vec::new(),
            lower: None,
            upper: None,
            reverse: false,
            limit: None,
            options: ReadOptions::default(),
            model: std::marker::PhantomData,
        }
    }

    /// Fixes the next clustering column to `value`.
    pub fn eq(mut self, value: &'a (dyn SerializeValue + Sync)) -> Self {
        self.eq.push(value);
        self
    }

    /// The ranged clustering column is `> value`.
    pub fn gt(mut self, value: &'a (dyn SerializeValue + Sync)) -> Self {
        self.lower = Some((Bound::Exclusive, value));
        self
    }

    /// The ranged clustering column is `>= value`.
    pub fn gte(mut self, value: &'a (dyn SerializeValue + Sync)) -> Self {
        self.lower = Some((Bound::Inclusive, value));
        self
    }

    /// The ranged clustering column is `< value`.
    pub fn lt(mut self, value: &'a (dyn SerializeValue + Sync)) -> Self {
        self.upper = Some((Bound::Exclusive, value));
        self
    }

    /// The ranged clustering column is `<= value`.
    pub fn lte(mut self, value: &'a (dyn SerializeValue + Sync)) -> Self {
        self.upper = Some((Bound::Inclusive, value));
        self
    }

    /// Returns rows in the reverse of the table's clustering order.
    pub fn reverse(mut self) -> Self {
        self.reverse = true;
        self
    }

    /// Returns at most `rows` rows (`0` is sent as `1`: Cassandra refuses `LIMIT 0`).
    pub fn limit(mut self, rows: u32) -> Self {
        self.limit = Some(i32::try_from(rows).unwrap_or(i32::MAX).max(1));
        self
    }

    /// Per-call read options.
    pub fn options(mut self, options: ReadOptions) -> Self {
        self.options = options;
        self
    }

    /// The rows, paged.
    pub fn stream(self) -> RowStream<'a, M> {
        let table = self.table;
        let slice = Slice {
            eq_prefix: self.eq.len(),
            lower: self.lower.map(|(b, _)| b),
            upper: self.upper.map(|(b, _)| b),
            reverse: self.reverse,
            limit: self.limit.is_some(),
        };
        let clustering = table.clustering_key().len();
        let ranged = usize::from(slice.lower.is_some() || slice.upper.is_some());
        if slice.eq_prefix + ranged > clustering {
            return RowStream::failed(ReadError::BadSlice {
                table: table.name.to_string(),
                clustering,
                requested: slice.eq_prefix + ranged,
            });
        }
        let shape = format!(
            "slice:{}:{}:{:?}:{:?}:{}:{}",
            table.name, slice.eq_prefix, slice.lower, slice.upper, slice.reverse, slice.limit
        );
        let cql = cached::<M>(shape, || {
            // `None` only when the slice names too many columns, checked above.
            render::select_slice(table, slice).unwrap_or_default()
        });
        let SliceQuery {
            db,
            partition,
            eq,
            lower,
            upper,
            limit,
            options,
            ..
        } = self;
        let values = Bind::new(move |b| {
            partition.bind_keys(b)?;
            for value in &eq {
                b.bind_positional("clustering value", *value)?;
            }
            if let Some((_, value)) = lower {
                b.bind_positional("lower bound", value)?;
            }
            if let Some((_, value)) = upper {
                b.bind_positional("upper bound", value)?;
            }
            if let Some(limit) = &limit {
                b.bind_positional("[limit]", limit)?;
            }
            Ok(())
        });
        RowStream::paged(db, cql, values, options)
    }
}

impl Db {
    /// The row of `M` with primary key `key`, if any.
    ///
    /// ```
    /// # use cassmodel::doc_support::Greeting;
    /// # tokio::runtime::Runtime::new().map_err(|e| e.to_string())?.block_on(async {
    /// # let db = cassmodel::Db::connect("memory:").await?;
    /// # db.sync::<Greeting>().await?;
    /// db.insert(&Greeting { lang: "fr".into(), word: "salut".into() }).await?;
    /// let row = db.get::<Greeting>(&("fr".to_owned(),)).await?;
    /// assert_eq!(row.map(|g| g.word).as_deref(), Some("salut"));
    /// # Ok::<_, cassmodel::Error>(())
    /// # }).map_err(|e| e.to_string())?;
    /// # Ok::<_, String>(())
    /// ```
    pub async fn get<M: Model>(&self, key: &M::PrimaryKey) -> Result<Option<M>, ReadError> {
        get(self, key, ReadOptions::default()).await
    }

    /// [`Db::get`] with per-call options.
    pub async fn get_with<M: Model>(
        &self,
        key: &M::PrimaryKey,
        options: ReadOptions,
    ) -> Result<Option<M>, ReadError> {
        get(self, key, options).await
    }

    /// Every row of partition `key`, in clustering order, paged.
    pub fn find_by_partition<'a, M: Model>(&'a self, key: &'a M::PartitionKey) -> RowStream<'a, M> {
        find_by_partition(self, key, ReadOptions::default())
    }

    /// A clustering slice of partition `key`; see [`SliceQuery`].
    pub fn slice<'a, M: Model>(
        &'a self,
        key: &'a M::PartitionKey,
    ) -> SliceQuery<'a, M, &'a M::PartitionKey> {
        SliceQuery::new(self, key)
    }
}
