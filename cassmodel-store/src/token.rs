//! Murmur3 partitioner tokens, exactly as Cassandra computes them
//! (`C*: src/java/org/apache/cassandra/utils/MurmurHash.java` `hash3_x64_128`,
//! `dht/Murmur3Partitioner.java` `getToken`/`normalize`).

const C1: u64 = 0x87c3_7b91_1142_53d5;
const C2: u64 = 0x4cf5_ad43_2745_937f;

fn fmix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

fn block(bytes: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(b)
}

/// Cassandra's `MurmurHash.hash3_x64_128(key, 0, len, 0)[0]`, tail-byte quirk included:
/// each tail byte is a signed Java byte, sign-extended to 64 bits before it is shifted.
pub fn murmur3_h1(key: &[u8]) -> i64 {
    let len = key.len();
    let mut h1: u64 = 0;
    let mut h2: u64 = 0;
    let nblocks = len / 16;
    for i in 0..nblocks {
        let mut k1 = block(&key[i * 16..]);
        let mut k2 = block(&key[i * 16 + 8..]);
        k1 = k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 ^= k1;
        h1 = h1
            .rotate_left(27)
            .wrapping_add(h2)
            .wrapping_mul(5)
            .wrapping_add(0x52dc_e729);
        k2 = k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 ^= k2;
        h2 = h2
            .rotate_left(31)
            .wrapping_add(h1)
            .wrapping_mul(5)
            .wrapping_add(0x3849_5ab5);
    }
    let tail = &key[nblocks * 16..];
    // Java: `((long) key.get(offset + i)) << n`: the byte is signed.
    let t = |i: usize| -> u64 { i64::from(tail[i] as i8) as u64 };
    let mut k1: u64 = 0;
    let mut k2: u64 = 0;
    let rem = tail.len();
    if rem >= 9 {
        for i in (8..rem).rev() {
            k2 ^= t(i) << ((i - 8) * 8);
        }
        k2 = k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 ^= k2;
    }
    if rem >= 1 {
        for i in (0..rem.min(8)).rev() {
            k1 ^= t(i) << (i * 8);
        }
        k1 = k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 ^= k1;
    }
    h1 ^= len as u64;
    h2 ^= len as u64;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 = h1.wrapping_add(h2);
    h1 as i64
}

/// The Murmur3Partitioner token of a serialized partition key (a single column's value, or
/// the CompositeType encoding of a multi-column key). `i64::MIN` is normalized to
/// `i64::MAX`, as Cassandra does (`Murmur3Partitioner.normalize`); the empty key is the
/// minimum token `i64::MIN`.
pub fn murmur3_token(key: &[u8]) -> i64 {
    if key.is_empty() {
        return i64::MIN;
    }
    match murmur3_h1(key) {
        i64::MIN => i64::MAX,
        t => t,
    }
}

/// The token as 8 bytes whose unsigned order is the signed order of the token
/// (big-endian with the sign bit flipped).
pub fn token_bytes(token: i64) -> [u8; 8] {
    ((token as u64) ^ (1 << 63)).to_be_bytes()
}

/// Inverse of [`token_bytes`].
pub fn token_from_bytes(bytes: [u8; 8]) -> i64 {
    (u64::from_be_bytes(bytes) ^ (1 << 63)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    // Vectors from EMBEDDED.md §6.4 (scylla routing/partitioner.rs, cassandra-protocol token.rs,
    // re-checked with the Python driver's murmur3).
    #[test]
    fn text_vectors() {
        let cases: &[(&str, i64)] = &[
            ("test", -6017608668500074083),
            ("xd", 4507812186440344727),
            ("primary_key", -1632642444691073360),
            ("kremówki", 4354931215268080151),
            ("testvalue", 5965290492934326460),
            ("château", 9114062196463836094),
            ("a", -8839064797231613815),
            ("abcdefghijklmnopq", 8459014091212432983),
        ];
        for (s, t) in cases {
            assert_eq!(murmur3_token(s.as_bytes()), *t, "token of {s:?}");
        }
    }

    #[test]
    fn int_vectors() {
        let cases: &[(i32, i64)] = &[
            (0, -3485513579396041028),
            (1, -4069959284402364209),
            (2, -3248873570005575792),
            (3, 9010454139840013625),
            (42, -7160136740246525330),
            (-1, 7297452126230313552),
        ];
        for (v, t) in cases {
            assert_eq!(murmur3_token(&v.to_be_bytes()), *t, "token of int {v}");
        }
    }

    #[test]
    fn bigint_vectors() {
        assert_eq!(murmur3_token(&0i64.to_be_bytes()), 2945182322382062539);
        assert_eq!(murmur3_token(&1i64.to_be_bytes()), 6292367497774912474);
    }

    #[test]
    fn composite_vector() {
        let key = [0, 1, b'a', 0, 0, 4, 0, 0, 0, 1, 0];
        assert_eq!(murmur3_token(&key), 8247712171917364652);
    }

    #[test]
    fn empty_key_is_minimum() {
        assert_eq!(murmur3_token(&[]), i64::MIN);
    }

    #[test]
    fn token_bytes_order() {
        let toks = [i64::MIN, -5, -1, 0, 1, 7, i64::MAX];
        for w in toks.windows(2) {
            assert!(token_bytes(w[0]) < token_bytes(w[1]));
        }
        for t in toks {
            assert_eq!(token_from_bytes(token_bytes(t)), t);
        }
    }
}
