//! Throughput of the embedded server: prepared single-row INSERT, then SELECT by key, from
//! 50 concurrent connections, each with one request in flight.
//!
//! ```text
//! cargo run --release -p cassmodel-embedded --example throughput -- \
//!     [--secs 10] [--conns 50] [--sync batch|periodic] [--addr HOST:PORT] [--client driver|frames]
//!     [--only insert|select]
//! ```
//! Without `--addr` it starts an in-process server on a throw-away directory (group-commit
//! durability, the default `SyncMode::Batch`, unless `--sync periodic`); with it, it
//! measures that server instead.
//!
//! Two load generators (`--client`, default both):
//! - `driver`: the unmodified scylla driver, `Session::execute_unpaged` of a prepared
//!   statement: what an application sees, client CPU included (about half of the total
//!   on a 2-core machine).
//! - `frames`: a minimal native-protocol v4 client that sends pre-encoded EXECUTE frames
//!   and checks each reply's opcode, as `redis-benchmark` sends pre-encoded commands: it
//!   measures the server, and is what `examples/vs_redis.sh` compares with Redis.

/// The server allocates and frees small buffers per request; glibc's malloc (and its
/// `posix_memalign`, which the memtable's skiplist nodes use) was a tenth of its CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cassmodel_embedded::SyncMode;
use cassmodel_embedded::protocol::frame::{HEADER_LEN, Opcode, REQUEST_V4};
use cassmodel_embedded::server::{Server, ServerConfig};
use scylla::client::PoolSize;
use scylla::client::session::Session;
use scylla::client::session_builder::SessionBuilder;
use scylla::statement::prepared::PreparedStatement;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Client {
    Driver,
    Frames,
}

struct Args {
    secs: u64,
    conns: usize,
    sync: SyncMode,
    addr: Option<String>,
    clients: Vec<Client>,
    /// Which operations to measure (`--only insert|select`; default both, INSERT first).
    ops: Vec<&'static str>,
}

fn args() -> Result<Args, BoxError> {
    let mut out = Args {
        secs: 10,
        conns: 50,
        sync: SyncMode::Batch,
        addr: None,
        clients: vec![Client::Driver, Client::Frames],
        ops: vec!["INSERT", "SELECT"],
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match (flag.as_str(), value.as_str()) {
            ("--secs", v) => out.secs = v.parse()?,
            ("--conns", v) => out.conns = v.parse()?,
            ("--addr", v) => out.addr = Some(v.to_owned()),
            ("--sync", "batch") => out.sync = SyncMode::Batch,
            ("--sync", "periodic") => out.sync = SyncMode::Periodic,
            ("--client", "driver") => out.clients = vec![Client::Driver],
            ("--client", "frames") => out.clients = vec![Client::Frames],
            ("--only", "insert") => out.ops = vec!["INSERT"],
            ("--only", "select") => out.ops = vec!["SELECT"],
            (other, v) => return Err(format!("unknown flag or value: {other} {v}").into()),
        }
    }
    Ok(out)
}

/// What every worker reports: its latencies.
type Latencies = Vec<Duration>;

/// CPU time this process has used so far (user + system, all threads), from
/// `/proc/self/stat`; zero where that file does not exist. CPU per operation stays
/// comparable when other work shares the machine, where ops/s does not.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // After the parenthesised command name: state is field 3, utime 14, stime 15.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after_name
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    // The kernel reports in USER_HZ, 100 on Linux.
    Duration::from_millis(ticks * 10)
}

