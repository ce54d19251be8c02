//! The `Model` impl: the table as a `static`, the CQL rendered now as literals, row binding
//! and reading, and the compound-key helpers.

use cassmodel_schema::attr::{Field, Model};
use cassmodel_schema::render::{self, InsertKind};
use cassmodel_schema::{ColumnDef, CqlType, TableDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::tokens::SchemaTokens;

/// Expands a checked model.
pub fn expand(model: &Model<'_>, table: &TableDef, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let table_expr = SchemaTokens { p }.table(table);
    let columns: Vec<(&Field<'_>, &ColumnDef)> = model
        .fields
        .iter()
        .filter(|f| !f.is_skipped())
        .zip(table.columns.iter())
        .collect();
    let by_column = |name: &str| columns.iter().find(|(_, c)| c.name == name).copied();

    let create_table = render::create_table(table, true);
    let create_indexes: Vec<String> = table
        .indexes
        .iter()
        .map(|i| render::create_index(table, i, true))
        .collect();
    let insert = render::insert(table, InsertKind::Upsert);
    let insert_lwt = render::insert(table, InsertKind::IfNotExists);
    let insert_plain = render::insert(table, InsertKind::Plain);
    let select_pk = render::select_by_primary_key(table);
    let select_part = render::select_by_partition(table);
    let delete_row = render::delete_row(table);
    let delete_partition = render::delete_partition(table);

    let key_types = |cols: Vec<&ColumnDef>| {
        let tys = cols
            .iter()
            .filter_map(|c| by_column(&c.name))
            .map(|(f, _)| f.value_ty);
        quote!((#(#tys,)*))
    };
    let pk_type = key_types(table.primary_key());
    let part_type = key_types(table.partition_key());

    let bind_all = columns.iter().map(|(f, c)| bind_stmt(f, c, table, p));
    let bind_key = table
        .primary_key()
        .into_iter()
        .filter_map(|c| by_column(&c.name))
        .map(|(f, c)| bind_stmt(f, c, table, p));
    let checks = columns.iter().map(|(f, c)| {
        let name = &*c.name;
        let ty = read_type(f, p);
        quote!(checker.column::<#ty>(#name)?;)
    });
    let inits = model.fields.iter().map(|f| {
        let ident = f.ident;
        match columns.iter().find(|(g, _)| g.ident == f.ident) {
            Some((f, c)) => {
                let value = read_expr(f, &c.name, p);
                quote!(#ident: #value)
            }
            None => quote!(#ident: ::core::default::Default::default()),
        }
    });
    let mut udts = Vec::new();
    for (f, c) in &columns {
        if f.attrs.ty.is_set() && !f.attrs.json.is_set() {
            udt_types(&c.ty, f.value_ty, &mut udts);
        }
    }
    let compound = compound_helpers(model, table, p);
    let finders = index_finders(model, table, p);
    let columns_impl = super::columns::expand(model, table, p);
    let query_tables =
        super::query_tables::expand(model, table, &columns, |f, c| bind_stmt(f, c, table, p), p);
    // `#[cassmodel(ttl = N)]`: the client-side default TTL of the model's writes.
    let default_ttl = model
        .attrs
        .ttl
        .get()
        .map(|n| quote!(const DEFAULT_TTL: #p::Option<i32> = #p::Some(#n);));
    let (qt_statics, qt_items, qt_finders) = (
        query_tables.statics,
        query_tables.items,
        query_tables.finders,
    );

    quote! {
        const _: () = {
            static __CASSMODEL_TABLE: #p::TableDef = #table_expr;
            #qt_statics

            #[automatically_derived]
            impl #p::Model for #ident {
                const TABLE: &'static #p::TableDef = &__CASSMODEL_TABLE;
                const CQL: &'static #p::ModelCql = &#p::ModelCql {
                    create_table: #create_table,
                    create_indexes: &[#(#create_indexes),*],
                    insert: #insert,
                    insert_if_not_exists: #insert_lwt,
                    insert_plain: #insert_plain,
                    select_by_primary_key: #select_pk,
                    select_by_partition: #select_part,
                    delete_row: #delete_row,
                    delete_partition: #delete_partition,
                };
                #qt_items
                #default_ttl
                type PrimaryKey = #pk_type;
                type PartitionKey = #part_type;

                fn bind_row(&self, binder: &mut #p::Binder<'_, '_>) -> #p::Result<(), #p::SerializationError> {
                    #(#bind_all)*
                    #p::Ok(())
                }

                fn bind_primary_key(&self, binder: &mut #p::Binder<'_, '_>) -> #p::Result<(), #p::SerializationError> {
                    #(#bind_key)*
                    #p::Ok(())
                }

                fn check_columns(checker: &mut #p::ColumnChecker<'_>) -> #p::Result<(), #p::TypeCheckError> {
                    #(#checks)*
                    #p::Ok(())
                }

                #[inline]
                fn read_row(reader: &mut #p::RowReader<'_, '_>) -> #p::Result<Self, #p::DeserializationError> {
                    #p::Ok(#ident { #(#inits,)* })
                }

                fn collect_user_types(out: &mut #p::Vec<&'static str>) {
                    #(<#udts as #p::UserType>::collect_user_types(out);)*
                    let _ = out;
                }
            }

            #compound
            #finders
            #qt_finders
            #columns_impl
        };
    }
}

/// The value bound for one column: the field, its JSON text, its counter wrapper, or the
/// compound key built from its source fields.
pub(super) fn bind_stmt(
    f: &Field<'_>,
    c: &ColumnDef,
    table: &TableDef,
    p: &TokenStream,
) -> TokenStream {
    let name = &*c.name;
    let ident = f.ident;
    if table.compound_keys.iter().any(|k| k.column == c.name) {
        let fn_name = format_ident!(
            "compute_{}",
            cassmodel_schema::ident::unraw(&ident.to_string())
        );
        return quote!(binder.bind(#name, &self.#fn_name())?;);
    }
    let value = if f.attrs.json.is_set() {
        if f.nullable {
            quote!(&match &self.#ident {
                ::core::option::Option::Some(v) => ::core::option::Option::Some(#p::json_encode(v)?),
                ::core::option::Option::None => ::core::option::Option::None,
            })
        } else {
            quote!(&#p::json_encode(&self.#ident)?)
        }
    } else if is_i64_counter(f, c) {
        if f.nullable {
            quote!(&::core::option::Option::map(self.#ident, #p::scylla::value::Counter))
        } else {
            quote!(&#p::scylla::value::Counter(self.#ident))
        }
    } else {
        quote!(&self.#ident)
    };
    quote!(binder.bind(#name, #value)?;)
}

fn is_i64_counter(f: &Field<'_>, c: &ColumnDef) -> bool {
    c.ty == CqlType::Counter
        && matches!(f.value_ty, syn::Type::Path(tp) if tp.path.segments.last().is_some_and(|s| s.ident == "i64"))
}

/// The Rust type the driver reads the column as.
fn read_type(f: &Field<'_>, p: &TokenStream) -> TokenStream {
    let c_ty = |inner: TokenStream| {
        if f.nullable {
            quote!(::core::option::Option<#inner>)
        } else {
            inner
        }
    };
    if f.attrs.json.is_set() {
        c_ty(quote!(#p::String))
    } else if f.cql.as_ref() == Some(&CqlType::Counter)
        && f.attrs.counter.is_set()
        && !is_counter_type(f.value_ty)
    {
        c_ty(quote!(#p::scylla::value::Counter))
    } else {
        let ty = f.ty;
        quote!(#ty)
    }
}

fn is_counter_type(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(tp) if tp.path.segments.last().is_some_and(|s| s.ident == "Counter"))
}

/// The expression that reads a column into the field.
fn read_expr(f: &Field<'_>, column: &str, p: &TokenStream) -> TokenStream {
    let ty = read_type(f, p);
    let get = quote!(reader.get::<#ty>(#column)?);
    let ident_ty = f.value_ty;
    if f.attrs.json.is_set() {
        if f.nullable {
            quote!(match #get {
                ::core::option::Option::Some(text) => ::core::option::Option::Some(#p::json_decode::<#ident_ty>(&text)?),
                ::core::option::Option::None => ::core::option::Option::None,
            })
        } else {
            quote!(#p::json_decode::<#ident_ty>(&#get)?)
        }
    } else if f.attrs.counter.is_set() && !is_counter_type(f.value_ty) {
        if f.nullable {
            quote!(::core::option::Option::map(#get, |c| c.0))
        } else {
            quote!(#get.0)
        }
    } else {
        get
    }
}

/// The Rust types of the user types inside a column, found by walking the CQL type and the
/// Rust type together (`list<frozen<address>>` with `Vec<Address>` gives `Address`).
pub(super) fn udt_types(cql: &CqlType, ty: &syn::Type, out: &mut Vec<syn::Type>) {
    let ty = cassmodel_schema::attr::rust_type::option_inner(ty).unwrap_or(ty);
    let args = |ty: &syn::Type| -> Vec<syn::Type> {
        match ty {
            syn::Type::Path(tp) => match tp.path.segments.last().map(|s| &s.arguments) {
                Some(syn::PathArguments::AngleBracketed(a)) => a
                    .args
                    .iter()
                    .filter_map(|g| match g {
                        syn::GenericArgument::Type(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            },
            syn::Type::Tuple(t) => t.elems.iter().cloned().collect(),
            _ => Vec::new(),
        }
    };
    match cql {
        CqlType::Udt(_) => out.push(ty.clone()),
        CqlType::Frozen(inner) => udt_types(inner, ty, out),
        CqlType::List(e) | CqlType::Set(e) => {
            if let Some(a) = args(ty).first() {
                udt_types(e, a, out);
            }
        }
        CqlType::Map(kv) => {
            if let [k, v] = args(ty).as_slice() {
                udt_types(&kv.0, k, out);
                udt_types(&kv.1, v, out);
            }
        }
        CqlType::Tuple(items) => {
            for (item, a) in items.iter().zip(args(ty)) {
                udt_types(item, &a, out);
            }
        }
        _ => {}
    }
}

/// `compute_<field>(&self) -> String` and `parse_<field>(&str) -> Option<[String; N]>` for
/// each compound key.
fn compound_helpers(model: &Model<'_>, table: &TableDef, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let mut items = Vec::new();
    for ck in table.compound_keys.iter() {
        let Some(field) = model
            .fields
            .iter()
            .find(|f| !f.is_skipped() && f.column == *ck.column)
        else {
            continue;
        };
        let base = cassmodel_schema::ident::unraw(&field.ident.to_string()).to_owned();
        let compute = format_ident!("compute_{}", base);
        let parse = format_ident!("parse_{}", base);
        let sources: Vec<&syn::Ident> = ck
            .fields
            .iter()
            .filter_map(|col| {
                model
                    .fields
                    .iter()
                    .find(|f| !f.is_skipped() && f.column == **col)
            })
            .map(|f| f.ident)
            .collect();
        let n = sources.len();
        let sep = &*ck.separator;
        let names = sources
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let compute_doc = format!(
            "The `{base}` key built from {names}, separated by `{sep}` (escaped inside values)."
        );
        let parse_doc = format!(
            "Splits a `{base}` key back into the values of {names}; `None` if it is malformed."
        );
        items.push(quote! {
            #[doc = #compute_doc]
            pub fn #compute(&self) -> #p::String {
                #p::schema::compound::join(&[#(&::std::string::ToString::to_string(&self.#sources)),*], #sep)
            }

            #[doc = #parse_doc]
            pub fn #parse(key: &str) -> #p::Option<[#p::String; #n]> {
                let parts = #p::schema::compound::split(key, #sep, #n)?;
                <[#p::String; #n] as ::core::convert::TryFrom<#p::Vec<#p::String>>>::try_from(parts).ok()
            }
        });
    }
    if items.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#items)*
        }
    }
}

/// `find_by_<field>(db, value)` for each field with a whole-value index: a paged stream of the rows whose
/// column equals `value`, through the runtime's `ModelExt::find_by_index`.
fn index_finders(model: &Model<'_>, table: &TableDef, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let finders = table.indexes.iter().filter_map(|index| {
        let field = model.fields.iter().find(|f| !f.is_skipped() && f.column == *index.column)?;
        // Collection indexes are queried with CONTAINS / CONTAINS KEY, which the query
        // builder covers; an equality finder only fits a whole-value index.
        if table.column(&index.column).is_some_and(|c| c.ty.is_collection()) {
            return None;
        }
        let base = cassmodel_schema::ident::unraw(&field.ident.to_string()).to_owned();
        let name = format_ident!("find_by_{}", base);
        let column = &*index.column;
        let ty = field.value_ty;
        let doc = format!(
            "The rows whose `{column}` equals `value`, through the secondary index `{}`, fetched page by page.",
            index.name
        );
        Some(quote! {
            #[doc = #doc]
            pub fn #name<'a>(db: &'a #p::Db, value: &'a #ty) -> #p::RowStream<'a, Self> {
                <Self as #p::ModelExt>::find_by_index(db, #column, value)
            }
        })
    });
    let finders: Vec<TokenStream> = finders.collect();
    if finders.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#finders)*
        }
    }
}
