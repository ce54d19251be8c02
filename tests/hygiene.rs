//! The derives' output names nothing from the prelude and reaches the runtime only through
//! `<crate>::__private`: it compiles under `#![no_implicit_prelude]`, with the runtime
//! renamed (`extern crate cassmodel as cm;` plus `#[cassmodel(crate = cm)]`), next to local
//! items that shadow common names.

#![no_implicit_prelude]

extern crate cassmodel as cm;
extern crate core;
extern crate std;

// Shadowing items: generated code must use absolute paths, never these.
#[allow(dead_code)]
struct Result;
#[allow(dead_code)]
struct Option;
#[allow(dead_code)]
struct String;
#[allow(dead_code)]
struct Vec;
#[allow(dead_code)]
struct Ok;
#[allow(dead_code)]
struct Some;

#[derive(cm::UserType)]
#[cassmodel(crate = cm, name = "point")]
struct Point {
    x: i32,
    y: i32,
}

#[derive(cm::Model)]
#[cassmodel(crate = cm, table = "hygiene")]
struct Hygiene {
    #[cassmodel(partition_key, compound_key(fields = [a, b], separator = ":"))]
    id: ::std::string::String,
    #[cassmodel(clustering_key, order = "desc")]
    at: i64,
    a: ::std::string::String,
    b: i32,
    #[cassmodel(static)]
    note: ::core::option::Option<::std::string::String>,
    #[cassmodel(type = "frozen<point>")]
    p: ::core::option::Option<Point>,
    #[cassmodel(skip)]
    cache: ::std::vec::Vec<u8>,
}

#[test]
fn derives_compile_without_prelude_and_with_a_renamed_crate() {
    let table = <Hygiene as cm::Model>::TABLE;
    ::std::assert_eq!(&*table.name, "hygiene");
    ::std::assert_eq!(table.columns.len(), 6);
    let row = Hygiene {
        id: ::std::string::String::new(),
        at: 1,
        a: ::std::string::ToString::to_string("x:y"),
        b: 7,
        note: ::core::option::Option::None,
        p: ::core::option::Option::None,
        cache: ::std::vec::Vec::new(),
    };
    ::std::assert_eq!(row.compute_id(), "x\\:y:7");
    ::std::assert!(row.id.is_empty() && row.cache.is_empty());
    let parsed = Hygiene::parse_id("x\\:y:7");
    ::std::assert_eq!(
        parsed,
        ::core::option::Option::Some([
            ::std::string::ToString::to_string("x:y"),
            ::std::string::ToString::to_string("7")
        ])
    );
    let mut udts = ::std::vec::Vec::new();
    <Hygiene as cm::Model>::collect_user_types(&mut udts);
    ::std::assert_eq!(udts, ["CREATE TYPE IF NOT EXISTS point (x int, y int)"]);
    ::std::assert_eq!(<Point as cm::UserType>::TYPE_NAME, "point");
}
