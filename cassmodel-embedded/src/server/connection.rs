//! One client connection: a reader loop that frames and decodes requests and runs them
//! against the engine (reads and writes on the runtime, with the wait for the disk as a
//! future; schema changes on tokio's blocking pool), and a writer task that batches
//! replies onto the socket. Replies go out as they complete, so pipelined requests may be
//! answered out of order (each carries its stream id).
//!
//! A reply goes straight onto the socket when the writer task is idle with nothing queued,
//! and through the writer's queue otherwise.
//!
//! A read or write that arrives while nothing else is in flight on the connection runs in
//! the reader itself, and the reader also polls its wait for the disk: one client waiting
//! for each reply (as `redis-benchmark` and most request/response clients do) then costs
//! no task spawn and no cross-thread wake-up per request. Requests that overlap others on
//! the connection (a driver's pipelined streams) each get a task, so they run in parallel.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, BufWriter};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::api::Session;
use crate::error::{CqlError, CqlResult};
use crate::exec::trace::Trace;
use crate::protocol::frame::{
    FLAG_COMPRESSION, FLAG_TRACING, HEADER_LEN, HeaderError, Opcode, REQUEST_V4, encode_frame,
    encode_response, lz4_decompress, parse_header, stream_of,
};
use crate::protocol::request::{self, Request};
use crate::protocol::response;
use crate::server::Shared;
use crate::server::dispatch::{StatementKind, execute, statement_kind};
use crate::server::handshake::{authenticate, register, startup};

/// The connection stages of Cassandra's `ServerConnection`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Established,
    Authenticating,
    Ready,
}

/// What the request tasks of one connection share.
pub(super) struct Conn {
    pub(super) shared: Arc<Shared>,
    /// Set once STARTUP negotiated lz4 and its reply went out.
    compress: AtomicBool,
    /// The session; the reader clones it for each request, `USE` replaces it.
    session: Mutex<Session>,
    out: mpsc::Sender<Vec<u8>>,
    /// The socket's write half; the writer task holds it while it writes a batch.
    socket: Arc<tokio::sync::Mutex<Socket>>,
    /// The client's address (a tracing session's `client`).
    pub(super) peer: std::net::IpAddr,
}

/// The buffered write half of the connection's socket.
type Socket = BufWriter<OwnedWriteHalf>;

impl Conn {
    fn frame(&self, stream: i16, opcode: Opcode, body: &[u8]) -> Vec<u8> {
        encode_frame(stream, opcode, body, self.compress.load(Ordering::Acquire))
    }

    pub(super) fn error_frame(&self, stream: i16, err: &CqlError) -> Vec<u8> {
        self.frame(stream, Opcode::Error, &response::error_body(err))
    }

    /// A reply frame, carrying the tracing session's id when the request was traced and
    /// the warnings the request collected.
    pub(super) fn reply_frame(
        &self,
        stream: i16,
        opcode: Opcode,
        trace: Option<&Trace>,
        warnings: &[String],
        body: &[u8],
    ) -> Vec<u8> {
        encode_response(
            stream,
            opcode,
            trace.map(|t| t.id().into_bytes()),
            warnings,
            body,
            self.compress.load(Ordering::Acquire),
        )
    }

    async fn send(&self, frame: Vec<u8>) {
        // A closed channel means the writer is gone (client went away): nothing to do.
        let _ = self.out.send(frame).await;
    }

    /// Sends a request's reply: straight onto the socket when the writer task is idle with
    /// nothing queued (one task wake-up less per request), else through the writer's queue.
    /// Replies may go out in any order (each carries its stream id); frames whose order
    /// matters (the handshake's) go through [`Conn::send`].
    async fn send_reply(&self, frame: Vec<u8>) {
        if self.out.capacity() == self.out.max_capacity()
            && let Ok(mut socket) = self.socket.try_lock()
        {
            // A failed write means the client went away; the reader sees it next.
            if socket.write_all(&frame).await.is_ok() {
                let _ = socket.flush().await;
            }
            return;
        }
        self.send(frame).await;
    }

