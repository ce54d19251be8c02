//! End-to-end tests of the built `cassmodel` binary: `serve` on an ephemeral port, then
//! `migrate`/`plan` against it on the fixture crates in `tests/fixtures/`, with the live
//! schema checked through the scylla driver.

#![allow(clippy::unwrap_used, reason = "tests")]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use scylla::client::session::Session;
use scylla::client::session_builder::SessionBuilder;

const BIN: &str = env!("CARGO_BIN_EXE_cassmodel");

/// A `cassmodel serve` child process, killed on drop.
struct Served {
    child: Child,
    addr: SocketAddr,
}

impl Served {
    fn start() -> Served {
        Served::start_with(&["--memory"])
    }

    fn start_with(storage: &[&str]) -> Served {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(storage)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn cassmodel serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("ready line");
        let addr = line
            .trim()
            .strip_prefix("cassmodel-embedded listening on ")
            .unwrap_or_else(|| panic!("unexpected ready line {line:?}"))
            .parse()
            .expect("address");
        Served { child, addr }
    }

    /// SIGTERM, then the exit status must be success.
    fn terminate(mut self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        assert!(exit.success(), "serve exits 0 after SIGTERM: {exit:?}");
    }

    fn url(&self, keyspace: &str) -> String {
        format!("cql://{}/{keyspace}", self.addr)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn cassmodel(args: &[&str], dir: Option<PathBuf>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("NO_COLOR", "1")
        .env_remove("CASSMODEL_URL");
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    cmd.stdin(Stdio::null()).output().expect("run cassmodel")
}

fn text(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

async fn session(addr: SocketAddr) -> Session {
    SessionBuilder::new()
        .known_node(addr.to_string())
        .build()
        .await
        .expect("driver session")
}

/// `table.column type` for every column of the keyspace, sorted.
async fn live_columns(s: &Session, keyspace: &str) -> Vec<String> {
    let rows = s
        .query_unpaged(
            "SELECT table_name, column_name, type FROM system_schema.columns WHERE keyspace_name = ?",
            (keyspace,),
        )
        .await
        .expect("select columns")
        .into_rows_result()
        .expect("rows");
    let mut out: Vec<String> = rows
        .rows::<(String, String, String)>()
        .expect("typed rows")
        .map(|r| {
            let (t, c, ty) = r.expect("row");
            format!("{t}.{c} {ty}")
        })
        .collect();
    out.sort();
    out
}

async fn keyspace_exists(s: &Session, keyspace: &str) -> bool {
    let rows = s
        .query_unpaged(
            "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?",
            (keyspace,),
        )
        .await
        .expect("select keyspaces")
        .into_rows_result()
        .expect("rows");
    rows.rows_num() == 1
}

#[test]
fn serve_answers_the_native_protocol_and_stops_on_sigterm() {
    let served = Served::start();
    let mut tcp = TcpStream::connect(served.addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // OPTIONS: version 4 request, flags 0, stream 1, opcode 0x05, empty body.
    tcp.write_all(&[0x04, 0, 0, 1, 0x05, 0, 0, 0, 0]).unwrap();
    let mut header = [0u8; 9];
    tcp.read_exact(&mut header).unwrap();
    assert_eq!(header[0], 0x84, "a v4 response");
    assert_eq!(header[4], 0x06, "SUPPORTED");
    drop(tcp);
    served.terminate();
}

#[test]
fn serve_data_dir_keeps_the_schema_across_a_sigterm_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let served = Served::start_with(&["--data", data]);
    let url = served.url("e2e_restart");
    let out = cassmodel(
        &["migrate", "--url", &url, "--yes"],
        Some(fixture("twissandra")),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    served.terminate();
    let served = Served::start_with(&["--data", data]);
    let out = cassmodel(
        &["plan", "--url", &served.url("e2e_restart")],
        Some(fixture("twissandra")),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("e2e_restart is up to date"),
        "{}",
        text(&out)
    );
    served.terminate();
}

#[test]
fn serve_refuses_a_public_address_without_auth() {
    let out = cassmodel(&["serve", "--listen", "0.0.0.0:0"], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--auth"));
}

#[test]
fn syntax_error_gives_file_line_and_exit_2() {
    let out = cassmodel(
        &["migrate", "--url", "cql://127.0.0.1:1/ks", "--yes"],
        Some(fixture("broken")),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("src/lib.rs:4: "), "{}", text(&out));
}

#[test]
fn unreachable_server_is_exit_3() {
    let out = cassmodel(
        &["plan", "--url", "cql://127.0.0.1:1/ks"],
        Some(fixture("twissandra")),
    );
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_creates_the_schema_then_is_a_no_op_then_evolves() {
    let served = Served::start();
    let url = served.url("e2e_migrate");
    let out = cassmodel(
        &["migrate", "--url", &url, "--yes"],
        Some(fixture("twissandra")),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let s = session(served.addr).await;
    assert_eq!(
        live_columns(&s, "e2e_migrate").await,
        vec![
            "userline.time uuid",
            "userline.tweet_id uuid",
            "userline.username text",
            // The query table: the model's columns under its own key.
            "userline_by_tweet.time uuid",
            "userline_by_tweet.tweet_id uuid",
            "userline_by_tweet.username text",
            "users.password text",
            "users.username text",
        ]
    );

    let again = cassmodel(
        &["migrate", "--url", &url, "--yes"],
        Some(fixture("twissandra")),
    );
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("e2e_migrate is up to date"),
        "{}",
        text(&again)
    );

    let other = cassmodel(
        &[
            "plan",
            "--url",
            &url,
            "--replication",
            "NetworkTopologyStrategy:dc1=3",
        ],
        Some(fixture("twissandra")),
    );
    assert_eq!(other.status.code(), Some(0), "{}", text(&other));
    assert!(
        String::from_utf8_lossy(&other.stdout).contains("not changed"),
        "an existing keyspace's replication is reported: {}",
        text(&other)
    );

    let path = fixture("twissandra_v2").join("src");
    let path = path.to_str().unwrap();
    let v2 = cassmodel(
        &[
            "migrate", "--url", &url, "--path", path, "--yes", "--format", "json",
        ],
        None,
    );
    assert_eq!(v2.status.code(), Some(0), "{}", text(&v2));
    let doc: serde_json::Value = serde_json::from_slice(&v2.stdout).expect("json");
    assert_eq!(doc["applied"], true, "{}", text(&v2));
    assert!(
        live_columns(&s, "e2e_migrate")
            .await
            .contains(&"users.email text".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_and_plan_change_nothing() {
    let served = Served::start();
    let url = served.url("e2e_dry");
    for args in [vec!["migrate", "--dry-run"], vec!["plan"]] {
        let mut args = args.clone();
        args.extend(["--url", &url]);
        let out = cassmodel(&args, Some(fixture("twissandra")));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert!(String::from_utf8_lossy(&out.stdout).contains("CREATE TABLE users"));
    }
    let s = session(served.addr).await;
    assert!(!keyspace_exists(&s, "e2e_dry").await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_plan_leaves_the_schema_untouched() {
    let served = Served::start();
    let url = served.url("e2e_refused");
    let out = cassmodel(
        &["migrate", "--url", &url, "--yes"],
        Some(fixture("twissandra")),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let s = session(served.addr).await;
    let before = live_columns(&s, "e2e_refused").await;
    let out = cassmodel(
        &["migrate", "--url", &url, "--yes"],
        Some(fixture("refused")),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("REFUSED"),
        "{}",
        text(&out)
    );
    assert_eq!(live_columns(&s, "e2e_refused").await, before);
}

#[test]
fn embedded_url_starts_the_server_in_process_and_keeps_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("embedded:{}", dir.path().join("e2e_embedded").display());
    let first = cassmodel(
        &["migrate", "--url", &url, "--yes"],
        Some(fixture("twissandra")),
    );
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    assert!(
        String::from_utf8_lossy(&first.stdout).contains("Applied 6 step(s)"),
        "{}",
        text(&first)
    );
    let second = cassmodel(
        &["migrate", "--url", &url, "--yes"],
        Some(fixture("twissandra")),
    );
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    assert!(
        String::from_utf8_lossy(&second.stdout).contains("e2e_embedded is up to date"),
        "the schema survived the restart: {}",
        text(&second)
    );
}
