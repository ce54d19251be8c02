//! The connection handshake's rules, as Cassandra's `StartupMessage`, `PasswordAuthenticator`
//! and `RegisterMessage` apply them: what a STARTUP may ask for, whose credentials pass,
//! which event types a REGISTER may name.

use crate::error::{CqlError, CqlResult};
use crate::protocol::request::sasl_plain;
use crate::server::Shared;

/// STARTUP validation as `StartupMessage.execute`; returns whether lz4 was asked for.
pub(super) fn startup(options: &[(String, String)]) -> CqlResult<bool> {
    let get = |key: &str| {
        options
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let Some(cql_version) = get("CQL_VERSION") else {
        return Err(CqlError::protocol(
            "Missing value CQL_VERSION in STARTUP message",
        ));
    };
    let version = parse_cql_version(cql_version)
        .ok_or_else(|| CqlError::protocol(format!("Invalid CQL version format: {cql_version}")))?;
    if version < (2, 99, 0) {
        return Err(CqlError::protocol(format!(
            "CQL version {cql_version} is not supported by the binary protocol (supported version are >= 3.0.0)"
        )));
    }
    match get("COMPRESSION").map(str::to_lowercase).as_deref() {
        None => Ok(false),
        Some("lz4") => Ok(true),
        Some("snappy") => Err(CqlError::protocol(
            "This instance does not support Snappy compression",
        )),
        Some(other) => Err(CqlError::protocol(format!(
            "Unknown compression algorithm: {other}"
        ))),
    }
}

/// `major.minor[.patch][-pre][+build]` as Cassandra's `CassandraVersion` reads it.
fn parse_cql_version(v: &str) -> Option<(u32, u32, u32)> {
    let core = v.split(['-', '+']).next()?;
    let mut parts = core.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    let patch = match parts.next() {
        Some(p) => p.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor, patch))
}

/// PasswordAuthenticator: `Provided username X and/or password are incorrect` on mismatch.
pub(super) fn authenticate(shared: &Shared, token: Option<&[u8]>) -> CqlResult<String> {
    let Some(creds) = &shared.auth else {
        return Err(CqlError::protocol("Authentication is not enabled"));
    };
    let (user, password) = sasl_plain(token.unwrap_or_default())?;
    if user == creds.user && password == creds.password {
        Ok(user)
    } else {
        Err(CqlError::bad_credentials(format!(
            "Provided username {user} and/or password are incorrect"
        )))
    }
}

/// REGISTER: every name must be an `Event.Type`; returns whether SCHEMA_CHANGE is among them.
pub(super) fn register(types: &[String]) -> CqlResult<bool> {
    let mut schema = false;
    for t in types {
        match t.as_str() {
            "SCHEMA_CHANGE" => schema = true,
            // A single node never changes topology or status: nothing will be sent.
            "TOPOLOGY_CHANGE" | "STATUS_CHANGE" => {}
            other => {
                return Err(CqlError::protocol(format!(
                    "Invalid value '{other}' for Type"
                )));
            }
        }
    }
    Ok(schema)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
mod tests {
    use super::*;

    #[test]
    fn startup_validation() {
        let opts = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert_eq!(startup(&opts(&[("CQL_VERSION", "3.0.0")])), Ok(false));
        assert_eq!(
            startup(&opts(&[("CQL_VERSION", "4.0.0"), ("COMPRESSION", "LZ4")])),
            Ok(true)
        );
        let err = startup(&opts(&[])).unwrap_err();
        assert_eq!(err.message, "Missing value CQL_VERSION in STARTUP message");
        assert!(
            startup(&opts(&[("CQL_VERSION", "2.0.0")]))
                .unwrap_err()
                .message
                .contains(">= 3.0.0")
        );
        assert!(startup(&opts(&[("CQL_VERSION", "abc")])).is_err());
        let err = startup(&opts(&[("CQL_VERSION", "3.4.5"), ("COMPRESSION", "zstd")])).unwrap_err();
        assert_eq!(err.message, "Unknown compression algorithm: zstd");
    }

    #[test]
    fn register_validation() {
        assert_eq!(
            register(&["SCHEMA_CHANGE".into(), "STATUS_CHANGE".into()]),
            Ok(true)
        );
        assert_eq!(register(&["TOPOLOGY_CHANGE".into()]), Ok(false));
        assert!(register(&["FOO".into()]).is_err());
    }
}