/// Starts `conns` workers, lets them run `secs` seconds; returns (ops, p50, p99).
async fn measure<F, Fut>(
    conns: usize,
    secs: u64,
    worker: F,
) -> Result<(u64, Duration, Duration), BoxError>
where
    F: Fn(usize, Arc<AtomicBool>, Arc<AtomicU64>) -> Fut,
    Fut: Future<Output = Result<Latencies, BoxError>> + Send + 'static,
{
    let stop = Arc::new(AtomicBool::new(false));
    let ops = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> = (0..conns)
        .map(|w| tokio::spawn(worker(w, stop.clone(), ops.clone())))
        .collect();
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

/// The key worker `w` writes or reads on its `i`-th request.
fn key(w: usize, i: i64) -> i64 {
    (w as i64) * 1_000_000 + (i % 10_000)
}

async fn driver_worker(
    session: Arc<Session>,
    statement: PreparedStatement,
    insert: bool,
    w: usize,
    stop: Arc<AtomicBool>,
    ops: Arc<AtomicU64>,
) -> Result<Latencies, BoxError> {
    let mut latencies = Vec::new();
    let mut i: i64 = 0;
    while !stop.load(Ordering::Relaxed) {
        let key = key(w, i);
        let t = Instant::now();
        if insert {
            session
                .execute_unpaged(&statement, (key, format!("value-{key}")))
                .await?;
        } else {
            session.execute_unpaged(&statement, (key,)).await?;
        }
        latencies.push(t.elapsed());
        ops.fetch_add(1, Ordering::Relaxed);
        i += 1;
    }
    Ok(latencies)
}

/// A minimal native-protocol v4 connection (no compression, no auth).
struct Frames {
    socket: TcpStream,
    /// Received bytes not consumed yet (a reply usually arrives in one read).
    inbox: Vec<u8>,
    /// The body of the last reply.
    buf: Vec<u8>,
}

/// A request frame (stream 0, no flags): the server's `encode_frame` writes responses.
fn frame(opcode: Opcode, body: &[u8]) -> Vec<u8> {
    let mut f = vec![REQUEST_V4, 0x00, 0x00, 0x00, opcode as u8];
    f.extend_from_slice(&(body.len() as u32).to_be_bytes());
    f.extend_from_slice(body);
    f
}

fn long_string(s: &str) -> Vec<u8> {
    let mut b = (s.len() as u32).to_be_bytes().to_vec();
    b.extend_from_slice(s.as_bytes());
    b
}

impl Frames {
    async fn connect(addr: SocketAddr) -> Result<Self, BoxError> {
        let socket = TcpStream::connect(addr).await?;
        socket.set_nodelay(true)?;
        let mut c = Frames {
            socket,
            inbox: Vec::with_capacity(4096),
            buf: Vec::new(),
        };
        // STARTUP {CQL_VERSION: 3.0.0}
        let mut body = 1u16.to_be_bytes().to_vec();
        for s in ["CQL_VERSION", "3.0.0"] {
            body.extend_from_slice(&(s.len() as u16).to_be_bytes());
            body.extend_from_slice(s.as_bytes());
        }
        c.socket.write_all(&frame(Opcode::Startup, &body)).await?;
        c.expect(Opcode::Ready).await?;
        Ok(c)
    }

    /// Reads one reply into `buf`; an error unless its opcode is `want`.
    async fn expect(&mut self, want: Opcode) -> Result<(), BoxError> {
        self.fill(HEADER_LEN).await?;
        let len = u32::from_be_bytes([self.inbox[5], self.inbox[6], self.inbox[7], self.inbox[8]])
            as usize;
        self.fill(HEADER_LEN + len).await?;
        let opcode = self.inbox[4];
        self.buf.clear();
        self.buf
            .extend_from_slice(&self.inbox[HEADER_LEN..HEADER_LEN + len]);
        self.inbox.drain(..HEADER_LEN + len);
        match opcode {
            op if op == want as u8 => Ok(()),
            op if op == Opcode::Error as u8 => Err(format!(
                "server error: {}",
                String::from_utf8_lossy(self.buf.get(6..).unwrap_or_default())
            )
            .into()),
            op => Err(format!("unexpected opcode {op:#x}").into()),
        }
    }

    /// Reads until at least `n` bytes are buffered (one read per reply, as redis-benchmark).
    async fn fill(&mut self, n: usize) -> Result<(), BoxError> {
        while self.inbox.len() < n {
            self.inbox.reserve(4096);
            if self.socket.read_buf(&mut self.inbox).await? == 0 {
                return Err("the server closed the connection".into());
            }
        }
        Ok(())
    }

    /// Prepares `cql`; returns the statement id.
    async fn prepare(&mut self, cql: &str) -> Result<Vec<u8>, BoxError> {
        self.socket
            .write_all(&frame(Opcode::Prepare, &long_string(cql)))
            .await?;
        self.expect(Opcode::Result).await?;
        // [int kind = 4][short bytes id]...
        let n = u16::from_be_bytes([self.buf[4], self.buf[5]]) as usize;
        Ok(self.buf[6..6 + n].to_vec())
    }
}

/// An EXECUTE frame of statement `id` with these values, consistency ONE, skipping
/// result metadata.
fn execute_frame(id: &[u8], values: &[&[u8]]) -> Vec<u8> {
    let mut body = (id.len() as u16).to_be_bytes().to_vec();
    body.extend_from_slice(id);
    body.extend_from_slice(&1u16.to_be_bytes()); // ONE
    body.push(0x01 | 0x02); // values, skip metadata
    body.extend_from_slice(&(values.len() as u16).to_be_bytes());
    for v in values {
        body.extend_from_slice(&(v.len() as u32).to_be_bytes());
        body.extend_from_slice(v);
    }
    frame(Opcode::Execute, &body)
}

/// A connection with its statement prepared and its requests encoded, one per key, as
/// redis-benchmark pre-encodes its commands.
async fn frames_setup(
    addr: SocketAddr,
    cql: &str,
    insert: bool,
    w: usize,
) -> Result<(Frames, Vec<Vec<u8>>), BoxError> {
    let mut c = Frames::connect(addr).await?;
    let id = c.prepare(cql).await?;
    let requests = (0..10_000)
        .map(|i| {
            let k = key(w, i).to_be_bytes();
            let v = format!("value-{}", key(w, i));
            if insert {
                execute_frame(&id, &[&k, v.as_bytes()])
            } else {
                execute_frame(&id, &[&k])
            }
        })
        .collect();
    Ok((c, requests))
}

async fn frames_worker(
    (mut c, requests): (Frames, Vec<Vec<u8>>),
    stop: Arc<AtomicBool>,
    ops: Arc<AtomicU64>,
) -> Result<Latencies, BoxError> {
    let mut latencies = Vec::new();
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        let t = Instant::now();
        c.socket.write_all(&requests[i % requests.len()]).await?;
        c.expect(Opcode::Result).await?;
        latencies.push(t.elapsed());
        ops.fetch_add(1, Ordering::Relaxed);
        i += 1;
    }
    Ok(latencies)
}

