//! The path through which generated code reaches the runtime: `::cassmodel::__private`, or
//! `<path>::__private` with `#[cassmodel(crate = path)]` (a renamed dependency).

use proc_macro2::TokenStream;
use quote::quote;

/// Tokens naming the runtime's `__private` module.
pub fn private_path(krate: Option<&syn::Path>) -> TokenStream {
    match krate {
        Some(path) => quote!(#path::__private),
        None => quote!(::cassmodel::__private),
    }
}
