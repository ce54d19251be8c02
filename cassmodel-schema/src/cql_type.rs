//! CQL data types: every native type, collections, tuples, `frozen<..>` and user types by
//! name. `Display` prints the CQL text (`map<text, frozen<list<int>>>`), and
//! [`CqlType::parse`] reads it back, so `#[cassmodel(type = "..")]` and the live schema
//! (`system_schema.columns.type`) go through the same code.

use std::fmt;

use crate::ident;
use crate::shared::{List, Shared, Str};

/// A CQL data type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CqlType {
    /// `ascii`
    Ascii,
    /// `bigint`
    BigInt,
    /// `blob`
    Blob,
    /// `boolean`
    Boolean,
    /// `counter`
    Counter,
    /// `date`
    Date,
    /// `decimal`
    Decimal,
    /// `double`
    Double,
    /// `duration`
    Duration,
    /// `float`
    Float,
    /// `inet`
    Inet,
    /// `int`
    Int,
    /// `smallint`
    SmallInt,
    /// `text` (`varchar` is an alias and parses to this)
    Text,
    /// `time`
    Time,
    /// `timestamp`
    Timestamp,
    /// `timeuuid`
    TimeUuid,
    /// `tinyint`
    TinyInt,
    /// `uuid`
    Uuid,
    /// `varint`
    VarInt,
    /// `list<T>`
    List(Shared<CqlType>),
    /// `set<T>`
    Set(Shared<CqlType>),
    /// `map<K, V>`
    Map(Shared<(CqlType, CqlType)>),
    /// `tuple<A, B, ..>` (tuples are always frozen in Cassandra)
    Tuple(List<CqlType>),
    /// `frozen<T>`
    Frozen(Shared<CqlType>),
    /// A user-defined type, by its (unquoted) name.
    Udt(Str),
}

/// Native types by their CQL name; the order is irrelevant.
const NATIVE: &[(&str, CqlType)] = &[
    ("ascii", CqlType::Ascii),
    ("bigint", CqlType::BigInt),
    ("blob", CqlType::Blob),
    ("boolean", CqlType::Boolean),
    ("counter", CqlType::Counter),
    ("date", CqlType::Date),
    ("decimal", CqlType::Decimal),
    ("double", CqlType::Double),
    ("duration", CqlType::Duration),
    ("float", CqlType::Float),
    ("inet", CqlType::Inet),
    ("int", CqlType::Int),
    ("smallint", CqlType::SmallInt),
    ("text", CqlType::Text),
    ("varchar", CqlType::Text),
    ("time", CqlType::Time),
    ("timestamp", CqlType::Timestamp),
    ("timeuuid", CqlType::TimeUuid),
    ("tinyint", CqlType::TinyInt),
    ("uuid", CqlType::Uuid),
    ("varint", CqlType::VarInt),
];

impl CqlType {
    /// `list<elem>`.
    pub fn list(elem: CqlType) -> Self {
        CqlType::List(Shared::new(elem))
    }
    /// `set<elem>`.
    pub fn set(elem: CqlType) -> Self {
        CqlType::Set(Shared::new(elem))
    }
    /// `map<key, value>`.
    pub fn map(key: CqlType, value: CqlType) -> Self {
        CqlType::Map(Shared::new((key, value)))
    }
    /// `frozen<inner>` (a no-op on an already frozen type or a tuple).
    pub fn frozen(inner: CqlType) -> Self {
        match inner {
            CqlType::Frozen(_) | CqlType::Tuple(_) => inner,
            other => CqlType::Frozen(Shared::new(other)),
        }
    }

    /// The CQL name of a native type, `None` for collections, tuples, frozen and UDTs.
    pub fn native_name(&self) -> Option<&'static str> {
        NATIVE
            .iter()
            .find(|(name, ty)| ty == self && *name != "varchar")
            .map(|(name, _)| *name)
    }

    /// A non-frozen list, set or map.
    pub fn is_collection(&self) -> bool {
        matches!(self, CqlType::List(_) | CqlType::Set(_) | CqlType::Map(_))
    }

    /// A map, frozen or not.
    pub fn is_map(&self) -> bool {
        match self {
            CqlType::Map(_) => true,
            CqlType::Frozen(inner) => inner.is_map(),
            _ => false,
        }
    }

    /// `frozen<..>` or a tuple (implicitly frozen).
    pub fn is_frozen(&self) -> bool {
        matches!(self, CqlType::Frozen(_) | CqlType::Tuple(_))
    }

    /// Whether `duration` occurs anywhere inside this type.
    pub fn contains_duration(&self) -> bool {
        self.any(&|ty| matches!(ty, CqlType::Duration))
    }

    /// Whether `counter` occurs anywhere inside this type.
    pub fn contains_counter(&self) -> bool {
        self.any(&|ty| matches!(ty, CqlType::Counter))
    }

    /// Whether a non-frozen user type occurs at the top level (Cassandra only allows
    /// non-frozen UDTs as top-level column types).
    pub fn is_unfrozen_udt(&self) -> bool {
        matches!(self, CqlType::Udt(_))
    }

    fn any(&self, pred: &dyn Fn(&CqlType) -> bool) -> bool {
        if pred(self) {
            return true;
        }
        match self {
            CqlType::List(inner) | CqlType::Set(inner) | CqlType::Frozen(inner) => inner.any(pred),
            CqlType::Map(kv) => kv.0.any(pred) || kv.1.any(pred),
            CqlType::Tuple(items) => items.iter().any(|item| item.any(pred)),
            _ => false,
        }
    }

    /// Parses CQL type text such as `map<text, frozen<list<int>>>` or `"MyType"`.
    pub fn parse(text: &str) -> Result<CqlType, TypeParseError> {
        let mut parser = TypeParser { text, pos: 0 };
        let ty = parser.parse_type()?;
        parser.skip_ws();
        if parser.pos != text.len() {
            return Err(parser.error("unexpected text after the type"));
        }
        Ok(ty)
    }
}

