//! Parsing connection URLs (DESIGN §3):
//! `cql://[user:pass@]host[:port][,host2[:port]...]/keyspace[?consistency=local_quorum&page_size=N]`,
//! `embedded:PATH[?keyspace=ks]` and `memory:[?keyspace=ks]`.
//!
//! Percent-escapes (`%40` for `@`, ...) are decoded in the user, password and keyspace.

use crate::error::ConnectError;
use scylla::statement::Consistency;
use std::path::PathBuf;

/// The default CQL port.
pub const DEFAULT_PORT: u16 = 9042;

/// Where a [`crate::Db`] connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A cluster reached at these contact points (`host:port`).
    Cluster {
        /// `host:port` contact points.
        nodes: Vec<String>,
        /// User name and password, if given.
        credentials: Option<(String, String)>,
    },
    /// The embedded server, with data under this directory.
    Embedded(PathBuf),
    /// The embedded server on a throw-away directory.
    Memory,
}

/// A parsed connection URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectUrl {
    /// Where to connect.
    pub target: Target,
    /// The keyspace to use, if named.
    pub keyspace: Option<String>,
    /// Default consistency of requests (`?consistency=`); `LOCAL_QUORUM` when absent.
    pub consistency: Consistency,
    /// Default page size of reads (`?page_size=`); 5000 when absent.
    pub page_size: i32,
}

/// The default page size of paged reads.
pub const DEFAULT_PAGE_SIZE: i32 = 5000;

impl ConnectUrl {
    /// Parses a URL; the error names what is wrong.
    pub fn parse(url: &str) -> Result<ConnectUrl, ConnectError> {
        let bad = |reason: &str| ConnectError::InvalidUrl {
            url: mask_password(url),
            reason: reason.to_owned(),
        };
        let (body, query) = match url.split_once('?') {
            Some((b, q)) => (b, Some(q)),
            None => (url, None),
        };
        let mut parsed = ConnectUrl {
            target: Target::Memory,
            keyspace: None,
            consistency: Consistency::LocalQuorum,
            page_size: DEFAULT_PAGE_SIZE,
        };
        if let Some(rest) = body.strip_prefix("cql://") {
            let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
            let (credentials, hosts) = match authority.rsplit_once('@') {
                Some((userinfo, hosts)) => {
                    let (user, pass) = userinfo
                        .split_once(':')
                        .ok_or_else(|| bad("credentials must be `user:password@`"))?;
                    let user = decode(user).ok_or_else(|| bad("bad percent-escape in user"))?;
                    let pass = decode(pass).ok_or_else(|| bad("bad percent-escape in password"))?;
                    if user.is_empty() {
                        return Err(bad("empty user name"));
                    }
                    (Some((user, pass)), hosts)
                }
                None => (None, authority),
            };
            let nodes = hosts
                .split(',')
                .map(|h| parse_host(h).ok_or_else(|| bad(&format!("bad host `{h}`"))))
                .collect::<Result<Vec<_>, _>>()?;
            let keyspace = decode(path).ok_or_else(|| bad("bad percent-escape in keyspace"))?;
            if !keyspace.is_empty() {
                parsed.keyspace = Some(keyspace);
            }
            parsed.target = Target::Cluster { nodes, credentials };
        } else if let Some(path) = body.strip_prefix("embedded:") {
            if path.is_empty() {
                return Err(bad(
                    "`embedded:` needs a data directory, e.g. `embedded:./data`",
                ));
            }
            parsed.target = Target::Embedded(PathBuf::from(path));
        } else if let Some(rest) = body.strip_prefix("memory:") {
            if !rest.is_empty() {
                return Err(bad("`memory:` takes no path"));
            }
        } else {
            return Err(bad("unknown scheme"));
        }
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| bad(&format!("parameter `{pair}` has no `=value`")))?;
            let value = decode(value).ok_or_else(|| bad("bad percent-escape in a parameter"))?;
            match key {
                "consistency" => {
                    parsed.consistency = parse_consistency(&value)
                        .ok_or_else(|| bad(&format!("unknown consistency `{value}`")))?;
                }
                "page_size" => {
                    parsed.page_size = value
                        .parse::<i32>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| bad("page_size must be a positive integer"))?;
                }
                "keyspace" if !matches!(parsed.target, Target::Cluster { .. }) => {
                    parsed.keyspace = Some(value);
                }
                "keyspace" => return Err(bad("for `cql://` put the keyspace in the path")),
                other => return Err(bad(&format!("unknown parameter `{other}`"))),
            }
        }
        if let Some(ks) = &parsed.keyspace
            && !valid_keyspace_name(ks)
        {
            return Err(bad(&format!(
                "`{ks}` is not a valid keyspace name (1–48 ASCII letters, digits, `_`)"
            )));
        }
        Ok(parsed)
    }
}

