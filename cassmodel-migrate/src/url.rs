//! Connection URLs as `migrate` reads them: the runtime's parser
//! ([`cassmodel::db::url::ConnectUrl`], DESIGN.md §3) plus the keyspace rule of the command,
//! which always needs one: the URL's keyspace, else the last component of an `embedded:`
//! data directory (`embedded:./data/twissandra` → `twissandra`); `memory:KEYSPACE` is
//! accepted as `memory:?keyspace=KEYSPACE`.

use cassmodel::db::url::{ConnectUrl, Target, valid_keyspace_name};

use crate::error::Error;

/// A parsed URL: where to connect, and the keyspace to migrate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// Where to connect, as the runtime parses it.
    pub connect: ConnectUrl,
    /// The keyspace to migrate.
    pub keyspace: String,
}

fn usage(url: &str, why: &str) -> Error {
    Error::Usage(format!(
        "invalid --url `{url}`: {why} (expected cql://host[:port]/keyspace, \
         embedded:PATH[?keyspace=ks] or memory:KEYSPACE)"
    ))
}

/// Parses `cql://[user:pass@]host[:port][,host2..]/keyspace[?..]`, `embedded:PATH[?keyspace=ks]`
/// or `memory:KEYSPACE` / `memory:?keyspace=ks`.
pub fn parse(url: &str) -> Result<Url, Error> {
    let rewritten;
    let mut text = url;
    if let Some(rest) = url.strip_prefix("memory:") {
        let (name, query) = rest.split_once('?').unwrap_or((rest, ""));
        if !name.is_empty() {
            let sep = if query.is_empty() { "" } else { "&" };
            rewritten = format!("memory:?keyspace={name}{sep}{query}");
            text = &rewritten;
        }
    }
    let connect = ConnectUrl::parse(text).map_err(|e| Error::Usage(e.to_string()))?;
    let keyspace = match (&connect.keyspace, &connect.target) {
        (Some(ks), _) => ks.clone(),
        (None, Target::Embedded(dir)) => {
            let name = dir
                .file_name()
                .and_then(|n| n.to_str())
                .filter(|n| valid_keyspace_name(n))
                .ok_or_else(|| {
                    usage(
                        url,
                        "the data directory's name is not a keyspace name; add ?keyspace=ks",
                    )
                })?;
            name.to_owned()
        }
        (None, _) => return Err(usage(url, "it names no keyspace")),
    };
    Ok(Url { connect, keyspace })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_schemes() {
        let u = parse("cql://bob:pw@10.0.0.1,10.0.0.2:9043/twissandra").unwrap();
        assert_eq!(u.keyspace, "twissandra");
        assert_eq!(
            u.connect.target,
            Target::Cluster {
                nodes: vec!["10.0.0.1:9042".into(), "10.0.0.2:9043".into()],
                credentials: Some(("bob".into(), "pw".into())),
            }
        );
        let u = parse("embedded:./data/twissandra").unwrap();
        assert_eq!(
            u.connect.target,
            Target::Embedded("./data/twissandra".into())
        );
        assert_eq!(u.keyspace, "twissandra");
        assert_eq!(parse("embedded:./data?keyspace=k").unwrap().keyspace, "k");
        let u = parse("memory:ks").unwrap();
        assert_eq!(
            (u.connect.target, u.keyspace.as_str()),
            (Target::Memory, "ks")
        );
        let u = parse("memory:ks?consistency=one").unwrap();
        assert_eq!(u.keyspace, "ks");
        assert_eq!(parse("memory:?keyspace=k2").unwrap().keyspace, "k2");
        for bad in [
            "cql://host",
            "http://x/y",
            "memory:",
            "embedded:./my-data",
            "memory:a-b",
        ] {
            assert!(
                matches!(parse(bad), Err(Error::Usage(_))),
                "{bad} should be a usage error"
            );
        }
    }
}