    fn session(&self) -> Session {
        self.session.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub(super) fn store_session(&self, before: &Session, after: Session) {
        if *before != after
            && let Ok(mut s) = self.session.lock()
        {
            *s = after;
        }
    }
}

/// The reply of the request the reader ran itself, waiting for the disk if it wrote (at
/// most one: the reader only runs a request itself while nothing else is in flight).
type DurableReply = Option<Pin<Box<dyn Future<Output = ()> + Send>>>;

/// Drives the reader's waiting request to its reply; never completes while there is none.
async fn finish_reply(reply: &mut DurableReply) {
    match reply {
        Some(fut) => {
            fut.as_mut().await;
            *reply = None;
        }
        None => std::future::pending().await,
    }
}

/// Runs a read or write now (a write commits without waiting for the disk) and returns
/// the future that sends its reply ([`Conn::send_reply`]) once the write is on disk, or an
/// error instead if the fsync failed: a write is never acknowledged before it is durable.
/// The request's in-flight `permit` is released when the reply is out.
fn run_data(
    conn: Arc<Conn>,
    session: Session,
    stream: i16,
    req: Request,
    traced: bool,
    permit: OwnedSemaphorePermit,
) -> impl Future<Output = ()> + Send {
    let (mut frame, ticket) =
        cassmodel_store::defer_durability(|| execute(&conn, session, stream, req, traced));
    async move {
        if let Some(ticket) = ticket
            && let Err(err) = conn.shared.engine.durable(ticket).await
        {
            frame = conn.error_frame(stream, &err);
        }
        conn.send_reply(frame).await;
        drop(permit);
    }
}

/// Why the reader loop stopped reading.
enum Stop {
    /// Clean end of stream or shutdown.
    Done,
    /// A fatal protocol error was answered; close after it is written.
    Fatal,
}

/// Serves one connection until the client leaves, a fatal protocol error, or shutdown.
pub(crate) async fn serve(socket: TcpStream, shared: Arc<Shared>, stop: watch::Receiver<bool>) {
    let peer = socket
        .peer_addr()
        .map_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), |a| {
            a.ip()
        });
    let (rd, wr) = socket.into_split();
    let (tx, rx) = mpsc::channel::<Vec<u8>>(shared.max_in_flight.min(1024));
    let socket = Arc::new(tokio::sync::Mutex::new(BufWriter::with_capacity(
        64 * 1024,
        wr,
    )));
    let writer = tokio::spawn(write_loop(socket.clone(), rx).in_current_span());
    let conn = Arc::new(Conn {
        shared: shared.clone(),
        compress: AtomicBool::new(false),
        session: Mutex::new(Session::default()),
        out: tx,
        socket,
        peer,
    });
    let in_flight = Arc::new(Semaphore::new(shared.max_in_flight));
    let mut events: Option<JoinHandle<()>> = None;
    let mut reader = BufReader::with_capacity(64 * 1024, rd);
    let mut own = None;
    tracing::debug!("connection opened");
    let why = read_loop(&mut reader, &conn, &in_flight, &mut own, &mut events, stop).await;
    if matches!(why, Stop::Fatal) {
        tracing::debug!("closing after a fatal protocol error");
    }
    if let Some(reply) = own {
        reply.await;
    }
    // Let in-flight requests finish and queue their replies before closing.
    let permits = u32::try_from(shared.max_in_flight).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(super::DRAIN_TIMEOUT, in_flight.acquire_many(permits)).await;
    if let Some(events) = events {
        events.abort();
        let _ = events.await;
    }
    drop(conn);
    let _ = writer.await;
    tracing::debug!("connection closed");
}

async fn write_loop(socket: Arc<tokio::sync::Mutex<Socket>>, mut rx: mpsc::Receiver<Vec<u8>>) {
    while let Some(frame) = rx.recv().await {
        let mut w = socket.lock().await;
        if w.write_all(&frame).await.is_err() {
            return;
        }
        // Coalesce whatever else is ready into the same write.
        while let Ok(frame) = rx.try_recv() {
            if w.write_all(&frame).await.is_err() {
                return;
            }
        }
        if w.flush().await.is_err() {
            return;
        }
    }
    let _ = socket.lock().await.shutdown().await;
}

/// Reads exactly `buf.len()` bytes within the frame timeout.
async fn read_timed<R: AsyncRead + Unpin>(
    r: &mut R,
    buf: &mut [u8],
    shared: &Shared,
) -> std::io::Result<()> {
    match tokio::time::timeout(shared.frame_timeout, r.read_exact(buf)).await {
        Ok(res) => res.map(|_| ()),
        Err(_) => Err(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            "frame not received in time",
        )),
    }
}

