//! Name resolution over the [`ModuleTree`]: what a type path written in a module refers to
//! (through `use`, `pub use`, renames, globs, `crate::`/`self::`/`super::`, type aliases and
//! the re-exports of kube, kube-core and our runtime), and through which public path another
//! crate can name an item.
//!
//! A type is never judged by its last name alone: the tree's own `ObjectMeta` or `Option` is the
//! tree's own, and only a path that resolves to k8s-openapi's `ObjectMeta` is that type.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proc_macro2::Span;
use syn::spanned::Spanned;

use super::modules::{Entry, ModuleId, ModuleTree, UsePath};

/// How deep a type may nest (`Option<Option<…>>`, parentheses) before resolution gives up with
/// an error instead of risking the stack.
pub const MAX_TYPE_DEPTH: usize = 128;

/// How many `use` hops, alias expansions or globs a name may go through (a cycle never
/// compiles; this bounds the search, it never decides a correct program).
const MAX_HOPS: usize = 32;

/// A field's type as the compiler will see it.
#[derive(Clone, Debug)]
pub enum Ty {
    /// `()`.
    Unit,
    /// `bool`, `u8`, … (only when no item of that name shadows it), by name.
    Primitive(&'static str),
    Tuple(Vec<Ty>),
    Array(Box<Ty>),
    /// A generic parameter of the type being copied, by name.
    Param(String),
    /// A named type with its generic type arguments.
    Path {
        target: Target,
        args: Vec<Ty>,
        /// The last segment as written, for messages.
        name: String,
        span: Span,
    },
    /// Reached through a type alias (`alias` as written at `span`).
    Alias {
        alias: String,
        span: Span,
        ty: Box<Ty>,
    },
    Reference(Span),
    Pointer(Span),
    TraitObject(Span),
    ImplTrait(Span),
    /// Nested deeper than [`MAX_TYPE_DEPTH`].
    TooDeep(Span),
    /// Function pointers, `!`, slices, macros, qualified paths: left to the compiler.
    Other,
}

/// What a type path refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A struct, enum or union of the tree.
    Local { module: ModuleId, name: String },
    /// Another crate's item, by its canonical path (`std::collections::BTreeMap`,
    /// `k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta`).
    External(Vec<String>),
    /// Not found: a name from an extern glob import, a macro, or a path that does not compile.
    Unknown,
}

/// The standard and Kubernetes types the generators treat specially.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WellKnown {
    Option,
    Vec,
    Box,
    BTreeMap,
    HashMap,
    /// k8s-openapi's `ObjectMeta`.
    ObjectMeta,
}

const OBJECT_META: &[&str] = &[
    "k8s_openapi",
    "apimachinery",
    "pkg",
    "apis",
    "meta",
    "v1",
    "ObjectMeta",
];

impl Target {
    pub fn well_known(&self) -> Option<WellKnown> {
        let Target::External(path) = self else {
            return None;
        };
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        Some(match path.as_slice() {
            ["std", "option", "Option"] => WellKnown::Option,
            ["std", "vec", "Vec"] => WellKnown::Vec,
            ["std", "boxed", "Box"] => WellKnown::Box,
            ["std", "collections", "BTreeMap"] => WellKnown::BTreeMap,
            ["std", "collections", "HashMap"] => WellKnown::HashMap,
            p if p == OBJECT_META => WellKnown::ObjectMeta,
            _ => return None,
        })
    }
}

impl Ty {
    /// What the type is, looking through aliases.
    pub fn unaliased(&self) -> &Ty {
        match self {
            Ty::Alias { ty, .. } => ty.unaliased(),
            other => other,
        }
    }

    /// The well-known type this is (through aliases).
    pub fn well_known(&self) -> Option<WellKnown> {
        match self.unaliased() {
            Ty::Path { target, .. } => target.well_known(),
            _ => None,
        }
    }
}

/// Where a type is written: its module, the generic parameters in scope, and `Self`.
#[derive(Clone, Debug)]
pub struct Scope {
    pub module: ModuleId,
    pub params: BTreeSet<String>,
    /// The type `Self` names.
    pub self_type: Option<Target>,
}

/// What a path resolves to, before generic arguments.
#[derive(Clone, Debug)]
enum Resolved<'t> {
    Module(ModuleId),
    Type(ModuleId, String),
    Alias(ModuleId, &'t syn::ItemType),
    External(Vec<String>),
    Unknown,
}

