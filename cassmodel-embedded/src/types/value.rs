//! Decoded CQL values.

use std::net::IpAddr;

use num_bigint::BigInt;
use uuid::Uuid;

/// A CQL duration: months, days and nanoseconds, each signed (all with the same sign).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Duration {
    /// Months.
    pub months: i32,
    /// Days.
    pub days: i32,
    /// Nanoseconds.
    pub nanos: i64,
}

/// A decoded CQL value. Collections keep their serialized order (sets and maps as stored,
/// i.e. sorted by the element comparator).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// The empty value (zero bytes), which Cassandra accepts for most non-collection types
    /// (`blobAsInt(0x)`); text, ascii and blob decode empty bytes to their natural empty value.
    Empty,
    /// ascii
    Ascii(String),
    /// bigint
    Bigint(i64),
    /// blob
    Blob(Vec<u8>),
    /// boolean
    Boolean(bool),
    /// counter
    Counter(i64),
    /// date: days with the epoch at 2^31 (as serialized)
    Date(u32),
    /// decimal: `unscaled * 10^-scale`
    Decimal {
        /// The unscaled value.
        unscaled: BigInt,
        /// The scale.
        scale: i32,
    },
    /// double
    Double(f64),
    /// duration
    Duration(Duration),
    /// float
    Float(f32),
    /// inet
    Inet(IpAddr),
    /// int
    Int(i32),
    /// smallint
    Smallint(i16),
    /// text
    Text(String),
    /// time: nanoseconds since midnight
    Time(i64),
    /// timestamp: milliseconds since the epoch
    Timestamp(i64),
    /// timeuuid
    Timeuuid(Uuid),
    /// tinyint
    Tinyint(i8),
    /// uuid
    Uuid(Uuid),
    /// varint
    Varint(BigInt),
    /// list
    List(Vec<Value>),
    /// set
    Set(Vec<Value>),
    /// map
    Map(Vec<(Value, Value)>),
    /// tuple (a missing or null component is `None`)
    Tuple(Vec<Option<Value>>),
    /// user-defined type value: fields in declaration order (null or missing is `None`)
    Udt(Vec<(String, Option<Value>)>),
}

/// The epoch of the `date` type: day 0 (1970-01-01) is stored as 2^31.
pub const DATE_EPOCH: u32 = 1 << 31;

/// Nanoseconds in a day (exclusive upper bound of `time`).
pub const NANOS_PER_DAY: i64 = 86_400_000_000_000;
