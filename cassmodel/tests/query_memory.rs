//! Memory bound of a streamed query: 200,000 rows read through a scan with a client-side
//! residual keep the process's resident memory flat (measured from `/proc/self/status`),
//! because rows are decoded and filtered page by page and never collected.

use cassmodel::prelude::*;
use futures::StreamExt;

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "mem_rows")]
struct MemRow {
    #[cassmodel(partition_key)]
    part: i32,
    #[cassmodel(clustering_key)]
    seq: i32,
    payload: String,
}

const PARTS: i32 = 200;
const PER_PART: i32 = 1_000;
/// Payload size: 200,000 rows hold ~100 MB of payload, far above the margin below.
const PAYLOAD: usize = 500;
/// Allowed growth of the resident set while streaming (the in-process embedded server
/// included: ~45 MB measured); keeping the rows would add over 100 MB.
const MARGIN_KB: u64 = 80 * 1024;

fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streaming_200k_rows_through_a_residual_is_bounded()
-> Result<(), Box<dyn std::error::Error>> {
    let Some(_) = rss_kb() else {
        return Ok(()); // not Linux: nothing to measure
    };
    let url = std::env::var("CASSMODEL_TEST_URL").unwrap_or_else(|_| "memory:".to_owned());
    let db = Db::connect(&url).await?;
    db.sync::<MemRow>().await?;
    let payload = "p".repeat(PAYLOAD);
    for part in 0..PARTS {
        let rows: Vec<MemRow> = (0..PER_PART)
            .map(|seq| MemRow {
                part,
                seq,
                payload: format!("{seq}{payload}"),
            })
            .collect();
        let mut batch = db.batch().unlogged().chunked(20);
        for r in &rows {
            batch = batch.insert(r);
        }
        batch.execute().await?;
    }

    let query = MemRow::query()
        .filter_with(|c| c.seq.gte(990) & c.payload.starts_with("99"))
        .allow_full_scan()
        .page_size(1_000);
    let plan = query.explain()?;
    assert!(plan.scans && plan.requests[0].residual.is_some(), "{plan}");

    let mut stream = query.stream(&db);
    let mut seen = 0u64;
    let mut baseline = None;
    let mut peak = 0u64;
    while let Some(row) = stream.next().await {
        let row = row?;
        assert!(row.seq >= 990 && row.payload.starts_with("99"));
        seen += 1;
        let rss = rss_kb().unwrap_or(0);
        // The first page may allocate buffers once: measure from the first match on.
        let base = *baseline.get_or_insert(rss);
        peak = peak.max(rss.saturating_sub(base));
    }
    // seq 990..999 start with "99": 10 per partition.
    assert_eq!(seen, u64::try_from(PARTS * 10)?);
    assert!(
        peak < MARGIN_KB,
        "resident memory grew by {peak} kB while streaming (margin {MARGIN_KB} kB)"
    );
    println!(
        "streamed {} rows, {seen} matched, RSS growth {peak} kB",
        PARTS * PER_PART
    );
    db.close().await;
    Ok(())
}
