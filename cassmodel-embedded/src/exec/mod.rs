//! The CQL engine: parses statements, validates them with Cassandra's rules, and runs
//! them against the catalog and the store. The protocol layer talks to it only through
//! [`Engine`] and the types of [`crate::api`].

pub mod arith;
pub mod batch;
pub mod bind;
pub mod cache;
pub mod client_warn;
pub mod clock;
pub mod codec;
pub mod compile;
pub mod consistency;
pub mod ddl;
pub mod index;
pub mod modify;
pub mod paging;
mod roles;
pub mod row;
pub mod select;
pub mod term;
pub mod timeuuid;
pub mod trace;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use cassmodel_store::{Store, StoreError, StoreOptions};

use crate::api::{
    BoundValue, Consistency, PreparedResult, QueryParams, QueryResult, SchemaChange, Session,
};
use crate::error::{CqlError, CqlResult};
use crate::schema::catalog::{Catalog, CatalogSnapshot};
use crate::schema::replication::Replication;
use crate::schema::rows::LocalNode;
use batch::BatchItem;
use bind::resolve_values;
use cache::{BoundedCache, statement_id};
use clock::{Clock, SystemClock, TimestampSource};
use compile::{CachedStatement, Compiled, Kind, compile};
use consistency::ReplicationFactors;
use modify::plan::ModPlan;
use trace::Trace;

/// When a write is acknowledged relative to the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncMode {
    /// Acknowledge after the commit log is fsynced (group commit). The default.
    #[default]
    Batch,
    /// Acknowledge after the write reaches the OS; fsync in the background.
    Periodic,
}

/// How to open an [`Engine`].
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Where data lives.
    pub data_dir: PathBuf,
    /// Commit-log sync mode.
    pub sync: SyncMode,
    /// The address clients reach this node at (reported in system.local).
    pub rpc_address: SocketAddr,
}

/// How many prepared statements are kept (Cassandra bounds its cache by memory).
const PREPARED_CAPACITY: usize = 10_000;
/// How many unprepared QUERY strings keep their parse.
const QUERY_CAPACITY: usize = 1_000;

/// The CQL engine shared by all connections.
#[derive(Debug)]
pub struct Engine {
    store: Store,
    catalog: Catalog,
    node: LocalNode,
    timestamps: TimestampSource,
    prepared: BoundedCache<[u8; 16], CachedStatement>,
    queries: BoundedCache<(Option<String>, String), CachedStatement>,
    events: tokio::sync::broadcast::Sender<SchemaChange>,
    _config: EngineConfig,
}

/// Errors inside the store's write section.
enum WriteError {
    Cql(CqlError),
    Store(StoreError),
}

impl From<StoreError> for WriteError {
    fn from(e: StoreError) -> Self {
        WriteError::Store(e)
    }
}

impl From<CqlError> for WriteError {
    fn from(e: CqlError) -> Self {
        WriteError::Cql(e)
    }
}

impl From<WriteError> for CqlError {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Cql(e) => e,
            WriteError::Store(e) => modify::apply::store_err(e),
        }
    }
}

fn replication_factors(r: &Replication) -> ReplicationFactors {
    ReplicationFactors {
        total: r.total_replication_factor(),
        local: r.local_replication_factor(),
    }
}

fn page_size(params: &QueryParams) -> Option<usize> {
    params
        .page_size
        .filter(|p| *p > 0)
        .and_then(|p| usize::try_from(p).ok())
}

impl Engine {
    /// Opens (or creates) the data directory and recovers what is on disk.
    pub fn open(config: EngineConfig) -> CqlResult<Arc<Engine>> {
        Engine::open_with_clock(config, Arc::new(SystemClock))
    }

    /// [`Engine::open`] with an injected clock (tests expire TTLs without sleeping).
    pub fn open_with_clock(config: EngineConfig, clock: Arc<dyn Clock>) -> CqlResult<Arc<Engine>> {
        let options = StoreOptions {
            sync: match config.sync {
                SyncMode::Batch => cassmodel_store::SyncMode::Batch,
                SyncMode::Periodic => cassmodel_store::SyncMode::Periodic,
            },
            ..StoreOptions::default()
        };
        let store = Store::open(&config.data_dir, options)
            .map_err(|e| CqlError::server(format!("Cannot open the store: {e}")))?;
        let (catalog, node) =
            crate::schema::bootstrap::open_catalog(&store, config.rpc_address, "Test Cluster")?;
        let (events, _) = tokio::sync::broadcast::channel(256);
        Ok(Arc::new(Engine {
            store,
            catalog,
            node,
            timestamps: TimestampSource::new(clock),
            prepared: BoundedCache::new(PREPARED_CAPACITY),
            queries: BoundedCache::new(QUERY_CAPACITY),
            events,
            _config: config,
        }))
    }

