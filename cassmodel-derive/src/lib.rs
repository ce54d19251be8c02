//! `#[derive(Model)]` and `#[derive(UserType)]` for cassmodel: parse → validate → expand.
//! All model knowledge lives in `cassmodel-schema`; this crate only turns it into code.
//!
//! The entry points are thin shims over [`expand`], which works on `proc_macro2` tokens so
//! that unit tests can call it directly.

mod expand;
mod fallback;
mod private;
mod tokens;

use proc_macro::TokenStream;

/// Derives `cassmodel::Model` for a struct with named fields; see the `cassmodel` docs for
/// the `#[cassmodel(...)]` attribute language.
#[proc_macro_derive(Model, attributes(cassmodel))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    expand::derive_model(input.into()).into()
}

/// Derives `cassmodel::UserType` (a CQL user-defined type) for a struct with named fields.
#[proc_macro_derive(UserType, attributes(cassmodel))]
pub fn derive_user_type(input: TokenStream) -> TokenStream {
    expand::derive_user_type(input.into()).into()
}
