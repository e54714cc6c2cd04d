//! How each field is deep-copied, decided from its type; and the types that cannot be.

use syn::spanned::Spanned;

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

const PRIMITIVES: &[&str] = &[
    "bool", "char", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
    "usize", "f32", "f64",
];

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

/// Decides the plan for `ty`, or says why it cannot be deep-copied.
pub fn plan(ty: &syn::Type) -> Result<CopyPlan, Uncopyable> {
    match ty {
        syn::Type::Reference(r) => Err(Uncopyable {
            span: r.and_token.span,
            message: "references cannot be deep-copied".into(),
            help: "store an owned value instead (`String`, `Vec<T>`, `Box<T>`), or opt the type out with `// +k8s:deepcopy-gen=false`".into(),
        }),
        syn::Type::Ptr(p) => Err(Uncopyable {
            span: p.span(),
            message: "raw pointers cannot be deep-copied".into(),
            help: "store an owned value instead, or opt the type out with `// +k8s:deepcopy-gen=false`".into(),
        }),
        syn::Type::TraitObject(t) => Err(Uncopyable {
            span: t.span(),
            message: "trait objects cannot be deep-copied".into(),
            help: "use a concrete type or an enum of the possibilities".into(),
        }),
        syn::Type::ImplTrait(t) => Err(Uncopyable {
            span: t.span(),
            message: "`impl Trait` is not a field type".into(),
            help: "use a concrete type".into(),
        }),
        syn::Type::Paren(p) => plan(&p.elem),
        syn::Type::Group(g) => plan(&g.elem),
        syn::Type::Tuple(t) if t.elems.is_empty() => Ok(CopyPlan::Copy),
        syn::Type::Tuple(t) => Ok(CopyPlan::Tuple(
            t.elems.iter().map(plan).collect::<Result<_, _>>()?,
        )),
        syn::Type::Array(a) => Ok(CopyPlan::Array(Box::new(plan(&a.elem)?))),
        syn::Type::Path(p) => plan_path(p),
        // Function pointers and `!` are `Copy`; slices and macros are left to the compiler.
        _ => Ok(CopyPlan::CloneFrom),
    }
}

fn plan_path(ty: &syn::TypePath) -> Result<CopyPlan, Uncopyable> {
    let Some(last) = ty.path.segments.last() else {
        return Ok(CopyPlan::CloneFrom);
    };
    let name = last.ident.to_string();
    if INTERIOR_MUTABILITY.contains(&name.as_str()) || name.starts_with("Atomic") {
        return Err(Uncopyable {
            span: last.ident.span(),
            message: format!("`{name}` has interior mutability and cannot be deep-copied"),
            help: "store the plain value (a deep copy is a snapshot, and a lock or cell cannot be one), or opt the type out with `// +k8s:deepcopy-gen=false`".into(),
        });
    }
    let args: Vec<&syn::Type> = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    // Check what any wrapper holds (`Arc<Mutex<T>>`, `Rc<RefCell<T>>`, `PhantomData<&T>`).
    let inner = args
        .iter()
        .map(|t| plan(t))
        .collect::<Result<Vec<_>, _>>()?;
    if ty.qself.is_some() {
        return Ok(CopyPlan::CloneFrom);
    }
    let wrap = |make: fn(Box<CopyPlan>) -> CopyPlan, inner: &CopyPlan, direct: bool| {
        if direct && inner.is_direct() {
            CopyPlan::CloneFrom
        } else {
            make(Box::new(inner.clone()))
        }
    };
    Ok(match (name.as_str(), inner.as_slice()) {
        (p, []) if PRIMITIVES.contains(&p) && ty.path.segments.len() == 1 => CopyPlan::Copy,
        ("ObjectMeta", []) if is_object_meta_path(&ty.path) => CopyPlan::ObjectMeta,
        ("Vec", [elem]) => wrap(CopyPlan::Vec, elem, true),
        ("Option", [elem]) => wrap(CopyPlan::Option, elem, true),
        ("Box", [elem]) => wrap(CopyPlan::Box, elem, true),
        ("BTreeMap", [_, value]) => wrap(CopyPlan::BTreeMap, value, false),
        ("HashMap", [_, value, ..]) => wrap(CopyPlan::HashMap, value, false),
        _ => CopyPlan::CloneFrom,
    })
}

/// `ObjectMeta` as imported, or spelled out through `…::meta::v1::ObjectMeta`.
fn is_object_meta_path(path: &syn::Path) -> bool {
    let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    names.len() == 1 || names.ends_with(&["meta".into(), "v1".into(), "ObjectMeta".into()])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(ty: &str) -> Result<CopyPlan, String> {
        let ty: syn::Type = syn::parse_str(ty).map_err(|e| e.to_string())?;
        plan(&ty).map_err(|e| e.message)
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
