//! Running a planned SELECT against the store, one page at a time: partitions by key,
//! token range or full scan (in token order), clustering slices, filters, LIMIT and
//! PER PARTITION LIMIT carried across pages in the paging state
//! (`C*: service/pager/{SinglePartitionPager,PartitionRangeQueryPager}.java`).

use std::cmp::Ordering;

use cassmodel_store::{ReadSpec, ScanEnd, ScanStart, Slice, Store};

use super::super::codec::{comparable, compare, partition};
use super::super::paging::PagingState;
use super::super::row::{CqlRow, clustering_slice, materialize};
use super::aggregate::{Groups, OutRow};
use super::filter::{BoundFilter, bind_filters, in_values, matches, required, token_value};
use super::plan::{InValuesOrEq, PkAccess, Sel, SelectPlan};
use crate::api::{BoundValue, ResultRows};
use crate::error::{CqlError, CqlResult};
use crate::schema::TableMeta;
use crate::types::CqlType;

fn store_err(e: cassmodel_store::StoreError) -> CqlError {
    CqlError::server(e.to_string())
}

/// `SelectStatement.getLimit` (`C*: src/java/org/apache/cassandra/cql3/statements/SelectStatement.java`),
/// shared by LIMIT and PER PARTITION LIMIT, so both report `limit`/`LIMIT` in their messages.
fn limit_value(
    term: Option<&cassmodel_cql::ast::Term>,
    name: &str,
    bound: &[BoundValue],
) -> CqlResult<i64> {
    let Some(t) = term else { return Ok(i64::MAX) };
    let v = match super::super::term::eval(t, &CqlType::Int, name, bound)? {
        super::super::term::Val::Bytes(b) => {
            let arr: [u8; 4] = b
                .as_slice()
                .try_into()
                .map_err(|_| CqlError::invalid("Invalid limit value"))?;
            i32::from_be_bytes(arr)
        }
        super::super::term::Val::Null => {
            return Err(CqlError::invalid("Invalid null value of limit"));
        }
        // An unset limit is no limit.
        super::super::term::Val::Unset => return Ok(i64::MAX),
    };
    if v <= 0 {
        return Err(CqlError::invalid("LIMIT must be strictly positive"));
    }
    Ok(i64::from(v))
}

/// Options of one execution.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest<'a> {
    /// Rows per page (`None` = unpaged).
    pub page_size: Option<usize>,
    /// The state of the previous page.
    pub state: Option<&'a [u8]>,
    /// Now, in seconds (TTL expiry).
    pub now: i64,
}

/// A partition key and the clustering keys of the rows to read in it (`None`: the
/// planned slices).
type KeyRows = (Vec<u8>, Option<Vec<Vec<u8>>>);

struct Cursor {
    rows: Vec<OutRow>,
    remaining: i64,
    state: Option<PagingState>,
}

