//! Expansion tests: plain string checks of what `derive_model` emits.

use quote::quote;

use super::{derive_model, derive_user_type};

fn expand(input: proc_macro2::TokenStream) -> String {
    derive_model(input).to_string()
}

#[test]
fn model_expansion_names_runtime_only_through_private_and_embeds_cql() {
    let out = expand(quote! {
        #[cassmodel(table = "userline")]
        struct Userline {
            #[cassmodel(partition_key)] username: String,
            #[cassmodel(clustering_key, order = "desc")] time: TimeUuid,
            tweet_id: Uuid,
        }
    });
    assert!(
        out.contains("impl :: cassmodel :: __private :: Model for Userline"),
        "{out}"
    );
    assert!(out.contains("\"INSERT INTO userline (username, time, tweet_id) VALUES (?, ?, ?) USING TTL ? AND TIMESTAMP ?\""));
    assert!(out.contains(
        "\"SELECT username, time, tweet_id FROM userline WHERE username = ? AND time = ?\""
    ));
    assert!(
        out.contains("type PrimaryKey = (String , TimeUuid ,) ;"),
        "{out}"
    );
    assert!(out.contains("type PartitionKey = (String ,) ;"));
    assert!(out.contains("binder . bind (\"tweet_id\" , & self . tweet_id) ?"));
    assert!(out.contains("# [automatically_derived]"));
    assert!(!out.contains("compile_error"));
}

#[test]
fn crate_override_changes_the_runtime_path() {
    let out = expand(quote! {
        #[cassmodel(crate = cm)]
        struct A { #[cassmodel(partition_key)] id: i32 }
    });
    assert!(out.contains("impl cm :: __private :: Model for A"), "{out}");
    assert!(!out.contains(":: cassmodel ::"));
}

#[test]
fn json_counter_skip_and_compound_keys() {
    let out = expand(quote! {
        struct C {
            #[cassmodel(partition_key, compound_key(fields = [a, b], separator = "|"))] id: String,
            a: String,
            b: i32,
            #[cassmodel(json)] meta: Option<Meta>,
            #[cassmodel(skip)] cache: Vec<u8>,
        }
    });
    assert!(
        out.contains("binder . bind (\"id\" , & self . compute_id ()) ?"),
        "{out}"
    );
    assert!(out.contains("pub fn parse_id"));
    assert!(out.contains("json_encode"));
    assert!(out.contains("cache : :: core :: default :: Default :: default ()"));
    let counters = expand(quote! {
        struct V { #[cassmodel(partition_key)] page: String, #[cassmodel(counter)] views: i64 }
    });
    assert!(
        counters.contains("scylla :: value :: Counter (self . views)"),
        "{counters}"
    );
}

#[test]
fn errors_become_compile_errors_with_a_placeholder_impl() {
    let out = expand(quote! {
        struct Bad { #[cassmodel(partiton_key)] id: i32 }
    });
    assert!(out.contains("compile_error"));
    assert!(out.contains("did you mean `partition_key`?"), "{out}");
    assert!(out.contains("impl :: cassmodel :: __private :: Model for Bad"));
    // several mistakes are all reported
    let out = expand(quote! {
        struct Bad2 { #[cassmodel(foo)] a: i32, #[cassmodel(bar)] b: i32 }
    });
    assert!(out.contains("`foo`") && out.contains("`bar`"), "{out}");
    // ...and a missing partition key is reported when nothing else is wrong
    let out = expand(quote! { struct NoKey { a: i32 } });
    assert!(out.contains("needs a partition key"), "{out}");
    // generic structs get no placeholder impl (it would add errors of its own)
    let out = expand(quote! { struct G<T> { #[cassmodel(partition_key)] id: T } });
    assert!(out.contains("generic") && !out.contains("impl"), "{out}");
}

#[test]
fn user_type_expansion() {
    let out = derive_user_type(quote! {
        #[cassmodel(name = "address")]
        struct Address { street: String, #[cassmodel(rename = "zipCode")] zip: i32 }
    })
    .to_string();
    assert!(
        out.contains("\"CREATE TYPE IF NOT EXISTS address (street text, \\\"zipCode\\\" int)\""),
        "{out}"
    );
    assert!(out.contains("impl :: cassmodel :: __private :: UserType for Address"));
}
