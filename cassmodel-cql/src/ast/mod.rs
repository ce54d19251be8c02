//! The CQL abstract syntax tree produced by [`crate::parse`].
//!
//! The tree is *raw*: names are normalised (unquoted identifiers lower-cased, quoted ones kept
//! verbatim) but nothing is resolved against a schema. Literals keep their source text where the
//! final type decides the meaning (an integer literal may become an `int`, a `varint` or a
//! `decimal`), so no precision is lost before the executor knows the receiver's type.
//!
//! Layout: [`names`] (identifiers, qualified names, types), [`term`] (literals, bind markers,
//! collection and function terms), [`ddl`] (schema statements), [`dml`] (SELECT, INSERT, UPDATE,
//! DELETE, BATCH and their clauses). Every node implements `Display`, rendering CQL that parses
//! back to the same tree (except [`Statement::Unsupported`], which prints only its kind).

pub mod ddl;
mod display;
mod display_dml;
pub mod dml;
pub mod names;
pub mod term;

pub use ddl::*;
pub use dml::*;
pub use names::*;
pub use term::*;

/// One CQL statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// `USE ks`
    Use(Ident),
    /// `CREATE KEYSPACE [IF NOT EXISTS] ks WITH ...`
    CreateKeyspace(CreateKeyspace),
    /// `ALTER KEYSPACE [IF EXISTS] ks WITH ...`
    AlterKeyspace(AlterKeyspace),
    /// `DROP KEYSPACE [IF EXISTS] ks`
    DropKeyspace(DropObject<Ident>),
    /// `CREATE TABLE` (or the legacy `CREATE COLUMNFAMILY`)
    CreateTable(CreateTable),
    /// `ALTER TABLE`
    AlterTable(AlterTable),
    /// `DROP TABLE [IF EXISTS] [ks.]t`
    DropTable(DropObject<QualifiedName>),
    /// `TRUNCATE [TABLE] [ks.]t`
    Truncate(QualifiedName),
    /// `CREATE [CUSTOM] INDEX`
    CreateIndex(CreateIndex),
    /// `DROP INDEX [IF EXISTS] [ks.]name`
    DropIndex(DropObject<QualifiedName>),
    /// `CREATE TYPE`
    CreateType(CreateType),
    /// `ALTER TYPE`
    AlterType(AlterType),
    /// `DROP TYPE [IF EXISTS] [ks.]name`
    DropType(DropObject<QualifiedName>),
    /// `SELECT`
    Select(Box<Select>),
    /// `INSERT`
    Insert(Box<Insert>),
    /// `UPDATE`
    Update(Box<Update>),
    /// `DELETE`
    Delete(Box<Delete>),
    /// `BEGIN ... BATCH ... APPLY BATCH`
    Batch(Box<Batch>),
    /// `DESCRIBE ...` / `DESC ...` (server-side DESCRIBE, Cassandra 4.0+).
    Describe(Describe),
    /// CQL that Cassandra accepts but the embedded server refuses (materialized views,
    /// functions, aggregates, triggers, roles, permissions...). The statement was
    /// recognised by its leading keywords; the rest of it is not parsed.
    Unsupported {
        /// The statement kind in upper case, e.g. `"CREATE MATERIALIZED VIEW"`.
        what: String,
        /// The statement's words as the lexer splits them, for the server's refusal
        /// messages, in lower case; string literals and quoted names are left out.
        words: Vec<String>,
    },
}

/// A parsed statement together with the bind markers it contains.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The statement.
    pub statement: Statement,
    /// Every bind marker in source order; `bind_markers[i].index == i`.
    pub bind_markers: Vec<BindMarker>,
}

impl Statement {
    /// True for statements that change the schema (the server answers them with a
    /// `SCHEMA_CHANGE` result).
    pub fn is_schema_change(&self) -> bool {
        matches!(
            self,
            Statement::CreateKeyspace(_)
                | Statement::AlterKeyspace(_)
                | Statement::DropKeyspace(_)
                | Statement::CreateTable(_)
                | Statement::AlterTable(_)
                | Statement::DropTable(_)
                | Statement::CreateIndex(_)
                | Statement::DropIndex(_)
                | Statement::CreateType(_)
                | Statement::AlterType(_)
                | Statement::DropType(_)
        )
    }
}
