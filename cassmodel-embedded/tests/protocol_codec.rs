//! Round trips between the server's hand-written codecs and an independent implementation
//! (the `cassandra-protocol` crate): every response the server encodes is decoded by the
//! crate, every request the crate encodes is decoded by the server.

#![expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use cassandra_protocol::consistency::Consistency as WireCl;
use cassandra_protocol::frame::events::{SchemaChangeOptions, ServerEvent};
use cassandra_protocol::frame::message_batch::{
    BatchQuery, BatchQuerySubj, BatchType, BodyReqBatch,
};
use cassandra_protocol::frame::message_error::{ErrorBody, ErrorType};
use cassandra_protocol::frame::message_query::BodyReqQuery;
use cassandra_protocol::frame::message_result::{
    ColType, ColTypeOption, ColTypeOptionValue, ResResultBody, RowsMetadataFlags,
};
use cassandra_protocol::frame::message_supported::BodyResSupported;
use cassandra_protocol::frame::{FromCursor, Serialize, Version};
use cassandra_protocol::query::{QueryParams as WireParams, QueryValues};
use cassandra_protocol::types::CBytesShort;
use cassandra_protocol::types::value::Value;

use cassmodel_embedded::api::{
    BatchKind, BatchStatement, BoundValue, BoundValues, ColumnSpec, Consistency, PreparedResult,
    QueryResult, ResultRows, SchemaChange, SchemaChangeKind, SchemaChangeTarget,
};
use cassmodel_embedded::error::CqlError;
use cassmodel_embedded::protocol::request::{self, Request, sasl_plain};
use cassmodel_embedded::protocol::response;
use cassmodel_embedded::types::{CqlType, UserType};

fn col(ks: &str, table: &str, name: &str, ty: CqlType) -> ColumnSpec {
    ColumnSpec {
        keyspace: ks.into(),
        table: table.into(),
        name: name.into(),
        ty,
    }
}

fn decode_result(body: &[u8]) -> ResResultBody {
    let mut c = Cursor::new(body);
    let r = ResResultBody::from_cursor(&mut c, Version::V4).unwrap();
    assert_eq!(c.position() as usize, body.len(), "trailing bytes");
    r
}

#[test]
fn rows_with_global_spec_paging_and_nulls() {
    let rows = ResultRows {
        columns: vec![
            col("ks", "t", "k", CqlType::Int),
            col("ks", "t", "v", CqlType::Text),
        ],
        rows: vec![
            vec![Some(vec![0, 0, 0, 1]), Some(b"one".to_vec())],
            vec![Some(vec![0, 0, 0, 2]), None],
        ],
        paging_state: Some(vec![9, 8, 7]),
    };
    let body = response::result_body(&QueryResult::Rows(rows), false);
    let ResResultBody::Rows(r) = decode_result(&body) else {
        panic!("not rows")
    };
    let m = &r.metadata;
    assert!(m.flags.contains(RowsMetadataFlags::GLOBAL_TABLE_SPACE));
    assert!(m.flags.contains(RowsMetadataFlags::HAS_MORE_PAGES));
    assert!(!m.flags.contains(RowsMetadataFlags::NO_METADATA));
    assert_eq!(
        m.paging_state.as_ref().unwrap().as_slice(),
        Some(&[9u8, 8, 7][..])
    );
    let global = m.global_table_spec.as_ref().unwrap();
    assert_eq!(
        (global.ks_name.as_str(), global.table_name.as_str()),
        ("ks", "t")
    );
    assert_eq!(m.col_specs[0].name, "k");
    assert_eq!(m.col_specs[0].col_type.id, ColType::Int);
    assert_eq!(m.col_specs[1].col_type.id, ColType::Varchar);
    assert_eq!(r.rows_count, 2);
    assert_eq!(r.rows_content[0][1].as_slice(), Some(&b"one"[..]));
    assert_eq!(r.rows_content[1][1].as_slice(), None);
}

#[test]
fn rows_spanning_tables_have_per_column_specs() {
    let rows = ResultRows {
        columns: vec![
            col("ks", "a", "x", CqlType::Bigint),
            col("ks", "b", "y", CqlType::Boolean),
        ],
        rows: vec![],
        paging_state: None,
    };
    let ResResultBody::Rows(r) = decode_result(&response::rows_body(&rows, false)) else {
        panic!("not rows")
    };
    assert!(
        !r.metadata
            .flags
            .contains(RowsMetadataFlags::GLOBAL_TABLE_SPACE)
    );
    assert!(!r.metadata.flags.contains(RowsMetadataFlags::HAS_MORE_PAGES));
    assert_eq!(
        r.metadata.col_specs[1]
            .table_spec
            .as_ref()
            .unwrap()
            .table_name,
        "b"
    );
    assert_eq!(r.rows_count, 0);
}

