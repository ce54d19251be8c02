//! Resolution of the parser's type expressions into [`CqlType`] with Cassandra's rules
//! (`C*: cql3/CQL3Type.java` `Raw.prepare`), and parsing of the type strings stored in
//! `system_schema.columns.type` / `system_schema.types.field_types` back into types.
//!
//! Canonical form: a collection or UDT nested in a collection, a tuple or a `frozen<>` is
//! wrapped in [`CqlType::Frozen`]; tuples are never wrapped (they are always frozen).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use cassmodel_cql::ast::{NativeType, TypeExpr};

use crate::error::{CqlError, CqlResult};
use crate::types::{CqlType, UserType};

/// The user types of one keyspace, by name.
pub type UserTypes = BTreeMap<String, Arc<UserType>>;

/// Maps a native type of the AST to its [`CqlType`].
pub fn native(n: NativeType) -> CqlType {
    match n {
        NativeType::Ascii => CqlType::Ascii,
        NativeType::Bigint => CqlType::Bigint,
        NativeType::Blob => CqlType::Blob,
        NativeType::Boolean => CqlType::Boolean,
        NativeType::Counter => CqlType::Counter,
        NativeType::Date => CqlType::Date,
        NativeType::Decimal => CqlType::Decimal,
        NativeType::Double => CqlType::Double,
        NativeType::Duration => CqlType::Duration,
        NativeType::Float => CqlType::Float,
        NativeType::Inet => CqlType::Inet,
        NativeType::Int => CqlType::Int,
        NativeType::Smallint => CqlType::Smallint,
        NativeType::Text => CqlType::Text,
        NativeType::Time => CqlType::Time,
        NativeType::Timestamp => CqlType::Timestamp,
        NativeType::Timeuuid => CqlType::Timeuuid,
        NativeType::Tinyint => CqlType::Tinyint,
        NativeType::Uuid => CqlType::Uuid,
        NativeType::Varint => CqlType::Varint,
    }
}

/// Writes a raw type the way Cassandra's `CQL3Type.Raw.toString` does (used in messages).
pub fn raw_to_string(t: &TypeExpr) -> String {
    let mut s = String::new();
    write_raw(&mut s, t, false);
    s
}

fn write_raw(s: &mut String, t: &TypeExpr, frozen: bool) {
    let open = |s: &mut String| {
        if frozen {
            s.push_str("frozen<");
        }
    };
    let close = |s: &mut String| {
        if frozen {
            s.push('>');
        }
    };
    match t {
        TypeExpr::Native(n) => s.push_str(n.name()),
        TypeExpr::List(e) => {
            open(s);
            s.push_str("list<");
            write_raw(s, e, frozen);
            s.push('>');
            close(s);
        }
        TypeExpr::Set(e) => {
            open(s);
            s.push_str("set<");
            write_raw(s, e, frozen);
            s.push('>');
            close(s);
        }
        TypeExpr::Map(k, v) => {
            open(s);
            s.push_str("map<");
            write_raw(s, k, frozen);
            s.push_str(", ");
            write_raw(s, v, frozen);
            s.push('>');
            close(s);
        }
        TypeExpr::Tuple(ts) => {
            s.push_str("tuple<");
            for (i, e) in ts.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                write_raw(s, e, true);
            }
            s.push('>');
        }
        TypeExpr::Frozen(inner) => write_raw(s, inner, true),
        TypeExpr::UserType(q) => {
            open(s);
            if let Some(ks) = &q.keyspace {
                let _ = write!(s, "{}.", ks.as_str());
            }
            s.push_str(q.name.as_str());
            close(s);
        }
        TypeExpr::Vector(e, n) => {
            s.push_str("vector<");
            write_raw(s, e, frozen);
            let _ = write!(s, ", {n}>");
        }
        TypeExpr::Custom(c) => {
            let _ = write!(s, "'{c}'");
        }
    }
}

fn is_freezable(t: &TypeExpr) -> bool {
    matches!(
        t,
        TypeExpr::List(_)
            | TypeExpr::Set(_)
            | TypeExpr::Map(..)
            | TypeExpr::UserType(_)
            | TypeExpr::Tuple(_)
    )
}

fn is_counter(t: &TypeExpr) -> bool {
    matches!(t, TypeExpr::Native(NativeType::Counter))
}

fn is_duration(t: &TypeExpr) -> bool {
    matches!(t, TypeExpr::Native(NativeType::Duration))
}

