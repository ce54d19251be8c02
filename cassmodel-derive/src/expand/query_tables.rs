//! Query tables (`#[cassmodel(query_table(..))]`): the `Model::QUERY_TABLES` entries
//! (each query table's definition in a `static` and its statements rendered now), the
//! `Model::bind_column` the runtime binds their keys with, and per query table a finder
//! (`find_<query table>`) and a clustering-slice builder (`slice_<query table>`).

use cassmodel_schema::attr::{Field, Model};
use cassmodel_schema::render::{self, InsertKind};
use cassmodel_schema::{ColumnDef, TableDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::tokens::SchemaTokens;

/// What a model's query tables add to its expansion.
pub struct Expansion {
    /// `static`s holding each query table's `TableDef` (inside the `const _` block).
    pub statics: TokenStream,
    /// The `QUERY_TABLES` and `bind_column` items of the `Model` impl.
    pub items: TokenStream,
    /// An inherent impl with the finders.
    pub finders: TokenStream,
}

/// The expansion for `table`'s query tables; `columns` pairs each column with its field,
/// `bind` gives the statement binding one column (as `bind_row` does).
pub fn expand(
    model: &Model<'_>,
    table: &TableDef,
    columns: &[(&Field<'_>, &ColumnDef)],
    bind: impl Fn(&Field<'_>, &ColumnDef) -> TokenStream,
    p: &TokenStream,
) -> Expansion {
    let defs = table.query_table_defs();
    if defs.is_empty() {
        return Expansion {
            statics: TokenStream::new(),
            items: TokenStream::new(),
            finders: TokenStream::new(),
        };
    }
    let base_key: Vec<&str> = table.primary_key().iter().map(|c| &*c.name).collect();
    let mut statics = Vec::new();
    let mut entries = Vec::new();
    let mut finders = Vec::new();
    for (i, def) in defs.iter().enumerate() {
        let static_ident = format_ident!("__CASSMODEL_QUERY_TABLE_{}", i);
        let def_expr = SchemaTokens { p }.table(def);
        statics.push(quote!(static #static_ident: #p::TableDef = #def_expr;));
        let create_table = render::create_table(def, true);
        let insert = render::insert(def, InsertKind::Upsert);
        let select = render::select_by_partition(def);
        let delete = render::delete_row(def);
        let key: Vec<&str> = def.primary_key().iter().map(|c| &*c.name).collect();
        let keyed_by_base = key.iter().all(|c| base_key.contains(c));
        entries.push(quote! {
            #p::QueryTableCql {
                table: &#static_ident,
                create_table: #create_table,
                insert: #insert,
                select_by_partition: #select,
                delete_row: #delete,
                primary_key: &[#(#key),*],
                keyed_by_base: #keyed_by_base,
            }
        });
        finders.push(finder(i, def, columns, p));
    }
    let arms = columns.iter().map(|(f, c)| {
        let name = &*c.name;
        let stmt = bind(f, c);
        quote!(#name => { #stmt #p::Ok(()) })
    });
    let ident = model.ident;
    Expansion {
        statics: quote!(#(#statics)*),
        items: quote! {
            const QUERY_TABLES: &'static [#p::QueryTableCql] = &[#(#entries),*];

            fn bind_column(&self, column: &str, binder: &mut #p::Binder<'_, '_>) -> #p::Result<(), #p::SerializationError> {
                match column {
                    #(#arms)*
                    _ => #p::Err(#p::no_such_column(<Self as #p::Model>::TABLE, column)),
                }
            }
        },
        finders: quote! {
            #[automatically_derived]
            impl #ident {
                #(#finders)*
            }
        },
    }
}

/// `find_<query table>(db, partition key values...)`: the rows whose copies are in that
/// partition of the query table, paged, in the query table's clustering order; and
/// `slice_<query table>(db, partition key values...)`: a `SliceQuery` on that partition
/// (clustering equalities, one range, reverse order, limit).
fn finder(
    i: usize,
    def: &TableDef,
    columns: &[(&Field<'_>, &ColumnDef)],
    p: &TokenStream,
) -> TokenStream {
    let name = format_ident!("find_{}", def.name.to_ascii_lowercase());
    let params: Vec<(syn::Ident, &syn::Type)> = def
        .partition_key()
        .iter()
        .filter_map(|c| columns.iter().find(|(_, col)| col.name == c.name))
        .map(|(f, _)| {
            let base = cassmodel_schema::ident::unraw(&f.ident.to_string()).to_owned();
            let ident = if base == "db" {
                format_ident!("db_")
            } else {
                f.ident.clone()
            };
            (ident, f.value_ty)
        })
        .collect();
    let names: Vec<&syn::Ident> = params.iter().map(|(n, _)| n).collect();
    let types: Vec<&syn::Type> = params.iter().map(|(_, t)| *t).collect();
    let pk: Vec<String> = def
        .partition_key()
        .iter()
        .map(|c| format!("`{}`", c.name))
        .collect();
    let ck: Vec<String> = def
        .clustering_key()
        .iter()
        .map(|c| format!("`{}`", c.name))
        .collect();
    let order = if ck.is_empty() {
        String::new()
    } else {
        format!(", ordered by {}", ck.join(", "))
    };
    let doc = format!(
        "The rows whose {} equal the given values, read from the query table `{}` (a copy of \
         this model's table partitioned by {}{order}), fetched page by page. The copies are \
         written with every insert, update and delete of the model, in the same logged batch.",
        pk.join(", "),
        def.name,
        pk.join(", "),
    );
    let slice_name = format_ident!("slice_{}", def.name.to_ascii_lowercase());
    let slice_doc = if ck.is_empty() {
        format!(
            "A slice of one partition of the query table `{}`. It has no clustering column, \
             so only `limit` (and `options`) apply; a range or equality is an error \
             (`ReadError::BadSlice`) when the stream is read.",
            def.name
        )
    } else {
        format!(
            "A clustering slice of the partition of the query table `{}` whose {} equal the \
             given values: `eq` fixes its clustering columns {} from the first on, \
             `gt`/`gte`/`lt`/`lte` bound the next one, `reverse` and `limit` as for the \
             model's own `slice`.",
            def.name,
            pk.join(", "),
            ck.join(", "),
        )
    };
    quote! {
        #[doc = #doc]
        pub fn #name<'a>(db: &'a #p::Db, #(#names: &'a #types),*) -> #p::RowStream<'a, Self> {
            #p::find_in_query_table::<Self, _>(
                db,
                &<Self as #p::Model>::QUERY_TABLES[#i],
                (#(#names,)*),
                <#p::ReadOptions as ::core::default::Default>::default(),
            )
        }

        #[doc = #slice_doc]
        pub fn #slice_name<'a>(
            db: &'a #p::Db,
            #(#names: &'a #types),*
        ) -> #p::SliceQuery<'a, Self, (#(&'a #types,)*)> {
            #p::SliceQuery::in_query_table(
                db,
                &<Self as #p::Model>::QUERY_TABLES[#i],
                (#(#names,)*),
            )
        }
    }
}
