//! Keyspaces: replication strategy and `durable_writes`, as desired (from the command line
//! or code) and as read from `system_schema.keyspaces`.

use std::fmt;

use crate::shared::Str;

/// A keyspace's replication strategy.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Replication {
    /// `SimpleStrategy` with a replication factor.
    Simple(u32),
    /// `NetworkTopologyStrategy` with a factor per datacenter (kept sorted by name).
    NetworkTopology(Vec<(String, u32)>),
    /// Any other strategy: its class and options, verbatim (sorted by option name).
    Other {
        /// Strategy class as given or read.
        class: String,
        /// Options other than `class`.
        options: Vec<(String, String)>,
    },
}

impl Replication {
    /// `SimpleStrategy` with `factor` replicas (one datacenter; development).
    pub fn simple(factor: u32) -> Self {
        Replication::Simple(factor)
    }

    /// `NetworkTopologyStrategy` with these factors, sorted by datacenter.
    pub fn network_topology(mut dcs: Vec<(String, u32)>) -> Self {
        dcs.sort();
        Replication::NetworkTopology(dcs)
    }

    /// Builds a strategy from a replication map as stored in `system_schema.keyspaces`
    /// (`{'class': 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '1'}`).
    pub fn from_map(map: &[(String, String)]) -> Self {
        let class = map
            .iter()
            .find(|(k, _)| k == "class")
            .map(|(_, v)| v.as_str())
            .unwrap_or("");
        let short = class.rsplit('.').next().unwrap_or(class);
        let mut options: Vec<(String, String)> =
            map.iter().filter(|(k, _)| k != "class").cloned().collect();
        options.sort();
        let factors: Option<Vec<(String, u32)>> = options
            .iter()
            .map(|(k, v)| v.trim().parse::<u32>().ok().map(|n| (k.clone(), n)))
            .collect();
        match (short, factors) {
            ("SimpleStrategy", Some(f)) if f.len() == 1 && f[0].0 == "replication_factor" => {
                Replication::Simple(f[0].1)
            }
            ("NetworkTopologyStrategy", Some(f)) => Replication::network_topology(f),
            _ => Replication::Other {
                class: class.to_owned(),
                options,
            },
        }
    }
}

impl fmt::Display for Replication {
    /// The command-line spelling: `SimpleStrategy:1`, `NetworkTopologyStrategy:dc1=3,dc2=2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Replication::Simple(n) => write!(f, "SimpleStrategy:{n}"),
            Replication::NetworkTopology(dcs) => {
                f.write_str("NetworkTopologyStrategy:")?;
                let items: Vec<String> = dcs.iter().map(|(dc, n)| format!("{dc}={n}")).collect();
                f.write_str(&items.join(","))
            }
            Replication::Other { class, options } => {
                f.write_str(class)?;
                if !options.is_empty() {
                    let items: Vec<String> =
                        options.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    write!(f, ":{}", items.join(","))?;
                }
                Ok(())
            }
        }
    }
}

/// A keyspace definition.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyspaceDef {
    /// Keyspace name, exact (unquoted).
    pub name: Str,
    /// Replication strategy.
    pub replication: Replication,
    /// `durable_writes`.
    pub durable_writes: bool,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn map(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn reads_live_replication_maps() {
        let simple = map(&[
            ("class", "org.apache.cassandra.locator.SimpleStrategy"),
            ("replication_factor", "3"),
        ]);
        assert_eq!(Replication::from_map(&simple), Replication::Simple(3));
        let nts = map(&[
            (
                "class",
                "org.apache.cassandra.locator.NetworkTopologyStrategy",
            ),
            ("dc2", "2"),
            ("dc1", "3"),
        ]);
        assert_eq!(
            Replication::from_map(&nts),
            Replication::NetworkTopology(vec![("dc1".into(), 3), ("dc2".into(), 2)])
        );
        let local = map(&[("class", "org.apache.cassandra.locator.LocalStrategy")]);
        assert!(matches!(
            Replication::from_map(&local),
            Replication::Other { .. }
        ));
    }

    #[test]
    fn renders_create_keyspace() {
        let ks = KeyspaceDef {
            name: "Twiss".into(),
            replication: Replication::network_topology(vec![("dc2".into(), 2), ("dc1".into(), 3)]),
            durable_writes: false,
        };
        assert_eq!(
            crate::render::create_keyspace(&ks, false),
            "CREATE KEYSPACE \"Twiss\" WITH replication = {'class': 'NetworkTopologyStrategy', \
             'dc1': '3', 'dc2': '2'} AND durable_writes = false"
        );
        assert_eq!(
            ks.replication.to_string(),
            "NetworkTopologyStrategy:dc1=3,dc2=2"
        );
        let simple = KeyspaceDef {
            name: "app".into(),
            replication: Replication::simple(3),
            durable_writes: true,
        };
        assert_eq!(
            crate::render::create_keyspace(&simple, true),
            "CREATE KEYSPACE IF NOT EXISTS app WITH replication = {'class': 'SimpleStrategy', \
             'replication_factor': '3'} AND durable_writes = true"
        );
    }
}