/// Resolves a column type in `keyspace` against its user types.
pub fn resolve(keyspace: &str, types: &UserTypes, t: &TypeExpr) -> CqlResult<CqlType> {
    Resolver { keyspace, types }.resolve(t, false)
}

/// Resolves the type of a field of a user type being defined (`CREATE TYPE`/`ALTER TYPE ADD`).
/// Cassandra refuses counters and non-frozen UDTs there
/// (`C*: cql3/statements/schema/CreateTypeStatement.java`).
pub fn resolve_field(keyspace: &str, types: &UserTypes, t: &TypeExpr) -> CqlResult<CqlType> {
    if is_counter(t) {
        return Err(CqlError::invalid("A user type cannot contain counters"));
    }
    if matches!(t, TypeExpr::UserType(_)) {
        return Err(CqlError::invalid(
            "A user type cannot contain non-frozen UDTs",
        ));
    }
    resolve(keyspace, types, t)
}

struct Resolver<'a> {
    keyspace: &'a str,
    types: &'a UserTypes,
}

impl Resolver<'_> {
    /// `frozen`: the type sits in a frozen context (inside `frozen<>`, a frozen collection
    /// or a tuple), so nested collections and UDTs are frozen.
    fn resolve(&self, t: &TypeExpr, frozen: bool) -> CqlResult<CqlType> {
        match t {
            TypeExpr::Native(n) => Ok(native(*n)),
            TypeExpr::Frozen(inner) => {
                if !is_freezable(inner) && !matches!(**inner, TypeExpr::Frozen(_)) {
                    return Err(CqlError::syntax(format!(
                        "frozen<> is only allowed on collections, tuples, and user-defined types (got {})",
                        raw_to_string(inner)
                    )));
                }
                let r = self.resolve(inner, true)?;
                Ok(freeze(r))
            }
            TypeExpr::List(e) | TypeExpr::Set(e) => {
                let is_set = matches!(t, TypeExpr::Set(_));
                self.check_element(t, e, frozen)?;
                if is_duration(e) && is_set {
                    return Err(CqlError::invalid(format!(
                        "Durations are not allowed inside sets: {}",
                        self.shown(t, frozen)
                    )));
                }
                let inner = freeze(self.resolve(e, true)?);
                Ok(if is_set {
                    CqlType::Set(Box::new(inner))
                } else {
                    CqlType::List(Box::new(inner))
                })
            }
            TypeExpr::Map(k, v) => {
                self.check_element(t, v, frozen)?;
                if is_counter(k) {
                    return Err(CqlError::invalid(format!(
                        "Counters are not allowed inside collections: {}",
                        self.shown(t, frozen)
                    )));
                }
                if is_duration(k) {
                    return Err(CqlError::invalid(format!(
                        "Durations are not allowed as map keys: {}",
                        self.shown(t, frozen)
                    )));
                }
                if !frozen && is_freezable(k) && !matches!(**k, TypeExpr::Tuple(_)) {
                    return Err(self.nested_non_frozen(t, k, frozen));
                }
                let kt = freeze(self.resolve(k, true)?);
                let vt = freeze(self.resolve(v, true)?);
                Ok(CqlType::Map(Box::new(kt), Box::new(vt)))
            }
            TypeExpr::Tuple(ts) => {
                let mut out = Vec::with_capacity(ts.len());
                for e in ts {
                    if is_counter(e) {
                        return Err(CqlError::invalid("Counters are not allowed inside tuples"));
                    }
                    out.push(freeze(self.resolve(e, true)?));
                }
                Ok(CqlType::Tuple(out))
            }
            TypeExpr::UserType(q) => {
                if let Some(ks) = &q.keyspace
                    && ks.as_str() != self.keyspace
                {
                    return Err(CqlError::invalid(format!(
                        "Statement on keyspace {} cannot refer to a user type in keyspace {}; user types can only be used in the keyspace they are defined in",
                        self.keyspace,
                        ks.as_str()
                    )));
                }
                match self.types.get(q.name.as_str()) {
                    Some(u) => Ok(CqlType::Udt(u.clone())),
                    None => Err(CqlError::invalid(format!(
                        "Unknown type {}.{}",
                        self.keyspace,
                        q.name.as_str()
                    ))),
                }
            }
            TypeExpr::Vector(..) => Err(CqlError::unsupported("The vector type")),
            TypeExpr::Custom(c) => Err(CqlError::unsupported(format!("Custom type '{c}'"))),
        }
    }

    fn shown(&self, t: &TypeExpr, frozen: bool) -> String {
        if frozen {
            raw_to_string(&TypeExpr::Frozen(Box::new(t.clone())))
        } else {
            raw_to_string(t)
        }
    }

    fn nested_non_frozen(&self, outer: &TypeExpr, inner: &TypeExpr, frozen: bool) -> CqlError {
        let what = if matches!(inner, TypeExpr::UserType(_)) {
            "UDTs"
        } else {
            "collections"
        };
        CqlError::invalid(format!(
            "Non-frozen {what} are not allowed inside collections: {}",
            self.shown(outer, frozen)
        ))
    }

    fn check_element(&self, outer: &TypeExpr, e: &TypeExpr, frozen: bool) -> CqlResult<()> {
        if !frozen && is_freezable(e) && !matches!(e, TypeExpr::Tuple(_)) {
            return Err(self.nested_non_frozen(outer, e, frozen));
        }
        if is_counter(e) {
            return Err(CqlError::invalid(format!(
                "Counters are not allowed inside collections: {}",
                self.shown(outer, frozen)
            )));
        }
        Ok(())
    }
}

