//! Response bodies (spec §4.2). ERROR, SUPPORTED, AUTHENTICATE, EVENT and the RESULT kinds
//! Void, SetKeyspace and SchemaChange go through the `cassandra-protocol` serializers. ROWS
//! and PREPARED are written here by hand: the crate wants every cell copied into its own
//! `CBytes` and `assert!`s on metadata it finds inconsistent (EMBEDDED.md §5.1 gap 3), while
//! a hand-written writer streams the engine's cells once and cannot panic.

use std::collections::HashMap;

use cassandra_protocol::consistency::Consistency as WireConsistency;
use cassandra_protocol::frame::Serialize;
use cassandra_protocol::frame::Version;
use cassandra_protocol::frame::events::{
    SchemaChange as WireSchemaChange, SchemaChangeOptions, SchemaChangeTarget as WireTarget,
    SchemaChangeType, ServerEvent,
};
use cassandra_protocol::frame::message_error::{
    AlreadyExistsError, ErrorBody, ErrorType, FunctionFailureError, UnavailableError,
    UnpreparedError,
};
use cassandra_protocol::frame::message_result::{BodyResResultSetKeyspace, ResResultBody};
use cassandra_protocol::frame::message_supported::BodyResSupported;
use cassandra_protocol::types::CBytesShort;

use crate::api::{
    ColumnSpec, PreparedResult, QueryResult, ResultRows, SchemaChange, SchemaChangeKind,
    SchemaChangeTarget,
};
use crate::error::{CqlError, ErrorExtra};
use crate::protocol::wire::{put_bytes, put_int, put_short, put_short_bytes, put_string};
use crate::types::CqlType;

/// The authenticator class announced in AUTHENTICATE.
pub const PASSWORD_AUTHENTICATOR: &str = "org.apache.cassandra.auth.PasswordAuthenticator";
/// The CQL version announced in SUPPORTED (Cassandra 4.1's `QueryProcessor.CQL_VERSION`).
pub const CQL_VERSION: &str = "3.4.6";

/// ERROR body: `<code><message><extra>`.
pub fn error_body(err: &CqlError) -> Vec<u8> {
    let ty = match (&err.extra, err.code) {
        (
            ErrorExtra::Unavailable {
                consistency,
                required,
                alive,
            },
            _,
        ) => match WireConsistency::try_from(*consistency as i16) {
            Ok(cl) => ErrorType::Unavailable(UnavailableError {
                cl,
                required: *required,
                alive: *alive,
            }),
            Err(_) => ErrorType::Server,
        },
        (ErrorExtra::AlreadyExists { keyspace, table }, _) => {
            ErrorType::AlreadyExists(AlreadyExistsError {
                ks: keyspace.clone(),
                table: table.clone(),
            })
        }
        (
            ErrorExtra::FunctionFailure {
                keyspace,
                function,
                arg_types,
            },
            _,
        ) => ErrorType::FunctionFailure(FunctionFailureError {
            keyspace: keyspace.clone(),
            function: function.clone(),
            arg_types: arg_types.clone(),
        }),
        (ErrorExtra::Unprepared { id }, _) => ErrorType::Unprepared(UnpreparedError {
            id: CBytesShort::new(id.clone()),
        }),
        // By number, so codes added to `ErrorCode` later still encode. Codes that need an
        // extra body they do not have cannot be encoded faithfully (a driver would fail to
        // parse them): they go out as server errors carrying the message.
        (_, code) => match code as i32 {
            0x000A => ErrorType::Protocol,
            0x0100 => ErrorType::Authentication,
            0x1001 => ErrorType::Overloaded,
            0x1002 => ErrorType::IsBootstrapping,
            0x1003 => ErrorType::Truncate,
            0x2000 => ErrorType::Syntax,
            0x2100 => ErrorType::Unauthorized,
            0x2200 => ErrorType::Invalid,
            0x2300 => ErrorType::Config,
            _ => ErrorType::Server,
        },
    };
    ErrorBody {
        message: err.message.clone(),
        ty,
    }
    .serialize_to_vec(Version::V4)
}

