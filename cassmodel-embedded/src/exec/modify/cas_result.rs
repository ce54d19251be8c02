//! The result set of a conditional statement or batch whose conditions failed, built as
//! Cassandra 4.1 builds it: from the partition read by the CAS request, not from the rows
//! each condition looked at.
//!
//! `C*: cql3/statements/CQL3CasRequest.java` (`readCommand`, `columnsToRead`): the read
//! covers every clustering that carries a row condition (`IF [NOT] EXISTS` or a regular
//! column condition), in clustering order; with only static conditions it is the first live
//! row of the partition. Static columns are read only when the request writes the static
//! row or has a condition on a static column, regular ones only when it writes a regular
//! row or has a condition on one; columns not read come back null.
//!
//! `C*: cql3/statements/ModificationStatement.java` (`buildCasFailureResultSet`): every
//! column in `SELECT *` order as soon as one statement has `IF [NOT] EXISTS`, otherwise the
//! condition columns in IF order, preceded in batches by the primary key columns
//! (`BatchStatement.makeCasRequest`). A partition with only a static row gives one row with
//! null clustering columns; nothing read gives `[applied]` alone.

use std::collections::BTreeMap;

use cassmodel_store::{ReadSpec, Slice, WriteTxn};

use super::super::row::{CqlRow, materialize};
use super::apply::store_err;
use super::cas::{applied_spec, is_static};
use super::plan::{Cond, ModPlan};
use crate::api::{ColumnSpec, ResultRows};
use crate::error::{CqlError, CqlResult};
use crate::schema::{ColumnKind, TableMeta};

/// The conditions on one row of a CAS request (`CQL3CasRequest.RowCondition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowCondition {
    Exists,
    NotExists,
    Columns,
}

/// What the CAS request of one partition reads, and which columns its failure reports.
#[derive(Debug, Default)]
pub struct CasRead {
    /// The condition on each row: `None` is the static row, then the clusterings in
    /// clustering (= encoded byte) order.
    conditions: BTreeMap<Option<Vec<u8>>, RowCondition>,
    /// Static columns are read.
    statics: bool,
    /// Regular columns are read.
    regulars: bool,
    /// Some statement has IF EXISTS or IF NOT EXISTS: the result shows every column.
    has_exists: bool,
    /// The condition columns in IF order, without repeats.
    condition_columns: Vec<usize>,
}

impl CasRead {
    /// Adds one statement of the request with its bound clustering (`ck`, empty when the
    /// statement names no clustering row).
    pub fn add(&mut self, plan: &ModPlan, ck: &[u8]) -> CqlResult<()> {
        let table = &plan.table;
        // ModificationStatement.updatesStaticRow / updatesRegularRows.
        self.statics |= plan.ops.iter().any(|o| is_static(table, o.column()));
        self.regulars |= table.clustering().next().is_none()
            || !plan.ck.is_empty()
            || plan.ck_lower.is_some()
            || plan.ck_upper.is_some();
        match &plan.cond {
            Cond::None => {}
            Cond::Exists | Cond::NotExists => {
                self.has_exists = true;
                // A static-only statement naming no clustering puts its existence condition on
                // the static row (ModificationStatement.createClustering).
                let row = (!(plan.static_only && ck.is_empty())).then(|| ck.to_vec());
                let kind = if plan.cond == Cond::Exists {
                    RowCondition::Exists
                } else {
                    RowCondition::NotExists
                };
                self.set_condition(row, kind)?;
            }
            Cond::Columns(conds) => {
                // ColumnConditions.addConditionsTo: the regular conditions on the row, then
                // the static ones on the static row.
                if conds.iter().any(|c| !is_static(table, c.col)) {
                    self.regulars = true;
                    self.set_condition(Some(ck.to_vec()), RowCondition::Columns)?;
                }
                if conds.iter().any(|c| is_static(table, c.col)) {
                    self.statics = true;
                    self.set_condition(None, RowCondition::Columns)?;
                }
                for c in conds {
                    if !self.condition_columns.contains(&c.col) {
                        self.condition_columns.push(c.col);
                    }
                }
            }
        }
        Ok(())
    }

