//! The attribute keys, one constant each, and the lists used for "did you mean".

/// A `#[cassmodel(...)]` key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbol(pub &'static str);

impl Symbol {
    /// Whether `path` is exactly this key.
    pub fn matches(self, path: &syn::Path) -> bool {
        path.is_ident(self.0)
    }
}

impl std::fmt::Display for Symbol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// The attribute name itself: `#[cassmodel(...)]`.
pub const CASSMODEL: Symbol = Symbol("cassmodel");

// container
/// `table = "name"`
pub const TABLE: Symbol = Symbol("table");
/// `options(...)`
pub const OPTIONS: Symbol = Symbol("options");
/// `ttl = seconds` (default TTL of writes)
pub const TTL: Symbol = Symbol("ttl");
/// `query_table(name = "..", partition_key = [..], clustering_key = [..])`
pub const QUERY_TABLE: Symbol = Symbol("query_table");
/// `crate = path` (where the runtime is, for a renamed dependency)
pub const CRATE: Symbol = Symbol("crate");
/// `name = ".."` (user types; also inside `query_table` and `index(..)`)
pub const NAME: Symbol = Symbol("name");

// options(...)
/// `default_time_to_live = N`
pub const DEFAULT_TIME_TO_LIVE: Symbol = Symbol("default_time_to_live");
/// `comment = ".."`
pub const COMMENT: Symbol = Symbol("comment");
/// `compaction = ".."`
pub const COMPACTION: Symbol = Symbol("compaction");
/// `compression = ".."`
pub const COMPRESSION: Symbol = Symbol("compression");
/// `caching = "{..}"`
pub const CACHING: Symbol = Symbol("caching");
/// `gc_grace_seconds = N`
pub const GC_GRACE_SECONDS: Symbol = Symbol("gc_grace_seconds");
/// `bloom_filter_fp_chance = 0.01`
pub const BLOOM_FILTER_FP_CHANCE: Symbol = Symbol("bloom_filter_fp_chance");
/// `speculative_retry = ".."`
pub const SPECULATIVE_RETRY: Symbol = Symbol("speculative_retry");
/// `memtable_flush_period_in_ms = N`
pub const MEMTABLE_FLUSH_PERIOD_IN_MS: Symbol = Symbol("memtable_flush_period_in_ms");

// field
/// `partition_key` / `partition_key = N`
pub const PARTITION_KEY: Symbol = Symbol("partition_key");
/// `clustering_key` / `clustering_key = N` (also inside `query_table`)
pub const CLUSTERING_KEY: Symbol = Symbol("clustering_key");
/// `order = "asc" | "desc"`
pub const ORDER: Symbol = Symbol("order");
/// `static`
pub const STATIC: Symbol = Symbol("static");
/// `index` / `index = "name"` / `index(name = "..", target = "keys")`
pub const INDEX: Symbol = Symbol("index");
/// `target = "values" | "keys" | "entries" | "full"` inside `index(..)`
pub const TARGET: Symbol = Symbol("target");
/// `counter`
pub const COUNTER: Symbol = Symbol("counter");
/// `rename = "col"`
pub const RENAME: Symbol = Symbol("rename");
/// `type = "cql type"`
pub const TYPE: Symbol = Symbol("type");
/// `frozen`
pub const FROZEN: Symbol = Symbol("frozen");
/// `json`
pub const JSON: Symbol = Symbol("json");
/// `skip`
pub const SKIP: Symbol = Symbol("skip");
/// `compound_key(fields = [..], separator = "..")`
pub const COMPOUND_KEY: Symbol = Symbol("compound_key");
/// `fields = [a, b]` inside `compound_key(..)`
pub const FIELDS: Symbol = Symbol("fields");
/// `separator = ".."` inside `compound_key(..)`
pub const SEPARATOR: Symbol = Symbol("separator");

/// Keys of a model container attribute.
pub const MODEL_CONTAINER: &[Symbol] = &[TABLE, OPTIONS, TTL, QUERY_TABLE, CRATE];
/// Keys of a user-type container attribute.
pub const UDT_CONTAINER: &[Symbol] = &[NAME, CRATE];
/// Keys of `options(..)`.
pub const OPTION_KEYS: &[Symbol] = &[
    DEFAULT_TIME_TO_LIVE,
    COMMENT,
    COMPACTION,
    COMPRESSION,
    CACHING,
    GC_GRACE_SECONDS,
    BLOOM_FILTER_FP_CHANCE,
    SPECULATIVE_RETRY,
    MEMTABLE_FLUSH_PERIOD_IN_MS,
];
/// Keys of `query_table(..)`.
pub const QUERY_TABLE_KEYS: &[Symbol] = &[NAME, PARTITION_KEY, CLUSTERING_KEY];
/// Keys of a model field attribute.
pub const MODEL_FIELD: &[Symbol] = &[
    PARTITION_KEY,
    CLUSTERING_KEY,
    ORDER,
    STATIC,
    INDEX,
    COUNTER,
    RENAME,
    TYPE,
    FROZEN,
    JSON,
    SKIP,
    COMPOUND_KEY,
];
/// Keys of a user-type field attribute.
pub const UDT_FIELD: &[Symbol] = &[RENAME, TYPE, FROZEN, JSON, SKIP];
/// Keys of `index(..)`.
pub const INDEX_KEYS: &[Symbol] = &[NAME, TARGET];
/// Keys of `compound_key(..)`.
pub const COMPOUND_KEY_KEYS: &[Symbol] = &[FIELDS, SEPARATOR];
