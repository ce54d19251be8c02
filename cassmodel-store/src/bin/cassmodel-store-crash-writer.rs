//! Helper for the store's crash test (`tests/durability.rs`): opens the store in the
//! directory given as the first argument and writes from several threads forever, printing
//! `ack <n>` after each write is acknowledged. Each write is one `apply` of two partitions
//! (`a<n>` and `b<n>`), so the test can also check that no apply is ever half applied.
//! The test SIGKILLs this process at an arbitrary moment.
//!
//! With `truncate` as the second argument it instead fills table 2 with
//! [`TRUNCATE_ROWS`] partitions (unless it holds some already), prints `truncating`,
//! truncates it, prints `truncated` and waits to be killed: the test kills it mid-truncate
//! and checks the table is then either whole or empty, never half.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cassmodel_store::{ColumnId, Mutation, RowKey, RowUpdate, Store, StoreOptions, TableId};

fn mutation(prefix: u8, n: u64) -> Mutation {
    let mut pk = vec![prefix];
    pk.extend_from_slice(&n.to_be_bytes());
    let row = RowUpdate::new(RowKey::Clustering(vec![1])).set(
        ColumnId(1),
        1,
        n.to_be_bytes().to_vec(),
        None,
    );
    Mutation::new(TableId(1), pk).row(row)
}

/// How many partitions the `truncate` mode writes into table 2.
const TRUNCATE_ROWS: u64 = 20_000;

fn truncate_mode(store: &Store) -> Result<(), cassmodel_store::StoreError> {
    let t = TableId(2);
    let start = cassmodel_store::ScanStart::Beginning;
    let end = cassmodel_store::ScanEnd::Unbounded;
    if store.scan_partitions(t, &start, &end).next().is_none() {
        let all: Vec<_> = (0..TRUNCATE_ROWS)
            .map(|n| {
                let mut m = mutation(b't', n);
                m.table = t;
                m
            })
            .collect();
        for chunk in all.chunks(1000) {
            store.apply(chunk)?;
        }
    }
    let mut out = std::io::stdout();
    let _ = writeln!(out, "truncating");
    let _ = out.flush();
    store.truncate(t)?;
    let _ = writeln!(out, "truncated");
    let _ = out.flush();
    loop {
        std::thread::park();
    }
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: cassmodel-store-crash-writer <dir>");
        std::process::exit(2);
    };
    let store = match Store::open(&dir, StoreOptions::default()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("open failed: {e}");
            std::process::exit(1);
        }
    };
    if std::env::args().nth(2).as_deref() == Some("truncate") {
        if let Err(e) = truncate_mode(&store) {
            eprintln!("truncate failed: {e}");
            std::process::exit(1);
        }
        return;
    }
    let next = Arc::new(AtomicU64::new(0));
    let out = Arc::new(Mutex::new(std::io::stdout()));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (store, next, out) = (store.clone(), next.clone(), out.clone());
            std::thread::spawn(move || {
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if let Err(e) = store.apply(&[mutation(b'a', n), mutation(b'b', n)]) {
                        eprintln!("write failed: {e}");
                        std::process::exit(1);
                    }
                    let mut o = out.lock().unwrap_or_else(|p| p.into_inner());
                    let _ = writeln!(o, "ack {n}");
                    let _ = o.flush();
                }
            })
        })
        .collect();
    for t in threads {
        let _ = t.join();
    }
}
