//! Cassandra's variable-length integers (`C*: utils/vint/VIntCoding.java`), used by the
//! `duration` type: the number of leading one bits of the first byte says how many extra
//! bytes follow; signed values are zigzag-encoded.

/// Appends an unsigned vint.
pub fn write_unsigned(out: &mut Vec<u8>, value: u64) {
    let magnitude = (value | 1).leading_zeros() as usize;
    let size = (639 - magnitude * 9) >> 6;
    if size == 1 {
        out.push(value as u8);
        return;
    }
    let extra = size - 1;
    let bytes = value.to_be_bytes();
    let mut enc = bytes[8 - size.min(8)..].to_vec();
    if size == 9 {
        enc.insert(0, 0xFF);
    } else {
        enc[0] |= !(0xFFu8 >> extra);
    }
    out.extend_from_slice(&enc);
}

/// Appends a signed (zigzag) vint.
pub fn write_signed(out: &mut Vec<u8>, value: i64) {
    write_unsigned(out, ((value << 1) ^ (value >> 63)) as u64);
}

/// Reads an unsigned vint; returns it and the bytes used, or `None` if truncated.
pub fn read_unsigned(input: &[u8]) -> Option<(u64, usize)> {
    let first = *input.first()?;
    let extra = first.leading_ones() as usize;
    if input.len() < 1 + extra {
        return None;
    }
    let mut value = if extra >= 8 {
        0
    } else {
        u64::from(first & (0xFFu8 >> extra))
    };
    for &b in &input[1..=extra] {
        value = (value << 8) | u64::from(b);
    }
    Some((value, 1 + extra))
}

/// Reads a signed (zigzag) vint.
pub fn read_signed(input: &[u8]) -> Option<(i64, usize)> {
    let (v, n) = read_unsigned(input)?;
    Some((((v >> 1) as i64) ^ -((v & 1) as i64), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for v in [
            0i64,
            1,
            -1,
            63,
            64,
            -65,
            1 << 20,
            i64::MAX,
            i64::MIN,
            86_400_000_000_000,
        ] {
            let mut out = Vec::new();
            write_signed(&mut out, v);
            assert_eq!(read_signed(&out), Some((v, out.len())), "{v}");
        }
        let mut out = Vec::new();
        write_unsigned(&mut out, 127);
        assert_eq!(out, vec![127]);
        out.clear();
        write_unsigned(&mut out, 128);
        assert_eq!(out, vec![0x80, 0x80]);
    }
}
