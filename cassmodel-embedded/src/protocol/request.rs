//! Request bodies (spec §4.1) decoded into [`crate::api`] types. Hand-written: see the
//! module documentation of [`crate::protocol`] for why the crate's decoders are not used.

use crate::api::{
    BatchKind, BatchRequest, BatchStatement, BoundValue, BoundValues, Consistency, QueryParams,
};
use crate::error::{CqlError, CqlResult};
use crate::protocol::frame::{FLAG_CUSTOM_PAYLOAD, Opcode};
use crate::protocol::wire::Reader;

/// A decoded request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// STARTUP with its options, keys upper-cased as Cassandra does.
    Startup(Vec<(String, String)>),
    /// OPTIONS.
    Options,
    /// QUERY.
    Query {
        /// CQL text.
        cql: String,
        /// Parameters.
        params: QueryParams,
    },
    /// PREPARE.
    Prepare {
        /// CQL text.
        cql: String,
    },
    /// EXECUTE.
    Execute {
        /// Prepared statement id.
        id: Vec<u8>,
        /// Parameters.
        params: QueryParams,
    },
    /// BATCH.
    Batch(BatchRequest),
    /// REGISTER with the event type names.
    Register(Vec<String>),
    /// AUTH_RESPONSE with its SASL token.
    AuthResponse(Option<Vec<u8>>),
}

impl Request {
    /// The opcode this request came with.
    pub fn opcode(&self) -> Opcode {
        match self {
            Request::Startup(_) => Opcode::Startup,
            Request::Options => Opcode::Options,
            Request::Query { .. } => Opcode::Query,
            Request::Prepare { .. } => Opcode::Prepare,
            Request::Execute { .. } => Opcode::Execute,
            Request::Batch(_) => Opcode::Batch,
            Request::Register(_) => Opcode::Register,
            Request::AuthResponse(_) => Opcode::AuthResponse,
        }
    }
}

/// Decodes a (decompressed) request body. `flags` are the header flags: a custom payload
/// (0x04) is skipped; tracing (0x02) is the connection's to handle.
pub fn decode(opcode: u8, flags: u8, body: &[u8]) -> CqlResult<Request> {
    let op = Opcode::from_byte(opcode)
        .ok_or_else(|| CqlError::protocol(format!("Unknown opcode {opcode}")))?;
    let mut r = Reader::new(body);
    if flags & FLAG_CUSTOM_PAYLOAD != 0 {
        skip_bytes_map(&mut r)?;
    }
    Ok(match op {
        Opcode::Startup => Request::Startup(
            r.string_map()?
                .into_iter()
                .map(|(k, v)| (k.to_uppercase(), v))
                .collect(),
        ),
        Opcode::Options => Request::Options,
        Opcode::Query => {
            let cql = r.long_string()?;
            let params = query_params(&mut r)?;
            Request::Query { cql, params }
        }
        Opcode::Prepare => Request::Prepare {
            cql: r.long_string()?,
        },
        Opcode::Execute => {
            let id = r.short_bytes()?.to_vec();
            let params = query_params(&mut r)?;
            Request::Execute { id, params }
        }
        Opcode::Batch => Request::Batch(batch(&mut r)?),
        Opcode::Register => Request::Register(r.string_list()?),
        Opcode::AuthResponse => Request::AuthResponse(r.bytes()?.map(<[u8]>::to_vec)),
        other => {
            return Err(CqlError::protocol(format!(
                "Unexpected message {}: it is a response, not a request",
                other.name()
            )));
        }
    })
}

/// `[bytes map]`: a [short] n, then n pairs of [string] and [bytes].
fn skip_bytes_map(r: &mut Reader<'_>) -> CqlResult<()> {
    let n = r.short()?;
    for _ in 0..n {
        r.string()?;
        r.bytes()?;
    }
    Ok(())
}

fn read_consistency(r: &mut Reader<'_>) -> CqlResult<Consistency> {
    let code = r.short()?;
    Consistency::from_code(code)
        .ok_or_else(|| CqlError::protocol(format!("Unknown code {code} for a consistency level")))
}

const VALUES: u8 = 0x01;
const SKIP_METADATA: u8 = 0x02;
const PAGE_SIZE: u8 = 0x04;
const PAGING_STATE: u8 = 0x08;
const SERIAL_CONSISTENCY: u8 = 0x10;
const DEFAULT_TIMESTAMP: u8 = 0x20;
const NAMES_FOR_VALUES: u8 = 0x40;

