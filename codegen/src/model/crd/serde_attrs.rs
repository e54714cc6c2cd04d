//! What a type's `#[serde(...)]` attributes do to its JSON form, as serde's derive reads them:
//! the schema must describe the JSON the user's own `Serialize` writes.

use proc_macro2::Span;
use syn::spanned::Spanned;

/// `rename_all = "…"`: serde's case conversions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    fn parse(name: &str) -> Option<RenameRule> {
        Some(match name {
            "lowercase" => RenameRule::Lower,
            "UPPERCASE" => RenameRule::Upper,
            "PascalCase" => RenameRule::Pascal,
            "camelCase" => RenameRule::Camel,
            "snake_case" => RenameRule::Snake,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnake,
            "kebab-case" => RenameRule::Kebab,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebab,
            _ => return None,
        })
    }

    /// A field's name (`snake_case` in Rust) under this rule.
    pub fn field(self, name: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => name.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => name.to_ascii_uppercase(),
            RenameRule::Pascal | RenameRule::Camel => {
                let mut out = String::new();
                let mut upper = self == RenameRule::Pascal;
                for c in name.chars() {
                    if c == '_' {
                        upper = true;
                    } else if upper {
                        out.extend(c.to_uppercase());
                        upper = false;
                    } else {
                        out.push(c);
                    }
                }
                out
            }
            RenameRule::Kebab => name.replace('_', "-"),
            RenameRule::ScreamingKebab => name.replace('_', "-").to_ascii_uppercase(),
        }
    }

    /// A variant's name (`PascalCase` in Rust) under this rule.
    pub fn variant(self, name: &str) -> String {
        match self {
            RenameRule::Pascal => name.to_owned(),
            RenameRule::Lower => name.to_ascii_lowercase(),
            RenameRule::Upper => name.to_ascii_uppercase(),
            RenameRule::Camel => {
                let mut chars = name.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_lowercase().chain(chars).collect()
                })
            }
            RenameRule::Snake
            | RenameRule::ScreamingSnake
            | RenameRule::Kebab
            | RenameRule::ScreamingKebab => {
                let mut snake = String::new();
                for (i, c) in name.char_indices() {
                    if c.is_uppercase() && i > 0 {
                        snake.push('_');
                    }
                    snake.extend(c.to_lowercase());
                }
                match self {
                    RenameRule::Snake => snake,
                    RenameRule::ScreamingSnake => snake.to_ascii_uppercase(),
                    RenameRule::Kebab => snake.replace('_', "-"),
                    _ => snake.replace('_', "-").to_ascii_uppercase(),
                }
            }
        }
    }
}

/// A struct's or enum's serde settings.
#[derive(Clone, Debug, Default)]
pub struct ContainerAttrs {
    pub rename_all: Option<RenameRule>,
    /// `#[serde(default)]`: every missing field takes the type's default.
    pub default: bool,
    pub tag: Option<String>,
    pub content: Option<String>,
    pub untagged: bool,
    pub transparent: bool,
}

/// A field's serde settings.
#[derive(Clone, Debug, Default)]
pub struct FieldAttrs {
    pub rename: Option<String>,
    pub default: bool,
    /// `skip`, or both `skip_serializing` and `skip_deserializing`: not part of the JSON.
    pub skip: bool,
    /// Written only sometimes (`skip_serializing_if`, `skip_serializing`).
    pub sometimes_skipped: bool,
    pub flatten: bool,
    /// `with`, `serialize_with`, `deserialize_with`: a JSON form the tool cannot see.
    pub custom: Option<(String, Span)>,
}

/// A variant's serde settings.
#[derive(Clone, Debug, Default)]
pub struct VariantAttrs {
    pub rename: Option<String>,
    pub skip: bool,
    pub custom: Option<(String, Span)>,
}

/// A problem with serde attributes that the schema cannot follow.
#[derive(Clone, Debug)]
pub struct AttrError {
    pub span: Span,
    pub message: String,
}

/// Calls `each` for every `name [= value]` inside the `#[serde(...)]` attributes.
fn each_meta(
    attrs: &[syn::Attribute],
    mut each: impl FnMut(&str, Option<String>, Span) -> Result<(), AttrError>,
) -> Result<(), AttrError> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let mut failure = None;
        let parsed = attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let span = meta.path.span();
            let value = if meta.input.peek(syn::Token![=]) {
                let expr: syn::Expr = meta.value()?.parse()?;
                match expr {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value()),
                    _ => Some(String::new()),
                }
            } else if meta.input.peek(syn::token::Paren) {
                // `rename(serialize = "a", deserialize = "b")`: the written name counts.
                let mut serialize = None;
                meta.parse_nested_meta(|inner| {
                    let value: syn::LitStr = inner.value()?.parse()?;
                    if inner.path.is_ident("serialize") {
                        serialize = Some(value.value());
                    }
                    Ok(())
                })?;
                serialize
            } else {
                None
            };
            if failure.is_none()
                && let Err(e) = each(&name, value, span)
            {
                failure = Some(e);
            }
            Ok(())
        });
        if let Some(e) = failure {
            return Err(e);
        }
        // An attribute serde itself cannot read does not compile: the compiler says why.
        let _ = parsed;
    }
    Ok(())
}

