//! The `#[cassmodel(...)]` attribute language, parsed the serde_derive way: `ast` reads the
//! struct, `container`/`field` parse attributes (every error recorded in a [`Ctxt`]),
//! `rust_type` maps Rust types to CQL, and `check` applies the cross-field rules and
//! builds the [`crate::TableDef`] / [`crate::UserTypeDef`]. The derive and
//! `cassmodel migrate` both enter through [`parse_model`] and [`parse_user_type`].

pub mod ast;
pub mod check;
pub mod container;
pub mod ctxt;
pub mod field;
pub mod rust_type;
pub mod symbol;
pub mod value;

pub use ast::{Field, Model};
pub use container::DeriveKind;
pub use ctxt::Ctxt;

use crate::model::{TableDef, UserTypeDef};

/// Parses and checks a `#[derive(Model)]` input. `None` only when the shape is unusable
/// (enum, tuple struct...); the table is meaningful only if `cx.check()` then succeeds.
pub fn parse_model<'a>(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<(Model<'a>, TableDef)> {
    let model = Model::from_ast(cx, input, DeriveKind::Model)?;
    let table = check::check_model(cx, &model);
    Some((model, table))
}

/// Parses and checks a `#[derive(UserType)]` input, as [`parse_model`].
pub fn parse_user_type<'a>(
    cx: &Ctxt,
    input: &'a syn::DeriveInput,
) -> Option<(Model<'a>, UserTypeDef)> {
    let model = Model::from_ast(cx, input, DeriveKind::UserType)?;
    let udt = check::check_user_type(cx, &model);
    Some((model, udt))
}

/// The table a struct item declares, for tools reading sources (`cassmodel migrate`).
pub fn table_of_item(item: &syn::ItemStruct) -> syn::Result<TableDef> {
    let input = syn::DeriveInput::from(item.clone());
    let cx = Ctxt::new();
    let table = parse_model(&cx, &input).map(|(_, t)| t);
    cx.check()?;
    table.ok_or_else(|| syn::Error::new_spanned(&item.ident, "not a model"))
}

/// The user type a struct item declares, for tools reading sources.
pub fn user_type_of_item(item: &syn::ItemStruct) -> syn::Result<UserTypeDef> {
    let input = syn::DeriveInput::from(item.clone());
    let cx = Ctxt::new();
    let udt = parse_user_type(&cx, &input).map(|(_, t)| t);
    cx.check()?;
    udt.ok_or_else(|| syn::Error::new_spanned(&item.ident, "not a user type"))
}