    fn parse(cql: &str) -> CqlResult<cassmodel_cql::ast::Parsed> {
        cassmodel_cql::parse_with_markers(cql).map_err(|e| CqlError::syntax(e.message))
    }

    /// The cached statement for an unprepared QUERY.
    fn query_statement(
        &self,
        session: &Session,
        cql: &str,
        snap: &CatalogSnapshot,
    ) -> CqlResult<Arc<CachedStatement>> {
        let key = (session.keyspace.clone(), cql.to_owned());
        if let Some(s) = self.queries.get(&key) {
            return Ok(s);
        }
        let parsed = Engine::parse(cql)?;
        refuse_unsupported(&parsed, session)?;
        let compiled = compile(&parsed, session.keyspace.as_deref(), snap)?;
        let stmt = Arc::new(CachedStatement::new(
            session.keyspace.clone(),
            cql,
            parsed,
            compiled,
        ));
        self.queries.insert(key, stmt.clone());
        Ok(stmt)
    }

    /// Runs a QUERY.
    pub fn query(
        &self,
        session: &mut Session,
        cql: &str,
        params: &QueryParams,
    ) -> CqlResult<QueryResult> {
        self.query_traced(session, cql, params, None)
    }

    /// [`Engine::query`], recording its steps in a tracing session.
    pub fn query_traced(
        &self,
        session: &mut Session,
        cql: &str,
        params: &QueryParams,
        mut trace: Option<&mut Trace>,
    ) -> CqlResult<QueryResult> {
        trace::event(&mut trace, || format!("Parsing {cql}"));
        let snap = self.catalog.snapshot();
        let stmt = self.query_statement(session, cql, &snap)?;
        trace::event(&mut trace, || "Preparing statement".to_owned());
        let compiled = stmt.current(&snap)?;
        self.run(session, &stmt, &compiled, params, trace)
    }

    /// Prepares a statement.
    pub fn prepare(&self, session: &Session, cql: &str) -> CqlResult<PreparedResult> {
        self.prepare_traced(session, cql, None)
    }

    /// [`Engine::prepare`], recording its steps in a tracing session.
    pub fn prepare_traced(
        &self,
        session: &Session,
        cql: &str,
        mut trace: Option<&mut Trace>,
    ) -> CqlResult<PreparedResult> {
        trace::event(&mut trace, || format!("Parsing {cql}"));
        let snap = self.catalog.snapshot();
        let parsed = Engine::parse(cql)?;
        refuse_unsupported(&parsed, session)?;
        trace::event(&mut trace, || "Preparing statement".to_owned());
        let compiled = compile(&parsed, session.keyspace.as_deref(), &snap)?;
        let id = statement_id(session.keyspace.as_deref(), cql);
        let result = PreparedResult {
            id,
            bind: compiled.bind.clone(),
            pk_indexes: compiled.pk_indexes.clone(),
            result: compiled.result.clone(),
        };
        self.prepared.insert(
            id,
            Arc::new(CachedStatement::new(
                session.keyspace.clone(),
                cql,
                parsed,
                compiled,
            )),
        );
        Ok(result)
    }

    /// Runs a prepared statement.
    pub fn execute(
        &self,
        session: &mut Session,
        id: &[u8],
        params: &QueryParams,
    ) -> CqlResult<QueryResult> {
        self.execute_traced(session, id, params, None)
    }

    /// [`Engine::execute`], recording its steps in a tracing session.
    pub fn execute_traced(
        &self,
        session: &mut Session,
        id: &[u8],
        params: &QueryParams,
        mut trace: Option<&mut Trace>,
    ) -> CqlResult<QueryResult> {
        let stmt = self.lookup(id)?;
        let snap = self.catalog.snapshot();
        let compiled = stmt.current(&snap)?;
        if let Some(t) = trace.as_deref_mut() {
            let values = resolve_values(&params.values, &compiled.bind).unwrap_or_default();
            t.add_prepared(&stmt.text, &compiled.bind, &values);
        }
        self.run(session, &stmt, &compiled, params, trace)
    }

