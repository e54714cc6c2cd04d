//! The types of one package: their shapes, copy plans and client settings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::Span;
use syn::punctuated::Punctuated;

use super::client::ClientSpec;
use super::copy_plan::{self, CopyPlan};
use super::interpret::{PackageMarkers, TypeMarkers};
use super::modules::ModuleId;
use super::naming::{group_rust_name, is_kube_version};
use super::placement::{Layout, TypeItem, keyword_line};
use super::resolve::{Resolver, Scope, Target, Ty};
use super::{Package, PlacedMarkers, declaration, kind, type_markers};
use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// A struct or enum of a package, as generators see it.
#[derive(Clone, Debug)]
pub struct TypeDef {
    pub ident: syn::Ident,
    /// Modules from the version module down to the type (empty when declared in it).
    pub module_path: Vec<syn::Ident>,
    /// The path from the crate's root through which other crates name the type (where it is
    /// declared when every module on the way is `pub`, else through `pub use` re-exports);
    /// `None` when no public path reaches it.
    pub public_path: Option<Vec<syn::Ident>>,
    /// The first module from the crate's root to the type's that is not `pub` (`stable`), for
    /// errors that ask to make it public.
    pub private_module: Option<String>,
    /// The file declaring it, relative to the root (for messages).
    pub file: PathBuf,
    /// Its module in the run's module tree (for checks across packages).
    pub module: ModuleId,
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
    /// `ty` as the compiler resolves it where the type is declared.
    pub resolved: Ty,
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
pub(super) fn span_width(span: Span) -> usize {
    let (start, end) = (span.start(), span.end());
    if start.line == end.line {
        end.column.saturating_sub(start.column).max(1)
    } else {
        1
    }
}

/// Where a type is declared, as the module tree says.
struct TypePlace {
    module: ModuleId,
    module_path: Vec<syn::Ident>,
    public_path: Option<Vec<syn::Ident>>,
    private_module: Option<String>,
}

/// A module name as an identifier (`r#type` for a keyword).
fn ident(name: &str) -> syn::Ident {
    syn::parse_str::<syn::Ident>(name)
        .unwrap_or_else(|_| syn::Ident::new_raw(name, Span::call_site()))
}

/// Builds one package. `members` are the files of the version module's module tree (its own
/// file first) with the module each holds; `package_module` is the version module.
#[allow(clippy::too_many_arguments)]
pub(super) fn build_package(
    file: &SourceFile,
    settings: &PackageMarkers,
    members: &[(&SourceFile, ModuleId)],
    package_module: ModuleId,
    placed: &BTreeMap<&Path, PlacedMarkers>,
    resolver: &Resolver<'_, '_>,
    hand_clones: &BTreeSet<(ModuleId, String)>,
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
    let tree = resolver.tree;
    let package_depth = tree.modules[package_module].path.len();
    let mut types = Vec::new();
    for &(member, file_module) in members {
        let syntax = match member.syntax() {
            Ok(syntax) => syntax,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let markers = placed.get(member.path.as_path()).unwrap_or(&empty);
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
            let Some(module) = tree.inline_module(file_module, &item.inline_path) else {
                continue;
            };
            let place = TypePlace {
                module,
                module_path: tree.modules[module].path[package_depth..]
                    .iter()
                    .map(|m| ident(m))
                    .collect(),
                public_path: resolver
                    .public_path(module, &item.ident.to_string())
                    .map(|p| p.iter().map(|m| ident(m)).collect()),
                private_module: resolver
                    .first_private_module(module)
                    .map(|m| tree.modules[m].path.join("::")),
            };
            if let Some(mut t) =
                type_def(item, place, &tm, settings, resolver, hand_clones, &mut fe)
            {
                if let (Some(client), Some(genclient)) = (&mut t.client, &tm.genclient) {
                    client.lifecycle = super::lifecycle::resolve(
                        &tm.lifecycle,
                        settings.lifecycle,
                        &version,
                        &client.kind,
                        &member.rel,
                        genclient,
                        &mut fe.errors,
                    );
                }
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
        // Where rustc looks for the version module's `mod zz_generated;`.
        output: tree.modules[package_module]
            .child_dir
            .join(crate::generate::PACKAGE_OUTPUT),
        group: settings.group.clone(),
        version,
        group_rust_name,
        types,
        crate_name: Some(tree.crates[tree.modules[package_module].krate].name.clone()),
        crate_path: tree.modules[package_module].path.clone(),
    };
    if errors.is_empty() {
        Ok(package)
    } else {
        Err(errors)
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
    place: TypePlace,
    tm: &TypeMarkers,
    settings: &PackageMarkers,
    resolver: &Resolver<'_, '_>,
    hand_clones: &BTreeSet<(ModuleId, String)>,
    fe: &mut FileErrors<'_>,
) -> Option<TypeDef> {
    let generics = match item.item {
        syn::Item::Struct(s) => &s.generics,
        syn::Item::Enum(e) => &e.generics,
        _ => &syn::Generics::default(),
    };
    let scope = Scope {
        module: place.module,
        params: generics
            .type_params()
            .map(|p| p.ident.to_string())
            .collect(),
        self_type: Some(Target::Local {
            module: place.module,
            name: item.ident.to_string(),
        }),
    };
    let fields = |f: &syn::Fields| fields(f, resolver, &scope);
    let (attrs, shape) = match item.item {
        syn::Item::Struct(s) => (&s.attrs, Shape::Struct(fields(&s.fields))),
        syn::Item::Enum(e) => (
            &e.attrs,
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
            let wants = match &tm.deepcopy {
                Some((on, _)) => *on,
                None => settings.deepcopy_package,
            } || tm.genclient.is_some();
            if wants {
                fe.at_span(
                    item.ident.span(),
                    item.ident.to_string().len(),
                    format!("union `{}` cannot be deep-copied or served", item.ident),
                    "use a struct or an enum, or opt the union out with `// +k8s:deepcopy-gen=false` above it",
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
        module_path: place.module_path,
        public_path: place.public_path,
        private_module: place.private_module,
        file: fe.file.rel.clone(),
        module: place.module,
        generics: generics.clone(),
        shape,
        deepcopy,
        object_interface: tm.object_interface.is_some() && deepcopy,
        client: None,
    };
    let hand_clone = hand_clones.contains(&(place.module, item.ident.to_string()));
    if deepcopy {
        check_deep_copyable(&mut def, attrs, hand_clone, fe);
    }
    if tm.genclient.is_some() {
        let has_own_clone = hand_clone || derived_clone(attrs).is_some();
        def.client = kind::client_spec(&def, item.item, has_own_clone, tm, fe);
    }
    Some(def)
}

fn fields(fields: &syn::Fields, resolver: &Resolver<'_, '_>, scope: &Scope) -> Fields {
    let convert = |f: &syn::Field| Field {
        ident: f.ident.clone(),
        ty: f.ty.clone(),
        resolved: resolver.resolve_type(scope, &f.ty),
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
    hand_clone: bool,
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
    } else if hand_clone {
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
        match copy_plan::plan(&field.resolved) {
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
