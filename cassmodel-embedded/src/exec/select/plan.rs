//! Validation and planning of SELECT, with the rules and messages of apache/cassandra 4.1
//! `cql3/restrictions/StatementRestrictions.java`, `ClusteringColumnRestrictions.java`,
//! `cql3/statements/SelectStatement.java` (`RawStatement.prepare`, `verifyOrdering`,
//! `limitReceiver`) and `cql3/selection/Selectable.java`.

use std::sync::Arc;

use cassmodel_cql::ast::{
    InValues, Operator, Order, Relation, Select, Selection, SelectorExpr, Term,
};

use super::super::bind::MarkerSpecs;
use super::super::term::{Ctx, collect_specs};
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
    /// `count(c)`: non-null values
    Count(usize),
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

/// A planned SELECT.
#[derive(Debug, Clone)]
pub struct SelectPlan {
    /// The table.
    pub table: Arc<TableMeta>,
    /// Output columns.
    pub selectors: Vec<Sel>,
    /// Result metadata.
    pub columns: Vec<ColumnSpec>,
    /// `count(...)` aggregate query.
    pub aggregate: bool,
    /// `SELECT DISTINCT`.
    pub distinct: bool,
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
    /// Static columns are selected (or needed by filters).
    pub needs_static: bool,
    /// The query selects only static/partition-key columns: one row per partition.
    pub static_only: bool,
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
    if select.json {
        return Err(CqlError::unsupported("SELECT JSON"));
    }
    if !select.group_by.is_empty() {
        return Err(CqlError::unsupported("GROUP BY"));
    }
    let ctx = Ctx {
        keyspace: &table.keyspace,
        table: &table.name,
    };
    let (selectors, columns, aggregate) = plan_selection(select, &table)?;

    // Relations: resolve columns and record marker specs.
    for rel in &select.where_clause {
        record_relation_specs(rel, &table, ctx, specs)?;
    }
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
    let (ck, ck_needs_filtering, ck_restricted) =
        plan_clustering(select, &table, allow, &has_index)?;

    // Non-primary-key restrictions.
    let mut indexed = 0;
    let mut non_indexed = 0;
    for rel in &select.where_clause {
        let (name, op) = match rel {
            Relation::Compare { column, op, .. } => (column.as_str(), *op),
            Relation::In { column, .. } => (column.as_str(), Operator::Neq),
            Relation::Element { column, .. } => (column.as_str(), Operator::Neq),
            Relation::IsNotNull(column) => (column.as_str(), Operator::Neq),
            _ => continue,
        };
        let col = &table.columns[column_index(&table, name)?];
        if col.kind.is_primary_key() {
            if has_index(name, op) && (pk_needs_filtering || ck_needs_filtering || key_range) {
                indexed += 1;
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
        } else {
            non_indexed += 1;
        }
    }
    let uses_index = indexed > 0;
    if !allow {
        let needs_filtering = non_indexed > 0
            || (uses_index && (indexed + non_indexed > 1))
            || (!uses_index && (pk_needs_filtering || ck_needs_filtering))
            || (!uses_index && key_range && ck_restricted);
        if needs_filtering {
            return Err(invalid(ALLOW_FILTERING));
        }
    }

    // ORDER BY (SelectStatement.RawStatement.verifyOrderingIsAllowed / isReversed).
    let mut reversed = false;
    if !select.order_by.is_empty() {
        if uses_index {
            return Err(invalid("ORDER BY with 2ndary indexes is not supported."));
        }
        if key_range {
            return Err(invalid(
                "ORDER BY is only supported when the partition key is restricted by an EQ or an IN.",
            ));
        }
        let clustering: Vec<_> = table.clustering().collect();
        let mut direction: Option<bool> = None;
        for (i, (name, order)) in select.order_by.iter().enumerate() {
            let idx = column_index(&table, name.as_str())
                .map_err(|_| invalid(format!("Order by on unknown column {}", name.as_str())))?;
            let col = &table.columns[idx];
            if col.kind != ColumnKind::Clustering {
                return Err(invalid(format!(
                    "Order by is currently only supported on the clustered columns of the PRIMARY KEY, got {}",
                    col.name
                )));
            }
            if clustering.get(i).map(|c| c.name.as_str()) != Some(col.name.as_str()) {
                return Err(invalid(
                    "Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY",
                ));
            }
            let rev = (*order == Order::Desc) != col.is_reversed();
            if direction.is_some_and(|d| d != rev) {
                return Err(invalid("Unsupported order by relation"));
            }
            direction = Some(rev);
        }
        reversed = direction.unwrap_or(false);
    }

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
        if selected_pk < table.partition_key().count() && !aggregate {
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
        if ck_restricted {
            return Err(invalid(
                "SELECT DISTINCT with WHERE clause only supports restriction by partition key and/or static columns.",
            ));
        }
    }
    let selected_cols = selectors.iter().filter_map(|s| match s {
        Sel::Column(i) | Sel::WriteTime(i) | Sel::Ttl(i) | Sel::Count(i) => Some(*i),
        _ => None,
    });
    let mut needs_static = false;
    let mut only_static = true;
    for i in selected_cols {
        match table.columns[i].kind {
            ColumnKind::Static => needs_static = true,
            ColumnKind::PartitionKey => {}
            _ => only_static = false,
        }
    }
    if selectors.iter().any(|s| matches!(s, Sel::CountAll)) {
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
    let static_only =
        select.distinct || (only_static && table.has_statics() && needs_static && !ck_restricted);
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
        distinct: select.distinct,
        pk,
        ck,
        filters: select.where_clause.clone(),
        reversed,
        ordered: !select.order_by.is_empty(),
        limit: select.limit.clone(),
        per_partition_limit: select.per_partition_limit.clone(),
        needs_static: needs_static || table.has_statics(),
        static_only,
    })
}

