//! Throughput of the embedded server through the unmodified scylla driver: prepared
//! single-row INSERT, then SELECT by key, from 50 concurrent connections.
//!
//! ```text
//! cargo run --release -p cassmodel-embedded --example throughput -- [--secs 10] [--conns 50] [--sync batch|periodic] [--addr HOST:PORT]
//! ```
//! Without `--addr` it starts an in-process server on a throw-away directory (group-commit
//! durability, the default `SyncMode::Batch`, unless `--sync periodic`); with it, it
//! measures that server instead.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cassmodel_embedded::SyncMode;
use cassmodel_embedded::server::{Server, ServerConfig};
use scylla::client::PoolSize;
use scylla::client::session::Session;
use scylla::client::session_builder::SessionBuilder;
use scylla::statement::prepared::PreparedStatement;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

struct Args {
    secs: u64,
    conns: usize,
    sync: SyncMode,
    addr: Option<String>,
}

fn args() -> Result<Args, BoxError> {
    let mut out = Args {
        secs: 10,
        conns: 50,
        sync: SyncMode::Batch,
        addr: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--secs" => out.secs = value.parse()?,
            "--conns" => out.conns = value.parse()?,
            "--addr" => out.addr = Some(value),
            "--sync" if value == "batch" => out.sync = SyncMode::Batch,
            "--sync" if value == "periodic" => out.sync = SyncMode::Periodic,
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    Ok(out)
}

/// Runs `conns` workers for `secs` seconds; returns (ops, p50, p99).
async fn run(
    session: Arc<Session>,
    statement: PreparedStatement,
    conns: usize,
    secs: u64,
    insert: bool,
) -> Result<(u64, Duration, Duration), BoxError> {
    let stop = Arc::new(AtomicBool::new(false));
    let ops = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for w in 0..conns {
        let (session, statement, stop, ops) = (
            session.clone(),
            statement.clone(),
            stop.clone(),
            ops.clone(),
        );
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut i: i64 = 0;
            while !stop.load(Ordering::Relaxed) {
                let key = (w as i64) * 1_000_000 + (i % 10_000);
                let t = Instant::now();
                let res = if insert {
                    session
                        .execute_unpaged(&statement, (key, format!("value-{key}")))
                        .await
                } else {
                    session.execute_unpaged(&statement, (key,)).await
                };
                res?;
                latencies.push(t.elapsed());
                ops.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
            Ok::<_, BoxError>(latencies)
        }));
    }
    tokio::time::sleep(Duration::from_secs(secs)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await??);
    }
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok((ops.load(Ordering::Relaxed), pct(0.5), pct(0.99)))
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = args()?;
    let (server, addr) = match &args.addr {
        Some(addr) => (None, addr.parse()?),
        None => {
            let server = Server::start(ServerConfig {
                listen: "127.0.0.1:0".parse()?,
                sync: args.sync,
                ..ServerConfig::default()
            })
            .await?;
            let addr = server.local_addr();
            (Some(server), addr)
        }
    };
    let conns = NonZeroUsize::new(args.conns).ok_or("--conns must be > 0")?;
    let session: Arc<Session> = Arc::new(
        SessionBuilder::new()
            .known_node_addr(addr)
            .fetch_schema_metadata(false)
            .pool_size(PoolSize::PerHost(conns))
            .build()
            .await?,
    );
    session
        .query_unpaged(
            "CREATE KEYSPACE IF NOT EXISTS bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            &[],
        )
        .await?;
    session
        .query_unpaged(
            "CREATE TABLE IF NOT EXISTS bench.kv (k bigint PRIMARY KEY, v text)",
            &[],
        )
        .await?;
    session.await_schema_agreement().await?;
    let insert = session
        .prepare("INSERT INTO bench.kv (k, v) VALUES (?, ?)")
        .await?;
    let select = session
        .prepare("SELECT v FROM bench.kv WHERE k = ?")
        .await?;
    for (name, statement, is_insert) in [("INSERT", insert, true), ("SELECT", select, false)] {
        let (ops, p50, p99) =
            run(session.clone(), statement, args.conns, args.secs, is_insert).await?;
        println!(
            "{name}: {:.0} ops/s ({ops} ops in {}s, {} connections), p50 {p50:?}, p99 {p99:?}",
            ops as f64 / args.secs as f64,
            args.secs,
            args.conns
        );
    }
    drop(session);
    if let Some(server) = server {
        server.shutdown().await;
    }
    Ok(())
}
