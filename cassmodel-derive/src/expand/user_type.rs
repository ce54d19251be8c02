//! The `UserType` impl: the type's name and `CREATE TYPE` rendered now, the nested user
//! types it needs, and its definition as a `static`.

use cassmodel_schema::UserTypeDef;
use cassmodel_schema::attr::{Field, Model};
use cassmodel_schema::render;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::tokens::SchemaTokens;

/// Expands a checked user type.
pub fn expand(model: &Model<'_>, udt: &UserTypeDef, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let type_name = cassmodel_schema::ident::quote(&udt.name);
    let create = render::create_type(udt, true);
    let def = SchemaTokens { p }.user_type(udt);
    let mut nested = Vec::new();
    for (f, (_, ty)) in model
        .fields
        .iter()
        .filter(|f| !f.is_skipped())
        .zip(udt.fields.iter())
    {
        if f.attrs.ty.is_set() && !f.attrs.json.is_set() {
            super::model::udt_types(ty, f.value_ty, &mut nested);
        }
    }
    let fields: Vec<(&Field<'_>, &str)> = model
        .fields
        .iter()
        .filter(|f| !f.is_skipped())
        .zip(udt.fields.iter())
        .map(|(f, (n, _))| (f, &**n))
        .collect();
    let json_locals = fields
        .iter()
        .filter(|(f, _)| f.attrs.json.is_set())
        .map(|(f, _)| {
            let ident = f.ident;
            let local = format_ident!("__json_{}", ident);
            quote!(let #local = #p::json_encode(&self.#ident)?;)
        });
    let ser_fields = fields.iter().map(|(f, name)| {
        let ident = f.ident;
        if f.attrs.json.is_set() {
            let local = format_ident!("__json_{}", ident);
            quote!((#name, &#local as &dyn #p::SerializeValue))
        } else {
            quote!((#name, &self.#ident as &dyn #p::SerializeValue))
        }
    });
    let checks = fields.iter().map(|(f, name)| {
        let ty = if f.attrs.json.is_set() {
            quote!(#p::String)
        } else {
            let t = f.ty;
            quote!(#t)
        };
        quote!((#name, <#ty as #p::DeserializeValue<'_, '_>>::type_check as #p::FieldTypeCheck))
    });
    let inits = model.fields.iter().map(|f| {
        let ident = f.ident;
        match fields.iter().find(|(g, _)| g.ident == f.ident) {
            Some((_, name)) if f.attrs.json.is_set() => {
                let ty = f.ty;
                quote!(#ident: #p::json_decode::<#ty>(&reader.get::<#p::String>(#name)?)?)
            }
            Some((_, name)) => {
                let ty = f.ty;
                quote!(#ident: reader.get::<#ty>(#name)?)
            }
            None => quote!(#ident: ::core::default::Default::default()),
        }
    });
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #p::SerializeValue for #ident {
                fn serialize<'b>(
                    &self,
                    typ: &#p::ColumnType<'_>,
                    writer: #p::CellWriter<'b>,
                ) -> #p::Result<#p::WrittenCellProof<'b>, #p::SerializationError> {
                    #(#json_locals)*
                    #p::serialize_udt(::core::any::type_name::<Self>(), typ, writer, &[#(#ser_fields),*])
                }
            }

            #[automatically_derived]
            impl<'f, 'm> #p::DeserializeValue<'f, 'm> for #ident {
                fn type_check(typ: &#p::ColumnType<'_>) -> #p::Result<(), #p::TypeCheckError> {
                    #p::udt_type_check(::core::any::type_name::<Self>(), typ, &[#(#checks),*])
                }

                fn deserialize(
                    typ: &'m #p::ColumnType<'m>,
                    value: #p::Option<#p::FrameSlice<'f>>,
                ) -> #p::Result<Self, #p::DeserializationError> {
                    let reader = #p::UdtReader::new(typ, value)?;
                    #p::Ok(#ident { #(#inits,)* })
                }
            }

            static __CASSMODEL_TYPE: #p::schema::UserTypeDef = #def;

            #[automatically_derived]
            impl #p::UserType for #ident {
                const TYPE_NAME: &'static str = #type_name;
                const CREATE_TYPE: &'static str = #create;

                fn collect_user_types(out: &mut #p::Vec<&'static str>) {
                    #(<#nested as #p::UserType>::collect_user_types(out);)*
                    out.push(#create);
                }
            }

            #[automatically_derived]
            impl #ident {
                /// The CQL definition of this user type.
                pub const USER_TYPE_DEF: &'static #p::schema::UserTypeDef = &__CASSMODEL_TYPE;
            }
        };
    }
}