/// Runs `plan` and returns one page.
pub fn run_select(
    plan: &SelectPlan,
    store: &Store,
    bound: &[BoundValue],
    req: PageRequest<'_>,
) -> CqlResult<ResultRows> {
    super::group::warn_on_aggregation(plan);
    let table = &*plan.table;
    let limit = limit_value(plan.limit.as_ref(), "[limit]", bound)?;
    let ppl = limit_value(
        plan.per_partition_limit.as_ref(),
        "[per_partition_limit]",
        bound,
    )?;
    // SelectStatement.getDataLimits: an aggregate over everything (no GROUP BY) reads
    // with no per-partition limit; GROUP BY counts it in groups (DataLimits.groupByLimits).
    let ppl = if plan.aggregate && plan.group_by.is_none() {
        i64::MAX
    } else {
        ppl
    };
    let filters = bind_filters(&plan.filters, table, bound)?;
    let state = req.state.map(PagingState::decode).transpose()?;
    // Aggregates and groups are computed over every row: one page.
    let grouping = plan.group_by.is_some();
    let page_size = if plan.aggregate || grouping {
        None
    } else {
        req.page_size
    };
    // The group key of a row: its partition key and its first clustering columns.
    let group_cols: Vec<usize> = table
        .clustering()
        .take(usize::from(plan.group_by.unwrap_or(0)))
        .filter_map(|c| table.columns.iter().position(|x| x.name == c.name))
        .collect();
    let mut cursor = Cursor {
        rows: Vec::new(),
        // LIMIT applies to the rows an aggregate returns, not to the rows it reads
        // (SelectStatement: the aggregation happens before the limit).
        remaining: if plan.aggregate || grouping {
            i64::MAX
        } else {
            state.as_ref().map_or(limit, |s| s.remaining)
        },
        state: None,
    };
    // `needsPostQueryOrdering`: ORDER BY with IN on the partition key sorts the rows of
    // all partitions after the read. SelectStatement.execute (4.1) refuses it whenever the
    // client pages: plain queries always take the pager (their limit is lifted for the
    // sort), aggregates and GROUP BY always do; `checkFalse(pageSize > 0 && ...)` lets
    // them all through with paging off.
    let post_ordering = plan.ordered
        && matches!(&plan.pk, PkAccess::Keys(cols)
            if cols.iter().any(|c| matches!(c, InValuesOrEq::In(_))));
    if post_ordering && req.page_size.is_some() {
        return Err(CqlError::invalid(
            "Cannot page queries with both ORDER BY and a IN restriction on the partition key; you must either remove the ORDER BY or the IN and sort client side, or disable paging for this query",
        ));
    }
    let slices = build_slices(plan, table, bound)?;
    let keys = partition_keys(plan, table, bound)?;
    let multi_key_order = post_ordering && keys.as_ref().is_some_and(|k| k.len() > 1);
    if multi_key_order {
        // LIMIT trims the sorted rows (getDataLimits drops it from the read).
        cursor.remaining = i64::MAX;
    }
    // Aggregates and groups fold rows as they are read; sorted groups are trimmed to
    // LIMIT after the sort.
    let group_limit = if multi_key_order { i64::MAX } else { limit };
    let mut groups = (plan.aggregate || grouping)
        .then(|| Groups::new(&plan.selectors, &table.columns, group_limit));
    let mut collected: Vec<(Vec<u8>, OutRow)> = Vec::new();
    // `rows`: the clustering keys an index named in this partition (read exactly those
    // rows instead of the partition); `None` reads the planned slices.
    let mut visit = |pk: &[u8], rows: Option<&[Vec<u8>]>, cursor: &mut Cursor| -> CqlResult<bool> {
        let resume = state
            .as_ref()
            .filter(|s| s.partition_key.as_deref() == Some(pk));
        if resume.is_some_and(|s| s.partition_done) {
            return Ok(true);
        }
        let in_partition = resume.map_or(ppl, |s| s.remaining_in_partition);
        let spec = ReadSpec {
            slices: match rows {
                Some(cks) => cks.iter().map(|ck| Slice::prefix(ck.clone())).collect(),
                None => slices.clone(),
            },
            reversed: plan.reversed,
            now: req.now,
            static_row: plan.needs_static,
            resume_after: resume.and_then(|s| s.clustering.clone()),
            ..table.read_spec(req.now)
        };
        let mut rows = store
            .read_partition(table.id, pk, &spec)
            .map_err(store_err)?;
        let static_row = rows.static_row.take();
        let mut left = in_partition;
        let mut any_row = false;
        // The group the partition's last row fell in (GROUP BY counts PER PARTITION
        // LIMIT in groups).
        let mut partition_group: Option<Vec<u8>> = None;
        let mut emit = |row: CqlRow, cursor: &mut Cursor, left: &mut i64| -> CqlResult<bool> {
            if !matches(&filters, table, pk, &row)? {
                return Ok(true);
            }
            cursor.remaining -= 1;
            if let Some(groups) = groups.as_mut() {
                let key = group_key(pk, &row, &group_cols, grouping);
                if grouping && partition_group.as_ref() != Some(&key) {
                    // `CQLGroupByLimits`: a row starting a group past the partition's
                    // limit ends the partition (`isDoneForPartition`).
                    if *left <= 0 {
                        return Ok(false);
                    }
                    *left -= 1;
                    partition_group = Some(key.clone());
                }
                if !groups.push(&key, &row, || output(plan, pk, &row))? {
                    // `limit` groups are complete.
                    cursor.remaining = 0;
                    return Ok(false);
                }
            } else if multi_key_order {
                *left -= 1;
                collected.push((row.clustering.clone(), output(plan, pk, &row)?));
            } else {
                *left -= 1;
                cursor.rows.push(output(plan, pk, &row)?);
            }
            let page_full = page_size.is_some_and(|p| cursor.rows.len() >= p);
            if cursor.remaining <= 0 {
                return Ok(false);
            }
            if page_full {
                cursor.state = Some(PagingState {
                    partition_key: Some(pk.to_vec()),
                    clustering: (!row.static_only).then(|| row.clustering.clone()),
                    partition_done: row.static_only || plan.static_only || *left <= 0,
                    remaining: cursor.remaining,
                    remaining_in_partition: (*left).max(0),
                });
                return Ok(false);
            }
            // A group past the limit is refused when its first row comes.
            Ok(*left > 0 || grouping)
        };
        if plan.static_only {
            let live =
                static_row.is_some() || rows.next().transpose().map_err(store_err)?.is_some();
            if !live {
                return Ok(true);
            }
            let row = materialize(table, pk, None, static_row.as_ref(), req.now)?;
            let go_on = emit(row, cursor, &mut left)?;
            return Ok(go_on || (left <= 0 && cursor.remaining > 0 && cursor.state.is_none()));
        }
        for r in rows.by_ref() {
            let r = r.map_err(store_err)?;
            any_row = true;
            let row = materialize(table, pk, Some(&r), static_row.as_ref(), req.now)?;
            if !emit(row, cursor, &mut left)? {
                return Ok(left <= 0 && cursor.remaining > 0 && cursor.state.is_none());
            }
        }
        let unrestricted =
            plan.ck.prefix.is_empty() && plan.ck.lower.is_none() && plan.ck.upper.is_none();
        // SelectStatement.processPartition: no row but static content gives one row when
        // the query reads the static row (it selects or restricts a static column;
        // aggregates keep counting such a partition) and restricts no clustering column
        // (`returnStaticContentOnPartitionWithNoRows`).
        let reads_static = plan.static_queried || plan.aggregate;
        if !any_row && static_row.is_some() && unrestricted && reads_static && resume.is_none() {
            let row = materialize(table, pk, None, static_row.as_ref(), req.now)?;
            if !emit(row, cursor, &mut left)? {
                return Ok(left <= 0 && cursor.remaining > 0 && cursor.state.is_none());
            }
        }
        Ok(true)
    };
    let keys: Option<Vec<KeyRows>> = match (&plan.index, keys) {
        (Some((name, pos)), None) => {
            Some(indexed_rows(table, store, name, *pos, &filters, req.now)?)
        }
        (_, keys) => keys.map(|k| k.into_iter().map(|pk| (pk, None)).collect()),
    };
    match keys {
        Some(keys) => {
            let start = match state.as_ref().and_then(|s| s.partition_key.as_ref()) {
                Some(pk) => keys.iter().position(|(k, _)| k == pk).unwrap_or(keys.len()),
                None => 0,
            };
            for (pk, rows) in &keys[start..] {
                if !visit(pk, rows.as_deref(), &mut cursor)? {
                    break;
                }
                if cursor.state.is_some() || cursor.remaining <= 0 {
                    break;
                }
            }
        }
        None => {
            let (mut start, end) = token_bounds(plan, table, bound)?;
            if let Some(pk) = state.as_ref().and_then(|s| s.partition_key.clone()) {
                start = ScanStart::Key {
                    key: pk,
                    inclusive: true,
                };
            }
            for p in store.scan_partitions(table.id, &start, &end) {
                let p = p.map_err(store_err)?;
                if !visit(&p.key, None, &mut cursor)?
                    || cursor.state.is_some()
                    || cursor.remaining <= 0
                {
                    break;
                }
            }
        }
    }
    if multi_key_order && groups.is_none() {
        collected.sort_by(|a, b| {
            if plan.reversed {
                b.0.cmp(&a.0)
            } else {
                a.0.cmp(&b.0)
            }
        });
        collected.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        cursor.rows = collected.into_iter().map(|(_, r)| r).collect();
    }
    if let Some(groups) = groups {
        cursor.rows = if multi_key_order && grouping {
            // The groups are made in read order, then sorted by their first row, then
            // trimmed (SelectStatement.process: orderResults, then trim(userLimit)).
            groups.finish_sorted(plan.reversed, limit)?
        } else {
            groups.finish(!grouping)?
        };
    }
    if plan.json {
        cursor.rows = json_rows(plan, cursor.rows)?;
    }
    Ok(ResultRows {
        columns: plan.result_columns(),
        rows: cursor.rows,
        paging_state: cursor.state.map(|s| s.encode()),
    })
}

