//! The planner: pure, no I/O. From a model's table, a predicate and the query's options it
//! picks, per OR branch when that is cheaper, the cheapest access path Cassandra serves —
//! (1) the full primary key, (2) the partition key by `=`/`IN` with a clustering prefix and
//! one slice, (3) a secondary-index equality (or `CONTAINS` on an indexed collection),
//! (4) a scan of the whole table, only with `allow_full_scan` — pushes to the server every
//! restriction it may evaluate on that path, and keeps the rest as a residual predicate for
//! the client.
//!
//! The restriction rules follow Cassandra's `cql3/restrictions/StatementRestrictions.java`
//! and `ClusteringColumnRestrictions.java`: a clustering column may be restricted only when
//! every preceding one is restricted by `=` (an `IN` or a slice ends the prefix); regular
//! columns, and more than one index, need `ALLOW FILTERING`; `IN` on non-key columns and
//! `!=` are not served, so they stay in the client.

use std::fmt::Write as _;

use cassmodel_schema::ident::quote;
use cassmodel_schema::render::column_list;
use cassmodel_schema::{ColumnKind, CqlType, IndexTarget, Order, TableDef};

use super::error::QueryError;
use super::nnf::{Lit, Nnf};
use super::predicate::{Node, Op, Value};

/// How the rows of one branch are fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AccessPath {
    /// Whole primary keys (`=`/`IN` on every key column): single rows.
    PrimaryKey,
    /// Whole partitions (`=`/`IN` on the partition key), possibly sliced by clustering.
    Partition,
    /// A secondary index lookup.
    Index {
        /// The index's name.
        index: String,
    },
    /// Every partition of the table, in token order.
    FullScan,
    /// Nothing can match (`IN ()`): no request is sent.
    Empty,
}

/// The options of a query that the planner looks at.
#[derive(Clone, Debug, Default)]
pub(crate) struct PlanOptions {
    /// `order_by` columns: position in `TABLE.columns` and direction.
    pub(crate) order: Vec<(usize, Order)>,
    pub(crate) limit: Option<u64>,
    pub(crate) allow_filtering: bool,
    pub(crate) allow_full_scan: bool,
}

/// One request of a plan.
pub(crate) struct Branch<M> {
    pub(crate) access: AccessPath,
    /// The CQL, built once per plan.
    pub(crate) cql: String,
    /// The same request counting its rows on the server (`SELECT COUNT(*)`, same markers).
    pub(crate) count_cql: String,
    /// Values bound to its markers, in order.
    pub(crate) values: Vec<Value>,
    /// Conjuncts the client evaluates on each fetched row.
    pub(crate) residual: Vec<Nnf<M>>,
    /// Earlier branches' conjunctions: a row matching one was already returned by it.
    pub(crate) exclude: Vec<Vec<Lit<M>>>,
    /// Partitions read, when known.
    pub(crate) partitions: Option<u64>,
    /// Whether `LIMIT ?` was pushed (bound after `values`).
    pub(crate) server_limit: bool,
    /// Rows cost estimate.
    cost: u64,
}

impl<M> Branch<M> {
    /// Whether a fetched row is part of the result.
    #[inline]
    pub(crate) fn accepts(&self, row: &M) -> bool {
        self.residual.iter().all(|n| n.eval(row))
            && !self
                .exclude
                .iter()
                .any(|conj| conj.iter().all(|l| l.eval(row)))
    }
}

/// A planned query.
pub(crate) struct Plan<M> {
    pub(crate) branches: Vec<Branch<M>>,
    /// Whether the rows must be sorted in the client (`order_by` not served by the server).
    pub(crate) client_sort: bool,
}

const COST_ROW: u64 = 1;
const COST_PARTITION: u64 = 20;
const COST_INDEX: u64 = 1_000;
const COST_SCAN: u64 = 1_000_000;

