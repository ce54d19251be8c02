//! Statements compiled against one schema version: the plan, its bind-marker metadata,
//! `pk_indexes` and result metadata. Prepared statements keep their parsed form and are
//! recompiled when the schema changes, so a plan never uses dropped columns.

use std::sync::{Arc, Mutex};

use cassmodel_cql::ast::{Batch, Modification, Parsed, Statement, Term};
use uuid::Uuid;

use super::bind::MarkerSpecs;
use super::modify::plan::{ModPlan, ModStatement, plan_modification};
use super::select::plan::{PkAccess, SelectPlan, plan_select};
use crate::api::ColumnSpec;
use crate::api::Session;
use crate::error::{CqlError, CqlResult};
use crate::schema::catalog::{CatalogSnapshot, keyspace_of};

/// What a compiled statement does.
#[derive(Debug)]
pub enum Kind {
    /// SELECT
    Select(SelectPlan),
    /// INSERT / UPDATE / DELETE
    Modify(ModPlan),
    /// BEGIN BATCH ... APPLY BATCH
    Batch {
        /// Batch kind.
        kind: crate::api::BatchKind,
        /// Statements.
        plans: Vec<ModPlan>,
        /// `USING TIMESTAMP` of the batch.
        timestamp: Option<Term>,
    },
    /// USE
    Use(String),
    /// DDL and TRUNCATE, run by the catalog's executor.
    Ddl,
}

/// A statement compiled against one schema version.
#[derive(Debug)]
pub struct Compiled {
    /// The schema version it was compiled against.
    pub version: Uuid,
    /// The plan.
    pub kind: Kind,
    /// Bind markers.
    pub bind: Vec<ColumnSpec>,
    /// Partition-key marker indexes (empty unless every partition-key column is `= ?`).
    pub pk_indexes: Vec<u16>,
    /// Result columns (SELECT only).
    pub result: Vec<ColumnSpec>,
}

/// A parsed statement with its latest compilation.
#[derive(Debug)]
pub struct CachedStatement {
    /// The session keyspace when it was prepared.
    pub keyspace: Option<String>,
    /// The statement's text as the client sent it (tracing reports it).
    pub text: String,
    /// The parse tree.
    pub parsed: Parsed,
    compiled: Mutex<Arc<Compiled>>,
}

impl CachedStatement {
    /// Parses nothing: wraps an already compiled statement.
    pub fn new(
        keyspace: Option<String>,
        text: &str,
        parsed: Parsed,
        compiled: Compiled,
    ) -> CachedStatement {
        CachedStatement {
            keyspace,
            text: text.to_owned(),
            parsed,
            compiled: Mutex::new(Arc::new(compiled)),
        }
    }

    /// The compilation for `snap`, recompiling when the schema changed since.
    pub fn current(&self, snap: &CatalogSnapshot) -> CqlResult<Arc<Compiled>> {
        let mut guard = self
            .compiled
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.version != snap.schema_version {
            *guard = Arc::new(compile(&self.parsed, self.keyspace.as_deref(), snap)?);
        }
        Ok(guard.clone())
    }
}

fn table_for<'a>(
    snap: &'a CatalogSnapshot,
    written: Option<&'a str>,
    name: &str,
    session_ks: Option<&str>,
) -> CqlResult<Arc<crate::schema::TableMeta>> {
    let session = Session {
        keyspace: session_ks.map(str::to_owned),
        user: None,
    };
    let ks = keyspace_of(written, &session)?.to_owned();
    snap.validate_table(&ks, name).cloned()
}

fn plan_mod(
    m: ModStatement<'_>,
    snap: &CatalogSnapshot,
    keyspace: Option<&str>,
    specs: &mut MarkerSpecs,
) -> CqlResult<ModPlan> {
    let name = match m {
        ModStatement::Insert(i) => &i.table,
        ModStatement::Update(u) => &u.table,
        ModStatement::Delete(d) => &d.table,
    };
    let table = table_for(
        snap,
        name.keyspace.as_ref().map(|k| k.as_str()),
        name.name.as_str(),
        keyspace,
    )?;
    plan_modification(m, table, specs)
}

