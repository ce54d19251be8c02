//! Shared helpers for the engine tests: a fresh engine in a temp dir, QUERY/PREPARE/EXECUTE
//! shortcuts and value encoders. Included by each `engine_*.rs` test with `mod`.
#![allow(dead_code, missing_docs, clippy::unwrap_used)]

use std::sync::Arc;

use cassmodel_embedded::api::{
    BoundValue, BoundValues, Consistency, QueryParams, QueryResult, ResultRows, Session,
};
use cassmodel_embedded::exec::clock::ManualClock;
use cassmodel_embedded::{CqlError, Engine, EngineConfig, SyncMode};

pub struct Db {
    pub engine: Arc<Engine>,
    pub session: Session,
    pub clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
}

pub fn db() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = ManualClock::new(1_700_000_000_000_000);
    let config = EngineConfig {
        data_dir: dir.path().to_path_buf(),
        sync: SyncMode::Periodic,
        rpc_address: "127.0.0.1:9042".parse().expect("addr"),
    };
    let engine = Engine::open_with_clock(config, clock.clone()).expect("open engine");
    let mut db = Db {
        engine,
        session: Session::default(),
        clock,
        _dir: dir,
    };
    db.exec("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    db.exec("USE ks");
    db
}

impl Db {
    pub fn try_query(&mut self, cql: &str, params: &QueryParams) -> Result<QueryResult, CqlError> {
        self.engine.query(&mut self.session, cql, params)
    }

    /// Runs `cql` and panics on error.
    pub fn exec(&mut self, cql: &str) -> QueryResult {
        let params = QueryParams {
            consistency: Consistency::One,
            ..QueryParams::default()
        };
        match self.try_query(cql, &params) {
            Ok(r) => r,
            Err(e) => panic!("{cql}: {e}"),
        }
    }

    /// Runs `cql` with positional values.
    pub fn exec_with(&mut self, cql: &str, values: Vec<BoundValue>) -> QueryResult {
        let params = QueryParams {
            values: BoundValues::Positional(values),
            ..QueryParams::default()
        };
        match self.try_query(cql, &params) {
            Ok(r) => r,
            Err(e) => panic!("{cql}: {e}"),
        }
    }

    /// Rows of a SELECT.
    pub fn rows(&mut self, cql: &str) -> ResultRows {
        match self.exec(cql) {
            QueryResult::Rows(r) => r,
            other => panic!("{cql}: expected rows, got {other:?}"),
        }
    }

    /// The error of a statement that must fail.
    pub fn err(&mut self, cql: &str) -> CqlError {
        match self.try_query(cql, &QueryParams::default()) {
            Ok(r) => panic!("{cql}: expected an error, got {r:?}"),
            Err(e) => e,
        }
    }
}

pub fn int(v: i32) -> Option<Vec<u8>> {
    Some(v.to_be_bytes().to_vec())
}

pub fn bigint(v: i64) -> Option<Vec<u8>> {
    Some(v.to_be_bytes().to_vec())
}

pub fn text(v: &str) -> Option<Vec<u8>> {
    Some(v.as_bytes().to_vec())
}

pub fn val(v: Option<Vec<u8>>) -> BoundValue {
    match v {
        Some(b) => BoundValue::Value(b),
        None => BoundValue::Null,
    }
}
