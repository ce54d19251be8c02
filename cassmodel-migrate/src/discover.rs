//! Finds the models in a crate's sources: every `.rs` file under the given folders (skipping
//! `target/` and hidden folders) is parsed with `syn::parse_file`, and every struct deriving
//! `Model` or `UserType` (also spelled `cassmodel::Model`), at any depth of inline modules,
//! goes through cassmodel-schema's attribute parser — the code the derive runs — so
//! migrate accepts exactly what the derive accepts. Problems are `file:line: message`.

use std::path::{Path, PathBuf};

use cassmodel_schema::{TableDef, UserTypeDef};
use syn::punctuated::Punctuated;

use crate::error::{Error, SourceError};

/// A definition and where it was declared.
#[derive(Debug, Clone)]
pub struct Found<T> {
    /// The definition.
    pub def: T,
    /// The file.
    pub file: PathBuf,
    /// 1-based line of the struct.
    pub line: usize,
}

/// Everything the sources declare.
#[derive(Debug, Clone, Default)]
pub struct Models {
    /// `#[derive(Model)]` structs.
    pub tables: Vec<Found<TableDef>>,
    /// `#[derive(UserType)]` structs.
    pub types: Vec<Found<UserTypeDef>>,
}

/// The `.rs` files under `root`, sorted, skipping `target/` and hidden folders.
pub fn rust_files(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if dir.is_file() {
            out.push(dir);
            continue;
        }
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| Error::Usage(format!("cannot read {}: {e}", dir.display())))?;
        for entry in entries {
            let entry =
                entry.map_err(|e| Error::Usage(format!("cannot read {}: {e}", dir.display())))?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if path.is_dir() {
                if name != "target" && !name.starts_with('.') {
                    stack.push(path);
                }
            } else if name.ends_with(".rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Model,
    UserType,
}

/// Which cassmodel derive a struct has, if any.
fn derive_kind(attrs: &[syn::Attribute]) -> Option<Kind> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        for path in paths {
            let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            let ours = segs.len() == 1 || (segs.len() == 2 && segs[0] == "cassmodel");
            match segs.last().map(String::as_str) {
                Some("Model") if ours => return Some(Kind::Model),
                Some("UserType") if ours => return Some(Kind::UserType),
                _ => {}
            }
        }
    }
    None
}

fn line_of(span: proc_macro2::Span) -> usize {
    span.start().line
}

fn visit(items: &[syn::Item], file: &Path, models: &mut Models, errors: &mut Vec<SourceError>) {
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                let Some(kind) = derive_kind(&s.attrs) else {
                    continue;
                };
                let line = line_of(s.ident.span());
                let push_errors = |err: syn::Error, errors: &mut Vec<SourceError>| {
                    for e in err {
                        errors.push(SourceError {
                            file: file.to_path_buf(),
                            line: line_of(e.span()),
                            message: e.to_string(),
                        });
                    }
                };
                match kind {
                    Kind::Model => match cassmodel_schema::attr::table_of_item(s) {
                        Ok(def) => models.tables.push(Found {
                            def,
                            file: file.to_path_buf(),
                            line,
                        }),
                        Err(e) => push_errors(e, errors),
                    },
                    Kind::UserType => match cassmodel_schema::attr::user_type_of_item(s) {
                        Ok(def) => models.types.push(Found {
                            def,
                            file: file.to_path_buf(),
                            line,
                        }),
                        Err(e) => push_errors(e, errors),
                    },
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    visit(inner, file, models, errors);
                }
            }
            _ => {}
        }
    }
}

/// Parses one file's source text into `models`, recording problems.
pub fn discover_source(
    file: &Path,
    source: &str,
    models: &mut Models,
    errors: &mut Vec<SourceError>,
) {
    match syn::parse_file(source) {
        Ok(ast) => visit(&ast.items, file, models, errors),
        Err(e) => errors.push(SourceError {
            file: file.to_path_buf(),
            line: line_of(e.span()),
            message: e.to_string(),
        }),
    }
}

fn duplicates<T>(found: &[Found<T>], name: impl Fn(&T) -> &str, what: &str) -> Vec<SourceError> {
    let mut errors = Vec::new();
    for (i, a) in found.iter().enumerate() {
        if let Some(b) = found[..i].iter().find(|b| name(&b.def) == name(&a.def)) {
            errors.push(SourceError {
                file: a.file.clone(),
                line: a.line,
                message: format!(
                    "{what} `{}` is already declared at {}:{}",
                    name(&a.def),
                    b.file.display(),
                    b.line
                ),
            });
        }
    }
    errors
}

/// The models under `roots`: every problem at once, or all the definitions.
pub fn discover(roots: &[PathBuf]) -> Result<Models, Error> {
    let mut models = Models::default();
    let mut errors = Vec::new();
    for root in roots {
        if !root.exists() {
            return Err(Error::Usage(format!(
                "source folder {} does not exist (give it with --path)",
                root.display()
            )));
        }
        for file in rust_files(root)? {
            let source = std::fs::read_to_string(&file)
                .map_err(|e| Error::Usage(format!("cannot read {}: {e}", file.display())))?;
            discover_source(&file, &source, &mut models, &mut errors);
        }
    }
    errors.extend(duplicates(&models.tables, |t| &t.name, "table"));
    errors.extend(duplicates(&models.types, |t| &t.name, "user type"));
    if errors.is_empty() {
        Ok(models)
    } else {
        Err(Error::Sources(errors))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn run(src: &str) -> (Models, Vec<SourceError>) {
        let mut models = Models::default();
        let mut errors = Vec::new();
        discover_source(Path::new("m.rs"), src, &mut models, &mut errors);
        (models, errors)
    }

    #[test]
    fn finds_models_in_inline_modules_under_any_spelling() {
        let (models, errors) = run(r#"
            use cassmodel::Model;
            #[derive(Model, Debug)]
            struct User { #[cassmodel(partition_key)] username: String, password: String }
            mod inner {
                mod deeper {
                    #[derive(Debug, cassmodel::Model)]
                    pub struct Tweet { #[cassmodel(partition_key)] id: uuid::Uuid, body: String }
                    #[derive(cassmodel::UserType)]
                    pub struct Address { street: String }
                }
            }
            #[derive(Debug, other::Model)]
            struct NotOurs { x: i32 }
        "#);
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<&str> = models.tables.iter().map(|t| &*t.def.name).collect();
        assert_eq!(names, vec!["user", "tweet"]);
        assert_eq!(models.types.len(), 1);
        assert_eq!(models.tables[0].line, 4);
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let (_, errors) = run("struct A {\n  x: i32,\n  y: \n}\nfn (");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].line >= 3, "{:?}", errors[0]);
        assert!(errors[0].to_string().starts_with("m.rs:"));
    }

    #[test]
    fn models_the_derive_rejects_are_errors_at_their_line() {
        let (models, errors) =
            run("\n#[derive(Model)]\nstruct NoKey {\n  #[cassmodel(partiton_key)]\n  a: i32,\n}\n");
        assert!(models.tables.is_empty());
        assert!(!errors.is_empty());
        assert_eq!(errors[0].line, 4, "{errors:?}");
    }
}
