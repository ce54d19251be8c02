//! Typed column handles for the query builder: a `<Model>Columns` struct with one
//! `__private::Column<Model, T>` per column whose field holds its value as is, its
//! `ModelColumns` impl, and the inherent `Model::columns()` and `Model::query()`.
//!
//! A handle's `T` is the field's type (the inner type of an `Option`), so a lookup with a
//! value of another type does not compile: `User::query().filter_with(|c| c.age.gt(30))`.
//! Columns whose stored value is not the field itself (`json` text, counters, computed
//! compound keys) get no handle: comparing field values to column values would lie.

use cassmodel_schema::attr::{Field, Model};
use cassmodel_schema::{CqlType, TableDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The columns struct, its `ModelColumns` impl and `columns()`/`query()` on the model.
pub fn expand(model: &Model<'_>, table: &TableDef, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let columns_ident = format_ident!("{}Columns", ident);
    let mut decls = Vec::new();
    let mut inits = Vec::new();
    let columns = model.fields.iter().filter(|f| !f.is_skipped());
    for (index, (f, c)) in columns.zip(table.columns.iter()).enumerate() {
        if !has_handle(f, table, &c.name) {
            continue;
        }
        let field = f.ident;
        let ty = f.value_ty;
        let name = &*c.name;
        let doc = format!("The `{name}` column.");
        let get = if f.nullable {
            quote!(::core::option::Option::as_ref(&row.#field))
        } else {
            quote!(::core::option::Option::Some(&row.#field))
        };
        decls.push(quote! {
            #[doc = #doc]
            pub #field: #p::Column<#ident, #ty>
        });
        // A fn item (not a closure) so the getter has its higher-ranked signature.
        inits.push(quote! {
            #field: {
                fn get(row: &#ident) -> ::core::option::Option<&#ty> {
                    #get
                }
                #p::Column::new(#name, #index, get)
            }
        });
    }
    let struct_doc = format!("Typed column handles of [`{ident}`], for its query builder.");
    quote! {
        #[doc = #struct_doc]
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug)]
        pub struct #columns_ident {
            #(#decls,)*
        }

        #[automatically_derived]
        impl #p::ModelColumns for #ident {
            type Columns = #columns_ident;
            fn columns() -> #columns_ident {
                #columns_ident { #(#inits,)* }
            }
        }

        #[automatically_derived]
        impl #ident {
            /// Typed handles on this model's columns, for [`Self::query`] predicates.
            pub fn columns() -> #columns_ident {
                <#ident as #p::ModelColumns>::columns()
            }

            /// A query on this model's table (see `cassmodel::query`).
            pub fn query() -> #p::Query<#ident> {
                #p::Query::new()
            }
        }
    }
}

/// Whether the column holds the field's value as is.
fn has_handle(f: &Field<'_>, table: &TableDef, column: &str) -> bool {
    !f.attrs.json.is_set()
        && f.cql.as_ref() != Some(&CqlType::Counter)
        && !table.compound_keys.iter().any(|k| k.column == column)
}
