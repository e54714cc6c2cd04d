//! Derives a kind's structural schema from its Rust types, following the JSON their serde
//! writes: field names after `rename`/`rename_all`, `Option` not required, maps as
//! `additionalProperties`, enums as serde represents them, nested types resolved (generic ones
//! with their arguments), doc comments as descriptions, markers applied. A recursive type is an
//! error: structural schemas cannot recurse.

use std::collections::BTreeMap;
use std::path::PathBuf;

use proc_macro2::Span;
use syn::spanned::Spanned;

use super::apply::{self, check_node};
use super::known;
use super::markers::{self, CrdMarker};
use super::schema::Schema;
use super::serde_attrs::{self, ContainerAttrs};
use crate::diagnostic::Diagnostic;
use crate::model::client::ClientSpec;
use crate::model::marker::Marker;
use crate::model::modules::{Entry, ModuleId};
use crate::model::placement::{Layout, Target as Place, keyword_line};
use crate::model::resolve::{Resolver, Target, Ty};
use crate::model::types::span_width;

/// How often one generic type may hold itself with other arguments before that counts as
/// recursion (each level would otherwise be a new schema, without end).
const MAX_GENERIC_NESTING: usize = 16;

/// A marker with what it means.
pub type ReadMarker = (Marker, CrdMarker);

/// Generic parameters bound to the arguments of the use being derived.
type Env = Vec<(String, Ty)>;

/// The CRD markers of one file, and where each of its types' marker windows starts.
struct FileMarks {
    markers: Vec<ReadMarker>,
    /// A type's keyword line → the line after which its window starts.
    type_windows: BTreeMap<usize, usize>,
}

/// Where a schema node comes from, for messages.
#[derive(Clone)]
struct Site {
    file: PathBuf,
    span: Span,
    /// The JSON path of the node from the object's root (`spec.replicas`).
    what: String,
}

pub struct Deriver<'r, 'a, 't> {
    resolver: &'r Resolver<'a, 't>,
    files: BTreeMap<PathBuf, FileMarks>,
    pub errors: Vec<Diagnostic>,
    /// The types being derived, outermost first: meeting one again is recursion.
    /// Each with its generic arguments (`Range<i32>` in `Range<Range<i32>>` is no recursion).
    stack: Vec<(ModuleId, String, String)>,
}

/// Markers that configure a kind's CRD rather than a schema node.
pub fn is_kind_marker(m: &CrdMarker) -> bool {
    matches!(
        m,
        CrdMarker::PrintColumn(_)
            | CrdMarker::SubresourceStatus
            | CrdMarker::SubresourceScale(_)
            | CrdMarker::StorageVersion
            | CrdMarker::Resource { .. }
            | CrdMarker::DeprecatedVersion(_)
    )
}

impl<'r, 'a, 't> Deriver<'r, 'a, 't> {
    pub fn new(resolver: &'r Resolver<'a, 't>) -> Self {
        Deriver {
            resolver,
            files: BTreeMap::new(),
            errors: Vec::new(),
            stack: Vec::new(),
        }
    }

    fn error(&mut self, site: &Site, message: String, help: impl Into<String>) {
        let start = site.span.start();
        self.errors.push(
            Diagnostic::new(&site.file, message)
                .at(start.line, start.column + 1)
                .width(span_width(site.span))
                .help(help),
        );
    }

    fn marker_error(&mut self, file: &PathBuf, m: &Marker, message: String, help: String) {
        self.errors.push(
            Diagnostic::new(file, message)
                .at(m.line, m.column)
                .width(m.width)
                .help(help),
        );
    }

