//! `clone_from` helpers that reuse the destination's allocations all the way down.
//!
//! The standard library already reuses buffers in `String`, `Vec<T>`, `Option<T>` and `Box<T>`
//! when `T::clone_from` does, so generated code calls `clone_from` directly for those. These
//! helpers cover what it does not: maps (whose `clone_from` rebuilds every entry) and containers
//! whose elements need one of these helpers in turn. Each takes the element copier `f`, so the
//! generator can nest them to any depth (`Vec<BTreeMap<String, Vec<T>>>`).

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// `dst = src.clone()`, reusing `dst`'s elements and buffer; `f` copies one element in place.
pub fn vec_clone_from<T: Clone>(dst: &mut Vec<T>, src: &[T], f: impl Fn(&mut T, &T)) {
    dst.truncate(src.len());
    let (reused, added) = src.split_at(dst.len());
    for (d, s) in dst.iter_mut().zip(reused) {
        f(d, s);
    }
    dst.extend_from_slice(added);
}

/// `dst = src.clone()`, reusing a `Some` destination's value.
pub fn option_clone_from<T: Clone>(dst: &mut Option<T>, src: &Option<T>, f: impl Fn(&mut T, &T)) {
    match (dst.as_mut(), src) {
        (Some(d), Some(s)) => f(d, s),
        _ => dst.clone_from(src),
    }
}

/// `dst = src.clone()`, reusing the destination's box.
pub fn box_clone_from<T: Clone>(dst: &mut Box<T>, src: &T, f: impl Fn(&mut T, &T)) {
    f(dst, src);
}

/// `dst = src.clone()`, keeping the values of keys present in both and copying into them.
pub fn btree_map_clone_from<K: Ord + Clone, V: Clone>(
    dst: &mut BTreeMap<K, V>,
    src: &BTreeMap<K, V>,
    f: impl Fn(&mut V, &V),
) {
    // The common case in a cache (same object, new version): the same keys. A lock-step walk
    // copies every value in place with no lookups.
    if dst.len() == src.len() && dst.keys().eq(src.keys()) {
        for (d, s) in dst.values_mut().zip(src.values()) {
            f(d, s);
        }
        return;
    }
    dst.retain(|k, _| src.contains_key(k));
    for (k, s) in src {
        match dst.get_mut(k) {
            Some(d) => f(d, s),
            None => {
                dst.insert(k.clone(), s.clone());
            }
        }
    }
}

/// `dst = src.clone()`, keeping the table and the values of keys present in both.
pub fn hash_map_clone_from<K: Eq + Hash + Clone, V: Clone, S: BuildHasher + Clone>(
    dst: &mut HashMap<K, V, S>,
    src: &HashMap<K, V, S>,
    f: impl Fn(&mut V, &V),
) {
    // Same size and every destination key in the source means the same key set: one lookup
    // per key, no removal or insertion.
    if dst.len() == src.len() {
        let mut same_keys = true;
        for (k, d) in dst.iter_mut() {
            match src.get(k) {
                Some(s) => f(d, s),
                None => {
                    same_keys = false;
                    break;
                }
            }
        }
        if same_keys {
            return;
        }
    }
    dst.retain(|k, _| src.contains_key(k));
    for (k, s) in src {
        match dst.get_mut(k) {
            Some(d) => f(d, s),
            None => {
                dst.insert(k.clone(), s.clone());
            }
        }
    }
}

/// `dst = src.clone()` for Kubernetes object metadata, reusing every string, list and map
/// (k8s-openapi's derived `clone_from` rebuilds the whole value).
pub fn object_meta_clone_from(dst: &mut ObjectMeta, src: &ObjectMeta) {
    // Destructured so that a field added to `ObjectMeta` fails to compile here, not to copy.
    let ObjectMeta {
        annotations,
        creation_timestamp,
        deletion_grace_period_seconds,
        deletion_timestamp,
        finalizers,
        generate_name,
        generation,
        labels,
        managed_fields,
        name,
        namespace,
        owner_references,
        resource_version,
        self_link,
        uid,
    } = dst;
    let string_map = |d: &mut BTreeMap<String, String>, s: &BTreeMap<String, String>| {
        btree_map_clone_from(d, s, clone_from)
    };
    option_clone_from(annotations, &src.annotations, string_map);
    option_clone_from(labels, &src.labels, string_map);
    creation_timestamp.clone_from(&src.creation_timestamp);
    deletion_timestamp.clone_from(&src.deletion_timestamp);
    *deletion_grace_period_seconds = src.deletion_grace_period_seconds;
    *generation = src.generation;
    finalizers.clone_from(&src.finalizers);
    generate_name.clone_from(&src.generate_name);
    managed_fields.clone_from(&src.managed_fields);
    name.clone_from(&src.name);
    namespace.clone_from(&src.namespace);
    owner_references.clone_from(&src.owner_references);
    resource_version.clone_from(&src.resource_version);
    self_link.clone_from(&src.self_link);
    uid.clone_from(&src.uid);
}

