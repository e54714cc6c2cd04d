//! The types of one package: their shapes, copy plans and client settings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::Span;
use syn::punctuated::Punctuated;

use super::client::ClientSpec;
use super::copy_plan::{self, CopyPlan};
use super::interpret::{PackageMarkers, TypeMarkers};
use super::naming::{group_rust_name, is_kube_version};
use super::placement::{Layout, TypeItem, keyword_line};
use super::{Package, PlacedMarkers, declaration, kind, type_markers};
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, module_path};

/// A struct or enum of a package, as generators see it.
#[derive(Clone, Debug)]
pub struct TypeDef {
    pub ident: syn::Ident,
    /// Modules from the version module down to the type (empty when declared in it).
    pub module_path: Vec<syn::Ident>,
    /// Code outside the API crate can name the type through `module_path` (its first module is
    /// `pub`); otherwise only through a re-export in the version module.
    pub module_path_public: bool,
    pub generics: syn::Generics,
    pub shape: Shape,
    /// Generate `Clone` (deep copy) for it.
    pub deepcopy: bool,
    /// Also implement `kube_codegen_runtime::Object`.
    pub object_interface: bool,
    pub client: Option<ClientSpec>,
}

#[derive(Clone, Debug)]
pub enum Shape {
    Struct(Fields),
    Enum(Vec<Variant>),
}

#[derive(Clone, Debug)]
pub struct Variant {
    pub ident: syn::Ident,
    pub fields: Fields,
}

#[derive(Clone, Debug)]
pub enum Fields {
    Named(Vec<Field>),
    Unnamed(Vec<Field>),
    Unit,
}

impl Fields {
    pub fn iter(&self) -> std::slice::Iter<'_, Field> {
        match self {
            Fields::Named(f) | Fields::Unnamed(f) => f.iter(),
            Fields::Unit => [].iter(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Field {
    /// `None` for tuple fields.
    pub ident: Option<syn::Ident>,
    pub ty: syn::Type,
    /// How to deep-copy it (`CloneFrom` for types that are not deep-copied).
    pub plan: CopyPlan,
}

/// Locations of errors found while reading one file's types.
pub(super) struct FileErrors<'a> {
    pub file: &'a SourceFile,
    pub errors: Vec<Diagnostic>,
}

impl FileErrors<'_> {
    pub fn at_span(&mut self, span: Span, width: usize, message: String, help: impl Into<String>) {
        let start = span.start();
        self.errors.push(
            Diagnostic::new(&self.file.rel, message)
                .at(start.line, start.column + 1)
                .width(width)
                .help(help),
        );
    }
}

/// Characters a span covers on its first line (at least 1).
fn span_width(span: Span) -> usize {
    let (start, end) = (span.start(), span.end());
    if start.line == end.line {
        end.column.saturating_sub(start.column).max(1)
    } else {
        1
    }
}

pub(super) fn build_package(
    file: &SourceFile,
    settings: &PackageMarkers,
    members: &[&SourceFile],
    placed: &BTreeMap<&Path, PlacedMarkers>,
) -> Result<Package, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    // The marker that made this file a version module: package-wide errors point at it.
    let anchor = placed
        .get(file.path.as_path())
        .and_then(|p| p.package.first());
    let at_anchor = |d: Diagnostic| match anchor {
        Some(m) => d.at(m.line, m.column).width(m.width),
        None => d.at(1, 1),
    };
    let version = match &settings.version {
        Some(v) => v.clone(),
        None if is_kube_version(&file.module_name()) => file.module_name(),
        None => {
            errors.push(
                at_anchor(Diagnostic::new(
                    &file.rel,
                    format!(
                        "module `{}` is not named like a Kubernetes API version",
                        file.module_name()
                    ),
                ))
                .help("rename the module (`v1`, `v1beta1`, `v1alpha1`…) or add `// +versionName=v1` above its first item"),
            );
            String::new()
        }
    };
    if let Err(e) = declaration::check_output_declared(file, settings.group.is_some()) {
        // A missing declaration has no place of its own: point at the package markers.
        errors.push(if e.position.is_none() {
            at_anchor(e)
        } else {
            e
        });
    }

