//! `#[cassmodel(...)]` on the struct: table name, options, default TTL, query tables, and
//! the runtime crate path.

use proc_macro2::Span;
use syn::spanned::Spanned;

use super::ctxt::Ctxt;
use super::symbol::*;
use super::value::{Attr, ident_list, lit_int, lit_str, skip_value, unknown};
use crate::model::TableOptions;

/// What the derive is for: the keys allowed differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeriveKind {
    /// `#[derive(Model)]`
    Model,
    /// `#[derive(UserType)]`
    UserType,
}

impl DeriveKind {
    /// `model` or `user type`, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            DeriveKind::Model => "container attribute",
            DeriveKind::UserType => "user type attribute",
        }
    }
}

/// One `query_table(...)` declaration.
pub struct QueryTableAttr {
    /// Span of the `query_table` key.
    pub span: Span,
    /// `name = ".."`.
    pub name: Option<syn::LitStr>,
    /// `partition_key = [..]`.
    pub partition_key: Vec<syn::Ident>,
    /// `clustering_key = [..]`.
    pub clustering_key: Vec<syn::Ident>,
}

/// Parsed container attributes.
pub struct Container {
    /// `table = ".."` (models) or `name = ".."` (user types).
    pub name: Attr<syn::LitStr>,
    /// `options(..)`.
    pub options: Attr<TableOptions>,
    /// `ttl = N`.
    pub ttl: Attr<i32>,
    /// Every `query_table(..)`.
    pub query_tables: Vec<QueryTableAttr>,
    /// `crate = path`.
    pub krate: Attr<syn::Path>,
}

impl Container {
    /// Parses the container attributes of `attrs`, recording errors in `cx`.
    pub fn from_attrs(cx: &Ctxt, kind: DeriveKind, attrs: &[syn::Attribute]) -> Container {
        let mut out = Container {
            name: Attr::none(if kind == DeriveKind::Model {
                TABLE
            } else {
                NAME
            }),
            options: Attr::none(OPTIONS),
            ttl: Attr::none(TTL),
            query_tables: Vec::new(),
            krate: Attr::none(CRATE),
        };
        let known = if kind == DeriveKind::Model {
            MODEL_CONTAINER
        } else {
            UDT_CONTAINER
        };
        super::value::each_cassmodel_meta(cx, attrs, |meta| {
            let span = meta.path.span();
            if kind == DeriveKind::Model && TABLE.matches(&meta.path) {
                // #[cassmodel(table = "name")]
                if let Some(s) = lit_str(cx, meta, "`table = \"table_name\"`")? {
                    out.name.set(cx, span, s);
                }
            } else if kind == DeriveKind::UserType && NAME.matches(&meta.path) {
                // #[cassmodel(name = "type_name")]
                if let Some(s) = lit_str(cx, meta, "`name = \"type_name\"`")? {
                    out.name.set(cx, span, s);
                }
            } else if kind == DeriveKind::Model && OPTIONS.matches(&meta.path) {
                // #[cassmodel(options(default_time_to_live = 3600, comment = ".."))]
                if let Some(opts) = parse_options(cx, meta)? {
                    out.options.set(cx, span, opts);
                }
            } else if kind == DeriveKind::Model && TTL.matches(&meta.path) {
                // #[cassmodel(ttl = 86400)]
                if let Some((n, s)) = lit_int::<i32>(cx, meta, "`ttl = seconds`")? {
                    // Cassandra's bounds of `USING TTL` (`Attributes.MAX_TTL`: 20 years).
                    if n <= 0 || n > 630_720_000 {
                        cx.error_at(
                            s,
                            "`ttl` must be a number of seconds from 1 to 630720000 (20 years)",
                        );
                    } else {
                        out.ttl.set(cx, span, n);
                    }
                }
            } else if kind == DeriveKind::Model && QUERY_TABLE.matches(&meta.path) {
                // #[cassmodel(query_table(name = "t", partition_key = [a], clustering_key = [b]))]
                if let Some(qt) = parse_query_table(cx, meta)? {
                    out.query_tables.push(qt);
                }
            } else if CRATE.matches(&meta.path) {
                // #[cassmodel(crate = my_cassmodel)]
                let path: syn::Path = meta.value()?.call(syn::Path::parse_mod_style)?;
                out.krate.set(cx, span, path);
            } else {
                unknown(cx, meta, kind.describe(), known)?;
            }
            Ok(())
        });
        out
    }
}

fn expect_parens(
    cx: &Ctxt,
    meta: &syn::meta::ParseNestedMeta<'_>,
    syntax: &str,
) -> syn::Result<bool> {
    if meta.input.peek(syn::token::Paren) {
        return Ok(true);
    }
    skip_value(meta)?;
    cx.error_at(meta.path.span(), format!("expected {syntax}"));
    Ok(false)
}