pub fn container(attrs: &[syn::Attribute]) -> Result<ContainerAttrs, AttrError> {
    let mut out = ContainerAttrs::default();
    each_meta(attrs, |name, value, span| {
        match name {
            "rename_all" => {
                let rule = value.as_deref().unwrap_or_default();
                out.rename_all = Some(RenameRule::parse(rule).ok_or_else(|| AttrError {
                    span,
                    message: format!("serde does not know the rename rule `{rule}`"),
                })?);
            }
            "default" => out.default = true,
            "tag" => out.tag = value,
            "content" => out.content = value,
            "untagged" => out.untagged = true,
            "transparent" => out.transparent = true,
            "from" | "try_from" | "into" | "remote" => {
                return Err(AttrError {
                    span,
                    message: format!(
                        "`#[serde({name} = …)]` gives the type another type's JSON form, which the schema cannot follow"
                    ),
                });
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

pub fn field(attrs: &[syn::Attribute]) -> Result<FieldAttrs, AttrError> {
    let mut out = FieldAttrs::default();
    let (mut skip_ser, mut skip_de) = (false, false);
    each_meta(attrs, |name, value, span| {
        match name {
            "rename" => out.rename = value,
            "default" => out.default = true,
            "skip" => out.skip = true,
            "skip_serializing" => skip_ser = true,
            "skip_deserializing" => skip_de = true,
            "skip_serializing_if" => out.sometimes_skipped = true,
            "flatten" => out.flatten = true,
            "with" | "serialize_with" | "deserialize_with" => {
                out.custom = Some((name.to_owned(), span));
            }
            _ => {}
        }
        Ok(())
    })?;
    if skip_ser && skip_de {
        out.skip = true;
    } else if skip_ser {
        out.sometimes_skipped = true;
    }
    if skip_de {
        // Read back as its default whatever was written.
        out.default = true;
    }
    Ok(out)
}

pub fn variant(attrs: &[syn::Attribute]) -> Result<VariantAttrs, AttrError> {
    let mut out = VariantAttrs::default();
    each_meta(attrs, |name, value, span| {
        match name {
            "rename" => out.rename = value,
            "skip" => out.skip = true,
            "with" | "serialize_with" | "deserialize_with" | "other" | "untagged" => {
                out.custom = Some((name.to_owned(), span));
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// The name serde gives a field: its rename, else the rule applied, else the identifier.
pub fn field_name(ident: &syn::Ident, attrs: &FieldAttrs, container: &ContainerAttrs) -> String {
    if let Some(rename) = &attrs.rename {
        return rename.clone();
    }
    let name = ident.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name);
    container
        .rename_all
        .map_or_else(|| name.to_owned(), |rule| rule.field(name))
}

/// The name serde gives a variant.
pub fn variant_name(
    ident: &syn::Ident,
    attrs: &VariantAttrs,
    container: &ContainerAttrs,
) -> String {
    if let Some(rename) = &attrs.rename {
        return rename.clone();
    }
    let name = ident.to_string();
    let name = name.strip_prefix("r#").unwrap_or(&name);
    container
        .rename_all
        .map_or_else(|| name.to_owned(), |rule| rule.variant(name))
}

/// The doc comment of an item, as a description: `///` lines joined, marker lines left out.
pub fn description(attrs: &[syn::Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            for line in s.value().lines() {
                let line = line.strip_prefix(' ').unwrap_or(line).trim_end();
                if !line.trim_start().starts_with('+') {
                    lines.push(line.to_owned());
                }
            }
        }
    }
    let text = lines.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_rules_follow_serde() {
        assert_eq!(
            RenameRule::Camel.field("observed_generation"),
            "observedGeneration"
        );
        assert_eq!(RenameRule::Pascal.field("a_b"), "AB");
        assert_eq!(RenameRule::ScreamingKebab.field("a_b"), "A-B");
        assert_eq!(RenameRule::Camel.variant("RedBlue"), "redBlue");
        assert_eq!(RenameRule::Snake.variant("RedBlue"), "red_blue");
        assert_eq!(RenameRule::Kebab.variant("RedBlue"), "red-blue");
        assert_eq!(RenameRule::Lower.variant("RedBlue"), "redblue");
    }

    #[test]
    fn reads_field_and_container_attributes() {
        let item: syn::ItemStruct = syn::parse_quote! {
            #[serde(rename_all = "camelCase", default)]
            struct A {
                #[serde(rename = "x-y", skip_serializing_if = "Option::is_none")]
                a: Option<u8>,
                #[serde(skip_serializing, skip_deserializing)]
                b: u8,
                #[serde(with = "m")]
                c: u8,
                r#type: u8,
            }
        };
        let c = container(&item.attrs).expect("readable");
        assert_eq!(c.rename_all, Some(RenameRule::Camel));
        assert!(c.default);
        let fields: Vec<FieldAttrs> = item
            .fields
            .iter()
            .map(|f| field(&f.attrs).expect("readable"))
            .collect();
        assert_eq!(fields[0].rename.as_deref(), Some("x-y"));
        assert!(fields[0].sometimes_skipped);
        assert!(fields[1].skip);
        assert!(fields[2].custom.is_some());
        let idents: Vec<String> = item
            .fields
            .iter()
            .zip(&fields)
            .filter_map(|(f, a)| f.ident.as_ref().map(|i| field_name(i, a, &c)))
            .collect();
        assert_eq!(idents, ["x-y", "b", "c", "type"]);
    }
}
