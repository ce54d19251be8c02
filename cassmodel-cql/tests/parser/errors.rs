//! Syntax errors: wording and positions in the style of Cassandra's ANTLR parser.

use crate::common::err;

#[test]
fn misspelled_keyword() {
    let e = err("SELECT * FRM t");
    assert_eq!(
        e.message,
        "line 1:9 mismatched input 'FRM' expecting K_FROM"
    );
    assert_eq!((e.line, e.column), (1, 9));
    let e = err("SELEC * FROM t");
    assert_eq!(e.message, "line 1:0 no viable alternative at input 'SELEC'");
}

#[test]
fn end_of_input() {
    let e = err("SELECT * FROM");
    assert_eq!((e.line, e.column), (0, -1));
    assert_eq!(
        e.message,
        "line 0:-1 mismatched input '<EOF>' expecting IDENT"
    );
    let e = err("INSERT INTO t (a) VALUES (1");
    assert_eq!(
        e.message,
        "line 0:-1 mismatched input '<EOF>' expecting ')'"
    );
    assert_eq!(
        err("").message,
        "line 0:-1 no viable alternative at input '<EOF>'"
    );
}

#[test]
fn trailing_garbage() {
    let e = err("SELECT * FROM t x");
    assert_eq!(e.message, "line 1:16 mismatched input 'x' expecting EOF");
    // Trailing semicolons are fine, but not a second statement.
    err("USE a; USE b");
}

#[test]
fn positions_on_later_lines() {
    let e = err("SELECT *\nFROM t\nWHERE k = = 1");
    assert_eq!((e.line, e.column), (3, 10));
}

#[test]
fn bind_markers_cannot_name_tables() {
    assert_eq!(
        err("SELECT * FROM ?").message,
        "Bind variables cannot be used for table names"
    );
    assert_eq!(
        err("USE ?").message,
        "Bind variables cannot be used for keyspace names"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!(
        "INSERT INTO t (a) VALUES ({}1{})",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert_eq!(err(&deep).message, "Input is too deeply nested");
    let deep = format!(
        "SELECT * FROM t WHERE {}a = 1{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    err(&deep);
}
