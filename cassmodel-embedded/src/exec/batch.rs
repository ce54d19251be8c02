//! BATCH (requests and `BEGIN BATCH ... APPLY BATCH`): the checks of
//! `C*: cql3/statements/BatchStatement.java` (`validate`, `verifyBatchType`), one shared
//! timestamp, and an atomic apply in one store write section; conditional batches are
//! evaluated on their single partition first (`BatchStatement.executeWithConditions`).

use cassmodel_store::WriteTxn;

use super::modify::apply::{Attrs, bind_attrs, build_mutations};
use super::modify::cas;
use super::modify::cas_result::CasRead;
use super::modify::keys::{clusterings, partition_keys};
use super::modify::plan::{ModKind, ModPlan};
use std::sync::Arc;

use super::bind::resolve_values;
use super::compile::{Compiled, Kind};
use super::trace::{self, Trace};
use super::{Engine, WriteError};
use crate::api::{
    BatchKind, BatchRequest, BatchStatement, BoundValue, Consistency, QueryResult, Session,
};
use crate::error::{CqlError, CqlResult};

pub mod size;
pub mod warn;

/// One statement of a batch with its values.
#[derive(Debug, Clone)]
pub struct BatchItem<'a> {
    /// The planned statement.
    pub plan: &'a ModPlan,
    /// Its values (by marker index).
    pub values: Vec<BoundValue>,
}

