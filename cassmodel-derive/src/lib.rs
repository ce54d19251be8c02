//! `#[derive(Model)]` and `#[derive(UserType)]` for cassmodel: parse → validate → expand.
//! All model knowledge lives in `cassmodel-schema`; this crate only turns it into code.
//!
//! The entry points are thin shims over `expand`, which works on `proc_macro2` tokens so
//! that unit tests can call it directly.

mod expand;
mod fallback;
mod private;
mod tokens;

use proc_macro::TokenStream;

/// Derives `cassmodel::Model` for a struct with named fields.
///
/// # Container attributes
/// - `table = "name"`: the table (default: the struct name in snake_case).
/// - `options(default_time_to_live = 3600, comment = "..", compaction = "LeveledCompactionStrategy",
///   compression = "..", caching = "{'keys': 'ALL'}", gc_grace_seconds = N,
///   bloom_filter_fp_chance = 0.01, speculative_retry = "99p", memtable_flush_period_in_ms = N)`.
///   `compaction`/`compression` take a class name or a CQL map literal.
/// - `ttl = seconds`: the model's default TTL for writes (client side: `USING TTL` on each
///   write that sets no TTL; unlike `options(default_time_to_live = ..)` it needs no schema
///   change and does not apply to other clients' writes).
/// - `query_table(name = "..", partition_key = [a], clustering_key = [b, c])` (repeatable):
///   a copy of the table keyed by those fields (the model's key columns appended as
///   clustering columns), written with every write of the model in one logged batch, read
///   with the generated `find_<name>(&db, &a..)` (a paged stream) and sliced on its
///   clustering columns with `slice_<name>(&db, &a..)` (a `SliceQuery`: `eq`, `gt`..`lte`,
///   `reverse`, `limit`, then `stream()`). Key fields cannot be
///   `Option`, `static`, `json`, non-frozen collections, counters or durations.
/// - `crate = path`: where the `cassmodel` crate is, when renamed.
///
/// # Field attributes
/// - `partition_key` / `partition_key = N`: several make a composite key, in field order or
///   by explicit 0-based positions (all or none).
/// - `clustering_key` / `clustering_key = N`, with `order = "asc" | "desc"`.
/// - `static`, `counter` (on `i64` or `Counter`), `frozen` (collections and user types).
/// - `index`, `index = "name"`, `index(name = "..", target = "values" | "keys" | "entries" | "full")`:
///   a secondary index; whole-value indexes get `find_by_<field>(&db, &value)`.
/// - `rename = "column"`, `type = "cql type"` (overrides the Rust → CQL mapping; user types
///   are always named this way: `type = "frozen<address>"`).
/// - `json`: stored as `text` through serde_json. `skip`: not a column (`Default` on read).
/// - `compound_key(fields = [a, b], separator = "|")` on a `String`: the column is built from
///   those fields on every write (the separator and `\` escaped inside values);
///   `compute_<field>(&self)` and `parse_<field>(&str) -> Option<[String; N]>` are generated.
///
/// Rust types map by path: `String` text, `i8`/`i16`/`i32`/`i64` tinyint..bigint, `f32`
/// float, `f64` double, `bool` boolean, `Uuid` uuid, `TimeUuid`/`CqlTimeuuid` timeuuid,
/// `Vec<u8>` blob, `IpAddr` inet, `CqlTimestamp`/`CqlDate`/`CqlTime`/`CqlDuration`/
/// `CqlDecimal`/`CqlVarint` (and chrono/time/bigdecimal/num-bigint types), `Counter`,
/// `Vec`/`HashSet`/`BTreeSet`/`HashMap`/`BTreeMap`, tuples, `Option<T>` (nullable).
/// Anything else is a compile error suggesting `type = ".."`.
#[proc_macro_derive(Model, attributes(cassmodel))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    expand::derive_model(input.into()).into()
}

/// Derives `cassmodel::UserType` (a CQL user-defined type) for a struct with named fields.
#[proc_macro_derive(UserType, attributes(cassmodel))]
pub fn derive_user_type(input: TokenStream) -> TokenStream {
    expand::derive_user_type(input.into()).into()
}
