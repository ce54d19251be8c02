//! The contract between the protocol layer (`protocol`, `server`) and the CQL engine
//! (`exec`): decoded requests in, typed results out. Values stay in their native-protocol
//! serialized form (`[bytes]`) on both sides; the protocol layer never interprets them.

use crate::types::CqlType;

/// Consistency levels (protocol codes, `native_protocol_v4.spec` §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Consistency {
    /// 0x0000
    Any,
    /// 0x0001
    One,
    /// 0x0002
    Two,
    /// 0x0003
    Three,
    /// 0x0004
    Quorum,
    /// 0x0005
    All,
    /// 0x0006
    LocalQuorum,
    /// 0x0007
    EachQuorum,
    /// 0x0008
    Serial,
    /// 0x0009
    LocalSerial,
    /// 0x000A
    LocalOne,
}

impl Consistency {
    /// Decodes a protocol code.
    pub fn from_code(code: u16) -> Option<Self> {
        use Consistency::*;
        Some(match code {
            0 => Any,
            1 => One,
            2 => Two,
            3 => Three,
            4 => Quorum,
            5 => All,
            6 => LocalQuorum,
            7 => EachQuorum,
            8 => Serial,
            9 => LocalSerial,
            10 => LocalOne,
            _ => return None,
        })
    }
    /// The protocol code.
    pub fn code(self) -> u16 {
        self as u16
    }
    /// The name as Cassandra prints it in messages (`LOCAL_QUORUM`).
    pub fn name(self) -> &'static str {
        use Consistency::*;
        match self {
            Any => "ANY",
            One => "ONE",
            Two => "TWO",
            Three => "THREE",
            Quorum => "QUORUM",
            All => "ALL",
            LocalQuorum => "LOCAL_QUORUM",
            EachQuorum => "EACH_QUORUM",
            Serial => "SERIAL",
            LocalSerial => "LOCAL_SERIAL",
            LocalOne => "LOCAL_ONE",
        }
    }
}

/// One bound value as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoundValue {
    /// `[bytes]` with length -1.
    Null,
    /// `[bytes]` with length -2 (leave the column untouched).
    Unset,
    /// A serialized value (native protocol encoding of the column's type).
    Value(Vec<u8>),
}

/// The bound values of a request: positional, or by name (flag 0x40).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum BoundValues {
    /// No values.
    #[default]
    None,
    /// Values in marker order.
    Positional(Vec<BoundValue>),
    /// Values by marker name (lower-cased unless quoted by the client).
    Named(Vec<(String, BoundValue)>),
}

/// The parameters of a QUERY or EXECUTE (`<query_parameters>`, spec §4.1.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParams {
    /// Consistency level.
    pub consistency: Consistency,
    /// Bound values.
    pub values: BoundValues,
    /// Flag 0x02: the client already has the result metadata.
    pub skip_metadata: bool,
    /// Flag 0x04: rows per page; `None` or ≤ 0 means unpaged.
    pub page_size: Option<i32>,
    /// Flag 0x08: the paging state returned with the previous page.
    pub paging_state: Option<Vec<u8>>,
    /// Flag 0x10: the serial consistency for LWT.
    pub serial_consistency: Option<Consistency>,
    /// Flag 0x20: the client's default timestamp (µs).
    pub timestamp: Option<i64>,
}

impl Default for QueryParams {
    fn default() -> Self {
        QueryParams {
            consistency: Consistency::One,
            values: BoundValues::None,
            skip_metadata: false,
            page_size: None,
            paging_state: None,
            serial_consistency: None,
            timestamp: None,
        }
    }
}

/// One statement of a BATCH request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchStatement {
    /// A query string with its values.
    Query {
        /// CQL text.
        cql: String,
        /// Values.
        values: BoundValues,
    },
    /// A prepared statement id with its values.
    Prepared {
        /// Id returned by PREPARE.
        id: Vec<u8>,
        /// Values.
        values: BoundValues,
    },
}

/// The kind of a BATCH request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchKind {
    /// 0: logged.
    Logged,
    /// 1: unlogged.
    Unlogged,
    /// 2: counter.
    Counter,
}

/// A BATCH request (spec §4.1.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRequest {
    /// Logged, unlogged or counter.
    pub kind: BatchKind,
    /// The statements in order.
    pub statements: Vec<BatchStatement>,
    /// Consistency level.
    pub consistency: Consistency,
    /// Serial consistency for conditional batches.
    pub serial_consistency: Option<Consistency>,
    /// Client timestamp (µs).
    pub timestamp: Option<i64>,
}

/// What a connection remembers between requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    /// The keyspace set by `USE`.
    pub keyspace: Option<String>,
    /// The authenticated user, if authentication is on.
    pub user: Option<String>,
}

/// A column in result or bind metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    /// Keyspace of the table.
    pub keyspace: String,
    /// Table name.
    pub table: String,
    /// Column name as sent to the client (alias, `[applied]`, `system.token(k)`, `in(k)`...).
    pub name: String,
    /// Type.
    pub ty: CqlType,
}

/// A page of rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResultRows {
    /// Column metadata (always filled; the protocol layer omits it on SKIP_METADATA).
    pub columns: Vec<ColumnSpec>,
    /// Rows: one serialized cell per column (`None` = null).
    pub rows: Vec<Vec<Option<Vec<u8>>>>,
    /// Set when more pages follow.
    pub paging_state: Option<Vec<u8>>,
}

/// The answer to PREPARE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedResult {
    /// Statement id: MD5 of keyspace + query, or of the query alone (QueryProcessor.computeId).
    pub id: [u8; 16],
    /// Bind markers, in order.
    pub bind: Vec<ColumnSpec>,
    /// For each partition-key column in order, the index of its `= ?` marker; empty when
    /// any partition-key column lacks one.
    pub pk_indexes: Vec<u16>,
    /// Result columns (empty for modifications).
    pub result: Vec<ColumnSpec>,
}

/// The kind of a schema change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaChangeKind {
    /// CREATED
    Created,
    /// UPDATED
    Updated,
    /// DROPPED
    Dropped,
}

/// What a schema change touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaChangeTarget {
    /// KEYSPACE ks
    Keyspace,
    /// TABLE ks name
    Table(String),
    /// TYPE ks name
    Type(String),
}

/// A SCHEMA_CHANGE result, also pushed as an EVENT to registered connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaChange {
    /// Created, updated or dropped.
    pub kind: SchemaChangeKind,
    /// Keyspace name.
    pub keyspace: String,
    /// Keyspace, table or type.
    pub target: SchemaChangeTarget,
}

/// The result of a QUERY, EXECUTE or BATCH.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryResult {
    /// Void.
    Void,
    /// Rows.
    Rows(ResultRows),
    /// `USE ks` succeeded.
    SetKeyspace(String),
    /// A DDL statement succeeded.
    SchemaChange(SchemaChange),
}
