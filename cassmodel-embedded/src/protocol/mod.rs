//! Native protocol v4 (`doc/native_protocol_v4.spec` in apache/cassandra): frame headers,
//! lz4 body compression, request decoding into [`crate::api`] types and response encoding.
//!
//! Requests are decoded by hand ([`request`]): the `cassandra-protocol` decoders drop the
//! SKIP_METADATA flag and call `Vec::with_capacity(n as usize)` on signed counts read from
//! the wire (a negative count is a capacity-overflow panic), which a server facing arbitrary
//! bytes cannot afford. Responses without rows use the `cassandra-protocol` serializers;
//! ROWS and PREPARED bodies are written by hand ([`response`]) so that cells go straight from
//! the engine's buffers to the wire and no `assert!` in the crate can fire on odd metadata.

pub mod frame;
pub mod request;
pub mod response;
mod wire;

pub use frame::{FrameHeader, HEADER_LEN, MAX_BODY_LEN, Opcode};
pub use request::Request;
