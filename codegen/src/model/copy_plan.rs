//! How each field is deep-copied, decided from its type; and the types that cannot be.

use super::resolve::{MAX_TYPE_DEPTH, Target, Ty, WellKnown};

/// How to copy one value into an existing one, reusing its allocations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyPlan {
    /// A primitive: plain assignment (`self.x = source.x`).
    Copy,
    /// The type's own `clone_from` already reuses all the way down (String, generated types,
    /// foreign types, and Vec/Option/Box of those).
    CloneFrom,
    Vec(Box<CopyPlan>),
    Option(Box<CopyPlan>),
    Box(Box<CopyPlan>),
    BTreeMap(Box<CopyPlan>),
    HashMap(Box<CopyPlan>),
    /// Element-wise (tuples' own `clone_from` rebuilds them).
    Tuple(Vec<CopyPlan>),
    /// Element-wise over a fixed-size array.
    Array(Box<CopyPlan>),
    /// k8s-openapi's `ObjectMeta`, whose derived `clone_from` rebuilds it: copied field by field
    /// by `kube_codegen_runtime::deepcopy::object_meta_clone_from`.
    ObjectMeta,
}

impl CopyPlan {
    /// The standard library's `clone_from` for this container already reuses buffers all the
    /// way down, so no helper is needed.
    pub fn is_direct(&self) -> bool {
        matches!(self, CopyPlan::Copy | CopyPlan::CloneFrom)
    }
}

/// Why a type cannot be deep-copied, with the span to point at.
#[derive(Debug)]
pub struct Uncopyable {
    pub span: proc_macro2::Span,
    pub message: String,
    pub help: String,
}

/// Types whose contents can change behind a shared reference: a deep copy could not be a
/// snapshot of them.
const INTERIOR_MUTABILITY: &[&str] = &[
    "Cell",
    "RefCell",
    "UnsafeCell",
    "SyncUnsafeCell",
    "OnceCell",
    "OnceLock",
    "LazyCell",
    "LazyLock",
    "Mutex",
    "RwLock",
    "ReentrantMutex",
];

/// Decides the plan for `ty` (resolved where it is written), or says why it cannot be
/// deep-copied.
pub fn plan(ty: &Ty) -> Result<CopyPlan, Uncopyable> {
    match ty {
        Ty::Reference(span) => Err(Uncopyable {
            span: *span,
            message: "references cannot be deep-copied".into(),
            help: "store an owned value instead (`String`, `Vec<T>`, `Box<T>`), or opt the type out with `// +k8s:deepcopy-gen=false`".into(),
        }),
        Ty::Pointer(span) => Err(Uncopyable {
            span: *span,
            message: "raw pointers cannot be deep-copied".into(),
            help: "store an owned value instead, or opt the type out with `// +k8s:deepcopy-gen=false`".into(),
        }),
        Ty::TraitObject(span) => Err(Uncopyable {
            span: *span,
            message: "trait objects cannot be deep-copied".into(),
            help: "use a concrete type or an enum of the possibilities".into(),
        }),
        Ty::ImplTrait(span) => Err(Uncopyable {
            span: *span,
            message: "`impl Trait` is not a field type".into(),
            help: "use a concrete type".into(),
        }),
        Ty::TooDeep(span) => Err(Uncopyable {
            span: *span,
            message: format!("the type nests more than {MAX_TYPE_DEPTH} levels deep"),
            help: "name an inner part with a type alias or a struct of its own".into(),
        }),
        Ty::Alias { alias, ty, span } => plan(ty).map_err(|mut u| {
            // The alias may be declared anywhere: point at its use, and say what it hides.
            u.span = *span;
            u.message = format!("`{alias}` is an alias of a type that cannot be deep-copied: {}", u.message);
            u
        }),
        Ty::Unit | Ty::Primitive(_) => Ok(CopyPlan::Copy),
        Ty::Tuple(elems) => Ok(CopyPlan::Tuple(elems.iter().map(plan).collect::<Result<_, _>>()?)),
        Ty::Array(elem) => Ok(CopyPlan::Array(Box::new(plan(elem)?))),
        Ty::Path {
            target,
            args,
            name,
            span,
        } => plan_path(target, args, name, *span),
        // Generic parameters carry a `Clone` bound; function pointers and `!` are `Copy`;
        // slices and macros are left to the compiler.
        Ty::Param(_) | Ty::Other => Ok(CopyPlan::CloneFrom),
    }
}