/// The element copier for types whose own `clone_from` already reuses all the way down.
pub fn clone_from<T: Clone>(dst: &mut T, src: &T) {
    dst.clone_from(src);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vec_reuses_prefix_and_extends() {
        let mut dst = vec![String::with_capacity(64), String::from("drop me")];
        let first = dst[0].as_ptr();
        let src = vec!["a".to_owned()];
        vec_clone_from(&mut dst, &src, clone_from);
        assert_eq!(dst, src);
        assert_eq!(dst[0].as_ptr(), first);

        let src = vec!["x".to_owned(), "y".to_owned(), "z".to_owned()];
        vec_clone_from(&mut dst, &src, clone_from);
        assert_eq!(dst, src);
        assert_eq!(dst[0].as_ptr(), first);
    }

    #[test]
    fn option_reuses_some_and_handles_none() {
        let mut dst = Some(String::with_capacity(32));
        let ptr = dst.as_ref().map(|s| s.as_ptr());
        option_clone_from(&mut dst, &Some("v".to_owned()), clone_from);
        assert_eq!(dst.as_deref(), Some("v"));
        assert_eq!(dst.as_ref().map(|s| s.as_ptr()), ptr);
        option_clone_from(&mut dst, &None, clone_from);
        assert_eq!(dst, None);
        option_clone_from(&mut dst, &Some("w".to_owned()), clone_from);
        assert_eq!(dst.as_deref(), Some("w"));
    }

    #[test]
    fn box_copies_in_place() {
        let mut dst = Box::new(String::with_capacity(16));
        let ptr = dst.as_ptr();
        box_clone_from(&mut dst, &String::from("b"), clone_from);
        assert_eq!(*dst, "b");
        assert_eq!(dst.as_ptr(), ptr);
    }

    #[test]
    fn maps_keep_shared_keys_values_and_drop_missing() {
        let mut dst = BTreeMap::from([
            ("keep".to_owned(), String::with_capacity(32)),
            ("gone".to_owned(), String::from("x")),
        ]);
        let ptr = dst["keep"].as_ptr();
        let src = BTreeMap::from([
            ("keep".to_owned(), "k".to_owned()),
            ("new".to_owned(), "n".to_owned()),
        ]);
        btree_map_clone_from(&mut dst, &src, clone_from);
        assert_eq!(dst, src);
        assert_eq!(dst["keep"].as_ptr(), ptr);

        let mut dst: HashMap<String, String> = dst.into_iter().collect();
        let ptr = dst["keep"].as_ptr();
        let src: HashMap<String, String> = HashMap::from([("keep".to_owned(), "k2".to_owned())]);
        hash_map_clone_from(&mut dst, &src, clone_from);
        assert_eq!(dst, src);
        assert_eq!(dst["keep"].as_ptr(), ptr);
    }

    #[test]
    fn maps_with_the_same_keys_copy_in_place() {
        let mut dst = BTreeMap::from([("a".to_owned(), String::with_capacity(16))]);
        let ptr = dst["a"].as_ptr();
        btree_map_clone_from(
            &mut dst,
            &BTreeMap::from([("a".to_owned(), "x".to_owned())]),
            clone_from,
        );
        assert_eq!((dst["a"].as_str(), dst["a"].as_ptr()), ("x", ptr));

        // Same size, different keys: the slow path still converges.
        let mut dst = HashMap::from([
            ("a".to_owned(), "1".to_owned()),
            ("b".to_owned(), "2".to_owned()),
        ]);
        let src = HashMap::from([
            ("a".to_owned(), "3".to_owned()),
            ("c".to_owned(), "4".to_owned()),
        ]);
        hash_map_clone_from(&mut dst, &src, clone_from);
        assert_eq!(dst, src);
        let mut dst = BTreeMap::from([
            ("a".to_owned(), "1".to_owned()),
            ("b".to_owned(), "2".to_owned()),
        ]);
        let src = BTreeMap::from([
            ("a".to_owned(), "3".to_owned()),
            ("c".to_owned(), "4".to_owned()),
        ]);
        btree_map_clone_from(&mut dst, &src, clone_from);
        assert_eq!(dst, src);
    }

    #[test]
    fn object_meta_reuses_its_strings_and_maps() {
        let meta = |name: &str, n: usize| ObjectMeta {
            name: Some(name.to_owned()),
            labels: Some(
                (0..n)
                    .map(|i| (format!("k{i}"), format!("{name}{i}")))
                    .collect(),
            ),
            annotations: Some(BTreeMap::from([("a".to_owned(), name.to_owned())])),
            generation: Some(n as i64),
            ..ObjectMeta::default()
        };
        let mut dst = meta("destination", 3);
        let ptrs = |m: &ObjectMeta| {
            (
                m.name.as_ref().map(|s| s.as_ptr()),
                m.labels.as_ref().map(|l| l["k1"].as_ptr()),
                m.annotations.as_ref().map(|a| a["a"].as_ptr()),
            )
        };
        let before = ptrs(&dst);
        let src = meta("src", 3);
        object_meta_clone_from(&mut dst, &src);
        assert_eq!(dst, src);
        assert_eq!(ptrs(&dst), before);
        object_meta_clone_from(&mut dst, &ObjectMeta::default());
        assert_eq!(dst, ObjectMeta::default());
    }

    #[test]
    fn helpers_nest() {
        let mut dst: Vec<BTreeMap<String, Vec<String>>> = vec![BTreeMap::from([(
            "a".to_owned(),
            vec![String::with_capacity(8)],
        )])];
        let ptr = dst[0]["a"][0].as_ptr();
        let src = vec![BTreeMap::from([("a".to_owned(), vec!["z".to_owned()])])];
        vec_clone_from(&mut dst, &src, |d, s| {
            btree_map_clone_from(d, s, |d, s| vec_clone_from(d, s, clone_from))
        });
        assert_eq!(dst, src);
        assert_eq!(dst[0]["a"][0].as_ptr(), ptr);
    }
}