const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64",
    "u128", "usize", "f32", "f64",
];

/// The primitive type named `name`, as a static name.
fn primitive(name: &str) -> Option<&'static str> {
    PRIMITIVES.iter().copied().find(|p| *p == name)
}

/// The prelude's types (Rust 2021/2024), by canonical path.
fn prelude(name: &str) -> Option<Vec<String>> {
    let path: &[&str] = match name {
        "Option" => &["std", "option", "Option"],
        "Vec" => &["std", "vec", "Vec"],
        "Box" => &["std", "boxed", "Box"],
        "String" => &["std", "string", "String"],
        "Result" => &["std", "result", "Result"],
        _ => return None,
    };
    Some(path.iter().map(|s| (*s).to_owned()).collect())
}

/// Re-exports that name one item by several paths, rewritten to the defining path. Prefixes
/// first (`kube::core` is `kube_core`), then items.
const REEXPORTS: &[(&[&str], &[&str])] = &[
    (&["core"], &["std"]),
    (&["alloc"], &["std"]),
    (&["kube_codegen_runtime", "k8s_openapi"], &["k8s_openapi"]),
    (&["kube_codegen_runtime", "kube_core"], &["kube_core"]),
    (&["kube_codegen_runtime", "kube"], &["kube"]),
    (&["kube", "core"], &["kube_core"]),
    (&["kube", "api"], &["kube_client", "api"]),
    (
        &["kube_client", "api", "ObjectMeta"],
        &["kube_core", "ObjectMeta"],
    ),
    (
        &["kube_core", "metadata", "ObjectMeta"],
        &["kube_core", "ObjectMeta"],
    ),
    (&["kube_core", "ObjectMeta"], OBJECT_META),
    (
        &["std", "collections", "btree_map", "BTreeMap"],
        &["std", "collections", "BTreeMap"],
    ),
    (
        &["std", "collections", "hash_map", "HashMap"],
        &["std", "collections", "HashMap"],
    ),
];

/// The defining path of an external item.
fn canonical(mut path: Vec<String>) -> Vec<String> {
    for _ in 0..MAX_HOPS {
        let rule = REEXPORTS.iter().find(|(from, _)| {
            path.len() >= from.len() && path.iter().zip(from.iter()).all(|(a, b)| a == b)
        });
        let Some((from, to)) = rule else {
            break;
        };
        let mut rewritten: Vec<String> = to.iter().map(|s| (*s).to_owned()).collect();
        rewritten.extend(path.drain(from.len()..));
        path = rewritten;
    }
    path
}

/// Resolves names over one [`ModuleTree`].
#[derive(Debug)]
pub struct Resolver<'a, 't> {
    pub tree: &'a ModuleTree<'t>,
    /// For items not public where they are declared: the shortest path of re-exports (`pub use`)
    /// from their crate's root, by (module, name).
    reexported: BTreeMap<(ModuleId, String), Vec<String>>,
    /// Names looked up so far: `None` while one is being resolved.
    lookups: RefCell<BTreeMap<(ModuleId, String), Option<Resolved<'t>>>>,
}

impl<'a, 't> Resolver<'a, 't> {
    pub fn new(tree: &'a ModuleTree<'t>) -> Self {
        let mut resolver = Resolver {
            tree,
            reexported: BTreeMap::new(),
            lookups: RefCell::new(BTreeMap::new()),
        };
        resolver.reexported = resolver.public_reexports();
        resolver
    }

    /// The type `ty` written in `scope`.
    pub fn resolve_type(&self, scope: &Scope, ty: &syn::Type) -> Ty {
        self.ty(scope, &BTreeMap::new(), ty, 0)
    }