    /// The file of `module`, relative to the root, with its markers read.
    fn file_of(&mut self, module: ModuleId) -> PathBuf {
        let file = self.resolver.tree.modules[module].file;
        if !self.files.contains_key(&file.rel) {
            let mut read = Vec::new();
            for comment in &file.comments {
                let Some(m) = Marker::from_comment(comment) else {
                    continue;
                };
                if m.is_ours() || !markers::is_crd_marker(&m) {
                    continue;
                }
                match markers::parse(&m) {
                    Ok(c) => read.push((m, c)),
                    Err(e) => self.marker_error(&file.rel, &m, e.message, e.help),
                }
            }
            let mut type_windows = BTreeMap::new();
            if let Ok(syntax) = file.syntax() {
                let layout = Layout::of(syntax);
                let mut bodies = Vec::new();
                for w in &layout.windows {
                    if let Place::Type(t) = &w.target {
                        type_windows.insert(keyword_line(t.item), w.after);
                        bodies.push((w.after, t.item.span().end().line));
                    }
                }
                // A marker above anything but a type or a field would be silently ignored.
                read.retain(|(m, c)| {
                    let placed = *c == CrdMarker::Ignored
                        || bodies.iter().any(|(after, end)| *after < m.line && m.line < *end);
                    if !placed {
                        self.errors.push(
                            Diagnostic::new(&file.rel, format!("`+{}` is not above a type or a field", m.name))
                                .at(m.line, m.column)
                                .width(m.width)
                                .help("put CRD markers in the comment lines directly above the struct, enum or field they are for"),
                        );
                    }
                    placed
                });
            }
            self.files.insert(
                file.rel.clone(),
                FileMarks {
                    markers: read,
                    type_windows,
                },
            );
        }
        file.rel.clone()
    }

    fn markers_between(&self, file: &PathBuf, after: usize, before: usize) -> Vec<ReadMarker> {
        self.files.get(file).map_or_else(Vec::new, |f| {
            f.markers
                .iter()
                .filter(|(m, _)| after < m.line && m.line < before)
                .cloned()
                .collect()
        })
    }

    /// The CRD markers above a type.
    pub fn type_markers(&mut self, module: ModuleId, item: &syn::Item) -> Vec<ReadMarker> {
        let file = self.file_of(module);
        let line = keyword_line(item);
        let after = self
            .files
            .get(&file)
            .and_then(|f| f.type_windows.get(&line).copied())
            .unwrap_or(0);
        self.markers_between(&file, after, line)
    }

