//! Crash durability of `cassmodel serve --data DIR`: a client writes from several
//! connections and records every acknowledged write, the server process is killed with
//! SIGKILL in the middle of it, restarted on the same directory, and every acknowledged
//! row must be there (DESIGN.md §8: a write is acknowledged only once it is on disk).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use scylla::client::session::Session;
use scylla::client::session_builder::SessionBuilder;

const BIN: &str = env!("CARGO_BIN_EXE_cassmodel");
const WRITERS: i32 = 8;
/// Acknowledged writes to wait for before the kill, so that the kill lands mid-stream.
const ACKS_BEFORE_KILL: usize = 400;

fn serve(dir: &Path) -> (Child, SocketAddr) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn cassmodel serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("ready line");
    let addr = line
        .trim()
        .strip_prefix("cassmodel-embedded listening on ")
        .unwrap_or_else(|| panic!("unexpected ready line {line:?}"))
        .parse()
        .expect("address");
    (child, addr)
}

async fn connect(addr: SocketAddr) -> Session {
    SessionBuilder::new()
        .known_node(addr.to_string())
        .build()
        .await
        .expect("connect")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, addr) = serve(dir.path());
    let session = Arc::new(connect(addr).await);
    session
        .query_unpaged(
            "CREATE KEYSPACE crash WITH replication = \
             {'class': 'SimpleStrategy', 'replication_factor': 1}",
            (),
        )
        .await
        .unwrap();
    session
        .query_unpaged(
            "CREATE TABLE crash.acks (writer int, seq int, payload text, \
             PRIMARY KEY (writer, seq))",
            (),
        )
        .await
        .unwrap();
    let insert = session
        .prepare("INSERT INTO crash.acks (writer, seq, payload) VALUES (?, ?, ?)")
        .await
        .unwrap();

    let acked = Arc::new(Mutex::new(BTreeSet::new()));
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (session, insert, acked) = (session.clone(), insert.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            for seq in 0.. {
                let payload = format!("writer {writer} row {seq} ✓");
                match session
                    .execute_unpaged(&insert, (writer, seq, payload))
                    .await
                {
                    Ok(_) => {
                        acked.lock().unwrap().insert((writer, seq));
                    }
                    // The server is gone: every write after this point is unacknowledged.
                    Err(_) => return,
                }
            }
        }));
    }

    let deadline = Instant::now() + Duration::from_secs(120);
    while acked.lock().unwrap().len() < ACKS_BEFORE_KILL {
        assert!(
            Instant::now() < deadline,
            "the server acknowledged too few writes"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap(); // SIGKILL: no flush, no shutdown hook
    child.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= ACKS_BEFORE_KILL);

    let (mut child, addr) = serve(dir.path());
    let session = connect(addr).await;
    let mut present = BTreeSet::new();
    for writer in 0..WRITERS {
        let rows = session
            .query_unpaged(
                "SELECT seq, payload FROM crash.acks WHERE writer = ?",
                (writer,),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap();
        for row in rows.rows::<(i32, String)>().unwrap() {
            let (seq, payload) = row.unwrap();
            assert_eq!(payload, format!("writer {writer} row {seq} ✓"));
            present.insert((writer, seq));
        }
    }
    let lost: Vec<_> = acked.difference(&present).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged writes lost after SIGKILL (of {}), e.g. {:?}",
        lost.len(),
        acked.len(),
        &lost[..lost.len().min(5)]
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
