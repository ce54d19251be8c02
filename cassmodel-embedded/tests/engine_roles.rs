//! Role and permission statements. Without authentication the server behaves like a
//! Cassandra 4.1 with its default configuration (AllowAllAuthenticator): the connection is
//! anonymous and these statements are refused for it, with Cassandra's codes and messages.
//! A logged-in session gets the embedded server's own "not supported" refusal.
#![allow(clippy::unwrap_used)]

mod engine_common;

use cassmodel_embedded::error::ErrorCode;
use engine_common::*;

const ANONYMOUS: &str = "You have to be logged in and not anonymous to perform this request";

#[test]
fn anonymous_sessions_cannot_manage_roles_or_permissions() {
    let mut db = db();
    db.exec("CREATE TABLE inventory (sku text PRIMARY KEY, qty int)");
    for cql in [
        "CREATE ROLE auditor",
        "CREATE ROLE IF NOT EXISTS auditor WITH LOGIN = true",
        "ALTER ROLE auditor WITH LOGIN = false",
        "DROP ROLE IF EXISTS auditor",
        "CREATE USER clerk NOSUPERUSER",
        "DROP USER clerk",
        "GRANT MODIFY ON ks.inventory TO auditor",
        "REVOKE SELECT ON KEYSPACE ks FROM auditor",
        "LIST ROLES",
        "LIST USERS",
        "LIST ALL PERMISSIONS OF auditor",
    ] {
        let e = db.err(cql);
        assert_eq!(e.code, ErrorCode::Unauthorized, "{cql}: {}", e.message);
        assert_eq!(e.message, ANONYMOUS, "{cql}");
    }
}

#[test]
fn creating_roles_checks_superuser_then_options_first() {
    let mut db = db();
    for cql in [
        "CREATE ROLE boss WITH SUPERUSER = true AND LOGIN = true",
        "CREATE USER chief WITH PASSWORD 'Secret1' SUPERUSER",
    ] {
        let e = db.err(cql);
        assert_eq!(e.code, ErrorCode::Unauthorized, "{cql}");
        assert_eq!(
            e.message, "Only superusers can create a role with superuser status",
            "{cql}"
        );
    }
    for cql in [
        "CREATE ROLE reader WITH PASSWORD = 'Secret2' AND LOGIN = true",
        "CREATE USER writer WITH PASSWORD 'Secret3'",
    ] {
        let e = db.err(cql);
        assert_eq!(e.code, ErrorCode::Invalid, "{cql}");
        assert_eq!(
            e.message, "org.apache.cassandra.auth.CassandraRoleManager doesn't support PASSWORD",
            "{cql}"
        );
    }
    let e = db.err("CREATE ROLE tagged WITH OPTIONS = {'team': 'ops'}");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        e.message,
        "org.apache.cassandra.auth.CassandraRoleManager doesn't support OPTIONS"
    );
    // A quoted role name that looks like an option is just a name.
    let e = db.err("CREATE ROLE 'password'");
    assert_eq!(e.message, ANONYMOUS);
    let e = db.err("CREATE ROLE helper WITH SUPERUSER = false");
    assert_eq!(e.message, ANONYMOUS);
}

#[test]
fn logged_in_sessions_are_told_roles_are_unsupported() {
    let mut db = db();
    db.session.user = Some("admin".to_owned());
    let e = db.err("CREATE ROLE auditor");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        e.message,
        "CREATE ROLE is not supported by the embedded server"
    );
    for (cql, kind) in [
        ("LIST ROLES OF auditor", "LIST ROLES"),
        ("LIST USERS", "LIST USERS"),
        ("LIST SELECT ON ALL KEYSPACES", "LIST PERMISSIONS"),
    ] {
        let e = db.err(cql);
        assert_eq!(
            e.message,
            format!("{kind} is not supported by the embedded server")
        );
    }
    // Other unsupported statements are unchanged for everyone.
    db.session.user = None;
    db.exec("CREATE TABLE events (id int PRIMARY KEY, kind text)");
    let e = db.err("CREATE TRIGGER audit ON events USING 'org.example.Audit'");
    assert_eq!(e.code, ErrorCode::Invalid);
    assert_eq!(
        e.message,
        "CREATE TRIGGER is not supported by the embedded server"
    );
}
