//! Role and permission statements (`CREATE/ALTER/DROP ROLE`, `CREATE/ALTER/DROP USER`,
//! `GRANT`, `REVOKE`, `LIST ROLES/USERS/PERMISSIONS`) and the other statements the parser
//! recognises but the embedded server does not run ([`cassmodel_cql::ast::Statement::Unsupported`]).
//!
//! Without `--auth` the server is what Cassandra 4.1 is with its default `cassandra.yaml`
//! (`AllowAllAuthenticator`, `AllowAllAuthorizer`, `CassandraRoleManager`): every connection
//! is the anonymous user, and Cassandra refuses role and permission statements for it.
//! `QueryProcessor.processStatement` runs `authorize` then `validate`:
//! - `CreateRoleStatement.authorize`: asking for superuser status is refused with
//!   "Only superusers can create a role with superuser status" (the anonymous user is not a
//!   superuser, `AuthenticatedUser.isSuper`);
//! - `CreateRoleStatement.validate` → `RoleOptions.validate`: `CassandraRoleManager` supports
//!   only LOGIN and SUPERUSER when the authenticator is not `PasswordAuthenticator`, so a
//!   password or custom options are refused with "org.apache.cassandra.auth.CassandraRoleManager
//!   doesn't support PASSWORD" (or OPTIONS);
//! - then every such statement's `validate` calls `ClientState.ensureNotAnonymous`:
//!   Unauthorized, "You have to be logged in and not anonymous to perform this request".
//!
//! With `--auth` the session is a logged-in user, for whom Cassandra would manage roles; the
//! embedded server has no role manager, so it says so.

use crate::api::Session;
use crate::error::CqlError;

/// Statement kinds (as [`cassmodel_cql::ast::Statement::Unsupported`] names them) that
/// manage roles or permissions.
const ROLE_STATEMENTS: &[&str] = &[
    "CREATE ROLE",
    "ALTER ROLE",
    "DROP ROLE",
    "CREATE USER",
    "ALTER USER",
    "DROP USER",
    "GRANT",
    "REVOKE",
    "LIST",
];

/// The error for an unsupported statement of kind `what` (its words, as the parser gives
/// them, are `words`), run by `session`.
pub(crate) fn refusal(what: &str, words: &[String], session: &Session) -> CqlError {
    if let Some(error) = disabled_feature(what, words) {
        return error;
    }
    if !ROLE_STATEMENTS.contains(&what) {
        return CqlError::unsupported(what);
    }
    if session.user.is_some() {
        return CqlError::unsupported(kind(what, words));
    }
    let creates = what == "CREATE ROLE" || what == "CREATE USER";
    if creates && asks_superuser(what, words) {
        return CqlError::unauthorized("Only superusers can create a role with superuser status");
    }
    if creates && let Some(option) = unsupported_option(words) {
        return CqlError::invalid(format!(
            "org.apache.cassandra.auth.CassandraRoleManager doesn't support {option}"
        ));
    }
    CqlError::unauthorized("You have to be logged in and not anonymous to perform this request")
}

/// What a Cassandra 4.1 with its default `cassandra.yaml` answers for a feature it ships
/// switched off (`materialized_views_enabled: false`, `user_defined_functions_enabled:
/// false`); the embedded server has neither, so it answers the same.
/// - `cql3/statements/schema/CreateViewStatement.java` `apply`: the first check;
/// - `cql3/statements/schema/CreateFunctionStatement.java` `apply`: the OR REPLACE / IF NOT
///   EXISTS conflict, then `UDFunction.assertUdfsEnabled`.
fn disabled_feature(what: &str, words: &[String]) -> Option<CqlError> {
    match what {
        "CREATE MATERIALIZED VIEW" => Some(CqlError::invalid(
            "Materialized views are disabled. Enable in cassandra.yaml to use.",
        )),
        "CREATE FUNCTION" | "CREATE OR REPLACE FUNCTION" => {
            let if_not_exists = words.windows(3).any(|w| w == ["if", "not", "exists"]);
            Some(CqlError::invalid(
                if what == "CREATE OR REPLACE FUNCTION" && if_not_exists {
                    "Cannot use both 'OR REPLACE' and 'IF NOT EXISTS' directives"
                } else {
                    "User-defined functions are disabled in cassandra.yaml - set user_defined_functions_enabled=true to enable"
                },
            ))
        }
        _ => None,
    }
}

