//! cassmodel vs hand-written scylla-driver code (prepared statements, same rows, same
//! session) and vs charybdis 1.1 (same driver, same session) on the embedded server, for a
//! single insert, a get by key and a 1,000-row partition scan.
//!
//! ```sh
//! nice -n 10 cargo bench -p cassmodel --bench vs_raw     # memory: server (~1-2 min)
//! CASSMODEL_URL=cql://host/ks cargo bench -p cassmodel --bench vs_raw
//! ```
//!
//! How it measures, for a shared, noisy machine: one warm-up round (not counted), then
//! `ROUNDS` rounds. In a round, each operation is split into chunks (100 inserts or gets,
//! 4 scans); each chunk is run by the three clients back to back, in each of the six
//! orders in turn, so all three see the same moments of the machine (an fsync stall or
//! another process hits them alike) and each follows each other client as often. A round
//! yields, per operation, each client's mean time per call, and the ratios cassmodel / raw
//! and cassmodel / charybdis.
//!
//! How to read it: per operation, the median of the per-round ratios, with their min–max
//! across rounds (the spread says how much to trust the median: a median of 1.02 with a
//! range 0.97–1.08 is "no measurable difference"), then the median mean time per call of
//! each client (µs) and the corresponding operations per second (one call at a time, so
//! this is latency, not throughput).
//!
//! `VS_RAW_ONLY=client:op:calls` runs one client alone, for instruction counts under
//! callgrind (see [`ONLY_ENV`]).
//!
//! A benchmark, not a test: it asserts nothing about time (only that every read finds its
//! rows). Goal of issue 3: cassmodel ≤ 1.03 × raw and ≤ charybdis.

use cassmodel::prelude::*;
use charybdis::macros::charybdis_model;
use charybdis::operations::{Find, Insert};
use charybdis::types::{Int, Text};
use scylla::client::caching_session::CachingSession;
use scylla::client::session::Session;
use scylla::statement::prepared::PreparedStatement;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "vs_rows")]
struct Row {
    #[cassmodel(partition_key)]
    part: String,
    #[cassmodel(clustering_key)]
    seq: i32,
    payload: String,
}

#[charybdis_model(
    table_name = vs_rows,
    partition_keys = [part],
    clustering_keys = [seq],
    global_secondary_indexes = [],
    local_secondary_indexes = [],
    static_columns = []
)]
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
struct ChRow {
    part: Text,
    seq: Int,
    payload: Text,
}

type Boxed = Box<dyn std::error::Error>;

const SINGLE_OPS: usize = 2_000;
const SCAN_ROWS: i32 = 1_000;
const SCANS: usize = 100;
const ROUNDS: usize = 13;

fn row(part: &str, seq: i32) -> Row {
    Row {
        part: part.to_owned(),
        seq,
        payload: format!("payload number {seq} with some text"),
    }
}

fn ch_row(r: &Row) -> ChRow {
    ChRow {
        part: r.part.clone(),
        seq: r.seq,
        payload: r.payload.clone(),
    }
}

/// Hand-written driver code: statements prepared once, tuples in and out.
struct Raw<'a> {
    session: &'a Session,
    insert: PreparedStatement,
    get: PreparedStatement,
    scan: PreparedStatement,
}

impl Raw<'_> {
    async fn insert(&self, r: &Row) -> Result<(), Boxed> {
        // The session stamps the request with the Db's clock, as for the other two.
        let values = (&r.part, r.seq, &r.payload);
        self.session.execute_unpaged(&self.insert, values).await?;
        Ok(())
    }

    async fn get(&self, part: &str, seq: i32) -> Result<Option<Row>, Boxed> {
        let result = self.session.execute_unpaged(&self.get, (part, seq)).await?;
        let found = result
            .into_rows_result()?
            .maybe_first_row::<(String, i32, String)>()?;
        Ok(found.map(|(part, seq, payload)| Row { part, seq, payload }))
    }

    async fn scan(&self, part: &str) -> Result<Vec<Row>, Boxed> {
        let rows: Vec<Row> = self
            .session
            .execute_iter(self.scan.clone(), (part,))
            .await?
            .rows_stream::<(String, i32, String)>()?
            .map_ok(|(part, seq, payload)| Row { part, seq, payload })
            .try_collect()
            .await?;
        Ok(rows)
    }
}

fn rows(prefix: &str) -> Vec<Row> {
    (0..SINGLE_OPS)
        .map(|i| row(&format!("{prefix}-{i}"), 1))
        .collect()
}

/// The three clients, in the order of their columns in the results.
#[derive(Clone, Copy)]
enum Client {
    Cassmodel,
    Raw,
    Charybdis,
}

const CLIENTS: [Client; 3] = [Client::Cassmodel, Client::Raw, Client::Charybdis];

