//! A hand-written [`Model`](crate::Model) used by the documentation examples, and the reference of what
//! `#[derive(Model)]` expands to (kept equal to `cassmodel_schema::render`'s output by a
//! test). Not part of the public API.
#![doc(hidden)]

use crate::__private as cm;
use cassmodel_schema::{ColumnDef, ColumnKind, CqlType, List, Str, TableDef, TableOptions};

/// A greeting word per language: `CREATE TABLE greeting (lang text PRIMARY KEY, word text)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Greeting {
    /// Partition key.
    pub lang: String,
    /// The word.
    pub word: String,
}

static GREETING: TableDef = TableDef {
    name: Str::Borrowed("greeting"),
    columns: List::Borrowed(&[
        ColumnDef {
            name: Str::Borrowed("lang"),
            ty: CqlType::Text,
            kind: ColumnKind::PartitionKey(0),
        },
        ColumnDef {
            name: Str::Borrowed("word"),
            ty: CqlType::Text,
            kind: ColumnKind::Regular,
        },
    ]),
    indexes: List::Borrowed(&[]),
    options: TableOptions::EMPTY,
    compound_keys: List::Borrowed(&[]),
    query_tables: List::Borrowed(&[]),
};

impl cm::Model for Greeting {
    const TABLE: &'static cm::TableDef = &GREETING;
    const CQL: &'static cm::ModelCql = &cm::ModelCql {
        create_table: "CREATE TABLE IF NOT EXISTS greeting (lang text, word text, PRIMARY KEY (lang))",
        create_indexes: &[],
        insert: "INSERT INTO greeting (lang, word) VALUES (?, ?) USING TTL ? AND TIMESTAMP ?",
        insert_if_not_exists: "INSERT INTO greeting (lang, word) VALUES (?, ?) IF NOT EXISTS USING TTL ?",
        insert_plain: "INSERT INTO greeting (lang, word) VALUES (?, ?)",
        select_by_primary_key: "SELECT lang, word FROM greeting WHERE lang = ?",
        select_by_partition: "SELECT lang, word FROM greeting WHERE lang = ?",
        delete_row: "DELETE FROM greeting USING TIMESTAMP ? WHERE lang = ?",
        delete_partition: "DELETE FROM greeting USING TIMESTAMP ? WHERE lang = ?",
    };
    type PrimaryKey = (String,);
    type PartitionKey = (String,);

    fn bind_row(&self, b: &mut cm::Binder<'_, '_>) -> cm::Result<(), cm::SerializationError> {
        b.bind("lang", &self.lang)?;
        b.bind("word", &self.word)
    }

    fn bind_primary_key(
        &self,
        b: &mut cm::Binder<'_, '_>,
    ) -> cm::Result<(), cm::SerializationError> {
        b.bind("lang", &self.lang)
    }

    fn check_columns(c: &mut cm::ColumnChecker<'_>) -> cm::Result<(), cm::TypeCheckError> {
        c.column::<String>("lang")?;
        c.column::<String>("word")
    }

    fn read_row(r: &mut cm::RowReader<'_, '_>) -> cm::Result<Self, cm::DeserializationError> {
        Ok(Greeting {
            lang: r.get("lang")?,
            word: r.get("word")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Model;
    use cassmodel_schema::render::{self, InsertKind};

    #[test]
    fn statements_are_what_the_renderer_makes() {
        let t = Greeting::TABLE;
        let cql = Greeting::CQL;
        assert_eq!(cql.create_table, render::create_table(t, true));
        assert_eq!(cql.insert, render::insert(t, InsertKind::Upsert));
        assert_eq!(
            cql.insert_if_not_exists,
            render::insert(t, InsertKind::IfNotExists)
        );
        assert_eq!(cql.insert_plain, render::insert(t, InsertKind::Plain));
        assert_eq!(cql.select_by_primary_key, render::select_by_primary_key(t));
        assert_eq!(cql.select_by_partition, render::select_by_partition(t));
        assert_eq!(cql.delete_row, render::delete_row(t));
        assert_eq!(cql.delete_partition, render::delete_partition(t));
    }
}
