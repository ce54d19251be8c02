//! TRUNCATE is atomic across a crash: a writer process fills a table and truncates it, is
//! SIGKILLed at varying moments of the truncation, and the table is then either complete
//! or empty, never half.

#![allow(clippy::unwrap_used)]
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use cassmodel_store::{ScanEnd, ScanStart, Store, StoreOptions, TableId};

/// Must match the writer's `TRUNCATE_ROWS`.
const ROWS: usize = 20_000;

#[test]
fn sigkill_during_truncate_leaves_all_or_nothing() {
    for delay_ms in [0u64, 1, 3, 10, 40] {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_cassmodel-store-crash-writer"))
            .arg(dir.path())
            .arg("truncate")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        assert_eq!(first, "truncating");
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let finished = lines.any(|l| l.is_ok_and(|l| l == "truncated"));

        let s = Store::open(dir.path(), StoreOptions::default()).unwrap();
        let left = s
            .scan_partitions(TableId(2), &ScanStart::Beginning, &ScanEnd::Unbounded)
            .count();
        assert!(
            left == 0 || left == ROWS,
            "kill after {delay_ms} ms: {left} of {ROWS} partitions left (half a truncate)"
        );
        if finished {
            assert_eq!(left, 0, "an acknowledged truncate was lost");
        }
        eprintln!("kill after {delay_ms} ms: {left} partitions, acknowledged: {finished}");
    }
}
