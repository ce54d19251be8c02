//! Keyspace replication: parsing and validation of the `replication` map of CREATE/ALTER
//! KEYSPACE with Cassandra 4.1's rules and messages (`C*: locator/SimpleStrategy.java`,
//! `locator/NetworkTopologyStrategy.java`, `schema/ReplicationParams.java`,
//! `cql3/statements/schema/CreateKeyspaceStatement.java`). The node is alone in
//! `datacenter1`, so any other data center is refused.

use std::collections::BTreeMap;

use crate::error::{CqlError, CqlResult};

/// The only data center of the embedded node.
pub const LOCAL_DC: &str = "datacenter1";

const LOCATOR: &str = "org.apache.cassandra.locator.";

/// A keyspace's replication strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replication {
    /// `SimpleStrategy` with its replication factor.
    Simple {
        /// replication_factor
        rf: u32,
    },
    /// `NetworkTopologyStrategy` with a replication factor per data center.
    NetworkTopology {
        /// data center → replication factor.
        dcs: BTreeMap<String, u32>,
    },
    /// `LocalStrategy`, used by the local system keyspaces only.
    Local,
}

impl Replication {
    /// The map stored in `system_schema.keyspaces.replication`.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        match self {
            Replication::Simple { rf } => {
                m.insert("class".into(), format!("{LOCATOR}SimpleStrategy"));
                m.insert("replication_factor".into(), rf.to_string());
            }
            Replication::NetworkTopology { dcs } => {
                m.insert("class".into(), format!("{LOCATOR}NetworkTopologyStrategy"));
                for (dc, rf) in dcs {
                    m.insert(dc.clone(), rf.to_string());
                }
            }
            Replication::Local => {
                m.insert("class".into(), format!("{LOCATOR}LocalStrategy"));
            }
        }
        m
    }

    /// The number of replicas over every data center
    /// (`AbstractReplicationStrategy.getReplicationFactor().allReplicas`).
    pub fn total_replication_factor(&self) -> u32 {
        match self {
            Replication::Simple { rf } => *rf,
            Replication::NetworkTopology { dcs } => dcs.values().sum(),
            Replication::Local => 1,
        }
    }

    /// The number of replicas in the local data center (what consistency levels count).
    /// `LocalStrategy` has exactly one.
    pub fn local_replication_factor(&self) -> u32 {
        match self {
            Replication::Simple { rf } => *rf,
            Replication::NetworkTopology { dcs } => dcs.get(LOCAL_DC).copied().unwrap_or(0),
            Replication::Local => 1,
        }
    }

    /// Reads back a stored replication map (`system_schema.keyspaces.replication`).
    pub fn from_stored(map: &BTreeMap<String, String>) -> Replication {
        let class = map.get("class").map(String::as_str).unwrap_or_default();
        let short = class.strip_prefix(LOCATOR).unwrap_or(class);
        let rf = |v: &String| v.parse::<u32>().unwrap_or(1);
        match short {
            "SimpleStrategy" => Replication::Simple {
                rf: map.get("replication_factor").map_or(1, rf),
            },
            "NetworkTopologyStrategy" => Replication::NetworkTopology {
                dcs: map
                    .iter()
                    .filter(|(k, _)| k.as_str() != "class")
                    .map(|(k, v)| (k.clone(), rf(v)))
                    .collect(),
            },
            _ => Replication::Local,
        }
    }

    /// Validates the `replication` map of CREATE/ALTER KEYSPACE `keyspace`.
    pub fn from_options(keyspace: &str, options: &[(String, String)]) -> CqlResult<Replication> {
        let mut class = None;
        let mut rest: Vec<(&str, &str)> = Vec::new();
        for (k, v) in options {
            if k == "class" {
                class = Some(v.as_str());
            } else {
                rest.push((k.as_str(), v.as_str()));
            }
        }
        let Some(class) = class else {
            return Err(CqlError::config("Missing replication strategy class"));
        };
        let short = class.strip_prefix(LOCATOR).unwrap_or(class);
        match short {
            "SimpleStrategy" => {
                let mut rf = None;
                for (k, v) in rest {
                    if k == "replication_factor" {
                        rf = Some(parse_rf(v)?);
                    } else {
                        return Err(unrecognized(k, "SimpleStrategy", keyspace));
                    }
                }
                match rf {
                    Some(rf) => Ok(Replication::Simple { rf }),
                    None => Err(CqlError::config(
                        "SimpleStrategy requires a replication_factor strategy option.",
                    )),
                }
            }
            "NetworkTopologyStrategy" => {
                let mut dcs = BTreeMap::new();
                let mut default_rf = None;
                for (k, v) in &rest {
                    let rf = parse_rf(v)?;
                    if *k == "replication_factor" {
                        default_rf = Some(rf);
                    } else {
                        dcs.insert((*k).to_owned(), rf);
                    }
                }
                for dc in dcs.keys() {
                    if dc != LOCAL_DC {
                        return Err(unrecognized(dc, "NetworkTopologyStrategy", keyspace));
                    }
                }
                // 4.0+: `replication_factor` is the default for every known data center.
                if let Some(rf) = default_rf {
                    dcs.entry(LOCAL_DC.to_owned()).or_insert(rf);
                }
                if dcs.is_empty() {
                    return Err(CqlError::config(
                        "Configuration for at least one datacenter must be present",
                    ));
                }
                Ok(Replication::NetworkTopology { dcs })
            }
            "LocalStrategy" => Err(CqlError::invalid(
                "Unable to use given strategy class: LocalStrategy is reserved for internal use.",
            )),
            _ => {
                let full = if class.contains('.') {
                    class.to_owned()
                } else {
                    format!("{LOCATOR}{class}")
                };
                Err(CqlError::config(format!(
                    "Unable to find replication strategy class '{full}'"
                )))
            }
        }
    }
}