    fn ty(&self, scope: &Scope, env: &BTreeMap<String, Ty>, ty: &syn::Type, depth: usize) -> Ty {
        if depth > MAX_TYPE_DEPTH {
            return Ty::TooDeep(ty.span());
        }
        let next = |t: &syn::Type| self.ty(scope, env, t, depth + 1);
        match ty {
            syn::Type::Paren(p) => next(&p.elem),
            syn::Type::Group(g) => next(&g.elem),
            syn::Type::Tuple(t) if t.elems.is_empty() => Ty::Unit,
            syn::Type::Tuple(t) => Ty::Tuple(t.elems.iter().map(next).collect()),
            syn::Type::Array(a) => Ty::Array(Box::new(next(&a.elem))),
            syn::Type::Reference(r) => Ty::Reference(r.and_token.span),
            syn::Type::Ptr(p) => Ty::Pointer(p.span()),
            syn::Type::TraitObject(t) => Ty::TraitObject(t.span()),
            syn::Type::ImplTrait(t) => Ty::ImplTrait(t.span()),
            syn::Type::Path(p) if p.qself.is_none() => self.path_ty(scope, env, &p.path, depth),
            _ => Ty::Other,
        }
    }

    fn path_ty(
        &self,
        scope: &Scope,
        env: &BTreeMap<String, Ty>,
        path: &syn::Path,
        depth: usize,
    ) -> Ty {
        let Some(last) = path.segments.last() else {
            return Ty::Other;
        };
        let name = last.ident.to_string();
        let span = last.ident.span();
        let args: Vec<Ty> = match &last.arguments {
            syn::PathArguments::AngleBracketed(a) => a
                .args
                .iter()
                .filter_map(|arg| match arg {
                    syn::GenericArgument::Type(t) => Some(self.ty(scope, env, t, depth + 1)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let single = path.leading_colon.is_none() && path.segments.len() == 1;
        if single {
            if let Some(bound) = env.get(&name) {
                return bound.clone();
            }
            if scope.params.contains(&name) {
                return Ty::Param(name);
            }
            if name == "Self"
                && let Some(target) = &scope.self_type
            {
                return Ty::Path {
                    target: target.clone(),
                    args,
                    name,
                    span,
                };
            }
        }
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let use_path = UsePath {
            global: path.leading_colon.is_some(),
            segments,
        };
        let resolved = match self.resolve_path(scope.module, &use_path, 0) {
            Resolved::Unknown if single && let Some(p) = primitive(&name) => {
                return Ty::Primitive(p);
            }
            Resolved::Unknown if single => match prelude(&name) {
                Some(p) => Resolved::External(p),
                None => Resolved::Unknown,
            },
            other => other,
        };
        let target = match resolved {
            Resolved::Type(module, name) => Target::Local { module, name },
            Resolved::External(p) => Target::External(canonical(p)),
            Resolved::Alias(module, alias) => {
                return Ty::Alias {
                    alias: name,
                    span,
                    ty: Box::new(self.expand_alias(module, alias, args, depth)),
                };
            }
            Resolved::Module(_) | Resolved::Unknown => Target::Unknown,
        };
        Ty::Path {
            target,
            args,
            name,
            span,
        }
    }

    /// The alias's type, resolved where the alias is declared, with its parameters bound to
    /// the arguments (already resolved where the alias is used).
    fn expand_alias(
        &self,
        module: ModuleId,
        alias: &syn::ItemType,
        args: Vec<Ty>,
        depth: usize,
    ) -> Ty {
        let env: BTreeMap<String, Ty> = alias
            .generics
            .type_params()
            .map(|p| p.ident.to_string())
            .zip(args)
            .collect();
        let scope = Scope {
            module,
            params: BTreeSet::new(),
            self_type: None,
        };
        // Each expansion counts as several levels, so alias chains are bounded too.
        self.ty(&scope, &env, &alias.ty, depth + 4)
    }

    /// What `path`, written in `module`, refers to.
    fn resolve_path(&self, module: ModuleId, path: &UsePath, hops: usize) -> Resolved<'t> {
        if hops > MAX_HOPS {
            return Resolved::Unknown;
        }
        let Some((first, rest)) = path.segments.split_first() else {
            return Resolved::Unknown;
        };
        let mut current = if path.global {
            Resolved::External(vec![first.clone()])
        } else {
            match first.as_str() {
                "crate" => Resolved::Module(self.crate_root(module)),
                "self" => Resolved::Module(module),
                "super" => match self.tree.modules[module].parent {
                    Some(p) => Resolved::Module(p),
                    None => return Resolved::Unknown,
                },
                name => match self.lookup(module, name, hops + 1) {
                    Resolved::Unknown if !rest.is_empty() => {
                        // Not an item of the module: an extern crate (`std`, `k8s_openapi`).
                        Resolved::External(vec![name.to_owned()])
                    }
                    found => found,
                },
            }
        };
        for segment in rest {
            current = match current {
                Resolved::Module(m) if segment == "super" => match self.tree.modules[m].parent {
                    Some(p) => Resolved::Module(p),
                    None => return Resolved::Unknown,
                },
                Resolved::Module(m) => self.lookup(m, segment, hops + 1),
                Resolved::External(mut p) => {
                    p.push(segment.clone());
                    Resolved::External(p)
                }
                // An enum's variant or an associated item: not a type we follow.
                _ => Resolved::Unknown,
            };
        }
        current
    }

    /// The type-namespace item `name` of `module`: its own items and imports, then its globs.
    /// Answers are remembered; a name asked again while it is being resolved (an import cycle,
    /// or a glob whose own path goes through the globs) is not found.
    fn lookup(&self, module: ModuleId, name: &str, hops: usize) -> Resolved<'t> {
        let key = (module, name.to_owned());
        if let Some(known) = self.lookups.borrow().get(&key) {
            return known.clone().unwrap_or(Resolved::Unknown);
        }
        if hops > MAX_HOPS {
            return Resolved::Unknown;
        }
        self.lookups.borrow_mut().insert(key.clone(), None);
        let found = self.lookup_uncached(module, name, hops);
        self.lookups.borrow_mut().insert(key, Some(found.clone()));
        found
    }

    fn lookup_uncached(&self, module: ModuleId, name: &str, hops: usize) -> Resolved<'t> {
        let m = &self.tree.modules[module];
        if let Some(entry) = m.names.get(name) {
            return match entry {
                Entry::Type { .. } => Resolved::Type(module, name.to_owned()),
                Entry::Alias { alias, .. } => Resolved::Alias(module, alias),
                Entry::Module { id, .. } => Resolved::Module(*id),
                Entry::Import { path, .. } => {
                    // `use foo;` of an extern crate names itself: do not look it up in place.
                    if !path.global && path.segments.len() == 1 && path.segments[0] == name {
                        return Resolved::External(path.segments.clone());
                    }
                    self.resolve_path(module, path, hops + 1)
                }
                Entry::ExternCrate { name, .. } => Resolved::External(vec![name.clone()]),
                Entry::Other => Resolved::Unknown,
            };
        }
        for (glob, _) in &m.globs {
            match self.resolve_path(module, glob, hops + 1) {
                Resolved::Module(g) if g != module => match self.lookup(g, name, hops + 1) {
                    Resolved::Unknown => {}
                    found => return found,
                },
                // An extern glob: only names we know the crate has can be taken from it.
                Resolved::External(mut p) => {
                    p.push(name.to_owned());
                    let p = canonical(p);
                    let known = Target::External(p.clone()).well_known().is_some();
                    if known {
                        return Resolved::External(p);
                    }
                }
                _ => {}
            }
        }
        Resolved::Unknown
    }

    fn crate_root(&self, module: ModuleId) -> ModuleId {
        self.tree.crates[self.tree.modules[module].krate].root
    }

    /// The path (from its crate's root) through which another crate names the item `name` of
    /// `module`: where it is declared when every module on the way is `pub`, else the shortest
    /// chain of `pub use` re-exports. `None` when no public path reaches it.
    pub fn public_path(&self, module: ModuleId, name: &str) -> Option<Vec<String>> {
        if self.first_private_module(module).is_none() && self.is_public_item(module, name) {
            let mut path = self.tree.modules[module].path.clone();
            path.push(name.to_owned());
            return Some(path);
        }
        self.reexported.get(&(module, name.to_owned())).cloned()
    }

    /// The first module on the way from the crate root to `module` that is not `pub`.
    pub fn first_private_module(&self, module: ModuleId) -> Option<ModuleId> {
        let chain: Vec<ModuleId> = self.tree.ancestors(module).collect();
        chain
            .into_iter()
            .rev()
            .find(|&m| self.tree.modules[m].parent.is_some() && !self.tree.modules[m].public)
    }

    fn is_public_item(&self, module: ModuleId, name: &str) -> bool {
        matches!(
            self.tree.modules[module].names.get(name),
            Some(Entry::Type { public: true, .. })
        )
    }

    /// Breadth-first over every crate's public modules and `pub use` re-exports: the first
    /// (shortest, then alphabetical) public path to each type item.
    fn public_reexports(&self) -> BTreeMap<(ModuleId, String), Vec<String>> {
        const MAX_PATH: usize = 16;
        let mut found: BTreeMap<(ModuleId, String), Vec<String>> = BTreeMap::new();
        for krate in &self.tree.crates {
            let mut seen: BTreeSet<(ModuleId, Vec<String>)> = BTreeSet::new();
            let mut queue: VecDeque<(ModuleId, Vec<String>)> = VecDeque::new();
            queue.push_back((krate.root, Vec::new()));
            while let Some((module, path)) = queue.pop_front() {
                if path.len() > MAX_PATH || !seen.insert((module, path.clone())) {
                    continue;
                }
                let m = &self.tree.modules[module];
                let mut reach = |resolved: Resolved<'t>, name: &str| {
                    let mut here = path.clone();
                    here.push(name.to_owned());
                    match resolved {
                        Resolved::Module(id) => queue.push_back((id, here)),
                        Resolved::Type(owner, item) if self.is_public_item(owner, &item) => {
                            found.entry((owner, item)).or_insert(here);
                        }
                        _ => {}
                    }
                };
                for (name, entry) in &m.names {
                    match entry {
                        Entry::Type { public: true, .. } => {
                            reach(Resolved::Type(module, name.clone()), name);
                        }
                        Entry::Module { id, public: true } => reach(Resolved::Module(*id), name),
                        Entry::Import { public: true, .. } => {
                            reach(self.lookup(module, name, 0), name);
                        }
                        _ => {}
                    }
                }
                for (glob, public) in &m.globs {
                    if *public && let Resolved::Module(g) = self.resolve_path(module, glob, 0) {
                        queue.push_back((g, path.clone()));
                    }
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::modules::tests::{krate, tree_of};
    use super::*;
    use crate::source::SourceTree;

    /// Resolves the type of field `field` of the first struct of `file`.
    fn field_ty(tree: &SourceTree, file: &str, field: &str) -> Ty {
        let (modules, errors) = ModuleTree::load(tree, &[krate()], &[Path::new("/r/src")]);
        assert!(errors.is_empty(), "{errors:?}");
        let resolver = Resolver::new(&modules);
        let path = Path::new("/r").join(file);
        let module = modules.module_of_file(&path).expect("a module");
        let syntax = modules.modules[module].file.syntax().expect("parses");
        let ty = syntax
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Struct(s) => s
                    .fields
                    .iter()
                    .find(|f| f.ident.as_ref().is_some_and(|i| i == field))
                    .map(|f| f.ty.clone()),
                _ => None,
            })
            .expect("the field");
        let scope = Scope {
            module,
            params: BTreeSet::from(["T".to_owned()]),
            self_type: None,
        };
        resolver.resolve_type(&scope, &ty)
    }

    fn target(ty: &Ty) -> String {
        match ty.unaliased() {
            Ty::Path {
                target: Target::Local { name, .. },
                ..
            } => format!("local {name}"),
            Ty::Path {
                target: Target::External(p),
                ..
            } => p.join("::"),
            Ty::Path {
                target: Target::Unknown,
                name,
                ..
            } => format!("unknown {name}"),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn object_meta_only_when_the_path_reaches_k8s_openapi() {
        let tree = tree_of(&[
            (
                "src/lib.rs",
                "pub mod meta;\npub mod v1;\npub mod v2;\npub mod v3;\n",
            ),
            (
                "src/meta.rs",
                "pub struct ObjectMeta { pub name: String }\n",
            ),
            (
                "src/v1.rs",
                "use crate::meta::ObjectMeta;\npub struct A { pub metadata: ObjectMeta }\n",
            ),
            (
                "src/v2.rs",
                "use kube::api::ObjectMeta as Meta;\npub struct A { pub metadata: Meta, pub other: super::meta::ObjectMeta }\n",
            ),
            (
                "src/v3.rs",
                "use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;\nuse kube_codegen_runtime::kube_core::ObjectMeta;\npub struct A { pub a: metav1::ObjectMeta, pub b: ObjectMeta, pub c: kube::core::metadata::ObjectMeta }\n",
            ),
        ]);
        assert_eq!(
            target(&field_ty(&tree, "src/v1.rs", "metadata")),
            "local ObjectMeta"
        );
        let meta = OBJECT_META.join("::");
        assert_eq!(target(&field_ty(&tree, "src/v2.rs", "metadata")), meta);
        assert_eq!(
            target(&field_ty(&tree, "src/v2.rs", "other")),
            "local ObjectMeta"
        );
        for f in ["a", "b", "c"] {
            assert_eq!(target(&field_ty(&tree, "src/v3.rs", f)), meta, "{f}");
        }
    }

    #[test]
    fn std_names_of_the_tree_are_the_trees() {
        let tree = tree_of(&[
            ("src/lib.rs", "pub mod v1;\n"),
            (
                "src/v1.rs",
                "mod own { pub struct Vec<T>(pub T); }\nuse own::Vec;\npub struct Option;\npub struct A { pub a: Vec<u8>, pub b: Option, pub c: String, pub d: std::vec::Vec<T>, pub e: ::core::option::Option<u8> }\n",
            ),
        ]);
        assert_eq!(target(&field_ty(&tree, "src/v1.rs", "a")), "local Vec");
        assert_eq!(target(&field_ty(&tree, "src/v1.rs", "b")), "local Option");
        assert_eq!(
            target(&field_ty(&tree, "src/v1.rs", "c")),
            "std::string::String"
        );
        assert_eq!(target(&field_ty(&tree, "src/v1.rs", "d")), "std::vec::Vec");
        assert_eq!(
            target(&field_ty(&tree, "src/v1.rs", "e")),
            "std::option::Option"
        );
    }

    #[test]
    fn aliases_are_followed_where_they_are_declared() {
        let tree = tree_of(&[
            ("src/lib.rs", "pub mod aliases;\npub mod v1;\n"),
            (
                "src/aliases.rs",
                "use std::collections::BTreeMap;\nuse std::sync::{Arc, Mutex};\npub type Map<V> = BTreeMap<String, V>;\npub type Shared = Arc<Mutex<Vec<String>>>;\n",
            ),
            (
                "src/v1.rs",
                "use crate::aliases::*;\npub struct A { pub m: Map<T>, pub s: Shared }\n",
            ),
        ]);
        let m = field_ty(&tree, "src/v1.rs", "m");
        assert_eq!(m.well_known(), Some(WellKnown::BTreeMap));
        let Ty::Path { args, .. } = m.unaliased() else {
            panic!("a path: {m:?}");
        };
        assert!(matches!(&args[1], Ty::Param(p) if p == "T"), "{args:?}");
        let s = field_ty(&tree, "src/v1.rs", "s");
        assert_eq!(target(&s), "std::sync::Arc");
        let Ty::Path { args, .. } = s.unaliased() else {
            panic!("a path: {s:?}");
        };
        assert_eq!(target(&args[0]), "std::sync::Mutex");
    }

    #[test]
    fn public_paths_follow_reexports() {
        let tree = tree_of(&[
            (
                "src/lib.rs",
                "mod stable;\npub use stable::v1;\npub mod open;\n",
            ),
            ("src/stable.rs", "pub mod v1;\n"),
            ("src/stable/v1.rs", "pub struct Widget;\n"),
            ("src/open.rs", "mod hidden;\npub struct Shown;\n"),
            ("src/open/hidden.rs", "pub struct Hidden;\n"),
        ]);
        let (modules, _) = ModuleTree::load(&tree, &[krate()], &[Path::new("/r/src")]);
        let resolver = Resolver::new(&modules);
        let module = |f: &str| {
            modules
                .module_of_file(&Path::new("/r").join(f))
                .expect("module")
        };
        assert_eq!(
            resolver.public_path(module("src/stable/v1.rs"), "Widget"),
            Some(vec!["v1".to_owned(), "Widget".to_owned()])
        );
        assert_eq!(
            resolver.public_path(module("src/open.rs"), "Shown"),
            Some(vec!["open".to_owned(), "Shown".to_owned()])
        );
        assert_eq!(
            resolver.public_path(module("src/open/hidden.rs"), "Hidden"),
            None
        );
        let private = resolver.first_private_module(module("src/open/hidden.rs"));
        assert_eq!(
            private.map(|m| modules.modules[m].path.join("::")),
            Some("open::hidden".to_owned())
        );
    }
}
