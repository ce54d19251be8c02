//! Request tracing: a request that arrives with the frame header's TRACING flag gets a
//! tracing session, its reply carries the session id, and the session's row and events
//! are written to `system_traces.sessions` and `system_traces.events`, where cqlsh's
//! `TRACING ON` and the drivers' `trace=True` read them back.
//!
//! Cassandra 4.1 (`C*: transport/Message.java` `Request.execute`) opens a session with a
//! fresh time UUID for every traceable request (QUERY, PREPARE, EXECUTE, BATCH) whose
//! frame asked for tracing, and sets the id on the response, errors included. The
//! session row (`C*: tracing/TraceKeyspace.java` `makeStartSessionMutation`,
//! `makeStopSessionMutation`) holds the client and coordinator addresses, the request
//! name and parameters of `Tracing.begin` (`QueryMessage.traceQuery`,
//! `ExecuteMessage.traceQuery`, `PrepareMessage`, `BatchMessage`), `started_at` and the
//! duration in microseconds; every row is written with the `QUERY` trace type's TTL
//! (`tracetype_query_ttl`, one day). Cassandra writes the rows in the background; here
//! they are written before the reply goes out, so a client's first look finds the session
//! complete.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use cassmodel_cql::ast::Statement;
use uuid::Uuid;

use super::Engine;
use super::bind::{MarkerSpecs, resolve_values};
use super::clock::{Clock, SystemClock};
use super::compile::Kind;
use super::modify::plan::{ModPlan, ModStatement, plan_modification};
use super::select::plan::PkAccess;
use crate::api::{BoundValue, BoundValues, ColumnSpec, Consistency, QueryParams, QueryResult};
use crate::error::{CqlError, CqlResult};
use crate::schema::system_defs::SYSTEM_TRACES;
use crate::types::{Value, codec, literal};

/// `tracetype_query_ttl` (cassandra.yaml default: 1d), the TTL of a QUERY trace's rows.
pub const QUERY_TRACE_TTL_SECS: i32 = 86_400;

/// The storage port Cassandra reports as `coordinator_port` and `source_port` (the
/// broadcast address's port, as `system.local` lists it).
const STORAGE_PORT: i32 = 7000;

/// The thread name shown next to each event (cqlsh prints `activity [thread]`).
const THREAD: &str = "Native-Transport-Requests-1";

/// Longest bound-value literal kept in an EXECUTE trace's parameters
/// (`C*: ExecuteMessage.traceQuery`).
const MAX_BOUND_LITERAL: usize = 1000;

/// One event of a session.
#[derive(Debug, Clone)]
struct Event {
    id: Uuid,
    activity: String,
    elapsed_micros: i32,
}

/// An open tracing session: its id, what `Tracing.begin` was given, and its events.
#[derive(Debug, Clone)]
pub struct Trace {
    id: Uuid,
    client: IpAddr,
    request: &'static str,
    parameters: Vec<(String, String)>,
    started: Instant,
    started_at_millis: i64,
    events: Vec<Event>,
}

fn time_uuid() -> Uuid {
    Uuid::from_bytes(super::timeuuid::now())
}

fn elapsed_micros(since: Instant) -> i32 {
    i32::try_from(since.elapsed().as_micros()).unwrap_or(i32::MAX)
}

/// The `page_size`, `consistency_level` and `serial_consistency_level` parameters.
fn option_parameters(
    page_size: Option<i32>,
    cl: Consistency,
    serial: Option<Consistency>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(p) = page_size.filter(|p| *p > 0) {
        out.push(("page_size".to_owned(), p.to_string()));
    }
    out.push(("consistency_level".to_owned(), cl.name().to_owned()));
    if let Some(s) = serial {
        out.push(("serial_consistency_level".to_owned(), s.name().to_owned()));
    }
    out
}

impl Trace {
    fn begin(request: &'static str, client: IpAddr, parameters: Vec<(String, String)>) -> Trace {
        Trace {
            id: time_uuid(),
            client,
            request,
            parameters,
            started: Instant::now(),
            started_at_millis: SystemClock.now_micros().div_euclid(1000),
            events: Vec::new(),
        }
    }

    /// A QUERY's session (`C*: QueryMessage.traceQuery`).
    pub fn query(client: IpAddr, cql: &str, params: &QueryParams) -> Trace {
        let mut parameters = vec![("query".to_owned(), cql.to_owned())];
        parameters.extend(option_parameters(
            params.page_size,
            params.consistency,
            params.serial_consistency,
        ));
        Trace::begin("Execute CQL3 query", client, parameters)
    }

