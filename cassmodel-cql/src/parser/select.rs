//! SELECT, selectors and WHERE-clause relations.

use super::{PResult, Parser};
use crate::ast::{
    ArithOp, Ident, InValues, NativeType, Operator, Order, Relation, Select, Selection, Selector,
    SelectorExpr, Term,
};
use crate::lexer::Tok;

impl Parser<'_> {
    /// `selectStatement`.
    pub(super) fn select(&mut self) -> PResult<Select> {
        self.expect_kw("select")?;
        let json = self.selection_modifier("json");
        let distinct = self.selection_modifier("distinct");
        let selection = if self.eat(Tok::Star) {
            Selection::Wildcard
        } else {
            let mut selectors = vec![self.selector()?];
            while self.eat(Tok::Comma) {
                selectors.push(self.selector()?);
            }
            Selection::Selectors(selectors)
        };
        self.expect_kw("from")?;
        let table = self.qualified_name()?;
        let where_clause = if self.eat_kw("where") {
            self.where_clause()?
        } else {
            Vec::new()
        };
        let mut group_by = Vec::new();
        if self.eat_kw("group") {
            self.expect_kw("by")?;
            group_by.push(self.ident()?);
            while self.eat(Tok::Comma) {
                group_by.push(self.ident()?);
            }
        }
        let mut order_by = Vec::new();
        if self.eat_kw("order") {
            self.expect_kw("by")?;
            loop {
                let col = self.ident()?;
                let order = if self.eat_kw("desc") {
                    Order::Desc
                } else {
                    self.eat_kw("asc");
                    Order::Asc
                };
                order_by.push((col, order));
                if !self.eat(Tok::Comma) {
                    break;
                }
            }
        }
        let per_partition_limit = if self.is_kw("per") {
            self.bump();
            self.expect_kw("partition")?;
            self.expect_kw("limit")?;
            Some(self.int_value()?)
        } else {
            None
        };
        let limit = if self.eat_kw("limit") {
            Some(self.int_value()?)
        } else {
            None
        };
        let allow_filtering = if self.eat_kw("allow") {
            self.expect_kw("filtering")?;
            true
        } else {
            false
        };
        Ok(Select {
            json,
            distinct,
            selection,
            table,
            where_clause,
            group_by,
            order_by,
            per_partition_limit,
            limit,
            allow_filtering,
        })
    }

    /// `JSON` / `DISTINCT` right after SELECT are modifiers unless they are the name of a
    /// selected column (`SELECT json FROM t`, `SELECT distinct, a FROM t`).
    fn selection_modifier(&mut self, kw: &str) -> bool {
        if !self.is_kw(kw) {
            return false;
        }
        let next = self.peek_at(1);
        let column = matches!(
            next.kind,
            Tok::Comma
                | Tok::LParen
                | Tok::LBracket
                | Tok::Dot
                | Tok::Plus
                | Tok::Slash
                | Tok::Percent
                | Tok::Eof
        ) || self.is_kw_at(1, "from")
            || self.is_kw_at(1, "as");
        if !column {
            self.bump();
        }
        !column
    }

    /// `selector`: `unaliasedSelector (AS ident)?`.
    fn selector(&mut self) -> PResult<Selector> {
        let expr = self.unaliased_selector()?;
        let alias = if self.eat_kw("as") {
            Some(self.ident()?)
        } else {
            None
        };
        Ok(Selector { expr, alias })
    }

    /// `unaliasedSelector`: arithmetic over selector groups (`selectionAddition`).
    fn unaliased_selector(&mut self) -> PResult<SelectorExpr> {
        self.nested(Self::selection_addition)
    }

    fn selection_addition(&mut self) -> PResult<SelectorExpr> {
        let mut left = self.selection_multiplication()?;
        loop {
            let op = match self.peek().kind {
                Tok::Plus => ArithOp::Add,
                Tok::Minus => ArithOp::Sub,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.selection_multiplication()?;
            left = SelectorExpr::Arithmetic {
                op,
                left: Box::new(left),
                right: Box::new(right),
            };
        }
    }

    fn selection_multiplication(&mut self) -> PResult<SelectorExpr> {
        let mut left = self.selection_group()?;
        loop {
            let op = match self.peek().kind {
                Tok::Star => ArithOp::Mul,
                Tok::Slash => ArithOp::Div,
                Tok::Percent => ArithOp::Rem,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.selection_group()?;
            left = SelectorExpr::Arithmetic {
                op,
                left: Box::new(left),
                right: Box::new(right),
            };
        }
    }

    /// `selectionGroup`: `-group`, or a group without field followed by its `.field`,
    /// `[key]` and `[a..b]` modifiers.
    fn selection_group(&mut self) -> PResult<SelectorExpr> {
        if self.is(Tok::Minus) && !(self.is_kw_at(1, "nan") || self.is_kw_at(1, "infinity")) {
            self.bump();
            let inner = self.nested(Self::selection_group)?;
            return Ok(SelectorExpr::Negate(Box::new(inner)));
        }
        let mut expr = self.selection_group_without_field()?;
        loop {
            if self.eat(Tok::Dot) {
                let field = self.ident()?;
                expr = SelectorExpr::Field {
                    expr: Box::new(expr),
                    field,
                };
            } else if self.eat(Tok::LBracket) {
                let from = if self.is(Tok::Range) {
                    None
                } else {
                    Some(self.term()?)
                };
                if self.eat(Tok::Range) {
                    let to = if self.is(Tok::RBracket) {
                        None
                    } else {
                        Some(self.term()?)
                    };
                    if from.is_none() && to.is_none() {
                        return Err(self.no_viable());
                    }
                    self.expect(Tok::RBracket, "']'")?;
                    expr = SelectorExpr::Slice {
                        expr: Box::new(expr),
                        from,
                        to,
                    };
                } else {
                    self.expect(Tok::RBracket, "']'")?;
                    let Some(key) = from else {
                        return Err(self.no_viable());
                    };
                    expr = SelectorExpr::Element {
                        expr: Box::new(expr),
                        key,
                    };
                }
            } else {
                return Ok(expr);
            }
        }
    }

    /// `selectionGroupWithoutField`: simple selector, type hint, tuple/parenthesised,
    /// list, set or map.
    fn selection_group_without_field(&mut self) -> PResult<SelectorExpr> {
        match self.peek().kind {
            Tok::LParen => {
                if self.starts_type_at(1) {
                    let save = (self.pos, self.markers.len());
                    self.bump();
                    if let Ok(ty) = self.type_expr()
                        && self.eat(Tok::RParen)
                        && !matches!(self.peek().kind, Tok::Comma | Tok::RParen | Tok::Eof)
                        && !self.is_kw("from")
                        && !self.is_kw("as")
                    {
                        let expr = self.nested(Self::selection_group_without_field)?;
                        return Ok(SelectorExpr::TypeHint {
                            ty,
                            expr: Box::new(expr),
                        });
                    }
                    self.pos = save.0;
                    self.markers.truncate(save.1);
                }
                self.bump();
                let mut items = vec![self.unaliased_selector()?];
                while self.eat(Tok::Comma) {
                    items.push(self.unaliased_selector()?);
                }
                self.expect(Tok::RParen, "')'")?;
                // An operation between parentheses stays a one-element tuple: Cassandra
                // names the selector with its parentheses (`Selectable.
                // BetweenParenthesesOrWithTuple`), e.g. `(c - b) / a`.
                if items.len() == 1
                    && !matches!(
                        items[0],
                        SelectorExpr::Arithmetic { .. } | SelectorExpr::Negate(_)
                    )
                {
                    return Ok(items.remove(0));
                }
                Ok(SelectorExpr::Tuple(items))
            }
            Tok::LBracket => {
                self.bump();
                let mut items = Vec::new();
                if !self.eat(Tok::RBracket) {
                    items.push(self.unaliased_selector()?);
                    while self.eat(Tok::Comma) {
                        items.push(self.unaliased_selector()?);
                    }
                    self.expect(Tok::RBracket, "']'")?;
                }
                Ok(SelectorExpr::List(items))
            }
            Tok::LBrace => {
                self.bump();
                if self.eat(Tok::RBrace) {
                    return Ok(SelectorExpr::Set(Vec::new()));
                }
                let first = self.unaliased_selector()?;
                if self.eat(Tok::Colon) {
                    let mut entries = vec![(first, self.unaliased_selector()?)];
                    while self.eat(Tok::Comma) {
                        let k = self.unaliased_selector()?;
                        self.expect(Tok::Colon, "':'")?;
                        entries.push((k, self.unaliased_selector()?));
                    }
                    self.expect(Tok::RBrace, "'}'")?;
                    return Ok(SelectorExpr::Map(entries));
                }
                let mut items = vec![first];
                while self.eat(Tok::Comma) {
                    items.push(self.unaliased_selector()?);
                }
                self.expect(Tok::RBrace, "'}'")?;
                Ok(SelectorExpr::Set(items))
            }
            _ => self.selector_base(),
        }
    }

    fn selector_base(&mut self) -> PResult<SelectorExpr> {
        let call = self.is_at(1, Tok::LParen);
        if call && self.is_kw("count") && self.is_at(2, Tok::Star) && self.is_at(3, Tok::RParen) {
            self.pos += 4;
            return Ok(SelectorExpr::CountAll);
        }
        if call && (self.is_kw("writetime") || self.is_kw("ttl")) {
            let writetime = self.is_kw("writetime");
            self.pos += 2;
            let col = self.ident()?;
            self.expect(Tok::RParen, "')'")?;
            return Ok(if writetime {
                SelectorExpr::WriteTime(col)
            } else {
                SelectorExpr::Ttl(col)
            });
        }
        if call && self.is_kw("cast") {
            self.pos += 2;
            let expr = self.unaliased_selector()?;
            self.expect_kw("as")?;
            let t = self.peek();
            let ty = match NativeType::from_name(self.text(t)) {
                Some(ty) if t.kind == Tok::Ident => ty,
                _ => return Err(self.no_viable()),
            };
            self.bump();
            self.expect(Tok::RParen, "')'")?;
            return Ok(SelectorExpr::Cast {
                expr: Box::new(expr),
                ty,
            });
        }
        if self.starts_function_at(0) {
            let name = self.function_name()?;
            self.expect(Tok::LParen, "'('")?;
            let mut args = Vec::new();
            if !self.eat(Tok::RParen) {
                args.push(self.unaliased_selector()?);
                while self.eat(Tok::Comma) {
                    args.push(self.unaliased_selector()?);
                }
                self.expect(Tok::RParen, "')'")?;
            }
            return Ok(SelectorExpr::Function { name, args });
        }
        if self.is_ident() {
            return Ok(SelectorExpr::Column(self.ident()?));
        }
        // selectionLiteral: constant, NULL or a bind marker.
        if self.starts_term_at(0) {
            return Ok(SelectorExpr::Term(self.term_group()?));
        }
        Err(self.no_viable())
    }

    /// `whereClause`: relations joined by AND.
    pub(super) fn where_clause(&mut self) -> PResult<Vec<Relation>> {
        let mut relations = Vec::new();
        self.relation(&mut relations)?;
        while self.eat_kw("and") {
            self.relation(&mut relations)?;
        }
        Ok(relations)
    }

    /// `relationType`: `= < <= > >= !=`.
    fn relation_type(&mut self) -> Option<Operator> {
        let op = match self.peek().kind {
            Tok::Eq => Operator::Eq,
            Tok::Lt => Operator::Lt,
            Tok::Lte => Operator::Lte,
            Tok::Gt => Operator::Gt,
            Tok::Gte => Operator::Gte,
            Tok::Neq => Operator::Neq,
            _ => return None,
        };
        self.bump();
        Some(op)
    }

    /// `relation` (a parenthesised relation is flattened into `out`).
    fn relation(&mut self, out: &mut Vec<Relation>) -> PResult<()> {
        self.nested(|p| p.relation_inner(out))
    }

    fn relation_inner(&mut self, out: &mut Vec<Relation>) -> PResult<()> {
        if self.is(Tok::LParen) {
            // `(a, b) op ...` versus `'(' relation ')'`.
            let tuple =
                self.is_ident_at(1) && matches!(self.peek_at(2).kind, Tok::Comma | Tok::RParen);
            if !tuple {
                self.bump();
                self.relation(out)?;
                self.expect(Tok::RParen, "')'")?;
                return Ok(());
            }
            let columns = self.tuple_of_identifiers()?;
            out.push(self.multi_column_relation(columns)?);
            return Ok(());
        }
        if self.is_kw("token") && self.is_at(1, Tok::LParen) {
            self.bump();
            let columns = self.tuple_of_identifiers()?;
            let op = self.relation_type().ok_or_else(|| self.no_viable())?;
            let value = self.term()?;
            out.push(Relation::Token { columns, op, value });
            return Ok(());
        }
        let column = self.ident()?;
        if let Some(op) = self.relation_type() {
            out.push(Relation::Compare {
                column,
                op,
                value: self.term()?,
            });
        } else if self.eat_kw("like") {
            out.push(Relation::Compare {
                column,
                op: Operator::Like,
                value: self.term()?,
            });
        } else if self.eat_kw("is") {
            self.expect_kw("not")?;
            self.expect_kw("null")?;
            out.push(Relation::IsNotNull(column));
        } else if self.eat_kw("in") {
            let values = self.in_values(false)?;
            out.push(Relation::In { column, values });
        } else if self.eat_kw("contains") {
            let op = if self.eat_kw("key") {
                Operator::ContainsKey
            } else {
                Operator::Contains
            };
            out.push(Relation::Compare {
                column,
                op,
                value: self.term()?,
            });
        } else if self.eat(Tok::LBracket) {
            let key = self.term()?;
            self.expect(Tok::RBracket, "']'")?;
            let op = self.relation_type().ok_or_else(|| self.no_viable())?;
            out.push(Relation::Element {
                column,
                key,
                op,
                value: self.term()?,
            });
        } else {
            return Err(self.no_viable());
        }
        Ok(())
    }

    /// `'(' ident (',' ident)* ')'`.
    fn tuple_of_identifiers(&mut self) -> PResult<Vec<Ident>> {
        self.expect(Tok::LParen, "'('")?;
        let mut ids = vec![self.ident()?];
        while self.eat(Tok::Comma) {
            ids.push(self.ident()?);
        }
        self.expect(Tok::RParen, "')'")?;
        Ok(ids)
    }

    /// After `(a, b)`: `IN ...` or `op (tuple | marker)`.
    fn multi_column_relation(&mut self, columns: Vec<Ident>) -> PResult<Relation> {
        if self.eat_kw("in") {
            let values = self.in_values(true)?;
            return Ok(Relation::MultiIn { columns, values });
        }
        let op = self.relation_type().ok_or_else(|| self.no_viable())?;
        let value = if self.is_marker() {
            Term::Marker(self.marker()?)
        } else if self.is(Tok::LParen) {
            self.tuple_literal()?
        } else {
            return Err(self.no_viable());
        };
        Ok(Relation::MultiCompare { columns, op, value })
    }

    /// `IN ?`, `IN :name` or `IN '(' (item (',' item)*)? ')'`; items are terms, or tuple
    /// literals/markers for multi-column relations.
    pub(super) fn in_values(&mut self, tuples: bool) -> PResult<InValues> {
        if self.is_marker() {
            return Ok(InValues::Marker(self.marker()?));
        }
        self.expect(Tok::LParen, "'('")?;
        let mut items = Vec::new();
        if !self.eat(Tok::RParen) {
            loop {
                let item = if !tuples {
                    self.term()?
                } else if self.is_marker() {
                    Term::Marker(self.marker()?)
                } else {
                    self.tuple_literal()?
                };
                items.push(item);
                if !self.eat(Tok::Comma) {
                    break;
                }
            }
            self.expect(Tok::RParen, "')'")?;
        }
        Ok(InValues::List(items))
    }
}