fn unrecognized(option: &str, strategy: &str, keyspace: &str) -> CqlError {
    CqlError::config(format!(
        "Unrecognized strategy option {{{option}}} passed to {strategy} for keyspace {keyspace}"
    ))
}

/// `C*: locator/ReplicationFactor.java` `fromString` and `validate`.
fn parse_rf(v: &str) -> CqlResult<u32> {
    if v.contains('/') {
        return Err(CqlError::config(
            "Transient replication is disabled. Enable in cassandra.yaml to use.",
        ));
    }
    match v.trim().parse::<i64>() {
        Ok(n) if n < 0 => Err(CqlError::config(format!(
            "Replication factor must be non-negative; found {v}"
        ))),
        Ok(n) => u32::try_from(n).map_err(|_| {
            CqlError::config(format!("Replication factor must be numeric; found {v}"))
        }),
        Err(_) => Err(CqlError::config(format!(
            "Replication factor must be numeric; found {v}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn opts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).into(), (*b).into()))
            .collect()
    }

    #[test]
    fn simple_strategy_needs_rf() {
        let e = Replication::from_options("ks", &opts(&[("class", "SimpleStrategy")]))
            .expect_err("no rf");
        assert_eq!(e.code, ErrorCode::Config);
        let r = Replication::from_options(
            "ks",
            &opts(&[("class", "SimpleStrategy"), ("replication_factor", "3")]),
        )
        .expect("valid");
        assert_eq!(r.local_replication_factor(), 3);
        assert_eq!(
            r.to_map().get("class").map(String::as_str),
            Some("org.apache.cassandra.locator.SimpleStrategy")
        );
    }

    #[test]
    fn nts_refuses_other_dcs() {
        let e = Replication::from_options(
            "ks",
            &opts(&[("class", "NetworkTopologyStrategy"), ("dc2", "1")]),
        )
        .expect_err("dc2");
        assert_eq!(e.code, ErrorCode::Config);
        assert_eq!(
            e.message,
            "Unrecognized strategy option {dc2} passed to NetworkTopologyStrategy for keyspace ks"
        );
        let r = Replication::from_options(
            "ks",
            &opts(&[
                ("class", "NetworkTopologyStrategy"),
                ("replication_factor", "2"),
            ]),
        )
        .expect("default rf");
        assert_eq!(r.local_replication_factor(), 2);
        assert_eq!(Replication::from_stored(&r.to_map()), r);
    }

    #[test]
    fn class_required_and_known() {
        assert_eq!(
            Replication::from_options("ks", &opts(&[("replication_factor", "1")]))
                .expect_err("no class")
                .message,
            "Missing replication strategy class"
        );
        assert_eq!(
            Replication::from_options("ks", &opts(&[("class", "Foo")]))
                .expect_err("bad class")
                .message,
            "Unable to find replication strategy class 'org.apache.cassandra.locator.Foo'"
        );
        assert_eq!(
            Replication::from_options(
                "ks",
                &opts(&[("class", "SimpleStrategy"), ("replication_factor", "-1")])
            )
            .expect_err("negative")
            .code,
            ErrorCode::Config
        );
    }
}