    /// `CQL3CasRequest.addExistsCondition` / `addConditions`: a row takes one kind of
    /// condition (two IF NOT EXISTS on one row are one condition).
    fn set_condition(&mut self, row: Option<Vec<u8>>, kind: RowCondition) -> CqlResult<()> {
        let Some(&previous) = self.conditions.get(&row) else {
            self.conditions.insert(row, kind);
            return Ok(());
        };
        let message = match (previous, kind) {
            _ if previous == kind => return Ok(()),
            (RowCondition::Columns, RowCondition::Exists) => {
                "Cannot mix IF conditions and IF EXISTS for the same row"
            }
            (_, RowCondition::Columns) | (RowCondition::Columns, RowCondition::NotExists) => {
                "Cannot mix IF conditions and IF NOT EXISTS for the same row"
            }
            _ => "Cannot mix IF EXISTS and IF NOT EXISTS conditions for the same row",
        };
        Err(CqlError::invalid(message))
    }

    /// The `[applied] = false` result for partition `pk`.
    pub fn failure(
        &self,
        tx: &WriteTxn<'_>,
        table: &TableMeta,
        pk: &[u8],
        in_batch: bool,
        now: i64,
    ) -> CqlResult<ResultRows> {
        let columns = self.result_columns(table, in_batch);
        let mut result = ResultRows {
            columns: std::iter::once(applied_spec(table))
                .chain(columns.iter().map(|&i| column_spec(table, i)))
                .collect(),
            rows: Vec::new(),
            paging_state: None,
        };
        for row in self.read(tx, table, pk, now)? {
            let mut values = vec![Some(vec![0])];
            values.extend(columns.iter().map(|&i| row.values[i].value.clone()));
            result.rows.push(values);
        }
        if result.rows.is_empty() {
            result.columns.truncate(1);
            result.rows.push(vec![Some(vec![0])]);
        }
        Ok(result)
    }

    fn result_columns(&self, table: &TableMeta, in_batch: bool) -> Vec<usize> {
        if self.has_exists {
            return (0..table.columns.len()).collect();
        }
        let mut cols: Vec<usize> = if in_batch {
            (0..table.columns.len())
                .filter(|&i| table.columns[i].kind.is_primary_key())
                .collect()
        } else {
            Vec::new()
        };
        for &c in &self.condition_columns {
            if !cols.contains(&c) {
                cols.push(c);
            }
        }
        cols
    }

    /// The rows of the CAS read, with the columns it does not read nulled.
    fn read(
        &self,
        tx: &WriteTxn<'_>,
        table: &TableMeta,
        pk: &[u8],
        now: i64,
    ) -> CqlResult<Vec<CqlRow>> {
        let mut static_row = None;
        let mut rows = Vec::new();
        let mut slices: Vec<Vec<u8>> = self.conditions.keys().flatten().cloned().collect();
        if slices.is_empty() {
            slices.push(Vec::new());
        }
        for ck in slices {
            let spec = ReadSpec {
                slices: if ck.is_empty() {
                    Vec::new()
                } else {
                    vec![Slice::prefix(ck.clone())]
                },
                limit: Some(1),
                ..table.read_spec(now)
            };
            let mut partition = tx.read_partition(table.id, pk, &spec).map_err(store_err)?;
            if static_row.is_none() {
                static_row = partition.static_row.take();
            }
            if let Some(row) = partition.next().transpose().map_err(store_err)?
                && (ck.is_empty() || row.clustering() == ck.as_slice())
            {
                rows.push(row);
            }
        }
        let mut out = Vec::new();
        for row in &rows {
            out.push(self.visible(
                table,
                materialize(table, pk, Some(row), static_row.as_ref(), now)?,
            ));
        }
        if out.is_empty() && static_row.is_some() {
            let row = self.visible(
                table,
                materialize(table, pk, None, static_row.as_ref(), now)?,
            );
            let has_static = table
                .columns
                .iter()
                .zip(&row.values)
                .any(|(c, v)| c.kind == ColumnKind::Static && v.value.is_some());
            if has_static {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// Nulls the columns `columnsToRead` leaves out.
    fn visible(&self, table: &TableMeta, mut row: CqlRow) -> CqlRow {
        for (col, value) in table.columns.iter().zip(&mut row.values) {
            let read = match col.kind {
                ColumnKind::Static => self.statics,
                ColumnKind::Regular => self.regulars,
                ColumnKind::PartitionKey | ColumnKind::Clustering => true,
            };
            if !read {
                value.value = None;
            }
        }
        row
    }
}

fn column_spec(table: &TableMeta, i: usize) -> ColumnSpec {
    let c = &table.columns[i];
    ColumnSpec {
        keyspace: table.keyspace.clone(),
        table: table.name.clone(),
        name: c.name.clone(),
        ty: c.ty.clone(),
    }
}
