//! Frame headers (spec §2) and lz4 body compression (spec §5), written by hand: the header
//! must be checked byte by byte before anything else (version first, then the frame length
//! against [`MAX_FRAME_LEN`]), which `cassandra-protocol`'s `Envelope::from_buffer` does not do.

use crate::error::{CqlError, CqlResult};

/// Length of a v3/v4 frame header.
pub const HEADER_LEN: usize = 9;
/// Largest frame (header and body) accepted: Cassandra 4.1's default
/// `native_transport_max_frame_size` (16 MiB, `conf/cassandra.yaml`). A larger request is
/// skipped and refused without closing the connection (`transport/Envelope.java`,
/// `Decoder.fail`).
pub const MAX_FRAME_LEN: usize = 16 * 1024 * 1024;
/// Largest body a compressed frame may announce once decompressed.
pub const MAX_BODY_LEN: usize = 256 * 1024 * 1024;
/// Request direction, protocol v4.
pub const REQUEST_V4: u8 = 0x04;
/// Response direction, protocol v4.
pub const RESPONSE_V4: u8 = 0x84;

/// Header flag 0x01: the body is compressed.
pub const FLAG_COMPRESSION: u8 = 0x01;
/// Header flag 0x02: tracing requested; on a reply, the body starts with the session id.
pub const FLAG_TRACING: u8 = 0x02;
/// Header flag 0x04: the body starts with a custom payload `[bytes map]`.
pub const FLAG_CUSTOM_PAYLOAD: u8 = 0x04;
/// Header flag 0x08: the body holds warnings (after the tracing id, if any).
pub const FLAG_WARNING: u8 = 0x08;

/// The opcodes of spec §2.4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Opcode {
    /// ERROR
    Error = 0x00,
    /// STARTUP
    Startup = 0x01,
    /// READY
    Ready = 0x02,
    /// AUTHENTICATE
    Authenticate = 0x03,
    /// OPTIONS
    Options = 0x05,
    /// SUPPORTED
    Supported = 0x06,
    /// QUERY
    Query = 0x07,
    /// RESULT
    Result = 0x08,
    /// PREPARE
    Prepare = 0x09,
    /// EXECUTE
    Execute = 0x0A,
    /// REGISTER
    Register = 0x0B,
    /// EVENT
    Event = 0x0C,
    /// BATCH
    Batch = 0x0D,
    /// AUTH_CHALLENGE
    AuthChallenge = 0x0E,
    /// AUTH_RESPONSE
    AuthResponse = 0x0F,
    /// AUTH_SUCCESS
    AuthSuccess = 0x10,
}

impl Opcode {
    /// Decodes an opcode byte.
    pub fn from_byte(b: u8) -> Option<Opcode> {
        use Opcode::*;
        Some(match b {
            0x00 => Error,
            0x01 => Startup,
            0x02 => Ready,
            0x03 => Authenticate,
            0x05 => Options,
            0x06 => Supported,
            0x07 => Query,
            0x08 => Result,
            0x09 => Prepare,
            0x0A => Execute,
            0x0B => Register,
            0x0C => Event,
            0x0D => Batch,
            0x0E => AuthChallenge,
            0x0F => AuthResponse,
            0x10 => AuthSuccess,
            _ => return None,
        })
    }

    /// The name Cassandra uses in messages (`Message.Type`).
    pub fn name(self) -> &'static str {
        use Opcode::*;
        match self {
            Error => "ERROR",
            Startup => "STARTUP",
            Ready => "READY",
            Authenticate => "AUTHENTICATE",
            Options => "OPTIONS",
            Supported => "SUPPORTED",
            Query => "QUERY",
            Result => "RESULT",
            Prepare => "PREPARE",
            Execute => "EXECUTE",
            Register => "REGISTER",
            Event => "EVENT",
            Batch => "BATCH",
            AuthChallenge => "AUTH_CHALLENGE",
            AuthResponse => "AUTH_RESPONSE",
            AuthSuccess => "AUTH_SUCCESS",
        }
    }
}

/// A decoded request header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// Header flags.
    pub flags: u8,
    /// Stream id; replies reuse it.
    pub stream: i16,
    /// The raw opcode byte (may be unknown).
    pub opcode: u8,
    /// Body length, already checked against [`MAX_FRAME_LEN`].
    pub length: usize,
}

/// Why a header was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// Byte 0 is not a v4 request: reply with this error on `stream` and close.
    Version {
        /// The stream id as the sender's version lays it out.
        stream: i16,
        /// The error to send.
        error: CqlError,
    },
    /// The frame is larger than [`MAX_FRAME_LEN`]: skip its `length` body bytes, then
    /// reply with this error on `stream` and go on serving the connection.
    TooBig {
        /// The request's stream id.
        stream: i16,
        /// The body length to skip.
        length: u64,
        /// The error to send.
        error: CqlError,
    },
    /// Anything else: reply with this error on `stream` and close.
    Fatal {
        /// The request's stream id.
        stream: i16,
        /// The error to send.
        error: CqlError,
    },
}

