//! The opaque paging state handed to clients between pages.
//!
//! Like Cassandra's `service/pager/PagingState.java` it records where the previous page
//! stopped (the last partition key, and the last clustering inside it unless the
//! partition was finished) and what is left of LIMIT and PER PARTITION LIMIT, so both
//! limits hold across pages. Layout (all integers big-endian):
//!
//! ```text
//! 0xCA 0x01 | flags u8 | [pk: u32 len + bytes] | [clustering: u32 len + bytes] | remaining i64 | remaining_in_partition i64
//! flags: 0x01 pk present, 0x02 clustering present, 0x04 the pk's partition is exhausted
//! ```
//!
//! A state that does not decode is a protocol error, as in Cassandra (`PagingState.deserialize`
//! failing makes `QueryMessage` answer ProtocolException).

use crate::error::{CqlError, CqlResult};

const MAGIC: [u8; 2] = [0xCA, 0x01];
const HAS_PK: u8 = 0x01;
const HAS_CLUSTERING: u8 = 0x02;
const PARTITION_DONE: u8 = 0x04;

/// Where a paged query resumes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PagingState {
    /// The serialized partition key (as the store encodes it) of the last row returned.
    pub partition_key: Option<Vec<u8>>,
    /// The encoded clustering of the last row returned in that partition.
    pub clustering: Option<Vec<u8>>,
    /// True when that partition needs no more rows (continue with the next one).
    pub partition_done: bool,
    /// Rows still allowed by LIMIT.
    pub remaining: i64,
    /// Rows still allowed by PER PARTITION LIMIT in the current partition.
    pub remaining_in_partition: i64,
}

impl PagingState {
    /// Serializes the state.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32);
        out.extend_from_slice(&MAGIC);
        let mut flags = 0;
        if self.partition_key.is_some() {
            flags |= HAS_PK;
        }
        if self.clustering.is_some() {
            flags |= HAS_CLUSTERING;
        }
        if self.partition_done {
            flags |= PARTITION_DONE;
        }
        out.push(flags);
        for part in [&self.partition_key, &self.clustering]
            .into_iter()
            .flatten()
        {
            out.extend_from_slice(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes());
            out.extend_from_slice(part);
        }
        out.extend_from_slice(&self.remaining.to_be_bytes());
        out.extend_from_slice(&self.remaining_in_partition.to_be_bytes());
        out
    }

    /// Parses a state sent back by a client.
    pub fn decode(bytes: &[u8]) -> CqlResult<PagingState> {
        let bad = || CqlError::protocol("Invalid value for the paging state");
        let mut reader = Reader { bytes, pos: 0 };
        if reader.take(2).ok_or_else(bad)? != MAGIC {
            return Err(bad());
        }
        let flags = reader.take(1).ok_or_else(bad)?[0];
        if flags & !(HAS_PK | HAS_CLUSTERING | PARTITION_DONE) != 0
            || (flags & HAS_CLUSTERING != 0 && flags & HAS_PK == 0)
        {
            return Err(bad());
        }
        let partition_key = if flags & HAS_PK != 0 {
            Some(reader.sized().ok_or_else(bad)?)
        } else {
            None
        };
        let clustering = if flags & HAS_CLUSTERING != 0 {
            Some(reader.sized().ok_or_else(bad)?)
        } else {
            None
        };
        let remaining = reader.i64().ok_or_else(bad)?;
        let remaining_in_partition = reader.i64().ok_or_else(bad)?;
        if reader.pos != bytes.len() || remaining <= 0 || remaining_in_partition < 0 {
            return Err(bad());
        }
        Ok(PagingState {
            partition_key,
            clustering,
            partition_done: flags & PARTITION_DONE != 0,
            remaining,
            remaining_in_partition,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }
    fn sized(&mut self) -> Option<Vec<u8>> {
        let len = u32::from_be_bytes(self.take(4)?.try_into().ok()?);
        Some(self.take(usize::try_from(len).ok()?)?.to_vec())
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_be_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn round_trips() {
        let state = PagingState {
            partition_key: Some(vec![0, 0, 0, 1]),
            clustering: Some(vec![0x80, 0, 0, 2]),
            partition_done: false,
            remaining: 7,
            remaining_in_partition: 3,
        };
        assert_eq!(PagingState::decode(&state.encode()), Ok(state));
        let done = PagingState {
            partition_key: Some(vec![]),
            clustering: None,
            partition_done: true,
            remaining: i64::MAX,
            remaining_in_partition: i64::MAX,
        };
        assert_eq!(PagingState::decode(&done.encode()), Ok(done));
    }

    #[test]
    fn garbage_is_a_protocol_error() {
        for bad in [
            &b""[..],
            b"\x00\x01",
            b"\xCA\x01\x08",
            b"\xCA\x01\x01\x00\x00\x00\x09",
        ] {
            let err = PagingState::decode(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::Protocol);
        }
        let truncated = PagingState {
            remaining: 1,
            ..PagingState::default()
        };
        let bytes = truncated.encode();
        assert!(PagingState::decode(&bytes[..bytes.len() - 1]).is_err());
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(PagingState::decode(&extra).is_err());
    }
}
