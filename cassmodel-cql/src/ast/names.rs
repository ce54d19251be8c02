//! Identifiers, qualified names and CQL type expressions.

/// A CQL identifier after normalisation: unquoted identifiers are lower-cased, quoted ones
/// (`"Foo"`) keep their case with `""` unescaped to `"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ident(pub String);

impl Ident {
    /// Builds an identifier from an already-normalised name.
    pub fn new(name: impl Into<String>) -> Self {
        Ident(name.into())
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Ident {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Ident {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Ident {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// A name optionally qualified by a keyspace: `ks.t` or `t`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QualifiedName {
    /// The keyspace, when written; otherwise the session's current keyspace applies.
    pub keyspace: Option<Ident>,
    /// The object name.
    pub name: Ident,
}

impl QualifiedName {
    /// An unqualified name.
    pub fn local(name: impl Into<String>) -> Self {
        QualifiedName {
            keyspace: None,
            name: Ident::new(name),
        }
    }

    /// A keyspace-qualified name.
    pub fn qualified(keyspace: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            keyspace: Some(Ident::new(keyspace)),
            name: Ident::new(name),
        }
    }
}

/// A function name, optionally keyspace-qualified (`system.now`, `toTimestamp`).
/// Unquoted names are lower-cased like any identifier.
pub type FunctionName = QualifiedName;

/// The native (non-parameterised) CQL types. `varchar` is parsed as [`NativeType::Text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NativeType {
    /// `ascii`
    Ascii,
    /// `bigint`
    Bigint,
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
    Smallint,
    /// `text` and its alias `varchar`
    Text,
    /// `time`
    Time,
    /// `timestamp`
    Timestamp,
    /// `timeuuid`
    Timeuuid,
    /// `tinyint`
    Tinyint,
    /// `uuid`
    Uuid,
    /// `varint`
    Varint,
}

impl NativeType {
    /// Every native type with its CQL name (the lower-case spelling Cassandra prints).
    pub const ALL: [(&'static str, NativeType); 21] = [
        ("ascii", NativeType::Ascii),
        ("bigint", NativeType::Bigint),
        ("blob", NativeType::Blob),
        ("boolean", NativeType::Boolean),
        ("counter", NativeType::Counter),
        ("date", NativeType::Date),
        ("decimal", NativeType::Decimal),
        ("double", NativeType::Double),
        ("duration", NativeType::Duration),
        ("float", NativeType::Float),
        ("inet", NativeType::Inet),
        ("int", NativeType::Int),
        ("smallint", NativeType::Smallint),
        ("text", NativeType::Text),
        ("time", NativeType::Time),
        ("timestamp", NativeType::Timestamp),
        ("timeuuid", NativeType::Timeuuid),
        ("tinyint", NativeType::Tinyint),
        ("uuid", NativeType::Uuid),
        ("varchar", NativeType::Text),
        ("varint", NativeType::Varint),
    ];

    /// Looks a native type up by name, case-insensitively.
    pub fn from_name(name: &str) -> Option<NativeType> {
        NativeType::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, t)| *t)
    }

    /// The CQL name of the type.
    pub fn name(self) -> &'static str {
        NativeType::ALL
            .iter()
            .find(|(_, t)| *t == self)
            .map_or("text", |(n, _)| n)
    }
}

/// A type as written in CQL (`comparatorType` in Cassandra's `Parser.g`), not yet resolved
/// (user type names are not looked up).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeExpr {
    /// A native type.
    Native(NativeType),
    /// `list<T>`
    List(Box<TypeExpr>),
    /// `set<T>`
    Set(Box<TypeExpr>),
    /// `map<K, V>`
    Map(Box<TypeExpr>, Box<TypeExpr>),
    /// `tuple<A, B, ...>` (tuples are always frozen in CQL).
    Tuple(Vec<TypeExpr>),
    /// `frozen<T>`
    Frozen(Box<TypeExpr>),
    /// A user-defined type name, `[ks.]name`.
    UserType(QualifiedName),
    /// `vector<T, n>` (Cassandra 5; parsed so the executor can refuse it with a clear message).
    Vector(Box<TypeExpr>, u32),
    /// A custom type given as a Java class name string: `'org.apache...MyType'`.
    Custom(String),
}
