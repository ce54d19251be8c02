//! Building blocks of the attribute parsers: the set-once [`Attr`], value readers whose
//! errors show the right syntax, and "did you mean" for unknown keys.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;

use super::ctxt::Ctxt;
use super::symbol::Symbol;

/// A value that may be set once; a second `set` records "duplicate cassmodel attribute".
pub struct Attr<T> {
    name: Symbol,
    value: Option<(Span, T)>,
}

impl<T> Attr<T> {
    /// An unset attribute named `name`.
    pub fn none(name: Symbol) -> Self {
        Attr { name, value: None }
    }

    /// Sets the value, or records a duplicate error at `span`.
    pub fn set(&mut self, cx: &Ctxt, span: Span, value: T) {
        if self.value.is_some() {
            cx.error_at(
                span,
                format!("duplicate cassmodel attribute `{}`", self.name),
            );
        } else {
            self.value = Some((span, value));
        }
    }

    /// The value, if set.
    pub fn get(&self) -> Option<&T> {
        self.value.as_ref().map(|(_, v)| v)
    }

    /// The value and the span of its key, if set.
    pub fn spanned(&self) -> Option<(Span, &T)> {
        self.value.as_ref().map(|(s, v)| (*s, v))
    }

    /// The span of the key, if set.
    pub fn span(&self) -> Option<Span> {
        self.value.as_ref().map(|(s, _)| *s)
    }

    /// Whether it was set.
    pub fn is_set(&self) -> bool {
        self.value.is_some()
    }
}

/// A flag (`static`, `frozen`, ...): an [`Attr<()>`] that rejects a value.
pub type Flag = Attr<()>;

/// Reads a bare flag: `#[cassmodel(static)]`. `static = true` is an error showing the syntax.
pub fn set_flag(cx: &Ctxt, meta: &ParseNestedMeta<'_>, flag: &mut Flag) -> syn::Result<()> {
    let name = flag.name;
    if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
        skip_value(meta)?;
        cx.error_at(
            meta.path.span(),
            format!("`{name}` takes no value; write `#[cassmodel({name})]`"),
        );
        return Ok(());
    }
    flag.set(cx, meta.path.span(), ());
    Ok(())
}

fn expected(meta: &ParseNestedMeta<'_>, syntax: &str) -> syn::Error {
    syn::Error::new(meta.path.span(), format!("expected {syntax}"))
}

/// Reads `key = "text"`; a wrong shape records an error showing `syntax` and yields `None`.
pub fn lit_str(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    syntax: &str,
) -> syn::Result<Option<syn::LitStr>> {
    if !meta.input.peek(syn::Token![=]) {
        skip_value(meta)?;
        cx.syn_error(expected(meta, syntax));
        return Ok(None);
    }
    let expr: syn::Expr = meta.value()?.parse()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Ok(Some(s)),
        other => {
            cx.error_spanned_by(other, format!("expected {syntax}"));
            Ok(None)
        }
    }
}

/// Reads `key = 123` into an integer type; errors as [`lit_str`].
pub fn lit_int<N>(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    syntax: &str,
) -> syn::Result<Option<(N, Span)>>
where
    N: std::str::FromStr,
    N::Err: std::fmt::Display,
{
    if !meta.input.peek(syn::Token![=]) {
        skip_value(meta)?;
        cx.syn_error(expected(meta, syntax));
        return Ok(None);
    }
    let expr: syn::Expr = meta.value()?.parse()?;
    match &expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => match i.base10_parse::<N>() {
            Ok(n) => Ok(Some((n, i.span()))),
            Err(e) => {
                cx.error_spanned_by(i, format!("{e}; expected {syntax}"));
                Ok(None)
            }
        },
        other => {
            cx.error_spanned_by(other, format!("expected {syntax}"));
            Ok(None)
        }
    }
}

/// Reads `key = [a, b, c]` (field names).
pub fn ident_list(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    syntax: &str,
) -> syn::Result<Option<Vec<syn::Ident>>> {
    if !meta.input.peek(syn::Token![=]) {
        skip_value(meta)?;
        cx.syn_error(expected(meta, syntax));
        return Ok(None);
    }
    let expr: syn::Expr = meta.value()?.parse()?;
    let syn::Expr::Array(array) = &expr else {
        cx.error_spanned_by(&expr, format!("expected {syntax}"));
        return Ok(None);
    };
    let mut out = Vec::new();
    for elem in &array.elems {
        match elem {
            syn::Expr::Path(p) if p.path.get_ident().is_some() && p.qself.is_none() => {
                if let Some(ident) = p.path.get_ident() {
                    out.push(ident.clone());
                }
            }
            other => cx.error_spanned_by(other, format!("expected a field name; {syntax}")),
        }
    }
    Ok(Some(out))
}

/// Consumes whatever value follows a key (`= expr` or `(...)`) so parsing can go on.
pub fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _: proc_macro2::TokenTree = meta.input.parse()?;
    }
    Ok(())
}

/// Records "unknown cassmodel {what} `key`" with a suggestion, and skips the value.
pub fn unknown(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    what: &str,
    known: &[Symbol],
) -> syn::Result<()> {
    let key = meta
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    let hint = match did_you_mean(&key, known) {
        Some(best) => format!("; did you mean `{best}`?"),
        None => format!(
            "; expected one of {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    cx.error_at(
        meta.path.span(),
        format!("unknown cassmodel {what} `{key}`{hint}"),
    );
    skip_value(meta)
}

/// The closest known key within an edit distance of a third of its length (at least 2,
/// so that a swap of two letters in a short key such as `tabel` is still recognized).
pub fn did_you_mean(key: &str, known: &[Symbol]) -> Option<&'static str> {
    known
        .iter()
        .map(|k| (edit_distance(key, k.0), k.0))
        .filter(|(d, k)| *d <= (k.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Runs `f` on each `#[cassmodel(...)]` attribute in `attrs`, recording errors in `cx`.
pub fn each_cassmodel_meta(
    cx: &Ctxt,
    attrs: &[syn::Attribute],
    mut f: impl FnMut(&ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs {
        if !super::symbol::CASSMODEL.matches(attr.path()) {
            continue;
        }
        if let syn::Meta::List(list) = &attr.meta {
            if list.tokens.is_empty() {
                continue;
            }
        } else {
            cx.error_spanned_by(attr, "expected `#[cassmodel(...)]`");
            continue;
        }
        if let Err(err) = attr.parse_nested_meta(|meta| f(&meta)) {
            cx.syn_error(err);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::symbol::{MODEL_FIELD, PARTITION_KEY};

    #[test]
    fn suggestions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            did_you_mean("partiton_key", MODEL_FIELD),
            Some(PARTITION_KEY.0)
        );
        assert_eq!(
            did_you_mean("clustering", MODEL_FIELD),
            Some("clustering_key")
        );
        assert_eq!(did_you_mean("indx", MODEL_FIELD), Some("index"));
        assert_eq!(did_you_mean("zzz", MODEL_FIELD), None);
    }
}
