//! Durability and atomicity: restart recovery, all-or-nothing applies, and a crash test
//! that SIGKILLs a writer process and checks every acknowledged write survived.

#![allow(clippy::unwrap_used)]
mod common;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cassmodel_store::{
    Mutation, ReadSpec, RowUpdate, ScanEnd, ScanStart, Store, StoreOptions, SyncMode, TableId,
};
use common::*;

#[test]
fn restart_recovers_everything() {
    let dir = tempfile::tempdir().unwrap();
    for mode in [SyncMode::Batch, SyncMode::Periodic] {
        let opts = StoreOptions {
            sync: mode,
            ..StoreOptions::default()
        };
        {
            let s = Store::open(dir.path(), opts.clone()).unwrap();
            for i in 0u32..200 {
                put(&s, &i.to_be_bytes(), b"c", C1, 1, &i.to_be_bytes(), None);
            }
            del_cell(&s, &7u32.to_be_bytes(), b"c", C1, 2);
        }
        let s = Store::open(dir.path(), opts).unwrap();
        for i in 0u32..200 {
            let r = rows(&s, &i.to_be_bytes(), 0);
            if i == 7 {
                assert!(r.is_empty(), "{mode:?}: the delete survived");
            } else {
                assert_eq!(val(&r[0], C1), Some(i.to_be_bytes().to_vec()), "{mode:?}");
            }
        }
        s.truncate(T).unwrap();
    }
}

#[test]
fn write_section_is_all_or_nothing_and_reads_its_writes() {
    let (_d, s) = store();
    let m = |pk: &[u8]| {
        Mutation::new(T, pk.to_vec()).row(RowUpdate::new(ck(b"")).set(C1, 1, b"v".to_vec(), None))
    };
    // Error after a successful apply: nothing is committed.
    let r: Result<(), cassmodel_store::StoreError> = s.write(|tx| {
        tx.apply(&[m(b"x")])?;
        assert!(tx.partition_is_live(T, b"x", 0)?, "reads see own writes");
        Err(cassmodel_store::StoreError::EmptyKey)
    });
    assert!(r.is_err());
    assert!(!s.partition_is_live(T, b"x", 0).unwrap());
    // Read-modify-write (counter style).
    for _ in 0..5 {
        s.write(|tx| -> Result<(), cassmodel_store::StoreError> {
            let cur = tx
                .read_partition(T, b"ctr", &ReadSpec::all(0))?
                .next()
                .transpose()?
                .and_then(|r| val(&r, C1))
                .map(|v| i64::from_be_bytes(v.try_into().unwrap()))
                .unwrap_or(0);
            let row = RowUpdate::new(ck(b"")).set(C1, 1, (cur + 1).to_be_bytes().to_vec(), None);
            tx.apply(&[Mutation::new(T, b"ctr".to_vec()).row(row)])
        })
        .unwrap();
    }
    // Equal timestamps and a greater value win, so the counter total only grows: 5.
    assert_eq!(
        val(&rows(&s, b"ctr", 0)[0], C1),
        Some(5i64.to_be_bytes().to_vec())
    );
}

#[test]
fn blind_write_sections_commit_on_ok_only() {
    let (_d, s) = store();
    let m = |pk: &[u8]| {
        Mutation::new(T, pk.to_vec()).row(RowUpdate::new(ck(b"")).set(C1, 1, b"v".to_vec(), None))
    };
    // A section that never reads buffers its writes: dropped on Err...
    let r: Result<(), cassmodel_store::StoreError> = s.write(|tx| {
        tx.apply(&[m(b"x")])?;
        Err(cassmodel_store::StoreError::EmptyKey)
    });
    assert!(r.is_err());
    assert!(!s.partition_is_live(T, b"x", 0).unwrap());
    // ...committed (both partitions, atomically) on Ok, and readable afterwards.
    s.write(|tx| tx.apply(&[m(b"y"), m(b"z")])).unwrap();
    assert!(s.partition_is_live(T, b"y", 0).unwrap());
    assert!(s.partition_is_live(T, b"z", 0).unwrap());
    // An invalid mutation fails the section before anything is buffered.
    let r = s.write(|tx| tx.apply(&[m(b"w"), m(b"")]));
    assert!(r.is_err());
    assert!(!s.partition_is_live(T, b"w", 0).unwrap());
}