    /// A PREPARE's session (`C*: PrepareMessage.execute`).
    pub fn prepare(client: IpAddr, cql: &str) -> Trace {
        Trace::begin(
            "Preparing CQL3 query",
            client,
            vec![("query".to_owned(), cql.to_owned())],
        )
    }

    /// An EXECUTE's session; the query text and bound values are added once the
    /// statement is found (`Trace::add_prepared`).
    pub fn execute(client: IpAddr, params: &QueryParams) -> Trace {
        let parameters = option_parameters(
            params.page_size,
            params.consistency,
            params.serial_consistency,
        );
        Trace::begin("Execute CQL3 prepared query", client, parameters)
    }

    /// A BATCH's session (`C*: BatchMessage.execute`: no per-statement values).
    pub fn batch(client: IpAddr, cl: Consistency, serial: Option<Consistency>) -> Trace {
        Trace::begin(
            "Execute batch of CQL3 queries",
            client,
            option_parameters(None, cl, serial),
        )
    }

    /// The session id, sent back in the reply's header.
    pub fn id(&self) -> Uuid {
        self.id
    }

    /// Records one event, timed from the start of the session.
    pub fn event(&mut self, activity: impl Into<String>) {
        self.events.push(Event {
            id: time_uuid(),
            activity: activity.into(),
            elapsed_micros: elapsed_micros(self.started),
        });
    }

    /// The prepared statement's text and each bound value as a CQL literal, under
    /// `bound_var_<i>_<name>` (`C*: ExecuteMessage.traceQuery`).
    pub(crate) fn add_prepared(&mut self, cql: &str, bind: &[ColumnSpec], values: &[BoundValue]) {
        self.parameters.push(("query".to_owned(), cql.to_owned()));
        for (i, (spec, value)) in bind.iter().zip(values).enumerate() {
            let mut text = match value {
                BoundValue::Null => "null".to_owned(),
                BoundValue::Unset => "<unset>".to_owned(),
                BoundValue::Value(b) => codec::deserialize(&spec.ty, b)
                    .map(|v| literal::to_cql_literal(&v))
                    .unwrap_or_else(|_| format!("0x{}", codec::hex(b))),
            };
            if text.len() > MAX_BOUND_LITERAL {
                let mut cut = MAX_BOUND_LITERAL;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
                text.push_str("...'");
            }
            self.parameters
                .push((format!("bound_var_{i}_{}", spec.name), text));
        }
    }
}

fn text(s: &str) -> BoundValue {
    BoundValue::Value(s.as_bytes().to_vec())
}

fn int(i: i32) -> BoundValue {
    BoundValue::Value(i.to_be_bytes().to_vec())
}

fn value(v: Value) -> BoundValue {
    BoundValue::Value(codec::serialize(&v))
}

impl Engine {
    /// Writes one row into a `system_traces` table: the keyspace refuses user writes, so
    /// the statement is planned against a copy of the table's metadata that allows them.
    fn trace_insert(&self, cql: &str, values: Vec<BoundValue>) -> CqlResult<()> {
        let parsed = Engine::parse(cql)?;
        let Statement::Insert(insert) = &parsed.statement else {
            return Err(CqlError::server("a trace row must be written by an INSERT"));
        };
        let table = self
            .catalog
            .table(SYSTEM_TRACES, insert.table.name.as_str())
            .ok_or_else(|| CqlError::server("system_traces is missing a table"))?;
        let mut writable = (*table).clone();
        writable.is_system = false;
        let mut specs = MarkerSpecs::new(&parsed.bind_markers);
        let plan = plan_modification(ModStatement::Insert(insert), Arc::new(writable), &mut specs)?;
        let bind = specs.finish()?;
        let values = resolve_values(&BoundValues::Positional(values), &bind)?;
        self.modify(&plan, &values, None).map(|_| ())
    }

    /// Closes a tracing session: writes its `sessions` row, duration included, and its
    /// events. A failure is logged, never returned: the traced request itself succeeded.
    pub fn finish_trace(&self, trace: &Trace) {
        if let Err(e) = self.write_trace(trace) {
            tracing::warn!(error = %e, "could not write a tracing session");
        }
    }