    /// The item declaring the local type `name` of `module`.
    fn item(&self, module: ModuleId, name: &str) -> Option<&'t syn::Item> {
        match self.resolver.tree.modules[module].names.get(name) {
            Some(Entry::Type { item, .. }) => Some(item),
            _ => None,
        }
    }

    /// The root schema of a kind: `apiVersion`, `kind`, `metadata` and its own fields (named
    /// as the generated serde names them), and the kind markers above it.
    pub fn kind_root(
        &mut self,
        module: ModuleId,
        client: &ClientSpec,
        ident: &syn::Ident,
    ) -> (Schema, Vec<ReadMarker>) {
        let Some(item) = self.item(module, &ident.to_string()) else {
            return (Schema::typed("object"), Vec::new());
        };
        let file = self.file_of(module);
        let type_markers = self.type_markers(module, item);
        let (kind_markers, node_markers): (Vec<ReadMarker>, Vec<ReadMarker>) = type_markers
            .into_iter()
            .partition(|(_, c)| is_kind_marker(c));
        let mut root = Schema {
            description: serde_attrs::description(item_attrs(item)),
            ..Schema::typed("object")
        };
        let string = |d: &str| Schema {
            description: Some(d.to_owned()),
            ..Schema::typed("string")
        };
        root.properties.insert(
            "apiVersion".to_owned(),
            string(known::API_VERSION_DESCRIPTION),
        );
        root.properties
            .insert("kind".to_owned(), string(known::KIND_DESCRIPTION));
        root.properties
            .insert("metadata".to_owned(), Schema::typed("object"));
        self.stack.push((module, ident.to_string(), String::new()));
        if let syn::Item::Struct(s) = item {
            let fields: Vec<&syn::Field> = s.fields.iter().collect();
            let windows = field_windows(&s.fields);
            for (field, (after, before)) in fields.into_iter().zip(windows) {
                let Some(field_ident) = &field.ident else {
                    continue;
                };
                let Some(wire) = client.wire_fields.iter().find(|w| &w.ident == field_ident) else {
                    continue;
                };
                if wire.name == "metadata" {
                    continue;
                }
                let site = Site {
                    file: file.clone(),
                    span: field_ident.span(),
                    what: wire.name.clone(),
                };
                let marks = self.markers_between(&file, after, before);
                let scope = self.scope(module, item);
                let resolved = self.resolver.resolve_type(&scope, &field.ty);
                let (mut node, forced) =
                    self.field_node(&resolved, &Vec::new(), field, &marks, &site);
                // The generated serde never writes `null`: absent `Option`s are skipped.
                if wire.optional {
                    node.nullable = None;
                }
                let required = match forced {
                    Some(r) => r,
                    None => !wire.optional,
                };
                if required {
                    root.required.push(wire.name.clone());
                }
                root.properties.insert(wire.name.clone(), node);
            }
        }
        self.stack.pop();
        let site = Site {
            file: file.clone(),
            span: ident.span(),
            what: client.kind.clone(),
        };
        self.apply_all(&mut root, &node_markers, &site, &file);
        (root, kind_markers)
    }

    fn scope(&self, module: ModuleId, item: &syn::Item) -> crate::model::resolve::Scope {
        let name = item_ident(item)
            .map(ToString::to_string)
            .unwrap_or_default();
        crate::model::resolve::Scope {
            module,
            params: type_params(item).into_iter().collect(),
            self_type: Some(Target::Local { module, name }),
        }
    }

    /// Applies node markers; field-only and kind markers here are errors.
    fn apply_all(&mut self, node: &mut Schema, marks: &[ReadMarker], site: &Site, file: &PathBuf) {
        for (m, c) in marks {
            let refusal = match c {
                CrdMarker::Optional | CrdMarker::Required => Some((
                    format!("`+{}` applies to fields, not types", m.name),
                    "put it in the comment lines above a field".to_owned(),
                )),
                c if is_kind_marker(c) => Some((
                    format!("`+{}` applies to a `+genclient` kind", m.name),
                    "put it above the kind's struct".to_owned(),
                )),
                CrdMarker::Schemaless | CrdMarker::Ignored => None,
                c => apply::apply(node, c, &m.name, &site.what).err(),
            };
            if let Some((message, help)) = refusal {
                self.marker_error(file, m, message, help);
            }
        }
        if let Err((message, help)) = check_node(node, &site.what) {
            match marks.first() {
                Some((m, _)) => self.marker_error(file, m, message, help),
                None => self.error(site, message, help),
            }
        }
    }

    /// A field's node: its type's schema (unless `Schemaless`), its doc, its markers; and
    /// `Some(required)` when `+optional`/`+required` decide.
    fn field_node(
        &mut self,
        ty: &Ty,
        env: &Env,
        field: &syn::Field,
        marks: &[ReadMarker],
        site: &Site,
    ) -> (Schema, Option<bool>) {
        let schemaless = marks.iter().any(|(_, c)| *c == CrdMarker::Schemaless);
        let mut node = if schemaless {
            Schema::default()
        } else {
            self.ty(ty, env, site)
        };
        if let Some(d) = serde_attrs::description(&field.attrs) {
            node.description = Some(d);
        }
        let forced = marks.iter().rev().find_map(|(_, c)| match c {
            CrdMarker::Optional => Some(false),
            CrdMarker::Required => Some(true),
            _ => None,
        });
        let node_marks: Vec<ReadMarker> = marks
            .iter()
            .filter(|(_, c)| !matches!(c, CrdMarker::Optional | CrdMarker::Required))
            .cloned()
            .collect();
        self.apply_all(&mut node, &node_marks, site, &site.file);
        if node.type_.is_none()
            && node.preserve_unknown_fields != Some(true)
            && node.int_or_string != Some(true)
        {
            self.error(
                site,
                format!("the schema of `{}` is not structural: it has no type", site.what),
                "add `// +kubebuilder:pruning:PreserveUnknownFields` (any value, kept as sent) or `// +kubebuilder:validation:Type=<type>`",
            );
        }
        (node, forced)
    }

    /// The schema of a type as written at `site`.
    fn ty(&mut self, ty: &Ty, env: &Env, site: &Site) -> Schema {
        match ty {
            Ty::Alias { ty, .. } => self.ty(ty, env, site),
            Ty::Primitive(p) => primitive(p).unwrap_or_else(|| {
                self.error(
                    site,
                    format!("`{}`: `{p}` has no JSON schema", site.what),
                    "use an owned type such as `String`",
                );
                Schema::any()
            }),
            Ty::Param(name) => match env.iter().rev().find(|(n, _)| n == name) {
                Some((_, bound)) => {
                    let bound = bound.clone();
                    self.ty(&bound, &Vec::new(), site)
                }
                None => {
                    self.error(
                        site,
                        format!(
                            "`{}`: the generic parameter `{name}` is not bound",
                            site.what
                        ),
                        "give the type concrete arguments where the kind uses it",
                    );
                    Schema::any()
                }
            },
            Ty::Tuple(elems) => {
                let schemas: Vec<Schema> = elems.iter().map(|e| self.ty(e, env, site)).collect();
                tuple(schemas)
            }
            Ty::Array(elem) => Schema::array(self.ty(elem, env, site)),
            Ty::Path {
                target, args, name, ..
            } => {
                let args: Vec<Ty> = args.iter().map(|a| subst(a, env)).collect();
                self.path(target, &args, name, site)
            }
            Ty::Unit => Schema {
                nullable: Some(true),
                ..Schema::typed("object")
            },
            _ => {
                self.error(
                    site,
                    format!("`{}`: this type has no JSON schema", site.what),
                    "use owned data types (`String`, `Vec`, maps, structs), or mark the field `// +kubebuilder:validation:Schemaless` and `// +kubebuilder:pruning:PreserveUnknownFields`",
                );
                Schema::any()
            }
        }
    }

    fn path(&mut self, target: &Target, args: &[Ty], name: &str, site: &Site) -> Schema {
        let arg = |i: usize| args.get(i).cloned().unwrap_or(Ty::Other);
        match target {
            Target::External(path) => {
                let joined: Vec<&str> = path.iter().map(String::as_str).collect();
                let last = joined.last().copied().unwrap_or_default();
                let std = matches!(joined.first(), Some(&("std" | "alloc" | "core")));
                let indexmap = joined.first() == Some(&"indexmap");
                match last {
                    "Option" if std => {
                        let mut s = self.ty(&arg(0), &Vec::new(), site);
                        s.nullable = Some(true);
                        s
                    }
                    "Box" | "Rc" | "Arc" | "Cow" if std => self.ty(&arg(0), &Vec::new(), site),
                    "Vec" | "VecDeque" | "LinkedList" if std => {
                        Schema::array(self.ty(&arg(0), &Vec::new(), site))
                    }
                    "BTreeSet" | "HashSet" if std || indexmap => set(self.ty(&arg(0), &Vec::new(), site)),
                    "IndexSet" if indexmap => set(self.ty(&arg(0), &Vec::new(), site)),
                    "BTreeMap" | "HashMap" if std => Schema::map(self.ty(&arg(1), &Vec::new(), site)),
                    "IndexMap" if indexmap => Schema::map(self.ty(&arg(1), &Vec::new(), site)),
                    _ => known::external(path).unwrap_or_else(|| {
                        self.error(
                            site,
                            format!("`{}`: no schema is known for `{}`", site.what, path.join("::")),
                            "mark the field `// +kubebuilder:validation:Schemaless` and `// +kubebuilder:pruning:PreserveUnknownFields` to store it unchecked (add `+kubebuilder:validation:Type=object` to keep its type), or use a type of this crate",
                        );
                        Schema::any()
                    }),
                }
            }
            Target::Local { module, name } => self.local(*module, name, args, site),
            Target::Unknown => {
                self.error(
                    site,
                    format!("`{}`: `{name}` is not a type the tool can see", site.what),
                    "name the type by a path to its definition (no glob import from another crate), or mark the field `// +kubebuilder:validation:Schemaless` and `// +kubebuilder:pruning:PreserveUnknownFields`",
                );
                Schema::any()
            }
        }
    }

    /// The schema of a type of the tree, its generic parameters bound to `args`.
    fn local(&mut self, module: ModuleId, name: &str, args: &[Ty], site: &Site) -> Schema {
        let Some(item) = self.item(module, name) else {
            return Schema::any();
        };
        let key = args.iter().map(ty_key).collect::<Vec<_>>().join(",");
        let same = |k: &&(ModuleId, String, String)| k.0 == module && k.1 == name;
        // The same type again with its arguments, or growing ones (`A<T>` holding `A<Vec<T>>`).
        let again = self.stack.iter().position(|k| same(&k) && k.2 == key);
        let growing = self.stack.iter().filter(same).count() >= MAX_GENERIC_NESTING;
        let start = again
            .or_else(|| growing.then(|| self.stack.iter().position(|k| same(&k)).unwrap_or(0)));
        if let Some(start) = start {
            let cycle = if again.is_some() {
                let names: Vec<&str> = self.stack[start..]
                    .iter()
                    .map(|(_, n, _)| n.as_str())
                    .chain(std::iter::once(name))
                    .collect();
                names.join(" → ")
            } else {
                format!("`{name}` holds itself with ever larger generic arguments")
            };
            self.error(
                site,
                format!(
                    "`{}` makes the schema recursive ({}): structural schemas cannot recurse",
                    site.what, cycle
                ),
                "mark the field `// +kubebuilder:validation:Schemaless`, `// +kubebuilder:pruning:PreserveUnknownFields` and `// +kubebuilder:validation:Type=object` to store it unchecked, or break the cycle",
            );
            return Schema::any();
        }
        let env: Env = type_params(item)
            .into_iter()
            .zip(args.iter().cloned())
            .collect();
        let file = self.file_of(module);
        let marks = self.type_markers(module, item);
        self.stack.push((module, name.to_owned(), key));
        let container = match serde_attrs::container(item_attrs(item)) {
            Ok(c) => c,
            Err(e) => {
                let at = Site {
                    file: file.clone(),
                    span: e.span,
                    what: site.what.clone(),
                };
                self.error(&at, format!("`{name}`: {}", e.message), "derive serde without it, or mark the field that holds this type `// +kubebuilder:validation:Schemaless` and `// +kubebuilder:pruning:PreserveUnknownFields`");
                ContainerAttrs::default()
            }
        };
        let scope = self.scope(module, item);
        let mut schema = match item {
            syn::Item::Struct(s) => self.fields(&s.fields, &container, &scope, &env, &file, site),
            syn::Item::Enum(e) => self.enumeration(e, &container, &scope, &env, &file, site),
            _ => Schema::any(),
        };
        self.stack.pop();
        if schema.description.is_none() {
            schema.description = serde_attrs::description(item_attrs(item));
        }
        let type_site = Site {
            file: file.clone(),
            span: item_ident(item).map_or(site.span, syn::Ident::span),
            what: site.what.clone(),
        };
        self.apply_all(&mut schema, &marks, &type_site, &file);
        schema
    }

    /// A struct's (or a struct variant's) schema.
    fn fields(
        &mut self,
        fields: &syn::Fields,
        container: &ContainerAttrs,
        scope: &crate::model::resolve::Scope,
        env: &Env,
        file: &PathBuf,
        site: &Site,
    ) -> Schema {
        let windows = field_windows(fields);
        match fields {
            syn::Fields::Unit => Schema {
                nullable: Some(true),
                ..Schema::typed("object")
            },
            syn::Fields::Unnamed(u) => {
                let mut schemas = Vec::new();
                for (field, (after, before)) in u.unnamed.iter().zip(windows) {
                    let marks = self.markers_between(file, after, before);
                    let resolved = self.resolver.resolve_type(scope, &field.ty);
                    let at = Site {
                        file: file.clone(),
                        span: field.ty.span(),
                        what: site.what.clone(),
                    };
                    schemas.push(self.field_node(&resolved, env, field, &marks, &at).0);
                }
                if schemas.len() == 1 {
                    schemas.pop().unwrap_or_default()
                } else {
                    tuple(schemas)
                }
            }
            syn::Fields::Named(n) => {
                let mut object = Schema::typed("object");
                for (field, (after, before)) in n.named.iter().zip(windows) {
                    let Some(ident) = &field.ident else {
                        continue;
                    };
                    let attrs = serde_attrs::field(&field.attrs).unwrap_or_default();
                    if attrs.skip {
                        continue;
                    }
                    let json = serde_attrs::field_name(ident, &attrs, container);
                    let what = if site.what.is_empty() {
                        json.clone()
                    } else {
                        format!("{}.{json}", site.what)
                    };
                    let at = Site {
                        file: file.clone(),
                        span: ident.span(),
                        what,
                    };
                    let marks = self.markers_between(file, after, before);
                    let unchecked = marks
                        .iter()
                        .any(|(_, c)| matches!(c, CrdMarker::Schemaless | CrdMarker::Type(_)));
                    if let (Some((how, span)), false) = (&attrs.custom, unchecked) {
                        let at = Site {
                            span: *span,
                            ..at.clone()
                        };
                        self.error(
                            &at,
                            format!("`{}` is written by `#[serde({how} = …)]`, whose JSON the schema cannot see", at.what),
                            "mark the field `// +kubebuilder:validation:Schemaless` with `// +kubebuilder:validation:Type=<type>` or `// +kubebuilder:pruning:PreserveUnknownFields`",
                        );
                        continue;
                    }
                    let resolved = self.resolver.resolve_type(scope, &field.ty);
                    let is_option = matches!(
                        resolved.unaliased(),
                        Ty::Path { target: Target::External(p), .. }
                            if p.last().is_some_and(|l| l == "Option")
                    );
                    let (mut node, forced) = self.field_node(&resolved, env, field, &marks, &at);
                    if attrs.flatten {
                        self.flatten(&mut object, node, &at);
                        continue;
                    }
                    if attrs.sometimes_skipped && is_option {
                        // `skip_serializing_if = "Option::is_none"`: never `null` on the wire.
                        node.nullable = None;
                    }
                    let readable_absent = is_option || attrs.default || container.default;
                    let required = match forced {
                        Some(true) => true,
                        Some(false) if !readable_absent => {
                            self.error(
                                &at,
                                format!("`{}` is marked `+optional`, but serde cannot read an object without it", at.what),
                                "add `#[serde(default)]` to the field, or make it an `Option`",
                            );
                            false
                        }
                        Some(false) => false,
                        None => !readable_absent,
                    };
                    if required {
                        object.required.push(json.clone());
                    }
                    object.properties.insert(json, node);
                }
                object
            }
        }
    }

    /// `#[serde(flatten)]`: the inner object's fields become the outer's.
    fn flatten(&mut self, object: &mut Schema, inner: Schema, site: &Site) {
        if !inner.properties.is_empty() {
            for (name, schema) in inner.properties {
                object.properties.insert(name, schema);
            }
            object.required.extend(inner.required);
        } else if inner.additional_properties.is_some()
            || inner.preserve_unknown_fields == Some(true)
        {
            // Structural schemas cannot have both properties and additionalProperties.
            object.preserve_unknown_fields = Some(true);
        } else {
            self.error(
                site,
                format!("`{}` is flattened, but it is not an object", site.what),
                "flatten only structs or maps",
            );
        }
    }

    fn enumeration(
        &mut self,
        e: &syn::ItemEnum,
        container: &ContainerAttrs,
        scope: &crate::model::resolve::Scope,
        env: &Env,
        file: &PathBuf,
        site: &Site,
    ) -> Schema {
        let mut variants = Vec::new();
        for v in &e.variants {
            let attrs = serde_attrs::variant(&v.attrs).unwrap_or_default();
            if attrs.skip {
                continue;
            }
            if let Some((how, span)) = &attrs.custom {
                let at = Site {
                    file: file.clone(),
                    span: *span,
                    what: site.what.clone(),
                };
                self.error(&at, format!("variant `{}` uses `#[serde({how})]`, whose JSON the schema cannot see", v.ident), "mark the field holding the enum `// +kubebuilder:validation:Schemaless` and `// +kubebuilder:pruning:PreserveUnknownFields`");
                continue;
            }
            variants.push((serde_attrs::variant_name(&v.ident, &attrs, container), v));
        }
        let names: Vec<serde_json::Value> =
            variants.iter().map(|(n, _)| n.clone().into()).collect();
        let all_unit = variants
            .iter()
            .all(|(_, v)| matches!(v.fields, syn::Fields::Unit));
        let variant_container = ContainerAttrs::default();
        let data = |this: &mut Self, v: &syn::Variant, name: &str| {
            let what = format!("{}.{name}", site.what);
            let at = Site {
                file: file.clone(),
                span: v.ident.span(),
                what,
            };
            let mut s = this.fields(&v.fields, &variant_container, scope, env, file, &at);
            if let Some(d) = serde_attrs::description(&v.attrs) {
                s.description = Some(d);
            }
            s
        };
        if container.untagged || (container.content.is_some() && container.tag.is_none()) {
            return Schema::any();
        }
        if let Some(tag) = &container.tag {
            let mut object = Schema::typed("object");
            object.properties.insert(
                tag.clone(),
                Schema {
                    enum_values: names,
                    ..Schema::typed("string")
                },
            );
            object.required.push(tag.clone());
            if let Some(content) = &container.content {
                object.properties.insert(content.clone(), Schema::any());
                return object;
            }
            for (name, v) in &variants {
                if matches!(v.fields, syn::Fields::Unit) {
                    continue;
                }
                let s = data(self, v, name);
                if !s.is_type("object")
                    || s.properties.is_empty() && s.preserve_unknown_fields.is_none()
                {
                    let at = Site {
                        file: file.clone(),
                        span: v.ident.span(),
                        what: site.what.clone(),
                    };
                    self.error(&at, format!("variant `{}` of an internally tagged enum holds no fields", v.ident), "internally tagged variants are structs or unit variants, as serde requires");
                    continue;
                }
                // Fields of one variant are absent in another: none is required.
                for (field, schema) in s.properties {
                    object.properties.entry(field).or_insert(schema);
                }
            }
            return object;
        }
        if all_unit {
            return Schema {
                enum_values: names,
                ..Schema::typed("string")
            };
        }
        if variants
            .iter()
            .any(|(_, v)| matches!(v.fields, syn::Fields::Unit))
        {
            // `"red"` or `{"rgb": [1, 2, 3]}`: no single type. Kept as sent, described.
            let forms: Vec<String> = variants
                .iter()
                .map(|(n, v)| match v.fields {
                    syn::Fields::Unit => format!("\"{n}\""),
                    _ => format!("{{\"{n}\": …}}"),
                })
                .collect();
            return Schema {
                description: Some(format!("One of {}.", forms.join(", "))),
                ..Schema::any()
            };
        }
        let mut object = Schema {
            max_properties: Some(1),
            min_properties: Some(1),
            ..Schema::typed("object")
        };
        for (name, v) in &variants {
            let s = data(self, v, name);
            object.properties.insert(name.clone(), s);
        }
        object
    }
}

