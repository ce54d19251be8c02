//! The server over raw TCP: handshake, version negotiation, authentication, lz4, hostile
//! input and pipelining, checked byte by byte against `doc/native_protocol_v4.spec`.

#![expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::collections::HashSet;
use std::io::Cursor;
use std::net::SocketAddr;
use std::time::Duration;

use cassandra_protocol::frame::message_error::{ErrorBody, ErrorType};
use cassandra_protocol::frame::message_supported::BodyResSupported;
use cassandra_protocol::frame::{FromCursor, Version};
use cassmodel_embedded::protocol::frame::{lz4_compress, lz4_decompress};
use cassmodel_embedded::server::{Credentials, Server, ServerConfig, ServerHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const OPTIONS: u8 = 0x05;
const STARTUP: u8 = 0x01;
const QUERY: u8 = 0x07;
const REGISTER: u8 = 0x0B;
const AUTH_RESPONSE: u8 = 0x0F;
const ERROR: u8 = 0x00;
const READY: u8 = 0x02;
const AUTHENTICATE: u8 = 0x03;
const SUPPORTED: u8 = 0x06;
const AUTH_SUCCESS: u8 = 0x10;

async fn start(config: ServerConfig) -> ServerHandle {
    Server::start(ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        frame_timeout: Duration::from_millis(500),
        ..config
    })
    .await
    .unwrap()
}

#[derive(Debug)]
struct Frame {
    version: u8,
    flags: u8,
    stream: i16,
    opcode: u8,
    body: Vec<u8>,
}

fn frame(stream: i16, opcode: u8, flags: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![0x04, flags];
    out.extend_from_slice(&stream.to_be_bytes());
    out.push(opcode);
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(body);
    out
}

async fn send(s: &mut TcpStream, stream: i16, opcode: u8, body: &[u8]) {
    s.write_all(&frame(stream, opcode, 0, body)).await.unwrap();
}

async fn recv(s: &mut TcpStream) -> Frame {
    tokio::time::timeout(Duration::from_secs(10), async {
        let mut h = [0u8; 9];
        s.read_exact(&mut h).await.unwrap();
        let len = u32::from_be_bytes([h[5], h[6], h[7], h[8]]) as usize;
        let mut body = vec![0; len];
        s.read_exact(&mut body).await.unwrap();
        Frame {
            version: h[0],
            flags: h[1],
            stream: i16::from_be_bytes([h[2], h[3]]),
            opcode: h[4],
            body,
        }
    })
    .await
    .expect("no reply within 10 s")
}

/// True when the server closes the connection within 5 s.
async fn closed(s: &mut TcpStream) -> bool {
    let mut buf = [0u8; 64];
    matches!(
        tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await,
        Ok(Ok(0) | Err(_))
    )
}

