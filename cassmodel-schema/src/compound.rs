//! Compound keys: one text column built from several values and parsed back.
//!
//! Escaping: inside each value, the escape character [`COMPOUND_KEY_ESCAPE`] and the
//! first character of the separator are preceded by the escape character. An unescaped
//! occurrence of the separator's first character can then only start a separator, so
//! [`split`] is unambiguous for any values, even ones containing the separator.

use crate::model::COMPOUND_KEY_ESCAPE;

/// Joins `values` with `separator`, escaping them (see the module docs).
pub fn join(values: &[&str], separator: &str) -> String {
    let first = separator.chars().next();
    let mut out = String::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        for c in value.chars() {
            if c == COMPOUND_KEY_ESCAPE || Some(c) == first {
                out.push(COMPOUND_KEY_ESCAPE);
            }
            out.push(c);
        }
    }
    out
}

/// Splits a key made by [`join`] back into its values; `None` if it does not have exactly
/// `count` parts or ends in a lone escape character.
pub fn split(key: &str, separator: &str, count: usize) -> Option<Vec<String>> {
    if separator.is_empty() {
        return None;
    }
    let mut parts = Vec::with_capacity(count);
    let mut current = String::new();
    let mut rest = key;
    while let Some(c) = rest.chars().next() {
        if c == COMPOUND_KEY_ESCAPE {
            let escaped = rest[c.len_utf8()..].chars().next()?;
            current.push(escaped);
            rest = &rest[c.len_utf8() + escaped.len_utf8()..];
        } else if rest.starts_with(separator) {
            parts.push(std::mem::take(&mut current));
            rest = &rest[separator.len()..];
        } else {
            current.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    parts.push(current);
    (parts.len() == count).then_some(parts)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_separators_and_escapes_inside_values() {
        let cases: &[(&[&str], &str)] = &[
            (&["paris", "75001"], "|"),
            (&["a|b", "c\\d", ""], "|"),
            (&["a|||b", "||", "\\"], "||"),
            (&["é|ü", "日本"], "::"),
            (&["x-y", "-"], "-"),
        ];
        for (values, sep) in cases {
            let key = join(values, sep);
            let back = split(&key, sep, values.len()).unwrap();
            assert_eq!(
                back,
                values.iter().map(|v| v.to_string()).collect::<Vec<_>>(),
                "{key}"
            );
        }
        assert_eq!(join(&["a|b", "c"], "|"), "a\\|b|c");
    }

    #[test]
    fn split_rejects_bad_input() {
        assert_eq!(split("a|b|c", "|", 2), None);
        assert_eq!(split("a\\", "|", 1), None);
        assert_eq!(split("a", "", 1), None);
    }
}
