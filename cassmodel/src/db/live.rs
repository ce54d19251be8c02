//! The live schema: [`Db::live_schema`] reads `system_schema.{keyspaces,types,tables,
//! columns,indexes}` of one keyspace through the driver into the same definition types the
//! models produce (`cassmodel_schema::diff::SchemaDef`), with type strings parsed by
//! cassmodel-schema's CQL type parser. The one reader of the live schema: [`Db::sync`] and
//! `cassmodel migrate` both diff against it.

use std::collections::HashMap;

use cassmodel_schema::diff::{KeyspaceDef, Replication, SchemaDef};
use cassmodel_schema::ident::{string_literal, unquote};
use cassmodel_schema::{
    ColumnDef, ColumnKind, CqlType, IndexDef, IndexTarget, Order, TableDef, TableOptions,
    UserTypeDef,
};
use scylla::value::{CqlValue, Row};

use super::Db;
use crate::error::SchemaError;

type Record = HashMap<String, CqlValue>;

fn live_err(e: impl std::fmt::Display) -> SchemaError {
    SchemaError::LiveSchema {
        message: e.to_string(),
    }
}

fn text(r: &Record, name: &str) -> Option<String> {
    match r.get(name)? {
        CqlValue::Text(s) | CqlValue::Ascii(s) => Some(s.clone()),
        _ => None,
    }
}

fn int(r: &Record, name: &str) -> Option<i32> {
    match r.get(name)? {
        CqlValue::Int(n) => Some(*n),
        _ => None,
    }
}