fn string_map(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut out = (pairs.len() as u16).to_be_bytes().to_vec();
    for (k, v) in pairs {
        for s in [k, v] {
            out.extend_from_slice(&(s.len() as u16).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
    out
}

fn query_body(cql: &str) -> Vec<u8> {
    let mut out = (cql.len() as i32).to_be_bytes().to_vec();
    out.extend_from_slice(cql.as_bytes());
    out.extend_from_slice(&[0, 1, 0]); // consistency ONE, no flags
    out
}

fn error_of(f: &Frame) -> ErrorBody {
    assert_eq!(f.opcode, ERROR, "expected an ERROR frame, got {f:?}");
    ErrorBody::from_cursor(&mut Cursor::new(&f.body[..]), Version::V4).unwrap()
}

async fn connect(addr: SocketAddr) -> TcpStream {
    TcpStream::connect(addr).await.unwrap()
}

async fn ready(addr: SocketAddr) -> TcpStream {
    let mut s = connect(addr).await;
    send(&mut s, 1, STARTUP, &string_map(&[("CQL_VERSION", "3.0.0")])).await;
    assert_eq!(recv(&mut s).await.opcode, READY);
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn options_then_startup_then_options_again() {
    let server = start(ServerConfig::default()).await;
    let mut s = connect(server.local_addr()).await;
    send(&mut s, 5, OPTIONS, &[]).await;
    let f = recv(&mut s).await;
    assert_eq!((f.version, f.stream, f.opcode), (0x84, 5, SUPPORTED));
    let sup = BodyResSupported::from_cursor(&mut Cursor::new(&f.body[..]), Version::V4).unwrap();
    assert_eq!(sup.data["CQL_VERSION"], vec!["3.4.6"]);
    assert_eq!(sup.data["COMPRESSION"], vec!["lz4"]);
    assert_eq!(sup.data["PROTOCOL_VERSIONS"], vec!["3/v3", "4/v4"]);

    // Requests other than STARTUP/OPTIONS before STARTUP.
    send(&mut s, 6, QUERY, &query_body("SELECT * FROM system.local")).await;
    let f = recv(&mut s).await;
    assert_eq!(f.stream, 6);
    let e = error_of(&f);
    assert_eq!(e.ty, ErrorType::Protocol);
    assert_eq!(
        e.message,
        "Unexpected message QUERY, expecting STARTUP or OPTIONS"
    );

    send(
        &mut s,
        7,
        STARTUP,
        &string_map(&[("CQL_VERSION", "4.0.0"), ("DRIVER_NAME", "raw")]),
    )
    .await;
    let f = recv(&mut s).await;
    assert_eq!((f.stream, f.opcode, f.body.len()), (7, READY, 0));

    send(&mut s, 8, OPTIONS, &[]).await;
    assert_eq!(recv(&mut s).await.opcode, SUPPORTED);
    send(&mut s, 9, STARTUP, &string_map(&[("CQL_VERSION", "3.0.0")])).await;
    let e = error_of(&recv(&mut s).await);
    assert_eq!(
        e.message,
        "Unexpected message STARTUP, the connection is already initialized"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn startup_is_validated_like_cassandra() {
    let server = start(ServerConfig::default()).await;
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("DRIVER_NAME", "x")],
            "Missing value CQL_VERSION in STARTUP message",
        ),
        (
            &[("CQL_VERSION", "2.0.0")],
            "CQL version 2.0.0 is not supported by the binary protocol (supported version are >= 3.0.0)",
        ),
        (
            &[("CQL_VERSION", "3.0.0"), ("COMPRESSION", "zstd")],
            "Unknown compression algorithm: zstd",
        ),
        (
            &[("CQL_VERSION", "3.0.0"), ("COMPRESSION", "snappy")],
            "This instance does not support Snappy compression",
        ),
    ];
    for (options, message) in cases {
        let mut s = connect(server.local_addr()).await;
        send(&mut s, 1, STARTUP, &string_map(options)).await;
        let e = error_of(&recv(&mut s).await);
        assert_eq!((e.ty, e.message.as_str()), (ErrorType::Protocol, message));
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsupported_versions_get_a_v4_protocol_error_then_close() {
    let server = start(ServerConfig::default()).await;
    for version in [5u8, 66, 65, 3, 6] {
        let mut s = connect(server.local_addr()).await;
        // A v5 OPTIONS header on stream 0x0102.
        s.write_all(&[version, 0, 0x01, 0x02, OPTIONS, 0, 0, 0, 0])
            .await
            .unwrap();
        let f = recv(&mut s).await;
        assert_eq!((f.version, f.stream), (0x84, 0x0102), "version {version}");
        let e = error_of(&f);
        assert_eq!(e.ty, ErrorType::Protocol);
        assert_eq!(
            e.message,
            format!(
                "Invalid or unsupported protocol version ({version}); supported versions are (3/v3, 4/v4)"
            )
        );
        assert!(
            closed(&mut s).await,
            "version {version}: connection left open"
        );
    }
    // v1/v2 headers have a one-byte stream id.
    let mut s = connect(server.local_addr()).await;
    s.write_all(&[2, 0, 9, OPTIONS, 0, 0, 0, 0]).await.unwrap();
    let f = recv(&mut s).await;
    assert_eq!((f.version, f.stream), (0x84, 9));
    assert!(
        error_of(&f)
            .message
            .contains("unsupported protocol version (2)")
    );
    server.shutdown().await;
}

fn sasl(user: &str, password: &str) -> Vec<u8> {
    let token = format!("\0{user}\0{password}");
    let mut out = (token.len() as i32).to_be_bytes().to_vec();
    out.extend_from_slice(token.as_bytes());
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_authentication() {
    let server = start(ServerConfig {
        auth: Some(Credentials {
            user: "cassandra".into(),
            password: "s3cret".into(),
        }),
        ..ServerConfig::default()
    })
    .await;
    let mut s = connect(server.local_addr()).await;
    send(&mut s, 1, STARTUP, &string_map(&[("CQL_VERSION", "3.0.0")])).await;
    let f = recv(&mut s).await;
    assert_eq!(f.opcode, AUTHENTICATE);
    assert_eq!(
        &f.body[2..],
        b"org.apache.cassandra.auth.PasswordAuthenticator"
    );

    send(&mut s, 2, QUERY, &query_body("SELECT * FROM system.local")).await;
    let e = error_of(&recv(&mut s).await);
    assert_eq!(
        e.message,
        "Unexpected message QUERY, expecting SASL_RESPONSE"
    );

    send(&mut s, 3, AUTH_RESPONSE, &sasl("cassandra", "wrong")).await;
    let e = error_of(&recv(&mut s).await);
    assert_eq!(e.ty, ErrorType::Authentication);
    assert_eq!(
        e.message,
        "Provided username cassandra and/or password are incorrect"
    );

    send(&mut s, 4, AUTH_RESPONSE, &sasl("cassandra", "s3cret")).await;
    let f = recv(&mut s).await;
    assert_eq!((f.stream, f.opcode), (4, AUTH_SUCCESS));
    assert_eq!(f.body, (-1i32).to_be_bytes());

    send(&mut s, 5, OPTIONS, &[]).await;
    assert_eq!(recv(&mut s).await.opcode, SUPPORTED);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lz4_is_used_after_startup() {
    let server = start(ServerConfig::default()).await;
    let mut s = connect(server.local_addr()).await;
    // A compressed frame before negotiation is refused.
    s.write_all(&frame(1, OPTIONS, 0x01, &lz4_compress(&[])))
        .await
        .unwrap();
    let e = error_of(&recv(&mut s).await);
    assert!(
        e.message.contains("compression is not negotiated"),
        "{}",
        e.message
    );

    send(
        &mut s,
        2,
        STARTUP,
        &string_map(&[("CQL_VERSION", "3.0.0"), ("COMPRESSION", "lz4")]),
    )
    .await;
    let f = recv(&mut s).await;
    assert_eq!(
        (f.opcode, f.flags),
        (READY, 0),
        "READY itself is not compressed"
    );

    s.write_all(&frame(3, OPTIONS, 0x01, &lz4_compress(&[])))
        .await
        .unwrap();
    let f = recv(&mut s).await;
    assert_eq!((f.stream, f.opcode, f.flags & 0x01), (3, SUPPORTED, 0x01));
    let body = lz4_decompress(&f.body).unwrap();
    let sup = BodyResSupported::from_cursor(&mut Cursor::new(&body[..]), Version::V4).unwrap();
    assert!(sup.data.contains_key("CQL_VERSION"));

    // A compressed REGISTER with a bad event type: the error comes back compressed.
    let mut reg = vec![0, 1, 0, 3];
    reg.extend_from_slice(b"FOO");
    s.write_all(&frame(4, REGISTER, 0x01, &lz4_compress(&reg)))
        .await
        .unwrap();
    let f = recv(&mut s).await;
    assert_eq!(f.flags & 0x01, 0x01);
    let body = lz4_decompress(&f.body).unwrap();
    let e = ErrorBody::from_cursor(&mut Cursor::new(&body[..]), Version::V4).unwrap();
    assert_eq!(e.message, "Invalid value 'FOO' for Type");

    // A body that is not lz4 at all.
    s.write_all(&frame(5, OPTIONS, 0x01, &[0, 0, 0, 50, 0xFF, 0xFF]))
        .await
        .unwrap();
    let f = recv(&mut s).await;
    let body = lz4_decompress(&f.body).unwrap();
    let e = ErrorBody::from_cursor(&mut Cursor::new(&body[..]), Version::V4).unwrap();
    assert_eq!(e.ty, ErrorType::Protocol);
    server.shutdown().await;
}

async fn still_serves(addr: SocketAddr) {
    let mut s = connect(addr).await;
    send(&mut s, 77, OPTIONS, &[]).await;
    let f = recv(&mut s).await;
    assert_eq!((f.stream, f.opcode), (77, SUPPORTED));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_input_never_takes_the_server_down() {
    let server = start(ServerConfig::default()).await;
    let addr = server.local_addr();
    // A connection that stays open and idle during all of this must keep working.
    let mut idle = ready(addr).await;

    // Garbage bytes: not a v4 request, answered then closed.
    let mut s = connect(addr).await;
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let e = error_of(&recv(&mut s).await);
    assert!(e.message.contains("unsupported protocol version"));
    assert!(closed(&mut s).await);

    // Unknown opcode: a protocol error, the connection stays usable.
    let mut s = ready(addr).await;
    send(&mut s, 3, 0x42, &[1, 2, 3]).await;
    let f = recv(&mut s).await;
    assert_eq!(f.stream, 3);
    assert_eq!(error_of(&f).message, "Unknown opcode 66");
    send(&mut s, 4, OPTIONS, &[]).await;
    assert_eq!(recv(&mut s).await.opcode, SUPPORTED);

    // A malformed QUERY body: a protocol error on its stream.
    send(&mut s, 5, QUERY, &[0xFF, 0xFF, 0xFF, 0xFF, 0, 0]).await;
    let f = recv(&mut s).await;
    assert_eq!((f.stream, error_of(&f).ty), (5, ErrorType::Protocol));

    // A frame over 16 MiB (header included) is skipped without being kept, refused on its
    // stream as Cassandra refuses it, and the connection goes on.
    let mut s = ready(addr).await;
    let body_len: u32 = 16 * 1024 * 1024 - 9 + 1;
    let mut h = vec![4, 0, 0, 9, QUERY];
    h.extend_from_slice(&body_len.to_be_bytes());
    s.write_all(&h).await.unwrap();
    s.write_all(&vec![0xAB; body_len as usize]).await.unwrap();
    let f = recv(&mut s).await;
    assert_eq!(f.stream, 9);
    let e = error_of(&f);
    assert_eq!(e.ty, ErrorType::Invalid);
    assert_eq!(
        e.message,
        "Request is too big: length 16777217 exceeds maximum allowed length 16777216."
    );
    send(&mut s, 10, OPTIONS, &[]).await;
    assert_eq!(recv(&mut s).await.opcode, SUPPORTED);

    // Absurd lengths (read unsigned) whose body never comes: nothing is allocated, and the
    // connection is dropped after the frame timeout.
    for len in [0x7FFF_FFFFu32, 0xFFFF_FFFF] {
        let mut s = connect(addr).await;
        let mut h = vec![4, 0, 0, 9, QUERY];
        h.extend_from_slice(&len.to_be_bytes());
        s.write_all(&h).await.unwrap();
        assert!(closed(&mut s).await);
    }

    // Half-sent header and half-sent body: dropped after the frame timeout.
    let mut s = connect(addr).await;
    s.write_all(&[4, 0, 0]).await.unwrap();
    assert!(closed(&mut s).await, "half header kept open");
    let mut s = connect(addr).await;
    let mut f = frame(1, OPTIONS, 0, &[0; 100]);
    f.truncate(30);
    s.write_all(&f).await.unwrap();
    assert!(closed(&mut s).await, "half body kept open");

    // A client that vanishes mid-frame.
    let mut s = connect(addr).await;
    s.write_all(&[4, 0, 0, 1, QUERY, 0, 0, 1, 0, 1])
        .await
        .unwrap();
    drop(s);

    still_serves(addr).await;
    send(&mut idle, 2, OPTIONS, &[]).await;
    assert_eq!(recv(&mut idle).await.opcode, SUPPORTED);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_requests_are_all_answered_on_their_streams() {
    let server = start(ServerConfig {
        max_in_flight: 8, // forces backpressure with 300 pipelined requests
        ..ServerConfig::default()
    })
    .await;
    let mut s = ready(server.local_addr()).await;
    let mut batch = Vec::new();
    let mut expected = HashSet::new();
    // Stream ids out of order and interleaved kinds (OPTIONS is answered inline, QUERY and
    // PREPARE go through the engine).
    for i in 0..300i16 {
        let stream = ((i32::from(i) * 7919) % 30_000 + 2) as i16;
        expected.insert(stream);
        batch.extend(match i % 3 {
            0 => frame(stream, OPTIONS, 0, &[]),
            1 => frame(stream, QUERY, 0, &query_body("SELECT * FROM system.local")),
            _ => frame(
                stream,
                0x09,
                0,
                &(9i32
                    .to_be_bytes()
                    .iter()
                    .copied()
                    .chain(*b"SELECT 1;")
                    .collect::<Vec<_>>()),
            ),
        });
    }
    s.write_all(&batch).await.unwrap();
    let mut seen = HashSet::new();
    for _ in 0..300 {
        let f = recv(&mut s).await;
        assert_eq!(f.version, 0x84);
        assert!(seen.insert(f.stream), "stream {} answered twice", f.stream);
        assert!(
            [SUPPORTED, 0x08, ERROR].contains(&f.opcode),
            "unexpected opcode {}",
            f.opcode
        );
    }
    assert_eq!(seen, expected);
    server.shutdown().await;
}

/// With one request allowed in flight, each write runs in the connection's reader and its
/// reply waits there for the fsync; the reader must keep driving that wait while it holds
/// back the next pipelined request, and every write must be acknowledged and readable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_durable_writes_with_one_request_in_flight() {
    let server = start(ServerConfig {
        max_in_flight: 1,
        ..ServerConfig::default()
    })
    .await;
    let mut s = ready(server.local_addr()).await;
    for (stream, cql) in [
        (
            2,
            "CREATE KEYSPACE pipe WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        ),
        (3, "CREATE TABLE pipe.kv (k int PRIMARY KEY, v text)"),
    ] {
        send(&mut s, stream, QUERY, &query_body(cql)).await;
        assert_eq!(recv(&mut s).await.opcode, 0x08);
    }
    let mut batch = Vec::new();
    for k in 0..100i16 {
        let cql = format!("INSERT INTO pipe.kv (k, v) VALUES ({k}, 'v{k}')");
        batch.extend(frame(100 + k, QUERY, 0, &query_body(&cql)));
    }
    s.write_all(&batch).await.unwrap();
    let mut seen = HashSet::new();
    for _ in 0..100 {
        let f = recv(&mut s).await;
        assert_eq!(f.opcode, 0x08, "write not acknowledged: {f:?}");
        assert!(seen.insert(f.stream));
    }
    send(
        &mut s,
        7,
        QUERY,
        &query_body("SELECT count(*) FROM pipe.kv"),
    )
    .await;
    let f = recv(&mut s).await;
    assert_eq!(f.opcode, 0x08);
    // Rows result: the single bigint cell is the last 8 bytes of the body.
    let count = i64::from_be_bytes(f.body[f.body.len() - 8..].try_into().unwrap());
    assert_eq!(count, 100);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_accepts_event_types_and_rejects_others() {
    let server = start(ServerConfig::default()).await;
    let mut s = ready(server.local_addr()).await;
    let mut body = vec![0, 3];
    for t in ["TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"] {
        body.extend_from_slice(&(t.len() as u16).to_be_bytes());
        body.extend_from_slice(t.as_bytes());
    }
    send(&mut s, 2, REGISTER, &body).await;
    let f = recv(&mut s).await;
    assert_eq!((f.stream, f.opcode), (2, READY));
    send(&mut s, 3, REGISTER, &[0, 1, 0, 3, b'B', b'A', b'D']).await;
    assert_eq!(
        error_of(&recv(&mut s).await).message,
        "Invalid value 'BAD' for Type"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schema_change_event_is_pushed_on_stream_minus_one() {
    use cassandra_protocol::frame::events::{SchemaChangeOptions, ServerEvent};
    let server = start(ServerConfig::default()).await;
    let mut listener = ready(server.local_addr()).await;
    let mut body = vec![0, 1];
    body.extend_from_slice(&13u16.to_be_bytes());
    body.extend_from_slice(b"SCHEMA_CHANGE");
    send(&mut listener, 2, REGISTER, &body).await;
    assert_eq!(recv(&mut listener).await.opcode, READY);

    let mut s = ready(server.local_addr()).await;
    send(
        &mut s,
        3,
        QUERY,
        &query_body(
            "CREATE KEYSPACE ev WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        ),
    )
    .await;
    let f = recv(&mut s).await;
    assert_eq!((f.stream, f.opcode), (3, 0x08), "{f:?}");

    let f = recv(&mut listener).await;
    assert_eq!((f.version, f.stream, f.opcode), (0x84, -1, 0x0C));
    let event = ServerEvent::from_cursor(&mut Cursor::new(&f.body[..]), Version::V4).unwrap();
    let ServerEvent::SchemaChange(change) = event else {
        panic!("{event:?}")
    };
    assert_eq!(change.options, SchemaChangeOptions::Keyspace("ev".into()));
    server.shutdown().await;
}