/// Plans `pred` over `table`.
pub(crate) fn plan<M>(
    table: &TableDef,
    pred: &Node<M>,
    opts: &PlanOptions,
) -> Result<Plan<M>, QueryError> {
    check_columns(table, pred)?;
    let nnf = Nnf::of(pred, false);
    // Plan A: one request for the top-level conjunction; nested ORs stay in the client.
    let mut lits = Vec::new();
    let mut rest = Vec::new();
    for n in nnf.clone().conjuncts() {
        match n {
            Nnf::Lit(l) => lits.push(l),
            other => rest.push(other),
        }
    }
    let single = conjunction(table, &lits, rest, opts);
    // Plan B: one request per DNF branch, when there is an OR and every branch avoids a scan.
    let split = if matches!(nnf, Nnf::Lit(_))
        || single.access != AccessPath::FullScan && single.cost <= COST_ROW
    {
        None
    } else {
        nnf.dnf().filter(|d| d.len() > 1).and_then(|dnf| {
            let mut branches: Vec<Branch<M>> = Vec::new();
            let mut seen: Vec<Vec<Lit<M>>> = Vec::new();
            for conj in dnf {
                let mut b = conjunction(table, &conj, Vec::new(), opts);
                if b.access == AccessPath::FullScan {
                    return None;
                }
                b.exclude = seen.clone();
                seen.push(conj);
                if b.access != AccessPath::Empty {
                    branches.push(b);
                }
            }
            Some(branches)
        })
    };
    // A split is worth it when cheaper, unless it loses an order the single request keeps.
    let single = vec![single];
    let single_unordered = opts.order.is_empty() || !server_orders(table, &single, opts);
    let mut branches = match split {
        Some(b)
            if b.iter().map(|b| b.cost).sum::<u64>() < single[0].cost
                && (single_unordered || server_orders(table, &b, opts)) =>
        {
            b
        }
        _ => single,
    };
    if branches.iter().any(|b| b.access == AccessPath::FullScan) && !opts.allow_full_scan {
        return Err(QueryError::FullScan {
            table: table.name.to_string(),
            message: refusal(table, &lits),
        });
    }
    let client_sort = !opts.order.is_empty() && !server_orders(table, &branches, opts);
    if client_sort && opts.limit.is_none() {
        return Err(QueryError::Unordered {
            table: table.name.to_string(),
            message: unordered(table, &branches, opts),
        });
    }
    if let [b] = branches.as_mut_slice()
        && b.residual.is_empty()
        && !client_sort
        && b.access != AccessPath::Empty
        && opts.limit.is_some_and(|l| i32::try_from(l).is_ok())
    {
        b.server_limit = true;
        insert_limit(&mut b.cql);
    }
    let mut plan = Plan {
        branches,
        client_sort,
    };
    add_order_by(table, &mut plan, opts);
    Ok(plan)
}

/// Every leaf names a column of the table.
fn check_columns<M>(table: &TableDef, node: &Node<M>) -> Result<(), QueryError> {
    match node {
        Node::Leaf(l) if l.column >= table.columns.len() => Err(QueryError::NoColumn {
            table: table.name.to_string(),
            index: l.column,
        }),
        Node::Leaf(_) => Ok(()),
        Node::Not(n) => check_columns(table, n),
        Node::And(v) | Node::Or(v) => v.iter().try_for_each(|n| check_columns(table, n)),
    }
}

/// One restriction of the WHERE clause.
struct Restriction {
    column: usize,
    op: Op,
    values: Vec<Value>,
}