/// The line windows of a struct's fields: markers between a field's window bounds are its.
fn field_windows(fields: &syn::Fields) -> Vec<(usize, usize)> {
    let mut after = match fields {
        syn::Fields::Named(n) => n.brace_token.span.open().start().line,
        syn::Fields::Unnamed(u) => u.paren_token.span.open().start().line,
        syn::Fields::Unit => return Vec::new(),
    };
    let mut out = Vec::new();
    for field in fields {
        let before = match &field.ident {
            Some(i) => i.span().start().line,
            None => field.ty.span().start().line,
        };
        let before = match &field.vis {
            syn::Visibility::Inherited => before,
            vis => vis.span().start().line.min(before),
        };
        out.push((after, before));
        after = field.ty.span().end().line;
    }
    out
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Struct(s) => &s.attrs,
        syn::Item::Enum(e) => &e.attrs,
        _ => &[],
    }
}

fn item_ident(item: &syn::Item) -> Option<&syn::Ident> {
    match item {
        syn::Item::Struct(s) => Some(&s.ident),
        syn::Item::Enum(e) => Some(&e.ident),
        _ => None,
    }
}

/// The names of a type's generic type parameters.
fn type_params(item: &syn::Item) -> Vec<String> {
    let generics = match item {
        syn::Item::Struct(s) => &s.generics,
        syn::Item::Enum(e) => &e.generics,
        _ => return Vec::new(),
    };
    generics
        .type_params()
        .map(|p| p.ident.to_string())
        .collect()
}

