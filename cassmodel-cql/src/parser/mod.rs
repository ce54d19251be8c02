//! Recursive-descent parser over the token vector produced by [`crate::lexer`].
//!
//! Hand-written rather than generated (Cassandra uses ANTLR 3): errors name exactly the
//! token that was expected, there is no build step, and every path returns a
//! [`ParseError`] instead of panicking. The structure mirrors `Parser.g`'s rules, one method
//! per rule family; the statement families live in the sibling modules.

mod ddl;
mod describe;
mod modify;
mod properties;
mod select;
mod term;
mod types;

use crate::ast::{BindMarker, Ident, Parsed, QualifiedName, Statement};
use crate::error::ParseError;
use crate::keywords::is_reserved;
use crate::lexer::{Tok, Token, lex, line_col};

/// Parser result.
pub(crate) type PResult<T> = Result<T, ParseError>;

/// Parser state: the tokens, a cursor and the bind markers seen so far.
pub(crate) struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    markers: Vec<BindMarker>,
    depth: usize,
}

/// Maximum nesting of terms, types, selectors and parenthesised relations: deeper input is a
/// syntax error instead of a stack overflow.
const MAX_DEPTH: usize = 64;

/// Parses exactly one statement followed by optional `;`s.
pub(crate) fn parse_one(src: &str) -> PResult<Parsed> {
    let mut p = Parser::new(src)?;
    let statement = p.statement()?;
    while p.eat(Tok::Semi) {}
    if !p.is(Tok::Eof) {
        return Err(p.mismatch("EOF"));
    }
    Ok(Parsed {
        statement,
        bind_markers: p.markers,
    })
}

