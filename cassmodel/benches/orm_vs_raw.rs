//! cassmodel vs hand-written scylla-driver code (prepared statements, same rows, same
//! session, same embedded server) for a single insert, a get by key and a 1,000-row
//! partition scan. Prints the mean time per operation and the ratio cassmodel / raw.
//!
//! ```sh
//! cargo bench -p cassmodel --bench orm_vs_raw            # memory: server
//! CASSMODEL_URL=cql://host/ks cargo bench -p cassmodel --bench orm_vs_raw
//! ```
//!
//! A benchmark, not a test: it asserts nothing about time.

use cassmodel::prelude::*;
use futures::TryStreamExt;
use scylla::client::session::Session;
use std::time::{Duration, Instant};

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "bench_rows")]
struct BenchRow {
    #[cassmodel(partition_key)]
    part: String,
    #[cassmodel(clustering_key)]
    seq: i32,
    payload: String,
}

type Boxed = Box<dyn std::error::Error>;

const SINGLE_OPS: usize = 2_000;
const SCAN_ROWS: i32 = 1_000;
const SCANS: usize = 30;
const ROUNDS: usize = 3;

fn row(part: &str, seq: i32) -> BenchRow {
    BenchRow {
        part: part.to_owned(),
        seq,
        payload: format!("payload number {seq} with some text"),
    }
}

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

struct Raw<'a> {
    session: &'a Session,
    insert: scylla::statement::prepared::PreparedStatement,
    get: scylla::statement::prepared::PreparedStatement,
    scan: scylla::statement::prepared::PreparedStatement,
}

impl Raw<'_> {
    async fn insert(&self, r: &BenchRow, ts: i64) -> Result<(), Boxed> {
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

    async fn get(&self, part: &str, seq: i32) -> Result<Option<BenchRow>, Boxed> {
        let result = self.session.execute_unpaged(&self.get, (part, seq)).await?;
        let row = result
            .into_rows_result()?
            .maybe_first_row::<(String, i32, String)>()?;
        Ok(row.map(|(part, seq, payload)| BenchRow { part, seq, payload }))
    }

    async fn scan(&self, part: &str) -> Result<Vec<BenchRow>, Boxed> {
        let rows: Vec<BenchRow> = self
            .session
            .execute_iter(self.scan.clone(), (part,))
            .await?
            .rows_stream::<(String, i32, String)>()?
            .map_ok(|(part, seq, payload)| BenchRow { part, seq, payload })
            .try_collect()
            .await?;
        Ok(rows)
    }
}

#[tokio::main]
async fn main() -> Result<(), Boxed> {
    let url = std::env::var(cassmodel::db::URL_ENV).unwrap_or_else(|_| "memory:".to_owned());
    let db = Db::connect(&url).await?;
    db.sync::<BenchRow>().await?;
    let session = db.session().get_session();
    let cql = BenchRow::CQL;
    let raw = Raw {
        session,
        insert: session.prepare(cql.insert).await?,
        get: session.prepare(cql.select_by_primary_key).await?,
        scan: session.prepare(cql.select_by_partition).await?,
    };

    // The partition both scans read.
    let scan_rows: Vec<BenchRow> = (0..SCAN_ROWS).map(|i| row("scan", i)).collect();
    let mut batch = db.batch().unlogged().chunked(100);
    for r in &scan_rows {
        batch = batch.insert(r);
    }
    batch.execute().await?;

    println!("cassmodel vs raw scylla driver on {url} (mean per operation, {ROUNDS} rounds)");
    let mut totals = [[Duration::ZERO; 2]; 3];
    for round in 0..ROUNDS {
        let orm_rows: Vec<BenchRow> = (0..SINGLE_OPS)
            .map(|i| row(&format!("o{round}-{i}"), 1))
            .collect();
        let raw_rows: Vec<BenchRow> = (0..SINGLE_OPS)
            .map(|i| row(&format!("r{round}-{i}"), 1))
            .collect();

        let orm_insert = time(SINGLE_OPS, |i| {
            let (db, r) = (&db, &orm_rows[i]);
            async move { Ok(r.insert(db).await?) }
        })
        .await?;
        let raw_insert = time(SINGLE_OPS, |i| {
            let (raw, r, ts) = (&raw, &raw_rows[i], db.next_timestamp());
            async move { raw.insert(r, ts).await }
        })
        .await?;

        let orm_get = time(SINGLE_OPS, |i| {
            let (db, key) = (&db, (orm_rows[i].part.clone(), 1));
            async move {
                let found = BenchRow::get(db, &key).await?;
                if found.is_none() {
                    return Err("row missing".into());
                }
                Ok(())
            }
        })
        .await?;
        let raw_get = time(SINGLE_OPS, |i| {
            let (raw, part) = (&raw, &raw_rows[i].part);
            async move {
                if raw.get(part, 1).await?.is_none() {
                    return Err("row missing".into());
                }
                Ok(())
            }
        })
        .await?;

        let orm_scan = time(SCANS, |_| {
            let db = &db;
            async move {
                let key = ("scan".to_owned(),);
                let rows: Vec<BenchRow> =
                    BenchRow::find_by_partition(db, &key).try_collect().await?;
                if rows.len() != SCAN_ROWS as usize {
                    return Err("short scan".into());
                }
                Ok(())
            }
        })
        .await?;
        let raw_scan = time(SCANS, |_| {
            let raw = &raw;
            async move {
                if raw.scan("scan").await?.len() != SCAN_ROWS as usize {
                    return Err("short scan".into());
                }
                Ok(())
            }
        })
        .await?;
        for (k, pair) in [
            (orm_insert, raw_insert),
            (orm_get, raw_get),
            (orm_scan, raw_scan),
        ]
        .into_iter()
        .enumerate()
        {
            totals[k][0] += pair.0;
            totals[k][1] += pair.1;
        }
    }
    for (name, [orm, raw]) in ["single insert", "get by key", "1,000-row scan"]
        .iter()
        .zip(totals)
    {
        let (orm, raw) = (orm / ROUNDS as u32, raw / ROUNDS as u32);
        println!(
            "{name:>16}: cassmodel {:>10.1?}  raw {:>10.1?}  ratio {:.3}",
            orm,
            raw,
            orm.as_secs_f64() / raw.as_secs_f64()
        );
    }
    db.close().await;
    Ok(())
}