/// Freezes a type: collections and UDTs get the `frozen<>` wrapper, other types are kept.
pub fn freeze(t: CqlType) -> CqlType {
    match t {
        CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..) | CqlType::Udt(_) => {
            CqlType::Frozen(Box::new(t))
        }
        other => other,
    }
}

/// True when the type (or a type nested in it) is `duration`.
pub fn references_duration(t: &CqlType) -> bool {
    match t {
        CqlType::Duration => true,
        CqlType::List(e) | CqlType::Set(e) | CqlType::Frozen(e) => references_duration(e),
        CqlType::Map(k, v) => references_duration(k) || references_duration(v),
        CqlType::Tuple(ts) => ts.iter().any(references_duration),
        CqlType::Udt(u) => u.fields.iter().any(|(_, f)| references_duration(f)),
        _ => false,
    }
}

/// True when the type (or a type nested in it) is the user type `name`.
pub fn references_udt(t: &CqlType, name: &str) -> bool {
    match t {
        CqlType::List(e) | CqlType::Set(e) | CqlType::Frozen(e) => references_udt(e, name),
        CqlType::Map(k, v) => references_udt(k, name) || references_udt(v, name),
        CqlType::Tuple(ts) => ts.iter().any(|e| references_udt(e, name)),
        CqlType::Udt(u) => u.name == name || u.fields.iter().any(|(_, f)| references_udt(f, name)),
        _ => false,
    }
}

/// Replaces every occurrence of the user type `new.name` with `new` (after ALTER TYPE).
pub fn replace_udt(t: &CqlType, new: &Arc<UserType>) -> CqlType {
    let r = |e: &CqlType| Box::new(replace_udt(e, new));
    match t {
        CqlType::List(e) => CqlType::List(r(e)),
        CqlType::Set(e) => CqlType::Set(r(e)),
        CqlType::Frozen(e) => CqlType::Frozen(r(e)),
        CqlType::Map(k, v) => CqlType::Map(r(k), r(v)),
        CqlType::Tuple(ts) => CqlType::Tuple(ts.iter().map(|e| replace_udt(e, new)).collect()),
        CqlType::Udt(u) if u.name == new.name => CqlType::Udt(new.clone()),
        CqlType::Udt(u) => CqlType::Udt(Arc::new(UserType {
            keyspace: u.keyspace.clone(),
            name: u.name.clone(),
            fields: u
                .fields
                .iter()
                .map(|(n, f)| (n.clone(), replace_udt(f, new)))
                .collect(),
        })),
        other => other.clone(),
    }
}

/// Parses a type string as stored in `system_schema` (`frozen<map<text, int>>`, `address`,
/// `frozen<tuple<int, text>>`, `frozen<"Person">`), looking user types up in `types`.
///
/// A user type name is quoted when CQL needs it (`C*: cql3/CQL3Type.java`
/// `UserDefined.toString`); data directories written before that was done hold the bare
/// name (`frozen<Person>`, even `frozen<My Type>`). A bare name is looked up as written,
/// and when the string does not parse as CQL, it is read again with a bare name running up
/// to the next `<`, `>` or `,`, so such directories still load.
pub fn parse_type_string(s: &str, types: &UserTypes) -> CqlResult<CqlType> {
    let parse = |legacy: bool| {
        let mut p = TypeParser {
            s: s.as_bytes(),
            pos: 0,
            types,
            legacy,
        };
        let t = p.parse()?;
        p.skip_ws();
        if p.pos != p.s.len() {
            return Err(p.error());
        }
        Ok(t)
    };
    parse(false).or_else(|_| parse(true))
}