fn spec(table: &TableMeta, name: String, ty: CqlType) -> ColumnSpec {
    ColumnSpec {
        keyspace: table.keyspace.clone(),
        table: table.name.clone(),
        name,
        ty,
    }
}

fn plan_selection(
    select: &Select,
    table: &TableMeta,
) -> CqlResult<(Vec<Sel>, Vec<ColumnSpec>, bool)> {
    let mut sels = Vec::new();
    let mut specs = Vec::new();
    let selectors = match &select.selection {
        Selection::Wildcard => {
            for (i, c) in table.columns.iter().enumerate() {
                if select.distinct
                    && !matches!(c.kind, ColumnKind::PartitionKey | ColumnKind::Static)
                {
                    return Err(invalid(format!(
                        "SELECT DISTINCT queries must only request partition key columns and/or static columns (not {})",
                        c.name
                    )));
                }
                sels.push(Sel::Column(i));
                specs.push(spec(table, c.name.clone(), c.ty.clone()));
            }
            return Ok((sels, specs, false));
        }
        Selection::Selectors(s) => s,
    };
    let undefined = |name: &str| {
        invalid(format!(
            "Undefined column name {name} in table {}.{}",
            table.keyspace, table.name
        ))
    };
    let col_of = |name: &str| {
        table
            .columns
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| undefined(name))
    };
    for s in selectors {
        let (sel, default_name, ty) = match &s.expr {
            SelectorExpr::Column(c) => {
                let i = col_of(c.as_str())?;
                (
                    Sel::Column(i),
                    c.as_str().to_owned(),
                    table.columns[i].ty.clone(),
                )
            }
            SelectorExpr::WriteTime(c) | SelectorExpr::Ttl(c) => {
                let is_wt = matches!(s.expr, SelectorExpr::WriteTime(_));
                let fname = if is_wt { "writeTime" } else { "ttl" };
                let i = col_of(c.as_str())?;
                let col = &table.columns[i];
                if col.kind.is_primary_key() {
                    return Err(invalid(format!(
                        "Cannot use selection function {fname} on PRIMARY KEY part {}",
                        col.name
                    )));
                }
                if col.ty.is_multi_cell() {
                    let what = if matches!(col.ty, CqlType::Udt(_)) {
                        "UDT"
                    } else {
                        "collection"
                    };
                    return Err(invalid(format!(
                        "Cannot use selection function {fname} on non-frozen {what} {}",
                        col.name
                    )));
                }
                if is_wt {
                    (
                        Sel::WriteTime(i),
                        format!("writetime({})", c.as_str()),
                        CqlType::Bigint,
                    )
                } else {
                    (Sel::Ttl(i), format!("ttl({})", c.as_str()), CqlType::Int)
                }
            }
            SelectorExpr::CountAll => (Sel::CountAll, "count".to_owned(), CqlType::Bigint),
            SelectorExpr::Function { name, args }
                if name.name.as_str() == "count" && args.len() == 1 =>
            {
                match &args[0] {
                    SelectorExpr::Term(Term::Literal(_)) => {
                        (Sel::CountAll, "count".to_owned(), CqlType::Bigint)
                    }
                    SelectorExpr::Column(c) => {
                        let i = col_of(c.as_str())?;
                        (
                            Sel::Count(i),
                            format!("system.count({})", c.as_str()),
                            CqlType::Bigint,
                        )
                    }
                    _ => return Err(CqlError::unsupported("This count() argument")),
                }
            }
            SelectorExpr::Function { name, args } if name.name.as_str() == "token" => {
                let pk: Vec<&str> = table.partition_key().map(|c| c.name.as_str()).collect();
                let given: Vec<&str> = args
                    .iter()
                    .map(|a| match a {
                        SelectorExpr::Column(c) => Ok(c.as_str()),
                        _ => Err(invalid("token() only accepts partition key columns")),
                    })
                    .collect::<CqlResult<_>>()?;
                for g in &given {
                    col_of(g)?;
                }
                if given != pk {
                    return Err(invalid(format!(
                        "Type error: token() arguments must be the partition key columns in order ({})",
                        pk.join(", ")
                    )));
                }
                (
                    Sel::Token,
                    format!("system.token({})", given.join(", ")),
                    CqlType::Bigint,
                )
            }
            SelectorExpr::Function { name, .. } => {
                return Err(CqlError::unsupported(format!(
                    "Function {} in a selection",
                    name.name.as_str()
                )));
            }
            _ => return Err(CqlError::unsupported("This selector")),
        };
        let name = s
            .alias
            .as_ref()
            .map_or(default_name, |a| a.as_str().to_owned());
        sels.push(sel);
        specs.push(spec(table, name, ty));
    }
    let aggregates = sels
        .iter()
        .filter(|s| matches!(s, Sel::CountAll | Sel::Count(_)))
        .count();
    if aggregates > 0 && aggregates < sels.len() {
        // Cassandra 4 returns the first row's values for plain columns next to aggregates.
        // The embedded server refuses the mix rather than guessing.
        return Err(CqlError::unsupported("Mixing aggregates and plain columns"));
    }
    Ok((sels, specs, aggregates > 0))
}