#[test]
fn skip_metadata_sends_no_metadata_but_keeps_paging_state() {
    let rows = ResultRows {
        columns: vec![col("ks", "t", "k", CqlType::Int)],
        rows: vec![vec![Some(vec![0, 0, 0, 7])]],
        paging_state: Some(vec![1]),
    };
    let ResResultBody::Rows(r) = decode_result(&response::rows_body(&rows, true)) else {
        panic!("not rows")
    };
    assert!(r.metadata.flags.contains(RowsMetadataFlags::NO_METADATA));
    assert!(r.metadata.flags.contains(RowsMetadataFlags::HAS_MORE_PAGES));
    assert_eq!(r.metadata.columns_count, 1);
    assert!(r.metadata.col_specs.is_empty());
    assert_eq!(r.rows_content[0][0].as_slice(), Some(&[0u8, 0, 0, 7][..]));
}

#[test]
fn every_type_option_decodes() {
    let udt = CqlType::Udt(Arc::new(UserType {
        keyspace: "ks".into(),
        name: "addr".into(),
        fields: vec![("street".into(), CqlType::Text), ("n".into(), CqlType::Int)],
    }));
    let cases: Vec<(CqlType, ColType)> = vec![
        (CqlType::Ascii, ColType::Ascii),
        (CqlType::Bigint, ColType::Bigint),
        (CqlType::Blob, ColType::Blob),
        (CqlType::Boolean, ColType::Boolean),
        (CqlType::Counter, ColType::Counter),
        (CqlType::Date, ColType::Date),
        (CqlType::Decimal, ColType::Decimal),
        (CqlType::Double, ColType::Double),
        (CqlType::Duration, ColType::Custom),
        (CqlType::Float, ColType::Float),
        (CqlType::Inet, ColType::Inet),
        (CqlType::Int, ColType::Int),
        (CqlType::Smallint, ColType::Smallint),
        (CqlType::Text, ColType::Varchar),
        (CqlType::Time, ColType::Time),
        (CqlType::Timestamp, ColType::Timestamp),
        (CqlType::Timeuuid, ColType::Timeuuid),
        (CqlType::Tinyint, ColType::Tinyint),
        (CqlType::Uuid, ColType::Uuid),
        (CqlType::Varint, ColType::Varint),
        (CqlType::List(Box::new(CqlType::Int)), ColType::List),
        (CqlType::Set(Box::new(CqlType::Text)), ColType::Set),
        (
            CqlType::Frozen(Box::new(CqlType::Map(
                Box::new(CqlType::Text),
                Box::new(CqlType::Bigint),
            ))),
            ColType::Map,
        ),
        (
            CqlType::Tuple(vec![CqlType::Int, CqlType::Text]),
            ColType::Tuple,
        ),
        (udt, ColType::Udt),
    ];
    for (ty, want) in cases {
        let mut out = Vec::new();
        response::put_type(&mut out, &ty);
        let mut c = Cursor::new(&out[..]);
        let got = ColTypeOption::from_cursor(&mut c, Version::V4).unwrap();
        assert_eq!(got.id, want, "{ty}");
        assert_eq!(c.position() as usize, out.len(), "{ty}");
        match (&ty, &got.value) {
            (CqlType::Duration, Some(ColTypeOptionValue::CString(class))) => {
                assert_eq!(class, "org.apache.cassandra.db.marshal.DurationType");
            }
            (CqlType::Udt(u), Some(ColTypeOptionValue::UdtType(w))) => {
                assert_eq!(
                    (w.ks.as_str(), w.udt_name.as_str()),
                    ("ks", u.name.as_str())
                );
                assert_eq!(w.descriptions[1].0, "n");
                assert_eq!(w.descriptions[1].1.id, ColType::Int);
            }
            (CqlType::Tuple(_), Some(ColTypeOptionValue::TupleType(t))) => {
                assert_eq!(t.types[1].id, ColType::Varchar);
            }
            (CqlType::Frozen(_), Some(ColTypeOptionValue::CMap(k, v))) => {
                assert_eq!((k.id, v.id), (ColType::Varchar, ColType::Bigint));
            }
            _ => {}
        }
    }
}