/// `SELECT JSON`: each output row as one JSON object under the selection's names
/// (`C*: cql3/selection/Selection.java` `rowToJson`, applied to the final output rows, so
/// aggregates, LIMIT and paging work as for a plain SELECT).
fn json_rows(plan: &SelectPlan, rows: Vec<OutRow>) -> CqlResult<Vec<OutRow>> {
    let cols: Vec<(&str, &CqlType)> = plan
        .columns
        .iter()
        .map(|c| (c.name.as_str(), &c.ty))
        .collect();
    rows.into_iter()
        .map(|r| {
            let text = crate::types::json::row_to_json(&cols, &r)?;
            Ok(vec![Some(text.into_bytes())])
        })
        .collect()
}

/// The group key of a row: partition key, then each grouped clustering value
/// length-prefixed.
fn group_key(pk: &[u8], row: &CqlRow, cols: &[usize], grouping: bool) -> Vec<u8> {
    if !grouping {
        // An aggregate without GROUP BY: one group of every row.
        return Vec::new();
    }
    let mut key = pk.to_vec();
    for &c in cols {
        let v = row.values[c].value.as_deref().unwrap_or_default();
        key.extend_from_slice(&u32::try_from(v.len()).unwrap_or(u32::MAX).to_be_bytes());
        key.extend_from_slice(v);
    }
    key
}

