//! The CQL lexer: turns source text into a flat vector of [`Token`]s.
//!
//! Tokens are spans into the source (no allocation per token); the parser slices and, for
//! quoted strings and names, unescapes them only when it builds AST values. Keywords are not
//! token kinds: they lex as [`Tok::Ident`] and the parser compares them case-insensitively,
//! which is how unreserved keywords stay usable as identifiers. Token rules follow Cassandra's
//! `src/antlr/Lexer.g` (cassandra-4.1): `INTEGER` carries its `-` sign, `FLOAT`, `DURATION`,
//! `UUID`, `HEXNUMBER`, `BOOLEAN`, `STRING_LITERAL` (`'...'` and `$$...$$`), `QUOTED_NAME`.

use crate::error::ParseError;

/// Kinds of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// Unquoted identifier or keyword.
    Ident,
    /// `"quoted name"` (span includes the quotes).
    QuotedName,
    /// `'string'` or `$$string$$` (span includes the delimiters).
    Str,
    /// `-?[0-9]+`
    Integer,
    /// Floating-point number.
    Float,
    /// `true` / `false`.
    Boolean,
    /// Unquoted UUID.
    Uuid,
    /// `0x...`
    Hex,
    /// Duration literal.
    Duration,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Semi,
    Dot,
    Range,
    Star,
    Eq,
    Lt,
    Lte,
    Gt,
    Gte,
    Neq,
    Plus,
    Minus,
    Slash,
    Percent,
    PlusEq,
    MinusEq,
    QMark,
    Colon,
    /// End of input (always the last token).
    Eof,
}

/// A token: kind plus byte span in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// Kind.
    pub kind: Tok,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
}

/// 1-based line and 0-based character column of a byte offset (computed only for errors).
pub(crate) fn line_col(src: &str, offset: usize) -> (u32, i32) {
    let mut line = 1u32;
    let mut col = 0i32;
    for (i, c) in src.char_indices() {
        if i >= offset {
            break;
        }
        if c == '\n' {
            line = line.saturating_add(1);
            col = 0;
        } else {
            col = col.saturating_add(1);
        }
    }
    (line, col)
}

/// Lexes the whole input. The result always ends with a [`Tok::Eof`] token.
pub(crate) fn lex(src: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer {
        src,
        bytes: src.as_bytes(),
        pos: 0,
    };
    let mut tokens = Vec::with_capacity(src.len() / 4 + 2);
    loop {
        let tok = lexer.next_token()?;
        let eof = tok.kind == Tok::Eof;
        tokens.push(tok);
        if eof {
            return Ok(tokens);
        }
    }
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

fn count_digits(b: &[u8], from: usize) -> usize {
    b.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|c| c.is_ascii_digit()).count()
    })
}