fn parse_options(
    cx: &Ctxt,
    meta: &syn::meta::ParseNestedMeta<'_>,
) -> syn::Result<Option<TableOptions>> {
    if !expect_parens(
        cx,
        meta,
        "`options(default_time_to_live = 3600, comment = \"..\")`",
    )? {
        return Ok(None);
    }
    let mut ttl = Attr::none(DEFAULT_TIME_TO_LIVE);
    let mut gc = Attr::none(GC_GRACE_SECONDS);
    let mut flush = Attr::none(MEMTABLE_FLUSH_PERIOD_IN_MS);
    let mut texts: Vec<(Symbol, Attr<String>)> =
        [COMMENT, COMPACTION, COMPRESSION, CACHING, SPECULATIVE_RETRY]
            .into_iter()
            .map(|s| (s, Attr::none(s)))
            .collect();
    let mut fp = Attr::none(BLOOM_FILTER_FP_CHANCE);
    meta.parse_nested_meta(|inner| {
        let span = inner.path.span();
        for (sym, attr) in [(DEFAULT_TIME_TO_LIVE, &mut ttl), (GC_GRACE_SECONDS, &mut gc), (MEMTABLE_FLUSH_PERIOD_IN_MS, &mut flush)] {
            if sym.matches(&inner.path) {
                // options(gc_grace_seconds = 864000)
                if let Some((n, s)) = lit_int::<i32>(cx, &inner, &format!("`{sym} = seconds`"))? {
                    if n < 0 {
                        cx.error_at(s, format!("`{sym}` cannot be negative"));
                    } else {
                        attr.set(cx, span, n);
                    }
                }
                return Ok(());
            }
        }
        for (sym, attr) in texts.iter_mut() {
            if sym.matches(&inner.path) {
                // options(comment = "..."), options(compaction = "LeveledCompactionStrategy")
                if let Some(s) = lit_str(cx, &inner, &format!("`{sym} = \"..\"`"))? {
                    if *sym == CACHING && !s.value().trim_start().starts_with('{') {
                        cx.error_spanned_by(&s, "expected a CQL map: `caching = \"{'keys': 'ALL', 'rows_per_partition': 'NONE'}\"`");
                    } else {
                        attr.set(cx, span, s.value());
                    }
                }
                return Ok(());
            }
        }
        if BLOOM_FILTER_FP_CHANCE.matches(&inner.path) {
            // options(bloom_filter_fp_chance = 0.01)
            let expr: syn::Expr = inner.value()?.parse()?;
            match &expr {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Float(f), .. })
                    if f.base10_parse::<f64>().is_ok_and(|v| v > 0.0 && v <= 1.0) =>
                {
                    fp.set(cx, span, f.base10_digits().to_owned());
                }
                other => cx.error_spanned_by(other, "expected `bloom_filter_fp_chance = 0.01` (a number in (0, 1])"),
            }
            return Ok(());
        }
        unknown(cx, &inner, "table option", OPTION_KEYS)
    })?;
    let text = |texts: &[(Symbol, Attr<String>)], sym: Symbol| {
        texts
            .iter()
            .find(|(s, _)| *s == sym)
            .and_then(|(_, a)| a.get().cloned())
            .map(Into::into)
    };
    Ok(Some(TableOptions {
        default_time_to_live: ttl.get().copied(),
        comment: text(&texts, COMMENT),
        compaction: text(&texts, COMPACTION),
        compression: text(&texts, COMPRESSION),
        caching: text(&texts, CACHING),
        gc_grace_seconds: gc.get().copied(),
        bloom_filter_fp_chance: fp.get().cloned().map(Into::into),
        speculative_retry: text(&texts, SPECULATIVE_RETRY),
        memtable_flush_period_in_ms: flush.get().copied(),
        other: Vec::new().into(),
    }))
}

fn parse_query_table(
    cx: &Ctxt,
    meta: &syn::meta::ParseNestedMeta<'_>,
) -> syn::Result<Option<QueryTableAttr>> {
    const SYNTAX: &str =
        "`query_table(name = \"table\", partition_key = [field], clustering_key = [field, ..])`";
    if !expect_parens(cx, meta, SYNTAX)? {
        return Ok(None);
    }
    let mut name = Attr::none(NAME);
    let mut pk = Attr::none(PARTITION_KEY);
    let mut ck = Attr::none(CLUSTERING_KEY);
    meta.parse_nested_meta(|inner| {
        let span = inner.path.span();
        if NAME.matches(&inner.path) {
            if let Some(s) = lit_str(cx, &inner, "`name = \"table\"`")? {
                name.set(cx, span, s);
            }
        } else if PARTITION_KEY.matches(&inner.path) {
            if let Some(list) = ident_list(cx, &inner, "`partition_key = [field, ..]`")? {
                pk.set(cx, span, list);
            }
        } else if CLUSTERING_KEY.matches(&inner.path) {
            if let Some(list) = ident_list(cx, &inner, "`clustering_key = [field, ..]`")? {
                ck.set(cx, span, list);
            }
        } else {
            unknown(cx, &inner, "query_table key", QUERY_TABLE_KEYS)?;
        }
        Ok(())
    })?;
    let span = meta.path.span();
    if !name.is_set() {
        cx.error_at(span, format!("`query_table` needs a `name`: {SYNTAX}"));
    }
    if pk.get().is_none_or(|v| v.is_empty()) {
        cx.error_at(
            span,
            format!("`query_table` needs a non-empty `partition_key`: {SYNTAX}"),
        );
    }
    Ok(Some(QueryTableAttr {
        span,
        name: name.get().cloned(),
        partition_key: pk.get().cloned().unwrap_or_default(),
        clustering_key: ck.get().cloned().unwrap_or_default(),
    }))
}