#[test]
fn prepared_select_and_modification() {
    let select = PreparedResult {
        id: [7; 16],
        bind: vec![
            col("ks", "t", "k", CqlType::Int),
            col("ks", "t", "[limit]", CqlType::Int),
        ],
        pk_indexes: vec![0],
        result: vec![col("ks", "t", "v", CqlType::Text)],
    };
    let ResResultBody::Prepared(p) = decode_result(&response::prepared_body(&select)) else {
        panic!("not prepared")
    };
    assert_eq!(p.id, CBytesShort::new(vec![7; 16]));
    assert_eq!(p.metadata.pk_indexes, vec![0]);
    assert_eq!(
        p.metadata.global_table_spec.as_ref().unwrap().table_name,
        "t"
    );
    assert_eq!(p.metadata.col_specs[1].name, "[limit]");
    assert_eq!(p.result_metadata.col_specs[0].name, "v");
    assert!(
        !p.result_metadata
            .flags
            .contains(RowsMetadataFlags::NO_METADATA)
    );

    let insert = PreparedResult {
        id: [1; 16],
        bind: vec![],
        pk_indexes: vec![],
        result: vec![],
    };
    let ResResultBody::Prepared(p) = decode_result(&response::prepared_body(&insert)) else {
        panic!("not prepared")
    };
    assert!(p.metadata.col_specs.is_empty());
    assert!(p.metadata.global_table_spec.is_none());
    assert!(
        p.result_metadata
            .flags
            .contains(RowsMetadataFlags::NO_METADATA)
    );
    assert_eq!(p.result_metadata.columns_count, 0);
}

#[test]
fn void_set_keyspace_and_schema_change() {
    assert_eq!(
        decode_result(&response::result_body(&QueryResult::Void, false)),
        ResResultBody::Void
    );
    let ResResultBody::SetKeyspace(ks) = decode_result(&response::result_body(
        &QueryResult::SetKeyspace("ks".into()),
        false,
    )) else {
        panic!("not set keyspace")
    };
    assert_eq!(ks.body, "ks");
    let change = SchemaChange {
        kind: SchemaChangeKind::Updated,
        keyspace: "ks".into(),
        target: SchemaChangeTarget::Table("t".into()),
    };
    let ResResultBody::SchemaChange(c) = decode_result(&response::result_body(
        &QueryResult::SchemaChange(change.clone()),
        false,
    )) else {
        panic!("not schema change")
    };
    assert_eq!(
        c.options,
        SchemaChangeOptions::TableType("ks".into(), "t".into())
    );

    let event = response::schema_event_body(&change);
    let e = ServerEvent::from_cursor(&mut Cursor::new(&event[..]), Version::V4).unwrap();
    let ServerEvent::SchemaChange(e) = e else {
        panic!("not a schema change event")
    };
    assert_eq!(
        e.options,
        SchemaChangeOptions::TableType("ks".into(), "t".into())
    );
}

fn decode_error(err: &CqlError) -> ErrorBody {
    let body = response::error_body(err);
    ErrorBody::from_cursor(&mut Cursor::new(&body[..]), Version::V4).unwrap()
}

#[test]
fn errors_carry_their_extras() {
    let e = decode_error(&CqlError::invalid("unconfigured table t"));
    assert_eq!(
        (e.ty, e.message.as_str()),
        (ErrorType::Invalid, "unconfigured table t")
    );
    let e = decode_error(&CqlError::already_exists("ks", "t"));
    let ErrorType::AlreadyExists(x) = e.ty else {
        panic!("{e:?}")
    };
    assert_eq!((x.ks.as_str(), x.table.as_str()), ("ks", "t"));
    let e = decode_error(&CqlError::unprepared(&[1, 2, 3]));
    let ErrorType::Unprepared(x) = e.ty else {
        panic!("{e:?}")
    };
    assert_eq!(x.id, CBytesShort::new(vec![1, 2, 3]));
    let unavailable = CqlError {
        code: cassmodel_embedded::ErrorCode::Unavailable,
        message: "Cannot achieve consistency level LOCAL_QUORUM".into(),
        extra: cassmodel_embedded::error::ErrorExtra::Unavailable {
            consistency: 6,
            required: 2,
            alive: 1,
        },
    };
    let e = decode_error(&unavailable);
    let ErrorType::Unavailable(x) = e.ty else {
        panic!("{e:?}")
    };
    assert_eq!((x.cl, x.required, x.alive), (WireCl::LocalQuorum, 2, 1));
    let e = decode_error(&CqlError::function_failure(
        "system",
        "fromjson",
        &["text"],
        "Could not decode JSON string 'x'",
    ));
    assert_eq!(e.message, "Could not decode JSON string 'x'");
    let ErrorType::FunctionFailure(x) = e.ty else {
        panic!("{e:?}")
    };
    assert_eq!(
        (x.keyspace.as_str(), x.function.as_str(), x.arg_types),
        ("system", "fromjson", vec!["text".to_owned()])
    );
    assert_eq!(decode_error(&CqlError::syntax("x")).ty, ErrorType::Syntax);
    assert_eq!(
        decode_error(&CqlError::bad_credentials("x")).ty,
        ErrorType::Authentication
    );
}