/// The statement's kind as users write it: `LIST` is `LIST ROLES`, `LIST USERS` or a
/// `LIST ... PERMISSIONS` listing.
fn kind<'a>(what: &'a str, words: &[String]) -> &'a str {
    if what != "LIST" {
        return what;
    }
    match words.get(1).map(String::as_str) {
        Some("roles") => "LIST ROLES",
        Some("users") => "LIST USERS",
        _ => "LIST PERMISSIONS",
    }
}

/// The first role option `CassandraRoleManager` refuses without `PasswordAuthenticator`:
/// PASSWORD (`PASSWORD = '...'`, or `CREATE USER ... WITH PASSWORD '...'`) or OPTIONS.
/// (`HASHED PASSWORD` is Cassandra 5.0 syntax, so it is left to the anonymous refusal.)
fn unsupported_option(words: &[String]) -> Option<&'static str> {
    let at = |i: usize| words.get(i).map(String::as_str);
    let password = (0..words.len())
        .any(|i| at(i) == Some("password") && (i == 0 || at(i - 1) != Some("hashed")));
    if password {
        return Some("PASSWORD");
    }
    let options = (0..words.len()).any(|i| at(i) == Some("options") && at(i + 1) == Some("="));
    options.then_some("OPTIONS")
}

/// `CREATE ROLE ... WITH SUPERUSER = true` / `CREATE USER ... SUPERUSER`.
fn asks_superuser(what: &str, words: &[String]) -> bool {
    if what == "CREATE USER" {
        return words.iter().any(|w| w == "superuser");
    }
    words
        .windows(3)
        .any(|w| w[0] == "superuser" && w[1] == "=" && w[2] == "true")
}

#[cfg(test)]
mod tests {
    use super::*;
    use cassmodel_cql::ast::Statement;

    /// The kind and words the parser gives an unsupported statement.
    fn parsed(cql: &str) -> (String, Vec<String>) {
        match cassmodel_cql::parse(cql) {
            Ok(Statement::Unsupported { what, words }) => (what, words),
            other => panic!("{cql}: {other:?}"),
        }
    }

    #[test]
    fn disabled_features_answer_as_a_default_cassandra() {
        let message = |what: &str, cql: &str| {
            assert_eq!(parsed(cql).0, what, "{cql}");
            disabled_feature(what, &parsed(cql).1).map(|e| e.message)
        };
        assert_eq!(
            message(
                "CREATE MATERIALIZED VIEW",
                "CREATE MATERIALIZED VIEW v AS SELECT * FROM t"
            )
            .as_deref(),
            Some("Materialized views are disabled. Enable in cassandra.yaml to use.")
        );
        let udf = "CREATE FUNCTION f(x int) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS 'return x;'";
        assert!(
            message("CREATE FUNCTION", udf)
                .is_some_and(|m| m.contains("set user_defined_functions_enabled=true"))
        );
        assert_eq!(
            message(
                "CREATE OR REPLACE FUNCTION",
                "CREATE OR REPLACE FUNCTION IF NOT EXISTS f(x int) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS 'return x;'"
            )
            .as_deref(),
            Some("Cannot use both 'OR REPLACE' and 'IF NOT EXISTS' directives")
        );
        assert!(message("CREATE TRIGGER", "CREATE TRIGGER t ON x USING 'c'").is_none());
    }

    #[test]
    fn words_skip_quoted_text() {
        assert_eq!(
            parsed("CREATE ROLE 'super''user' WITH Login=TRUE AND \"Password\" $$ password $$").1,
            ["create", "role", "with", "login", "=", "true", "and"]
        );
    }
}
