//! `INSERT INTO t JSON '…' | ? [DEFAULT NULL | DEFAULT UNSET]`, as Cassandra 4.1 runs it
//! (`C*: cql3/statements/UpdateStatement.java` `ParsedInsertJson`, `C*: cql3/Json.java`):
//! every column of the table gets a value from the document; a column the document does
//! not name is null (a tombstone) or, with `DEFAULT UNSET`, left alone.
//!
//! The statement is planned as `INSERT INTO t (every column) VALUES (?, ?, …)` over
//! synthetic markers numbered after the statement's own; at execution the decoded values
//! are bound to them ([`bind`]), so keys, TTL, timestamps, IF NOT EXISTS and batches take
//! the ordinary INSERT path.

use std::borrow::Cow;

use cassmodel_cql::ast::{BindMarker, Ident, Literal, Term};

use super::super::bind::MarkerSpecs;
use super::super::term::Ctx;
use super::plan::ModPlan;
use crate::api::BoundValue;
use crate::error::{CqlError, CqlResult};
use crate::schema::TableMeta;
use crate::types::CqlType;
use crate::types::json_decode::{self, Json, from_json, handle_case_sensitivity, remove};

/// One column's value from the document.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue {
    /// The document does not name the column.
    Absent,
    /// An explicit JSON `null`.
    Null,
    /// The decoded value.
    Bytes(Vec<u8>),
}

/// Where the document comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonSource {
    /// A string literal, decoded when the statement is prepared (per table column).
    Literal(Vec<JsonValue>),
    /// A bind marker (its index), decoded at each execution.
    Marker(usize),
}

/// The JSON part of a planned INSERT.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonInsert {
    /// The index of the first synthetic marker (one per table column, in table order).
    pub base: usize,
    /// The document.
    pub source: JsonSource,
    /// `DEFAULT UNSET`.
    pub default_unset: bool,
}

/// Plans the JSON values: the columns and synthetic-marker values of the equivalent
/// `INSERT ... (columns) VALUES (...)`, and what [`bind`] needs.
pub fn plan(
    json: &Term,
    default_unset: bool,
    table: &TableMeta,
    ctx: Ctx<'_>,
    specs: &mut MarkerSpecs,
) -> CqlResult<(Vec<Ident>, Vec<Term>, JsonInsert)> {
    let source = match json {
        Term::Literal(Literal::String(text)) => JsonSource::Literal(decode(text, table)?),
        Term::Marker(m) => {
            // Json.Marker.makeReceiver: `[json]` of type text.
            specs.set(m, ctx.keyspace, ctx.table, "[json]", &CqlType::Text);
            JsonSource::Marker(m.index)
        }
        _ => return Err(CqlError::server("INSERT JSON takes a string or a marker")),
    };
    let base = specs.len();
    let columns = table
        .columns
        .iter()
        .map(|c| Ident::new(c.name.clone()))
        .collect();
    let values = (0..table.columns.len())
        .map(|i| {
            Term::Marker(BindMarker {
                index: base + i,
                name: None,
            })
        })
        .collect();
    Ok((
        columns,
        values,
        JsonInsert {
            base,
            source,
            default_unset,
        },
    ))
}

/// `Json.parseJson`: the document's value for each column of `table`, in table order.
pub fn decode(text: &str, table: &TableMeta) -> CqlResult<Vec<JsonValue>> {
    let not_a_map = |why: String| {
        CqlError::invalid(format!(
            "Could not decode JSON string as a map: {why}. (String was: {text})"
        ))
    };
    let mut map = match json_decode::parse(text) {
        Ok(Json::Map(m)) => m,
        Ok(Json::Null) => return Err(CqlError::invalid("Got null for INSERT JSON values")),
        Ok(other) => {
            return Err(not_a_map(format!(
                "com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value of type `java.util.LinkedHashMap<java.lang.Object,java.lang.Object>` from {} value",
                other.class()
            )));
        }
        Err(e) => {
            return Err(not_a_map(format!(
                "com.fasterxml.jackson.core.JsonParseException: {e}"
            )));
        }
    };
    handle_case_sensitivity(&mut map);
    let mut out = Vec::with_capacity(table.columns.len());
    for col in &table.columns {
        out.push(match remove(&mut map, &col.name) {
            None => JsonValue::Absent,
            Some(Json::Null) => JsonValue::Null,
            Some(v) => JsonValue::Bytes(from_json(&col.ty, &v).map_err(|e| {
                CqlError::invalid(format!("Error decoding JSON value for {}: {e}", col.name))
            })?),
        });
    }
    if let Some((k, _)) = map.first() {
        return Err(CqlError::invalid(format!(
            "JSON values map contains unrecognized column: {k}"
        )));
    }
    Ok(out)
}

/// The bound values of one execution of `plan`: the statement's own, then for a JSON
/// insert the value of every column (`Json.PreparedLiteral` / `DelayedColumnValue.bind`:
/// an absent column is null, or unset under `DEFAULT UNSET`).
pub fn bind<'a>(plan: &ModPlan, values: &'a [BoundValue]) -> CqlResult<Cow<'a, [BoundValue]>> {
    let Some(json) = &plan.json else {
        return Ok(Cow::Borrowed(values));
    };
    let decoded: Cow<'_, [JsonValue]> = match &json.source {
        JsonSource::Literal(v) => Cow::Borrowed(v),
        JsonSource::Marker(i) => match values.get(*i) {
            Some(BoundValue::Value(b)) => {
                let text = std::str::from_utf8(b)
                    .map_err(|_| CqlError::invalid("String didn't validate."))?;
                Cow::Owned(decode(text, &plan.table)?)
            }
            // QueryOptions.getJsonColumnValue: a null (or unset) document.
            _ => return Err(CqlError::invalid("Got null for INSERT JSON values")),
        },
    };
    let mut out = values.to_vec();
    out.resize(json.base, BoundValue::Unset);
    out.extend(decoded.iter().map(|v| match v {
        JsonValue::Absent if json.default_unset => BoundValue::Unset,
        JsonValue::Absent | JsonValue::Null => BoundValue::Null,
        JsonValue::Bytes(b) => BoundValue::Value(b.clone()),
    }));
    Ok(Cow::Owned(out))
}
