//! trybuild UI tests: every user mistake in `#[derive(Model)]`/`#[derive(UserType)]` is a
//! compile error aimed at the offending attribute (`ui/<category>/<case>.rs` + reviewed
//! `.stderr`), and a full model compiles against the runtime (`ui/pass`).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    for category in [
        "columns",
        "compound_key",
        "counter",
        "duplicate",
        "index",
        "key",
        "malformed",
        "query",
        "query_table",
        "shape",
        "static",
        "type",
        "unknown-attribute",
        "user_type",
    ] {
        t.compile_fail(format!("ui/{category}/*.rs"));
    }
    t.pass("ui/pass/*.rs");
}
