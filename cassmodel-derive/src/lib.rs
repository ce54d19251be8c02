//! `#[derive(Model)]` and `#[derive(UserType)]` for cassmodel: parse → validate → expand.
//! All model knowledge lives in `cassmodel-schema`; this crate only turns it into code.
