//! `#[cassmodel(...)]` on a field: key roles, index, counter, rename, type override,
//! frozen, json, skip, compound key. Cross-field rules are in `check.rs`.

use proc_macro2::Span;
use syn::spanned::Spanned;

use super::container::DeriveKind;
use super::ctxt::Ctxt;
use super::symbol::*;
use super::value::{Attr, Flag, ident_list, lit_int, lit_str, set_flag, skip_value, unknown};
use crate::model::{IndexTarget, Order};

/// `index`, `index = "name"` or `index(name = "..", target = "keys")`.
#[derive(Clone, Default)]
pub struct IndexAttr {
    /// Explicit index name.
    pub name: Option<syn::LitStr>,
    /// Explicit target (default: values).
    pub target: Option<IndexTarget>,
}

/// `compound_key(fields = [a, b], separator = "|")`.
#[derive(Clone)]
pub struct CompoundKeyAttr {
    /// Source fields, in order.
    pub fields: Vec<syn::Ident>,
    /// The separator.
    pub separator: syn::LitStr,
}

/// Parsed field attributes.
pub struct FieldAttrs {
    /// `partition_key` (`None` position) / `partition_key = N`.
    pub partition_key: Attr<Option<(u16, Span)>>,
    /// `clustering_key` / `clustering_key = N`.
    pub clustering_key: Attr<Option<(u16, Span)>>,
    /// `order = "asc" | "desc"`.
    pub order: Attr<Order>,
    /// `static`.
    pub is_static: Flag,
    /// `index...`.
    pub index: Attr<IndexAttr>,
    /// `counter`.
    pub counter: Flag,
    /// `rename = "col"`.
    pub rename: Attr<syn::LitStr>,
    /// `type = "cql type"`.
    pub ty: Attr<syn::LitStr>,
    /// `frozen`.
    pub frozen: Flag,
    /// `json`.
    pub json: Flag,
    /// `skip`.
    pub skip: Flag,
    /// `compound_key(..)`.
    pub compound_key: Attr<CompoundKeyAttr>,
}

const ORDER_SYNTAX: &str = "`order = \"asc\"` or `order = \"desc\"`";

impl FieldAttrs {
    /// Parses the attributes of one field.
    pub fn from_attrs(cx: &Ctxt, kind: DeriveKind, attrs: &[syn::Attribute]) -> FieldAttrs {
        let mut out = FieldAttrs {
            partition_key: Attr::none(PARTITION_KEY),
            clustering_key: Attr::none(CLUSTERING_KEY),
            order: Attr::none(ORDER),
            is_static: Attr::none(STATIC),
            index: Attr::none(INDEX),
            counter: Attr::none(COUNTER),
            rename: Attr::none(RENAME),
            ty: Attr::none(TYPE),
            frozen: Attr::none(FROZEN),
            json: Attr::none(JSON),
            skip: Attr::none(SKIP),
            compound_key: Attr::none(COMPOUND_KEY),
        };
        let (known, what) = match kind {
            DeriveKind::Model => (MODEL_FIELD, "field attribute"),
            DeriveKind::UserType => (UDT_FIELD, "user type field attribute"),
        };
        super::value::each_cassmodel_meta(cx, attrs, |meta| {
            let span = meta.path.span();
            let path = &meta.path;
            if !known.iter().any(|k| k.matches(path)) {
                return unknown(cx, meta, what, known);
            }
            if PARTITION_KEY.matches(path) || CLUSTERING_KEY.matches(path) {
                // #[cassmodel(partition_key)] / #[cassmodel(partition_key = 1)]
                let sym = if PARTITION_KEY.matches(path) {
                    PARTITION_KEY
                } else {
                    CLUSTERING_KEY
                };
                let pos = if meta.input.peek(syn::Token![=]) {
                    match lit_int::<u16>(
                        cx,
                        meta,
                        &format!("`{sym}` or `{sym} = position` (0, 1, ..)"),
                    )? {
                        Some(p) => Some(p),
                        None => return Ok(()),
                    }
                } else if meta.input.peek(syn::token::Paren) {
                    skip_value(meta)?;
                    cx.error_at(
                        span,
                        format!("expected `{sym}` or `{sym} = position` (0, 1, ..)"),
                    );
                    return Ok(());
                } else {
                    None
                };
                let attr = if sym == PARTITION_KEY {
                    &mut out.partition_key
                } else {
                    &mut out.clustering_key
                };
                attr.set(cx, span, pos);
            } else if ORDER.matches(path) {
                // #[cassmodel(clustering_key, order = "desc")]
                if let Some(s) = lit_str(cx, meta, ORDER_SYNTAX)? {
                    match s.value().to_ascii_lowercase().as_str() {
                        "asc" => out.order.set(cx, span, Order::Asc),
                        "desc" => out.order.set(cx, span, Order::Desc),
                        _ => cx.error_spanned_by(&s, format!("expected {ORDER_SYNTAX}")),
                    }
                }
            } else if STATIC.matches(path) {
                set_flag(cx, meta, &mut out.is_static)?;
            } else if COUNTER.matches(path) {
                set_flag(cx, meta, &mut out.counter)?;
            } else if FROZEN.matches(path) {
                set_flag(cx, meta, &mut out.frozen)?;
            } else if JSON.matches(path) {
                set_flag(cx, meta, &mut out.json)?;
            } else if SKIP.matches(path) {
                set_flag(cx, meta, &mut out.skip)?;
            } else if INDEX.matches(path) {
                if let Some(index) = parse_index(cx, meta)? {
                    out.index.set(cx, span, index);
                }
            } else if RENAME.matches(path) {
                // #[cassmodel(rename = "column_name")]
                if let Some(s) = lit_str(cx, meta, "`rename = \"column_name\"`")? {
                    if s.value().is_empty() {
                        cx.error_spanned_by(&s, "a column name cannot be empty");
                    } else {
                        out.rename.set(cx, span, s);
                    }
                }
            } else if TYPE.matches(path) {
                // #[cassmodel(type = "map<text, int>")]
                if let Some(s) = lit_str(
                    cx,
                    meta,
                    "`type = \"cql type\"`, e.g. `type = \"frozen<address>\"`",
                )? {
                    out.ty.set(cx, span, s);
                }
            } else if COMPOUND_KEY.matches(path)
                && let Some(ck) = parse_compound_key(cx, meta)?
            {
                out.compound_key.set(cx, span, ck);
            }
            Ok(())
        });
        out
    }
}

