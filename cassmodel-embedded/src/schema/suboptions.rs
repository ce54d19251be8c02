//! The map-valued and policy table options: `caching`, `compression`,
//! `speculative_retry` / `additional_write_policy`, parsed and normalised as Cassandra 4.1
//! stores them (`C*: schema/CachingParams.java`,
//! `schema/CompressionParams.java`, `service/reads/SpeculativeRetryPolicy.java`).

use std::collections::BTreeMap;

use super::options::{parse_bool, smap};
use crate::error::{CqlError, CqlResult};

const COMPRESSION_PKG: &str = "org.apache.cassandra.io.compress.";

/// `CachingParams.fromMap`.
pub(crate) fn caching(m: &[(String, String)]) -> CqlResult<BTreeMap<String, String>> {
    let mut out = smap(&[("keys", "ALL"), ("rows_per_partition", "NONE")]);
    for (k, v) in m {
        match k.as_str() {
            "keys" => {
                let u = v.to_uppercase();
                if u != "ALL" && u != "NONE" {
                    return Err(CqlError::config(format!(
                        "Invalid value '{v}' for caching sub-option 'keys': only 'ALL' and 'NONE' are allowed"
                    )));
                }
                out.insert("keys".into(), u);
            }
            "rows_per_partition" => {
                let u = v.to_uppercase();
                if u != "ALL" && u != "NONE" && v.parse::<u32>().is_err() {
                    return Err(CqlError::config(format!(
                        "Invalid value '{v}' for caching sub-option 'rows_per_partition': only 'ALL', 'NONE', and integer values are allowed"
                    )));
                }
                let stored = if u == "ALL" || u == "NONE" {
                    u
                } else {
                    v.clone()
                };
                out.insert("rows_per_partition".into(), stored);
            }
            _ => {
                let keys: Vec<&str> = m.iter().map(|(k, _)| k.as_str()).collect();
                return Err(CqlError::config(format!(
                    "Invalid caching sub-options [{}]: only 'keys' and 'rows_per_partition' are allowed",
                    keys.join(", ")
                )));
            }
        }
    }
    Ok(out)
}

/// `CompressionParams.fromMap` with the compressors of Cassandra 4.1.
pub(crate) fn compression(m: &[(String, String)]) -> CqlResult<BTreeMap<String, String>> {
    let get = |k: &str| m.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if m.is_empty() {
        return Ok(smap(&[("enabled", "false")]));
    }
    if let Some(enabled) = get("enabled")
        && !parse_bool("enabled", enabled)?
    {
        if m.len() > 1 {
            return Err(CqlError::config(
                "If the 'enabled' option is set to false no other options must be specified",
            ));
        }
        return Ok(smap(&[("enabled", "false")]));
    }
    // `sstable_compression` is the pre-3.0 name of `class`; empty means no compression.
    let Some(class) = get("class").or_else(|| get("sstable_compression")) else {
        return Err(CqlError::config(
            "Missing sub-option 'class' for the 'compression' option.",
        ));
    };
    if class.is_empty() {
        return Ok(smap(&[("enabled", "false")]));
    }
    let short = class.strip_prefix(COMPRESSION_PKG).unwrap_or(class);
    if !matches!(
        short,
        "LZ4Compressor"
            | "SnappyCompressor"
            | "DeflateCompressor"
            | "ZstdCompressor"
            | "NoopCompressor"
    ) {
        return Err(CqlError::config(format!(
            "Could not create Compression for type {}",
            if class.contains('.') {
                class.to_owned()
            } else {
                format!("{COMPRESSION_PKG}{class}")
            }
        )));
    }
    let mut out = BTreeMap::new();
    out.insert("class".to_owned(), format!("{COMPRESSION_PKG}{short}"));
    let mut chunk = "16".to_owned();
    for (k, v) in m {
        match k.as_str() {
            "class" | "enabled" | "sstable_compression" => {}
            "chunk_length_in_kb" | "chunk_length_kb" => match v.parse::<u32>() {
                Ok(n) if n > 0 && n.is_power_of_two() => chunk = v.clone(),
                _ => {
                    return Err(CqlError::config(format!(
                        "Invalid value for chunk_length_in_kb: {v}, must be a positive power of 2"
                    )));
                }
            },
            "crc_check_chance"
            | "min_compress_ratio"
            | "max_compressed_length"
            | "compression_level"
            | "lz4_compressor_type"
            | "lz4_high_compressor_level" => {
                out.insert(k.clone(), v.clone());
            }
            other => {
                return Err(CqlError::config(format!(
                    "Unknown compression options {other}"
                )));
            }
        }
    }
    out.insert("chunk_length_in_kb".to_owned(), chunk);
    Ok(out)
}

/// `SpeculativeRetryPolicy.fromString`, normalised as Cassandra prints it.
pub(crate) fn speculative_retry(key: &str, v: &str) -> CqlResult<String> {
    let u = v.trim().to_uppercase();
    let bad = || CqlError::config(format!("Invalid value {v} for option '{key}'"));
    if u == "NONE" || u == "NEVER" {
        return Ok("NONE".into());
    }
    if u == "ALWAYS" {
        return Ok("ALWAYS".into());
    }
    let pct = u.strip_suffix("PERCENTILE").or_else(|| u.strip_suffix('P'));
    if let Some(num) = pct {
        let n: f64 = num.parse().map_err(|_| bad())?;
        if !(0.0..100.0).contains(&n) || n <= 0.0 {
            return Err(bad());
        }
        let shown = if n.fract() == 0.0 {
            format!("{n:.0}")
        } else {
            format!("{n}")
        };
        return Ok(format!("{shown}p"));
    }
    if let Some(num) = u.strip_suffix("MS") {
        let n: f64 = num.parse().map_err(|_| bad())?;
        if n < 0.0 {
            return Err(bad());
        }
        return Ok(format!("{}ms", n.floor()));
    }
    Err(bad())
}
