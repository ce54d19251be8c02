//! Validation of INSERT, UPDATE and DELETE with the messages of apache/cassandra 4.1
//! (`ModificationStatement.java`, `UpdateStatement.java`, `DeleteStatement.java`,
//! `Operation.java`, `StatementRestrictions.java` for the WHERE clause of writes).

use std::sync::Arc;

use cassmodel_cql::ast::{
    Assignment, ConditionOp, DeleteTarget, Insert, InsertValues, Operator, Relation, Term, Using,
};

use super::super::bind::MarkerSpecs;
use super::super::select::plan::InValuesOrEq;
use super::super::term::{Ctx, collect_specs, token};
use super::condition::{if_clause, record_condition};
use super::ops::{
    check_field_assignment, check_field_deletion, field_index, record_in, validate_op,
};
use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, TableMeta};
use crate::types::CqlType;

pub mod multi;

/// INSERT, UPDATE or DELETE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModKind {
    /// INSERT (writes a row marker).
    Insert,
    /// UPDATE
    Update,
    /// DELETE
    Delete,
}

/// One column operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `c = v` (whole value; collections are replaced).
    Set(usize, Term),
    /// `c[k] = v` on a list (index) or map (key).
    SetElement(usize, Term, Term),
    /// `u.f = v` on a non-frozen UDT.
    SetField(usize, usize, Term),
    /// `c = c + v`: counter increment, list append, set union, map put.
    Add(usize, Term),
    /// `c = c - v`: counter decrement, list/set removal, map key removal.
    Sub(usize, Term),
    /// `c = v + c`: list prepend.
    Prepend(usize, Term),
    /// `DELETE c`
    DeleteColumn(usize),
    /// `DELETE c[k]`
    DeleteElement(usize, Term),
    /// `DELETE u.f`
    DeleteField(usize, usize),
}

impl Op {
    /// The column written.
    pub fn column(&self) -> usize {
        match self {
            Op::Set(c, _)
            | Op::SetElement(c, _, _)
            | Op::SetField(c, _, _)
            | Op::Add(c, _)
            | Op::Sub(c, _)
            | Op::Prepend(c, _)
            | Op::DeleteColumn(c)
            | Op::DeleteElement(c, _)
            | Op::DeleteField(c, _) => *c,
        }
    }
}

/// An IF condition on a column.
#[derive(Debug, Clone, PartialEq)]
pub struct CondPlan {
    /// Column position.
    pub col: usize,
    /// `c[k]` element key.
    pub element: Option<Term>,
    /// `u.f` field index.
    pub field: Option<usize>,
    /// Operator and values.
    pub op: ConditionOp,
}

/// The IF clause.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// Unconditional.
    None,
    /// `IF NOT EXISTS`
    NotExists,
    /// `IF EXISTS`
    Exists,
    /// `IF c = v AND ...`
    Columns(Vec<CondPlan>),
}

impl Cond {
    /// True for conditional statements (LWT).
    pub fn is_some(&self) -> bool {
        !matches!(self, Cond::None)
    }
}

/// A validated modification.
#[derive(Debug, Clone)]
pub struct ModPlan {
    /// The table.
    pub table: Arc<TableMeta>,
    /// Kind.
    pub kind: ModKind,
    /// Partition-key values per column.
    pub pk: Vec<InValuesOrEq>,
    /// Clustering values per leading column.
    pub ck: Vec<InValuesOrEq>,
    /// DELETE range bounds on the column after `ck`.
    pub ck_lower: Option<(Term, bool)>,
    /// Upper bound.
    pub ck_upper: Option<(Term, bool)>,
    /// The combinations of `ck` values multi-column INs allow.
    pub ck_tuples: Vec<multi::TupleIn>,
    /// Column operations.
    pub ops: Vec<Op>,
    /// USING TTL.
    pub ttl: Option<Term>,
    /// USING TIMESTAMP.
    pub timestamp: Option<Term>,
    /// IF clause.
    pub cond: Cond,
    /// Only static columns are written (no clustering needed).
    pub static_only: bool,
    /// `INSERT JSON`: the document bound to the synthetic markers of every column.
    pub json: Option<super::json::JsonInsert>,
}

impl ModPlan {
    /// For PREPARE: the marker index bound to each partition-key column by `= ?`, or
    /// `None` when any column is bound another way.
    pub fn pk_marker_indexes(&self) -> Option<Vec<u16>> {
        // INSERT JSON binds its keys through the `[json]` marker: none is a key column's.
        if self.json.is_some() {
            return None;
        }
        pk_indexes(&self.pk)
    }
}

