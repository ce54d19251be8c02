//! Terms (`term`, `simpleTerm`, `value`, `constant`, collection and UDT literals).

use super::{PResult, Parser, unquote};
use crate::ast::{ArithOp, FunctionName, Ident, Literal, QualifiedName, Term};
use crate::lexer::Tok;

impl Parser<'_> {
    /// True when the token `n` ahead can start a term.
    pub(super) fn starts_term_at(&self, n: usize) -> bool {
        match self.peek_at(n).kind {
            Tok::Str
            | Tok::Integer
            | Tok::Float
            | Tok::Boolean
            | Tok::Uuid
            | Tok::Hex
            | Tok::Duration
            | Tok::QMark
            | Tok::Colon
            | Tok::LBracket
            | Tok::LBrace
            | Tok::LParen
            | Tok::Minus => true,
            Tok::Ident => {
                self.is_kw_at(n, "null")
                    || self.is_kw_at(n, "nan")
                    || self.is_kw_at(n, "infinity")
                    || self.starts_function_at(n)
            }
            Tok::QuotedName => self.starts_function_at(n),
            _ => false,
        }
    }

    /// `functionName '('`: `f(`, `ks.f(`, including the reserved `token`.
    pub(super) fn starts_function_at(&self, n: usize) -> bool {
        let name_ok = |p: &Self, i: usize| p.is_ident_at(i) || p.is_kw_at(i, "token");
        if !name_ok(self, n) {
            return false;
        }
        if self.is_at(n + 1, Tok::LParen) {
            return true;
        }
        self.is_at(n + 1, Tok::Dot) && name_ok(self, n + 2) && self.is_at(n + 3, Tok::LParen)
    }

    /// `functionName`: `[ks.]name`, where `token` is allowed although reserved.
    pub(super) fn function_name(&mut self) -> PResult<FunctionName> {
        let first = self.function_ident()?;
        if self.eat(Tok::Dot) {
            let name = self.function_ident()?;
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

    fn function_ident(&mut self) -> PResult<Ident> {
        if self.eat_kw("token") {
            return Ok(Ident::new("token"));
        }
        self.ident()
    }

    /// `term`: additive and multiplicative arithmetic over `termGroup`s.
    pub(crate) fn term(&mut self) -> PResult<Term> {
        self.nested(Self::term_add)
    }

    fn term_add(&mut self) -> PResult<Term> {
        let mut left = self.term_mul()?;
        loop {
            let op = match self.peek().kind {
                Tok::Plus => ArithOp::Add,
                Tok::Minus => ArithOp::Sub,
                _ => return Ok(left),
            };
            // Leave `+ c` (list prepend in UPDATE) to the caller.
            if !self.starts_term_at(1) {
                return Ok(left);
            }
            self.bump();
            let right = self.term_mul()?;
            left = Term::Arithmetic {
                op,
                left: Box::new(left),
                right: Box::new(right),
            };
        }
    }

    fn term_mul(&mut self) -> PResult<Term> {
        let mut left = self.term_group()?;
        loop {
            let op = match self.peek().kind {
                Tok::Star => ArithOp::Mul,
                Tok::Slash => ArithOp::Div,
                Tok::Percent => ArithOp::Rem,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.term_group()?;
            left = Term::Arithmetic {
                op,
                left: Box::new(left),
                right: Box::new(right),
            };
        }
    }

    /// `termGroup`: `simpleTerm | '-' simpleTerm`.
    pub(super) fn term_group(&mut self) -> PResult<Term> {
        if self.is(Tok::Minus) {
            // `-NaN` / `-Infinity` are constants.
            if self.is_kw_at(1, "nan") || self.is_kw_at(1, "infinity") {
                self.bump();
                let t = self.bump();
                let text = if self.text(t).eq_ignore_ascii_case("nan") {
                    "NaN"
                } else {
                    "-Infinity"
                };
                return Ok(Term::Literal(Literal::Float(text.to_owned())));
            }
            self.bump();
            return Ok(Term::Negate(Box::new(self.simple_term()?)));
        }
        self.simple_term()
    }

    /// `simpleTerm`: a value, a function call or a type hint.
    pub(super) fn simple_term(&mut self) -> PResult<Term> {
        let t = self.peek();
        let lit = |p: &Self, f: fn(String) -> Literal| Term::Literal(f(p.text(t).to_owned()));
        let term = match t.kind {
            Tok::Str => Term::Literal(Literal::String(self.string_value(t))),
            Tok::Integer => lit(self, Literal::Integer),
            Tok::Float => lit(self, Literal::Float),
            Tok::Boolean => {
                Term::Literal(Literal::Boolean(self.text(t).eq_ignore_ascii_case("true")))
            }
            Tok::Uuid => lit(self, Literal::Uuid),
            Tok::Hex => Term::Literal(Literal::Hex(self.text(t).get(2..).unwrap_or("").to_owned())),
            Tok::Duration => lit(self, Literal::Duration),
            Tok::QMark | Tok::Colon => return Ok(Term::Marker(self.marker()?)),
            Tok::LBracket => return self.list_literal(),
            Tok::LBrace => return self.brace_literal(),
            Tok::LParen => return self.paren_term(),
            Tok::Ident if self.is_kw("null") => Term::Null,
            Tok::Ident if self.is_kw("nan") => Term::Literal(Literal::Float("NaN".to_owned())),
            Tok::Ident if self.is_kw("infinity") => {
                Term::Literal(Literal::Float("Infinity".to_owned()))
            }
            Tok::Ident | Tok::QuotedName if self.starts_function_at(0) => {
                let name = self.function_name()?;
                let args = self.term_args()?;
                return Ok(Term::FunctionCall { name, args });
            }
            _ => return Err(self.no_viable()),
        };
        self.bump();
        Ok(term)
    }

    /// The text of a string token, unescaped (`'it''s'` → `it's`, `$$x$$` → `x`).
    pub(super) fn string_value(&self, t: crate::lexer::Token) -> String {
        let text = self.text(t);
        match text.strip_prefix("$$").and_then(|s| s.strip_suffix("$$")) {
            Some(raw) => raw.to_owned(),
            None => unquote(text, '\''),
        }
    }

    /// `'(' (term (',' term)*)? ')'` after a function name.
    fn term_args(&mut self) -> PResult<Vec<Term>> {
        self.expect(Tok::LParen, "'('")?;
        let mut args = Vec::new();
        if !self.eat(Tok::RParen) {
            args.push(self.term()?);
            while self.eat(Tok::Comma) {
                args.push(self.term()?);
            }
            self.expect(Tok::RParen, "')'")?;
        }
        Ok(args)
    }

    fn list_literal(&mut self) -> PResult<Term> {
        self.expect(Tok::LBracket, "'['")?;
        let mut items = Vec::new();
        if !self.eat(Tok::RBracket) {
            items.push(self.term()?);
            while self.eat(Tok::Comma) {
                items.push(self.term()?);
            }
            self.expect(Tok::RBracket, "']'")?;
        }
        Ok(Term::List(items))
    }

    /// `{}` (empty set), `{a, b}`, `{k: v}` or the UDT literal `{field: v}`.
    fn brace_literal(&mut self) -> PResult<Term> {
        self.expect(Tok::LBrace, "'{'")?;
        if self.eat(Tok::RBrace) {
            return Ok(Term::Set(Vec::new()));
        }
        if self.is_ident() && self.is_at(1, Tok::Colon) {
            let mut fields = Vec::new();
            loop {
                let f = self.ident()?;
                self.expect(Tok::Colon, "':'")?;
                fields.push((f, self.term()?));
                if !self.eat(Tok::Comma) {
                    break;
                }
            }
            self.expect(Tok::RBrace, "'}'")?;
            return Ok(Term::Udt(fields));
        }
        let first = self.term()?;
        if self.eat(Tok::Colon) {
            let mut entries = vec![(first, self.term()?)];
            while self.eat(Tok::Comma) {
                let k = self.term()?;
                self.expect(Tok::Colon, "':'")?;
                entries.push((k, self.term()?));
            }
            self.expect(Tok::RBrace, "'}'")?;
            return Ok(Term::Map(entries));
        }
        let mut items = vec![first];
        while self.eat(Tok::Comma) {
            items.push(self.term()?);
        }
        self.expect(Tok::RBrace, "'}'")?;
        Ok(Term::Set(items))
    }

    /// `'(' type ')' simpleTerm` (type hint) or a tuple literal `'(' term (',' term)* ')'`.
    fn paren_term(&mut self) -> PResult<Term> {
        if self.starts_type_at(1) {
            let save = (self.pos, self.markers.len());
            self.bump();
            if let Ok(ty) = self.type_expr()
                && self.eat(Tok::RParen)
                && self.starts_term_at(0)
            {
                let term = self.nested(Self::simple_term)?;
                return Ok(Term::TypeHint {
                    ty,
                    term: Box::new(term),
                });
            }
            self.pos = save.0;
            self.markers.truncate(save.1);
        }
        self.tuple_literal()
    }

    /// `tupleLiteral`: `'(' term (',' term)* ')'` (one element allowed).
    pub(super) fn tuple_literal(&mut self) -> PResult<Term> {
        self.expect(Tok::LParen, "'('")?;
        let mut items = vec![self.term()?];
        while self.eat(Tok::Comma) {
            items.push(self.term()?);
        }
        self.expect(Tok::RParen, "')'")?;
        Ok(Term::Tuple(items))
    }

    /// `intValue`: an integer literal or a bind marker (LIMIT, TTL, TIMESTAMP).
    pub(super) fn int_value(&mut self) -> PResult<Term> {
        let t = self.peek();
        match t.kind {
            Tok::Integer => {
                self.bump();
                Ok(Term::Literal(Literal::Integer(self.text(t).to_owned())))
            }
            Tok::QMark | Tok::Colon => Ok(Term::Marker(self.marker()?)),
            _ => Err(self.mismatch("INTEGER")),
        }
    }
}