fn parse_index(cx: &Ctxt, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<IndexAttr>> {
    const SYNTAX: &str = "`index`, `index = \"name\"` or `index(name = \"..\", target = \"values\" | \"keys\" | \"entries\" | \"full\")`";
    if meta.input.peek(syn::Token![=]) {
        // #[cassmodel(index = "users_by_email")]
        return Ok(lit_str(cx, meta, SYNTAX)?.map(|name| IndexAttr {
            name: Some(name),
            target: None,
        }));
    }
    if !meta.input.peek(syn::token::Paren) {
        // #[cassmodel(index)]
        return Ok(Some(IndexAttr::default()));
    }
    // #[cassmodel(index(name = "..", target = "keys"))]
    let mut name = Attr::none(NAME);
    let mut target = Attr::none(TARGET);
    meta.parse_nested_meta(|inner| {
        let span = inner.path.span();
        if NAME.matches(&inner.path) {
            if let Some(s) = lit_str(cx, &inner, "`name = \"index_name\"`")? {
                name.set(cx, span, s);
            }
        } else if TARGET.matches(&inner.path) {
            const T: &str = "`target = \"values\"`, `\"keys\"`, `\"entries\"` or `\"full\"`";
            if let Some(s) = lit_str(cx, &inner, T)? {
                let t = match s.value().as_str() {
                    "values" => IndexTarget::Values,
                    "keys" => IndexTarget::Keys,
                    "entries" => IndexTarget::Entries,
                    "full" => IndexTarget::Full,
                    _ => {
                        cx.error_spanned_by(&s, format!("expected {T}"));
                        return Ok(());
                    }
                };
                target.set(cx, span, t);
            }
        } else {
            unknown(cx, &inner, "index key", INDEX_KEYS)?;
        }
        Ok(())
    })?;
    Ok(Some(IndexAttr {
        name: name.get().cloned(),
        target: target.get().copied(),
    }))
}

fn parse_compound_key(
    cx: &Ctxt,
    meta: &syn::meta::ParseNestedMeta<'_>,
) -> syn::Result<Option<CompoundKeyAttr>> {
    const SYNTAX: &str = "`compound_key(fields = [a, b], separator = \"|\")`";
    if !meta.input.peek(syn::token::Paren) {
        skip_value(meta)?;
        cx.error_at(meta.path.span(), format!("expected {SYNTAX}"));
        return Ok(None);
    }
    let mut fields = Attr::none(FIELDS);
    let mut separator = Attr::none(SEPARATOR);
    let errors_before = cx.error_count();
    meta.parse_nested_meta(|inner| {
        let span = inner.path.span();
        if FIELDS.matches(&inner.path) {
            if let Some(list) = ident_list(cx, &inner, "`fields = [a, b]`")? {
                fields.set(cx, span, list);
            }
        } else if SEPARATOR.matches(&inner.path) {
            if let Some(s) = lit_str(cx, &inner, "`separator = \"|\"`")? {
                let v = s.value();
                if v.is_empty() || v.contains(crate::COMPOUND_KEY_ESCAPE) {
                    cx.error_spanned_by(&s, "the separator must be non-empty and must not contain `\\` (the escape character)");
                } else {
                    separator.set(cx, span, s);
                }
            }
        } else {
            unknown(cx, &inner, "compound_key key", COMPOUND_KEY_KEYS)?;
        }
        Ok(())
    })?;
    let span = meta.path.span();
    match (fields.get(), separator.get()) {
        (Some(f), Some(s)) if f.len() >= 2 => Ok(Some(CompoundKeyAttr {
            fields: f.clone(),
            separator: s.clone(),
        })),
        (Some(_), Some(_)) => {
            cx.error_at(
                span,
                format!("a compound key needs at least two fields: {SYNTAX}"),
            );
            Ok(None)
        }
        _ => {
            if cx.error_count() == errors_before {
                cx.error_at(
                    span,
                    format!("expected both `fields` and `separator`: {SYNTAX}"),
                );
            }
            Ok(None)
        }
    }
}