/// Plans one conjunction of literals, plus conjuncts only the client evaluates.
fn conjunction<M>(
    table: &TableDef,
    lits: &[Lit<M>],
    mut residual: Vec<Nnf<M>>,
    opts: &PlanOptions,
) -> Branch<M> {
    let mut used = vec![false; lits.len()];
    let mut pushed: Vec<Restriction> = Vec::new();
    let find = |used: &[bool], column: usize, ops: &[Op]| {
        ops.iter().find_map(|want| {
            lits.iter()
                .enumerate()
                .find(|(i, l)| !used[*i] && l.leaf.column == column && l.op(table) == Some(*want))
        })
    };
    let push = |used: &mut Vec<bool>, pushed: &mut Vec<Restriction>, i: usize| {
        used[i] = true;
        let l = &lits[i];
        pushed.push(Restriction {
            column: l.leaf.column,
            op: l.op(table).unwrap_or(l.leaf.op),
            values: l.leaf.values.clone(),
        });
    };
    let index_of = |name: &str| table.columns.iter().position(|c| c.name == name);

    if lits
        .iter()
        .any(|l| !l.negated && l.leaf.op == Op::In && l.leaf.values.is_empty())
    {
        return branch(
            table,
            AccessPath::Empty,
            Vec::new(),
            Vec::new(),
            Some(0),
            0,
            false,
        );
    }

    // (1)/(2): the partition key by = or IN.
    let pk: Vec<usize> = table
        .partition_key()
        .iter()
        .filter_map(|c| index_of(&c.name))
        .collect();
    let pk_hits: Vec<Option<usize>> = pk
        .iter()
        .map(|&c| find(&used, c, &[Op::Eq, Op::In]).map(|(i, _)| i))
        .collect();
    let mut access = AccessPath::FullScan;
    let mut partitions = None;
    let mut cost = COST_SCAN;
    if !pk.is_empty() && pk_hits.iter().all(Option::is_some) {
        let mut count: u64 = 1;
        for i in pk_hits.into_iter().flatten() {
            count = count.saturating_mul(lits[i].leaf.values.len().max(1) as u64);
            push(&mut used, &mut pushed, i);
        }
        let ck: Vec<usize> = table
            .clustering_key()
            .iter()
            .filter_map(|c| index_of(&c.name))
            .collect();
        let mut rows = Some(count);
        let mut all_eq = true;
        for (pos, &c) in ck.iter().enumerate() {
            if let Some((i, _)) = find(&used, c, &[Op::Eq]) {
                push(&mut used, &mut pushed, i);
                continue;
            }
            all_eq = false;
            if let Some((i, l)) = find(&used, c, &[Op::In]) {
                rows = rows.map(|r| r.saturating_mul(l.leaf.values.len() as u64));
                push(&mut used, &mut pushed, i);
                all_eq = pos + 1 == ck.len();
                break;
            }
            if let Some((i, _)) = find(&used, c, &[Op::Gt, Op::Gte]) {
                push(&mut used, &mut pushed, i);
            }
            if let Some((i, _)) = find(&used, c, &[Op::Lt, Op::Lte]) {
                push(&mut used, &mut pushed, i);
            }
            break;
        }
        partitions = Some(count);
        if all_eq {
            access = AccessPath::PrimaryKey;
            cost = rows.unwrap_or(count).saturating_mul(COST_ROW);
        } else {
            access = AccessPath::Partition;
            cost = count.saturating_mul(COST_PARTITION);
        }
    } else if let Some((i, name)) = index_hit(table, lits) {
        push(&mut used, &mut pushed, i);
        access = AccessPath::Index { index: name };
        cost = COST_INDEX;
    }

    // More with ALLOW FILTERING: regular columns by = or one slice, collections by CONTAINS.
    let mut filtering = false;
    if opts.allow_filtering {
        for (c, col) in table.columns.iter().enumerate() {
            if col.kind != ColumnKind::Regular {
                continue;
            }
            let collection = is_collection(&col.ty);
            if !collection || is_frozen(&col.ty) {
                let restricted = pushed.iter().any(|r| r.column == c);
                if !restricted {
                    if let Some((i, _)) = find(&used, c, &[Op::Eq]) {
                        push(&mut used, &mut pushed, i);
                        filtering = true;
                    } else {
                        for ops in [&[Op::Gt, Op::Gte][..], &[Op::Lt, Op::Lte][..]] {
                            if let Some((i, _)) = find(&used, c, ops) {
                                push(&mut used, &mut pushed, i);
                                filtering = true;
                            }
                        }
                    }
                }
            }
            if collection {
                while let Some((i, _)) = find(&used, c, &[Op::Contains, Op::ContainsKey]) {
                    push(&mut used, &mut pushed, i);
                    filtering = true;
                }
            }
        }
    }

    for (i, l) in lits.iter().enumerate() {
        if !used[i] {
            residual.push(Nnf::Lit(l.clone()));
        }
    }
    let mut b = branch(table, access, pushed, residual, partitions, cost, filtering);
    b.cost = cost;
    b
}

