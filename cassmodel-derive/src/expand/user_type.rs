//! The `UserType` impl: the type's name and `CREATE TYPE` rendered now, the nested user
//! types it needs, and its definition as a `static`.

use cassmodel_schema::UserTypeDef;
use cassmodel_schema::attr::Model;
use cassmodel_schema::render;
use proc_macro2::TokenStream;
use quote::quote;

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
    quote! {
        const _: () = {
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
