//! `WITH name = value AND ...` properties, with the checks Cassandra makes while parsing them
//! (`convertPropertyMap` in Parser.g, `PropertyDefinitions.addProperty`): they are syntax
//! errors there, so they are parse errors here.

use super::{PResult, Parser};
use crate::ast::{Property, PropertyValue, Term};
use crate::lexer::Tok;

impl Parser<'_> {
    /// `properties`: `property (AND property)*`.
    pub(super) fn properties(&mut self) -> PResult<Vec<Property>> {
        let mut props = Vec::new();
        loop {
            let prop = self.property()?;
            self.push_property(&mut props, prop)?;
            if !self.eat_kw("and") {
                return Ok(props);
            }
        }
    }

    /// Adds `prop`, refusing a second definition of the same name.
    pub(super) fn push_property(&self, props: &mut Vec<Property>, prop: Property) -> PResult<()> {
        if props.iter().any(|p| p.name == prop.name) {
            let message = format!("Multiple definition for property {}", prop.name.as_str());
            return Err(self.custom_at(self.peek(), message));
        }
        props.push(prop);
        Ok(())
    }

    /// `property`: `name = constant | unreserved_keyword | {map}`.
    pub(super) fn property(&mut self) -> PResult<Property> {
        let name = self.ident()?;
        self.expect(Tok::Eq, "'='")?;
        let value = if self.is(Tok::LBrace) {
            PropertyValue::Map(self.property_map()?)
        } else if self.is(Tok::Ident) && !self.is_kw("nan") && !self.is_kw("infinity") {
            // `propertyValue: constant | unreserved_keyword`: an unquoted word only.
            PropertyValue::Ident(self.ident()?)
        } else {
            PropertyValue::Constant(self.constant()?)
        };
        Ok(Property { name, value })
    }

    /// `fullMapLiteral` whose keys and values must be constants, keys unique.
    fn property_map(&mut self) -> PResult<Vec<(Term, Term)>> {
        let open = self.expect(Tok::LBrace, "'{'")?;
        let mut entries: Vec<(Term, Term)> = Vec::new();
        if self.eat(Tok::RBrace) {
            return Ok(entries);
        }
        loop {
            let k = self.term()?;
            self.expect(Tok::Colon, "':'")?;
            let v = self.term()?;
            let bind_note = |t: &Term| {
                if t.as_marker().is_some() {
                    " (bind variables are not supported in DDL queries)"
                } else {
                    ""
                }
            };
            if !matches!(k, Term::Literal(_)) {
                let message = format!("Invalid property name: {k}{}", bind_note(&k));
                return Err(self.custom_at(open, message));
            }
            if !matches!(v, Term::Literal(_)) {
                let message = format!(
                    "Invalid property value: {v} for property: {k}{}",
                    bind_note(&v)
                );
                return Err(self.custom_at(open, message));
            }
            if let Some(dup) = entries.iter().find(|(e, _)| raw_text(e) == raw_text(&k)) {
                let message = format!("Multiple definition for property {}", raw_text(&dup.0));
                return Err(self.custom_at(open, message));
            }
            entries.push((k, v));
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        self.expect(Tok::RBrace, "'}'")?;
        Ok(entries)
    }

    /// `constant`: a literal, including `NaN`, `-Infinity`...
    pub(super) fn constant(&mut self) -> PResult<Term> {
        let nan_or_inf = |p: &Self, n: usize| p.is_kw_at(n, "nan") || p.is_kw_at(n, "infinity");
        let ok = match self.peek().kind {
            Tok::Str
            | Tok::Integer
            | Tok::Float
            | Tok::Boolean
            | Tok::Uuid
            | Tok::Hex
            | Tok::Duration => true,
            Tok::Ident => nan_or_inf(self, 0),
            Tok::Minus => nan_or_inf(self, 1),
            _ => false,
        };
        if !ok {
            return Err(self.no_viable());
        }
        self.term_group()
    }
}

/// A constant's raw text (`getRawText()`): a string without its quotes, others as written.
fn raw_text(t: &Term) -> String {
    match t {
        Term::Literal(crate::ast::Literal::String(s)) => s.clone(),
        other => other.to_string(),
    }
}
