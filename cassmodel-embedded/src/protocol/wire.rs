//! Bounds-checked readers and plain writers for the notation of spec §3 (`[int]`, `[string]`,
//! `[bytes]`, `[value]`...). Every read checks the remaining length first, so truncated or
//! hostile input gives a ProtocolError, never a panic or a huge allocation.

use crate::error::{CqlError, CqlResult};

/// A cursor over a request body.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { buf }
    }

    /// Bytes not read yet.
    pub(crate) fn remaining(&self) -> usize {
        self.buf.len()
    }

    pub(crate) fn take(&mut self, n: usize, what: &str) -> CqlResult<&'a [u8]> {
        if n > self.buf.len() {
            return Err(CqlError::protocol(format!(
                "Not enough bytes to read {what}: need {n}, have {}",
                self.buf.len()
            )));
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self, what: &str) -> CqlResult<[u8; N]> {
        let bytes = self.take(N, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    pub(crate) fn byte(&mut self) -> CqlResult<u8> {
        Ok(self.array::<1>("a [byte]")?[0])
    }

    pub(crate) fn short(&mut self) -> CqlResult<u16> {
        Ok(u16::from_be_bytes(self.array("a [short]")?))
    }

    pub(crate) fn int(&mut self) -> CqlResult<i32> {
        Ok(i32::from_be_bytes(self.array("an [int]")?))
    }

    pub(crate) fn long(&mut self) -> CqlResult<i64> {
        Ok(i64::from_be_bytes(self.array("a [long]")?))
    }

    fn utf8(bytes: &[u8]) -> CqlResult<String> {
        String::from_utf8(bytes.to_vec())
            .map_err(|_| CqlError::protocol("Cannot decode string as UTF8"))
    }

    /// `[string]`: a [short] n, then n bytes of UTF-8.
    pub(crate) fn string(&mut self) -> CqlResult<String> {
        let n = self.short()? as usize;
        Self::utf8(self.take(n, "a [string]")?)
    }

    /// `[long string]`: an [int] n, then n bytes of UTF-8.
    pub(crate) fn long_string(&mut self) -> CqlResult<String> {
        let n = self.int()?;
        let n = usize::try_from(n)
            .map_err(|_| CqlError::protocol(format!("Invalid [long string] length {n}")))?;
        Self::utf8(self.take(n, "a [long string]")?)
    }

    /// `[bytes]`: an [int] n, then n bytes; n < 0 is null.
    pub(crate) fn bytes(&mut self) -> CqlResult<Option<&'a [u8]>> {
        let n = self.int()?;
        match usize::try_from(n) {
            Ok(n) => Ok(Some(self.take(n, "a [bytes]")?)),
            Err(_) => Ok(None),
        }
    }

    /// `[short bytes]`: a [short] n, then n bytes.
    pub(crate) fn short_bytes(&mut self) -> CqlResult<&'a [u8]> {
        let n = self.short()? as usize;
        self.take(n, "a [short bytes]")
    }

    /// `[value]`: an [int] n; n ≥ 0 bytes follow, -1 is null, -2 is unset, less is an error.
    pub(crate) fn value(&mut self) -> CqlResult<crate::api::BoundValue> {
        use crate::api::BoundValue;
        let n = self.int()?;
        match n {
            -1 => Ok(BoundValue::Null),
            -2 => Ok(BoundValue::Unset),
            n if n < 0 => Err(CqlError::protocol(format!(
                "Invalid value length {n} (must be >= -2)"
            ))),
            n => Ok(BoundValue::Value(
                self.take(n as usize, "a [value]")?.to_vec(),
            )),
        }
    }

    /// `[string list]`.
    pub(crate) fn string_list(&mut self) -> CqlResult<Vec<String>> {
        let n = self.short()?;
        // Each string takes at least 2 bytes: cap the allocation by what can be there.
        let mut out = Vec::with_capacity((n as usize).min(self.remaining() / 2));
        for _ in 0..n {
            out.push(self.string()?);
        }
        Ok(out)
    }

    /// `[string map]`, in wire order.
    pub(crate) fn string_map(&mut self) -> CqlResult<Vec<(String, String)>> {
        let n = self.short()?;
        let mut out = Vec::with_capacity((n as usize).min(self.remaining() / 4));
        for _ in 0..n {
            let k = self.string()?;
            let v = self.string()?;
            out.push((k, v));
        }
        Ok(out)
    }
}

/// Appends a `[short]`.
pub(crate) fn put_short(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// Appends an `[int]`.
pub(crate) fn put_int(out: &mut Vec<u8>, v: i32) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// Appends a `[string]` (truncated to 65535 bytes at a char boundary if longer).
pub(crate) fn put_string(out: &mut Vec<u8>, s: &str) {
    let mut end = s.len().min(u16::MAX as usize);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    put_short(out, end as u16);
    out.extend_from_slice(&s.as_bytes()[..end]);
}

/// Appends a `[short bytes]`.
pub(crate) fn put_short_bytes(out: &mut Vec<u8>, b: &[u8]) {
    let len = b.len().min(u16::MAX as usize);
    put_short(out, len as u16);
    out.extend_from_slice(&b[..len]);
}

/// Appends a `[bytes]`; `None` is null (-1).
pub(crate) fn put_bytes(out: &mut Vec<u8>, b: Option<&[u8]>) {
    match b {
        Some(b) => {
            put_int(out, i32::try_from(b.len()).unwrap_or(i32::MAX));
            out.extend_from_slice(b);
        }
        None => put_int(out, -1),
    }
}
