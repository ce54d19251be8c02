//! Table options: which options a model sets differ from the live table.
//!
//! Only options the model sets are compared (`None` means "leave the server default"), and
//! they are compared by meaning, not text: a compaction class name matches the fully
//! qualified class Cassandra stores (`system_schema.tables.compaction` holds
//! `{'class': 'org.apache.cassandra.db.compaction.LeveledCompactionStrategy', ...}`), a map
//! literal in the model matches when each of its entries is in the live map, numbers
//! compare as numbers. `other` options cannot be read back reliably and are not compared.

use crate::model::TableOptions;
use crate::shared::List;

/// The options `desired` sets that `live` does not have (an empty set when all match).
pub fn changed_options(desired: &TableOptions, live: &TableOptions) -> TableOptions {
    fn pick<T: Clone>(want: &Option<T>, same: impl Fn(&T) -> bool) -> Option<T> {
        want.as_ref().filter(|w| !same(w)).cloned()
    }
    TableOptions {
        default_time_to_live: pick(&desired.default_time_to_live, |w| {
            live.default_time_to_live.unwrap_or(0) == *w
        }),
        comment: pick(&desired.comment, |w| {
            live.comment.as_deref().unwrap_or("") == &**w
        }),
        compaction: pick(&desired.compaction, |w| {
            map_contains(live.compaction.as_deref(), w)
        }),
        compression: pick(&desired.compression, |w| {
            map_contains(live.compression.as_deref(), w)
        }),
        caching: pick(&desired.caching, |w| {
            map_contains(live.caching.as_deref(), w)
        }),
        gc_grace_seconds: pick(&desired.gc_grace_seconds, |w| {
            live.gc_grace_seconds == Some(*w)
        }),
        bloom_filter_fp_chance: pick(&desired.bloom_filter_fp_chance, |w| {
            let parse = |s: &str| s.trim().parse::<f64>().ok();
            match (
                parse(w),
                live.bloom_filter_fp_chance.as_deref().and_then(parse),
            ) {
                (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
                _ => false,
            }
        }),
        speculative_retry: pick(&desired.speculative_retry, |w| {
            live.speculative_retry
                .as_deref()
                .is_some_and(|l| retry_norm(l) == retry_norm(w))
        }),
        memtable_flush_period_in_ms: pick(&desired.memtable_flush_period_in_ms, |w| {
            live.memtable_flush_period_in_ms.unwrap_or(0) == *w
        }),
        other: List::Borrowed(&[]),
    }
}

/// `99PERCENTILE` (Cassandra 3) and `99p` (Cassandra 4) are the same setting.
fn retry_norm(value: &str) -> String {
    let lower = value.trim().to_ascii_lowercase();
    match lower.strip_suffix("percentile") {
        Some(n) => format!("{n}p"),
        None => lower,
    }
}

/// Whether every entry of `want` (a class name or a map literal) is in the `live` map.
fn map_contains(live: Option<&str>, want: &str) -> bool {
    let Some(live) = live.and_then(parse_map) else {
        return false;
    };
    let want = if want.trim_start().starts_with('{') {
        match parse_map(want) {
            Some(map) => map,
            None => return false,
        }
    } else {
        vec![("class".to_owned(), want.trim().to_owned())]
    };
    want.iter().all(|(key, value)| {
        live.iter().any(|(k, v)| {
            k == key
                && if key == "class" || key == "sstable_compression" {
                    short_class(v) == short_class(value)
                } else {
                    v.eq_ignore_ascii_case(value)
                }
        })
    })
}

fn short_class(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

/// Parses a flat CQL map literal of strings, numbers and words: `{'a': 'x', 'b': 10}`.
pub fn parse_map(text: &str) -> Option<Vec<(String, String)>> {
    let mut chars = text.trim().chars().peekable();
    if chars.next()? != '{' {
        return None;
    }
    let mut out = Vec::new();
    let item = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| -> Option<String> {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next()? {
                    '\'' if chars.peek() == Some(&'\'') => {
                        chars.next();
                        value.push('\'');
                    }
                    '\'' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' || c == ':' || c == '}' || c.is_whitespace() {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        Some(value)
    };
    loop {
        let key = item(&mut chars)?;
        if key.is_empty() && chars.peek() == Some(&'}') && out.is_empty() {
            chars.next();
            break;
        }
        if chars.next()? != ':' {
            return None;
        }
        let value = item(&mut chars)?;
        out.push((key, value));
        match chars.next()? {
            ',' => continue,
            '}' => break,
            _ => return None,
        }
    }
    chars.all(char::is_whitespace).then_some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn parses_map_literals() {
        assert_eq!(
            parse_map("{'class': 'X', 'n': 10, 'q': 'it''s'}"),
            Some(vec![
                ("class".into(), "X".into()),
                ("n".into(), "10".into()),
                ("q".into(), "it's".into())
            ])
        );
        assert_eq!(parse_map("{}"), Some(vec![]));
        assert_eq!(parse_map("{'a' 'b'}"), None);
        assert_eq!(parse_map("'a'"), None);
    }

    #[test]
    fn compares_by_meaning() {
        let live = TableOptions {
            compaction: Some(
                "{'class': 'org.apache.cassandra.db.compaction.LeveledCompactionStrategy', \
                 'sstable_size_in_mb': '160'}"
                    .into(),
            ),
            bloom_filter_fp_chance: Some("0.01".into()),
            speculative_retry: Some("99PERCENTILE".into()),
            default_time_to_live: Some(0),
            ..TableOptions::EMPTY
        };
        let same = TableOptions {
            compaction: Some("LeveledCompactionStrategy".into()),
            bloom_filter_fp_chance: Some("0.010".into()),
            speculative_retry: Some("99p".into()),
            default_time_to_live: Some(0),
            ..TableOptions::EMPTY
        };
        assert!(changed_options(&same, &live).is_empty());
        let other = TableOptions {
            compaction: Some(
                "{'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': 80}".into(),
            ),
            default_time_to_live: Some(60),
            comment: Some("users".into()),
            ..TableOptions::EMPTY
        };
        let changed = changed_options(&other, &live);
        assert_eq!(changed.default_time_to_live, Some(60));
        assert_eq!(changed.comment.as_deref(), Some("users"));
        assert!(changed.compaction.is_some());
        assert!(changed.bloom_filter_fp_chance.is_none());
    }
}