fn record_relation_specs(
    rel: &Relation,
    table: &TableMeta,
    ctx: Ctx<'_>,
    specs: &mut MarkerSpecs,
) -> CqlResult<()> {
    let col = |name: &str| -> CqlResult<(String, CqlType)> {
        let c = table
            .column(name)
            .ok_or_else(|| invalid(format!("Undefined column name {name}")))?;
        Ok((c.name.clone(), c.ty.clone()))
    };
    match rel {
        Relation::Compare { column, op, value } => {
            let (name, ty) = col(column.as_str())?;
            let ty = match (op, ty.unfrozen()) {
                (Operator::Contains, CqlType::List(e) | CqlType::Set(e)) => (**e).clone(),
                (Operator::Contains, CqlType::Map(_, v)) => (**v).clone(),
                (Operator::ContainsKey, CqlType::Map(k, _)) => (**k).clone(),
                _ => ty,
            };
            collect_specs(value, &name, &ty, ctx, specs);
        }
        Relation::In { column, values } => {
            let (name, ty) = col(column.as_str())?;
            record_in(values, &name, &ty, ctx, specs);
        }
        Relation::Element {
            column, key, value, ..
        } => {
            let (name, ty) = col(column.as_str())?;
            if let CqlType::Map(k, v) = ty.unfrozen() {
                collect_specs(key, &format!("key({name})"), k, ctx, specs);
                collect_specs(value, &format!("value({name})"), v, ctx, specs);
            } else {
                return Err(invalid(format!("Column {name} is not a map")));
            }
        }
        Relation::IsNotNull(c) => {
            col(c.as_str())?;
        }
        Relation::MultiCompare { columns, value, .. } => {
            let ty = multi_type(columns, table)?;
            collect_specs(value, &multi_name(columns), &ty, ctx, specs);
        }
        Relation::MultiIn { columns, values } => {
            let ty = multi_type(columns, table)?;
            record_in(values, &multi_name(columns), &ty, ctx, specs);
        }
        Relation::Token { columns, value, .. } => {
            for c in columns {
                col(c.as_str())?;
            }
            collect_specs(value, "partition key token", &CqlType::Bigint, ctx, specs);
        }
    }
    Ok(())
}