const INSERT: &str = "INSERT INTO bench.kv (k, v) VALUES (?, ?)";
const SELECT: &str = "SELECT v FROM bench.kv WHERE k = ?";

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
    for client in &args.clients {
        for (name, cql, insert) in [("INSERT", INSERT, true), ("SELECT", SELECT, false)] {
            if !args.ops.contains(&name) {
                continue;
            }
            let cpu_before = cpu_time();
            let (ops, p50, p99) = match client {
                Client::Driver => {
                    let statement = session.prepare(cql).await?;
                    let session = session.clone();
                    measure(args.conns, args.secs, move |w, stop, ops| {
                        driver_worker(session.clone(), statement.clone(), insert, w, stop, ops)
                    })
                    .await?
                }
                Client::Frames => {
                    let mut ready = Vec::new();
                    for w in 0..args.conns {
                        ready.push(std::sync::Mutex::new(Some(
                            frames_setup(addr, cql, insert, w).await?,
                        )));
                    }
                    measure(args.conns, args.secs, move |w, stop, ops| {
                        let conn = ready[w].lock().ok().and_then(|mut c| c.take());
                        async move {
                            frames_worker(conn.ok_or("connection taken twice")?, stop, ops).await
                        }
                    })
                    .await?
                }
            };
            let client = match client {
                Client::Driver => "scylla driver",
                Client::Frames => "frames",
            };
            let cpu_per_op = (cpu_time() - cpu_before).as_secs_f64() * 1e6 / ops.max(1) as f64;
            println!(
                "{name}: {:.0} ops/s ({ops} ops in {}s, {} connections, {client}), p50 {p50:?}, p99 {p99:?}, {cpu_per_op:.1} µs CPU/op",
                ops as f64 / args.secs as f64,
                args.secs,
                args.conns
            );
        }
    }
    drop(session);
    if let Some(server) = server {
        server.shutdown().await;
    }
    Ok(())
}