#[test]
fn supported_lists_the_keys_drivers_need() {
    let body = response::supported_body();
    let s = BodyResSupported::from_cursor(&mut Cursor::new(&body[..]), Version::V4).unwrap();
    assert_eq!(s.data["CQL_VERSION"], vec!["3.4.6"]);
    assert_eq!(s.data["COMPRESSION"], vec!["lz4"]);
    assert_eq!(s.data["PROTOCOL_VERSIONS"], vec!["3/v3", "4/v4"]);
    assert!(
        s.data
            .keys()
            .all(|k| !k.starts_with("SCYLLA") && !k.starts_with("TABLETS"))
    );
}

// ---- requests: encoded by the crate, decoded by the server ----

fn params(values: Option<QueryValues>) -> WireParams {
    WireParams {
        consistency: WireCl::LocalQuorum,
        with_names: matches!(values, Some(QueryValues::NamedValues(_))),
        values,
        page_size: Some(100),
        paging_state: Some(cassandra_protocol::types::CBytes::new(vec![4, 2])),
        serial_consistency: Some(WireCl::LocalSerial),
        timestamp: Some(1_234_567),
        keyspace: None,
        now_in_seconds: None,
    }
}

#[test]
fn query_with_positional_values_and_every_option() {
    let q = BodyReqQuery {
        query: "SELECT * FROM t WHERE k = ?".into(),
        query_params: params(Some(QueryValues::SimpleValues(vec![
            Value::Some(vec![0, 0, 0, 1]),
            Value::Null,
            Value::NotSet,
        ]))),
    };
    let body = q.serialize_to_vec(Version::V4);
    let Request::Query { cql, params } = request::decode(0x07, 0, &body).unwrap() else {
        panic!("not a query")
    };
    assert_eq!(cql, "SELECT * FROM t WHERE k = ?");
    assert_eq!(params.consistency, Consistency::LocalQuorum);
    assert_eq!(
        params.values,
        BoundValues::Positional(vec![
            BoundValue::Value(vec![0, 0, 0, 1]),
            BoundValue::Null,
            BoundValue::Unset
        ])
    );
    assert_eq!(params.page_size, Some(100));
    assert_eq!(params.paging_state, Some(vec![4, 2]));
    assert_eq!(params.serial_consistency, Some(Consistency::LocalSerial));
    assert_eq!(params.timestamp, Some(1_234_567));
    assert!(!params.skip_metadata);
}

#[test]
fn execute_with_named_values_and_skip_metadata() {
    let mut named = HashMap::new();
    named.insert("k".to_string(), Value::Some(vec![1]));
    let mut body = Vec::new();
    body.extend_from_slice(&[0, 2, 0xAA, 0xBB]);
    let p = params(Some(QueryValues::NamedValues(named))).serialize_to_vec(Version::V4);
    body.extend_from_slice(&p);
    // The crate cannot encode SKIP_METADATA (0x02): set it in the flags byte by hand.
    body[4 + 2] |= 0x02;
    let Request::Execute { id, params } = request::decode(0x0A, 0, &body).unwrap() else {
        panic!("not an execute")
    };
    assert_eq!(id, vec![0xAA, 0xBB]);
    assert!(params.skip_metadata);
    assert_eq!(
        params.values,
        BoundValues::Named(vec![("k".into(), BoundValue::Value(vec![1]))])
    );
}