/// SUPPORTED body.
pub fn supported_body() -> Vec<u8> {
    let data: HashMap<String, Vec<String>> = [
        ("CQL_VERSION", vec![CQL_VERSION]),
        ("COMPRESSION", vec!["lz4"]),
        ("PROTOCOL_VERSIONS", vec!["3/v3", "4/v4"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    BodyResSupported { data }.serialize_to_vec(Version::V4)
}

/// AUTHENTICATE body: the authenticator class.
pub fn authenticate_body() -> Vec<u8> {
    let mut out = Vec::new();
    put_string(&mut out, PASSWORD_AUTHENTICATOR);
    out
}

/// AUTH_SUCCESS body: a null token (PasswordAuthenticator has none).
pub fn auth_success_body() -> Vec<u8> {
    let mut out = Vec::new();
    put_bytes(&mut out, None);
    out
}

fn wire_schema_change(change: &SchemaChange) -> WireSchemaChange {
    let change_type = match change.kind {
        SchemaChangeKind::Created => SchemaChangeType::Created,
        SchemaChangeKind::Updated => SchemaChangeType::Updated,
        SchemaChangeKind::Dropped => SchemaChangeType::Dropped,
    };
    let ks = change.keyspace.clone();
    let (target, options) = match &change.target {
        SchemaChangeTarget::Keyspace => (WireTarget::Keyspace, SchemaChangeOptions::Keyspace(ks)),
        SchemaChangeTarget::Table(t) => (
            WireTarget::Table,
            SchemaChangeOptions::TableType(ks, t.clone()),
        ),
        SchemaChangeTarget::Type(t) => (
            WireTarget::Type,
            SchemaChangeOptions::TableType(ks, t.clone()),
        ),
    };
    WireSchemaChange {
        change_type,
        target,
        options,
    }
}

/// EVENT body for a schema change: `SCHEMA_CHANGE <change><target><options>`.
pub fn schema_event_body(change: &SchemaChange) -> Vec<u8> {
    ServerEvent::SchemaChange(wire_schema_change(change)).serialize_to_vec(Version::V4)
}

const KIND_ROWS: i32 = 0x0002;
const KIND_PREPARED: i32 = 0x0004;

/// RESULT body for a QUERY, EXECUTE or BATCH. `skip_metadata` is the request's flag 0x02.
pub fn result_body(result: &QueryResult, skip_metadata: bool) -> Vec<u8> {
    match result {
        QueryResult::Void => ResResultBody::Void.serialize_to_vec(Version::V4),
        QueryResult::SetKeyspace(ks) => {
            ResResultBody::SetKeyspace(BodyResResultSetKeyspace::new(ks.clone()))
                .serialize_to_vec(Version::V4)
        }
        QueryResult::SchemaChange(change) => {
            ResResultBody::SchemaChange(wire_schema_change(change)).serialize_to_vec(Version::V4)
        }
        QueryResult::Rows(rows) => rows_body(rows, skip_metadata),
    }
}

const FLAG_GLOBAL_TABLES_SPEC: i32 = 0x0001;
const FLAG_HAS_MORE_PAGES: i32 = 0x0002;
const FLAG_NO_METADATA: i32 = 0x0004;

/// True when every column lives in the same keyspace and table (and there is one).
fn shared_table(columns: &[ColumnSpec]) -> Option<(&str, &str)> {
    let first = columns.first()?;
    columns
        .iter()
        .all(|c| c.keyspace == first.keyspace && c.table == first.table)
        .then_some((first.keyspace.as_str(), first.table.as_str()))
}

/// `<flags><columns_count>[<paging_state>][<global_table_spec>?<col_spec_1>...]`.
fn put_rows_metadata(
    out: &mut Vec<u8>,
    columns: &[ColumnSpec],
    paging_state: Option<&[u8]>,
    no_metadata: bool,
) {
    let global = if no_metadata {
        None
    } else {
        shared_table(columns)
    };
    let mut flags = 0;
    if global.is_some() {
        flags |= FLAG_GLOBAL_TABLES_SPEC;
    }
    if paging_state.is_some() {
        flags |= FLAG_HAS_MORE_PAGES;
    }
    if no_metadata {
        flags |= FLAG_NO_METADATA;
    }
    put_int(out, flags);
    put_int(out, columns.len() as i32);
    if let Some(state) = paging_state {
        put_bytes(out, Some(state));
    }
    if !no_metadata {
        put_col_specs(out, columns, global);
    }
}

fn put_col_specs(out: &mut Vec<u8>, columns: &[ColumnSpec], global: Option<(&str, &str)>) {
    if let Some((ks, table)) = global {
        put_string(out, ks);
        put_string(out, table);
    }
    for c in columns {
        if global.is_none() {
            put_string(out, &c.keyspace);
            put_string(out, &c.table);
        }
        put_string(out, &c.name);
        put_type(out, &c.ty);
    }
}

/// ROWS: metadata, `<rows_count>`, then each cell as `[bytes]`. A row with a different
/// number of cells than there are columns would corrupt the stream, so short rows are
/// padded with nulls and long rows are cut (the engine never sends either).
pub fn rows_body(rows: &ResultRows, skip_metadata: bool) -> Vec<u8> {
    let cells: usize = rows
        .rows
        .iter()
        .flatten()
        .map(|c| 4 + c.as_ref().map_or(0, Vec::len))
        .sum();
    let mut out = Vec::with_capacity(64 + cells + rows.columns.len() * 32);
    put_int(&mut out, KIND_ROWS);
    put_rows_metadata(
        &mut out,
        &rows.columns,
        rows.paging_state.as_deref(),
        skip_metadata,
    );
    put_int(&mut out, rows.rows.len() as i32);
    let width = rows.columns.len();
    for row in &rows.rows {
        for i in 0..width {
            put_bytes(&mut out, row.get(i).and_then(|c| c.as_deref()));
        }
    }
    out
}

/// PREPARED (v4): `<id><metadata><result_metadata>` with
/// metadata = `<flags><columns_count><pk_count>[<pk_index>...][<global>]<col_specs>`.
pub fn prepared_body(p: &PreparedResult) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 + 32 * (p.bind.len() + p.result.len()));
    put_int(&mut out, KIND_PREPARED);
    put_short_bytes(&mut out, &p.id);
    let global = shared_table(&p.bind);
    put_int(
        &mut out,
        if global.is_some() {
            FLAG_GLOBAL_TABLES_SPEC
        } else {
            0
        },
    );
    put_int(&mut out, p.bind.len() as i32);
    put_int(&mut out, p.pk_indexes.len() as i32);
    for idx in &p.pk_indexes {
        put_short(&mut out, *idx);
    }
    put_col_specs(&mut out, &p.bind, global);
    // Result metadata: NO_METADATA with 0 columns for statements without a result set
    // (the `CQLStatement` default in Cassandra), else the columns.
    put_rows_metadata(&mut out, &p.result, None, p.result.is_empty());
    out
}

/// `[option]` for a type (spec §4.2.5.2). Frozen is not on the wire. duration has no v4 id:
/// Cassandra sends it as the custom type `DurationType` below v5 (`DataType.fromType`).
pub fn put_type(out: &mut Vec<u8>, ty: &CqlType) {
    let id: u16 = match ty {
        CqlType::Ascii => 0x0001,
        CqlType::Bigint => 0x0002,
        CqlType::Blob => 0x0003,
        CqlType::Boolean => 0x0004,
        CqlType::Counter => 0x0005,
        CqlType::Decimal => 0x0006,
        CqlType::Double => 0x0007,
        CqlType::Float => 0x0008,
        CqlType::Int => 0x0009,
        CqlType::Timestamp => 0x000B,
        CqlType::Uuid => 0x000C,
        CqlType::Text => 0x000D,
        CqlType::Varint => 0x000E,
        CqlType::Timeuuid => 0x000F,
        CqlType::Inet => 0x0010,
        CqlType::Date => 0x0011,
        CqlType::Time => 0x0012,
        CqlType::Smallint => 0x0013,
        CqlType::Tinyint => 0x0014,
        CqlType::Duration => {
            put_short(out, 0x0000);
            put_string(out, "org.apache.cassandra.db.marshal.DurationType");
            return;
        }
        CqlType::List(t) => {
            put_short(out, 0x0020);
            return put_type(out, t);
        }
        CqlType::Map(k, v) => {
            put_short(out, 0x0021);
            put_type(out, k);
            return put_type(out, v);
        }
        CqlType::Set(t) => {
            put_short(out, 0x0022);
            return put_type(out, t);
        }
        CqlType::Udt(u) => {
            put_short(out, 0x0030);
            put_string(out, &u.keyspace);
            put_string(out, &u.name);
            put_short(out, u.fields.len() as u16);
            for (name, t) in &u.fields {
                put_string(out, name);
                put_type(out, t);
            }
            return;
        }
        CqlType::Tuple(ts) => {
            put_short(out, 0x0031);
            put_short(out, ts.len() as u16);
            for t in ts {
                put_type(out, t);
            }
            return;
        }
        CqlType::Frozen(t) => return put_type(out, t),
    };
    put_short(out, id);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FUNCTION_FAILURE (spec §9, 0x1400): `<int code><string message><string keyspace>
    /// <string function><string list arg_types>`, every string a `[short]` length + UTF-8.
    #[test]
    fn function_failure_body_bytes() {
        let err = CqlError::function_failure("system", "fromjson", &["text"], "boom");
        let mut want = vec![0x00, 0x00, 0x14, 0x00];
        want.extend_from_slice(&[0x00, 0x04]);
        want.extend_from_slice(b"boom");
        want.extend_from_slice(&[0x00, 0x06]);
        want.extend_from_slice(b"system");
        want.extend_from_slice(&[0x00, 0x08]);
        want.extend_from_slice(b"fromjson");
        want.extend_from_slice(&[0x00, 0x01, 0x00, 0x04]);
        want.extend_from_slice(b"text");
        assert_eq!(error_body(&err), want);
    }
}