/// The orders in which a chunk's calls are run, by index into [`CLIENTS`]: all six, taken
/// in turn. A rotation of one order (0 1 2, 1 2 0, 2 0 1) would have each client follow
/// the same other client two times in three, and a client's calls leave the machine in a
/// state (caches, allocator, the server's memtable) that the next one inherits.
const ORDERS: [[usize; 3]; 6] = [
    [0, 1, 2],
    [1, 2, 0],
    [2, 0, 1],
    [0, 2, 1],
    [2, 1, 0],
    [1, 0, 2],
];

/// The measured operations.
#[derive(Clone, Copy)]
enum Op {
    Insert,
    Get,
    Scan,
}

impl Op {
    const ALL: [Op; 3] = [Op::Insert, Op::Get, Op::Scan];

    fn name(self) -> &'static str {
        match self {
            Op::Insert => "single insert",
            Op::Get => "get by key",
            Op::Scan => "1,000-row scan",
        }
    }

    /// Calls per client per round, and calls per interleaved chunk.
    fn calls(self) -> (usize, usize) {
        match self {
            Op::Insert | Op::Get => (SINGLE_OPS, 100),
            Op::Scan => (SCANS, 4),
        }
    }
}

/// Everything the three clients need: the same session, rows prepared up front so that no
/// client pays for building its inputs inside the timed region (charybdis takes its key by
/// value, so its clone stays: that is its API).
///
/// The three clients write and read the very same rows (an insert is an upsert): with rows
/// of their own, each client's keys would land elsewhere in the server's memtable, and a
/// count under callgrind showed that alone moving a client's cost per insert by ~4% (the
/// skiplist search depends on where the keys fall), more than the differences measured.
struct Bench<'a> {
    db: &'a Db,
    caching: &'a CachingSession,
    raw: Raw<'a>,
    rows: Vec<Row>,
    orm_keys: Vec<(String, i32)>,
    ch_models: Vec<ChRow>,
}

fn check(n: usize) -> Result<(), Boxed> {
    if n == SCAN_ROWS as usize {
        Ok(())
    } else {
        Err(format!("scan returned {n} rows").into())
    }
}

impl Bench<'_> {
    /// Call `i` of `op` by `client`.
    async fn call(&self, client: Client, op: Op, i: usize) -> Result<(), Boxed> {
        match (client, op) {
            (Client::Cassmodel, Op::Insert) => self.rows[i].insert(self.db).await?,
            (Client::Raw, Op::Insert) => {
                self.raw.insert(&self.rows[i]).await?;
            }
            (Client::Charybdis, Op::Insert) => {
                self.ch_models[i].insert().execute(self.caching).await?;
            }
            (Client::Cassmodel, Op::Get) => {
                Row::get(self.db, &self.orm_keys[i])
                    .await?
                    .ok_or("row missing")?;
            }
            (Client::Raw, Op::Get) => {
                self.raw
                    .get(&self.rows[i].part, 1)
                    .await?
                    .ok_or("row missing")?;
            }
            (Client::Charybdis, Op::Get) => {
                ChRow::find_by_primary_key_value((self.ch_models[i].part.clone(), 1))
                    .execute(self.caching)
                    .await?;
            }
            (Client::Cassmodel, Op::Scan) => {
                let key = ("scan".to_owned(),);
                let found: Vec<Row> = Row::find_by_partition(self.db, &key).try_collect().await?;
                check(found.len())?;
            }
            (Client::Raw, Op::Scan) => check(self.raw.scan("scan").await?.len())?,
            (Client::Charybdis, Op::Scan) => {
                let found = ChRow::find_by_partition_key_value(("scan".to_owned(),))
                    .execute(self.caching)
                    .await?
                    .try_collect()
                    .await?;
                check(found.len())?;
            }
        }
        Ok(())
    }

    /// One round of `op`: the mean time per call of each client (in [`CLIENTS`] order),
    /// the clients interleaved chunk by chunk, in every order in turn.
    async fn round(&self, op: Op, round: usize) -> Result<[Duration; 3], Boxed> {
        let (calls, chunk) = op.calls();
        let mut total = [Duration::ZERO; 3];
        for (c, first) in (0..calls).step_by(chunk).enumerate() {
            for who in ORDERS[(c + round) % ORDERS.len()] {
                let start = Instant::now();
                for i in first..(first + chunk).min(calls) {
                    self.call(CLIENTS[who], op, i).await?;
                }
                total[who] += start.elapsed();
            }
        }
        let n = u32::try_from(calls)?;
        Ok(total.map(|t| t / n))
    }
}

/// `VS_RAW_ONLY=client:op:calls` (e.g. `charybdis:scan:50`): make only `calls` calls of
/// `op` by `client` (after the rows a get reads and 5 warm-up calls), then exit, printing
/// nothing. Run under
/// `valgrind --tool=callgrind` with two call counts, it gives a client's instructions per
/// call from the difference of the totals: a count that the machine's load cannot blur,
/// unlike the times above. A run's total still varies by ~1M instructions with the
/// process (hash seeds, where allocations land), so make the call counts differ by a few
/// thousand (e.g. 100 and 3100 inserts or gets, 4 and 34 scans) to resolve 1%.
const ONLY_ENV: &str = "VS_RAW_ONLY";