#[test]
fn concurrent_counter_increments_are_serialized() {
    let (_d, s) = store();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let s = s.clone();
            std::thread::spawn(move || {
                for _ in 0..25 {
                    s.write(|tx| -> Result<(), cassmodel_store::StoreError> {
                        let cur = tx
                            .read_partition(T, b"ctr", &ReadSpec::all(0))?
                            .next()
                            .transpose()?
                            .and_then(|r| val(&r, C1))
                            .map(|v| i64::from_be_bytes(v.try_into().unwrap()))
                            .unwrap_or(0);
                        // Timestamps increase with the value so each write wins.
                        let row = RowUpdate::new(ck(b"")).set(
                            C1,
                            cur + 1,
                            (cur + 1).to_be_bytes().to_vec(),
                            None,
                        );
                        tx.apply(&[Mutation::new(T, b"ctr".to_vec()).row(row)])
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(
        val(&rows(&s, b"ctr", 0)[0], C1),
        Some(200i64.to_be_bytes().to_vec())
    );
}

#[test]
fn concurrent_blind_writers_all_land_and_are_acknowledged() {
    // Many writers at once go through the group commit's leader hand-off: each write is
    // committed by its own thread or by whichever leader found it queued, and every
    // `apply` returns only once its own write is in.
    let (_d, s) = store();
    let threads: Vec<_> = (0..8u32)
        .map(|t| {
            let s = s.clone();
            std::thread::spawn(move || {
                for i in 0..150u32 {
                    let pk = (t * 1000 + i).to_be_bytes();
                    put(&s, &pk, b"c", C1, 1, &pk, None);
                    assert_eq!(val(&rows(&s, &pk, 0)[0], C1), Some(pk.to_vec()));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    for t in 0..8u32 {
        for i in 0..150u32 {
            let pk = (t * 1000 + i).to_be_bytes();
            assert_eq!(rows(&s, &pk, 0).len(), 1, "writer {t}, write {i}");
        }
    }
}

/// Runs a future to completion on this thread (the store's futures need no runtime).
fn block_on<F: std::future::Future>(fut: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(std::sync::Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    loop {
        match fut.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(out) => return out,
            std::task::Poll::Pending => std::thread::park(),
        }
    }
}

#[test]
fn deferred_writers_are_all_told_their_writes_are_on_disk() {
    // The server's path: commit now, await the fsync as a future, which the background
    // syncer runs when asked. A lost wake-up of the syncer or of a waiter hangs a writer.
    let (_d, s) = store();
    let (done, finished) = std::sync::mpsc::channel();
    for t in 0..6u32 {
        let (s, done) = (s.clone(), done.clone());
        std::thread::spawn(move || {
            for i in 0..200u32 {
                let pk = (t * 1000 + i).to_be_bytes();
                let ((), ticket) =
                    cassmodel_store::defer_durability(|| put(&s, &pk, b"c", C1, 1, &pk, None));
                let ticket = ticket.expect("a batch-mode write defers its fsync");
                block_on(s.durable(ticket)).unwrap();
            }
            done.send(t).unwrap();
        });
    }
    for _ in 0..6 {
        finished
            .recv_timeout(Duration::from_secs(120))
            .expect("a writer never learned its write was durable");
    }
    for t in 0..6u32 {
        for i in 0..200u32 {
            assert_eq!(rows(&s, &(t * 1000 + i).to_be_bytes(), 0).len(), 1);
        }
    }
}

fn key(prefix: u8, n: u64) -> Vec<u8> {
    let mut pk = vec![prefix];
    pk.extend_from_slice(&n.to_be_bytes());
    pk
}

#[test]
fn sigkill_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    for round in 0..3 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cassmodel-store-crash-writer"))
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut acked = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("ack ") {
                    acked.push(n.parse::<u64>().unwrap());
                }
            }
            acked
        });
        // Let it write for a while (different lengths per round), then kill it mid-flight.
        let deadline = Instant::now() + Duration::from_millis(400 + 300 * round);
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let acked = reader.join().unwrap();
        assert!(!acked.is_empty(), "the writer acknowledged nothing");
        eprintln!("round {round}: {} acknowledged applies", acked.len());

        let s = Store::open(dir.path(), StoreOptions::default()).unwrap();
        for n in &acked {
            for p in [b'a', b'b'] {
                assert!(
                    s.partition_is_live(TableId(1), &key(p, *n), 0).unwrap(),
                    "round {round}: acknowledged write {n} ({}) lost",
                    p as char
                );
            }
        }
        // No half-applied apply: every a<n> has its b<n> and vice versa.
        let mut a = Vec::new();
        let mut b = Vec::new();
        for p in s.scan_partitions(TableId(1), &ScanStart::Beginning, &ScanEnd::Unbounded) {
            let p = p.unwrap();
            let n = u64::from_be_bytes(p.key[1..].try_into().unwrap());
            if p.key[0] == b'a' {
                a.push(n)
            } else {
                b.push(n)
            }
        }
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "round {round}: a half-applied batch");
    }
}