    let empty = PlacedMarkers::default();
    let mut types = Vec::new();
    // Types that implement or derive `Clone` by hand, by name, anywhere in the package.
    let mut hand_clones: BTreeSet<String> = BTreeSet::new();
    let mut parsed: Vec<(&SourceFile, &syn::File)> = Vec::new();
    for member in members {
        match member.syntax() {
            Ok(syntax) => {
                collect_clone_impls(&syntax.items, &mut hand_clones);
                parsed.push((member, syntax));
            }
            Err(e) => errors.push(e),
        }
    }
    let public_modules: BTreeSet<String> = parsed
        .iter()
        .find(|(m, _)| m.path == file.path)
        .map(|(_, syntax)| {
            syntax
                .items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Mod(m) if matches!(m.vis, syn::Visibility::Public(_)) => {
                        Some(m.ident.to_string())
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    for (member, syntax) in parsed {
        let markers = placed.get(member.path.as_path()).unwrap_or(&empty);
        let names = module_path(&file.child_module_dir(), &member.path);
        let Some(module_path) = names
            .iter()
            .map(|m| syn::parse_str::<syn::Ident>(m).ok())
            .collect::<Option<Vec<syn::Ident>>>()
        else {
            errors.push(
                Diagnostic::new(&member.rel, "this file's path is not a Rust module path")
                    .help("files of an API package must be modules: rename the file or directory to a Rust identifier (`my_types.rs`, not `my-types.rs`)"),
            );
            continue;
        };
        let layout = Layout::of(syntax);
        let mut fe = FileErrors {
            file: member,
            errors: Vec::new(),
        };
        for item in &layout.types {
            let marks = markers.for_type(keyword_line(item.item), &item.ident.to_string());
            let (tm, mut e) = type_markers(member, marks);
            fe.errors.append(&mut e);
            if let (None, Some(m)) = (&settings.group, &tm.genclient) {
                fe.errors.push(
                    Diagnostic::new(
                        &member.rel,
                        format!(
                            "`{}` has `+genclient` but the package has no `+groupName`",
                            item.ident
                        ),
                    )
                    .at(m.line, m.column)
                    .width(m.width)
                    .help(format!(
                        "add `// +groupName=<group>` above the first item of {} (empty for the core group)",
                        file.rel.display()
                    )),
                );
            }
            let mut path = module_path.clone();
            path.extend(item.inline_path.iter().cloned());
            if let Some(mut t) = type_def(item, path, &tm, settings, &hand_clones, &mut fe) {
                t.module_path_public = t
                    .module_path
                    .first()
                    .is_some_and(|m| public_modules.contains(&m.to_string()));
                types.push(t);
            }
        }
        errors.append(&mut fe.errors);
    }

    let group_rust_name = settings
        .group_rust_name
        .clone()
        .or_else(|| settings.group.as_deref().map(group_rust_name));
    if let Some(name) = &group_rust_name
        && syn::parse_str::<syn::Ident>(&format!("{name}_{version}")).is_err()
    {
        errors.push(
            at_anchor(Diagnostic::new(
                &file.rel,
                format!("the group's Rust name `{name}` is not an identifier"),
            ))
            .help("name it with `// +groupGoName=<Name>` above the first item of this file"),
        );
    }
    let package = Package {
        file: file.rel.clone(),
        output: file.child_module_dir().join("zz_generated.rs"),
        group: settings.group.clone(),
        version,
        group_rust_name,
        types,
        crate_name: None,
        crate_path: Vec::new(),
    };
    if errors.is_empty() {
        Ok(package)
    } else {
        Err(errors)
    }
}

fn collect_clone_impls(items: &[syn::Item], out: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Impl(i) => {
                let is_clone = i
                    .trait_
                    .as_ref()
                    .and_then(|(path, _)| path.segments.last())
                    .is_some_and(|s| s.ident == "Clone");
                if is_clone
                    && let syn::Type::Path(p) = &*i.self_ty
                    && let Some(last) = p.path.segments.last()
                {
                    out.insert(last.ident.to_string());
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, content)) = &m.content {
                    collect_clone_impls(content, out);
                }
            }
            _ => {}
        }
    }
}

/// `Clone` or `Copy` in the type's derive list, with the span to point at.
fn derived_clone(attrs: &[syn::Attribute]) -> Option<(String, Span)> {
    derived(attrs, &["Clone", "Copy"])
}

/// The first of `names` in the type's derive lists, with the span to point at.
pub(super) fn derived(attrs: &[syn::Attribute], names: &[&str]) -> Option<(String, Span)> {
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        for path in paths {
            if let Some(last) = path.segments.last()
                && names.iter().any(|n| last.ident == n)
            {
                return Some((last.ident.to_string(), last.ident.span()));
            }
        }
    }
    None
}