/// The stream id of a header of any version: one byte before v3, two bytes from v3 on.
pub fn stream_of(header: &[u8]) -> i16 {
    let version = header.first().copied().unwrap_or(0) & 0x7F;
    match (version, header.get(2), header.get(3)) {
        (1 | 2, Some(&s), _) => i16::from(s as i8),
        (_, Some(&a), Some(&b)) => i16::from_be_bytes([a, b]),
        _ => 0,
    }
}

/// Parses and checks a 9-byte request header: version byte first (only 0x04 is accepted,
/// as `ProtocolVersion.decode` refuses anything else with its message), then the length.
pub fn parse_header(h: &[u8; HEADER_LEN]) -> Result<FrameHeader, HeaderError> {
    let stream = stream_of(h);
    if h[0] != REQUEST_V4 {
        // Responses (0x80 set) and every other version get Cassandra's message; the Python
        // driver steps down only when it contains "unsupported protocol version".
        let version = h[0] & 0x7F;
        let message = format!(
            "Invalid or unsupported protocol version ({version}); supported versions are (3/v3, 4/v4)"
        );
        return Err(HeaderError::Version {
            stream,
            error: CqlError::protocol(message),
        });
    }
    // The length is read unsigned (`buffer.getUnsignedInt`), header included in the limit.
    let length = u32::from_be_bytes([h[5], h[6], h[7], h[8]]);
    let total = u64::from(length) + HEADER_LEN as u64;
    if total > MAX_FRAME_LEN as u64 {
        return Err(HeaderError::TooBig {
            stream,
            length: u64::from(length),
            error: CqlError::invalid(format!(
                "Request is too big: length {total} exceeds maximum allowed length {MAX_FRAME_LEN}."
            )),
        });
    }
    let length = length as usize;
    Ok(FrameHeader {
        flags: h[1],
        stream,
        opcode: h[4],
        length,
    })
}

/// Builds a complete v4 response frame; the body is lz4-compressed when `compress` is set.
pub fn encode_frame(stream: i16, opcode: Opcode, body: &[u8], compress: bool) -> Vec<u8> {
    encode_response(stream, opcode, None, &[], body, compress)
}

/// [`encode_frame`] with the optional parts of a reply (spec §2.2): with a tracing
/// session id the TRACING flag is set and the body starts with the id; with warnings the
/// WARNING flag is set and a `[string list]` follows. `C*: transport/Message.java` writes
/// the id, then the warnings, then the message, all inside the compressed part.
pub fn encode_response(
    stream: i16,
    opcode: Opcode,
    tracing_id: Option<[u8; 16]>,
    warnings: &[String],
    body: &[u8],
    compress: bool,
) -> Vec<u8> {
    let mut flags = 0;
    let body = if tracing_id.is_none() && warnings.is_empty() {
        std::borrow::Cow::Borrowed(body)
    } else {
        let mut full = Vec::with_capacity(16 + body.len());
        if let Some(id) = tracing_id {
            flags |= FLAG_TRACING;
            full.extend_from_slice(&id);
        }
        if !warnings.is_empty() {
            flags |= FLAG_WARNING;
            let n = u16::try_from(warnings.len()).unwrap_or(u16::MAX);
            full.extend_from_slice(&n.to_be_bytes());
            for w in warnings.iter().take(usize::from(n)) {
                // A [string] is at most u16::MAX bytes: cut longer text on a char boundary.
                let mut cut = w.len().min(usize::from(u16::MAX));
                while !w.is_char_boundary(cut) {
                    cut -= 1;
                }
                let len = u16::try_from(cut).unwrap_or(u16::MAX);
                full.extend_from_slice(&len.to_be_bytes());
                full.extend_from_slice(&w.as_bytes()[..cut]);
            }
        }
        full.extend_from_slice(body);
        std::borrow::Cow::Owned(full)
    };
    let body = if compress {
        flags |= FLAG_COMPRESSION;
        std::borrow::Cow::Owned(lz4_compress(&body))
    } else {
        body
    };
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.push(RESPONSE_V4);
    out.push(flags);
    out.extend_from_slice(&stream.to_be_bytes());
    out.push(opcode as u8);
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(&body);
    out
}

/// v4 lz4 body: the uncompressed length as a big-endian u32, then one LZ4 block.
pub fn lz4_compress(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + lz4_flex::block::get_maximum_output_size(body.len()));
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(&lz4_flex::block::compress(body));
    out
}