struct TypeParser<'a> {
    s: &'a [u8],
    pos: usize,
    types: &'a UserTypes,
    /// Unquoted names may hold any character but `<`, `>`, `,` and `"` (old stored forms).
    legacy: bool,
}

impl TypeParser<'_> {
    fn error(&self) -> CqlError {
        CqlError::server(format!(
            "Cannot parse stored type '{}'",
            String::from_utf8_lossy(self.s)
        ))
    }

    fn skip_ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn expect(&mut self, c: u8) -> CqlResult<()> {
        self.skip_ws();
        if self.s.get(self.pos) == Some(&c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn name(&mut self) -> CqlResult<String> {
        self.skip_ws();
        if self.s.get(self.pos) == Some(&b'"') {
            self.pos += 1;
            let mut out = Vec::new();
            loop {
                match self.s.get(self.pos) {
                    Some(b'"') if self.s.get(self.pos + 1) == Some(&b'"') => {
                        out.push(b'"');
                        self.pos += 2;
                    }
                    Some(b'"') => {
                        self.pos += 1;
                        break;
                    }
                    Some(c) => {
                        out.push(*c);
                        self.pos += 1;
                    }
                    None => return Err(self.error()),
                }
            }
            return String::from_utf8(out).map_err(|_| self.error());
        }
        let start = self.pos;
        let in_name = |c: u8| {
            if self.legacy {
                !matches!(c, b'<' | b'>' | b',' | b'"')
            } else {
                c.is_ascii_alphanumeric() || c == b'_'
            }
        };
        while self.pos < self.s.len() && in_name(self.s[self.pos]) {
            self.pos += 1;
        }
        let name = std::str::from_utf8(&self.s[start..self.pos])
            .map_err(|_| self.error())?
            .trim_end();
        if name.is_empty() {
            return Err(self.error());
        }
        Ok(name.to_owned())
    }

    fn parse(&mut self) -> CqlResult<CqlType> {
        self.skip_ws();
        let quoted = self.s.get(self.pos) == Some(&b'"');
        let name = self.name()?;
        if quoted {
            return self.udt(&name);
        }
        match name.as_str() {
            "frozen" => {
                self.expect(b'<')?;
                let inner = self.parse()?;
                self.expect(b'>')?;
                Ok(freeze(inner))
            }
            "list" | "set" => {
                self.expect(b'<')?;
                let inner = self.parse()?;
                self.expect(b'>')?;
                Ok(if name == "list" {
                    CqlType::List(Box::new(inner))
                } else {
                    CqlType::Set(Box::new(inner))
                })
            }
            "map" => {
                self.expect(b'<')?;
                let k = self.parse()?;
                self.expect(b',')?;
                let v = self.parse()?;
                self.expect(b'>')?;
                Ok(CqlType::Map(Box::new(k), Box::new(v)))
            }
            "tuple" => {
                self.expect(b'<')?;
                let mut ts = vec![self.parse()?];
                loop {
                    self.skip_ws();
                    if self.s.get(self.pos) == Some(&b',') {
                        self.pos += 1;
                        ts.push(self.parse()?);
                    } else {
                        break;
                    }
                }
                self.expect(b'>')?;
                Ok(CqlType::Tuple(ts))
            }
            other => match NativeType::from_name(other) {
                Some(n) => Ok(native(n)),
                None => self.udt(other),
            },
        }
    }

    fn udt(&self, name: &str) -> CqlResult<CqlType> {
        self.types
            .get(name)
            .map(|u| CqlType::Udt(u.clone()))
            .ok_or_else(|| CqlError::server(format!("Stored type refers to unknown type {name}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cassmodel_cql::ast::{QualifiedName, TypeExpr as T};

    fn n(t: NativeType) -> Box<TypeExpr> {
        Box::new(T::Native(t))
    }

    fn types() -> UserTypes {
        let mut m = UserTypes::new();
        m.insert(
            "addr".into(),
            Arc::new(UserType {
                keyspace: "ks".into(),
                name: "addr".into(),
                fields: vec![("zip".into(), CqlType::Int)],
            }),
        );
        m
    }

    fn shown(t: &TypeExpr) -> Result<String, String> {
        resolve("ks", &types(), t)
            .map(|t| t.to_string())
            .map_err(|e| e.message)
    }

    #[test]
    fn freezing_propagates_inside_frozen_collections() {
        let inner = T::Map(n(NativeType::Text), Box::new(T::List(n(NativeType::Int))));
        assert_eq!(
            shown(&T::Frozen(Box::new(inner))),
            Ok("frozen<map<text, frozen<list<int>>>>".to_owned())
        );
        let udt = T::UserType(QualifiedName::local("addr"));
        assert_eq!(
            shown(&T::List(Box::new(T::Frozen(Box::new(udt.clone()))))),
            Ok("list<frozen<addr>>".to_owned())
        );
        assert_eq!(shown(&udt), Ok("addr".to_owned()));
        assert_eq!(
            shown(&T::Tuple(vec![
                T::Native(NativeType::Int),
                T::List(n(NativeType::Text))
            ])),
            Ok("frozen<tuple<int, frozen<list<text>>>>".to_owned())
        );
    }

    #[test]
    fn cassandra_messages_for_invalid_nesting() {
        let list_list = T::List(Box::new(T::List(n(NativeType::Int))));
        assert_eq!(
            shown(&list_list),
            Err(
                "Non-frozen collections are not allowed inside collections: list<list<int>>".into()
            )
        );
        let set_udt = T::Set(Box::new(T::UserType(QualifiedName::local("addr"))));
        assert_eq!(
            shown(&set_udt),
            Err("Non-frozen UDTs are not allowed inside collections: set<addr>".into())
        );
        assert_eq!(
            shown(&T::List(n(NativeType::Counter))),
            Err("Counters are not allowed inside collections: list<counter>".into())
        );
        assert_eq!(
            shown(&T::Map(n(NativeType::Duration), n(NativeType::Int))),
            Err("Durations are not allowed as map keys: map<duration, int>".into())
        );
        assert_eq!(
            shown(&T::UserType(QualifiedName::qualified("other", "addr"))),
            Err("Statement on keyspace ks cannot refer to a user type in keyspace other; user types can only be used in the keyspace they are defined in".into())
        );
        assert_eq!(
            shown(&T::UserType(QualifiedName::local("nope"))),
            Err("Unknown type ks.nope".into())
        );
        let e = resolve("ks", &types(), &T::Frozen(n(NativeType::Int))).expect_err("frozen int");
        assert_eq!(e.code, crate::error::ErrorCode::Syntax);
    }

    #[test]
    fn stored_type_strings_round_trip() {
        let udts = types();
        for s in [
            "int",
            "frozen<map<text, int>>",
            "list<frozen<set<uuid>>>",
            "map<text, frozen<addr>>",
            "frozen<tuple<int, frozen<list<text>>, timeuuid>>",
            "addr",
            "set<inet>",
        ] {
            let t = parse_type_string(s, &udts).expect(s);
            assert_eq!(t.to_string(), s);
        }
        assert!(parse_type_string("map<text", &udts).is_err());
        assert!(parse_type_string("nope", &udts).is_err());
    }

    fn with_case_sensitive_types() -> UserTypes {
        let mut udts = types();
        for name in ["Person", "My Type", "a\"b"] {
            udts.insert(
                name.into(),
                Arc::new(UserType {
                    keyspace: "ks".into(),
                    name: name.into(),
                    fields: vec![("Name".into(), CqlType::Text)],
                }),
            );
        }
        udts
    }

    #[test]
    fn case_sensitive_type_names_are_quoted_and_read_back() {
        let udts = with_case_sensitive_types();
        for s in [
            "\"Person\"",
            "frozen<\"Person\">",
            "map<frozen<\"My Type\">, frozen<list<frozen<\"Person\">>>>",
            "frozen<tuple<int, frozen<\"a\"\"b\">>>",
        ] {
            let t = parse_type_string(s, &udts).expect(s);
            assert_eq!(t.to_string(), s);
        }
    }

    #[test]
    fn stored_type_strings_without_quotes_still_load() {
        let udts = with_case_sensitive_types();
        for (old, now) in [
            ("Person", "\"Person\""),
            ("frozen<Person>", "frozen<\"Person\">"),
            ("set<frozen<Person>>", "set<frozen<\"Person\">>"),
            ("frozen<My Type>", "frozen<\"My Type\">"),
            (
                "map<frozen<My Type>, frozen<tuple<int, frozen<Person>>>>",
                "map<frozen<\"My Type\">, frozen<tuple<int, frozen<\"Person\">>>>",
            ),
        ] {
            let t = parse_type_string(old, &udts).expect(old);
            assert_eq!(t.to_string(), now);
        }
        let e = parse_type_string("frozen<Nobody Here>", &udts).expect_err("unknown");
        assert_eq!(e.message, "Stored type refers to unknown type Nobody Here");
    }
}
