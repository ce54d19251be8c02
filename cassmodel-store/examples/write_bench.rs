//! Single-row apply throughput with concurrent writers (group commit at work).
//!
//! `cargo run --release -p cassmodel-store --example write_bench -- [threads] [seconds] [batch|periodic] [apply|section]`
//! (defaults: 50 threads, 5 seconds, batch, apply). Each write is one INSERT-like row: a
//! marker and two cells, in its own partition, acknowledged only after the fsync covering
//! it. `section` writes through `Store::write` (the executor's path) instead of
//! `Store::apply`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cassmodel_store::{
    ColumnId, Liveness, Mutation, RowKey, RowUpdate, Store, StoreOptions, SyncMode, TableId,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let threads: usize = args.next().map_or(Ok(50), |a| a.parse())?;
    let seconds: u64 = args.next().map_or(Ok(5), |a| a.parse())?;
    let sync = match args.next().as_deref() {
        Some("periodic") => SyncMode::Periodic,
        _ => SyncMode::Batch,
    };
    let section = args.next().as_deref() == Some("section");
    let dir = tempfile::tempdir()?;
    let store = Store::open(
        dir.path(),
        StoreOptions {
            sync,
            ..StoreOptions::default()
        },
    )?;
    let done = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (store, done, count) = (store.clone(), done.clone(), count.clone());
            std::thread::spawn(move || -> Result<(), cassmodel_store::StoreError> {
                let mut i = 0u64;
                while !done.load(Ordering::Relaxed) {
                    let pk = format!("user-{t}-{i}").into_bytes();
                    let ts = i as i64 + 1;
                    let row = RowUpdate::new(RowKey::Clustering(Vec::new()))
                        .with_marker(Liveness {
                            timestamp: ts,
                            ttl: None,
                        })
                        .set(ColumnId(1), ts, b"some name".to_vec(), None)
                        .set(ColumnId(2), ts, 42i32.to_be_bytes().to_vec(), None);
                    let m = [Mutation::new(TableId(1), pk).row(row)];
                    if section {
                        store.write(|tx| tx.apply(&m))?;
                    } else {
                        store.apply(&m)?;
                    }
                    count.fetch_add(1, Ordering::Relaxed);
                    i += 1;
                }
                Ok(())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    done.store(true, Ordering::Relaxed);
    for h in handles {
        h.join().map_err(|_| "writer panicked")??;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let n = count.load(Ordering::Relaxed);
    println!(
        "{threads} writers, {sync:?}, {}: {n} writes in {elapsed:.1}s = {:.0} writes/s",
        if section {
            "Store::write"
        } else {
            "Store::apply"
        },
        n as f64 / elapsed
    );
    Ok(())
}