/// A literal a secondary index serves: `=` on an indexed column, `CONTAINS` on an indexed
/// collection's values, `CONTAINS KEY` on an index of a map's keys.
fn index_hit<M>(table: &TableDef, lits: &[Lit<M>]) -> Option<(usize, String)> {
    for want in [Op::Eq, Op::Contains, Op::ContainsKey] {
        for (i, l) in lits.iter().enumerate() {
            if l.negated || l.leaf.op != want {
                continue;
            }
            let Some(col) = table.columns.get(l.leaf.column) else {
                continue;
            };
            let collection = is_collection(&col.ty) && !is_frozen(&col.ty);
            let hit = table.indexes.iter().find(|ix| {
                ix.column == col.name
                    && match (want, ix.target) {
                        (Op::Eq, IndexTarget::Values) => !collection,
                        (Op::Eq, IndexTarget::Full) => true,
                        (Op::Contains, IndexTarget::Values) => collection,
                        (Op::ContainsKey, IndexTarget::Keys) => true,
                        _ => false,
                    }
            });
            if let Some(ix) = hit {
                return Some((i, ix.name.to_string()));
            }
        }
    }
    None
}

fn is_collection(ty: &CqlType) -> bool {
    match ty {
        CqlType::List(_) | CqlType::Set(_) | CqlType::Map(_) => true,
        CqlType::Frozen(inner) => is_collection(inner),
        _ => false,
    }
}

fn is_frozen(ty: &CqlType) -> bool {
    matches!(ty, CqlType::Frozen(_))
}

/// Builds the branch's CQL.
fn branch<M>(
    table: &TableDef,
    access: AccessPath,
    pushed: Vec<Restriction>,
    residual: Vec<Nnf<M>>,
    partitions: Option<u64>,
    cost: u64,
    filtering: bool,
) -> Branch<M> {
    let mut cql = String::new();
    let mut values = Vec::new();
    for (i, r) in pushed.into_iter().enumerate() {
        cql.push_str(if i == 0 { " WHERE " } else { " AND " });
        let name = table
            .columns
            .get(r.column)
            .map(|c| quote(&c.name))
            .unwrap_or_default();
        let op = r.op.cql().unwrap_or("=");
        if r.op == Op::In {
            let marks = vec!["?"; r.values.len()].join(", ");
            let _ = write!(cql, "{name} IN ({marks})");
        } else {
            let _ = write!(cql, "{name} {op} ?");
        }
        values.extend(r.values);
    }
    if filtering {
        cql.push_str(" ALLOW FILTERING");
    }
    let from = quote(&table.name);
    Branch {
        access,
        count_cql: format!("SELECT COUNT(*) FROM {from}{cql}"),
        cql: format!("SELECT {} FROM {from}{cql}", column_list(table)),
        values,
        residual,
        exclude: Vec::new(),
        partitions,
        server_limit: false,
        cost,
    }
}

/// Adds `LIMIT ?` (before `ALLOW FILTERING`).
fn insert_limit(cql: &mut String) {
    match cql.strip_suffix(" ALLOW FILTERING") {
        Some(head) => *cql = format!("{head} LIMIT ? ALLOW FILTERING"),
        None => cql.push_str(" LIMIT ?"),
    }
}

/// Whether the server returns the rows in the requested order: one branch reading one
/// partition, ordered by a prefix of the clustering columns, all in their declared order or
/// all reversed (then `ORDER BY` is added to the CQL).
fn server_orders<M>(table: &TableDef, branches: &[Branch<M>], opts: &PlanOptions) -> bool {
    let [b] = branches else {
        return branches.is_empty();
    };
    if b.partitions != Some(1)
        || !matches!(b.access, AccessPath::Partition | AccessPath::PrimaryKey)
    {
        return b.access == AccessPath::Empty;
    }
    if b.access == AccessPath::PrimaryKey && b.cql.matches(" IN (").count() == 0 {
        return true; // at most one row
    }
    if b.cql.contains(" IN (") {
        return false;
    }
    let ck = table.clustering_key();
    let mut reversed = None;
    for (pos, (col, dir)) in opts.order.iter().enumerate() {
        let Some(c) = ck.get(pos) else {
            return false;
        };
        if table.columns.get(*col).map(|x| &x.name) != Some(&c.name) {
            return false;
        }
        let declared = match c.kind {
            ColumnKind::Clustering(_, o) => o,
            _ => Order::Asc,
        };
        let rev = declared != *dir;
        if *reversed.get_or_insert(rev) != rev {
            return false;
        }
    }
    true
}

