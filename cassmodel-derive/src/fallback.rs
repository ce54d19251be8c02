//! What the derive emits when the input has errors: the errors as `compile_error!`s plus
//! an impl whose bodies are `unreachable!`-free placeholders, so that the user sees only
//! the attribute errors and not a cascade of "trait `Model` is not implemented".

use proc_macro2::TokenStream;
use quote::quote;

/// `compile_error!`s for `err`, plus a minimal `Model` impl for `ident` when it is known.
pub fn model(err: syn::Error, ident: Option<&syn::Ident>, private: &TokenStream) -> TokenStream {
    let errors = err.to_compile_error();
    let Some(ident) = ident else { return errors };
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #private::Model for #ident {
                const TABLE: &'static #private::TableDef = &#private::TableDef {
                    name: #private::schema::Str::Borrowed(""),
                    columns: #private::schema::List::Borrowed(&[]),
                    indexes: #private::schema::List::Borrowed(&[]),
                    options: #private::TableOptions::EMPTY,
                    compound_keys: #private::schema::List::Borrowed(&[]),
                    query_tables: #private::schema::List::Borrowed(&[]),
                };
                const CQL: &'static #private::ModelCql = &#private::ModelCql {
                    create_table: "",
                    create_indexes: &[],
                    insert: "",
                    insert_if_not_exists: "",
                    insert_plain: "",
                    select_by_primary_key: "",
                    select_by_partition: "",
                    delete_row: "",
                    delete_partition: "",
                };
                type PrimaryKey = (#private::String,);
                type PartitionKey = (#private::String,);
                fn bind_row(&self, _: &mut #private::Binder<'_, '_>) -> #private::Result<(), #private::SerializationError> {
                    #private::Ok(())
                }
                fn bind_primary_key(&self, _: &mut #private::Binder<'_, '_>) -> #private::Result<(), #private::SerializationError> {
                    #private::Ok(())
                }
                fn check_columns(_: &mut #private::ColumnChecker<'_>) -> #private::Result<(), #private::TypeCheckError> {
                    #private::Ok(())
                }
                fn read_row(_: &mut #private::RowReader<'_, '_>) -> #private::Result<Self, #private::DeserializationError> {
                    ::core::panic!("cassmodel: this model failed to compile")
                }
            }
        };
    }
}

/// `compile_error!`s for `err`, plus a minimal `UserType` impl.
pub fn user_type(
    err: syn::Error,
    ident: Option<&syn::Ident>,
    private: &TokenStream,
) -> TokenStream {
    let errors = err.to_compile_error();
    let Some(ident) = ident else { return errors };
    quote! {
        #errors
        const _: () = {
            #[automatically_derived]
            impl #private::UserType for #ident {
                const TYPE_NAME: &'static str = "";
                const CREATE_TYPE: &'static str = "";
            }
        };
    }
}
