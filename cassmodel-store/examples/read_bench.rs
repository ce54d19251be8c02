//! Point-read throughput: `read_partition` of single-row partitions by key from concurrent
//! readers. `cargo run --release -p cassmodel-store --example read_bench -- [threads] [seconds]`
//! (defaults: 50 threads, 5 seconds; 100k partitions are loaded first).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cassmodel_store::{
    ColumnId, Liveness, Mutation, ReadSpec, RowKey, RowUpdate, Store, StoreOptions, TableId,
};

const PARTITIONS: u64 = 100_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let threads: u64 = args.next().map_or(Ok(50), |a| a.parse())?;
    let seconds: u64 = args.next().map_or(Ok(5), |a| a.parse())?;
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path(), StoreOptions::default())?;
    for chunk in (0..PARTITIONS).collect::<Vec<_>>().chunks(1000) {
        let muts: Vec<_> = chunk
            .iter()
            .map(|i| {
                let row = RowUpdate::new(RowKey::Clustering(Vec::new()))
                    .with_marker(Liveness {
                        timestamp: 1,
                        ttl: None,
                    })
                    .set(ColumnId(1), 1, b"some name".to_vec(), None)
                    .set(ColumnId(2), 1, 42i32.to_be_bytes().to_vec(), None);
                Mutation::new(TableId(1), i.to_be_bytes().to_vec()).row(row)
            })
            .collect();
        store.apply(&muts)?;
    }
    let done = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (store, done, count) = (store.clone(), done.clone(), count.clone());
            std::thread::spawn(move || -> Result<(), cassmodel_store::StoreError> {
                let mut i = t * 7919;
                while !done.load(Ordering::Relaxed) {
                    let pk = (i % PARTITIONS).to_be_bytes();
                    let rows = store
                        .read_partition(TableId(1), &pk, &ReadSpec::all(0))?
                        .collect::<Result<Vec<_>, _>>()?;
                    assert_eq!(rows.len(), 1);
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
        h.join().map_err(|_| "reader panicked")??;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let n = count.load(Ordering::Relaxed);
    println!(
        "{threads} readers: {n} reads in {elapsed:.1}s = {:.0} reads/s",
        n as f64 / elapsed
    );
    Ok(())
}