impl fmt::Display for CqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = self.native_name() {
            return f.write_str(name);
        }
        match self {
            CqlType::List(elem) => write!(f, "list<{}>", **elem),
            CqlType::Set(elem) => write!(f, "set<{}>", **elem),
            CqlType::Map(kv) => write!(f, "map<{}, {}>", kv.0, kv.1),
            CqlType::Frozen(inner) => write!(f, "frozen<{}>", **inner),
            CqlType::Tuple(items) => {
                f.write_str("tuple<")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(">")
            }
            CqlType::Udt(name) => f.write_str(&ident::quote(name)),
            _ => Ok(()),
        }
    }
}

/// Why a CQL type text could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeParseError {
    /// What is wrong, in lower case.
    pub message: String,
    /// Byte offset in the text.
    pub offset: usize,
}

impl fmt::Display for TypeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for TypeParseError {}

/// A small recursive-descent parser over the CQL type grammar of Cassandra's `Parser.g`
/// (`comparatorType`): native names, `list<>`, `set<>`, `map<,>`, `tuple<..>`, `frozen<>`,
/// and user types by (possibly quoted) name.
struct TypeParser<'a> {
    text: &'a str,
    pos: usize,
}

impl TypeParser<'_> {
    fn error(&self, message: &str) -> TypeParseError {
        TypeParseError {
            message: message.to_owned(),
            offset: self.pos,
        }
    }

    fn skip_ws(&mut self) {
        let rest = &self.text[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.text[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), TypeParseError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(&format!("expected `{c}`")))
        }
    }

    fn name(&mut self) -> Result<(String, bool), TypeParseError> {
        self.skip_ws();
        let rest = &self.text[self.pos..];
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = quoted.char_indices();
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if quoted[i + 1..].starts_with('"') {
                        out.push('"');
                        chars.next();
                    } else {
                        self.pos += i + 2;
                        return Ok((out, true));
                    }
                } else {
                    out.push(c);
                }
            }
            return Err(self.error("unterminated quoted name"));
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(self.error("expected a type name"));
        }
        self.pos += len;
        Ok((rest[..len].to_ascii_lowercase(), false))
    }

    fn parse_type(&mut self) -> Result<CqlType, TypeParseError> {
        let start = self.pos;
        let (name, quoted) = self.name()?;
        if quoted {
            return Ok(CqlType::Udt(name.into()));
        }
        let one = |p: &mut Self| -> Result<CqlType, TypeParseError> {
            p.expect('<')?;
            let ty = p.parse_type()?;
            p.expect('>')?;
            Ok(ty)
        };
        let ty = match name.as_str() {
            "list" => CqlType::list(one(self)?),
            "set" => CqlType::set(one(self)?),
            "frozen" => CqlType::frozen(one(self)?),
            "map" => {
                self.expect('<')?;
                let key = self.parse_type()?;
                self.expect(',')?;
                let value = self.parse_type()?;
                self.expect('>')?;
                CqlType::map(key, value)
            }
            "tuple" => {
                self.expect('<')?;
                let mut items = vec![self.parse_type()?];
                while self.eat(',') {
                    items.push(self.parse_type()?);
                }
                self.expect('>')?;
                CqlType::Tuple(items.into())
            }
            other => match NATIVE.iter().find(|(n, _)| *n == other) {
                Some((_, ty)) => ty.clone(),
                None if ident::is_reserved(other) => {
                    self.pos = start;
                    return Err(self.error(&format!("`{other}` is a reserved word, not a type")));
                }
                None => CqlType::Udt(name.into()),
            },
        };
        Ok(ty)
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    #[test]
    fn display_parse_round_trip() {
        for text in [
            "int",
            "text",
            "list<int>",
            "map<text, frozen<list<timeuuid>>>",
            "tuple<int, text, blob>",
            "frozen<address>",
            "set<frozen<\"MyType\">>",
            "counter",
            "duration",
        ] {
            let ty = CqlType::parse(text).unwrap();
            assert_eq!(ty.to_string(), text);
        }
    }

    #[test]
    fn parse_normalizes_case_spacing_and_aliases() {
        assert_eq!(
            CqlType::parse(" MAP < VarChar ,Int > ").unwrap(),
            CqlType::map(CqlType::Text, CqlType::Int)
        );
        assert_eq!(
            CqlType::parse("frozen<tuple<int>>").unwrap().to_string(),
            "tuple<int>"
        );
    }

    #[test]
    fn parse_errors() {
        assert_eq!(
            CqlType::parse("list<int").unwrap_err().message,
            "expected `>`"
        );
        assert_eq!(
            CqlType::parse("int int").unwrap_err().message,
            "unexpected text after the type"
        );
        assert!(
            CqlType::parse("select")
                .unwrap_err()
                .message
                .contains("reserved")
        );
        assert!(CqlType::parse("").is_err());
        assert!(CqlType::parse("\"abc").is_err());
    }

    #[test]
    fn static_and_owned_compare_equal() {
        static INT: CqlType = CqlType::Int;
        assert_eq!(
            CqlType::List(Shared::Static(&INT)),
            CqlType::list(CqlType::Int)
        );
        assert!(CqlType::map(CqlType::Int, CqlType::Duration).contains_duration());
        assert!(!CqlType::list(CqlType::Int).contains_counter());
    }
}