    fn write_trace(&self, t: &Trace) -> CqlResult<()> {
        let duration = elapsed_micros(t.started);
        let coordinator = self.node.rpc_address;
        let parameters = Value::Map(
            t.parameters
                .iter()
                .map(|(k, v)| (Value::Text(k.clone()), Value::Text(v.clone())))
                .collect(),
        );
        for e in &t.events {
            self.trace_insert(
                &format!(
                    "INSERT INTO {SYSTEM_TRACES}.events (session_id, event_id, activity, source, \
                     source_elapsed, source_port, thread) VALUES (?, ?, ?, ?, ?, ?, ?) \
                     USING TTL {QUERY_TRACE_TTL_SECS}"
                ),
                vec![
                    value(Value::Uuid(t.id)),
                    value(Value::Timeuuid(e.id)),
                    text(&e.activity),
                    value(Value::Inet(coordinator)),
                    int(e.elapsed_micros),
                    int(STORAGE_PORT),
                    text(THREAD),
                ],
            )?;
        }
        self.trace_insert(
            &format!(
                "INSERT INTO {SYSTEM_TRACES}.sessions (session_id, client, command, coordinator, \
                 coordinator_port, duration, parameters, request, started_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL {QUERY_TRACE_TTL_SECS}"
            ),
            vec![
                value(Value::Uuid(t.id)),
                value(Value::Inet(t.client)),
                text("QUERY"),
                value(Value::Inet(coordinator)),
                int(STORAGE_PORT),
                int(duration),
                value(parameters),
                text(t.request),
                value(Value::Timestamp(t.started_at_millis)),
            ],
        )
    }
}

/// Records an event when the request is traced (the text is only built then).
pub(crate) fn event(trace: &mut Option<&mut Trace>, activity: impl FnOnce() -> String) {
    if let Some(t) = trace.as_deref_mut() {
        t.event(activity());
    }
}

/// The events before a statement runs, in the words of Cassandra's read and write paths
/// (`C*: db/SinglePartitionReadCommand.java`, `service/StorageProxy.java`).
pub(crate) fn before_run(trace: &mut Option<&mut Trace>, kind: &Kind) {
    if trace.is_none() {
        return;
    }
    match kind {
        Kind::Select(plan) => match &plan.pk {
            PkAccess::Keys(_) => event(trace, || {
                format!("Executing single-partition query on {}", plan.table.name)
            }),
            PkAccess::Tokens { .. } | PkAccess::Scan => {
                event(trace, || "Computing ranges to query".to_owned());
            }
        },
        Kind::Modify(plan) => before_writes(trace, &[plan]),
        Kind::Batch { plans, .. } => {
            let plans: Vec<&ModPlan> = plans.iter().collect();
            before_writes(trace, &plans);
        }
        Kind::Use(_) | Kind::Ddl => {}
    }
}

/// The events after a statement ran.
pub(crate) fn after_run(
    trace: &mut Option<&mut Trace>,
    kind: &Kind,
    result: &CqlResult<QueryResult>,
) {
    if trace.is_none() {
        return;
    }
    match (kind, result) {
        (Kind::Select(_), Ok(QueryResult::Rows(rows))) => {
            let n = rows.rows.len();
            event(trace, || format!("Read {n} live rows"));
        }
        (Kind::Modify(plan), Ok(_)) => after_writes(trace, &[plan]),
        (Kind::Batch { plans, .. }, Ok(_)) => {
            let plans: Vec<&ModPlan> = plans.iter().collect();
            after_writes(trace, &plans);
        }
        _ => {}
    }
}

/// Before writes: conditional ones read first (`C*: StorageProxy.cas`), others are
/// routed (`StorageProxy.performWrite`).
pub(crate) fn before_writes(trace: &mut Option<&mut Trace>, plans: &[&ModPlan]) {
    if plans.iter().any(|p| p.cond.is_some()) {
        event(trace, || {
            "Reading existing values for CAS precondition".to_owned()
        });
    } else {
        event(trace, || "Determining replicas for mutation".to_owned());
    }
}

/// After writes: the commit log, then each table's memtable (`C*: db/Keyspace.applyInternal`).
pub(crate) fn after_writes(trace: &mut Option<&mut Trace>, plans: &[&ModPlan]) {
    event(trace, || "Appending to commitlog".to_owned());
    let mut seen: Vec<&str> = Vec::new();
    for p in plans {
        let name = p.table.name.as_str();
        if !seen.contains(&name) {
            seen.push(name);
            event(trace, || format!("Adding to {name} memtable"));
        }
    }
}
