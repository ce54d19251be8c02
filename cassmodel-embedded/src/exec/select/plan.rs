//! Validation and planning of SELECT, with the rules and messages of apache/cassandra 4.1
//! `cql3/restrictions/StatementRestrictions.java`, `ClusteringColumnRestrictions.java`,
//! `cql3/statements/SelectStatement.java` (`RawStatement.prepare`, `verifyOrdering`,
//! `limitReceiver`) and `cql3/selection/Selectable.java`.

use std::sync::Arc;

use cassmodel_cql::ast::{InValues, Operator, Relation, Select, Term};

use super::super::bind::MarkerSpecs;
use super::super::term::{Ctx, collect_specs};
pub use super::restrict::multi_type;
use super::restrict::{plan_clustering, plan_partition, record_relation_specs};
use super::selection::plan_selection;
use crate::api::ColumnSpec;
use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, IndexTargetType, TableMeta};
use crate::types::CqlType;

/// `StatementRestrictions.REQUIRES_ALLOW_FILTERING_MESSAGE`.
pub const ALLOW_FILTERING: &str = "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING";

/// One output column.
#[derive(Debug, Clone, PartialEq)]
pub enum Sel {
    /// A column by position in `table.columns`.
    Column(usize),
    /// `writetime(c)`
    WriteTime(usize),
    /// `ttl(c)`
    Ttl(usize),
    /// `token(pk...)`
    Token,
    /// `count(*)` / `count(1)`
    CountAll,
    /// `count(c)`, `min(c)`, `max(c)`, `sum(c)`, `avg(c)` of a column by position.
    Aggregate(super::aggregate::AggregateFn, usize),
    /// Any other selector evaluated per row: native function calls (`intAsBlob(c)`,
    /// `toTimestamp(now())`), casts, typed constants, UDT fields.
    Expr(super::selection::expr::Expr),
    /// An expression over the result of an aggregate ([`Sel::CountAll`] or
    /// [`Sel::Aggregate`]), evaluated once per group: `todate(min(c))`.
    Over(Box<Sel>, super::selection::expr::Expr),
}

/// How partitions are found.
#[derive(Debug, Clone, PartialEq)]
pub enum PkAccess {
    /// Every partition-key column has `=` or `IN` (per column, in key order).
    Keys(Vec<InValuesOrEq>),
    /// A token range (bounds are bigint terms or `token(...)` of values).
    Tokens {
        /// Lower bound and inclusiveness.
        start: Option<(Term, bool)>,
        /// Upper bound and inclusiveness.
        end: Option<(Term, bool)>,
    },
    /// Every partition in token order.
    Scan,
}

/// Clustering narrowing: equality prefixes and an optional slice after them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CkAccess {
    /// Per leading clustering column: the candidate values (`=` gives one, `IN` several).
    pub prefix: Vec<InValuesOrEq>,
    /// Lower bound on the next column (single) and inclusiveness.
    pub lower: Option<(Term, bool)>,
    /// Upper bound on the next column.
    pub upper: Option<(Term, bool)>,
}

/// The values of one prefix column.
#[derive(Debug, Clone, PartialEq)]
pub enum InValuesOrEq {
    /// `= t`
    Eq(Term),
    /// `IN (...)` / `IN ?`
    In(InValues),
}

impl InValuesOrEq {
    /// The restriction of `c IN values`: an EQ for a one-value list, as
    /// `C*: cql3/SingleColumnRelation.java` (`newINRestriction`) builds it.
    pub fn of_in(values: &InValues) -> Self {
        match values {
            InValues::List(items) if items.len() == 1 => InValuesOrEq::Eq(items[0].clone()),
            _ => InValuesOrEq::In(values.clone()),
        }
    }
}

/// A planned SELECT.
#[derive(Debug, Clone)]
pub struct SelectPlan {
    /// The table.
    pub table: Arc<TableMeta>,
    /// Output columns.
    pub selectors: Vec<Sel>,
    /// Result metadata.
    pub columns: Vec<ColumnSpec>,
    /// An aggregate query (`count`, `min`, `max`, `sum`, `avg`).
    pub aggregate: bool,
    /// `SELECT JSON`: each row of `columns` becomes one `[json]` text value.
    pub json: bool,
    /// `SELECT DISTINCT`.
    pub distinct: bool,
    /// GROUP BY: the number of clustering columns in a group (the partition key always is).
    pub group_by: Option<u16>,
    /// Partition access.
    pub pk: PkAccess,
    /// Clustering narrowing.
    pub ck: CkAccess,
    /// Every relation, re-checked on each row.
    pub filters: Vec<Relation>,
    /// ORDER BY reverses the clustering order.
    pub reversed: bool,
    /// ORDER BY present (with IN on the partition key: sort across partitions).
    pub ordered: bool,
    /// LIMIT.
    pub limit: Option<Term>,
    /// PER PARTITION LIMIT.
    pub per_partition_limit: Option<Term>,
    /// Static columns are read (always, when the table has any).
    pub needs_static: bool,
    /// The static row is read: a static column is selected or restricted, or no regular
    /// column is selected. Only then does a partition holding nothing but static content
    /// give a row (its static row is read; `C*: cql3/
    /// statements/SelectStatement.java` `processPartition` needs a non-empty static row).
    pub static_queried: bool,
    /// The query selects only static/partition-key columns: one row per partition.
    pub static_only: bool,
    /// The secondary index serving the query (index name, position of its relation in
    /// the WHERE clause), when the partition key does not select the partitions.
    pub index: Option<(String, usize)>,
}

