//! Schema values (`TableDef`, `CqlType`, ...) as Rust expressions that build them in a
//! `static`, borrowing literals: what `Model::TABLE` points to.

use cassmodel_schema::{
    ColumnDef, ColumnKind, CompoundKeyDef, CqlType, IndexDef, IndexTarget, Order, QueryTableDef,
    TableDef, TableOptions, UserTypeDef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// Builds schema expressions under the runtime path `p` (`::cassmodel::__private`).
pub struct SchemaTokens<'a> {
    /// The runtime's `__private` path.
    pub p: &'a TokenStream,
}

impl SchemaTokens<'_> {
    fn s(&self, text: &str) -> TokenStream {
        let p = self.p;
        quote!(#p::schema::Str::Borrowed(#text))
    }

    fn opt_s(&self, text: Option<&str>) -> TokenStream {
        match text {
            Some(t) => {
                let s = self.s(t);
                quote!(::core::option::Option::Some(#s))
            }
            None => quote!(::core::option::Option::None),
        }
    }

    fn list(&self, items: Vec<TokenStream>) -> TokenStream {
        let p = self.p;
        quote!(#p::schema::List::Borrowed(&[#(#items),*]))
    }

    fn strs<'s>(&self, items: impl Iterator<Item = &'s str>) -> TokenStream {
        self.list(items.map(|i| self.s(i)).collect())
    }

    /// `CqlType::...`, nested types borrowed as `Shared::Static(&..)`.
    pub fn cql_type(&self, ty: &CqlType) -> TokenStream {
        let p = self.p;
        let t = quote!(#p::schema::CqlType);
        let shared = |inner: TokenStream| quote!(#p::schema::Shared::Static(&#inner));
        match ty {
            CqlType::Ascii => quote!(#t::Ascii),
            CqlType::BigInt => quote!(#t::BigInt),
            CqlType::Blob => quote!(#t::Blob),
            CqlType::Boolean => quote!(#t::Boolean),
            CqlType::Counter => quote!(#t::Counter),
            CqlType::Date => quote!(#t::Date),
            CqlType::Decimal => quote!(#t::Decimal),
            CqlType::Double => quote!(#t::Double),
            CqlType::Duration => quote!(#t::Duration),
            CqlType::Float => quote!(#t::Float),
            CqlType::Inet => quote!(#t::Inet),
            CqlType::Int => quote!(#t::Int),
            CqlType::SmallInt => quote!(#t::SmallInt),
            CqlType::Text => quote!(#t::Text),
            CqlType::Time => quote!(#t::Time),
            CqlType::Timestamp => quote!(#t::Timestamp),
            CqlType::TimeUuid => quote!(#t::TimeUuid),
            CqlType::TinyInt => quote!(#t::TinyInt),
            CqlType::Uuid => quote!(#t::Uuid),
            CqlType::VarInt => quote!(#t::VarInt),
            CqlType::List(e) => {
                let e = shared(self.cql_type(e));
                quote!(#t::List(#e))
            }
            CqlType::Set(e) => {
                let e = shared(self.cql_type(e));
                quote!(#t::Set(#e))
            }
            CqlType::Frozen(e) => {
                let e = shared(self.cql_type(e));
                quote!(#t::Frozen(#e))
            }
            CqlType::Map(kv) => {
                let k = self.cql_type(&kv.0);
                let v = self.cql_type(&kv.1);
                let kv = shared(quote!((#k, #v)));
                quote!(#t::Map(#kv))
            }
            CqlType::Tuple(items) => {
                let items = self.list(items.iter().map(|i| self.cql_type(i)).collect());
                quote!(#t::Tuple(#items))
            }
            CqlType::Udt(name) => {
                let name = self.s(name);
                quote!(#t::Udt(#name))
            }
        }
    }

    fn column(&self, col: &ColumnDef) -> TokenStream {
        let p = self.p;
        let name = self.s(&col.name);
        let ty = self.cql_type(&col.ty);
        let kind = match col.kind {
            ColumnKind::PartitionKey(pos) => quote!(#p::ColumnKind::PartitionKey(#pos)),
            ColumnKind::Clustering(pos, Order::Asc) => {
                quote!(#p::ColumnKind::Clustering(#pos, #p::Order::Asc))
            }
            ColumnKind::Clustering(pos, Order::Desc) => {
                quote!(#p::ColumnKind::Clustering(#pos, #p::Order::Desc))
            }
            ColumnKind::Static => quote!(#p::ColumnKind::Static),
            ColumnKind::Regular => quote!(#p::ColumnKind::Regular),
        };
        quote!(#p::ColumnDef { name: #name, ty: #ty, kind: #kind })
    }

    fn index(&self, idx: &IndexDef) -> TokenStream {
        let p = self.p;
        let name = self.s(&idx.name);
        let column = self.s(&idx.column);
        let target = match idx.target {
            IndexTarget::Values => quote!(Values),
            IndexTarget::Keys => quote!(Keys),
            IndexTarget::Entries => quote!(Entries),
            IndexTarget::Full => quote!(Full),
        };
        quote!(#p::IndexDef { name: #name, column: #column, target: #p::schema::IndexTarget::#target })
    }

    fn options(&self, o: &TableOptions) -> TokenStream {
        let p = self.p;
        let int = |v: Option<i32>| match v {
            Some(v) => quote!(::core::option::Option::Some(#v)),
            None => quote!(::core::option::Option::None),
        };
        let ttl = int(o.default_time_to_live);
        let gc = int(o.gc_grace_seconds);
        let flush = int(o.memtable_flush_period_in_ms);
        let comment = self.opt_s(o.comment.as_deref());
        let compaction = self.opt_s(o.compaction.as_deref());
        let compression = self.opt_s(o.compression.as_deref());
        let caching = self.opt_s(o.caching.as_deref());
        let fp = self.opt_s(o.bloom_filter_fp_chance.as_deref());
        let retry = self.opt_s(o.speculative_retry.as_deref());
        let other = self.list(
            o.other
                .iter()
                .map(|(k, v)| {
                    let (k, v) = (self.s(k), self.s(v));
                    quote!((#k, #v))
                })
                .collect(),
        );
        quote!(#p::TableOptions {
            default_time_to_live: #ttl,
            comment: #comment,
            compaction: #compaction,
            compression: #compression,
            caching: #caching,
            gc_grace_seconds: #gc,
            bloom_filter_fp_chance: #fp,
            speculative_retry: #retry,
            memtable_flush_period_in_ms: #flush,
            other: #other,
        })
    }

    fn compound_key(&self, ck: &CompoundKeyDef) -> TokenStream {
        let p = self.p;
        let column = self.s(&ck.column);
        let fields = self.strs(ck.fields.iter().map(|f| &**f));
        let sep = self.s(&ck.separator);
        quote!(#p::schema::CompoundKeyDef { column: #column, fields: #fields, separator: #sep })
    }

    fn query_table(&self, qt: &QueryTableDef) -> TokenStream {
        let p = self.p;
        let name = self.s(&qt.name);
        let pk = self.strs(qt.partition_key.iter().map(|f| &**f));
        let ck = self.strs(qt.clustering_key.iter().map(|f| &**f));
        quote!(#p::schema::QueryTableDef { name: #name, partition_key: #pk, clustering_key: #ck })
    }

    /// A `TableDef { .. }` expression.
    pub fn table(&self, t: &TableDef) -> TokenStream {
        let p = self.p;
        let name = self.s(&t.name);
        let columns = self.list(t.columns.iter().map(|c| self.column(c)).collect());
        let indexes = self.list(t.indexes.iter().map(|i| self.index(i)).collect());
        let options = self.options(&t.options);
        let compound = self.list(
            t.compound_keys
                .iter()
                .map(|c| self.compound_key(c))
                .collect(),
        );
        let qts = self.list(t.query_tables.iter().map(|q| self.query_table(q)).collect());
        quote!(#p::TableDef {
            name: #name,
            columns: #columns,
            indexes: #indexes,
            options: #options,
            compound_keys: #compound,
            query_tables: #qts,
        })
    }

    /// A `UserTypeDef { .. }` expression.
    pub fn user_type(&self, u: &UserTypeDef) -> TokenStream {
        let p = self.p;
        let name = self.s(&u.name);
        let fields = self.list(
            u.fields
                .iter()
                .map(|(n, t)| {
                    let n = self.s(n);
                    let t = self.cql_type(t);
                    quote!((#n, #t))
                })
                .collect(),
        );
        quote!(#p::schema::UserTypeDef { name: #name, fields: #fields })
    }
}
