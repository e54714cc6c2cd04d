//! The module trees of the tree's crates, as rustc builds them: from each crate's root file
//! (`src/lib.rs`, `src/main.rs`, or `[lib] path`), following `mod` declarations (file modules,
//! inline modules, `#[path]`), with the type-namespace items and imports of every module.
//!
//! This is the tree's symbol table. The file walk only finds files; whether a file is part of a
//! crate, under which module path, and what a name in it refers to, is decided here, so every
//! generator names things the way the compiler will resolve them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::manifest::Crate;
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, SourceTree};

/// Index of a module in [`ModuleTree::modules`].
pub type ModuleId = usize;

/// Every module of the crates that were loaded.
#[derive(Debug, Default)]
pub struct ModuleTree<'t> {
    pub crates: Vec<CrateRoot>,
    pub modules: Vec<Module<'t>>,
    /// The module each loaded file holds (absolute path → the file's own module).
    file_modules: BTreeMap<PathBuf, ModuleId>,
    /// Child directories of modules whose file does not parse (what they declare is unknown),
    /// and the second file of a module with two: files there are neither in nor out of the
    /// crate, and the error that says why is reported already.
    pub unknown_dirs: Vec<PathBuf>,
}

/// One crate target whose module tree was loaded.
#[derive(Debug)]
pub struct CrateRoot {
    /// The Rust name generated code uses for it (`widgets_api`).
    pub name: String,
    /// The directory holding its `Cargo.toml`.
    pub dir: PathBuf,
    pub root: ModuleId,
}

/// One module: a file module, an inline module, or a crate root.
#[derive(Debug)]
pub struct Module<'t> {
    pub krate: usize,
    /// Names from the crate root (empty for the root itself).
    pub path: Vec<String>,
    pub parent: Option<ModuleId>,
    /// The file whose text holds the module's items.
    pub file: &'t SourceFile,
    /// Inline modules between the file's own module and this one (outermost first).
    pub inline_path: Vec<String>,
    /// Declared `pub` (plain `pub`; `pub(crate)` and narrower do not reach other crates).
    pub public: bool,
    /// Where its `mod x;` children are looked for.
    pub child_dir: PathBuf,
    /// Its type-namespace names: types, aliases, modules, imports.
    pub names: BTreeMap<String, Entry<'t>>,
    /// `use path::*` imports, with whether each is `pub`.
    pub globs: Vec<(UsePath, bool)>,
    /// `impl Clone for …` blocks written in this module: the implemented type's path.
    pub clone_impls: Vec<&'t syn::Type>,
}

/// What a name of a module's type namespace is.
#[derive(Debug)]
pub enum Entry<'t> {
    /// A struct, enum or union declared here.
    Type {
        item: &'t syn::Item,
        public: bool,
    },
    Alias {
        alias: &'t syn::ItemType,
        public: bool,
    },
    Module {
        id: ModuleId,
        public: bool,
    },
    /// `use path [as name];`
    Import {
        path: UsePath,
        public: bool,
    },
    /// `extern crate name [as alias];`
    ExternCrate {
        name: String,
        public: bool,
    },
    /// A trait, or another item that is not a type a field can hold.
    Other,
}

/// The path of a `use` declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsePath {
    /// Starts with `::` (an extern crate).
    pub global: bool,
    pub segments: Vec<String>,
}

impl<'t> ModuleTree<'t> {
    /// Loads the module tree of every crate whose directory holds one of `wanted` (absolute
    /// file paths), from its root file. Errors are rustc's (E0761: one module, two files).
    pub fn load(
        tree: &'t SourceTree,
        crates: &[Crate],
        wanted: &[&Path],
    ) -> (ModuleTree<'t>, Vec<Diagnostic>) {
        let files: BTreeMap<&Path, &'t SourceFile> =
            tree.files.iter().map(|f| (f.path.as_path(), f)).collect();
        let mut loader = Loader {
            files,
            out: ModuleTree::default(),
            errors: Vec::new(),
        };
        for krate in crates {
            if !wanted.iter().any(|w| w.starts_with(&krate.dir)) {
                continue;
            }
            for root in krate.roots() {
                let Some(file) = loader.files.get(root.as_path()).copied() else {
                    continue;
                };
                let index = loader.out.crates.len();
                let id = loader.load_file(file, index, Vec::new(), None, true, false);
                loader.out.crates.push(CrateRoot {
                    name: krate.lib_name.clone(),
                    dir: krate.dir.clone(),
                    root: id,
                });
            }
        }
        (loader.out, loader.errors)
    }

