//! Connection URLs (DESIGN.md §3) as `migrate` reads them: where to connect, and the
//! keyspace the path names.

use std::path::PathBuf;

use crate::error::Error;

/// Where the schema lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A real cluster.
    Cql {
        /// `host:port` contact points.
        hosts: Vec<String>,
        /// User and password, if given.
        credentials: Option<(String, String)>,
    },
    /// The embedded server, started in-process on this data directory.
    Embedded(PathBuf),
    /// The embedded server on a throw-away directory.
    Memory,
}

/// A parsed URL: target and keyspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// Where to connect.
    pub target: Target,
    /// The keyspace to migrate.
    pub keyspace: String,
}

fn query_keyspace(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .find_map(|kv| kv.strip_prefix("keyspace="))
        .map(str::to_owned)
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
    let (body, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let (target, keyspace) = if let Some(rest) = body.strip_prefix("cql://") {
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (credentials, hosts) = match authority.rsplit_once('@') {
            Some((cred, hosts)) => {
                let (user, pass) = cred
                    .split_once(':')
                    .ok_or_else(|| usage(url, "credentials must be user:password"))?;
                (Some((user.to_owned(), pass.to_owned())), hosts)
            }
            None => (None, authority),
        };
        let hosts: Vec<String> = hosts
            .split(',')
            .filter(|h| !h.is_empty())
            .map(|h| match h.matches(':').count() {
                _ if h.starts_with('[') && h.contains("]:") => h.to_owned(),
                _ if h.starts_with('[') => format!("{h}:9042"),
                0 => format!("{h}:9042"),
                1 => h.to_owned(),
                _ => format!("[{h}]:9042"),
            })
            .collect();
        if hosts.is_empty() {
            return Err(usage(url, "no host"));
        }
        let ks = query_keyspace(query).or_else(|| (!path.is_empty()).then(|| path.to_owned()));
        (Target::Cql { hosts, credentials }, ks)
    } else if let Some(path) = body.strip_prefix("embedded:") {
        if path.is_empty() {
            return Err(usage(url, "no data directory"));
        }
        let dir = PathBuf::from(path);
        let ks = query_keyspace(query).or_else(|| {
            dir.file_name()
                .and_then(|n| n.to_str())
                .filter(|n| *n != "." && *n != "..")
                .map(str::to_owned)
        });
        (Target::Embedded(dir), ks)
    } else if let Some(name) = body.strip_prefix("memory:") {
        let ks = query_keyspace(query).or_else(|| (!name.is_empty()).then(|| name.to_owned()));
        (Target::Memory, ks)
    } else {
        return Err(usage(url, "unknown scheme"));
    };
    let keyspace = keyspace.ok_or_else(|| usage(url, "it names no keyspace"))?;
    Ok(Url { target, keyspace })
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
            u.target,
            Target::Cql {
                hosts: vec!["10.0.0.1:9042".into(), "10.0.0.2:9043".into()],
                credentials: Some(("bob".into(), "pw".into())),
            }
        );
        let u = parse("embedded:./data/twissandra").unwrap();
        assert_eq!(u.target, Target::Embedded("./data/twissandra".into()));
        assert_eq!(u.keyspace, "twissandra");
        assert_eq!(parse("embedded:./data?keyspace=k").unwrap().keyspace, "k");
        assert_eq!(parse("memory:ks").unwrap().target, Target::Memory);
        assert!(parse("cql://host").is_err());
        assert!(parse("http://x/y").is_err());
    }
}