#[test]
fn batch_of_query_and_prepared_statements() {
    let b = BodyReqBatch {
        batch_type: BatchType::Unlogged,
        queries: vec![
            BatchQuery {
                subject: BatchQuerySubj::QueryString("INSERT INTO t (k) VALUES (?)".into()),
                values: QueryValues::SimpleValues(vec![Value::Some(vec![0, 0, 0, 5])]),
            },
            BatchQuery {
                subject: BatchQuerySubj::PreparedId(CBytesShort::new(vec![3; 16])),
                values: QueryValues::SimpleValues(vec![]),
            },
        ],
        consistency: WireCl::One,
        serial_consistency: Some(WireCl::Serial),
        timestamp: Some(99),
        keyspace: None,
        now_in_seconds: None,
    };
    let body = b.serialize_to_vec(Version::V4);
    let Request::Batch(batch) = request::decode(0x0D, 0, &body).unwrap() else {
        panic!("not a batch")
    };
    assert_eq!(batch.kind, BatchKind::Unlogged);
    assert_eq!(batch.consistency, Consistency::One);
    assert_eq!(batch.serial_consistency, Some(Consistency::Serial));
    assert_eq!(batch.timestamp, Some(99));
    assert_eq!(
        batch.statements,
        vec![
            BatchStatement::Query {
                cql: "INSERT INTO t (k) VALUES (?)".into(),
                values: BoundValues::Positional(vec![BoundValue::Value(vec![0, 0, 0, 5])]),
            },
            BatchStatement::Prepared {
                id: vec![3; 16],
                values: BoundValues::None
            },
        ]
    );
}

#[test]
fn startup_register_prepare_auth_and_custom_payload() {
    let mut body = vec![0, 1];
    for s in ["cql_version", "3.0.0"] {
        body.extend_from_slice(&(s.len() as u16).to_be_bytes());
        body.extend_from_slice(s.as_bytes());
    }
    assert_eq!(
        request::decode(0x01, 0, &body).unwrap(),
        Request::Startup(vec![("CQL_VERSION".into(), "3.0.0".into())])
    );
    let reg = [0, 1, 0, 13]
        .iter()
        .copied()
        .chain(*b"SCHEMA_CHANGE")
        .collect::<Vec<_>>();
    assert_eq!(
        request::decode(0x0B, 0, &reg).unwrap(),
        Request::Register(vec!["SCHEMA_CHANGE".into()])
    );
    // PREPARE preceded by a custom payload {"a": 0x01}.
    let mut prep = vec![0, 1, 0, 1, b'a', 0, 0, 0, 1, 1];
    prep.extend_from_slice(&[0, 0, 0, 3]);
    prep.extend_from_slice(b"USE");
    assert_eq!(
        request::decode(0x09, 0x04, &prep).unwrap(),
        Request::Prepare { cql: "USE".into() }
    );
    let token = b"\0cassandra\0secret";
    let mut auth = (token.len() as i32).to_be_bytes().to_vec();
    auth.extend_from_slice(token);
    let Request::AuthResponse(Some(t)) = request::decode(0x0F, 0, &auth).unwrap() else {
        panic!("not an auth response")
    };
    assert_eq!(
        sasl_plain(&t).unwrap(),
        ("cassandra".into(), "secret".into())
    );
    assert!(sasl_plain(b"nouser").is_err());
    assert!(sasl_plain(b"\0user\0").is_err());
}

#[test]
fn hostile_bodies_are_protocol_errors() {
    let cases: Vec<(u8, Vec<u8>)> = vec![
        (0x07, vec![]),                                   // no query string
        (0x07, vec![0xFF, 0xFF, 0xFF, 0xFF]),             // negative long string
        (0x07, vec![0, 0, 0, 0, 0, 1, 0x01, 0xFF, 0xFF]), // 65535 values, none present
        (
            0x07,
            vec![0, 0, 0, 0, 0, 1, 0x01, 0, 1, 0xFF, 0xFF, 0xFF, 0xF0],
        ), // value len -16
        (0x07, vec![0, 0, 0, 0, 0, 0x42, 0]),             // unknown consistency
        (0x0D, vec![7, 0, 0]),                            // bad batch type
        (0x0D, vec![0, 0, 1, 9]),                         // bad batch kind
        (0x01, vec![0xFF, 0xFF]),                         // huge string map, no data
        (0x0B, vec![0, 1, 0, 2, 0xC3, 0x28]),             // invalid UTF-8
        (0x0A, vec![0, 16, 1]),                           // truncated id
        (0x42, vec![]),                                   // unknown opcode
        (0x08, vec![]),                                   // response opcode
    ];
    for (opcode, body) in cases {
        let err = request::decode(opcode, 0, &body).unwrap_err();
        assert_eq!(
            err.code,
            cassmodel_embedded::ErrorCode::Protocol,
            "{opcode} {body:?}"
        );
    }
}
