//! Raw-protocol checks that need the engine: USE is sequenced against pipelined requests on
//! the same connection, and PREPARE/EXECUTE carry pk indexes, SKIP_METADATA and paging
//! state as the spec says.

#![expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::collections::HashMap;
use std::io::Cursor;
use std::time::Duration;

use cassandra_protocol::frame::Version;
use cassandra_protocol::frame::message_result::{
    BodyResResultRows, ResResultBody, RowsMetadataFlags,
};
use cassmodel_embedded::server::{Server, ServerConfig, ServerHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start() -> ServerHandle {
    Server::start(ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        ..ServerConfig::default()
    })
    .await
    .unwrap()
}

fn frame(stream: i16, opcode: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![0x04, 0];
    out.extend_from_slice(&stream.to_be_bytes());
    out.push(opcode);
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(body);
    out
}

async fn recv(s: &mut TcpStream) -> (i16, u8, Vec<u8>) {
    tokio::time::timeout(Duration::from_secs(10), async {
        let mut h = [0u8; 9];
        s.read_exact(&mut h).await.unwrap();
        let mut body = vec![0; u32::from_be_bytes([h[5], h[6], h[7], h[8]]) as usize];
        s.read_exact(&mut body).await.unwrap();
        (i16::from_be_bytes([h[2], h[3]]), h[4], body)
    })
    .await
    .unwrap()
}

fn long_string(s: &str) -> Vec<u8> {
    let mut out = (s.len() as i32).to_be_bytes().to_vec();
    out.extend_from_slice(s.as_bytes());
    out
}

/// QUERY at ONE with `flags` and the given trailing parameters.
fn query(cql: &str, flags: u8, rest: &[u8]) -> Vec<u8> {
    let mut out = long_string(cql);
    out.extend_from_slice(&[0, 1, flags]);
    out.extend_from_slice(rest);
    out
}

async fn ready(server: &ServerHandle) -> TcpStream {
    let mut s = TcpStream::connect(server.local_addr()).await.unwrap();
    let mut body = vec![0, 1, 0, 11];
    body.extend_from_slice(b"CQL_VERSION");
    body.extend_from_slice(&[0, 5]);
    body.extend_from_slice(b"3.0.0");
    s.write_all(&frame(0, 0x01, &body)).await.unwrap();
    assert_eq!(recv(&mut s).await.1, 0x02);
    s
}

async fn ok(s: &mut TcpStream, cql: &str) {
    s.write_all(&frame(1, 0x07, &query(cql, 0, &[])))
        .await
        .unwrap();
    let (_, opcode, body) = recv(s).await;
    assert_eq!(opcode, 0x08, "{cql}: {}", String::from_utf8_lossy(&body));
}

