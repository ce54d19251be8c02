//! CQL data types as the server knows them, resolved (user types carry their fields).
//! The decoded [`Value`], the validating native-protocol codec ([`codec`]), Cassandra's
//! comparators ([`mod@compare`]), literal parsers and formatters live in the submodules.
//! Byte-comparable keys and CompositeType partition keys live in `exec/codec/`.

pub mod codec;
pub mod compare;
pub mod datetime;
pub mod duration;
pub mod json;
pub mod json_decode;
pub mod literal;
pub mod value;
pub mod vint;

#[cfg(test)]
mod codec_tests;
#[cfg(test)]
mod datetime_tests;
#[cfg(test)]
mod keys_tests;
#[cfg(test)]
mod token_tests;

pub use codec::{deserialize, serialize, validate};
pub use compare::{compare, equal};
pub use value::{Duration, Value};

use std::fmt;
use std::sync::Arc;

/// A user-defined type, resolved against the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserType {
    /// Keyspace the type lives in.
    pub keyspace: String,
    /// Type name (as stored: lower-case unless it was quoted).
    pub name: String,
    /// Field names and types, in declaration order.
    pub fields: Vec<(String, CqlType)>,
}

/// A CQL type. `Frozen` wraps collections, tuples and UDTs that are stored as one cell;
/// tuples are always frozen in CQL and are written without the wrapper here.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CqlType {
    /// ascii
    Ascii,
    /// bigint
    Bigint,
    /// blob
    Blob,
    /// boolean
    Boolean,
    /// counter
    Counter,
    /// date
    Date,
    /// decimal
    Decimal,
    /// double
    Double,
    /// duration
    Duration,
    /// float
    Float,
    /// inet
    Inet,
    /// int
    Int,
    /// smallint
    Smallint,
    /// text (varchar is an alias)
    Text,
    /// time
    Time,
    /// timestamp
    Timestamp,
    /// timeuuid
    Timeuuid,
    /// tinyint
    Tinyint,
    /// uuid
    Uuid,
    /// varint
    Varint,
    /// `list<T>`
    List(Box<CqlType>),
    /// `set<T>`
    Set(Box<CqlType>),
    /// map<K, V>
    Map(Box<CqlType>, Box<CqlType>),
    /// tuple<...> (always frozen)
    Tuple(Vec<CqlType>),
    /// a user-defined type
    Udt(Arc<UserType>),
    /// `frozen<T>`
    Frozen(Box<CqlType>),
}

impl CqlType {
    /// A native (non-collection) type by its CQL name (`varchar` is `text`), as used in
    /// type names and in conversion function names such as `intAsBlob`. The name table is
    /// the parser's (`NativeType::from_name`), the mapping the catalog's (`typeres::native`).
    pub fn from_native_name(name: &str) -> Option<CqlType> {
        cassmodel_cql::ast::NativeType::from_name(name).map(crate::schema::typeres::native)
    }

    /// The type without a `frozen<>` wrapper.
    pub fn unfrozen(&self) -> &CqlType {
        match self {
            CqlType::Frozen(inner) => inner.unfrozen(),
            other => other,
        }
    }

    /// True for list, set and map that are NOT frozen (stored as one cell per element),
    /// and for non-frozen UDTs.
    pub fn is_multi_cell(&self) -> bool {
        matches!(
            self,
            CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..) | CqlType::Udt(_)
        )
    }

    /// True for list, set and map, frozen or not.
    pub fn is_collection(&self) -> bool {
        matches!(
            self.unfrozen(),
            CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..)
        )
    }
}

impl fmt::Display for CqlType {
    /// The type as `system_schema.columns.type` shows it, e.g. `frozen<map<text, int>>`
    /// (`C*: cql3/CQL3Type.java`, which `schema/SchemaKeyspace.java` stores). A user type
    /// is written with its name quoted when CQL needs it, `frozen<"Person">`:
    /// `CQL3Type.UserDefined.toString` uses `ColumnIdentifier.maybeQuote(name)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            CqlType::Ascii => "ascii",
            CqlType::Bigint => "bigint",
            CqlType::Blob => "blob",
            CqlType::Boolean => "boolean",
            CqlType::Counter => "counter",
            CqlType::Date => "date",
            CqlType::Decimal => "decimal",
            CqlType::Double => "double",
            CqlType::Duration => "duration",
            CqlType::Float => "float",
            CqlType::Inet => "inet",
            CqlType::Int => "int",
            CqlType::Smallint => "smallint",
            CqlType::Text => "text",
            CqlType::Time => "time",
            CqlType::Timestamp => "timestamp",
            CqlType::Timeuuid => "timeuuid",
            CqlType::Tinyint => "tinyint",
            CqlType::Uuid => "uuid",
            CqlType::Varint => "varint",
            CqlType::List(t) => return write!(f, "list<{t}>"),
            CqlType::Set(t) => return write!(f, "set<{t}>"),
            CqlType::Map(k, v) => return write!(f, "map<{k}, {v}>"),
            CqlType::Tuple(ts) => {
                f.write_str("frozen<tuple<")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                return f.write_str(">>");
            }
            CqlType::Udt(u) => return f.write_str(&crate::schema::quote_ident(&u.name)),
            CqlType::Frozen(t) => return write!(f, "frozen<{t}>"),
        };
        f.write_str(name)
    }
}