    /// The module a loaded file holds.
    pub fn module_of_file(&self, path: &Path) -> Option<ModuleId> {
        self.file_modules.get(path).copied()
    }

    /// The module reached from `file`'s own module through `inline` inline modules.
    pub fn inline_module(&self, file: ModuleId, inline: &[syn::Ident]) -> Option<ModuleId> {
        let mut id = file;
        for name in inline {
            match self.modules[id].names.get(&name.to_string()) {
                Some(Entry::Module { id: child, .. }) => id = *child,
                _ => return None,
            }
        }
        Some(id)
    }

    /// `module` and its ancestors, innermost first.
    pub fn ancestors(&self, module: ModuleId) -> impl Iterator<Item = ModuleId> + '_ {
        std::iter::successors(Some(module), |&m| self.modules[m].parent)
    }
}

struct Loader<'t> {
    files: BTreeMap<&'t Path, &'t SourceFile>,
    out: ModuleTree<'t>,
    errors: Vec<Diagnostic>,
}

impl<'t> Loader<'t> {
    /// Adds the module held by `file`. `mod_rs`: its children live in its own directory (crate
    /// roots, `mod.rs`, and files loaded through `#[path]`, as rustc treats them).
    fn load_file(
        &mut self,
        file: &'t SourceFile,
        krate: usize,
        path: Vec<String>,
        parent: Option<ModuleId>,
        public: bool,
        by_path_attribute: bool,
    ) -> ModuleId {
        let dir = file.path.parent().unwrap_or(Path::new("")).to_path_buf();
        let mod_rs = by_path_attribute
            || parent.is_none()
            || file.path.file_name().is_some_and(|n| n == "mod.rs");
        let child_dir = if mod_rs {
            dir.clone()
        } else {
            let stem = file.path.file_stem().unwrap_or_default();
            dir.join(stem)
        };
        let id = self.new_module(Module {
            krate,
            path,
            parent,
            file,
            inline_path: Vec::new(),
            public,
            child_dir,
            names: BTreeMap::new(),
            globs: Vec::new(),
            clone_impls: Vec::new(),
        });
        self.out.file_modules.entry(file.path.clone()).or_insert(id);
        // A file that does not parse has no items we can see; its parse error is reported where
        // it matters (files with markers or in an API package).
        match file.syntax() {
            Ok(syntax) => self.load_items(id, &syntax.items, &dir),
            Err(_) => {
                let child_dir = self.out.modules[id].child_dir.clone();
                self.out.unknown_dirs.push(child_dir);
            }
        }
        id
    }

    fn new_module(&mut self, module: Module<'t>) -> ModuleId {
        self.out.modules.push(module);
        self.out.modules.len() - 1
    }

    /// Records `items` in module `id`; `path_dir` is where a `#[path]` on them is relative to.
    fn load_items(&mut self, id: ModuleId, items: &'t [syn::Item], path_dir: &Path) {
        for item in items {
            match item {
                syn::Item::Struct(s) => self.name(id, &s.ident, type_entry(item, &s.vis)),
                syn::Item::Enum(e) => self.name(id, &e.ident, type_entry(item, &e.vis)),
                syn::Item::Union(u) => self.name(id, &u.ident, type_entry(item, &u.vis)),
                syn::Item::Type(t) => self.name(
                    id,
                    &t.ident,
                    Entry::Alias {
                        alias: t,
                        public: is_pub(&t.vis),
                    },
                ),
                syn::Item::Trait(t) => self.name(id, &t.ident, Entry::Other),
                syn::Item::TraitAlias(t) => self.name(id, &t.ident, Entry::Other),
                syn::Item::ExternCrate(e) => {
                    let name = e.rename.as_ref().map_or(&e.ident, |(_, r)| r);
                    let entry = Entry::ExternCrate {
                        name: e.ident.to_string(),
                        public: is_pub(&e.vis),
                    };
                    self.name(id, name, entry);
                }
                syn::Item::Use(u) => {
                    let mut prefix = UsePath {
                        global: u.leading_colon.is_some(),
                        segments: Vec::new(),
                    };
                    self.load_use(id, &u.tree, &mut prefix, is_pub(&u.vis));
                }
                syn::Item::Impl(i) => {
                    let is_clone = i
                        .trait_
                        .as_ref()
                        .and_then(|(path, _)| path.segments.last())
                        .is_some_and(|s| s.ident == "Clone");
                    if is_clone {
                        self.out.modules[id].clone_impls.push(&i.self_ty);
                    }
                }
                syn::Item::Mod(m) => self.load_mod(id, m, path_dir),
                _ => {}
            }
        }
    }