fn record_in(values: &InValues, name: &str, ty: &CqlType, ctx: Ctx<'_>, specs: &mut MarkerSpecs) {
    match values {
        InValues::List(items) => {
            for t in items {
                collect_specs(t, name, ty, ctx, specs);
            }
        }
        InValues::Marker(m) => {
            let list = CqlType::List(Box::new(ty.clone()));
            specs.set(m, ctx.keyspace, ctx.table, &format!("in({name})"), &list);
        }
    }
}

fn multi_name(columns: &[cassmodel_cql::ast::Ident]) -> String {
    format!(
        "({})",
        columns
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",")
    )
}

/// The tuple type of a multi-column relation (clustering columns only).
pub fn multi_type(columns: &[cassmodel_cql::ast::Ident], table: &TableMeta) -> CqlResult<CqlType> {
    let mut types = Vec::new();
    for c in columns {
        let col = table
            .column(c.as_str())
            .ok_or_else(|| invalid(format!("Undefined column name {}", c.as_str())))?;
        if col.kind != ColumnKind::Clustering {
            return Err(invalid(format!(
                "Multi-column relations can only be applied to clustering columns but was applied to: {}",
                col.name
            )));
        }
        types.push(col.ty.clone());
    }
    Ok(CqlType::Tuple(types))
}