/// `pk_indexes` of PREPARED for partition-key restrictions.
pub fn pk_indexes(pk: &[InValuesOrEq]) -> Option<Vec<u16>> {
    pk.iter()
        .map(|p| match p {
            InValuesOrEq::Eq(Term::Marker(m)) => u16::try_from(m.index).ok(),
            _ => None,
        })
        .collect()
}

fn invalid(msg: impl Into<String>) -> CqlError {
    CqlError::invalid(msg)
}

fn col_pos(table: &TableMeta, name: &str) -> CqlResult<usize> {
    table
        .columns
        .iter()
        .position(|c| c.name == name)
        .ok_or_else(|| invalid(format!("Undefined column name {name}")))
}

fn names(cols: impl Iterator<Item = String>) -> String {
    cols.collect::<Vec<_>>().join(", ")
}

/// A statement to plan.
#[derive(Debug, Clone, Copy)]
pub enum ModStatement<'a> {
    /// INSERT
    Insert(&'a Insert),
    /// UPDATE
    Update(&'a cassmodel_cql::ast::Update),
    /// DELETE
    Delete(&'a cassmodel_cql::ast::Delete),
}

/// Validates a modification and records its marker metadata.
pub fn plan_modification(
    stmt: ModStatement<'_>,
    table: Arc<TableMeta>,
    specs: &mut MarkerSpecs,
) -> CqlResult<ModPlan> {
    let ctx = Ctx {
        keyspace: &table.keyspace,
        table: &table.name,
    };
    let t = &*table;
    let mut json = None;
    if t.is_system {
        return Err(CqlError::unauthorized(format!(
            "{} keyspace is not user-modifiable.",
            t.keyspace
        )));
    }
    let (kind, using, relations, ops, cond) = match stmt {
        ModStatement::Insert(ins) => {
            if t.is_counter {
                return Err(invalid(
                    "INSERT statements are not allowed on counter tables, use UPDATE instead",
                ));
            }
            let (columns, values) = match &ins.values {
                InsertValues::Values { columns, values } => (columns.clone(), values.clone()),
                InsertValues::Json {
                    json: doc,
                    default_unset,
                } => {
                    let (c, v, j) = super::json::plan(doc, *default_unset, t, ctx, specs)?;
                    json = Some(j);
                    (c, v)
                }
            };
            // UpdateStatement.ParsedInsert.prepareInternal, before any column is resolved.
            if columns.is_empty() {
                return Err(invalid("No columns provided to INSERT"));
            }
            if columns.len() != values.len() {
                return Err(invalid("Unmatched column names/values"));
            }
            for (i, c) in columns.iter().enumerate() {
                if columns[..i].iter().any(|o| o.as_str() == c.as_str()) {
                    return Err(invalid("The column names contains duplicates"));
                }
            }
            let mut relations = Vec::new();
            let mut ops = Vec::new();
            for (c, v) in columns.iter().zip(&values) {
                let pos = col_pos(t, c.as_str())?;
                if t.columns[pos].kind.is_primary_key() {
                    relations.push(Relation::Compare {
                        column: c.clone(),
                        op: Operator::Eq,
                        value: v.clone(),
                    });
                } else {
                    ops.push(Op::Set(pos, token::bind_token_calls(v, t)?));
                }
            }
            let cond = if ins.if_not_exists {
                Cond::NotExists
            } else {
                Cond::None
            };
            (ModKind::Insert, ins.using.clone(), relations, ops, cond)
        }
        ModStatement::Update(up) => {
            let mut ops = Vec::new();
            for a in &up.assignments {
                let pos = col_pos(t, a.column().as_str())?;
                let col = &t.columns[pos];
                if col.kind.is_primary_key() {
                    return Err(invalid(format!(
                        "PRIMARY KEY part {} found in SET part",
                        col.name
                    )));
                }
                ops.push(match a {
                    Assignment::Set { value, .. } => {
                        Op::Set(pos, token::bind_token_calls(value, t)?)
                    }
                    Assignment::SetElement { key, value, .. } => {
                        Op::SetElement(pos, key.clone(), value.clone())
                    }
                    Assignment::SetField { field, value, .. } => {
                        check_field_assignment(t, pos, field.as_str(), value)?;
                        Op::SetField(pos, field_index(t, pos, field.as_str())?, value.clone())
                    }
                    Assignment::Add { value, .. } => Op::Add(pos, value.clone()),
                    Assignment::Subtract { value, .. } => Op::Sub(pos, value.clone()),
                    Assignment::Prepend { value, .. } => Op::Prepend(pos, value.clone()),
                });
            }
            (
                ModKind::Update,
                up.using.clone(),
                up.where_clause.clone(),
                ops,
                if_clause(t, up.if_clause.as_ref())?,
            )
        }
        ModStatement::Delete(del) => {
            let mut ops = Vec::new();
            for d in &del.targets {
                ops.push(match d {
                    DeleteTarget::Column(c) => {
                        let pos = col_pos(t, c.as_str())?;
                        if t.columns[pos].kind.is_primary_key() {
                            return Err(invalid(format!(
                                "Invalid identifier {} for deletion (should not be a PRIMARY KEY part)",
                                c.as_str()
                            )));
                        }
                        Op::DeleteColumn(pos)
                    }
                    DeleteTarget::Element { column, key } => Op::DeleteElement(col_pos(t, column.as_str())?, key.clone()),
                    DeleteTarget::Field { column, field } => {
                        let pos = col_pos(t, column.as_str())?;
                        check_field_deletion(t, pos)?;
                        Op::DeleteField(pos, field_index(t, pos, field.as_str())?)
                    }
                });
            }
            let using = Using {
                ttl: None,
                timestamp: del.timestamp.clone(),
            };
            (
                ModKind::Delete,
                using,
                del.where_clause.clone(),
                ops,
                if_clause(t, del.if_clause.as_ref())?,
            )
        }
    };
    // StatementRestrictions rejects clustering restrictions of a statement that modifies
    // only static columns before it looks at the kind of relation.
    let static_ops_only = kind != ModKind::Insert
        && !ops.is_empty()
        && ops
            .iter()
            .all(|o| t.columns[o.column()].kind == ColumnKind::Static)
        && !matches!(&cond, Cond::Columns(cs)
            if cs.iter().any(|c| t.columns[c.col].kind != ColumnKind::Static));
    if static_ops_only
        && relations
            .iter()
            .any(|r| matches!(r, Relation::MultiCompare { .. } | Relation::MultiIn { .. }))
    {
        return Err(invalid(format!(
            "Invalid restrictions on clustering columns since the {} statement modifies only static columns",
            if kind == ModKind::Delete {
                "DELETE"
            } else {
                "UPDATE"
            }
        )));
    }
    let (relations, ck_tuples) = multi::desugar(t, relations)?;
    // Operations: types, counters, and marker receivers.
    for op in &ops {
        validate_op(t, op, ctx, specs)?;
    }
    if let Cond::Columns(conds) = &cond {
        for c in conds {
            record_condition(t, c, ctx, specs)?;
        }
    }
    // WHERE clause (StatementRestrictions for UPDATE/DELETE).
    let mut pk: Vec<Option<InValuesOrEq>> = vec![None; t.partition_key().count()];
    let ck_count = t.clustering().count();
    let mut ck: Vec<Option<InValuesOrEq>> = vec![None; ck_count];
    let mut ck_lower = None;
    let mut ck_upper = None;
    let mut slice_col: Option<usize> = None;
    let mut non_pk = Vec::new();
    for rel in &relations {
        match rel {
            Relation::Compare { column, op, value } => {
                let pos = col_pos(t, column.as_str())?;
                let col = &t.columns[pos];
                let idx = usize::try_from(col.position).unwrap_or(0);
                match (col.kind, op) {
                    (ColumnKind::PartitionKey, Operator::Eq) => {
                        dup_eq(&pk[idx], &col.name)?;
                        collect_specs(value, &col.name, &col.ty, ctx, specs);
                        pk[idx] = Some(InValuesOrEq::Eq(value.clone()));
                    }
                    (ColumnKind::PartitionKey, _) => {
                        // StatementRestrictions.processPartitionKeyRestrictions, with the
                        // StatementType's name.
                        return Err(invalid(format!(
                            "Only EQ and IN relation are supported on the partition key (unless you use the token() function) for {} statements",
                            if kind == ModKind::Delete {
                                "DELETE"
                            } else {
                                "UPDATE"
                            }
                        )));
                    }
                    (ColumnKind::Clustering, Operator::Eq) => {
                        dup_eq(&ck[idx], &col.name)?;
                        collect_specs(value, &col.name, &col.ty, ctx, specs);
                        ck[idx] = Some(InValuesOrEq::Eq(value.clone()));
                    }
                    (
                        ColumnKind::Clustering,
                        Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte,
                    ) => {
                        if kind != ModKind::Delete {
                            return Err(invalid(format!(
                                "Slice restrictions are not supported on the clustering columns in {} statements",
                                if kind == ModKind::Update {
                                    "UPDATE"
                                } else {
                                    "INSERT"
                                }
                            )));
                        }
                        if slice_col.is_some_and(|s| s != idx) {
                            return Err(invalid(format!(
                                "Clustering column \"{}\" cannot be restricted (preceding column \"{}\" is restricted by a non-EQ relation)",
                                col.name,
                                t.clustering()
                                    .nth(slice_col.unwrap_or(0))
                                    .map(|c| c.name.as_str())
                                    .unwrap_or_default()
                            )));
                        }
                        slice_col = Some(idx);
                        collect_specs(value, &col.name, &col.ty, ctx, specs);
                        let b = (value.clone(), matches!(op, Operator::Gte | Operator::Lte));
                        if matches!(op, Operator::Gt | Operator::Gte) {
                            ck_lower = Some(b)
                        } else {
                            ck_upper = Some(b)
                        }
                    }
                    (ColumnKind::Clustering, _) => {
                        return Err(invalid(format!(
                            "Unsupported relation on clustering column {}",
                            col.name
                        )));
                    }
                    _ => non_pk.push(col.name.clone()),
                }
            }
            Relation::In { column, values } => {
                let pos = col_pos(t, column.as_str())?;
                let col = &t.columns[pos];
                let idx = usize::try_from(col.position).unwrap_or(0);
                record_in(values, &col.name, &col.ty, ctx, specs);
                match col.kind {
                    ColumnKind::PartitionKey => pk[idx] = Some(InValuesOrEq::of_in(values)),
                    ColumnKind::Clustering => ck[idx] = Some(InValuesOrEq::of_in(values)),
                    _ => non_pk.push(col.name.clone()),
                }
            }
            Relation::Token { .. } => {
                return Err(invalid(format!(
                    "The token function cannot be used in WHERE clauses for {} statements",
                    if kind == ModKind::Delete {
                        "DELETE"
                    } else {
                        "UPDATE"
                    }
                )));
            }
            Relation::IsNotNull(c) | Relation::Element { column: c, .. } => {
                col_pos(t, c.as_str())?;
                non_pk.push(c.as_str().to_owned());
            }
            Relation::MultiCompare { .. } | Relation::MultiIn { .. } => {
                return Err(CqlError::unsupported(
                    "Multi-column relations in UPDATE and DELETE",
                ));
            }
        }
    }
    if !non_pk.is_empty() {
        return Err(invalid(format!(
            "Non PRIMARY KEY columns found in where clause: {}",
            non_pk.join(", ")
        )));
    }
    let missing_pk: Vec<String> = t
        .partition_key()
        .zip(&pk)
        .filter(|(_, r)| r.is_none())
        .map(|(c, _)| c.name.clone())
        .collect();
    if !missing_pk.is_empty() {
        return Err(invalid(format!(
            "Some partition key parts are missing: {}",
            missing_pk.join(", ")
        )));
    }
    let pk: Vec<InValuesOrEq> = pk.into_iter().flatten().collect();
    // Clustering: a prefix, complete unless deleting rows or writing only statics.
    let given = ck.iter().take_while(|c| c.is_some()).count();
    if kind == ModKind::Insert && given < ck_count && ck.iter().any(Option::is_some) {
        // An INSERT names full rows: every clustering column not given is reported
        // (ModificationStatement.createClustering: "Some clustering keys are missing").
        let missing = names(
            t.clustering()
                .zip(&ck)
                .filter(|(_, v)| v.is_none())
                .map(|(c, _)| c.name.clone()),
        );
        return Err(invalid(format!(
            "Some clustering keys are missing: {missing}"
        )));
    }
    if let Some(gap) = ck.iter().skip(given).position(Option::is_some) {
        let later = t
            .clustering()
            .nth(given + gap)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let missing = t
            .clustering()
            .nth(given)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        return Err(invalid(format!(
            "PRIMARY KEY column \"{later}\" cannot be restricted as preceding column \"{missing}\" is not restricted"
        )));
    }
    if slice_col.is_some_and(|s| s != given) {
        return Err(invalid("Invalid range restriction on clustering columns"));
    }
    // ModificationStatement.appliesOnlyToStaticColumns: neither the operations nor the
    // conditions touch a regular column.
    let regular_condition = matches!(&cond, Cond::Columns(cs)
        if cs.iter().any(|c| t.columns[c.col].kind != ColumnKind::Static));
    let static_only = !ops.is_empty()
        && !regular_condition
        && ops
            .iter()
            .all(|o| t.columns[o.column()].kind == ColumnKind::Static);
    let needs_full = match kind {
        ModKind::Insert | ModKind::Update => !(static_only && given == 0),
        ModKind::Delete => !(ops.is_empty() || static_only && given == 0),
    };
    // `C*: cql3/restrictions/StatementRestrictions.java`: UPDATE and DELETE alike.
    if static_only && given > 0 && kind != ModKind::Insert {
        return Err(invalid(format!(
            "Invalid restrictions on clustering columns since the {} statement modifies only static columns",
            if kind == ModKind::Delete {
                "DELETE"
            } else {
                "UPDATE"
            }
        )));
    }
    // `C*: cql3/statements/DeleteStatement.java` (Parsed.prepareInternal, with
    // Operations.appliesToRegularColumns: a DELETE of whole rows applies to regular
    // columns): a conditional DELETE not naming one row may only delete, and test, static
    // columns.
    if kind == ModKind::Delete && cond.is_some() && given < ck_count {
        let regular_op = ops.is_empty()
            || ops
                .iter()
                .any(|o| t.columns[o.column()].kind != ColumnKind::Static);
        if regular_op {
            return Err(invalid(
                "DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to delete non static columns",
            ));
        }
        if regular_condition {
            return Err(invalid(
                "DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to use IF condition on non static columns",
            ));
        }
    }
    if needs_full && given < ck_count {
        let missing = names(t.clustering().skip(given).map(|c| c.name.clone()));
        if kind == ModKind::Delete {
            return Err(invalid(
                "Range deletions are not supported for specific columns",
            ));
        }
        return Err(invalid(format!(
            "Some clustering keys are missing: {missing}"
        )));
    }
    if cond.is_some() && given < ck_count && !(static_only && given == 0) {
        // Only an UPDATE gets here: conditional DELETEs were checked above.
        return Err(invalid(format!(
            "UPDATE statements must restrict all PRIMARY KEY columns with equality relations in order to use IF conditions, but column '{}' is not restricted",
            t.clustering()
                .nth(given)
                .map(|c| c.name.as_str())
                .unwrap_or_default()
        )));
    }
    let ck: Vec<InValuesOrEq> = ck.into_iter().flatten().collect();
    if cond.is_some() {
        if using.timestamp.is_some() {
            return Err(invalid(
                "Cannot provide custom timestamp for conditional updates",
            ));
        }
        if t.is_counter {
            return Err(invalid(
                "Conditional updates are not supported on counter tables",
            ));
        }
        // ModificationStatement.makeCasRequest: the partition key first, then the
        // clustering columns, named after the statement type.
        let what = if kind == ModKind::Delete {
            "deletions"
        } else {
            "updates"
        };
        let has_in = |v: &[InValuesOrEq]| v.iter().any(|p| matches!(p, InValuesOrEq::In(_)));
        if has_in(&pk) {
            return Err(invalid(format!(
                "IN on the partition key is not supported with conditional {what}"
            )));
        }
        if has_in(&ck) {
            return Err(invalid(format!(
                "IN on the clustering key columns is not supported with conditional {what}"
            )));
        }
    }
    if t.is_counter {
        if using.ttl.is_some() {
            return Err(invalid("Cannot provide custom TTL for counter updates"));
        }
        if using.timestamp.is_some() && kind != ModKind::Delete {
            return Err(invalid(
                "Cannot provide custom timestamp for counter updates",
            ));
        }
    }
    if let Some(ttl) = &using.ttl {
        collect_specs(ttl, "[ttl]", &CqlType::Int, ctx, specs);
    }
    if let Some(ts) = &using.timestamp {
        collect_specs(ts, "[timestamp]", &CqlType::Bigint, ctx, specs);
    }
    Ok(ModPlan {
        table: table.clone(),
        kind,
        pk,
        ck,
        ck_lower,
        ck_upper,
        ck_tuples,
        ops,
        ttl: using.ttl,
        timestamp: using.timestamp,
        cond,
        static_only,
        json,
    })
}

fn dup_eq(slot: &Option<InValuesOrEq>, name: &str) -> CqlResult<()> {
    if slot.is_some() {
        return Err(invalid(format!(
            "{name} cannot be restricted by more than one relation if it includes an Equal"
        )));
    }
    Ok(())
}