fn type_def(
    item: &TypeItem<'_>,
    module_path: Vec<syn::Ident>,
    tm: &TypeMarkers,
    settings: &PackageMarkers,
    hand_clones: &BTreeSet<String>,
    fe: &mut FileErrors<'_>,
) -> Option<TypeDef> {
    let (attrs, generics, shape) = match item.item {
        syn::Item::Struct(s) => (&s.attrs, &s.generics, Shape::Struct(fields(&s.fields))),
        syn::Item::Enum(e) => (
            &e.attrs,
            &e.generics,
            Shape::Enum(
                e.variants
                    .iter()
                    .map(|v| Variant {
                        ident: v.ident.clone(),
                        fields: fields(&v.fields),
                    })
                    .collect(),
            ),
        ),
        _ => {
            let wants = tm.deepcopy.as_ref().is_some_and(|(on, _)| *on) || tm.genclient.is_some();
            if wants {
                fe.at_span(
                    item.ident.span(),
                    item.ident.to_string().len(),
                    format!("union `{}` cannot be deep-copied or served", item.ident),
                    "use a struct or an enum",
                );
            }
            return None;
        }
    };
    let deepcopy = match &tm.deepcopy {
        Some((on, _)) => *on,
        None => settings.deepcopy_package,
    };
    // An explicit `+k8s:deepcopy-gen=false` is already reported by the marker check.
    if let (Some(m), false, None) = (&tm.object_interface, deepcopy, &tm.deepcopy) {
        fe.errors.push(
            Diagnostic::new(
                &fe.file.rel,
                format!("`{}` is not deep-copied, so it cannot implement `Object`", item.ident),
            )
            .at(m.line, m.column)
            .width(m.width)
            .help("add `// +k8s:deepcopy-gen=true` above the type, or `// +k8s:deepcopy-gen=package` above the first item of the version module"),
        );
    }
    let mut def = TypeDef {
        ident: item.ident.clone(),
        module_path,
        module_path_public: false,
        generics: generics.clone(),
        shape,
        deepcopy,
        object_interface: tm.object_interface.is_some() && deepcopy,
        client: None,
    };
    if deepcopy {
        check_deep_copyable(&mut def, attrs, hand_clones, fe);
    }
    if tm.genclient.is_some() {
        def.client = kind::client_spec(&def, attrs, tm, fe);
    }
    Some(def)
}

fn fields(fields: &syn::Fields) -> Fields {
    let convert = |f: &syn::Field| Field {
        ident: f.ident.clone(),
        ty: f.ty.clone(),
        plan: CopyPlan::CloneFrom,
    };
    match fields {
        syn::Fields::Named(n) => Fields::Named(n.named.iter().map(convert).collect()),
        syn::Fields::Unnamed(u) => Fields::Unnamed(u.unnamed.iter().map(convert).collect()),
        syn::Fields::Unit => Fields::Unit,
    }
}

/// Plans every field's copy, and rejects types that already have a `Clone`.
fn check_deep_copyable(
    def: &mut TypeDef,
    attrs: &[syn::Attribute],
    hand_clones: &BTreeSet<String>,
    fe: &mut FileErrors<'_>,
) {
    let name = def.ident.to_string();
    if let Some((derived, span)) = derived_clone(attrs) {
        fe.at_span(
            span,
            derived.len(),
            format!("`{name}` derives `{derived}`, but its deep copy is generated"),
            format!("remove `{derived}` from the derive list, or opt the type out with `// +k8s:deepcopy-gen=false`"),
        );
    } else if hand_clones.contains(&name) {
        fe.at_span(
            def.ident.span(),
            name.len(),
            format!("`{name}` already implements `Clone`, but its deep copy is generated"),
            "remove the hand-written `impl Clone`, or opt the type out with `// +k8s:deepcopy-gen=false`",
        );
    }
    let all_fields: Vec<&mut Field> = match &mut def.shape {
        Shape::Struct(f) => fields_mut(f).collect(),
        Shape::Enum(vs) => vs
            .iter_mut()
            .flat_map(|v| fields_mut(&mut v.fields))
            .collect(),
    };
    for field in all_fields {
        match copy_plan::plan(&field.ty) {
            Ok(plan) => field.plan = plan,
            Err(u) => {
                let what = field
                    .ident
                    .as_ref()
                    .map_or_else(|| "a tuple field".to_owned(), |i| format!("field `{i}`"));
                fe.at_span(
                    u.span,
                    span_width(u.span),
                    format!("{what} of `{name}`: {}", u.message),
                    u.help,
                );
            }
        }
    }
}

fn fields_mut(fields: &mut Fields) -> std::slice::IterMut<'_, Field> {
    match fields {
        Fields::Named(f) | Fields::Unnamed(f) => f.iter_mut(),
        Fields::Unit => [].iter_mut(),
    }
}