impl Lexer<'_> {
    fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    fn error(&self, offset: usize, what: &str) -> ParseError {
        let (line, column) = line_col(self.src, offset);
        ParseError {
            message: format!("line {line}:{column} {what}"),
            line,
            column,
        }
    }

    /// ANTLR's lexer error for input that ends inside a token (string, name, comment).
    fn eof_error(&self, expected: &str) -> ParseError {
        let what = format!("mismatched character '<EOF>' expecting {expected}");
        self.error(self.src.len(), &what)
    }

    fn char_error(&self, offset: usize) -> ParseError {
        let c = self
            .src
            .get(offset..)
            .and_then(|s| s.chars().next())
            .unwrap_or('?');
        self.error(offset, &format!("no viable alternative at character '{c}'"))
    }

    /// Skips whitespace and comments.
    fn skip_trivia(&mut self) -> Result<(), ParseError> {
        loop {
            match self.at(self.pos) {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'-' if self.at(self.pos + 1) == b'-' => self.skip_line(),
                b'/' if self.at(self.pos + 1) == b'/' => self.skip_line(),
                b'/' if self.at(self.pos + 1) == b'*' => {
                    match self.src.get(self.pos + 2..).and_then(|s| s.find("*/")) {
                        Some(i) => self.pos += 2 + i + 2,
                        None => return Err(self.eof_error("'*'")),
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn skip_line(&mut self) {
        while self.pos < self.bytes.len() && !matches!(self.bytes[self.pos], b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn next_token(&mut self) -> Result<Token, ParseError> {
        self.skip_trivia()?;
        let start = self.pos;
        let c = self.at(start);
        if start >= self.bytes.len() {
            return Ok(Token {
                kind: Tok::Eof,
                start,
                end: start,
            });
        }
        let (kind, len) = match c {
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b'[' => (Tok::LBracket, 1),
            b']' => (Tok::RBracket, 1),
            b'{' => (Tok::LBrace, 1),
            b'}' => (Tok::RBrace, 1),
            b',' => (Tok::Comma, 1),
            b';' => (Tok::Semi, 1),
            b'*' => (Tok::Star, 1),
            b'/' => (Tok::Slash, 1),
            b'%' => (Tok::Percent, 1),
            b'?' => (Tok::QMark, 1),
            b':' => (Tok::Colon, 1),
            b'=' => (Tok::Eq, 1),
            b'.' if self.at(start + 1) == b'.' => (Tok::Range, 2),
            b'.' => (Tok::Dot, 1),
            b'<' if self.at(start + 1) == b'=' => (Tok::Lte, 2),
            b'<' => (Tok::Lt, 1),
            b'>' if self.at(start + 1) == b'=' => (Tok::Gte, 2),
            b'>' => (Tok::Gt, 1),
            b'!' if self.at(start + 1) == b'=' => (Tok::Neq, 2),
            b'+' if self.at(start + 1) == b'=' => (Tok::PlusEq, 2),
            b'+' => (Tok::Plus, 1),
            b'\'' => (Tok::Str, self.quoted(start, b'\'')?),
            b'"' => {
                let len = self.quoted(start, b'"')?;
                if len == 2 {
                    return Err(self.error(start, "no viable alternative at input '\"\"'"));
                }
                (Tok::QuotedName, len)
            }
            b'$' if self.at(start + 1) == b'$' => (Tok::Str, self.dollar_string(start)?),
            b'-' => self.minus(start),
            b'0'..=b'9' => self.number_like(start),
            b'a'..=b'z' | b'A'..=b'Z' => self.word(start),
            _ => return Err(self.char_error(start)),
        };
        self.pos = start + len;
        Ok(Token {
            kind,
            start,
            end: start + len,
        })
    }

    /// Length of a `'...'` / `"..."` token with doubled-delimiter escapes.
    fn quoted(&self, start: usize, quote: u8) -> Result<usize, ParseError> {
        let mut i = start + 1;
        loop {
            match self.bytes.get(i) {
                None => {
                    let expected = if quote == b'\'' { "'\''" } else { "'\"'" };
                    return Err(self.eof_error(expected));
                }
                Some(&c) if c == quote => {
                    if self.at(i + 1) == quote {
                        i += 2;
                    } else {
                        return Ok(i + 1 - start);
                    }
                }
                Some(_) => i += 1,
            }
        }
    }

    fn dollar_string(&self, start: usize) -> Result<usize, ParseError> {
        match self.src.get(start + 2..).and_then(|s| s.find("$$")) {
            Some(i) => Ok(2 + i + 2),
            None => Err(self.eof_error("'$'")),
        }
    }

    /// `-` starts a negative number/duration when a digit (or `P` of an ISO duration) follows.
    fn minus(&self, start: usize) -> (Tok, usize) {
        match self.at(start + 1) {
            b'0'..=b'9' => {
                let (kind, len) = self.number_like(start + 1);
                // A UUID or hex number cannot be negative: the `-` stands alone then.
                if matches!(kind, Tok::Uuid | Tok::Hex) {
                    (Tok::Minus, 1)
                } else {
                    (kind, len + 1)
                }
            }
            b'P' => match self.iso_duration(start + 1) {
                Some(len) if len >= self.ident_len(start + 1) => (Tok::Duration, len + 1),
                _ => (Tok::Minus, 1),
            },
            b'=' => (Tok::MinusEq, 2),
            _ => (Tok::Minus, 1),
        }
    }

    fn ident_len(&self, start: usize) -> usize {
        self.bytes.get(start..).map_or(0, |r| {
            r.iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count()
        })
    }

    fn uuid_len(&self, start: usize) -> Option<usize> {
        let b = self.bytes.get(start..start + 36)?;
        let ok = b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        });
        // A longer run of identifier characters would make ANTLR's longest match differ.
        (ok && !(self.at(start + 36).is_ascii_alphanumeric() || self.at(start + 36) == b'_'))
            .then_some(36)
    }

    /// A token starting with a letter: UUID, ISO duration, boolean or identifier.
    fn word(&self, start: usize) -> (Tok, usize) {
        if let Some(len) = self.uuid_len(start) {
            return (Tok::Uuid, len);
        }
        let ident = self.ident_len(start);
        if self.at(start) == b'P'
            && let Some(len) = self.iso_duration(start)
            && len >= ident
        {
            return (Tok::Duration, len);
        }
        let text = &self.bytes[start..start + ident];
        if text.eq_ignore_ascii_case(b"true") || text.eq_ignore_ascii_case(b"false") {
            return (Tok::Boolean, ident);
        }
        (Tok::Ident, ident)
    }

    /// A token starting with a digit: UUID, hex, float, duration or integer.
    fn number_like(&self, start: usize) -> (Tok, usize) {
        if let Some(len) = self.uuid_len(start) {
            return (Tok::Uuid, len);
        }
        if self.at(start) == b'0' && matches!(self.at(start + 1), b'x' | b'X') {
            let hex = self.bytes[start + 2..]
                .iter()
                .take_while(|c| c.is_ascii_hexdigit())
                .count();
            return (Tok::Hex, 2 + hex);
        }
        let digits = count_digits(self.bytes, start);
        let mut end = start + digits;
        let mut float = false;
        if self.at(end) == b'.' && self.at(end + 1) != b'.' {
            float = true;
            end += 1;
            end += count_digits(self.bytes, end);
        }
        if matches!(self.at(end), b'e' | b'E') {
            let sign = usize::from(matches!(self.at(end + 1), b'+' | b'-'));
            let exp = count_digits(self.bytes, end + 1 + sign);
            if exp > 0 {
                return (Tok::Float, end + 1 + sign + exp - start);
            }
        }
        if float {
            return (Tok::Float, end - start);
        }
        if let Some(len) = self.unit_duration(start) {
            return (Tok::Duration, len);
        }
        (Tok::Integer, digits)
    }

    /// `(DIGIT+ UNIT)+` where UNIT is y, mo, w, d, h, m, s, ms, us, µs, ns (case-insensitive).
    fn unit_duration(&self, start: usize) -> Option<usize> {
        let mut i = start;
        loop {
            let digits = count_digits(self.bytes, i);
            if digits == 0 {
                break;
            }
            let unit = self.unit_len(i + digits);
            if unit == 0 {
                break;
            }
            i += digits + unit;
        }
        (i > start).then_some(i - start)
    }

    fn unit_len(&self, i: usize) -> usize {
        let c0 = self.at(i).to_ascii_lowercase();
        let c1 = self.at(i + 1).to_ascii_lowercase();
        match (c0, c1) {
            (b'm', b'o') | (b'm', b's') | (b'u', b's') | (b'n', b's') => 2,
            (0xC2, 0xB5) if matches!(self.at(i + 2), b's' | b'S') => 3,
            (b'y' | b'w' | b'd' | b'h' | b'm' | b's', _) => 1,
            _ => 0,
        }
    }

    /// ISO 8601 durations starting at `P` (upper case, as in Lexer.g): designators
    /// (`P1Y2M3DT4H5M6S`, `PT1H`), weeks (`P2W`) or the alternative `P0001-02-03T04:05:06`.
    fn iso_duration(&self, start: usize) -> Option<usize> {
        let b = |i: usize| self.at(start + i);
        // Alternative format.
        let digit = |i: usize| b(i).is_ascii_digit();
        let alt = [1, 2, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 18, 19]
            .iter()
            .all(|&i| digit(i))
            && b(5) == b'-'
            && b(8) == b'-'
            && b(11) == b'T'
            && b(14) == b':'
            && b(17) == b':';
        if alt {
            return Some(20);
        }
        let mut i = 1;
        // Week form.
        let d = count_digits(self.bytes, start + i);
        if d > 0 && b(i + d) == b'W' {
            return Some(i + d + 1);
        }
        let mut any = false;
        for unit in [b'Y', b'M', b'D'] {
            let d = count_digits(self.bytes, start + i);
            if d > 0 && b(i + d) == unit {
                i += d + 1;
                any = true;
            }
        }
        if b(i) == b'T' {
            let mut t = i + 1;
            let mut any_time = false;
            for unit in [b'H', b'M', b'S'] {
                let d = count_digits(self.bytes, start + t);
                if d > 0 && b(t + d) == unit {
                    t += d + 1;
                    any_time = true;
                }
            }
            if any_time {
                return Some(t);
            }
        }
        any.then_some(i)
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Tok, &str)> {
        lex(src)
            .unwrap()
            .into_iter()
            .filter(|t| t.kind != Tok::Eof)
            .map(|t| (t.kind, &src[t.start..t.end]))
            .collect()
    }

    #[test]
    fn numbers_and_durations() {
        assert_eq!(
            kinds("1 -2 1.5 3. 1e10 -1.5E-3 1h30m 12mo3d -3d 5ms 1µs"),
            vec![
                (Tok::Integer, "1"),
                (Tok::Integer, "-2"),
                (Tok::Float, "1.5"),
                (Tok::Float, "3."),
                (Tok::Float, "1e10"),
                (Tok::Float, "-1.5E-3"),
                (Tok::Duration, "1h30m"),
                (Tok::Duration, "12mo3d"),
                (Tok::Duration, "-3d"),
                (Tok::Duration, "5ms"),
                (Tok::Duration, "1µs"),
            ]
        );
        assert_eq!(
            kinds("1..2"),
            vec![(Tok::Integer, "1"), (Tok::Range, ".."), (Tok::Integer, "2")]
        );
    }

    #[test]
    fn iso_durations_versus_identifiers() {
        assert_eq!(
            kinds("P1Y2M PT1H30M P2W P0001-02-03T04:05:06 -P1D P1Yx p1y"),
            vec![
                (Tok::Duration, "P1Y2M"),
                (Tok::Duration, "PT1H30M"),
                (Tok::Duration, "P2W"),
                (Tok::Duration, "P0001-02-03T04:05:06"),
                (Tok::Duration, "-P1D"),
                (Tok::Ident, "P1Yx"),
                (Tok::Ident, "p1y"),
            ]
        );
    }

    #[test]
    fn uuids_hex_booleans() {
        assert_eq!(
            kinds(
                "123e4567-e89b-12d3-a456-426614174000 deadbeef-0000-0000-0000-000000000000 0xCAFE 0x TRUE falsey"
            ),
            vec![
                (Tok::Uuid, "123e4567-e89b-12d3-a456-426614174000"),
                (Tok::Uuid, "deadbeef-0000-0000-0000-000000000000"),
                (Tok::Hex, "0xCAFE"),
                (Tok::Hex, "0x"),
                (Tok::Boolean, "TRUE"),
                (Tok::Ident, "falsey"),
            ]
        );
    }

    #[test]
    fn strings_names_comments_punctuation() {
        assert_eq!(
            kinds("'it''s' $$a'b$$ \"Foo\"\"x\" -- c\n a // d\n/* e */ <= != += -= - ?:"),
            vec![
                (Tok::Str, "'it''s'"),
                (Tok::Str, "$$a'b$$"),
                (Tok::QuotedName, "\"Foo\"\"x\""),
                (Tok::Ident, "a"),
                (Tok::Lte, "<="),
                (Tok::Neq, "!="),
                (Tok::PlusEq, "+="),
                (Tok::MinusEq, "-="),
                (Tok::Minus, "-"),
                (Tok::QMark, "?"),
                (Tok::Colon, ":"),
            ]
        );
    }

    #[test]
    fn errors_carry_positions() {
        let e = lex("select\n  ~").unwrap_err();
        assert_eq!((e.line, e.column), (2, 2));
        assert!(
            e.message
                .starts_with("line 2:2 no viable alternative at character '~'")
        );
        let e = lex("x = 'open").unwrap_err();
        assert_eq!(
            e.message,
            "line 1:9 mismatched character '<EOF>' expecting '''"
        );
        assert!(lex("\"\"").is_err());
        assert!(lex("/* open").is_err());
        assert!(lex("$$ open").is_err());
    }
}