fn output(plan: &SelectPlan, pk: &[u8], row: &CqlRow) -> CqlResult<OutRow> {
    plan.selectors
        .iter()
        .map(|s| {
            Ok(match s {
                Sel::Column(i) => row.values[*i].value.clone(),
                Sel::Expr(e) => e.eval(row)?,
                Sel::WriteTime(i) => row.values[*i].timestamp.map(|t| t.to_be_bytes().to_vec()),
                Sel::Ttl(i) => row.values[*i]
                    .ttl
                    .map(|t| i32::try_from(t).unwrap_or(i32::MAX).to_be_bytes().to_vec()),
                Sel::Token => Some(
                    cassmodel_store::token::murmur3_token(pk)
                        .to_be_bytes()
                        .to_vec(),
                ),
                // Filled in by the row's group.
                Sel::CountAll | Sel::Aggregate(..) | Sel::Over(..) => None,
            })
        })
        .collect()
}

/// The base rows an index lookup names, grouped by partition in token order: the
/// clustering keys of the rows (`None` when an entry names a whole partition, as the
/// entries of a static-column index do). Only those rows are read from the base table,
/// by primary key, and every row is still checked against all relations, which discards
/// stale entries (`C*: index/internal/composites/CompositesSearcher.java`).
fn indexed_rows(
    table: &TableMeta,
    store: &Store,
    name: &str,
    pos: usize,
    filters: &[BoundFilter],
    now: i64,
) -> CqlResult<Vec<KeyRows>> {
    let index = table
        .indexes
        .get(name)
        .ok_or_else(|| CqlError::server(format!("index {name} vanished")))?;
    let value = match filters.get(pos) {
        Some(BoundFilter::Cmp { value, .. }) => value.clone(),
        Some(BoundFilter::Element { key, value, .. }) => {
            super::super::index::entries_value(key, value)?
        }
        _ => return Err(CqlError::server("index relation is not a comparison")),
    };
    if value.len() > 65535 {
        // C*: db/filter/RowFilter (SimpleExpression.validate for indexed expressions).
        return Err(CqlError::invalid(
            "Index expression values may not be larger than 64K",
        ));
    }
    if value.is_empty() {
        // Empty values are not indexed (CassandraIndex skips them): filter the table.
        return scan_all(table, store);
    }
    let spec = ReadSpec {
        static_row: false,
        ..ReadSpec::all(now)
    };
    let mut out: Vec<KeyRows> = Vec::new();
    for entry in store
        .read_partition(index.id, &value, &spec)
        .map_err(store_err)?
    {
        let entry = entry.map_err(store_err)?;
        let (pk, ck) = super::super::index::parse_entry(entry.clustering())?;
        let whole = ck.is_empty() || table.clustering().next().is_none();
        match out.last_mut() {
            Some((last, rows)) if *last == pk => match rows {
                Some(cks) if !whole => {
                    if cks.last() != Some(&ck) {
                        cks.push(ck);
                    }
                }
                _ => *rows = None,
            },
            _ => out.push((pk, (!whole).then(|| vec![ck]))),
        }
    }
    Ok(out)
}

/// Every partition of `table`, whole (the fallback when an index cannot answer).
fn scan_all(table: &TableMeta, store: &Store) -> CqlResult<Vec<KeyRows>> {
    store
        .scan_partitions(table.id, &ScanStart::Beginning, &ScanEnd::Unbounded)
        .map(|p| p.map(|p| (p.key, None)).map_err(store_err))
        .collect()
}