fn plan_path(
    target: &Target,
    args: &[Ty],
    name: &str,
    span: proc_macro2::Span,
) -> Result<CopyPlan, Uncopyable> {
    // The tree's own types are deep-copied by their own `Clone`, whatever they are called.
    let foreign = !matches!(target, Target::Local { .. });
    if foreign && (INTERIOR_MUTABILITY.contains(&name) || name.starts_with("Atomic")) {
        return Err(Uncopyable {
            span,
            message: format!("`{name}` has interior mutability and cannot be deep-copied"),
            help: "store the plain value (a deep copy is a snapshot, and a lock or cell cannot be one), or opt the type out with `// +k8s:deepcopy-gen=false`".into(),
        });
    }
    // Check what any wrapper holds (`Arc<Mutex<T>>`, `Rc<RefCell<T>>`, `PhantomData<&T>`).
    let inner = args.iter().map(plan).collect::<Result<Vec<_>, _>>()?;
    let wrap = |make: fn(Box<CopyPlan>) -> CopyPlan, inner: &CopyPlan, direct: bool| {
        if direct && inner.is_direct() {
            CopyPlan::CloneFrom
        } else {
            make(Box::new(inner.clone()))
        }
    };
    Ok(match (target.well_known(), inner.as_slice()) {
        (Some(WellKnown::ObjectMeta), []) => CopyPlan::ObjectMeta,
        (Some(WellKnown::Vec), [elem]) => wrap(CopyPlan::Vec, elem, true),
        (Some(WellKnown::Option), [elem]) => wrap(CopyPlan::Option, elem, true),
        (Some(WellKnown::Box), [elem]) => wrap(CopyPlan::Box, elem, true),
        (Some(WellKnown::BTreeMap), [_, value]) => wrap(CopyPlan::BTreeMap, value, false),
        (Some(WellKnown::HashMap), [_, value, ..]) => wrap(CopyPlan::HashMap, value, false),
        _ => CopyPlan::CloneFrom,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::BTreeSet;
    use std::path::Path;

    use super::super::modules::ModuleTree;
    use super::super::modules::tests::{krate, tree_of};
    use super::super::resolve::{Resolver, Scope};

    /// The plan of `ty` written in a crate root that imports the usual names.
    fn plan_of(ty: &str) -> Result<CopyPlan, String> {
        let lib = "use std::collections::{BTreeMap, HashMap};\nuse std::sync::{Arc, Mutex};\nuse std::rc::Rc;\nuse std::cell::RefCell;\n";
        let tree = tree_of(&[("src/lib.rs", lib)]);
        let (modules, _) = ModuleTree::load(&tree, &[krate()], &[Path::new("/r/src")]);
        let resolver = Resolver::new(&modules);
        let scope = Scope {
            module: 0,
            params: BTreeSet::from(["T".to_owned()]),
            self_type: None,
        };
        let ty: syn::Type = syn::parse_str(ty).map_err(|e| e.to_string())?;
        plan(&resolver.resolve_type(&scope, &ty)).map_err(|e| e.message)
    }

    #[test]
    fn direct_containers_use_clone_from() {
        for ty in [
            "String",
            "Vec<String>",
            "Option<Box<Spec>>",
            "other::ObjectMeta",
            "Arc<str>",
        ] {
            assert_eq!(plan_of(ty), Ok(CopyPlan::CloneFrom), "{ty}");
        }
        assert_eq!(plan_of("i32"), Ok(CopyPlan::Copy));
        assert_eq!(plan_of("()"), Ok(CopyPlan::Copy));
    }

    #[test]
    fn maps_and_nesting_need_helpers() {
        assert_eq!(
            plan_of("BTreeMap<String, String>"),
            Ok(CopyPlan::BTreeMap(Box::new(CopyPlan::CloneFrom)))
        );
        assert_eq!(
            plan_of("Vec<HashMap<String, Vec<u8>>>"),
            Ok(CopyPlan::Vec(Box::new(CopyPlan::HashMap(Box::new(
                CopyPlan::CloneFrom
            )))))
        );
        assert_eq!(
            plan_of("(String, u8)"),
            Ok(CopyPlan::Tuple(vec![CopyPlan::CloneFrom, CopyPlan::Copy]))
        );
        assert_eq!(
            plan_of("[u8; 4]"),
            Ok(CopyPlan::Array(Box::new(CopyPlan::Copy)))
        );
    }

    #[test]
    fn rejects_what_cannot_be_copied() {
        assert_eq!(
            plan_of("&'a str"),
            Err("references cannot be deep-copied".into())
        );
        assert_eq!(
            plan_of("*const u8"),
            Err("raw pointers cannot be deep-copied".into())
        );
        assert_eq!(
            plan_of("Arc<Mutex<Vec<u8>>>"),
            Err("`Mutex` has interior mutability and cannot be deep-copied".into())
        );
        assert_eq!(
            plan_of("std::sync::atomic::AtomicU64"),
            Err("`AtomicU64` has interior mutability and cannot be deep-copied".into())
        );
        assert_eq!(
            plan_of("Option<Rc<RefCell<T>>>"),
            Err("`RefCell` has interior mutability and cannot be deep-copied".into())
        );
        assert_eq!(
            plan_of("Box<dyn Fn()>"),
            Err("trait objects cannot be deep-copied".into())
        );
    }
}
