//! CQL identifier rules.
//!
//! An unquoted CQL identifier matches `[a-zA-Z][a-zA-Z0-9_]*` and is folded to lower case;
//! anything else (upper case, other characters, a reserved keyword) must be written in
//! double quotes, with `"` doubled inside. Column and table names in cassmodel are stored
//! exactly (case-sensitive, unquoted) and quoted only when rendered.

/// Cassandra's reserved keywords, which cannot be used unquoted as identifiers.
///
/// Source: apache/cassandra `src/resources/org/apache/cassandra/cql3/reserved_keywords.txt`
/// (read by `cql3/ReservedKeywords.java`), including the 5.x additions `CONSTRAINT`,
/// `LENGTH` and `CHECK` (quoting a word that an older server does not reserve is harmless).
pub const RESERVED_KEYWORDS: &[&str] = &[
    "add",
    "allow",
    "alter",
    "and",
    "apply",
    "asc",
    "authorize",
    "batch",
    "begin",
    "by",
    "check",
    "columnfamily",
    "constraint",
    "create",
    "delete",
    "desc",
    "describe",
    "drop",
    "entries",
    "execute",
    "from",
    "full",
    "grant",
    "if",
    "in",
    "index",
    "infinity",
    "insert",
    "into",
    "is",
    "keyspace",
    "length",
    "limit",
    "materialized",
    "modify",
    "nan",
    "norecursive",
    "not",
    "null",
    "of",
    "on",
    "or",
    "order",
    "primary",
    "rename",
    "revoke",
    "schema",
    "select",
    "set",
    "table",
    "to",
    "token",
    "truncate",
    "unlogged",
    "update",
    "use",
    "using",
    "view",
    "where",
    "with",
];

/// Whether `word` is a reserved CQL keyword (case-insensitive).
pub fn is_reserved(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    RESERVED_KEYWORDS.binary_search(&lower.as_str()).is_ok()
}

/// Whether `name` must be double-quoted to mean exactly itself in CQL.
///
/// Lower-case names matching `[a-z][a-z0-9_]*` that are not reserved can stay bare;
/// upper case would be folded, other characters would not lex, keywords would not parse.
pub fn needs_quotes(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    !(first_ok && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        || is_reserved(name)
}

/// Renders `name` as a CQL identifier, quoting and escaping it when needed.
pub fn quote(name: &str) -> String {
    if needs_quotes(name) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_owned()
    }
}

/// The name a CQL identifier means: `"Order"` → `Order` (`""` unescaped), a bare name as
/// written. The inverse of [`quote()`] for names it rendered.
pub fn unquote(ident: &str) -> String {
    let ident = ident.trim();
    match ident.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => ident.to_owned(),
    }
}

/// Strips the `r#` prefix of a raw Rust identifier (`r#type` names the column `type`).
pub fn unraw(rust_ident: &str) -> &str {
    rust_ident.strip_prefix("r#").unwrap_or(rust_ident)
}

/// `UserProfile` → `user_profile`, `HTTPServer` → `http_server` (the default table name).
pub fn snake_case(name: &str) -> String {
    let name = unraw(name);
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p));
            let next = chars.get(i + 1);
            let boundary = prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_uppercase())
                    && next.is_some_and(|n| n.is_lowercase()));
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Quotes a string as a CQL string literal (`'it''s'`).
pub fn string_literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_list_is_sorted_for_binary_search() {
        assert!(RESERVED_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("username"), "username");
        assert_eq!(quote("user_2"), "user_2");
        assert_eq!(quote("order"), "\"order\"");
        assert_eq!(quote("Order"), "\"Order\"");
        assert_eq!(quote("userName"), "\"userName\"");
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote("2fast"), "\"2fast\"");
        assert_eq!(quote("é"), "\"é\"");
        assert_eq!(quote("type"), "type");
        assert!(is_reserved("SELECT"));
        assert!(!is_reserved("type"));
        for name in ["username", "Order", "a\"b", "é"] {
            assert_eq!(unquote(&quote(name)), name);
        }
    }

    #[test]
    fn snake_and_unraw() {
        assert_eq!(snake_case("Userline"), "userline");
        assert_eq!(snake_case("UserProfile"), "user_profile");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("Tweet2Tag"), "tweet2_tag");
        assert_eq!(snake_case("r#Match"), "match");
        assert_eq!(unraw("r#type"), "type");
        assert_eq!(string_literal("it's"), "'it''s'");
    }
}