/// Parses `;`-separated statements; markers are numbered per statement.
pub(crate) fn parse_many(src: &str) -> PResult<Vec<Statement>> {
    let mut p = Parser::new(src)?;
    let mut out = Vec::new();
    loop {
        while p.eat(Tok::Semi) {}
        if p.is(Tok::Eof) {
            return Ok(out);
        }
        p.markers.clear();
        out.push(p.statement()?);
        if !p.is(Tok::Eof) && !p.is(Tok::Semi) {
            return Err(p.mismatch("';'"));
        }
    }
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> PResult<Self> {
        Ok(Parser {
            src,
            toks: lex(src)?,
            pos: 0,
            markers: Vec::new(),
            depth: 0,
        })
    }

    // ---- token access -------------------------------------------------------------------

    /// The token `n` positions ahead (the final EOF token past the end).
    fn peek_at(&self, n: usize) -> Token {
        let last = self.toks.len().saturating_sub(1);
        self.toks
            .get(self.pos.saturating_add(n).min(last))
            .copied()
            .unwrap_or(Token {
                kind: Tok::Eof,
                start: self.src.len(),
                end: self.src.len(),
            })
    }

    fn peek(&self) -> Token {
        self.peek_at(0)
    }

    fn bump(&mut self) -> Token {
        let t = self.peek();
        if t.kind != Tok::Eof {
            self.pos += 1;
        }
        t
    }

    fn text(&self, t: Token) -> &'a str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    fn is(&self, kind: Tok) -> bool {
        self.peek().kind == kind
    }

    fn is_at(&self, n: usize, kind: Tok) -> bool {
        self.peek_at(n).kind == kind
    }

    fn eat(&mut self, kind: Tok) -> bool {
        let hit = self.is(kind);
        if hit {
            self.pos += 1;
        }
        hit
    }

    /// Consumes a token of `kind` or fails with `mismatched input ... expecting <what>`.
    fn expect(&mut self, kind: Tok, what: &str) -> PResult<Token> {
        if self.is(kind) {
            Ok(self.bump())
        } else {
            Err(self.mismatch(what))
        }
    }

    /// True when the token `n` ahead is the (unquoted) keyword `kw` (lower case).
    fn is_kw_at(&self, n: usize, kw: &str) -> bool {
        let t = self.peek_at(n);
        t.kind == Tok::Ident && self.text(t).eq_ignore_ascii_case(kw)
    }

    fn is_kw(&self, kw: &str) -> bool {
        self.is_kw_at(0, kw)
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let hit = self.is_kw(kw);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expect_kw(&mut self, kw: &str) -> PResult<()> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.mismatch(&format!("K_{}", kw.to_ascii_uppercase())))
        }
    }

    /// `IF NOT EXISTS` (all or nothing).
    fn if_not_exists(&mut self) -> PResult<bool> {
        if self.is_kw("if") {
            self.bump();
            self.expect_kw("not")?;
            self.expect_kw("exists")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// `IF EXISTS`.
    fn if_exists(&mut self) -> PResult<bool> {
        if self.is_kw("if") {
            self.bump();
            self.expect_kw("exists")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Runs `f` one nesting level deeper, failing past [`MAX_DEPTH`].
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            return Err(self.custom_at(self.peek(), "Input is too deeply nested"));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    // ---- errors -------------------------------------------------------------------------

    fn position(&self, t: Token) -> (u32, i32) {
        if t.kind == Tok::Eof {
            (0, -1)
        } else {
            line_col(self.src, t.start)
        }
    }

    fn token_text(&self, t: Token) -> String {
        if t.kind == Tok::Eof {
            "<EOF>".to_owned()
        } else {
            self.text(t).to_owned()
        }
    }

    /// `line L:C mismatched input 'x' expecting <what>` at the current token.
    pub(crate) fn mismatch(&self, what: &str) -> ParseError {
        let t = self.peek();
        let (line, column) = self.position(t);
        let message = format!(
            "line {line}:{column} mismatched input '{}' expecting {what}",
            self.token_text(t)
        );
        ParseError {
            message,
            line,
            column,
        }
    }

    /// `line L:C no viable alternative at input 'x'` at the current token.
    pub(crate) fn no_viable(&self) -> ParseError {
        self.no_viable_at(self.peek())
    }

    fn no_viable_at(&self, t: Token) -> ParseError {
        let (line, column) = self.position(t);
        let message = format!(
            "line {line}:{column} no viable alternative at input '{}'",
            self.token_text(t)
        );
        ParseError {
            message,
            line,
            column,
        }
    }

    /// An error with Cassandra's own wording (from `addRecognitionError`), positioned at `t`.
    fn custom_at(&self, t: Token, message: impl Into<String>) -> ParseError {
        let (line, column) = self.position(t);
        ParseError {
            message: message.into(),
            line,
            column,
        }
    }

    // ---- identifiers and names ----------------------------------------------------------

    /// True when the current token can be an identifier (unreserved word or quoted name).
    fn is_ident_at(&self, n: usize) -> bool {
        let t = self.peek_at(n);
        match t.kind {
            Tok::QuotedName => true,
            Tok::Ident => !is_reserved(self.text(t)),
            _ => false,
        }
    }

    fn is_ident(&self) -> bool {
        self.is_ident_at(0)
    }

    /// `ident`/`cident`: an unreserved word (lower-cased) or a quoted name (kept verbatim).
    fn ident(&mut self) -> PResult<Ident> {
        let t = self.peek();
        match t.kind {
            Tok::QuotedName => {
                self.bump();
                Ok(Ident(unquote(self.text(t), '"')))
            }
            Tok::Ident if !is_reserved(self.text(t)) => {
                self.bump();
                Ok(Ident(self.text(t).to_ascii_lowercase()))
            }
            Tok::Ident | Tok::Boolean => Err(self.no_viable()),
            _ => Err(self.mismatch("IDENT")),
        }
    }

    /// `[ks.]name` of a table, type or index; a bind marker in place of a name gets Cassandra's
    /// message (`Bind variables cannot be used for table names`).
    fn qualified_name(&mut self) -> PResult<QualifiedName> {
        self.qualified_name_of("table")
    }

    /// `[ks.]name` where `kind` names the object in the bind-marker error message.
    fn qualified_name_of(&mut self, kind: &str) -> PResult<QualifiedName> {
        // As in ANTLR's prediction, `? .` is a keyspace position and a lone `?` the name.
        let first_kind = if self.is_at(1, Tok::Dot) {
            "keyspace"
        } else {
            kind
        };
        let first = self.name_part(first_kind)?;
        if self.eat(Tok::Dot) {
            let name = self.name_part(kind)?;
            return Ok(QualifiedName {
                keyspace: Some(first),
                name,
            });
        }
        Ok(QualifiedName {
            keyspace: None,
            name: first,
        })
    }

    /// One part of a name: an identifier, or Cassandra's error for a bind marker.
    fn name_part(&mut self, kind: &str) -> PResult<Ident> {
        if self.is_marker() {
            return Err(self.custom_at(
                self.peek(),
                format!("Bind variables cannot be used for {kind} names"),
            ));
        }
        self.ident()
    }

    /// A keyspace name.
    fn keyspace_name(&mut self) -> PResult<Ident> {
        if self.is(Tok::QMark) || self.is(Tok::Colon) {
            return Err(self.custom_at(
                self.peek(),
                "Bind variables cannot be used for keyspace names",
            ));
        }
        self.ident()
    }

    /// Records a new bind marker (`?` or `:name`) at the cursor.
    fn marker(&mut self) -> PResult<BindMarker> {
        let name = if self.eat(Tok::QMark) {
            None
        } else {
            self.expect(Tok::Colon, "QMARK")?;
            Some(self.ident()?)
        };
        let m = BindMarker {
            index: self.markers.len(),
            name,
        };
        self.markers.push(m.clone());
        Ok(m)
    }

    fn is_marker(&self) -> bool {
        self.is(Tok::QMark) || self.is(Tok::Colon)
    }

    // ---- statements ---------------------------------------------------------------------

    /// `cqlStatement`.
    fn statement(&mut self) -> PResult<Statement> {
        let t = self.peek();
        if t.kind != Tok::Ident {
            return Err(self.no_viable());
        }
        let kw = |w: &str| self.text(t).eq_ignore_ascii_case(w);
        if kw("select") {
            self.select().map(|s| Statement::Select(Box::new(s)))
        } else if kw("insert") {
            self.insert().map(|s| Statement::Insert(Box::new(s)))
        } else if kw("update") {
            self.update().map(|s| Statement::Update(Box::new(s)))
        } else if kw("delete") {
            self.delete().map(|s| Statement::Delete(Box::new(s)))
        } else if kw("begin") {
            self.batch().map(|s| Statement::Batch(Box::new(s)))
        } else if kw("use") {
            self.bump();
            Ok(Statement::Use(self.keyspace_name()?))
        } else if kw("truncate") {
            self.bump();
            if !self.eat_kw("columnfamily") {
                self.eat_kw("table");
            }
            Ok(Statement::Truncate(self.qualified_name()?))
        } else if kw("create") {
            self.create()
        } else if kw("alter") {
            self.alter()
        } else if kw("drop") {
            self.drop()
        } else if kw("describe") || kw("desc") {
            self.describe().map(Statement::Describe)
        } else if let Some(w) = ["grant", "revoke", "list"].into_iter().find(|w| kw(w)) {
            self.unsupported(&[w])
        } else if kw("add") {
            self.unsupported(&["add", "identity"])
        } else {
            Err(self.no_viable())
        }
    }
}

/// Strips the delimiters of a `'...'` or `"..."` token and undoes doubled delimiters.
pub(crate) fn unquote(text: &str, quote: char) -> String {
    let inner = text
        .strip_prefix(quote)
        .and_then(|s| s.strip_suffix(quote))
        .unwrap_or(text);
    let doubled = [quote, quote];
    let doubled: String = doubled.iter().collect();
    if inner.contains(&doubled) {
        inner.replace(&doubled, &quote.to_string())
    } else {
        inner.to_owned()
    }
}
