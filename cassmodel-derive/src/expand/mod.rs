//! Expansion entry points: parse the input with `cassmodel_schema::attr`, then either
//! generate the impls or fall back to `compile_error!`s plus a placeholder impl.

mod columns;
mod model;
mod query_tables;
mod user_type;

use cassmodel_schema::attr::{self, Ctxt};
use proc_macro2::TokenStream;

use crate::{fallback, private::private_path};

/// `#[derive(Model)]` on `proc_macro2` tokens.
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    let cx = Ctxt::new();
    let parsed = attr::parse_model(&cx, &input);
    let private = private_path(parsed.as_ref().and_then(|(m, _)| m.attrs.krate.get()));
    let result = cx.check();
    match (result, parsed) {
        (Ok(()), Some((model, table))) => model::expand(&model, &table, &private),
        (Err(err), _) => fallback::model(err, fallback_ident(&input), &private),
        (Ok(()), None) => {
            syn::Error::new_spanned(&input.ident, "cassmodel: unsupported input").to_compile_error()
        }
    }
}

/// `#[derive(UserType)]` on `proc_macro2` tokens.
pub fn derive_user_type(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    let cx = Ctxt::new();
    let parsed = attr::parse_user_type(&cx, &input);
    let private = private_path(parsed.as_ref().and_then(|(m, _)| m.attrs.krate.get()));
    let result = cx.check();
    match (result, parsed) {
        (Ok(()), Some((model, udt))) => user_type::expand(&model, &udt, &private),
        (Err(err), _) => fallback::user_type(err, fallback_ident(&input), &private),
        (Ok(()), None) => {
            syn::Error::new_spanned(&input.ident, "cassmodel: unsupported input").to_compile_error()
        }
    }
}

/// The type to give a placeholder impl, unless it is generic (an impl would then add
/// errors of its own).
fn fallback_ident(input: &syn::DeriveInput) -> Option<&syn::Ident> {
    input.generics.params.is_empty().then_some(&input.ident)
}

#[cfg(test)]
mod tests;