/// `BatchStatement.validate` for the statements of a batch.
pub fn validate(
    kind: BatchKind,
    items: &[BatchItem<'_>],
    batch_has_timestamp: bool,
) -> CqlResult<()> {
    let has_conditions = items.iter().any(|i| i.plan.cond.is_some());
    if batch_has_timestamp {
        if has_conditions {
            return Err(CqlError::invalid(
                "Cannot provide custom timestamp for conditional BATCH",
            ));
        }
        if kind == BatchKind::Counter {
            return Err(CqlError::invalid(
                "Cannot provide custom timestamp for counter BATCH",
            ));
        }
    }
    let mut has_counter = false;
    let mut has_non_counter = false;
    for item in items {
        let p = item.plan;
        if p.timestamp.is_some() && batch_has_timestamp {
            return Err(CqlError::invalid(
                "Timestamp must be set either on BATCH or individual statements",
            ));
        }
        if p.table.is_counter {
            has_counter = true;
        } else {
            has_non_counter = true;
        }
        match kind {
            BatchKind::Logged if p.table.is_counter => {
                return Err(CqlError::invalid(
                    "Cannot include a counter statement in a logged batch",
                ));
            }
            BatchKind::Counter if !p.table.is_counter => {
                return Err(CqlError::invalid(
                    "Cannot include non-counter statement in a counter batch",
                ));
            }
            _ => {}
        }
    }
    if has_counter && has_non_counter {
        return Err(CqlError::invalid(
            "Counter and non-counter mutations cannot exist in the same batch",
        ));
    }
    if has_conditions {
        if items.iter().any(|i| i.plan.timestamp.is_some()) {
            return Err(CqlError::invalid(
                "Cannot provide custom timestamp for conditional BATCH",
            ));
        }
        let first = &items[0].plan.table;
        if items.iter().any(|i| i.plan.table.id != first.id) {
            return Err(CqlError::invalid(
                "Batch with conditions cannot span multiple tables",
            ));
        }
    }
    size::verify(items)
}

/// Applies the batch in `tx` with `timestamp` (already bound). Returns Void, or the
/// `[applied]` rows of a conditional batch.
pub fn apply(
    tx: &mut WriteTxn<'_>,
    items: &[BatchItem<'_>],
    timestamp: i64,
    now: i64,
) -> CqlResult<QueryResult> {
    let conditional = items.iter().any(|i| i.plan.cond.is_some());
    if !conditional {
        for item in items {
            let attrs = bind_attrs(item.plan, &item.values, timestamp, now)?;
            // Applied one statement at a time so later statements read earlier ones (two
            // increments of one counter); the write section commits them together.
            let mutations = build_mutations(item.plan, tx, &item.values, attrs)?;
            tx.apply(&mutations)
                .map_err(super::modify::apply::store_err)?;
        }
        return Ok(QueryResult::Void);
    }
    // Conditional batch: one partition; check every condition first.
    let mut partition: Option<Vec<u8>> = None;
    for item in items {
        for pk in partition_keys(item.plan, &item.values)? {
            match &partition {
                None => partition = Some(pk),
                Some(p) if *p != pk => {
                    return Err(CqlError::invalid(
                        "Batch with conditions cannot span multiple partitions",
                    ));
                }
                Some(_) => {}
            }
        }
    }
    let pk = partition.unwrap_or_default();
    let table = items[0].plan.table.clone();
    let mut read = CasRead::default();
    let mut all = true;
    for item in items {
        let ck = clusterings(item.plan, &item.values)?
            .into_iter()
            .next()
            .unwrap_or_default();
        read.add(item.plan, &ck)?;
        if item.plan.cond.is_some() && all {
            let row = cas::read_row(tx, &table, &pk, &ck, cas::reads_static(item.plan, &ck), now)?;
            all = cas::applies(item.plan, row.as_ref(), &item.values)?;
        }
    }
    if !all {
        return Ok(QueryResult::Rows(read.failure(tx, &table, &pk, true, now)?));
    }
    for item in items {
        let attrs: Attrs = bind_attrs(item.plan, &item.values, timestamp, now)?;
        let mutations = build_mutations(item.plan, tx, &item.values, attrs)?;
        tx.apply(&mutations)
            .map_err(super::modify::apply::store_err)?;
    }
    Ok(QueryResult::Rows(cas::applied_result(&table)))
}

/// True when the plan may appear in a batch.
pub fn is_batchable(plan: &ModPlan) -> bool {
    matches!(
        plan.kind,
        ModKind::Insert | ModKind::Update | ModKind::Delete
    )
}

impl Engine {
    pub(super) fn run_batch(
        &self,
        kind: crate::api::BatchKind,
        items: &[BatchItem<'_>],
        batch_has_timestamp: bool,
        client_ts: Option<i64>,
        cl: Consistency,
        serial: Option<Consistency>,
    ) -> CqlResult<QueryResult> {
        validate(kind, items, batch_has_timestamp)?;
        warn::warn(kind, items)?;
        for item in items {
            self.check_write_consistency(item.plan, cl, serial)?;
        }
        let now = self.timestamps.now_secs();
        let timestamp = client_ts.unwrap_or_else(|| self.timestamps.next());
        let r = self
            .store
            .write(|tx| -> Result<_, WriteError> { Ok(apply(tx, items, timestamp, now)?) })?;
        Ok(r)
    }

    /// Runs a BATCH.
    pub fn batch(&self, session: &Session, request: &BatchRequest) -> CqlResult<QueryResult> {
        self.batch_traced(session, request, None)
    }

    /// [`Engine::batch`], recording its steps in a tracing session.
    pub fn batch_traced(
        &self,
        session: &Session,
        request: &BatchRequest,
        mut trace: Option<&mut Trace>,
    ) -> CqlResult<QueryResult> {
        let snap = self.catalog.snapshot();
        let mut compiled_all: Vec<Arc<Compiled>> = Vec::with_capacity(request.statements.len());
        let mut values_all: Vec<Vec<BoundValue>> = Vec::with_capacity(request.statements.len());
        for s in &request.statements {
            let (compiled, values) = match s {
                BatchStatement::Query { cql, values } => {
                    let stmt = self.query_statement(session, cql, &snap)?;
                    (stmt.current(&snap)?, values)
                }
                BatchStatement::Prepared { id, values } => {
                    (self.lookup(id)?.current(&snap)?, values)
                }
            };
            values_all.push(resolve_values(values, &compiled.bind)?);
            compiled_all.push(compiled);
        }
        let mut items = Vec::with_capacity(compiled_all.len());
        for (c, v) in compiled_all.iter().zip(values_all) {
            match &c.kind {
                Kind::Modify(plan) => items.push(BatchItem {
                    plan,
                    values: super::modify::json::bind(plan, &v)?.into_owned(),
                }),
                _ => {
                    return Err(CqlError::invalid(
                        "Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.",
                    ));
                }
            }
        }
        if items.is_empty() {
            return Ok(QueryResult::Void);
        }
        let plans: Vec<&ModPlan> = items.iter().map(|i| i.plan).collect();
        trace::before_writes(&mut trace, &plans);
        let result = self.run_batch(
            request.kind,
            &items,
            false,
            request.timestamp,
            request.consistency,
            request.serial_consistency,
        );
        if result.is_ok() {
            trace::after_writes(&mut trace, &plans);
        }
        result
    }
}