/// Parses `one`, `local_quorum`, `LOCAL_QUORUM`, ...
pub fn parse_consistency(s: &str) -> Option<Consistency> {
    Some(match s.to_ascii_lowercase().as_str() {
        "any" => Consistency::Any,
        "one" => Consistency::One,
        "two" => Consistency::Two,
        "three" => Consistency::Three,
        "quorum" => Consistency::Quorum,
        "all" => Consistency::All,
        "local_quorum" => Consistency::LocalQuorum,
        "each_quorum" => Consistency::EachQuorum,
        "local_one" => Consistency::LocalOne,
        _ => return None,
    })
}

/// Cassandra's rule for keyspace names (`SchemaConstants.isValidName`): 1 to 48 word characters.
pub fn valid_keyspace_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 48
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn parse_host(host: &str) -> Option<String> {
    if host.is_empty() {
        return None;
    }
    if let Some(rest) = host.strip_prefix('[') {
        // [v6]:port or [v6]
        let (addr, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse::<u16>().ok()?,
            None if after.is_empty() => DEFAULT_PORT,
            None => return None,
        };
        return Some(format!("[{addr}]:{port}"));
    }
    match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && !name.contains(':') => {
            let port = port.parse::<u16>().ok()?;
            Some(format!("{name}:{port}"))
        }
        Some(_) => None,
        None => Some(format!("{host}:{DEFAULT_PORT}")),
    }
}

fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The URL with its password replaced by `***`, for messages.
pub fn mask_password(url: &str) -> String {
    let Some(rest) = url.strip_prefix("cql://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((userinfo, _)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("cql://{user}:***@{}", &rest[userinfo.len() + 1..]),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> ConnectUrl {
        match ConnectUrl::parse(url) {
            Ok(u) => u,
            Err(e) => panic!("{url}: {e}"),
        }
    }

    #[test]
    fn cluster_with_everything() {
        let u =
            parse("cql://bob:s%40cret@db1:9043,db2,[::1]:9000/app?consistency=one&page_size=100");
        assert_eq!(
            u.target,
            Target::Cluster {
                nodes: vec!["db1:9043".into(), "db2:9042".into(), "[::1]:9000".into()],
                credentials: Some(("bob".into(), "s@cret".into())),
            }
        );
        assert_eq!(u.keyspace.as_deref(), Some("app"));
        assert_eq!(u.consistency, Consistency::One);
        assert_eq!(u.page_size, 100);
    }

    #[test]
    fn cluster_defaults() {
        let u = parse("cql://localhost");
        assert_eq!(u.keyspace, None);
        assert_eq!(u.consistency, Consistency::LocalQuorum);
        assert_eq!(u.page_size, DEFAULT_PAGE_SIZE);
        let u = parse("cql://localhost/");
        assert_eq!(u.keyspace, None);
    }

    #[test]
    fn embedded_and_memory() {
        let u = parse("embedded:./data/x?keyspace=ks1");
        assert_eq!(u.target, Target::Embedded(PathBuf::from("./data/x")));
        assert_eq!(u.keyspace.as_deref(), Some("ks1"));
        let u = parse("memory:");
        assert_eq!(u.target, Target::Memory);
        assert_eq!(u.keyspace, None);
        let u = parse("memory:?keyspace=t&consistency=LOCAL_ONE");
        assert_eq!(u.keyspace.as_deref(), Some("t"));
        assert_eq!(u.consistency, Consistency::LocalOne);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        for (url, needle) in [
            ("http://x", "unknown scheme"),
            ("cql://a:b:c:d/ks", "bad host"),
            ("cql://host:notaport/ks", "bad host"),
            ("cql://host/ks?consistency=most", "unknown consistency"),
            ("cql://host/ks?page_size=0", "page_size"),
            ("cql://host/ks?color=red", "unknown parameter `color`"),
            ("cql://host/bad-name", "not a valid keyspace"),
            ("cql://host?keyspace=k", "in the path"),
            ("cql://user@host/ks", "user:password@"),
            ("embedded:", "data directory"),
            ("memory:/tmp", "no path"),
            ("memory:?keyspace", "no `=value`"),
            ("cql://%zz:p@h/ks", "percent-escape"),
        ] {
            match ConnectUrl::parse(url) {
                Ok(u) => panic!("{url} parsed as {u:?}"),
                Err(e) => assert!(e.to_string().contains(needle), "{url}: {e}"),
            }
        }
    }

    #[test]
    fn password_is_masked_in_errors() {
        let err = ConnectUrl::parse("cql://bob:hunter2@h/ks?x=1").err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(!msg.contains("hunter2"), "{msg}");
        assert!(msg.contains("bob:***@h/ks"), "{msg}");
    }

    #[test]
    fn keyspace_names() {
        assert!(valid_keyspace_name("a_1"));
        assert!(!valid_keyspace_name(""));
        assert!(!valid_keyspace_name(&"k".repeat(49)));
        assert!(!valid_keyspace_name("é"));
    }
}