fn texts(value: Option<&CqlValue>) -> Vec<String> {
    match value {
        Some(CqlValue::List(items) | CqlValue::Set(items)) => items
            .iter()
            .filter_map(|v| match v {
                CqlValue::Text(s) | CqlValue::Ascii(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn text_map(r: &Record, name: &str) -> Vec<(String, String)> {
    match r.get(name) {
        Some(CqlValue::Map(items)) => items
            .iter()
            .filter_map(|(k, v)| match (k, v) {
                (CqlValue::Text(k), CqlValue::Text(v)) => Some((k.clone(), v.clone())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn map_literal(entries: &[(String, String)]) -> Option<cassmodel_schema::Str> {
    if entries.is_empty() {
        return None;
    }
    let items: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!("{}: {}", string_literal(k), string_literal(v)))
        .collect();
    Some(format!("{{{}}}", items.join(", ")).into())
}

fn parse_type(text: &str, table: &str, column: &str) -> Result<CqlType, SchemaError> {
    CqlType::parse(text).map_err(|e| SchemaError::LiveSchema {
        message: format!("{table}.{column}: cannot parse type `{text}`: {e}"),
    })
}

fn options_of(r: &Record) -> TableOptions {
    let bloom = match r.get("bloom_filter_fp_chance") {
        Some(CqlValue::Double(d)) => Some(d.to_string().into()),
        _ => None,
    };
    TableOptions {
        default_time_to_live: int(r, "default_time_to_live"),
        comment: text(r, "comment").map(Into::into),
        compaction: map_literal(&text_map(r, "compaction")),
        compression: map_literal(&text_map(r, "compression")),
        caching: map_literal(&text_map(r, "caching")),
        gc_grace_seconds: int(r, "gc_grace_seconds"),
        bloom_filter_fp_chance: bloom,
        speculative_retry: text(r, "speculative_retry").map(Into::into),
        memtable_flush_period_in_ms: int(r, "memtable_flush_period_in_ms"),
        other: Vec::new().into(),
    }
}

/// `keys(col)`, `entries("Col")`, `col`... as stored in `system_schema.indexes.options['target']`.
pub fn parse_index_target(target: &str) -> (String, IndexTarget) {
    for (prefix, kind) in [
        ("keys(", IndexTarget::Keys),
        ("entries(", IndexTarget::Entries),
        ("full(", IndexTarget::Full),
        ("values(", IndexTarget::Values),
    ] {
        if target
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
            && let Some(inner) = target[prefix.len()..].strip_suffix(')')
        {
            return (unquote(inner), kind);
        }
    }
    (unquote(target), IndexTarget::Values)
}

fn column_of(c: &Record, table: &str) -> Result<ColumnDef, SchemaError> {
    let name = text(c, "column_name").unwrap_or_default();
    let ty = parse_type(&text(c, "type").unwrap_or_default(), table, &name)?;
    let position = u16::try_from(int(c, "position").unwrap_or(0).max(0)).unwrap_or(0);
    let kind = match text(c, "kind").as_deref() {
        Some("partition_key") => ColumnKind::PartitionKey(position),
        Some("clustering") => {
            let desc = text(c, "clustering_order").is_some_and(|o| o.eq_ignore_ascii_case("desc"));
            ColumnKind::Clustering(position, if desc { Order::Desc } else { Order::Asc })
        }
        Some("static") => ColumnKind::Static,
        _ => ColumnKind::Regular,
    };
    Ok(ColumnDef {
        name: name.into(),
        ty,
        kind,
    })
}

fn index_of(i: &Record) -> Option<IndexDef> {
    let opts = text_map(i, "options");
    let target = &opts.iter().find(|(k, _)| k == "target")?.1;
    let (column, target) = parse_index_target(target);
    Some(IndexDef {
        name: text(i, "index_name").unwrap_or_default().into(),
        column: column.into(),
        target,
    })
}

fn user_type_of(r: &Record) -> Result<UserTypeDef, SchemaError> {
    let name = text(r, "type_name").unwrap_or_default();
    let names = texts(r.get("field_names"));
    let tys = texts(r.get("field_types"));
    let mut fields = Vec::new();
    for (field, ty) in names.into_iter().zip(tys) {
        let ty = parse_type(&ty, &name, &field)?;
        fields.push((field.into(), ty));
    }
    Ok(UserTypeDef {
        name: name.into(),
        fields: fields.into(),
    })
}

impl Db {
    /// The live schema of `keyspace` as `system_schema` describes it (replication, user
    /// types, tables with their columns, keys, clustering order, options and indexes), or
    /// `None` when the keyspace does not exist. Query tables come back as plain tables.
    pub async fn live_schema(&self, keyspace: &str) -> Result<Option<SchemaDef>, SchemaError> {
        let ks_rows = self
            .system_schema(
                "SELECT * FROM system_schema.keyspaces WHERE keyspace_name = ?",
                keyspace,
            )
            .await?;
        let Some(ks) = ks_rows.first() else {
            return Ok(None);
        };
        let keyspace_def = KeyspaceDef {
            name: keyspace.to_owned().into(),
            replication: Replication::from_map(&text_map(ks, "replication")),
            durable_writes: !matches!(ks.get("durable_writes"), Some(CqlValue::Boolean(false))),
        };
        let types = self
            .system_schema(
                "SELECT * FROM system_schema.types WHERE keyspace_name = ?",
                keyspace,
            )
            .await?
            .iter()
            .map(user_type_of)
            .collect::<Result<Vec<_>, _>>()?;
        let columns = self
            .system_schema(
                "SELECT * FROM system_schema.columns WHERE keyspace_name = ?",
                keyspace,
            )
            .await?;
        let indexes = self
            .system_schema(
                "SELECT * FROM system_schema.indexes WHERE keyspace_name = ?",
                keyspace,
            )
            .await?;
        let mut tables = Vec::new();
        for r in self
            .system_schema(
                "SELECT * FROM system_schema.tables WHERE keyspace_name = ?",
                keyspace,
            )
            .await?
        {
            let name = text(&r, "table_name").unwrap_or_default();
            let of_table = |rec: &&Record| text(rec, "table_name").as_deref() == Some(&*name);
            let cols = columns
                .iter()
                .filter(of_table)
                .map(|c| column_of(c, &name))
                .collect::<Result<Vec<_>, _>>()?;
            let idx: Vec<IndexDef> = indexes
                .iter()
                .filter(of_table)
                .filter_map(index_of)
                .collect();
            tables.push(TableDef {
                name: name.into(),
                columns: cols.into(),
                indexes: idx.into(),
                options: options_of(&r),
                compound_keys: Vec::new().into(),
                query_tables: Vec::new().into(),
            });
        }
        Ok(Some(SchemaDef {
            keyspace: keyspace_def,
            types,
            tables,
        }))
    }

    /// Every row of one `system_schema` query bound to `keyspace`, by column name (null
    /// cells left out).
    async fn system_schema(&self, cql: &str, keyspace: &str) -> Result<Vec<Record>, SchemaError> {
        let result = self
            .session()
            .get_session()
            .query_unpaged(cql, (keyspace,))
            .await
            .map_err(live_err)?;
        let rows = result.into_rows_result().map_err(live_err)?;
        let names: Vec<String> = rows
            .column_specs()
            .iter()
            .map(|c| c.name().to_owned())
            .collect();
        let mut out = Vec::new();
        for row in rows.rows::<Row>().map_err(live_err)? {
            let row = row.map_err(live_err)?;
            let record = names
                .iter()
                .cloned()
                .zip(row.columns)
                .filter_map(|(n, v)| v.map(|v| (n, v)))
                .collect();
            out.push(record);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_targets() {
        for (target, column, kind) in [
            ("email", "email", IndexTarget::Values),
            ("keys(m)", "m", IndexTarget::Keys),
            ("entries(\"Attrs\")", "Attrs", IndexTarget::Entries),
            ("full(f)", "f", IndexTarget::Full),
            ("values(l)", "l", IndexTarget::Values),
            ("\"Keys(x)\"", "Keys(x)", IndexTarget::Values),
        ] {
            assert_eq!(
                parse_index_target(target),
                (column.to_owned(), kind),
                "{target}"
            );
        }
    }
}