impl SelectPlan {
    /// The result metadata: the selected columns, or for `SELECT JSON` the one text
    /// column `[json]` (`C*: cql3/Json.java` `JSON_COLUMN_ID`, `SelectStatement.java`).
    pub fn result_columns(&self) -> Vec<ColumnSpec> {
        if !self.json {
            return self.columns.clone();
        }
        vec![ColumnSpec {
            keyspace: self.table.keyspace.clone(),
            table: self.table.name.clone(),
            name: "[json]".to_owned(),
            ty: CqlType::Text,
        }]
    }
}

fn invalid(msg: impl Into<String>) -> CqlError {
    CqlError::invalid(msg)
}

fn column_index(table: &TableMeta, name: &str) -> CqlResult<usize> {
    table
        .columns
        .iter()
        .position(|c| c.name == name)
        .ok_or_else(|| invalid(format!("Undefined column name {name}")))
}

/// Plans `select` on `table`, recording marker metadata in `specs`.
pub fn plan_select(
    select: &Select,
    table: Arc<TableMeta>,
    specs: &mut MarkerSpecs,
) -> CqlResult<SelectPlan> {
    let ctx = Ctx {
        keyspace: &table.keyspace,
        table: &table.name,
    };
    let (selectors, columns, aggregate) = plan_selection(select, &table)?;
    let group_by = super::group::plan_group_by(select, &table)?;

    // Relations: resolve columns and record marker specs.
    for rel in &select.where_clause {
        record_relation_specs(rel, &table, ctx, specs)?;
    }
    crate::exec::modify::plan::multi::check_tuple_arity(&select.where_clause)?;
    super::validate::check_relation_types(&select.where_clause, &table, select.allow_filtering)?;
    if let Some(t) = &select.per_partition_limit {
        collect_specs(t, "[per_partition_limit]", &CqlType::Int, ctx, specs);
    }
    if let Some(t) = &select.limit {
        collect_specs(t, "[limit]", &CqlType::Int, ctx, specs);
    }
    let allow = select.allow_filtering;
    let (pk, pk_needs_filtering) = plan_partition(select, &table)?;
    let has_index = |col: &str, op: Operator| {
        table.indexes_on(col).any(|i| {
            matches!(
                (i.target, op),
                (
                    IndexTargetType::Simple | IndexTargetType::Full,
                    Operator::Eq
                ) | (IndexTargetType::Values, Operator::Contains)
                    | (IndexTargetType::Keys, Operator::ContainsKey)
            )
        })
    };
    let key_range = !matches!(pk, PkAccess::Keys(_));
    // `hasQueriableIndex`: some relation has an index that can serve it.
    let any_index = select.where_clause.iter().any(|rel| match rel {
        Relation::Compare { column, op, .. } => has_index(column.as_str(), *op),
        Relation::Element { column, .. } => table
            .indexes_on(column.as_str())
            .any(|i| i.target == IndexTargetType::Entries),
        _ => false,
    });
    let (ck, ck_needs_filtering, ck_restricted) =
        plan_clustering(select, &table, allow, any_index, &has_index)?;

    // Non-primary-key restrictions.
    let mut indexed = 0;
    let mut non_indexed = 0;
    let mut index: Option<(String, usize)> = None;
    // A map-entry relation `m[k] = v` is served by an `entries(m)` index.
    let has_entries_index = |col: &str| {
        table
            .indexes_on(col)
            .any(|i| i.target == IndexTargetType::Entries)
    };
    let mut choose = |name: &str, op: Operator, entry: bool, pos: usize| {
        if index.is_none() && key_range {
            index = table
                .indexes_on(name)
                .find(|i| {
                    if entry {
                        return i.target == IndexTargetType::Entries;
                    }
                    matches!(
                        (i.target, op),
                        (
                            IndexTargetType::Simple | IndexTargetType::Full,
                            Operator::Eq
                        ) | (IndexTargetType::Values, Operator::Contains)
                            | (IndexTargetType::Keys, Operator::ContainsKey)
                    )
                })
                .map(|i| (i.name.clone(), pos));
        }
    };
    for (pos, rel) in select.where_clause.iter().enumerate() {
        let (name, op) = match rel {
            Relation::Compare { column, op, .. } => (column.as_str(), *op),
            Relation::In { column, .. } => (column.as_str(), Operator::Neq),
            Relation::Element { column, op, .. } => {
                if *op == Operator::Eq && has_entries_index(column.as_str()) {
                    indexed += 1;
                    choose(column.as_str(), *op, true, pos);
                } else {
                    non_indexed += 1;
                }
                continue;
            }
            Relation::IsNotNull(column) => (column.as_str(), Operator::Neq),
            _ => continue,
        };
        let col = &table.columns[column_index(&table, name)?];
        if col.kind.is_primary_key() {
            // A key column's index only serves when its restrictions need filtering.
            let usable = if col.kind == ColumnKind::PartitionKey {
                pk_needs_filtering || key_range
            } else {
                pk_needs_filtering || ck_needs_filtering || key_range
            };
            if has_index(name, op) && usable {
                indexed += 1;
                choose(name, op, false, pos);
            } else if col.kind == ColumnKind::Clustering
                && matches!(op, Operator::Contains | Operator::ContainsKey)
            {
                // CONTAINS on a clustering column never narrows the read: it filters.
                non_indexed += 1;
            }
            continue;
        }
        if matches!(op, Operator::Contains | Operator::ContainsKey) && !col.ty.is_collection() {
            return Err(invalid(format!(
                "Cannot use CONTAINS on non-collection column {name}"
            )));
        }
        if op == Operator::ContainsKey && !matches!(col.ty.unfrozen(), CqlType::Map(..)) {
            return Err(invalid(format!(
                "Cannot use CONTAINS KEY on non-map column {name}"
            )));
        }
        if has_index(name, op) {
            indexed += 1;
            choose(name, op, false, pos);
        } else {
            non_indexed += 1;
        }
    }
    let uses_index = indexed > 0;
    // `C*: cql3/restrictions/StatementRestrictions.java` validateSecondaryIndexSelections,
    // before any ALLOW FILTERING check.
    if uses_index && partition_key_in(&select.where_clause, &table) {
        return Err(invalid(
            "Select on indexed columns and with IN clause for the PRIMARY KEY are not supported",
        ));
    }
    // With an index on a key range, every restricted column becomes a filter
    // (StatementRestrictions adds the partition-key and clustering restrictions to
    // `filterRestrictions` when it uses secondary indexing): more than one needs filtering.
    let restricted_columns = if uses_index && key_range {
        restricted_column_count(&select.where_clause)
    } else {
        indexed + non_indexed
    };
    if !allow {
        let needs_filtering = non_indexed > 0
            || (uses_index && (restricted_columns > 1 || multiple_contains(&select.where_clause)))
            || (!uses_index && (pk_needs_filtering || ck_needs_filtering))
            || (!uses_index && key_range && ck_restricted);
        if needs_filtering {
            return Err(invalid(ALLOW_FILTERING));
        }
    }

    let reversed = super::order::plan_order(select, &table, uses_index, key_range)?;

    // DISTINCT (SelectStatement.validateDistinctSelection).
    if select.distinct {
        if select.per_partition_limit.is_some() {
            return Err(invalid(
                "PER PARTITION LIMIT is not allowed with SELECT DISTINCT queries",
            ));
        }
        let mut selected_pk = 0;
        for s in &selectors {
            if let Sel::Column(i) = s {
                let c = &table.columns[*i];
                match c.kind {
                    ColumnKind::PartitionKey => selected_pk += 1,
                    ColumnKind::Static => {}
                    _ => {
                        return Err(invalid(format!(
                            "SELECT DISTINCT queries must only request partition key columns and/or static columns (not {})",
                            c.name
                        )));
                    }
                }
            }
        }
        // Only a key range must select the whole partition key (`if (!restrictions.isKeyRange()) return;`).
        if key_range && selected_pk < table.partition_key().count() && !aggregate {
            let missing: Vec<&str> = table
                .partition_key()
                .filter(|c| {
                    !selectors
                        .iter()
                        .any(|s| matches!(s, Sel::Column(i) if table.columns[*i].name == c.name))
                })
                .map(|c| c.name.as_str())
                .collect();
            return Err(invalid(format!(
                "SELECT DISTINCT queries must request all the partition key columns (missing {})",
                missing.join(", ")
            )));
        }
        // validateDistinctSelection: only partition-key and static columns may be restricted.
        let regular_restricted = select.where_clause.iter().any(|rel| {
            relation_columns(rel).iter().any(|name| {
                table
                    .column(name)
                    .is_some_and(|c| matches!(c.kind, ColumnKind::Regular | ColumnKind::Clustering))
            })
        });
        if ck_restricted || regular_restricted {
            return Err(invalid(
                "SELECT DISTINCT with WHERE clause only supports restriction by partition key and/or static columns.",
            ));
        }
    }
    let selected_cols = selectors.iter().flat_map(|s| match s {
        Sel::Column(i) | Sel::WriteTime(i) | Sel::Ttl(i) | Sel::Aggregate(_, i) => vec![*i],
        Sel::Over(inner, _) => match **inner {
            Sel::Aggregate(_, i) => vec![i],
            _ => Vec::new(),
        },
        Sel::Expr(e) => {
            let mut cols = Vec::new();
            e.columns(&mut cols);
            cols
        }
        _ => Vec::new(),
    });
    let mut needs_static = false;
    let mut only_static = true;
    let mut selects_regular = false;
    for i in selected_cols {
        match table.columns[i].kind {
            ColumnKind::Static => needs_static = true,
            ColumnKind::PartitionKey => {}
            ColumnKind::Regular => {
                only_static = false;
                selects_regular = true;
            }
            _ => only_static = false,
        }
    }
    if selectors
        .iter()
        .any(|s| matches!(s, Sel::CountAll) || matches!(s, Sel::Over(a, _) if **a == Sel::CountAll))
    {
        only_static = false;
    }
    for rel in &select.where_clause {
        if let Relation::Compare { column, .. } | Relation::In { column, .. } = rel
            && table
                .column(column.as_str())
                .is_some_and(|c| c.kind == ColumnKind::Static)
        {
            needs_static = true;
        }
    }
    // Without DISTINCT a query selecting only static columns still returns one row per
    // CQL row (SelectStatement.processPartition); DISTINCT returns one per partition.
    let static_only = select.distinct;
    if only_static && needs_static && ck_restricted {
        return Err(invalid(
            "Cannot restrict clustering columns when selecting only static columns",
        ));
    }
    Ok(SelectPlan {
        table: table.clone(),
        selectors,
        columns,
        aggregate,
        json: select.json,
        distinct: select.distinct,
        group_by,
        pk,
        ck,
        filters: select.where_clause.clone(),
        reversed,
        ordered: !select.order_by.is_empty(),
        limit: select.limit.clone(),
        per_partition_limit: select.per_partition_limit.clone(),
        needs_static: needs_static || table.has_statics(),
        // A selection of key columns alone queries no column, and Cassandra then fetches
        // every column, the static ones included (`C*: db/filter/ColumnFilter.java`,
        // `Builder.build`); a selection naming regular columns fetches only the static
        // columns it names.
        static_queried: needs_static || !selects_regular,
        static_only,
        index,
    })
}