/// A type's identity as text, for telling `Range<i32>` from `Range<Range<i32>>`.
fn ty_key(ty: &Ty) -> String {
    match ty {
        Ty::Primitive(p) => (*p).to_owned(),
        Ty::Param(n) => n.clone(),
        Ty::Unit => "()".to_owned(),
        Ty::Tuple(elems) => format!(
            "({})",
            elems.iter().map(ty_key).collect::<Vec<_>>().join(",")
        ),
        Ty::Array(elem) => format!("[{}]", ty_key(elem)),
        Ty::Alias { ty, .. } => ty_key(ty),
        Ty::Path {
            target, args, name, ..
        } => {
            let target = match target {
                Target::Local { module, name } => format!("{module}::{name}"),
                Target::External(path) => path.join("::"),
                Target::Unknown => format!("?{name}"),
            };
            format!(
                "{target}<{}>",
                args.iter().map(ty_key).collect::<Vec<_>>().join(",")
            )
        }
        _ => "?".to_owned(),
    }
}

/// `ty` with the generic parameters of `env` replaced by their arguments.
fn subst(ty: &Ty, env: &Env) -> Ty {
    match ty {
        Ty::Param(name) => env
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map_or_else(|| ty.clone(), |(_, t)| t.clone()),
        Ty::Tuple(elems) => Ty::Tuple(elems.iter().map(|e| subst(e, env)).collect()),
        Ty::Array(elem) => Ty::Array(Box::new(subst(elem, env))),
        Ty::Path {
            target,
            args,
            name,
            span,
        } => Ty::Path {
            target: target.clone(),
            args: args.iter().map(|a| subst(a, env)).collect(),
            name: name.clone(),
            span: *span,
        },
        Ty::Alias { alias, span, ty } => Ty::Alias {
            alias: alias.clone(),
            span: *span,
            ty: Box::new(subst(ty, env)),
        },
        other => other.clone(),
    }
}

