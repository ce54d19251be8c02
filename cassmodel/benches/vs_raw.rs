//! cassmodel vs hand-written scylla-driver code (prepared statements, same rows, same
//! session) and vs charybdis 1.1 (same driver, same session) on the embedded server, for a
//! single insert, a get by key and a 1,000-row partition scan. One run of 5 rounds; prints the median round's operations
//! per second and the ratios of mean times (cassmodel / raw, cassmodel / charybdis).
//!
//! ```sh
//! cargo bench -p cassmodel --bench vs_raw            # memory: server
//! CASSMODEL_URL=cql://host/ks cargo bench -p cassmodel --bench vs_raw
//! ```
//!
//! A benchmark, not a test: it asserts nothing about time (only that every read finds
//! its rows). Goal of issue 3: cassmodel ≤ 1.03 × raw and ≤ charybdis.

use cassmodel::prelude::*;
use charybdis::macros::charybdis_model;
use charybdis::operations::{Find, Insert};
use charybdis::types::{Int, Text};
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
const SCANS: usize = 40;
const ROUNDS: usize = 5;

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

/// Mean time of `n` sequential calls of `f`.
async fn time<F, Fut>(n: usize, mut f: F) -> Result<Duration, Boxed>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = Result<(), Boxed>>,
{
    let start = Instant::now();
    for i in 0..n {
        f(i).await?;
    }
    Ok(start.elapsed() / u32::try_from(n)?)
}

/// Hand-written driver code: statements prepared once, tuples in and out.
struct Raw<'a> {
    session: &'a Session,
    insert: PreparedStatement,
    get: PreparedStatement,
    scan: PreparedStatement,
}

impl Raw<'_> {
    async fn insert(&self, r: &Row, ts: i64) -> Result<(), Boxed> {
        let values = (
            &r.part,
            r.seq,
            &r.payload,
            scylla::value::MaybeUnset::<i32>::Unset,
            ts,
        );
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

/// Per operation, the median of each client's round durations.
fn medians(
    rounds: &[Vec<(&'static str, Duration, Duration, Duration)>],
) -> Vec<(&'static str, Duration, Duration, Duration)> {
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    (0..rounds[0].len())
        .map(|op| {
            let pick = |f: fn(&(&'static str, Duration, Duration, Duration)) -> Duration| {
                median(rounds.iter().map(|r| f(&r[op])).collect())
            };
            (rounds[0][op].0, pick(|r| r.1), pick(|r| r.2), pick(|r| r.3))
        })
        .collect()
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
        insert: session.prepare(Row::CQL.insert).await?,
        get: session.prepare(Row::CQL.select_by_primary_key).await?,
        scan: session.prepare(Row::CQL.select_by_partition).await?,
    };

    let scan_rows: Vec<Row> = (0..SCAN_ROWS).map(|i| row("scan", i)).collect();
    let mut batch = db.batch().unlogged().chunked(100);
    for r in &scan_rows {
        batch = batch.insert(r);
    }
    batch.execute().await?;

    let (orm_rows, raw_rows, ch_rows) = (rows("o"), rows("r"), rows("c"));
    let ch_models: Vec<ChRow> = ch_rows.iter().map(ch_row).collect();
    // Warm-up: prepare every statement of the three clients once.
    orm_rows[0].insert(&db).await?;
    raw.insert(&raw_rows[0], db.next_timestamp()).await?;
    ch_models[0].insert().execute(caching).await?;

    // Several rounds, each timing the three clients on the same operations; the median
    // round per client is reported, so one noisy moment on a shared machine (fsync
    // stalls, another process) does not decide a ratio.
    let mut rounds = Vec::new();
    for _ in 0..ROUNDS {
        let mut results = Vec::new();
        results.push((
            "single insert",
            time(SINGLE_OPS, |i| {
                let (db, r) = (&db, &orm_rows[i]);
                async move { Ok(r.insert(db).await?) }
            })
            .await?,
            time(SINGLE_OPS, |i| {
                let (raw, r, ts) = (&raw, &raw_rows[i], db.next_timestamp());
                async move { raw.insert(r, ts).await }
            })
            .await?,
            time(SINGLE_OPS, |i| {
                let r = &ch_models[i];
                async move {
                    r.insert().execute(caching).await?;
                    Ok(())
                }
            })
            .await?,
        ));
        results.push((
            "get by key",
            time(SINGLE_OPS, |i| {
                let (db, key) = (&db, (orm_rows[i].part.clone(), 1));
                async move {
                    Row::get(db, &key).await?.ok_or("row missing")?;
                    Ok(())
                }
            })
            .await?,
            time(SINGLE_OPS, |i| {
                let (raw, part) = (&raw, &raw_rows[i].part);
                async move {
                    raw.get(part, 1).await?.ok_or("row missing")?;
                    Ok(())
                }
            })
            .await?,
            time(SINGLE_OPS, |i| {
                let key = (ch_models[i].part.clone(), 1);
                async move {
                    ChRow::find_by_primary_key_value(key)
                        .execute(caching)
                        .await?;
                    Ok(())
                }
            })
            .await?,
        ));
        let check = |n: usize| -> Result<(), Boxed> {
            if n == SCAN_ROWS as usize {
                Ok(())
            } else {
                Err(format!("scan returned {n} rows").into())
            }
        };
        results.push((
            "1,000-row scan",
            time(SCANS, |_| {
                let db = &db;
                async move {
                    let key = ("scan".to_owned(),);
                    let found: Vec<Row> = Row::find_by_partition(db, &key).try_collect().await?;
                    check(found.len())
                }
            })
            .await?,
            time(SCANS, |_| {
                let raw = &raw;
                async move { check(raw.scan("scan").await?.len()) }
            })
            .await?,
            time(SCANS, |_| async move {
                let found = ChRow::find_by_partition_key_value(("scan".to_owned(),))
                    .execute(caching)
                    .await?
                    .try_collect()
                    .await?;
                check(found.len())
            })
            .await?,
        ));

        rounds.push(results);
    }
    let results = medians(&rounds);

    println!(
        "cassmodel vs raw scylla driver vs charybdis on {url} ({ROUNDS} rounds, median round, mean per operation)"
    );
    println!(
        "{:<16} {:>14} {:>14} {:>14} {:>10} {:>14}",
        "operation", "cassmodel op/s", "raw op/s", "charybdis op/s", "cm/raw", "cm/charybdis"
    );
    for (name, orm, raw, ch) in results {
        let ops = |d: Duration| 1.0 / d.as_secs_f64();
        println!(
            "{name:<16} {:>14.0} {:>14.0} {:>14.0} {:>10.3} {:>14.3}",
            ops(orm),
            ops(raw),
            ops(ch),
            orm.as_secs_f64() / raw.as_secs_f64(),
            orm.as_secs_f64() / ch.as_secs_f64(),
        );
    }
    db.close().await;
    Ok(())
}