/// Partition-key access and whether the partition-key restrictions need filtering.
fn plan_partition(select: &Select, table: &TableMeta) -> CqlResult<(PkAccess, bool)> {
    let pk_cols: Vec<&str> = table.partition_key().map(|c| c.name.as_str()).collect();
    let mut per_col: Vec<Option<InValuesOrEq>> = vec![None; pk_cols.len()];
    let mut slices = false;
    let mut token_start = None;
    let mut token_end = None;
    let mut has_token = false;
    for rel in &select.where_clause {
        match rel {
            Relation::Compare { column, op, value } => {
                let Some(pos) = pk_cols.iter().position(|c| *c == column.as_str()) else {
                    continue;
                };
                match op {
                    Operator::Eq => {
                        if per_col[pos].is_some() {
                            return Err(invalid(format!(
                                "{} cannot be restricted by more than one relation if it includes an Equal",
                                column.as_str()
                            )));
                        }
                        per_col[pos] = Some(InValuesOrEq::Eq(value.clone()));
                    }
                    Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte => {
                        if !select.allow_filtering {
                            return Err(invalid(
                                "Only EQ and IN relation are supported on the partition key (unless you use the token() function or allow filtering)",
                            ));
                        }
                        slices = true;
                    }
                    Operator::Neq => return Err(invalid("Unsupported \"!=\" relation")),
                    Operator::Contains | Operator::ContainsKey => {
                        return Err(invalid(format!(
                            "Cannot use CONTAINS on non-collection column {}",
                            column.as_str()
                        )));
                    }
                    Operator::Like => return Err(CqlError::unsupported("LIKE")),
                }
            }
            Relation::In { column, values } => {
                let Some(pos) = pk_cols.iter().position(|c| *c == column.as_str()) else {
                    continue;
                };
                if per_col[pos].is_some() {
                    return Err(invalid(format!(
                        "{} cannot be restricted by more than one relation if it includes a IN",
                        column.as_str()
                    )));
                }
                per_col[pos] = Some(InValuesOrEq::In(values.clone()));
            }
            Relation::MultiCompare { columns, .. } | Relation::MultiIn { columns, .. } => {
                if let Some(c) = columns.iter().find(|c| pk_cols.contains(&c.as_str())) {
                    return Err(invalid(format!(
                        "Multi-column relations can only be applied to clustering columns but was applied to: {}",
                        c.as_str()
                    )));
                }
            }
            Relation::Token { columns, op, value } => {
                let given: Vec<&str> = columns.iter().map(|c| c.as_str()).collect();
                if given != pk_cols {
                    return Err(invalid(format!(
                        "The token function arguments must be in the partition key order: {}",
                        pk_cols.join(", ")
                    )));
                }
                has_token = true;
                let bound = (
                    value.clone(),
                    matches!(op, Operator::Gte | Operator::Lte | Operator::Eq),
                );
                match op {
                    Operator::Gt | Operator::Gte => token_start = Some(bound),
                    Operator::Lt | Operator::Lte => token_end = Some(bound),
                    Operator::Eq => {
                        token_start = Some(bound.clone());
                        token_end = Some(bound);
                    }
                    _ => return Err(invalid(format!("Unsupported operator on token: {op:?}"))),
                }
            }
            _ => {}
        }
    }
    let restricted = per_col.iter().filter(|c| c.is_some()).count();
    if has_token {
        if restricted > 0 {
            return Err(invalid(format!(
                "Columns \"{}\" cannot be restricted by both a normal relation and a token relation",
                pk_cols.join(", ")
            )));
        }
        return Ok((
            PkAccess::Tokens {
                start: token_start,
                end: token_end,
            },
            false,
        ));
    }
    if restricted == pk_cols.len() && !slices {
        return Ok((
            PkAccess::Keys(per_col.into_iter().flatten().collect()),
            false,
        ));
    }
    Ok((PkAccess::Scan, restricted > 0 || slices))
}

