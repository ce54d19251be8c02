//! Table options (`WITH ...` of CREATE/ALTER TABLE) with Cassandra 4.1's defaults,
//! parsing and validation (`C*: schema/TableParams.java`, `schema/CachingParams.java`,
//! `schema/CompactionParams.java`, `schema/CompressionParams.java`,
//! `cql3/statements/PropertyDefinitions.java`, `cql3/statements/schema/TableAttributes.java`).

use std::collections::BTreeMap;

use super::compaction::compaction;
use super::suboptions::{caching, compression, speculative_retry};
use crate::error::{CqlError, CqlResult};

/// Cassandra's maximum TTL in seconds (20 years, `cql3/Attributes.MAX_TTL`).
pub const MAX_TTL: i32 = 630_720_000;

/// The value of one `WITH` property, as text (what Cassandra's `getRawText` gives).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropValue {
    /// A constant or identifier.
    Simple(String),
    /// A map literal, keys and values as text.
    Map(Vec<(String, String)>),
}

/// The `WITH` properties of a statement, checked for duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Props(pub BTreeMap<String, PropValue>);

impl Props {
    /// Collects properties; a repeated name is a syntax error, as in Cassandra.
    pub fn new(items: impl IntoIterator<Item = (String, PropValue)>) -> CqlResult<Props> {
        let mut map = BTreeMap::new();
        for (k, v) in items {
            if map.insert(k.clone(), v).is_some() {
                return Err(CqlError::syntax(format!(
                    "Multiple definition for property '{k}'"
                )));
            }
        }
        Ok(Props(map))
    }

    /// Refuses properties outside `valid` (obsolete ones are ignored).
    pub fn validate(&self, valid: &[&str], obsolete: &[&str]) -> CqlResult<()> {
        for k in self.0.keys() {
            if !valid.contains(&k.as_str()) && !obsolete.contains(&k.as_str()) {
                return Err(CqlError::syntax(format!("Unknown property '{k}'")));
            }
        }
        Ok(())
    }

    /// A simple (non-map) property.
    pub fn simple(&self, name: &str) -> CqlResult<Option<&str>> {
        match self.0.get(name) {
            None => Ok(None),
            Some(PropValue::Simple(s)) => Ok(Some(s)),
            Some(PropValue::Map(_)) => Err(CqlError::syntax(format!(
                "Invalid value for property '{name}'. It should be a string"
            ))),
        }
    }

    /// A map property.
    pub fn map(&self, name: &str) -> CqlResult<Option<&[(String, String)]>> {
        match self.0.get(name) {
            None => Ok(None),
            Some(PropValue::Map(m)) => Ok(Some(m)),
            Some(PropValue::Simple(_)) => Err(CqlError::syntax(format!(
                "Invalid value for property '{name}'. It should be a map."
            ))),
        }
    }