/// `<query_parameters>` (spec §4.1.4), including the SKIP_METADATA flag.
pub(crate) fn query_params(r: &mut Reader<'_>) -> CqlResult<QueryParams> {
    let consistency = read_consistency(r)?;
    let flags = r.byte()?;
    let values = if flags & VALUES != 0 {
        let n = r.short()?;
        // A value takes at least 4 bytes: never reserve more than the body can hold.
        let cap = (n as usize).min(r.remaining() / 4);
        if flags & NAMES_FOR_VALUES != 0 {
            let mut named = Vec::with_capacity(cap);
            for _ in 0..n {
                let name = r.string()?;
                named.push((name, r.value()?));
            }
            BoundValues::Named(named)
        } else {
            let mut positional = Vec::with_capacity(cap);
            for _ in 0..n {
                positional.push(r.value()?);
            }
            BoundValues::Positional(positional)
        }
    } else {
        BoundValues::None
    };
    let page_size = if flags & PAGE_SIZE != 0 {
        Some(r.int()?)
    } else {
        None
    };
    let paging_state = if flags & PAGING_STATE != 0 {
        r.bytes()?.map(<[u8]>::to_vec)
    } else {
        None
    };
    let serial_consistency = if flags & SERIAL_CONSISTENCY != 0 {
        Some(read_consistency(r)?)
    } else {
        None
    };
    let timestamp = if flags & DEFAULT_TIMESTAMP != 0 {
        let ts = r.long()?;
        if ts == i64::MIN {
            // QueryOptions.Codec.decode: Long.MIN_VALUE is reserved.
            return Err(CqlError::protocol(format!(
                "Out of bound timestamp, must be in [{}, {}] (got {ts})",
                i64::MIN + 1,
                i64::MAX
            )));
        }
        Some(ts)
    } else {
        None
    };
    Ok(QueryParams {
        consistency,
        values,
        skip_metadata: flags & SKIP_METADATA != 0,
        page_size,
        paging_state,
        serial_consistency,
        timestamp,
    })
}

/// BATCH (spec §4.1.7): values are always positional (Cassandra's `BatchMessage` codec reads
/// them with `readValueList`), then the query options tail gives consistency, serial
/// consistency and the default timestamp.
fn batch(r: &mut Reader<'_>) -> CqlResult<BatchRequest> {
    let kind = match r.byte()? {
        0 => BatchKind::Logged,
        1 => BatchKind::Unlogged,
        2 => BatchKind::Counter,
        b => {
            return Err(CqlError::protocol(format!(
                "Invalid BATCH message type {b}"
            )));
        }
    };
    let n = r.short()?;
    let mut statements = Vec::with_capacity((n as usize).min(r.remaining() / 3));
    for _ in 0..n {
        let which = r.byte()?;
        let stmt_kind = match which {
            0 => Some(r.long_string()?),
            1 => None,
            k => {
                return Err(CqlError::protocol(format!(
                    "Invalid query kind in BATCH messages. Must be 0 or 1 but got {k}"
                )));
            }
        };
        let id = if stmt_kind.is_none() {
            r.short_bytes()?.to_vec()
        } else {
            Vec::new()
        };
        let count = r.short()?;
        let mut values: Vec<BoundValue> =
            Vec::with_capacity((count as usize).min(r.remaining() / 4));
        for _ in 0..count {
            values.push(r.value()?);
        }
        let values = if values.is_empty() {
            BoundValues::None
        } else {
            BoundValues::Positional(values)
        };
        statements.push(match stmt_kind {
            Some(cql) => BatchStatement::Query { cql, values },
            None => BatchStatement::Prepared { id, values },
        });
    }
    let options = query_params(r)?;
    Ok(BatchRequest {
        kind,
        statements,
        consistency: options.consistency,
        serial_consistency: options.serial_consistency,
        timestamp: options.timestamp,
    })
}

/// The username and password of a SASL PLAIN token `[authzid] \0 user \0 password`, parsed
/// from the end as Cassandra's `PlainTextSaslAuthenticator.decodeCredentials` does.
pub fn sasl_plain(token: &[u8]) -> CqlResult<(String, String)> {
    let mut parts = token.rsplitn(3, |b| *b == 0);
    let password = parts.next().unwrap_or_default();
    let user = parts.next().unwrap_or_default();
    if password.is_empty() {
        return Err(CqlError::bad_credentials("Password must not be null"));
    }
    if user.is_empty() {
        return Err(CqlError::bad_credentials(
            "Authentication ID must not be null",
        ));
    }
    Ok((
        String::from_utf8_lossy(user).into_owned(),
        String::from_utf8_lossy(password).into_owned(),
    ))
}
