//! INSERT, UPDATE, DELETE and BATCH, with USING and IF clauses.

use super::{PResult, Parser};
use crate::ast::{
    Assignment, Batch, BatchKind, Condition, ConditionOp, ConditionTarget, Delete, DeleteTarget,
    IfClause, Insert, InsertValues, Literal, Modification, Operator, Term, Update, Using,
};
use crate::lexer::Tok;

impl Parser<'_> {
    /// `insertStatement`.
    pub(super) fn insert(&mut self) -> PResult<Insert> {
        self.expect_kw("insert")?;
        self.expect_kw("into")?;
        let table = self.qualified_name()?;
        let values = if self.eat_kw("json") {
            let t = self.peek();
            let json = match t.kind {
                Tok::Str => {
                    self.bump();
                    Term::Literal(Literal::String(self.string_value(t)))
                }
                Tok::QMark | Tok::Colon => Term::Marker(self.marker()?),
                _ => return Err(self.no_viable()),
            };
            let mut default_unset = false;
            if self.eat_kw("default") {
                if self.eat_kw("unset") {
                    default_unset = true;
                } else if !self.eat_kw("null") {
                    return Err(self.no_viable());
                }
            }
            InsertValues::Json {
                json,
                default_unset,
            }
        } else {
            self.expect(Tok::LParen, "'('")?;
            let mut columns = vec![self.ident()?];
            while self.eat(Tok::Comma) {
                columns.push(self.ident()?);
            }
            self.expect(Tok::RParen, "')'")?;
            self.expect_kw("values")?;
            self.expect(Tok::LParen, "'('")?;
            let mut values = vec![self.term()?];
            while self.eat(Tok::Comma) {
                values.push(self.term()?);
            }
            self.expect(Tok::RParen, "')'")?;
            InsertValues::Values { columns, values }
        };
        let if_not_exists = self.if_not_exists()?;
        let using = self.using_clause()?;
        Ok(Insert {
            table,
            values,
            if_not_exists,
            using,
        })
    }

    /// `usingClause`: `USING (TTL v | TIMESTAMP v) (AND ...)*`, or nothing.
    fn using_clause(&mut self) -> PResult<Using> {
        let mut using = Using::default();
        if !self.eat_kw("using") {
            return Ok(using);
        }
        loop {
            if self.eat_kw("ttl") {
                using.ttl = Some(self.int_value()?);
            } else if self.eat_kw("timestamp") {
                using.timestamp = Some(self.int_value()?);
            } else {
                return Err(self.no_viable());
            }
            if !self.eat_kw("and") {
                return Ok(using);
            }
        }
    }

    /// `updateStatement`.
    pub(super) fn update(&mut self) -> PResult<Update> {
        self.expect_kw("update")?;
        let table = self.qualified_name()?;
        let using = self.using_clause()?;
        self.expect_kw("set")?;
        let mut assignments = Vec::new();
        loop {
            let start = self.peek();
            let op = self.assignment()?;
            // `addRawUpdate` in Parser.g: a plain `c = v` cannot be combined with any other
            // operation on the same column.
            let clash = assignments.iter().any(|a: &Assignment| {
                a.column() == op.column()
                    && (matches!(a, Assignment::Set { .. }) || matches!(op, Assignment::Set { .. }))
            });
            if clash {
                let message = format!(
                    "Multiple incompatible setting of column {}",
                    op.column().as_str()
                );
                return Err(self.custom_at(start, message));
            }
            assignments.push(op);
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        self.expect_kw("where")?;
        let where_clause = self.where_clause()?;
        let if_clause = self.if_clause()?;
        Ok(Update {
            table,
            using,
            assignments,
            where_clause,
            if_clause,
        })
    }

    /// `columnOperation`.
    fn assignment(&mut self) -> PResult<Assignment> {
        let column = self.ident()?;
        match self.peek().kind {
            Tok::PlusEq | Tok::MinusEq => {
                let add = self.bump().kind == Tok::PlusEq;
                let value = self.term()?;
                Ok(if add {
                    Assignment::Add { column, value }
                } else {
                    Assignment::Subtract { column, value }
                })
            }
            Tok::LBracket => {
                self.bump();
                let key = self.term()?;
                self.expect(Tok::RBracket, "']'")?;
                self.expect(Tok::Eq, "'='")?;
                Ok(Assignment::SetElement {
                    column,
                    key,
                    value: self.term()?,
                })
            }
            Tok::Dot => {
                self.bump();
                let field = self.ident()?;
                self.expect(Tok::Eq, "'='")?;
                Ok(Assignment::SetField {
                    column,
                    field,
                    value: self.term()?,
                })
            }
            Tok::Eq => {
                self.bump();
                self.normal_column_operation(column)
            }
            _ => Err(self.no_viable()),
        }
    }

    /// `normalColumnOperation` after `c =`: `term`, `term + c`, `c + term`, `c - term`,
    /// `c -5`.
    fn normal_column_operation(&mut self, column: crate::ast::Ident) -> PResult<Assignment> {
        if self.is_ident() && !self.starts_function_at(0) {
            let other_tok = self.peek();
            let other = self.ident()?;
            let t = self.peek();
            let (assignment, sign) = match t.kind {
                Tok::Plus | Tok::Minus => {
                    self.bump();
                    let value = self.term()?;
                    if t.kind == Tok::Plus {
                        (
                            Assignment::Add {
                                column: column.clone(),
                                value,
                            },
                            "+",
                        )
                    } else {
                        (
                            Assignment::Subtract {
                                column: column.clone(),
                                value,
                            },
                            "-",
                        )
                    }
                }
                // `c = c -5`: the sign is part of the integer token; Parser.g reads it as the
                // addition of a negative number.
                Tok::Integer => {
                    self.bump();
                    let text = self.text(t);
                    let value = Term::Literal(Literal::Integer(text.to_owned()));
                    let sign = if text.starts_with('-') { "- " } else { "+ " };
                    (
                        Assignment::Add {
                            column: column.clone(),
                            value,
                        },
                        sign,
                    )
                }
                _ => return Err(self.no_viable()),
            };
            if other != column {
                return Err(self.custom_at(
                    other_tok,
                    format!("Only expressions of the form X = X {sign}<value> are supported."),
                ));
            }
            return Ok(assignment);
        }
        let value = self.term()?;
        if self.is(Tok::Plus) {
            self.bump();
            let other_tok = self.peek();
            let other = self.ident()?;
            if other != column {
                return Err(self.custom_at(
                    other_tok,
                    "Only expressions of the form X = <value> + X are supported.",
                ));
            }
            return Ok(Assignment::Prepend { column, value });
        }
        Ok(Assignment::Set { column, value })
    }

    /// `IF EXISTS | IF conditions`, or nothing.
    fn if_clause(&mut self) -> PResult<Option<IfClause>> {
        if !self.eat_kw("if") {
            return Ok(None);
        }
        if self.eat_kw("exists") {
            return Ok(Some(IfClause::Exists));
        }
        let mut conditions = vec![self.condition()?];
        while self.eat_kw("and") {
            conditions.push(self.condition()?);
        }
        Ok(Some(IfClause::Conditions(conditions)))
    }

    /// `columnCondition`.
    fn condition(&mut self) -> PResult<Condition> {
        let column = self.ident()?;
        let target = if self.eat(Tok::LBracket) {
            let key = self.term()?;
            self.expect(Tok::RBracket, "']'")?;
            ConditionTarget::Element { column, key }
        } else if self.eat(Tok::Dot) {
            let field = self.ident()?;
            ConditionTarget::Field { column, field }
        } else {
            ConditionTarget::Column(column)
        };
        let op = if self.eat_kw("in") {
            ConditionOp::In(self.in_values(false)?)
        } else {
            let op = match self.peek().kind {
                Tok::Eq => Operator::Eq,
                Tok::Lt => Operator::Lt,
                Tok::Lte => Operator::Lte,
                Tok::Gt => Operator::Gt,
                Tok::Gte => Operator::Gte,
                Tok::Neq => Operator::Neq,
                // `c CONTAINS [KEY] t` (only on a plain column, as in Parser.g).
                Tok::Ident
                    if self.is_kw("contains") && matches!(target, ConditionTarget::Column(_)) =>
                {
                    if self.is_kw_at(1, "key") {
                        self.bump();
                        Operator::ContainsKey
                    } else {
                        Operator::Contains
                    }
                }
                _ => return Err(self.no_viable()),
            };
            self.bump();
            ConditionOp::Compare(op, self.term()?)
        };
        Ok(Condition { target, op })
    }

    /// `deleteStatement`.
    pub(super) fn delete(&mut self) -> PResult<Delete> {
        self.expect_kw("delete")?;
        let mut targets = Vec::new();
        if !self.is_kw("from") {
            loop {
                let column = self.ident()?;
                let target = if self.eat(Tok::LBracket) {
                    let key = self.term()?;
                    self.expect(Tok::RBracket, "']'")?;
                    DeleteTarget::Element { column, key }
                } else if self.eat(Tok::Dot) {
                    DeleteTarget::Field {
                        column,
                        field: self.ident()?,
                    }
                } else {
                    DeleteTarget::Column(column)
                };
                targets.push(target);
                if !self.eat(Tok::Comma) {
                    break;
                }
            }
        }
        self.expect_kw("from")?;
        let table = self.qualified_name()?;
        let timestamp = if self.eat_kw("using") {
            self.expect_kw("timestamp")?;
            Some(self.int_value()?)
        } else {
            None
        };
        self.expect_kw("where")?;
        let where_clause = self.where_clause()?;
        let if_clause = self.if_clause()?;
        Ok(Delete {
            targets,
            table,
            timestamp,
            where_clause,
            if_clause,
        })
    }

    /// `batchStatement`: markers number across all sub-statements.
    pub(super) fn batch(&mut self) -> PResult<Batch> {
        self.expect_kw("begin")?;
        let kind = if self.eat_kw("unlogged") {
            BatchKind::Unlogged
        } else if self.eat_kw("counter") {
            BatchKind::Counter
        } else {
            BatchKind::Logged
        };
        self.expect_kw("batch")?;
        let using = self.using_clause()?;
        let mut statements = Vec::new();
        loop {
            if self.is_kw("apply") {
                self.bump();
                self.expect_kw("batch")?;
                return Ok(Batch {
                    kind,
                    using,
                    statements,
                });
            }
            let stmt = if self.is_kw("insert") {
                Modification::Insert(self.insert()?)
            } else if self.is_kw("update") {
                Modification::Update(self.update()?)
            } else if self.is_kw("delete") {
                Modification::Delete(self.delete()?)
            } else {
                return Err(self.no_viable());
            };
            statements.push(stmt);
            self.eat(Tok::Semi);
        }
    }
}