    fn name(&mut self, id: ModuleId, ident: &syn::Ident, entry: Entry<'t>) {
        let name = syn::ext::IdentExt::unraw(ident).to_string();
        // Two items of one name do not compile; the first is as good a guess as any.
        self.out.modules[id].names.entry(name).or_insert(entry);
    }

    fn load_use(&mut self, id: ModuleId, tree: &syn::UseTree, prefix: &mut UsePath, public: bool) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.segments.push(p.ident.to_string());
                self.load_use(id, &p.tree, prefix, public);
                prefix.segments.pop();
            }
            syn::UseTree::Name(n) => {
                let mut path = prefix.clone();
                if n.ident == "self" {
                    // `use a::b::{self}` imports `b`.
                    let Some(last) = path.segments.last().cloned() else {
                        return;
                    };
                    let ident = syn::Ident::new(&last, n.ident.span());
                    self.name(id, &ident, Entry::Import { path, public });
                } else {
                    path.segments.push(n.ident.to_string());
                    self.name(id, &n.ident, Entry::Import { path, public });
                }
            }
            syn::UseTree::Rename(r) => {
                let mut path = prefix.clone();
                if r.ident != "self" {
                    path.segments.push(r.ident.to_string());
                }
                if r.rename != "_" {
                    self.name(id, &r.rename, Entry::Import { path, public });
                }
            }
            syn::UseTree::Glob(_) => self.out.modules[id].globs.push((prefix.clone(), public)),
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.load_use(id, tree, prefix, public);
                }
            }
        }
    }

    fn load_mod(&mut self, parent: ModuleId, m: &'t syn::ItemMod, path_dir: &Path) {
        let name = syn::ext::IdentExt::unraw(&m.ident).to_string();
        let public = is_pub(&m.vis);
        let krate = self.out.modules[parent].krate;
        let mut path = self.out.modules[parent].path.clone();
        path.push(name.clone());
        let parent_dir = self.out.modules[parent].child_dir.clone();
        if let Some((_, content)) = &m.content {
            let file = self.out.modules[parent].file;
            let mut inline_path = self.out.modules[parent].inline_path.clone();
            inline_path.push(name.clone());
            let child_dir = parent_dir.join(&name);
            let id = self.new_module(Module {
                krate,
                path,
                parent: Some(parent),
                file,
                inline_path,
                public,
                child_dir: child_dir.clone(),
                names: BTreeMap::new(),
                globs: Vec::new(),
                clone_impls: Vec::new(),
            });
            self.out.modules[parent]
                .names
                .entry(name)
                .or_insert(Entry::Module { id, public });
            // `#[path]` inside an inline module is relative to the inline module's directory.
            self.load_items(id, content, &child_dir);
            return;
        }
        let (candidates, by_path_attribute) = match path_attribute(&m.attrs) {
            Some(p) => {
                let base = if self.out.modules[parent].inline_path.is_empty() {
                    path_dir.to_path_buf()
                } else {
                    parent_dir.clone()
                };
                (vec![base.join(p)], true)
            }
            None => (
                vec![
                    parent_dir.join(format!("{name}.rs")),
                    parent_dir.join(&name).join("mod.rs"),
                ],
                false,
            ),
        };
        let found: Vec<&'t SourceFile> = candidates
            .iter()
            .filter_map(|c| self.files.get(c.as_path()).copied())
            .collect();
        if found.len() > 1 {
            let start = m.ident.span().start();
            let declaring = self.out.modules[parent].file;
            self.errors.push(
                Diagnostic::new(
                    &declaring.rel,
                    format!(
                        "module `{name}` has two files: `{}` and `{}`",
                        found[0].rel.display(),
                        found[1].rel.display()
                    ),
                )
                .at(start.line, start.column + 1)
                .width(name.chars().count())
                .help("delete or rename one of them: rustc rejects this declaration (E0761)"),
            );
            self.out
                .unknown_dirs
                .extend(found[1..].iter().map(|f| f.path.clone()));
        }
        // A missing file is rustc's error to report (E0583), or `zz_generated`, ours to write.
        let Some(file) = found.first().copied() else {
            return;
        };
        if self.out.file_modules.contains_key(&file.path) {
            // Declared twice (e.g. by two `#[path]`s): one module is enough to resolve names.
            return;
        }
        let id = self.load_file(file, krate, path, Some(parent), public, by_path_attribute);
        self.out.modules[parent]
            .names
            .entry(name)
            .or_insert(Entry::Module { id, public });
    }
}

