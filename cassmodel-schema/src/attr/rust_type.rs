//! Rust type → CQL type, by the type's path.
//!
//! The last path segment decides (`String`, `Uuid`, `CqlTimestamp`, `Vec<T>`...), with
//! knowledge of full paths where a last segment is ambiguous or misleading
//! (`std::time::Duration` is not a CQL `duration`). A type this table does not know is an
//! error suggesting `#[cassmodel(type = "..")]`: the derive never guesses.

use syn::spanned::Spanned;

use crate::cql_type::CqlType;
use crate::ident::snake_case;

/// The inner `T` of `Option<T>` (by last segment `Option`), or `None`.
pub fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let args = single_segment_args(ty, &["Option"])?;
    match args.as_slice() {
        [inner] => Some(inner),
        _ => None,
    }
}

fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        syn::Type::Group(g) => last_segment(&g.elem),
        syn::Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

fn type_args(seg: &syn::PathSegment) -> Vec<&syn::Type> {
    match &seg.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn single_segment_args<'a>(ty: &'a syn::Type, names: &[&str]) -> Option<Vec<&'a syn::Type>> {
    let seg = last_segment(ty)?;
    names.iter().any(|n| seg.ident == n).then(|| type_args(seg))
}

fn path_text(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect::<Vec<_>>()
            .join("::"),
        _ => String::new(),
    }
}

/// Maps a Rust type (without the outer `Option`) to its CQL type.
///
/// Collections nested in collections or tuples are frozen, as Cassandra requires.
pub fn cql_type_of(ty: &syn::Type) -> syn::Result<CqlType> {
    map(ty, false)
}

fn unknown(ty: &syn::Type) -> syn::Error {
    let name = last_segment(ty).map(|s| s.ident.to_string());
    let udt_hint = match &name {
        Some(n) => format!(" (a user type: `type = \"frozen<{}>\"`)", snake_case(n)),
        None => String::new(),
    };
    syn::Error::new(
        ty.span(),
        format!(
            "cassmodel does not know the CQL type of this Rust type; name it with `#[cassmodel(type = \"..\")]`{udt_hint}, or store it as text with `#[cassmodel(json)]`"
        ),
    )
}

fn map(ty: &syn::Type, nested: bool) -> syn::Result<CqlType> {
    let freeze = |t: CqlType| {
        if nested && t.is_collection() {
            CqlType::frozen(t)
        } else {
            t
        }
    };
    match ty {
        syn::Type::Tuple(tuple) if !tuple.elems.is_empty() => {
            let items = tuple
                .elems
                .iter()
                .map(|t| map(t, true))
                .collect::<syn::Result<Vec<_>>>()?;
            return Ok(CqlType::Tuple(items.into()));
        }
        syn::Type::Group(g) => return map(&g.elem, nested),
        syn::Type::Paren(p) => return map(&p.elem, nested),
        _ => {}
    }
    let Some(seg) = last_segment(ty) else {
        return Err(unknown(ty));
    };
    let args = type_args(seg);
    let name = seg.ident.to_string();
    let full = path_text(ty);
    let arity = |n: usize| -> syn::Result<()> {
        if args.len() == n {
            Ok(())
        } else {
            Err(syn::Error::new(
                ty.span(),
                format!("expected `{name}` with {n} type argument(s)"),
            ))
        }
    };
    let ty_out = match name.as_str() {
        "String" => CqlType::Text,
        "i8" => CqlType::TinyInt,
        "i16" => CqlType::SmallInt,
        "i32" => CqlType::Int,
        "i64" => CqlType::BigInt,
        "f32" => CqlType::Float,
        "f64" => CqlType::Double,
        "bool" => CqlType::Boolean,
        "Uuid" => CqlType::Uuid,
        "TimeUuid" | "CqlTimeuuid" => CqlType::TimeUuid,
        "IpAddr" => CqlType::Inet,
        "Counter" => CqlType::Counter,
        "CqlTimestamp" | "OffsetDateTime" => CqlType::Timestamp,
        "DateTime" if full.contains("chrono") || args.len() == 1 => CqlType::Timestamp,
        "CqlDate" | "NaiveDate" => CqlType::Date,
        "Date" if full.starts_with("time") || full == "Date" => CqlType::Date,
        "CqlTime" | "NaiveTime" => CqlType::Time,
        "Time" if full.starts_with("time") || full == "Time" => CqlType::Time,
        "CqlDuration" => CqlType::Duration,
        "CqlDecimal" | "BigDecimal" => CqlType::Decimal,
        "CqlVarint" | "BigInt" => CqlType::VarInt,
        "Duration" | "TimeDelta" => {
            return Err(syn::Error::new(
                ty.span(),
                format!(
                    "`{full}` is not a CQL `duration` (months, days and nanoseconds); use `scylla::value::CqlDuration`, or `i64` with `type = \"bigint\"`"
                ),
            ));
        }
        "Option" => {
            return Err(syn::Error::new(
                ty.span(),
                "`Option` is only allowed around the whole column type: CQL collections and tuples cannot hold nulls",
            ));
        }
        "Vec" => {
            arity(1)?;
            if args
                .first()
                .and_then(|t| last_segment(t))
                .is_some_and(|s| s.ident == "u8")
            {
                CqlType::Blob
            } else {
                freeze(CqlType::list(map(args[0], true)?))
            }
        }
        "HashSet" | "BTreeSet" => {
            arity(1)?;
            freeze(CqlType::set(map(args[0], true)?))
        }
        "HashMap" | "BTreeMap" => {
            arity(2)?;
            freeze(CqlType::map(map(args[0], true)?, map(args[1], true)?))
        }
        _ => return Err(unknown(ty)),
    };
    Ok(ty_out)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    fn cql(ty: &str) -> Result<String, String> {
        let ty: syn::Type = syn::parse_str(ty).unwrap();
        cql_type_of(&ty)
            .map(|t| t.to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn maps_known_types() {
        for (rust, cql_text) in [
            ("String", "text"),
            ("i64", "bigint"),
            ("uuid::Uuid", "uuid"),
            ("cassmodel::TimeUuid", "timeuuid"),
            ("Vec<u8>", "blob"),
            ("std::net::IpAddr", "inet"),
            ("scylla::value::CqlTimestamp", "timestamp"),
            ("chrono::DateTime<chrono::Utc>", "timestamp"),
            ("time::Date", "date"),
            ("Vec<String>", "list<text>"),
            ("HashMap<String, Vec<i32>>", "map<text, frozen<list<int>>>"),
            ("BTreeSet<(i32, Vec<u8>)>", "set<tuple<int, blob>>"),
            ("(i32, Vec<String>)", "tuple<int, frozen<list<text>>>"),
            ("Counter", "counter"),
        ] {
            assert_eq!(cql(rust).as_deref(), Ok(cql_text), "{rust}");
        }
    }

    #[test]
    fn refuses_unknown_types() {
        assert!(cql("Address").unwrap_err().contains("frozen<address>"));
        assert!(
            cql("std::time::Duration")
                .unwrap_err()
                .contains("CqlDuration")
        );
        assert!(cql("Vec<Option<i32>>").unwrap_err().contains("Option"));
        assert!(cql("&str").is_err());
        let opt: syn::Type = syn::parse_str("Option<i32>").unwrap();
        assert!(option_inner(&opt).is_some());
    }
}
