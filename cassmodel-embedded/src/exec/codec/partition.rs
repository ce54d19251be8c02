//! Partition keys: a single column's serialized value, or for composite keys the
//! CompositeType encoding `u16 len | bytes | 0x00` per component
//! (`C*: db/marshal/CompositeType.java`), which is also what Murmur3 hashes.

use crate::error::{CqlError, CqlResult};

/// Serializes the partition key from its components' serialized values.
pub fn encode(components: &[&[u8]]) -> CqlResult<Vec<u8>> {
    if let [single] = components {
        return Ok(single.to_vec());
    }
    let mut out = Vec::new();
    for c in components {
        let len = u16::try_from(c.len()).map_err(|_| {
            CqlError::invalid(format!(
                "Key length of {} is longer than maximum of 65535",
                c.len()
            ))
        })?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(c);
        out.push(0);
    }
    Ok(out)
}

/// Cassandra's limit on a serialized partition key and on each clustering value
/// (`FBUtilities.MAX_UNSIGNED_SHORT`), the store's own per-component limit.
pub use cassmodel_store::keys::MAX_KEY_LEN;

/// Refuses a serialized partition key longer than [`MAX_KEY_LEN`], as
/// `C*: cql3/QueryProcessor.java` `validateKey` does for writes
/// (`ModificationStatement.buildPartitionKeyNames`) and reads
/// (`SelectStatement.getSliceCommands`).
pub fn check_len(key: &[u8]) -> CqlResult<()> {
    if key.len() > MAX_KEY_LEN {
        return Err(CqlError::invalid(format!(
            "Key length of {} is longer than maximum of {MAX_KEY_LEN}",
            key.len()
        )));
    }
    Ok(())
}

/// Refuses a clustering with a value longer than [`MAX_KEY_LEN`]; the message gives the
/// clustering's total size (`C*: cql3/statements/ModificationStatement.java`
/// `validateClustering`, which prints `clustering.dataSize()`).
pub fn check_clustering_len(values: &[&[u8]]) -> CqlResult<()> {
    if values.iter().any(|v| v.len() > MAX_KEY_LEN) {
        let size: usize = values.iter().map(|v| v.len()).sum();
        return Err(CqlError::invalid(format!(
            "Key length of {size} is longer than maximum of {MAX_KEY_LEN}"
        )));
    }
    Ok(())
}

/// Splits a serialized partition key back into `count` components.
pub fn decode(key: &[u8], count: usize) -> CqlResult<Vec<Vec<u8>>> {
    if count == 1 {
        return Ok(vec![key.to_vec()]);
    }
    let bad = || CqlError::server("corrupt composite partition key");
    let mut out = Vec::with_capacity(count);
    let mut pos = 0;
    for _ in 0..count {
        let len_bytes = key.get(pos..pos + 2).ok_or_else(bad)?;
        let len = usize::from(u16::from_be_bytes([len_bytes[0], len_bytes[1]]));
        let value = key.get(pos + 2..pos + 2 + len).ok_or_else(bad)?;
        out.push(value.to_vec());
        pos += 3 + len;
    }
    if pos != key.len() {
        return Err(bad());
    }
    Ok(out)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    #[test]
    fn composite_round_trip_matches_cassandra_layout() {
        let key = encode(&[b"a", &[0, 0, 0, 1]]).unwrap();
        assert_eq!(key, [0, 1, 0x61, 0, 0, 4, 0, 0, 0, 1, 0]);
        assert_eq!(
            decode(&key, 2).unwrap(),
            vec![b"a".to_vec(), vec![0, 0, 0, 1]]
        );
        assert_eq!(encode(&[b"xy"]).unwrap(), b"xy");
    }
}