fn rows(body: &[u8]) -> BodyResResultRows {
    match ResResultBody::from_cursor(&mut Cursor::new(body), Version::V4).unwrap() {
        ResResultBody::Rows(r) => r,
        other => panic!("not rows: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn use_is_sequenced_with_pipelined_requests() {
    let server = start().await;
    let mut s = ready(&server).await;
    for (ks, k) in [("a", 1), ("b", 2)] {
        ok(&mut s, &format!("CREATE KEYSPACE {ks} WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': 1}}")).await;
        ok(&mut s, &format!("CREATE TABLE {ks}.t (k int PRIMARY KEY)")).await;
        ok(&mut s, &format!("INSERT INTO {ks}.t (k) VALUES ({k})")).await;
    }
    ok(&mut s, "USE a").await;
    // Three requests in one write: the first must still see `a`, the last must see `b`.
    let mut pipelined = frame(10, 0x07, &query("SELECT k FROM t", 0, &[]));
    pipelined.extend(frame(11, 0x07, &query("USE b", 0, &[])));
    pipelined.extend(frame(12, 0x07, &query("SELECT k FROM t", 0, &[])));
    s.write_all(&pipelined).await.unwrap();
    let mut replies = HashMap::new();
    for _ in 0..3 {
        let (stream, opcode, body) = recv(&mut s).await;
        assert_eq!(opcode, 0x08, "{}", String::from_utf8_lossy(&body));
        replies.insert(stream, body);
    }
    assert_eq!(
        rows(&replies[&10]).rows_content[0][0].as_slice(),
        Some(&[0u8, 0, 0, 1][..])
    );
    assert_eq!(
        rows(&replies[&12]).rows_content[0][0].as_slice(),
        Some(&[0u8, 0, 0, 2][..])
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prepare_execute_skip_metadata_and_paging_state() {
    let server = start().await;
    let mut s = ready(&server).await;
    ok(
        &mut s,
        "CREATE KEYSPACE p WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    )
    .await;
    ok(
        &mut s,
        "CREATE TABLE p.t (k int, c int, v text, PRIMARY KEY (k, c))",
    )
    .await;
    for c in 0..5 {
        ok(
            &mut s,
            &format!("INSERT INTO p.t (k, c, v) VALUES (7, {c}, 'v{c}')"),
        )
        .await;
    }

    s.write_all(&frame(
        2,
        0x09,
        &long_string("SELECT c, v FROM p.t WHERE k = ?"),
    ))
    .await
    .unwrap();
    let (_, opcode, body) = recv(&mut s).await;
    assert_eq!(opcode, 0x08);
    let ResResultBody::Prepared(prepared) =
        ResResultBody::from_cursor(&mut Cursor::new(&body[..]), Version::V4).unwrap()
    else {
        panic!("not prepared")
    };
    assert_eq!(prepared.metadata.pk_indexes, vec![0]);
    assert_eq!(prepared.metadata.col_specs[0].name, "k");
    assert_eq!(prepared.result_metadata.col_specs.len(), 2);
    let id = prepared.id.into_bytes().unwrap();

    // EXECUTE with values, SKIP_METADATA and a page size of 2, following the paging state.
    let mut state: Option<Vec<u8>> = None;
    let mut seen = 0;
    for page in 0.. {
        assert!(page < 10, "paging does not end");
        let mut body = (id.len() as u16).to_be_bytes().to_vec();
        body.extend_from_slice(&id);
        let flags = 0x01 | 0x02 | 0x04 | if state.is_some() { 0x08 } else { 0 };
        body.extend_from_slice(&[0, 1, flags, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7]);
        body.extend_from_slice(&2i32.to_be_bytes());
        if let Some(st) = &state {
            body.extend_from_slice(&(st.len() as i32).to_be_bytes());
            body.extend_from_slice(st);
        }
        s.write_all(&frame(3, 0x0A, &body)).await.unwrap();
        let (_, opcode, reply) = recv(&mut s).await;
        assert_eq!(opcode, 0x08, "{}", String::from_utf8_lossy(&reply));
        let r = rows(&reply);
        assert!(r.metadata.flags.contains(RowsMetadataFlags::NO_METADATA));
        assert!(r.metadata.col_specs.is_empty());
        assert_eq!(r.metadata.columns_count, 2);
        seen += r.rows_count;
        state = r.metadata.paging_state.and_then(|p| p.into_bytes());
        if state.is_none() {
            break;
        }
    }
    assert_eq!(seen, 5);

    // An unknown id: Unprepared with the id in the extra body.
    let mut body = vec![0, 3, 1, 2, 3];
    body.extend_from_slice(&[0, 1, 0]);
    s.write_all(&frame(4, 0x0A, &body)).await.unwrap();
    let (_, opcode, reply) = recv(&mut s).await;
    assert_eq!(opcode, 0x00);
    assert_eq!(&reply[..4], &0x2500i32.to_be_bytes());
    assert_eq!(&reply[reply.len() - 5..], &[0, 3, 1, 2, 3]);
    server.shutdown().await;
}