async fn read_loop<R: AsyncRead + Unpin>(
    reader: &mut R,
    conn: &Arc<Conn>,
    in_flight: &Arc<Semaphore>,
    own: &mut DurableReply,
    events: &mut Option<JoinHandle<()>>,
    mut stop: watch::Receiver<bool>,
) -> Stop {
    let shared = conn.shared.clone();
    let mut stage = Stage::Established;
    loop {
        // Idle connections may wait forever for their next frame (drivers keep them open).
        let mut header = [0u8; HEADER_LEN];
        tokio::select! {
            _ = stop.changed() => return Stop::Done,
            () = finish_reply(own) => continue,
            first = reader.read_exact(&mut header[..1]) => if first.is_err() { return Stop::Done },
        }
        if header[0] != REQUEST_V4 {
            // Version first, before the rest of the header: older versions have shorter
            // headers, so only the bytes up to the stream id are awaited (briefly).
            let want = if matches!(header[0] & 0x7F, 1 | 2) {
                3
            } else {
                4
            };
            let _ = read_timed(reader, &mut header[1..want], &shared).await;
            if let Err(
                HeaderError::Version { error, .. }
                | HeaderError::Fatal { error, .. }
                | HeaderError::TooBig { error, .. },
            ) = parse_header(&header)
            {
                let stream = stream_of(&header[..want]);
                tracing::debug!(version = header[0], "unsupported protocol version");
                conn.send(encode_frame(
                    stream,
                    Opcode::Error,
                    &response::error_body(&error),
                    false,
                ))
                .await;
            }
            return Stop::Fatal;
        }
        if let Err(e) = read_timed(reader, &mut header[1..], &shared).await {
            tracing::debug!(error = %e, "incomplete frame header");
            return Stop::Done;
        }
        let h = match parse_header(&header) {
            Ok(h) => h,
            Err(HeaderError::Version { stream, error } | HeaderError::Fatal { stream, error }) => {
                conn.send(conn.error_frame(stream, &error)).await;
                return Stop::Fatal;
            }
            Err(HeaderError::TooBig {
                stream,
                length,
                error,
            }) => {
                // Skipped without being kept, then refused; the connection goes on.
                let skipped = tokio::time::timeout(
                    shared.frame_timeout,
                    tokio::io::copy(&mut (&mut *reader).take(length), &mut tokio::io::sink()),
                )
                .await;
                if !matches!(skipped, Ok(Ok(n)) if n == length) {
                    tracing::debug!(length, "incomplete oversized frame");
                    return Stop::Done;
                }
                conn.send(conn.error_frame(stream, &error)).await;
                continue;
            }
        };
        let mut body = Vec::with_capacity(h.length.min(64 * 1024));
        let read = tokio::time::timeout(
            shared.frame_timeout,
            (&mut *reader).take(h.length as u64).read_to_end(&mut body),
        )
        .await;
        if !matches!(read, Ok(Ok(n)) if n == h.length) {
            tracing::debug!(length = h.length, "incomplete frame body");
            return Stop::Done;
        }
        let decoded =
            decompress(&h, body, conn).and_then(|body| request::decode(h.opcode, h.flags, &body));
        let req = match decoded {
            Ok(req) => req,
            Err(err) => {
                // The framing is intact: answer on the stream and keep serving.
                conn.send(conn.error_frame(h.stream, &err)).await;
                continue;
            }
        };
        let stream = h.stream;
        let traced = h.flags & FLAG_TRACING != 0;
        match (stage, req) {
            (_, Request::Options) if stage != Stage::Authenticating => {
                conn.send(conn.frame(stream, Opcode::Supported, &response::supported_body()))
                    .await;
            }
            (Stage::Established, Request::Startup(options)) => match startup(&options) {
                Ok(lz4) => {
                    let frame = if shared.auth.is_some() {
                        stage = Stage::Authenticating;
                        conn.frame(stream, Opcode::Authenticate, &response::authenticate_body())
                    } else {
                        stage = Stage::Ready;
                        conn.frame(stream, Opcode::Ready, &[])
                    };
                    conn.send(frame).await;
                    // Compression applies to the frames after the STARTUP reply.
                    conn.compress.store(lz4, Ordering::Release);
                }
                Err(err) => conn.send(conn.error_frame(stream, &err)).await,
            },
            (Stage::Established, other) => {
                let err = CqlError::protocol(format!(
                    "Unexpected message {}, expecting STARTUP or OPTIONS",
                    other.opcode().name()
                ));
                conn.send(conn.error_frame(stream, &err)).await;
            }
            (Stage::Authenticating, Request::AuthResponse(token)) => {
                match authenticate(&shared, token.as_deref()) {
                    Ok(user) => {
                        if let Ok(mut s) = conn.session.lock() {
                            s.user = Some(user);
                        }
                        stage = Stage::Ready;
                        conn.send(conn.frame(
                            stream,
                            Opcode::AuthSuccess,
                            &response::auth_success_body(),
                        ))
                        .await;
                    }
                    Err(err) => conn.send(conn.error_frame(stream, &err)).await,
                }
            }
            (Stage::Authenticating, other) => {
                let err = CqlError::protocol(format!(
                    "Unexpected message {}, expecting SASL_RESPONSE",
                    other.opcode().name()
                ));
                conn.send(conn.error_frame(stream, &err)).await;
            }
            (Stage::Ready, Request::Startup(_)) => {
                let err = CqlError::protocol(
                    "Unexpected message STARTUP, the connection is already initialized",
                );
                conn.send(conn.error_frame(stream, &err)).await;
            }
            (Stage::Ready, Request::AuthResponse(_)) => {
                let err = CqlError::protocol(
                    "Unexpected message AUTH_RESPONSE, the connection is already authenticated",
                );
                conn.send(conn.error_frame(stream, &err)).await;
            }
            (Stage::Ready, Request::Register(types)) => match register(&types) {
                Ok(schema) => {
                    if schema && events.is_none() {
                        *events = Some(spawn_events(conn));
                    }
                    conn.send(conn.frame(stream, Opcode::Ready, &[])).await;
                }
                Err(err) => conn.send(conn.error_frame(stream, &err)).await,
            },
            (Stage::Ready, req) => {
                // Backpressure: stop reading while too many requests are in flight.
                let permit = loop {
                    tokio::select! {
                        _ = stop.changed() => return Stop::Done,
                        () = finish_reply(own) => continue,
                        p = in_flight.clone().acquire_owned() => match p {
                            Ok(p) => break p,
                            Err(_) => return Stop::Done,
                        },
                    }
                };
                let alone = in_flight.available_permits() + 1 == shared.max_in_flight;
                let kind = match &req {
                    Request::Query { cql, .. } => statement_kind(cql),
                    _ => StatementKind::Data,
                };
                // The session is taken here, in request order, so a request read before a
                // USE never sees the keyspace that USE sets.
                let session = conn.session();
                let conn = conn.clone();
                let span = tracing::Span::current();
                match kind {
                    StatementKind::Data if alone => {
                        // Nothing else in flight: run it here (see the module docs); the
                        // reader's loop sends its reply.
                        let reply = run_data(conn, session, stream, req, traced, permit);
                        *own = Some(Box::pin(reply.instrument(span)));
                    }
                    StatementKind::Data => {
                        // Reads and writes run on this runtime: their work is short, and a
                        // write only commits here; the wait for the disk is a future, so
                        // one fsync covers every connection's writes meanwhile.
                        let task = async move {
                            run_data(conn, session, stream, req, traced, permit).await
                        };
                        tokio::spawn(task.instrument(span));
                    }
                    StatementKind::Schema | StatementKind::Use => {
                        // Schema changes may rewrite many rows (index backfill, truncation)
                        // and wait for the disk: they run on the blocking pool.
                        let job = move || {
                            let _entered = span.enter();
                            let frame = execute(&conn, session, stream, req, traced);
                            // Blocks this pool thread while the writer is behind.
                            let _ = conn.out.blocking_send(frame);
                            drop(permit);
                        };
                        if kind == StatementKind::Use {
                            // USE changes what later requests on this connection see:
                            // finish it before reading anything else.
                            let _ = tokio::task::spawn_blocking(job).await;
                        } else {
                            drop(tokio::task::spawn_blocking(job));
                        }
                    }
                }
            }
        }
    }
}

fn decompress(h: &crate::protocol::FrameHeader, body: Vec<u8>, conn: &Conn) -> CqlResult<Vec<u8>> {
    if h.flags & FLAG_COMPRESSION == 0 {
        return Ok(body);
    }
    if !conn.compress.load(Ordering::Acquire) {
        return Err(CqlError::protocol(
            "Received frame with COMPRESSED flag but compression is not negotiated",
        ));
    }
    lz4_decompress(&body)
}

fn spawn_events(conn: &Arc<Conn>) -> JoinHandle<()> {
    let mut rx = conn.shared.engine.schema_events();
    let conn = conn.clone();
    tokio::spawn(
        async move {
            loop {
                match rx.recv().await {
                    Ok(change) => {
                        let body = response::schema_event_body(&change);
                        if conn
                            .out
                            .send(conn.frame(-1, Opcode::Event, &body))
                            .await
                            .is_err()
                        {
                            return;
                        }
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(missed = n, "schema events lagged");
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                }
            }
        }
        .in_current_span(),
    )
}