/// A JSON array of fixed length: its items' one schema when they agree, else any value.
fn tuple(mut schemas: Vec<Schema>) -> Schema {
    let n = schemas.len() as u64;
    let first = schemas.first().cloned().unwrap_or_default();
    let items = if schemas.iter().all(|s| *s == first) {
        schemas.truncate(1);
        first
    } else {
        Schema::any()
    };
    Schema {
        max_items: Some(n),
        min_items: Some(n),
        ..Schema::array(items)
    }
}

/// A set: an array whose scalar items the server keeps unique.
fn set(items: Schema) -> Schema {
    let scalar = items.is_scalar();
    Schema {
        list_type: scalar.then(|| "set".to_owned()),
        ..Schema::array(items)
    }
}

/// The schema of a primitive, with the bounds of its range where JSON's integers are wider.
fn primitive(name: &str) -> Option<Schema> {
    let integer = |format: Option<&str>, min: Option<i64>, max: Option<u64>| Schema {
        format: format.map(str::to_owned),
        minimum: min.map(Into::into),
        maximum: max.map(Into::into),
        ..Schema::typed("integer")
    };
    Some(match name {
        "bool" => Schema::typed("boolean"),
        "i8" => integer(Some("int32"), Some(-128), Some(127)),
        "i16" => integer(Some("int32"), Some(-32768), Some(32767)),
        "i32" => integer(Some("int32"), None, None),
        "i64" | "isize" => integer(Some("int64"), None, None),
        "u8" => integer(Some("int32"), Some(0), Some(255)),
        "u16" => integer(Some("int32"), Some(0), Some(65535)),
        "u32" => integer(Some("int64"), Some(0), Some(u64::from(u32::MAX))),
        "u64" | "usize" => integer(Some("int64"), Some(0), None),
        "i128" | "u128" => integer(None, None, None),
        "f32" => Schema {
            format: Some("float".to_owned()),
            ..Schema::typed("number")
        },
        "f64" => Schema {
            format: Some("double".to_owned()),
            ..Schema::typed("number")
        },
        "char" => Schema {
            max_length: Some(1),
            min_length: Some(1),
            ..Schema::typed("string")
        },
        _ => return None,
    })
}