    fn lookup(&self, id: &[u8]) -> CqlResult<Arc<CachedStatement>> {
        let key: [u8; 16] = id.try_into().map_err(|_| CqlError::unprepared(id))?;
        self.prepared
            .get(&key)
            .ok_or_else(|| CqlError::unprepared(id))
    }

    fn rf(&self, keyspace: &str) -> ReplicationFactors {
        self.catalog
            .snapshot()
            .keyspace(keyspace)
            .map_or(ReplicationFactors::LOCAL, |k| {
                replication_factors(&k.replication)
            })
    }

    fn run(
        &self,
        session: &mut Session,
        stmt: &CachedStatement,
        compiled: &Compiled,
        params: &QueryParams,
        mut trace: Option<&mut Trace>,
    ) -> CqlResult<QueryResult> {
        trace::before_run(&mut trace, &compiled.kind);
        let result = self.run_untraced(session, stmt, compiled, params);
        trace::after_run(&mut trace, &compiled.kind, &result);
        result
    }

    fn run_untraced(
        &self,
        session: &mut Session,
        stmt: &CachedStatement,
        compiled: &Compiled,
        params: &QueryParams,
    ) -> CqlResult<QueryResult> {
        match &compiled.kind {
            Kind::Use(ks) => {
                if self.catalog.snapshot().keyspace(ks).is_none() {
                    return Err(CqlError::invalid(format!("Keyspace '{ks}' does not exist")));
                }
                session.keyspace = Some(ks.clone());
                Ok(QueryResult::SetKeyspace(ks.clone()))
            }
            Kind::Ddl => {
                let ctx = ddl::DdlContext {
                    catalog: &self.catalog,
                    store: &self.store,
                    node: &self.node,
                    events: Some(&self.events),
                };
                let session_for_ddl = Session {
                    keyspace: stmt.keyspace.clone().or_else(|| session.keyspace.clone()),
                    user: session.user.clone(),
                };
                let before = self.catalog.snapshot();
                let r = ddl::execute(&ctx, &session_for_ddl, &stmt.parsed.statement);
                self.queries.clear();
                if r.is_ok()
                    && matches!(
                        stmt.parsed.statement,
                        cassmodel_cql::ast::Statement::CreateIndex(_)
                    )
                {
                    self.backfill_new_indexes(&before)?;
                }
                r
            }
            Kind::Select(plan) => {
                consistency::validate_for_read(params.consistency)?;
                consistency::assure_available(params.consistency, self.rf(&plan.table.keyspace))?;
                let values = resolve_values(&params.values, &compiled.bind)?;
                let req = select::run::PageRequest {
                    page_size: page_size(params),
                    state: params.paging_state.as_deref(),
                    now: self.timestamps.now_secs(),
                };
                select::run::run_select(plan, &self.store, &values, req).map(QueryResult::Rows)
            }
            Kind::Modify(plan) => {
                let values = resolve_values(&params.values, &compiled.bind)?;
                let values = modify::json::bind(plan, &values)?;
                self.check_write_consistency(plan, params.consistency, params.serial_consistency)?;
                self.modify(plan, &values, params.timestamp)
            }
            Kind::Batch {
                kind,
                plans,
                timestamp,
            } => {
                let values = resolve_values(&params.values, &compiled.bind)?;
                let items: Vec<BatchItem<'_>> = plans
                    .iter()
                    .map(|p| {
                        Ok(BatchItem {
                            plan: p,
                            values: modify::json::bind(p, &values)?.into_owned(),
                        })
                    })
                    .collect::<CqlResult<_>>()?;
                let ts = match timestamp {
                    Some(t) => {
                        match term::eval(t, &crate::types::CqlType::Bigint, "[timestamp]", &values)?
                        {
                            term::Val::Bytes(b) => Some(i64::from_be_bytes(
                                b.as_slice()
                                    .try_into()
                                    .map_err(|_| CqlError::invalid("Invalid timestamp"))?,
                            )),
                            term::Val::Null => {
                                return Err(CqlError::invalid("Invalid null value of timestamp"));
                            }
                            term::Val::Unset => None,
                        }
                    }
                    None => None,
                };
                self.run_batch(
                    *kind,
                    &items,
                    timestamp.is_some(),
                    ts.or(params.timestamp),
                    params.consistency,
                    params.serial_consistency,
                )
            }
        }
    }