/// The columns a relation restricts.
fn relation_columns(rel: &Relation) -> Vec<&str> {
    match rel {
        Relation::Compare { column, .. }
        | Relation::In { column, .. }
        | Relation::Element { column, .. }
        | Relation::IsNotNull(column) => vec![column.as_str()],
        Relation::MultiCompare { columns, .. } | Relation::MultiIn { columns, .. } => {
            columns.iter().map(|c| c.as_str()).collect()
        }
        Relation::Token { .. } => Vec::new(),
    }
}

/// The number of distinct columns the WHERE clause restricts (token relations excluded).
/// `keyIsInRelation`: a partition-key column restricted by IN. A one-value IN list is an
/// EQ (`SingleColumnRelation.newINRestriction`).
fn partition_key_in(relations: &[Relation], table: &TableMeta) -> bool {
    relations.iter().any(|r| match r {
        Relation::In { column, values } => {
            table.partition_key().any(|c| c.name == column.as_str())
                && !matches!(values, InValues::List(items) if items.len() == 1)
        }
        _ => false,
    })
}

fn restricted_column_count(relations: &[Relation]) -> usize {
    let mut names: Vec<&str> = relations.iter().flat_map(relation_columns).collect();
    names.sort_unstable();
    names.dedup();
    names.len()
}

/// `RestrictionSet.hasMultipleContains`: one column with several CONTAINS, CONTAINS KEY
/// or map-entry relations (they merge into one restriction that an index cannot serve
/// alone).
fn multiple_contains(relations: &[Relation]) -> bool {
    let mut names: Vec<&str> = relations
        .iter()
        .filter_map(|r| match r {
            Relation::Compare {
                column,
                op: Operator::Contains | Operator::ContainsKey,
                ..
            }
            | Relation::Element { column, .. } => Some(column.as_str()),
            _ => None,
        })
        .collect();
    let all = names.len();
    names.sort_unstable();
    names.dedup();
    names.len() < all
}