fn parse_only(spec: &str) -> Result<(Client, Op, usize), Boxed> {
    let mut parts = spec.split(':');
    let client = match parts.next() {
        Some("cassmodel") => Client::Cassmodel,
        Some("raw") => Client::Raw,
        Some("charybdis") => Client::Charybdis,
        other => return Err(format!("{ONLY_ENV}: unknown client {other:?}").into()),
    };
    let op = match parts.next() {
        Some("insert") => Op::Insert,
        Some("get") => Op::Get,
        Some("scan") => Op::Scan,
        other => return Err(format!("{ONLY_ENV}: unknown operation {other:?}").into()),
    };
    let calls = parts
        .next()
        .ok_or_else(|| format!("{ONLY_ENV}: expected client:op:calls"))?
        .parse()?;
    Ok((client, op, calls))
}

/// The median and the extremes of `values` (not empty).
fn spread(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    let median = values.get(values.len() / 2).copied().unwrap_or(f64::NAN);
    let min = values.first().copied().unwrap_or(f64::NAN);
    let max = values.last().copied().unwrap_or(f64::NAN);
    (median, min, max)
}

#[tokio::main]
async fn main() -> Result<(), Boxed> {
    let url = std::env::var(cassmodel::db::URL_ENV).unwrap_or_else(|_| "memory:".to_owned());
    let db = Db::connect(&url).await?;
    db.sync::<Row>().await?;
    let caching = db.session();
    let session = caching.get_session();
    let raw = Raw {
        session,
        insert: session.prepare(Row::CQL.insert_plain).await?,
        get: session.prepare(Row::CQL.select_by_primary_key).await?,
        scan: session.prepare(Row::CQL.select_by_partition).await?,
    };

    let scan_rows: Vec<Row> = (0..SCAN_ROWS).map(|i| row("scan", i)).collect();
    let mut batch = db.batch().unlogged().chunked(100);
    for r in &scan_rows {
        batch = batch.insert(r);
    }
    batch.execute().await?;

    let rows = rows("row");
    let bench = Bench {
        db: &db,
        caching,
        raw,
        orm_keys: rows.iter().map(|r| (r.part.clone(), r.seq)).collect(),
        ch_models: rows.iter().map(ch_row).collect(),
        rows,
    };

    if let Ok(spec) = std::env::var(ONLY_ENV) {
        let (client, op, calls) = parse_only(&spec)?;
        if matches!(op, Op::Get) {
            for i in 0..SINGLE_OPS {
                bench.call(client, Op::Insert, i).await?;
            }
        }
        // Warm-up (statements prepared, caches filled), then the counted calls.
        for i in 0..(5 + calls) {
            bench.call(client, op, i % op.calls().0).await?;
        }
        db.close().await;
        return Ok(());
    }
    // Warm-up round (also writes every row the gets read), not counted.
    for op in Op::ALL {
        bench.round(op, 0).await?;
    }
    let started = Instant::now();
    // per op, per round: mean time per call of each client
    let mut times: Vec<Vec<[Duration; 3]>> = vec![Vec::new(); Op::ALL.len()];
    for round in 0..ROUNDS {
        for (o, op) in Op::ALL.into_iter().enumerate() {
            times[o].push(bench.round(op, round).await?);
        }
    }

    println!(
        "cassmodel vs raw scylla driver vs charybdis on {url}: {ROUNDS} rounds in {:.0} s, clients interleaved",
        started.elapsed().as_secs_f64()
    );
    println!(
        "{:<15} {:>19} {:>19} {:>9} {:>9} {:>9} {:>8} {:>8} {:>8}",
        "operation",
        "cm/raw med (range)",
        "cm/ch med (range)",
        "cm µs",
        "raw µs",
        "ch µs",
        "cm op/s",
        "raw op/s",
        "ch op/s",
    );
    for (op, rounds) in Op::ALL.into_iter().zip(&times) {
        let ratio = |other: usize| {
            spread(
                rounds
                    .iter()
                    .map(|r| r[0].as_secs_f64() / r[other].as_secs_f64())
                    .collect(),
            )
        };
        let (raw_med, raw_min, raw_max) = ratio(1);
        let (ch_med, ch_min, ch_max) = ratio(2);
        let us = |client: usize| spread(rounds.iter().map(|r| r[client].as_secs_f64()).collect()).0;
        let (cm, rw, ch) = (us(0), us(1), us(2));
        println!(
            "{:<15} {raw_med:>6.3} ({raw_min:.2}-{raw_max:.2}) {ch_med:>6.3} ({ch_min:.2}-{ch_max:.2}) {:>9.1} {:>9.1} {:>9.1} {:>8.0} {:>8.0} {:>8.0}",
            op.name(),
            cm * 1e6,
            rw * 1e6,
            ch * 1e6,
            1.0 / cm,
            1.0 / rw,
            1.0 / ch,
        );
    }
    db.close().await;
    Ok(())
}
