//! Typed column handles for the query builder: a `<Model>Columns` struct with one
//! `Column<Model, T>` per column whose field holds its value as is, and the
//! `ModelColumns` impl returning it (`User::columns().age`).

use cassmodel_schema::attr::{Field, Model};
use cassmodel_schema::{CqlType, TableDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The columns struct and its `ModelColumns` impl.
pub fn expand(model: &Model<'_>, table: &TableDef, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let vis = quote!(pub);
    let columns_ident = format_ident!("{}Columns", ident);
    let fields: Vec<(&Field<'_>, usize)> = model
        .fields
        .iter()
        .filter(|f| !f.is_skipped())
        .zip(0..)
        // json text, counters and computed compound keys do not hold the field's value as
        // stored, so a handle comparing field values to column values would lie.
        .filter(|(f, i)| {
            !f.attrs.json.is_set()
                && f.cql.as_ref() != Some(&CqlType::Counter)
                && !table
                    .compound_keys
                    .iter()
                    .any(|k| table.columns.get(*i).is_some_and(|c| c.name == k.column))
        })
        .collect();
    let decls = fields.iter().map(|(f, _)| {
        let name = f.ident;
        let ty = f.value_ty;
        let doc = format!("The `{}` column.", f.column);
        quote!(#[doc = #doc] #vis #name: #p::Column<#ident, #ty>)
    });
    let inits = fields.iter().map(|(f, index)| {
        let name = f.ident;
        let column = &f.column;
        let get = if f.nullable {
            quote!(|row: &#ident| ::core::option::Option::as_ref(&row.#name))
        } else {
            quote!(|row: &#ident| ::core::option::Option::Some(&row.#name))
        };
        quote!(#name: #p::Column::new(#column, #index, #get))
    });
    let doc = format!("Typed column handles of [`{ident}`], for its query builder.");
    quote! {
        #[doc = #doc]
        #[allow(non_camel_case_types)]
        #vis struct #columns_ident {
            #(#decls,)*
        }

        #[automatically_derived]
        impl #p::ModelColumns for #ident {
            type Columns = #columns_ident;
            fn columns() -> #columns_ident {
                #columns_ident { #(#inits,)* }
            }
        }
    }
}