/// Appends `ORDER BY` when the server must reverse the clustering order.
fn add_order_by<M>(table: &TableDef, plan: &mut Plan<M>, opts: &PlanOptions) {
    let (Some((col, dir)), [b]) = (opts.order.first(), plan.branches.as_mut_slice()) else {
        return;
    };
    let Some(c) = table.columns.get(*col) else {
        return;
    };
    let declared = match c.kind {
        ColumnKind::Clustering(_, o) => o,
        _ => return,
    };
    if plan.client_sort || declared == *dir || b.access != AccessPath::Partition {
        return;
    }
    let clause = format!(" ORDER BY {} {}", quote(&c.name), dir.as_cql());
    let at = [" LIMIT ?", " ALLOW FILTERING"]
        .iter()
        .filter_map(|s| b.cql.find(s))
        .min()
        .unwrap_or(b.cql.len());
    b.cql.insert_str(at, &clause);
}

/// The message of a refused scan: what would have made the query efficient.
fn refusal<M>(table: &TableDef, lits: &[Lit<M>]) -> String {
    let pk = table.partition_key();
    let restricted = |name: &str| {
        lits.iter().any(|l| {
            table
                .columns
                .get(l.leaf.column)
                .is_some_and(|c| c.name == name)
                && matches!(l.op(table), Some(Op::Eq | Op::In))
        })
    };
    let missing: Vec<String> = pk
        .iter()
        .filter(|c| !restricted(&c.name))
        .map(|c| format!("`{}`", c.name))
        .collect();
    let all: Vec<String> = pk.iter().map(|c| format!("`{}`", c.name)).collect();
    let mut msg = format!("query on `{}` would scan the whole table: ", table.name);
    if missing.len() == all.len() {
        let _ = write!(
            msg,
            "no predicate restricts the partition key ({}) by eq or is_in",
            all.join(", ")
        );
    } else {
        let _ = write!(
            msg,
            "the partition key is ({}) but {} {} not restricted by eq or is_in",
            all.join(", "),
            missing.join(", "),
            if missing.len() == 1 { "is" } else { "are" }
        );
    }
    let indexed: Vec<String> = table
        .indexes
        .iter()
        .map(|ix| format!("`{}`", ix.column))
        .collect();
    if indexed.is_empty() {
        msg.push_str(", and the table has no secondary index");
    } else {
        let _ = write!(
            msg,
            ", and no eq/contains predicate uses an indexed column ({})",
            indexed.join(", ")
        );
    }
    msg.push_str("; restrict ");
    msg.push_str(&if missing.is_empty() { all } else { missing }.join(" and "));
    if !table.indexes.is_empty() {
        msg.push_str(" or an indexed column");
    }
    msg.push_str(" (in every OR branch), or call .allow_full_scan() to read every partition");
    msg
}

/// The message of a refused `order_by`.
fn unordered<M>(table: &TableDef, branches: &[Branch<M>], opts: &PlanOptions) -> String {
    let cols: Vec<String> = opts
        .order
        .iter()
        .filter_map(|(c, d)| {
            table
                .columns
                .get(*c)
                .map(|c| format!("{} {}", c.name, d.as_cql()))
        })
        .collect();
    let ck: Vec<String> = table
        .clustering_key()
        .iter()
        .map(|c| c.name.to_string())
        .collect();
    let why = if branches.len() > 1 {
        "the query runs as several requests (OR branches)".to_owned()
    } else if branches.first().is_some_and(|b| b.partitions == Some(1)) {
        format!(
            "the server orders one partition by its clustering columns ({}) in their declared order or its reverse only",
            ck.join(", ")
        )
    } else {
        "the server orders rows by clustering columns only within one partition restricted by eq"
            .to_owned()
    };
    format!(
        "cannot order `{}` by {}: {why}; add .limit(n) to sort the first n matches in the client, or order by the clustering columns within one partition",
        table.name,
        cols.join(", ")
    )
}