/// The partition keys of a key-restricted query, sorted and deduplicated; `None` for
/// token ranges and scans.
fn partition_keys(
    plan: &SelectPlan,
    table: &TableMeta,
    bound: &[BoundValue],
) -> CqlResult<Option<Vec<Vec<u8>>>> {
    let cols: Vec<_> = table.partition_key().collect();
    let PkAccess::Keys(restrictions) = &plan.pk else {
        return Ok(None);
    };
    let per_col: Vec<Vec<Vec<u8>>> = restrictions
        .iter()
        .zip(&cols)
        .map(|(r, c)| match r {
            InValuesOrEq::Eq(t) => Ok(vec![required(t, &c.ty, &c.name, bound)?]),
            InValuesOrEq::In(v) => in_values(v, &c.ty, &c.name, bound),
        })
        .collect::<CqlResult<_>>()?;
    let mut combos: Vec<Vec<Vec<u8>>> = vec![Vec::new()];
    for (values, c) in per_col.iter().zip(&cols) {
        let mut sorted = values.clone();
        sorted.sort_by(|a, b| compare(a, b, &c.ty));
        sorted.dedup_by(|a, b| compare(a, b, &c.ty) == Ordering::Equal);
        combos = combos
            .into_iter()
            .flat_map(|prefix| {
                sorted.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push(v.clone());
                    p
                })
            })
            .collect();
    }
    let mut keys = Vec::with_capacity(combos.len());
    for combo in combos {
        if combo.iter().any(Vec::is_empty) && cols.len() == 1 {
            // An empty partition key selects nothing (`Key may not be empty` is for writes).
            continue;
        }
        let refs: Vec<&[u8]> = combo.iter().map(Vec::as_slice).collect();
        let key = partition::encode(&refs)?;
        partition::check_len(&key)?;
        keys.push(key);
    }
    Ok(Some(keys))
}

fn token_bounds(
    plan: &SelectPlan,
    table: &TableMeta,
    bound: &[BoundValue],
) -> CqlResult<(ScanStart, ScanEnd)> {
    let PkAccess::Tokens { start, end } = &plan.pk else {
        return Ok((ScanStart::Beginning, ScanEnd::Unbounded));
    };
    let s = match start {
        Some((t, inclusive)) => ScanStart::Token {
            token: token_value(t, table, bound)?,
            inclusive: *inclusive,
        },
        None => ScanStart::Beginning,
    };
    let e = match end {
        Some((t, inclusive)) => ScanEnd::Token {
            token: token_value(t, table, bound)?,
            inclusive: *inclusive,
        },
        None => ScanEnd::Unbounded,
    };
    Ok((s, e))
}

/// The clustering slices to read, in clustering (byte) order.
fn build_slices(
    plan: &SelectPlan,
    table: &TableMeta,
    bound: &[BoundValue],
) -> CqlResult<Vec<Slice>> {
    let ck: Vec<_> = table.clustering().collect();
    let mut prefixes: Vec<Vec<u8>> = vec![Vec::new()];
    for (i, p) in plan.ck.prefix.iter().enumerate() {
        let c = ck[i];
        let values = match p {
            InValuesOrEq::Eq(t) => vec![required(t, &c.ty, &c.name, bound)?],
            InValuesOrEq::In(v) => in_values(v, &c.ty, &c.name, bound)?,
        };
        let mut next = Vec::new();
        for prefix in &prefixes {
            for v in &values {
                let mut k = prefix.clone();
                comparable::encode_component(&mut k, v, &c.ty, c.is_reversed())?;
                next.push(k);
            }
        }
        prefixes = next;
    }
    prefixes.sort();
    prefixes.dedup();
    let slice_col = ck.get(plan.ck.prefix.len());
    let mut out = Vec::with_capacity(prefixes.len());
    for p in prefixes {
        if plan.ck.lower.is_none() && plan.ck.upper.is_none() {
            out.push(if p.is_empty() {
                Slice::ALL
            } else {
                Slice::prefix(p)
            });
            continue;
        }
        let Some(c) = slice_col else { continue };
        out.push(clustering_slice(
            &p,
            c,
            &plan.ck.lower,
            &plan.ck.upper,
            bound,
        )?);
    }
    Ok(out)
}

/// Whether `filters` are all satisfied (re-exported for index lookups).
pub fn row_matches(
    filters: &[BoundFilter],
    table: &TableMeta,
    pk: &[u8],
    row: &CqlRow,
) -> CqlResult<bool> {
    matches(filters, table, pk, row)
}
