//! What one request does once read: where it runs ([`statement_kind`]) and how it runs
//! against the engine ([`execute`]), inside its tracing session when the client asked for
//! one and collecting its client warnings, into the reply frame.

use crate::api::{QueryResult, Session};
use crate::error::CqlError;
use crate::exec::client_warn;
use crate::exec::trace::Trace;
use crate::protocol::frame::Opcode;
use crate::protocol::request::Request;
use crate::protocol::response;
use crate::server::connection::Conn;

/// Where a QUERY runs, from its first keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatementKind {
    /// SELECT, INSERT, UPDATE, DELETE, BATCH (and anything else): on the runtime.
    Data,
    /// CREATE, ALTER, DROP, TRUNCATE: on the blocking pool.
    Schema,
    /// USE: on the blocking pool, before the next request is read.
    Use,
}

/// The kind of a QUERY's statement, from its first word (after blanks and comments).
pub(crate) fn statement_kind(cql: &str) -> StatementKind {
    let mut s = cql;
    loop {
        s = s.trim_start();
        if let Some(rest) = s.strip_prefix("--").or_else(|| s.strip_prefix("//")) {
            s = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest.split_once("*/").map_or("", |(_, r)| r);
        } else {
            break;
        }
    }
    let word_end = s
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len());
    let (word, rest) = s.split_at(word_end);
    let is = |kw: &str| word.eq_ignore_ascii_case(kw);
    if is("use") && (rest.starts_with(|c: char| c.is_ascii_whitespace() || c == '"')) {
        StatementKind::Use
    } else if is("create") || is("alter") || is("drop") || is("truncate") {
        StatementKind::Schema
    } else {
        StatementKind::Data
    }
}

/// Runs one engine request (synchronously) and returns its reply frame. A panic
/// in the engine becomes a server error on the request's stream, never a silent stream.
/// With `traced` (the request frame's TRACING flag), the request runs in a tracing
/// session ([`crate::exec::trace`]) whose id the reply carries.
pub(super) fn execute(
    conn: &Conn,
    before: Session,
    stream: i16,
    req: Request,
    traced: bool,
) -> Vec<u8> {
    let engine = &conn.shared.engine;
    let mut session = before.clone();
    // `C*: Message.Request.isTraceable`: QUERY, PREPARE, EXECUTE and BATCH only.
    let mut trace = match &req {
        _ if !traced => None,
        Request::Query { cql, params } => Some(Trace::query(conn.peer, cql, params)),
        Request::Prepare { cql } => Some(Trace::prepare(conn.peer, cql)),
        Request::Execute { params, .. } => Some(Trace::execute(conn.peer, params)),
        Request::Batch(b) => Some(Trace::batch(conn.peer, b.consistency, b.serial_consistency)),
        _ => None,
    };
    // `C*: transport/Dispatcher.java` sets the request's client warnings on whatever
    // response it produced, errors included.
    let (reply, warnings) = client_warn::capture(|| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match req {
            Request::Query { cql, params } => engine
                .query_traced(&mut session, &cql, &params, trace.as_mut())
                .map(|r| (Opcode::Result, result(&r, params.skip_metadata))),
            Request::Execute { id, params } => engine
                .execute_traced(&mut session, &id, &params, trace.as_mut())
                .map(|r| (Opcode::Result, result(&r, params.skip_metadata))),
            Request::Prepare { cql } => engine
                .prepare_traced(&session, &cql, trace.as_mut())
                .map(|p| (Opcode::Result, response::prepared_body(&p))),
            Request::Batch(batch) => engine
                .batch_traced(&session, &batch, trace.as_mut())
                .map(|r| (Opcode::Result, result(&r, false))),
            other => Err(CqlError::protocol(format!(
                "Unexpected message {}",
                other.opcode().name()
            ))),
        }))
    });
    if let Some(t) = &trace {
        engine.finish_trace(t);
    }
    match reply {
        Ok(Ok((opcode, body))) => {
            conn.store_session(&before, session);
            conn.reply_frame(stream, opcode, trace.as_ref(), &warnings, &body)
        }
        Ok(Err(err)) => {
            conn.store_session(&before, session);
            conn.reply_frame(
                stream,
                Opcode::Error,
                trace.as_ref(),
                &warnings,
                &response::error_body(&err),
            )
        }
        Err(_) => {
            tracing::error!("request panicked in the engine");
            conn.error_frame(
                stream,
                &CqlError::server("internal error while executing the request"),
            )
        }
    }
}

fn result(r: &QueryResult, skip_metadata: bool) -> Vec<u8> {
    response::result_body(r, skip_metadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_kinds() {
        assert_eq!(statement_kind("USE ks"), StatementKind::Use);
        assert_eq!(statement_kind("  use\n\"Ks\""), StatementKind::Use);
        assert_eq!(statement_kind("-- c\n/* x */ Use ks;"), StatementKind::Use);
        assert_eq!(statement_kind("user"), StatementKind::Data);
        assert_eq!(statement_kind("use"), StatementKind::Data);
        assert_eq!(statement_kind("SELECT * FROM use"), StatementKind::Data);
        assert_eq!(
            statement_kind("create TABLE t (k int PRIMARY KEY)"),
            StatementKind::Schema
        );
        assert_eq!(statement_kind("/* a */ TRUNCATE t"), StatementKind::Schema);
        assert_eq!(statement_kind("dropped"), StatementKind::Data);
        assert_eq!(
            statement_kind("INSERT INTO t (k) VALUES (1)"),
            StatementKind::Data
        );
    }
}
