//! `comparatorType`: CQL type expressions.

use super::{PResult, Parser, unquote};
use crate::ast::{NativeType, QualifiedName, TypeExpr};
use crate::lexer::Tok;

/// Names `non_type_ident` refuses for user types (`reservedTypeNames` in `Parser.g`).
const RESERVED_TYPE_NAMES: [&str; 7] = [
    "byte",
    "complex",
    "enum",
    "date",
    "interval",
    "macaddr",
    "bitstring",
];

impl Parser<'_> {
    /// True when the current token can start a type.
    pub(super) fn starts_type_at(&self, n: usize) -> bool {
        self.is_ident_at(n) || self.is_at(n, Tok::Str)
    }

    /// `comparatorType`.
    pub(super) fn type_expr(&mut self) -> PResult<TypeExpr> {
        self.nested(Self::type_expr_inner)
    }

    fn type_expr_inner(&mut self) -> PResult<TypeExpr> {
        let t = self.peek();
        if t.kind == Tok::Str {
            self.bump();
            return Ok(TypeExpr::Custom(unquote(self.text(t), '\'')));
        }
        if t.kind == Tok::Ident {
            let word = self.text(t);
            let generic = self.is_at(1, Tok::Lt);
            if let Some(native) = NativeType::from_name(word) {
                self.bump();
                return Ok(TypeExpr::Native(native));
            }
            if generic {
                let lower = word.to_ascii_lowercase();
                match lower.as_str() {
                    "list" | "set" | "frozen" => {
                        self.bump();
                        self.bump();
                        let inner = Box::new(self.type_expr()?);
                        self.expect(Tok::Gt, "'>'")?;
                        return match lower.as_str() {
                            "list" => Ok(TypeExpr::List(inner)),
                            "set" => Ok(TypeExpr::Set(inner)),
                            _ => self.freeze(t, *inner),
                        };
                    }
                    "map" => {
                        self.bump();
                        self.bump();
                        let k = self.type_expr()?;
                        self.expect(Tok::Comma, "','")?;
                        let v = self.type_expr()?;
                        self.expect(Tok::Gt, "'>'")?;
                        return Ok(TypeExpr::Map(Box::new(k), Box::new(v)));
                    }
                    "tuple" => {
                        self.bump();
                        self.bump();
                        let mut items = vec![self.type_expr()?];
                        while self.eat(Tok::Comma) {
                            items.push(self.type_expr()?);
                        }
                        self.expect(Tok::Gt, "'>'")?;
                        return Ok(TypeExpr::Tuple(items));
                    }
                    "vector" => {
                        self.bump();
                        self.bump();
                        let elem = self.type_expr()?;
                        self.expect(Tok::Comma, "','")?;
                        let d = self.expect(Tok::Integer, "INTEGER")?;
                        let dim = self.text(d).parse::<u32>().map_err(|_| {
                            self.custom_at(d, format!("Invalid vector dimension {}", self.text(d)))
                        })?;
                        self.expect(Tok::Gt, "'>'")?;
                        return Ok(TypeExpr::Vector(Box::new(elem), dim));
                    }
                    _ => {}
                }
            }
        }
        // userTypeName: (ident '.')? non_type_ident
        let start = self.peek();
        let first = self.ident()?;
        let name = if self.eat(Tok::Dot) {
            let name_tok = self.peek();
            let name = self.ident()?;
            self.check_type_name(name_tok, name.as_str())?;
            QualifiedName {
                keyspace: Some(first),
                name,
            }
        } else {
            self.check_type_name(start, first.as_str())?;
            QualifiedName {
                keyspace: None,
                name: first,
            }
        };
        Ok(TypeExpr::UserType(name))
    }

    fn check_type_name(&self, t: crate::lexer::Token, name: &str) -> PResult<()> {
        if t.kind == Tok::Ident && RESERVED_TYPE_NAMES.contains(&name) {
            return Err(self.custom_at(t, format!("Invalid (reserved) user type name {name}")));
        }
        Ok(())
    }

    /// `frozen<T>`: only collections, tuples and UDTs can be frozen (`CQL3Type.Raw.freeze`).
    fn freeze(&self, at: crate::lexer::Token, inner: TypeExpr) -> PResult<TypeExpr> {
        match inner {
            TypeExpr::List(_)
            | TypeExpr::Set(_)
            | TypeExpr::Map(..)
            | TypeExpr::Tuple(_)
            | TypeExpr::UserType(_) => Ok(TypeExpr::Frozen(Box::new(inner))),
            // frozen<frozen<T>> is accepted by Cassandra and means frozen<T>.
            TypeExpr::Frozen(_) => Ok(inner),
            _ => Err(self.custom_at(
                at,
                "frozen<> is only allowed on collections, tuples, and user-defined types",
            )),
        }
    }
}