/// Inverse of [`lz4_compress`]; the announced length is capped at [`MAX_BODY_LEN`].
pub fn lz4_decompress(body: &[u8]) -> CqlResult<Vec<u8>> {
    let Some((len, block)) = body.split_first_chunk::<4>() else {
        return Err(CqlError::protocol(
            "Compressed body is shorter than its 4-byte length",
        ));
    };
    let len = u32::from_be_bytes(*len) as usize;
    // LZ4 cannot expand by more than ~255x: a larger claim is a lie, and believing it would
    // allocate up to 256 MB for a few bytes of input.
    if len > block.len().saturating_mul(255).saturating_add(16) {
        return Err(CqlError::protocol(format!(
            "Compressed body of {} bytes cannot decompress to the announced {len} bytes",
            block.len()
        )));
    }
    if len > MAX_BODY_LEN {
        return Err(CqlError::protocol(format!(
            "Decompressed body length {len} exceeds the maximum of {MAX_BODY_LEN}"
        )));
    }
    let out = lz4_flex::block::decompress(block, len)
        .map_err(|e| CqlError::protocol(format!("Cannot decompress lz4 body: {e}")))?;
    if out.len() != len {
        return Err(CqlError::protocol(format!(
            "Decompressed body is {} bytes, its header announced {len}",
            out.len()
        )));
    }
    Ok(out)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn header(bytes: [u8; 9]) -> Result<FrameHeader, HeaderError> {
        parse_header(&bytes)
    }

    #[test]
    fn v4_header_parses() {
        let h = header([4, 0, 0x01, 0x02, 5, 0, 0, 0, 3]).unwrap();
        assert_eq!(h.stream, 0x0102);
        assert_eq!(h.opcode, 5);
        assert_eq!(h.length, 3);
    }

    #[test]
    fn other_versions_are_refused_with_their_stream() {
        for v in [3u8, 5, 66, 65] {
            match header([v, 0, 0, 7, 5, 0, 0, 0, 0]) {
                Err(HeaderError::Version { stream, error }) => {
                    assert_eq!(stream, 7);
                    assert_eq!(error.code, ErrorCode::Protocol);
                    assert!(
                        error
                            .message
                            .contains(&format!("unsupported protocol version ({v})"))
                    );
                }
                other => panic!("{other:?}"),
            }
        }
        // v1/v2 have a one-byte stream id.
        assert_eq!(stream_of(&[2, 0, 9, 5]), 9);
    }

    #[test]
    fn frames_over_16_mib_are_too_big_to_read() {
        // The length is unsigned: 0xFFFFFFFF is 4 GiB, not -1.
        match header([4, 0, 0, 1, 7, 0xFF, 0xFF, 0xFF, 0xFF]) {
            Err(HeaderError::TooBig {
                stream,
                length,
                error,
            }) => {
                assert_eq!((stream, length), (1, 0xFFFF_FFFF));
                assert_eq!(
                    error.message,
                    "Request is too big: length 4294967304 exceeds maximum allowed length 16777216."
                );
            }
            other => panic!("{other:?}"),
        }
        // Header included: a body of 16 MiB - 9 bytes fits, one more byte does not.
        let fits = (MAX_FRAME_LEN - HEADER_LEN) as u32;
        let mut h = [4, 0, 0, 1, 7, 0, 0, 0, 0];
        h[5..].copy_from_slice(&fits.to_be_bytes());
        assert!(header(h).is_ok());
        h[5..].copy_from_slice(&(fits + 1).to_be_bytes());
        assert!(matches!(header(h), Err(HeaderError::TooBig { .. })));
    }

    #[test]
    fn lz4_round_trip_and_bad_input() {
        let body: Vec<u8> = (0..5000u32).map(|i| (i % 7) as u8).collect();
        let c = lz4_compress(&body);
        assert_eq!(&c[..4], &5000u32.to_be_bytes());
        assert_eq!(lz4_decompress(&c).unwrap(), body);
        assert!(lz4_decompress(&[0, 0]).is_err());
        assert!(lz4_decompress(&[0xFF, 0xFF, 0xFF, 0xFF, 0]).is_err());
        // 256 MB announced for a 2-byte block.
        assert!(lz4_decompress(&[0x10, 0, 0, 0, 0xF0, 0]).is_err());
        // Highly compressible input still round-trips under the ratio check.
        let zeros = vec![0u8; 1 << 20];
        assert_eq!(lz4_decompress(&lz4_compress(&zeros)).unwrap(), zeros);
        let mut lying = c.clone();
        lying[3] = lying[3].wrapping_add(1);
        assert!(lz4_decompress(&lying).is_err());
    }

    #[test]
    fn response_frame_layout() {
        let f = encode_frame(-1, Opcode::Event, b"abc", false);
        assert_eq!(
            f,
            vec![0x84, 0, 0xFF, 0xFF, 0x0C, 0, 0, 0, 3, b'a', b'b', b'c']
        );
        let f = encode_frame(3, Opcode::Result, b"abcabcabc", true);
        assert_eq!(f[1], FLAG_COMPRESSION);
        assert_eq!(lz4_decompress(&f[9..]).unwrap(), b"abcabcabc");
    }
}