fn type_entry<'t>(item: &'t syn::Item, vis: &syn::Visibility) -> Entry<'t> {
    Entry::Type {
        item,
        public: is_pub(vis),
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The value of `#[path = "…"]`.
fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn tree_of(files: &[(&str, &str)]) -> SourceTree {
        let root = PathBuf::from("/r");
        let files = files
            .iter()
            .map(|(p, t)| SourceFile::new(root.join(p), PathBuf::from(p), (*t).to_owned()))
            .collect();
        SourceTree {
            root,
            files,
            generated: Vec::new(),
            manifests: Vec::new(),
        }
    }

    pub(crate) fn krate() -> Crate {
        Crate {
            dir: PathBuf::from("/r"),
            manifest: PathBuf::from("Cargo.toml"),
            package_name: "api".to_owned(),
            lib_name: "api".to_owned(),
            lib_path: None,
            clientset: None,
            informers: None,
            cluster_aware: None,
            crds: None,
            declared: Default::default(),
        }
    }

    fn paths(tree: &ModuleTree<'_>) -> Vec<String> {
        tree.modules
            .iter()
            .map(|m| format!("{} {}", m.path.join("::"), m.file.rel.display()))
            .collect()
    }

    #[test]
    fn follows_mod_declarations_not_the_file_walk() {
        let tree = tree_of(&[
            (
                "src/lib.rs",
                "pub mod a;\nmod b;\n#[path = \"other/c_impl.rs\"] pub mod c;\n",
            ),
            ("src/a.rs", "pub mod v1;\n"),
            (
                "src/a/v1/mod.rs",
                "mod types;\nmod inline { pub mod deep; }\n",
            ),
            ("src/a/v1/types.rs", ""),
            ("src/a/v1/inline/deep.rs", ""),
            ("src/b/mod.rs", ""),
            ("src/other/c_impl.rs", "mod d;\n"),
            ("src/other/d.rs", ""),
            ("src/undeclared/v2.rs", ""),
        ]);
        let krate = krate();
        let (modules, errors) =
            ModuleTree::load(&tree, std::slice::from_ref(&krate), &[Path::new("/r/src")]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            paths(&modules),
            [
                " src/lib.rs",
                "a src/a.rs",
                "a::v1 src/a/v1/mod.rs",
                "a::v1::types src/a/v1/types.rs",
                "a::v1::inline src/a/v1/mod.rs",
                "a::v1::inline::deep src/a/v1/inline/deep.rs",
                "b src/b/mod.rs",
                "c src/other/c_impl.rs",
                "c::d src/other/d.rs",
            ]
        );
        assert!(
            modules
                .module_of_file(Path::new("/r/src/undeclared/v2.rs"))
                .is_none()
        );
    }

    #[test]
    fn one_module_in_two_files_is_rustcs_e0761() {
        let tree = tree_of(&[
            ("src/lib.rs", "pub mod a;\n"),
            ("src/a.rs", "pub mod v1;\n"),
            ("src/a/v1.rs", ""),
            ("src/a/v1/mod.rs", ""),
        ]);
        let (_, errors) = ModuleTree::load(&tree, &[krate()], &[Path::new("/r/src")]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].location(), "src/a.rs:1:9");
        assert_eq!(
            errors[0].message,
            "module `v1` has two files: `src/a/v1.rs` and `src/a/v1/mod.rs`"
        );
    }
}