    /// True when the property is present.
    pub fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

/// `PropertyDefinitions.parseBoolean`.
pub fn parse_bool(key: &str, value: &str) -> CqlResult<bool> {
    match value.to_lowercase().as_str() {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err(CqlError::syntax(format!(
            "Invalid boolean value {value} for '{key}'. Positive values can be '1', 'true' or 'yes' (case insensitive) and negative values can be '0', 'false' or 'no' (case insensitive)."
        ))),
    }
}

fn parse_int(key: &str, value: &str) -> CqlResult<i32> {
    value
        .parse()
        .map_err(|_| CqlError::syntax(format!("Invalid integer value {value} for '{key}'")))
}

fn parse_double(key: &str, value: &str) -> CqlResult<f64> {
    value
        .trim()
        .parse()
        .map_err(|_| CqlError::syntax(format!("Invalid double value {value} for '{key}'")))
}

/// Formats a double as Java's `Double.toString` does for ordinary values (`0.01`, `1.0`).
pub fn java_double(v: f64) -> String {
    if v.is_finite() && v != 0.0 && (v.abs() < 1e-3 || v.abs() >= 1e7) {
        // Java switches to computerized scientific notation: 6.71E-5, 1.0E7.
        let s = format!("{v:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
        let dot = if mantissa.contains('.') { "" } else { ".0" };
        format!("{mantissa}{dot}E{exp}")
    } else if v.is_finite() && v.fract() == 0.0 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

/// The option names CREATE/ALTER TABLE accept in 4.1 (`TableParams.Option`, plus `id`).
pub const TABLE_OPTIONS: &[&str] = &[
    "additional_write_policy",
    "bloom_filter_fp_chance",
    "caching",
    "cdc",
    "comment",
    "compaction",
    "compression",
    "crc_check_chance",
    "default_time_to_live",
    "extensions",
    "gc_grace_seconds",
    "id",
    "max_index_interval",
    "memtable",
    "memtable_flush_period_in_ms",
    "min_index_interval",
    "read_repair",
    "speculative_retry",
];

/// Options Cassandra 4.x still accepts and ignores (with a warning).
pub const OBSOLETE_TABLE_OPTIONS: &[&str] = &["dclocal_read_repair_chance", "read_repair_chance"];

/// A table's options as `system_schema.tables` stores them.
#[derive(Debug, Clone, PartialEq)]
pub struct TableParams {
    /// bloom_filter_fp_chance (0.01).
    pub bloom_filter_fp_chance: f64,
    /// caching ({'keys': 'ALL', 'rows_per_partition': 'NONE'}).
    pub caching: BTreeMap<String, String>,
    /// comment ('').
    pub comment: String,
    /// compaction (SizeTieredCompactionStrategy, thresholds 4/32).
    pub compaction: BTreeMap<String, String>,
    /// compression (LZ4Compressor, 16 KiB chunks).
    pub compression: BTreeMap<String, String>,
    /// memtable ('default').
    pub memtable: String,
    /// crc_check_chance (1.0).
    pub crc_check_chance: f64,
    /// default_time_to_live in seconds (0 = none).
    pub default_time_to_live: i32,
    /// extensions ({}).
    pub extensions: BTreeMap<String, Vec<u8>>,
    /// gc_grace_seconds (864000).
    pub gc_grace_seconds: i32,
    /// max_index_interval (2048).
    pub max_index_interval: i32,
    /// memtable_flush_period_in_ms (0).
    pub memtable_flush_period_in_ms: i32,
    /// min_index_interval (128).
    pub min_index_interval: i32,
    /// read_repair ('BLOCKING').
    pub read_repair: String,
    /// speculative_retry ('99p').
    pub speculative_retry: String,
    /// additional_write_policy ('99p').
    pub additional_write_policy: String,
    /// cdc (false).
    pub cdc: bool,
}

pub(crate) fn smap(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl Default for TableParams {
    fn default() -> Self {
        TableParams {
            bloom_filter_fp_chance: 0.01,
            caching: smap(&[("keys", "ALL"), ("rows_per_partition", "NONE")]),
            comment: String::new(),
            compaction: smap(&[
                (
                    "class",
                    "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy",
                ),
                ("max_threshold", "32"),
                ("min_threshold", "4"),
            ]),
            compression: smap(&[
                ("chunk_length_in_kb", "16"),
                ("class", "org.apache.cassandra.io.compress.LZ4Compressor"),
            ]),
            memtable: "default".to_owned(),
            crc_check_chance: 1.0,
            default_time_to_live: 0,
            extensions: BTreeMap::new(),
            gc_grace_seconds: 864_000,
            max_index_interval: 2048,
            memtable_flush_period_in_ms: 0,
            min_index_interval: 128,
            read_repair: "BLOCKING".to_owned(),
            speculative_retry: "99p".to_owned(),
            additional_write_policy: "99p".to_owned(),
            cdc: false,
        }
    }
}

impl TableParams {
    /// Applies `WITH` properties on top of `self` (defaults for CREATE, the current options
    /// for ALTER) and validates the result.
    pub fn with_props(&self, props: &Props) -> CqlResult<TableParams> {
        props.validate(TABLE_OPTIONS, OBSOLETE_TABLE_OPTIONS)?;
        let mut p = self.clone();
        if let Some(v) = props.simple("bloom_filter_fp_chance")? {
            p.bloom_filter_fp_chance = parse_double("bloom_filter_fp_chance", v)?;
        }
        if let Some(m) = props.map("caching")? {
            p.caching = caching(m)?;
        }
        if let Some(v) = props.simple("comment")? {
            v.clone_into(&mut p.comment);
        }
        if let Some(m) = props.map("compaction")? {
            p.compaction = compaction(m)?;
        }
        if let Some(m) = props.map("compression")? {
            p.compression = compression(m)?;
        }
        if let Some(v) = props.simple("memtable")? {
            if v != "default" {
                return Err(CqlError::config(format!(
                    "Memtable configuration \"{v}\" not found."
                )));
            }
            v.clone_into(&mut p.memtable);
        }
        if let Some(v) = props.simple("default_time_to_live")? {
            p.default_time_to_live = parse_int("default_time_to_live", v)?;
        }
        if let Some(v) = props.simple("gc_grace_seconds")? {
            p.gc_grace_seconds = parse_int("gc_grace_seconds", v)?;
        }
        if let Some(v) = props.simple("max_index_interval")? {
            p.max_index_interval = parse_int("max_index_interval", v)?;
        }
        if let Some(v) = props.simple("memtable_flush_period_in_ms")? {
            p.memtable_flush_period_in_ms = parse_int("memtable_flush_period_in_ms", v)?;
        }
        if let Some(v) = props.simple("min_index_interval")? {
            p.min_index_interval = parse_int("min_index_interval", v)?;
        }
        if let Some(v) = props.simple("speculative_retry")? {
            p.speculative_retry = speculative_retry("speculative_retry", v)?;
        }
        if let Some(v) = props.simple("additional_write_policy")? {
            p.additional_write_policy = speculative_retry("additional_write_policy", v)?;
        }
        if let Some(v) = props.simple("crc_check_chance")? {
            p.crc_check_chance = parse_double("crc_check_chance", v)?;
        }
        if let Some(v) = props.simple("cdc")? {
            p.cdc = parse_bool("cdc", v)?;
        }
        if let Some(v) = props.simple("read_repair")? {
            p.read_repair = match v.to_uppercase().as_str() {
                "BLOCKING" => "BLOCKING".to_owned(),
                "NONE" => "NONE".to_owned(),
                _ => {
                    return Err(CqlError::config(format!(
                        "Invalid value {v} for option 'read_repair'"
                    )));
                }
            };
        }
        p.validate()?;
        Ok(p)
    }

    /// `TableParams.validate`.
    pub fn validate(&self) -> CqlResult<()> {
        let fail = |m: String| Err(CqlError::config(m));
        let min_fp = 6.710_038_729_724_6e-5;
        if self.bloom_filter_fp_chance <= min_fp || self.bloom_filter_fp_chance > 1.0 {
            return fail(format!(
                "bloom_filter_fp_chance must be larger than {} and less than or equal to 1.0 (got {})",
                java_double(min_fp),
                java_double(self.bloom_filter_fp_chance)
            ));
        }
        if !(0.0..=1.0).contains(&self.crc_check_chance) {
            return fail(format!(
                "crc_check_chance must be larger than or equal to 0 and smaller than or equal to 1.0 (got {})",
                java_double(self.crc_check_chance)
            ));
        }
        if self.default_time_to_live < 0 {
            return fail(format!(
                "default_time_to_live must be greater than or equal to 0 (got {})",
                self.default_time_to_live
            ));
        }
        if self.default_time_to_live > MAX_TTL {
            return fail(format!(
                "default_time_to_live must be less than or equal to {MAX_TTL} (got {})",
                self.default_time_to_live
            ));
        }
        if self.gc_grace_seconds < 0 {
            return fail(format!(
                "gc_grace_seconds must be greater than or equal to 0 (got {})",
                self.gc_grace_seconds
            ));
        }
        if self.min_index_interval < 1 {
            return fail(format!(
                "min_index_interval must be greater than or equal to 1 (got {})",
                self.min_index_interval
            ));
        }
        if self.max_index_interval < self.min_index_interval {
            return fail(format!(
                "max_index_interval must be greater than or equal to min_index_interval ({}) (got {})",
                self.min_index_interval, self.max_index_interval
            ));
        }
        if self.memtable_flush_period_in_ms < 0 {
            return fail(format!(
                "memtable_flush_period_in_ms must be greater than or equal to 0 (got {})",
                self.memtable_flush_period_in_ms
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn props(items: &[(&str, &str)]) -> Props {
        Props::new(
            items
                .iter()
                .map(|(k, v)| ((*k).to_owned(), PropValue::Simple((*v).to_owned()))),
        )
        .expect("no duplicates")
    }

    #[test]
    fn defaults_and_simple_options() {
        let p = TableParams::default()
            .with_props(&props(&[("comment", "hi"), ("default_time_to_live", "10")]))
            .expect("valid");
        assert_eq!(p.comment, "hi");
        assert_eq!(p.default_time_to_live, 10);
        assert_eq!(p.gc_grace_seconds, 864_000);
        let p = TableParams::default()
            .with_props(&props(&[("speculative_retry", "95PERCENTILE")]))
            .expect("valid");
        assert_eq!(p.speculative_retry, "95p");
    }

    #[test]
    fn invalid_options() {
        let e = TableParams::default()
            .with_props(&props(&[("foo", "1")]))
            .expect_err("unknown");
        assert_eq!(
            (e.code, e.message.as_str()),
            (ErrorCode::Syntax, "Unknown property 'foo'")
        );
        let e = TableParams::default()
            .with_props(&props(&[("gc_grace_seconds", "-1")]))
            .expect_err("negative");
        assert_eq!(e.code, ErrorCode::Config);
        assert_eq!(
            e.message,
            "gc_grace_seconds must be greater than or equal to 0 (got -1)"
        );
        let e = TableParams::default()
            .with_props(&props(&[("default_time_to_live", "x")]))
            .expect_err("not int");
        assert_eq!(
            e.message,
            "Invalid integer value x for 'default_time_to_live'"
        );
    }

    #[test]
    fn compaction_maps() {
        let p = TableParams::default()
            .with_props(
                &Props::new([(
                    "compaction".to_owned(),
                    PropValue::Map(vec![("class".into(), "LeveledCompactionStrategy".into())]),
                )])
                .expect("props"),
            )
            .expect("valid");
        assert_eq!(
            p.compaction.get("class").map(String::as_str),
            Some("org.apache.cassandra.db.compaction.LeveledCompactionStrategy")
        );
        assert!(
            TableParams::default()
                .with_props(
                    &Props::new([(
                        "compaction".to_owned(),
                        PropValue::Map(vec![("min_threshold".into(), "2".into())]),
                    )])
                    .expect("props")
                )
                .is_err()
        );
    }
}
