//! `DESCRIBE` / `DESC` (`describeStatement` in Parser.g) and the recognition of statements the
//! embedded server refuses.

use super::{PResult, Parser};
use crate::ast::{Describe, DescribeTarget, Statement};
use crate::lexer::Tok;

impl Parser<'_> {
    /// `describeStatement`.
    pub(super) fn describe(&mut self) -> PResult<Describe> {
        if !self.eat_kw("describe") {
            self.expect_kw("desc")?;
        }
        // Plural and CLUSTER forms win over a table of that name, as ANTLR's predicates do.
        let fixed = [
            ("cluster", DescribeTarget::Cluster),
            ("keyspaces", DescribeTarget::Keyspaces),
            ("tables", DescribeTarget::Tables),
            ("types", DescribeTarget::Types),
            ("functions", DescribeTarget::Functions),
            ("aggregates", DescribeTarget::Aggregates),
        ];
        let target = if let Some((_, t)) = fixed.iter().find(|(w, _)| self.is_kw(w)) {
            self.bump();
            t.clone()
        } else if self.is_kw("schema") || (self.is_kw("full") && self.is_kw_at(1, "schema")) {
            let full = self.eat_kw("full");
            self.bump();
            DescribeTarget::Schema { full }
        } else if self.is_kw("keyspace") || (self.is_kw("only") && self.is_kw_at(1, "keyspace")) {
            let only = self.eat_kw("only");
            self.bump();
            let name = if self.is_ident() {
                Some(self.keyspace_name()?)
            } else {
                None
            };
            DescribeTarget::Keyspace { name, only }
        } else if self.eat_kw("table") || self.eat_kw("columnfamily") {
            DescribeTarget::Table(self.qualified_name()?)
        } else if self.eat_kw("index") {
            DescribeTarget::Index(self.qualified_name_of("index")?)
        } else if self.is_kw("materialized") {
            self.bump();
            self.expect_kw("view")?;
            DescribeTarget::MaterializedView(self.qualified_name()?)
        } else if self.is_kw("type") && self.is_ident_at(1) {
            self.bump();
            DescribeTarget::Type(self.qualified_name()?)
        } else if self.is_kw("function") && self.is_ident_at(1) {
            self.bump();
            DescribeTarget::Function(self.qualified_name()?)
        } else if self.is_kw("aggregate") && self.is_ident_at(1) {
            self.bump();
            DescribeTarget::Aggregate(self.qualified_name()?)
        } else if self.is_ident() {
            DescribeTarget::Generic(self.qualified_name()?)
        } else {
            return Err(self.no_viable());
        };
        let with_internals = if self.eat_kw("with") {
            self.expect_kw("internals")?;
            true
        } else {
            false
        };
        Ok(Describe {
            target,
            with_internals,
        })
    }

    /// A statement recognised by the keywords `words` (checked at the cursor) but refused by
    /// the embedded server: skips to the end of the statement (`;` or EOF; `$$` bodies are
    /// single tokens), keeping its words.
    pub(super) fn unsupported(&mut self, words: &[&str]) -> PResult<Statement> {
        for (i, w) in words.iter().enumerate() {
            if !self.is_kw_at(i, w) {
                self.pos += i;
                return Err(self.mismatch(&format!("K_{}", w.to_ascii_uppercase())));
            }
        }
        let what = words
            .iter()
            .map(|w| w.to_ascii_uppercase())
            .collect::<Vec<_>>()
            .join(" ");
        let mut statement_words = Vec::new();
        while !self.is(Tok::Eof) && !self.is(Tok::Semi) {
            let t = self.peek();
            match t.kind {
                Tok::Str | Tok::QuotedName => {}
                _ => statement_words.push(self.text(t).to_lowercase()),
            }
            self.bump();
        }
        Ok(Statement::Unsupported {
            what,
            words: statement_words,
        })
    }

    /// The refused statement starting with `CREATE`, `ALTER` or `DROP` (`verb`) at the cursor,
    /// if its next keywords name one.
    pub(super) fn unsupported_schema_statement(&mut self, verb: &str) -> PResult<Statement> {
        let next = |p: &Self, w: &str| p.is_kw_at(1, w);
        let words: Vec<&str> = if next(self, "materialized") {
            vec![verb, "materialized", "view"]
        } else if verb == "create" && next(self, "or") {
            let what = if self.is_kw_at(3, "aggregate") {
                "aggregate"
            } else {
                "function"
            };
            vec![verb, "or", "replace", what]
        } else if let Some(w) = [
            "function",
            "aggregate",
            "trigger",
            "role",
            "user",
            "identity",
        ]
        .into_iter()
        .find(|w| next(self, w))
        {
            let allowed = match verb {
                "create" => w != "identity",
                "alter" => matches!(w, "role" | "user"),
                _ => true,
            };
            if !allowed {
                self.bump();
                return Err(self.no_viable());
            }
            vec![verb, w]
        } else {
            self.bump();
            return Err(self.no_viable());
        };
        self.unsupported(&words)
    }
}