fn modification(m: &Modification) -> ModStatement<'_> {
    match m {
        Modification::Insert(i) => ModStatement::Insert(i),
        Modification::Update(u) => ModStatement::Update(u),
        Modification::Delete(d) => ModStatement::Delete(d),
    }
}

fn batch_kind(k: cassmodel_cql::ast::BatchKind) -> crate::api::BatchKind {
    match k {
        cassmodel_cql::ast::BatchKind::Logged => crate::api::BatchKind::Logged,
        cassmodel_cql::ast::BatchKind::Unlogged => crate::api::BatchKind::Unlogged,
        cassmodel_cql::ast::BatchKind::Counter => crate::api::BatchKind::Counter,
    }
}

fn compile_batch(
    b: &Batch,
    snap: &CatalogSnapshot,
    keyspace: Option<&str>,
    specs: &mut MarkerSpecs,
) -> CqlResult<Kind> {
    if b.using.ttl.is_some() {
        return Err(CqlError::invalid(
            "Global TTL on the BATCH statement is not supported.",
        ));
    }
    let mut plans = Vec::with_capacity(b.statements.len());
    for s in &b.statements {
        plans.push(plan_mod(modification(s), snap, keyspace, specs)?);
    }
    if let Some(t) = &b.using.timestamp {
        super::term::collect_specs(
            t,
            "[timestamp]",
            &crate::types::CqlType::Bigint,
            super::term::Ctx {
                keyspace: keyspace.unwrap_or_default(),
                table: "",
            },
            specs,
        );
    }
    Ok(Kind::Batch {
        kind: batch_kind(b.kind),
        plans,
        timestamp: b.using.timestamp.clone(),
    })
}

/// Compiles `parsed` for a session whose keyspace is `keyspace`.
pub fn compile(
    parsed: &Parsed,
    keyspace: Option<&str>,
    snap: &CatalogSnapshot,
) -> CqlResult<Compiled> {
    let mut specs = MarkerSpecs::new(&parsed.bind_markers);
    let mut pk_indexes = Vec::new();
    let mut result = Vec::new();
    let kind = match &parsed.statement {
        Statement::Select(s) => {
            let table = table_for(
                snap,
                s.table.keyspace.as_ref().map(|k| k.as_str()),
                s.table.name.as_str(),
                keyspace,
            )?;
            let plan = plan_select(s, table, &mut specs)?;
            if let PkAccess::Keys(cols) = &plan.pk {
                pk_indexes = super::modify::plan::pk_indexes(cols).unwrap_or_default();
            }
            result = plan.result_columns();
            Kind::Select(plan)
        }
        Statement::Insert(i) => modify(
            plan_mod(ModStatement::Insert(i), snap, keyspace, &mut specs)?,
            &mut pk_indexes,
        ),
        Statement::Update(u) => modify(
            plan_mod(ModStatement::Update(u), snap, keyspace, &mut specs)?,
            &mut pk_indexes,
        ),
        Statement::Delete(d) => modify(
            plan_mod(ModStatement::Delete(d), snap, keyspace, &mut specs)?,
            &mut pk_indexes,
        ),
        Statement::Batch(b) => compile_batch(b, snap, keyspace, &mut specs)?,
        Statement::Use(ks) => Kind::Use(ks.as_str().to_owned()),
        Statement::Unsupported { what, .. } => return Err(CqlError::unsupported(what)),
        other if super::ddl::handles(other) => {
            if !parsed.bind_markers.is_empty() {
                return Err(CqlError::invalid(
                    "Bind variables are not supported in schema statements",
                ));
            }
            Kind::Ddl
        }
        _ => return Err(CqlError::unsupported("This statement")),
    };
    Ok(Compiled {
        version: snap.schema_version,
        kind,
        bind: specs.finish()?,
        pk_indexes,
        result,
    })
}

fn modify(plan: ModPlan, pk_indexes: &mut Vec<u16>) -> Kind {
    *pk_indexes = plan.pk_marker_indexes().unwrap_or_default();
    Kind::Modify(plan)
}
