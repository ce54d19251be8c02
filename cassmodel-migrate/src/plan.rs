//! The desired schema (the models found in the sources plus the keyspace asked for) and the
//! plan against the live schema, through cassmodel-schema's diff (the same one `Db::sync`
//! uses). Pure: no I/O.

use cassmodel_schema::diff::{self, DiffOptions, KeyspaceDef, Plan, Replication, SchemaDef};

use crate::discover::Models;
use crate::error::Error;

/// Parses `SimpleStrategy:N` or `NetworkTopologyStrategy:dc1=3,dc2=2` (the class may also be
/// written fully qualified, `org.apache.cassandra.locator.SimpleStrategy`).
pub fn parse_replication(spec: &str) -> Result<Replication, Error> {
    let bad = |why: &str| {
        Error::Usage(format!(
            "invalid --replication `{spec}`: {why} (expected SimpleStrategy:1 or \
             NetworkTopologyStrategy:dc1=3,dc2=2)"
        ))
    };
    let (class, rest) = spec.split_once(':').ok_or_else(|| bad("missing `:`"))?;
    let short = class.rsplit('.').next().unwrap_or(class);
    match short {
        "SimpleStrategy" => rest
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .map(Replication::Simple)
            .ok_or_else(|| bad("the factor must be a positive number")),
        "NetworkTopologyStrategy" => {
            let dcs = rest
                .split(',')
                .map(|item| {
                    let (dc, n) = item.split_once('=')?;
                    let n = n.trim().parse::<u32>().ok()?;
                    (!dc.trim().is_empty()).then(|| (dc.trim().to_owned(), n))
                })
                .collect::<Option<Vec<_>>>()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| bad("each datacenter must be written dc=N"))?;
            Ok(Replication::network_topology(dcs))
        }
        _ => Err(bad("unknown strategy")),
    }
}

/// The schema the models declare in `keyspace` (query tables expanded into tables).
pub fn desired_schema(models: &Models, keyspace: KeyspaceDef) -> SchemaDef {
    let mut tables = Vec::new();
    for table in &models.tables {
        tables.push(table.def.clone());
        tables.extend(table.def.query_table_defs());
    }
    SchemaDef {
        keyspace,
        types: models.types.iter().map(|t| t.def.clone()).collect(),
        tables,
    }
}

/// The plan from `live` (`None`: keyspace missing) to `desired`.
pub fn plan(desired: &SchemaDef, live: Option<&SchemaDef>, allow_drop: bool) -> Plan {
    diff::diff(desired, live, DiffOptions { allow_drop })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn parses_replication_specs() {
        assert_eq!(
            parse_replication("SimpleStrategy:3").unwrap(),
            Replication::Simple(3)
        );
        assert_eq!(
            parse_replication("NetworkTopologyStrategy:dc2=2,dc1=3").unwrap(),
            Replication::NetworkTopology(vec![("dc1".into(), 3), ("dc2".into(), 2)])
        );
        assert!(parse_replication("SimpleStrategy").is_err());
        assert!(parse_replication("SimpleStrategy:0").is_err());
        assert!(parse_replication("NetworkTopologyStrategy:dc1").is_err());
        assert!(parse_replication("Foo:1").is_err());
    }
}
