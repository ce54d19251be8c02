//! Schema statements: CREATE/ALTER/DROP of keyspaces, tables, indexes and types.

use super::{PResult, Parser};
use crate::ast::{
    AlterKeyspace, AlterTable, AlterTableAction, AlterType, AlterTypeAction, ColumnDefinition,
    CreateIndex, CreateKeyspace, CreateTable, CreateType, DropObject, Ident, IndexTarget,
    IndexTargetKind, Order, PrimaryKey, Statement, TableOptions,
};
use crate::lexer::Tok;

impl Parser<'_> {
    /// `CREATE ...`
    pub(super) fn create(&mut self) -> PResult<Statement> {
        self.expect_kw("create")?;
        if self.is_kw("keyspace") || self.is_kw("schema") {
            self.bump();
            let if_not_exists = self.if_not_exists()?;
            let name = self.keyspace_name()?;
            self.expect_kw("with")?;
            let properties = self.properties()?;
            return Ok(Statement::CreateKeyspace(CreateKeyspace {
                name,
                if_not_exists,
                properties,
            }));
        }
        if self.is_kw("table") || self.is_kw("columnfamily") {
            self.bump();
            return self.create_table().map(Statement::CreateTable);
        }
        if self.is_kw("index") || (self.is_kw("custom") && self.is_kw_at(1, "index")) {
            return self.create_index().map(Statement::CreateIndex);
        }
        if self.is_kw("type") {
            self.bump();
            let if_not_exists = self.if_not_exists()?;
            let name = self.type_name()?;
            self.expect(Tok::LParen, "'('")?;
            let mut fields = Vec::new();
            loop {
                let f = self.ident()?;
                fields.push((f, self.type_expr()?));
                if !self.eat(Tok::Comma) {
                    break;
                }
                // `(',' typeColumns?)*`: trailing commas are accepted.
                if self.is(Tok::RParen) {
                    break;
                }
            }
            self.expect(Tok::RParen, "')'")?;
            return Ok(Statement::CreateType(CreateType {
                name,
                if_not_exists,
                fields,
            }));
        }
        // Step back over CREATE: the refused statement's name includes it.
        self.pos -= 1;
        self.unsupported_schema_statement("create")
    }

    /// `[ks.]type_name` for CREATE/ALTER/DROP TYPE.
    fn type_name(&mut self) -> PResult<crate::ast::QualifiedName> {
        self.qualified_name()
    }

    /// After `CREATE TABLE`: `[IF NOT EXISTS] name '(' columns ')' [WITH options]`.
    fn create_table(&mut self) -> PResult<CreateTable> {
        let if_not_exists = self.if_not_exists()?;
        let name = self.qualified_name()?;
        self.expect(Tok::LParen, "'('")?;
        let mut columns = Vec::new();
        let mut primary_keys = Vec::new();
        loop {
            if self.is_kw("primary") {
                self.bump();
                self.expect_kw("key")?;
                primary_keys.push(self.primary_key_clause()?);
            } else {
                let name = self.ident()?;
                let ty = self.type_expr()?;
                let is_static = self.eat_kw("static");
                let primary_key = if self.eat_kw("primary") {
                    self.expect_kw("key")?;
                    true
                } else {
                    false
                };
                columns.push(ColumnDefinition {
                    name,
                    ty,
                    is_static,
                    primary_key,
                });
            }
            // `'(' cfamColumns (',' cfamColumns?)* ')'`: empty items are accepted.
            if !self.eat(Tok::Comma) {
                break;
            }
            while self.eat(Tok::Comma) {}
            if self.is(Tok::RParen) {
                break;
            }
        }
        self.expect(Tok::RParen, "')'")?;
        let options = if self.eat_kw("with") {
            self.table_options()?
        } else {
            TableOptions::default()
        };
        Ok(CreateTable {
            name,
            if_not_exists,
            columns,
            primary_keys,
            options,
        })
    }

    /// `'(' pkDef (',' ident)* ')'` after `PRIMARY KEY`.
    fn primary_key_clause(&mut self) -> PResult<PrimaryKey> {
        self.expect(Tok::LParen, "'('")?;
        let mut pk = PrimaryKey::default();
        if self.eat(Tok::LParen) {
            pk.partition_key.push(self.ident()?);
            while self.eat(Tok::Comma) {
                pk.partition_key.push(self.ident()?);
            }
            self.expect(Tok::RParen, "')'")?;
        } else {
            pk.partition_key.push(self.ident()?);
        }
        while self.eat(Tok::Comma) {
            pk.clustering.push(self.ident()?);
        }
        self.expect(Tok::RParen, "')'")?;
        Ok(pk)
    }

    /// `cfamProperty (AND cfamProperty)*`.
    fn table_options(&mut self) -> PResult<TableOptions> {
        let mut opts = TableOptions::default();
        loop {
            if self.is_kw("compact") && self.is_kw_at(1, "storage") {
                self.bump();
                self.bump();
                opts.compact_storage = true;
            } else if self.is_kw("clustering") && self.is_kw_at(1, "order") {
                self.bump();
                self.bump();
                self.expect_kw("by")?;
                self.expect(Tok::LParen, "'('")?;
                loop {
                    let col = self.ident()?;
                    let order = if self.eat_kw("asc") {
                        Order::Asc
                    } else if self.eat_kw("desc") {
                        Order::Desc
                    } else {
                        return Err(self.no_viable());
                    };
                    opts.clustering_order.push((col, order));
                    if !self.eat(Tok::Comma) {
                        break;
                    }
                }
                self.expect(Tok::RParen, "')'")?;
            } else {
                let prop = self.property()?;
                self.push_property(&mut opts.properties, prop)?;
            }
            if !self.eat_kw("and") {
                return Ok(opts);
            }
        }
    }

    /// `CREATE [CUSTOM] INDEX [IF NOT EXISTS] [name] ON t '(' targets ')' [USING 'c'] [WITH p]`.
    fn create_index(&mut self) -> PResult<CreateIndex> {
        let custom = self.eat_kw("custom");
        self.expect_kw("index")?;
        let if_not_exists = self.if_not_exists()?;
        let name = if self.is_kw("on") {
            None
        } else {
            Some(self.ident()?)
        };
        self.expect_kw("on")?;
        let table = self.qualified_name()?;
        self.expect(Tok::LParen, "'('")?;
        let mut targets = Vec::new();
        if !self.eat(Tok::RParen) {
            loop {
                targets.push(self.index_target()?);
                if !self.eat(Tok::Comma) {
                    break;
                }
            }
            self.expect(Tok::RParen, "')'")?;
        }
        let using = if self.eat_kw("using") {
            let t = self.expect(Tok::Str, "STRING_LITERAL")?;
            Some(self.string_value(t))
        } else {
            None
        };
        let properties = if self.eat_kw("with") {
            self.properties()?
        } else {
            Vec::new()
        };
        Ok(CreateIndex {
            name,
            table,
            if_not_exists,
            custom,
            targets,
            using,
            properties,
        })
    }

    /// `indexIdent`: `c | values(c) | keys(c) | entries(c) | full(c)`.
    fn index_target(&mut self) -> PResult<IndexTarget> {
        let kinds = [
            ("values", IndexTargetKind::Values),
            ("keys", IndexTargetKind::Keys),
            ("entries", IndexTargetKind::Entries),
            ("full", IndexTargetKind::Full),
        ];
        if self.is_at(1, Tok::LParen)
            && let Some((_, kind)) = kinds.iter().find(|(w, _)| self.is_kw(w))
        {
            self.bump();
            self.bump();
            let column = self.ident()?;
            self.expect(Tok::RParen, "')'")?;
            return Ok(IndexTarget {
                column,
                kind: *kind,
            });
        }
        Ok(IndexTarget {
            column: self.ident()?,
            kind: IndexTargetKind::Simple,
        })
    }

    /// `ALTER ...`
    pub(super) fn alter(&mut self) -> PResult<Statement> {
        self.expect_kw("alter")?;
        if self.is_kw("keyspace") || self.is_kw("schema") {
            self.bump();
            let if_exists = self.if_exists()?;
            let name = self.keyspace_name()?;
            self.expect_kw("with")?;
            let properties = self.properties()?;
            return Ok(Statement::AlterKeyspace(AlterKeyspace {
                name,
                if_exists,
                properties,
            }));
        }
        if self.is_kw("table") || self.is_kw("columnfamily") {
            self.bump();
            let if_exists = self.if_exists()?;
            let name = self.qualified_name()?;
            let action = self.alter_table_action()?;
            return Ok(Statement::AlterTable(AlterTable {
                name,
                if_exists,
                action,
            }));
        }
        if self.is_kw("type") {
            self.bump();
            let if_exists = self.if_exists()?;
            let name = self.type_name()?;
            let action = self.alter_type_action()?;
            return Ok(Statement::AlterType(AlterType {
                name,
                if_exists,
                action,
            }));
        }
        self.pos -= 1;
        self.unsupported_schema_statement("alter")
    }

    fn alter_table_action(&mut self) -> PResult<AlterTableAction> {
        if self.eat_kw("alter") {
            let column = self.ident()?;
            self.expect_kw("type")?;
            let ty = self.type_expr()?;
            return Ok(AlterTableAction::AlterColumnType { column, ty });
        }
        if self.eat_kw("add") {
            let if_not_exists = self.if_not_exists()?;
            let mut columns = Vec::new();
            let parens = self.eat(Tok::LParen);
            loop {
                let name = self.ident()?;
                let ty = self.type_expr()?;
                let is_static = self.eat_kw("static");
                columns.push(ColumnDefinition {
                    name,
                    ty,
                    is_static,
                    primary_key: false,
                });
                if !parens || !self.eat(Tok::Comma) {
                    break;
                }
            }
            if parens {
                self.expect(Tok::RParen, "')'")?;
            }
            return Ok(AlterTableAction::Add {
                if_not_exists,
                columns,
            });
        }
        if self.eat_kw("drop") {
            if self.is_kw("compact") && self.is_kw_at(1, "storage") {
                self.bump();
                self.bump();
                return Ok(AlterTableAction::DropCompactStorage);
            }
            let if_exists = self.if_exists()?;
            let columns = self.ident_list_maybe_parenthesized()?;
            let timestamp = if self.eat_kw("using") {
                self.expect_kw("timestamp")?;
                let t = self.expect(Tok::Integer, "INTEGER")?;
                let v = self.text(t).parse::<i64>().map_err(|_| {
                    self.custom_at(t, format!("Invalid timestamp {}", self.text(t)))
                })?;
                Some(v)
            } else {
                None
            };
            return Ok(AlterTableAction::Drop {
                if_exists,
                columns,
                timestamp,
            });
        }
        if self.eat_kw("with") {
            let properties = self.properties()?;
            return Ok(AlterTableAction::With(TableOptions {
                properties,
                ..TableOptions::default()
            }));
        }
        if self.eat_kw("rename") {
            let if_exists = self.if_exists()?;
            let renames = self.renames()?;
            return Ok(AlterTableAction::Rename { if_exists, renames });
        }
        Err(self.no_viable())
    }

    fn ident_list_maybe_parenthesized(&mut self) -> PResult<Vec<Ident>> {
        if self.eat(Tok::LParen) {
            let mut ids = vec![self.ident()?];
            while self.eat(Tok::Comma) {
                ids.push(self.ident()?);
            }
            self.expect(Tok::RParen, "')'")?;
            Ok(ids)
        } else {
            Ok(vec![self.ident()?])
        }
    }

    /// `a TO b (AND c TO d)*`.
    fn renames(&mut self) -> PResult<Vec<(Ident, Ident)>> {
        let mut renames = Vec::new();
        loop {
            let from = self.ident()?;
            self.expect_kw("to")?;
            renames.push((from, self.ident()?));
            if !self.eat_kw("and") {
                return Ok(renames);
            }
        }
    }

    fn alter_type_action(&mut self) -> PResult<AlterTypeAction> {
        if self.eat_kw("alter") {
            let field = self.ident()?;
            self.expect_kw("type")?;
            let ty = self.type_expr()?;
            return Ok(AlterTypeAction::AlterFieldType { field, ty });
        }
        if self.eat_kw("add") {
            let if_not_exists = self.if_not_exists()?;
            let field = self.ident()?;
            let ty = self.type_expr()?;
            return Ok(AlterTypeAction::Add {
                if_not_exists,
                field,
                ty,
            });
        }
        if self.eat_kw("rename") {
            let if_exists = self.if_exists()?;
            let renames = self.renames()?;
            return Ok(AlterTypeAction::Rename { if_exists, renames });
        }
        Err(self.no_viable())
    }

    /// `DROP ...`
    pub(super) fn drop(&mut self) -> PResult<Statement> {
        self.expect_kw("drop")?;
        if self.is_kw("keyspace") || self.is_kw("schema") {
            self.bump();
            let if_exists = self.if_exists()?;
            let name = self.keyspace_name()?;
            return Ok(Statement::DropKeyspace(DropObject { name, if_exists }));
        }
        let kind = ["table", "columnfamily", "index", "type"]
            .into_iter()
            .find(|w| self.is_kw(w));
        if let Some(kind) = kind {
            self.bump();
            let if_exists = self.if_exists()?;
            let name = self.qualified_name_of(if kind == "index" { "index" } else { "table" })?;
            let obj = DropObject { name, if_exists };
            return Ok(match kind {
                "index" => Statement::DropIndex(obj),
                "type" => Statement::DropType(obj),
                _ => Statement::DropTable(obj),
            });
        }
        self.pos -= 1;
        self.unsupported_schema_statement("drop")
    }
}