/// Clustering access, whether the clustering restrictions need filtering, and whether any
/// clustering column is restricted.
fn plan_clustering(
    select: &Select,
    table: &TableMeta,
    allow: bool,
    has_index: &dyn Fn(&str, Operator) -> bool,
) -> CqlResult<(CkAccess, bool, bool)> {
    let ck: Vec<&crate::schema::ColumnMeta> = table.clustering().collect();
    // (position, kind) per restricted clustering column: 0 = EQ, 1 = IN, 2 = slice, 3 = other
    let mut restr: Vec<(usize, u8, &Relation)> = Vec::new();
    let mut multi: Option<&Relation> = None;
    for rel in &select.where_clause {
        match rel {
            Relation::Compare { column, op, .. } => {
                if let Some(p) = ck.iter().position(|c| c.name == column.as_str()) {
                    let kind = match op {
                        Operator::Eq => 0,
                        Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte => 2,
                        Operator::Contains | Operator::ContainsKey => {
                            if !has_index(column.as_str(), *op) && !allow {
                                return Err(invalid(
                                    "Cannot restrict clustering columns by a CONTAINS relation without a secondary index",
                                ));
                            }
                            3
                        }
                        _ => 3,
                    };
                    if kind == 0 && restr.iter().any(|(q, _, _)| *q == p) {
                        return Err(invalid(format!(
                            "{} cannot be restricted by more than one relation if it includes an Equal",
                            column.as_str()
                        )));
                    }
                    restr.push((p, kind, rel));
                }
            }
            Relation::In { column, .. } => {
                if let Some(p) = ck.iter().position(|c| c.name == column.as_str()) {
                    restr.push((p, 1, rel));
                }
            }
            Relation::MultiCompare { columns, .. } | Relation::MultiIn { columns, .. } => {
                for (i, c) in columns.iter().enumerate() {
                    if ck.get(i).map(|m| m.name.as_str()) != Some(c.as_str()) {
                        return Err(invalid(format!(
                            "Clustering columns must appear in the PRIMARY KEY order in multi-column relations: {}",
                            multi_display(columns)
                        )));
                    }
                }
                multi = Some(rel);
            }
            _ => {}
        }
    }
    let restricted = !restr.is_empty() || multi.is_some();
    if let Some(m) = multi {
        if !restr.is_empty() {
            return Err(CqlError::unsupported(
                "Mixing single-column and multi-column clustering relations",
            ));
        }
        return Ok((plan_multi(m), false, true));
    }
    restr.sort_by_key(|(p, _, _)| *p);
    // Slice followed by a later column (ClusteringColumnRestrictions.mergeWith).
    if !allow
        && let Some((sp, _, _)) = restr.iter().find(|(_, k, _)| *k == 2)
        && let Some((later, _, _)) = restr.iter().find(|(p, _, _)| p > sp)
    {
        return Err(invalid(format!(
            "Clustering column \"{}\" cannot be restricted (preceding column \"{}\" is restricted by a non-EQ relation)",
            ck[*later].name, ck[*sp].name
        )));
    }
    // Gaps: a restricted column whose predecessor is not restricted
    // (StatementRestrictions.processClusteringColumnsRestrictions).
    let mut needs_filtering = false;
    let mut access = CkAccess::default();
    let mut expected = 0;
    let mut slice_col: Option<usize> = None;
    let mut narrowing = true;
    for (p, kind, rel) in &restr {
        if *p > expected && slice_col.is_none_or(|s| s != *p) {
            if narrowing && !allow && !relation_indexed(rel, has_index) {
                return Err(invalid(format!(
                    "PRIMARY KEY column \"{}\" cannot be restricted as preceding column \"{}\" is not restricted",
                    ck[*p].name, ck[expected].name
                )));
            }
            needs_filtering = true;
            narrowing = false;
            continue;
        }
        if !narrowing {
            continue;
        }
        match (kind, rel) {
            (0, Relation::Compare { value, .. }) if *p == expected && slice_col.is_none() => {
                access.prefix.push(InValuesOrEq::Eq(value.clone()));
                expected += 1;
            }
            (1, Relation::In { values, .. }) if *p == expected && slice_col.is_none() => {
                access.prefix.push(InValuesOrEq::In(values.clone()));
                expected += 1;
            }
            (2, Relation::Compare { op, value, .. }) if slice_col.is_none_or(|s| s == *p) => {
                let inclusive = matches!(op, Operator::Gte | Operator::Lte);
                let lower = matches!(op, Operator::Gt | Operator::Gte);
                let slot = if lower {
                    &mut access.lower
                } else {
                    &mut access.upper
                };
                if slot.is_some() {
                    return Err(invalid(format!(
                        "More than one restriction was found for the {} bound on {}",
                        if lower { "start" } else { "end" },
                        ck[*p].name
                    )));
                }
                *slot = Some((value.clone(), inclusive));
                if slice_col.is_none() {
                    slice_col = Some(*p);
                    expected += 1;
                }
            }
            _ => {
                needs_filtering |= *kind == 3;
                narrowing = false;
            }
        }
    }
    Ok((access, needs_filtering, restricted))
}

fn relation_indexed(rel: &Relation, has_index: &dyn Fn(&str, Operator) -> bool) -> bool {
    match rel {
        Relation::Compare { column, op, .. } => has_index(column.as_str(), *op),
        _ => false,
    }
}

fn multi_display(columns: &[cassmodel_cql::ast::Ident]) -> String {
    columns
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Multi-column relations narrow nothing here (they are evaluated as filters on the
/// partition's rows); equality becomes a prefix when all its columns are given.
fn plan_multi(rel: &Relation) -> CkAccess {
    let _ = rel;
    CkAccess::default()
}