    fn check_write_consistency(
        &self,
        plan: &ModPlan,
        cl: Consistency,
        serial: Option<Consistency>,
    ) -> CqlResult<()> {
        if plan.cond.is_some() {
            consistency::validate_for_cas_commit(cl)?;
            if let Some(s) = serial {
                consistency::validate_for_cas(s)?;
            }
        } else if plan.table.is_counter {
            consistency::validate_counter_for_write(cl, &plan.table.name)?;
        } else {
            consistency::validate_for_write(cl)?;
        }
        consistency::assure_available(cl, self.rf(&plan.table.keyspace))
    }

    fn modify(
        &self,
        plan: &ModPlan,
        values: &[BoundValue],
        client_ts: Option<i64>,
    ) -> CqlResult<QueryResult> {
        let now = self.timestamps.now_secs();
        let default_ts = client_ts.unwrap_or_else(|| self.timestamps.next());
        let attrs = modify::apply::bind_attrs(plan, values, default_ts, now)?;
        if !plan.cond.is_some() {
            self.store.write(|tx| -> Result<(), WriteError> {
                let mutations = modify::apply::build_mutations(plan, tx, values, attrs)?;
                tx.apply(&mutations)?;
                Ok(())
            })?;
            return Ok(QueryResult::Void);
        }
        let rows = self.store.write(|tx| -> Result<_, WriteError> {
            let pk = modify::keys::partition_keys(plan, values)?
                .into_iter()
                .next()
                .unwrap_or_default();
            let ck = modify::keys::clusterings(plan, values)?
                .into_iter()
                .next()
                .unwrap_or_default();
            let row = modify::cas::read_row(
                tx,
                &plan.table,
                &pk,
                &ck,
                modify::cas::reads_static(plan, &ck),
                now,
            )?;
            if !modify::cas::applies(plan, row.as_ref(), values)? {
                let mut read = modify::cas_result::CasRead::default();
                read.add(plan, &ck)?;
                return Ok(read.failure(tx, &plan.table, &pk, false, now)?);
            }
            let mutations = modify::apply::build_mutations(plan, tx, values, attrs)?;
            tx.apply(&mutations)?;
            Ok(modify::cas::applied_result(&plan.table))
        })?;
        Ok(QueryResult::Rows(rows))
    }

    /// Schema changes, for connections that sent REGISTER SCHEMA_CHANGE.
    pub fn schema_events(&self) -> tokio::sync::broadcast::Receiver<SchemaChange> {
        self.events.subscribe()
    }

    /// Waits until the writes behind `ticket` are on disk: requests executed inside
    /// [`cassmodel_store::defer_durability`] commit without waiting for the fsync and must
    /// await this before they are acknowledged.
    pub async fn durable(&self, ticket: cassmodel_store::CommitTicket) -> CqlResult<()> {
        self.store
            .durable(ticket)
            .await
            .map_err(modify::apply::store_err)
    }

    /// Makes everything acknowledged durable and stops background work (on shutdown).
    pub fn flush(&self) -> CqlResult<()> {
        self.store
            .flush()
            .map_err(|e| CqlError::server(format!("Flush failed: {e}")))
    }

    /// Indexes the existing rows of every index created since `before`.
    fn backfill_new_indexes(&self, before: &CatalogSnapshot) -> CqlResult<()> {
        let now = self.timestamps.now_secs();
        let after = self.catalog.snapshot();
        for ks in after.keyspaces.values() {
            for table in ks.tables.values() {
                let old = before.table(&ks.name, &table.name);
                let fresh = table
                    .indexes
                    .keys()
                    .any(|name| old.is_none_or(|t| !t.indexes.contains_key(name)));
                if fresh {
                    index::backfill(&self.store, table, now)?;
                }
            }
        }
        Ok(())
    }

    /// The catalog (schema) of this engine.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }
}

/// Refuses a statement the server recognises but does not run, as Cassandra 4.1 would for
/// this session (see [`roles`]).
fn refuse_unsupported(parsed: &cassmodel_cql::ast::Parsed, session: &Session) -> CqlResult<()> {
    match &parsed.statement {
        cassmodel_cql::ast::Statement::Unsupported { what, words } => {
            Err(roles::refusal(what, words, session))
        }
        _ => Ok(()),
    }
}
