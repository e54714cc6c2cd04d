//! The informer cache and listers, without a server: keys, indexes, relists, selectors.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube_codegen_runtime::informer::{
    Cache, Change, Expression, IndexError, Lister, NAMESPACE_INDEX, Selector,
};

fn config_map(namespace: &str, name: &str, version: &str, labels: &[(&str, &str)]) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            namespace: (!namespace.is_empty()).then(|| namespace.to_owned()),
            name: Some(name.to_owned()),
            resource_version: Some(version.to_owned()),
            labels: Some(
                labels
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect::<BTreeMap<_, _>>(),
            ),
            ..ObjectMeta::default()
        },
        ..ConfigMap::default()
    }
}

fn names(objects: &[Arc<ConfigMap>]) -> Vec<String> {
    objects
        .iter()
        .map(|o| {
            format!(
                "{}/{}",
                o.metadata.namespace.as_deref().unwrap_or_default(),
                o.metadata.name.as_deref().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn objects_are_keyed_namespace_slash_name_and_indexed_by_namespace() {
    let cache = Cache::<ConfigMap>::new();
    cache.insert(config_map("a", "x", "1", &[]));
    cache.insert(config_map("b", "x", "2", &[]));
    cache.insert(config_map("a", "y", "3", &[]));
    assert_eq!(cache.keys(), ["a/x", "a/y", "b/x"]);
    assert_eq!(
        names(&cache.by_index(NAMESPACE_INDEX, "a").expect("index")),
        ["a/x", "a/y"]
    );
    assert!(
        cache
            .by_index(NAMESPACE_INDEX, "c")
            .expect("index")
            .is_empty()
    );
    assert_eq!(
        cache.by_index("nope", "a").expect_err("unknown"),
        IndexError::Unknown("nope".to_owned())
    );

    // Moving an object between index values removes it from the old bucket.
    let (_, old) = cache.insert(config_map("a", "x", "4", &[]));
    assert_eq!(
        old.expect("replaced").metadata.resource_version.as_deref(),
        Some("1")
    );
    assert_eq!(cache.len(), 3);
    assert!(cache.remove("a/x").is_some());
    assert_eq!(
        names(&cache.by_index(NAMESPACE_INDEX, "a").expect("index")),
        ["a/y"]
    );
    assert_eq!(
        cache.index_values(NAMESPACE_INDEX).expect("index"),
        ["a", "b"]
    );
}

#[test]
fn an_index_added_later_is_built_from_the_cached_objects_and_kept_current() {
    let cache = Cache::<ConfigMap>::new();
    cache.insert(config_map("a", "x", "1", &[("app", "web")]));
    cache.insert(config_map("b", "y", "1", &[("app", "db")]));
    let by_app = Arc::new(|cm: &ConfigMap| {
        cm.metadata
            .labels
            .iter()
            .flatten()
            .filter(|(k, _)| *k == "app")
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    });
    cache.add_index("app", by_app.clone()).expect("new index");
    assert_eq!(
        names(&cache.by_index("app", "web").expect("index")),
        ["a/x"]
    );
    assert_eq!(
        cache.add_index("app", by_app).expect_err("twice"),
        IndexError::AlreadyExists("app".to_owned())
    );
    cache.insert(config_map("a", "x", "2", &[("app", "db")]));
    assert!(cache.by_index("app", "web").expect("index").is_empty());
    assert_eq!(
        names(&cache.by_index("app", "db").expect("index")),
        ["a/x", "b/y"]
    );
}

#[test]
fn a_relist_reports_adds_updates_and_deletes_with_the_last_state_and_skips_unchanged() {
    let cache = Cache::<ConfigMap>::new();
    cache.insert(config_map("a", "kept", "1", &[]));
    cache.insert(config_map("a", "changed", "1", &[]));
    cache.insert(config_map("a", "gone", "7", &[]));
    let changes = cache.replace(vec![
        config_map("a", "kept", "1", &[]),
        config_map("a", "changed", "2", &[]),
        config_map("a", "new", "3", &[]),
    ]);
    let described: Vec<String> = changes
        .iter()
        .map(|c| match c {
            Change::Added(new) => format!("add {}", new.metadata.name.as_deref().unwrap_or("")),
            Change::Updated { old, new } => format!(
                "update {} {}->{}",
                new.metadata.name.as_deref().unwrap_or(""),
                old.metadata.resource_version.as_deref().unwrap_or(""),
                new.metadata.resource_version.as_deref().unwrap_or("")
            ),
            Change::Deleted(old) => format!(
                "delete {}@{}",
                old.metadata.name.as_deref().unwrap_or(""),
                old.metadata.resource_version.as_deref().unwrap_or("")
            ),
        })
        .collect();
    assert_eq!(
        described,
        ["delete gone@7", "update changed 1->2", "add new"]
    );
    assert_eq!(cache.keys(), ["a/changed", "a/kept", "a/new"]);
}

#[test]
fn listers_match_selectors_locally_and_answer_not_found_like_the_server() {
    let cache = Arc::new(Cache::<ConfigMap>::new());
    cache.insert(config_map(
        "a",
        "web",
        "1",
        &[("app", "web"), ("tier", "front")],
    ));
    cache.insert(config_map("a", "db", "1", &[("app", "db")]));
    cache.insert(config_map("b", "web", "1", &[("app", "web")]));
    let lister = Lister::new(Arc::clone(&cache));

    let web: Selector = Expression::Equal("app".into(), "web".into()).into();
    assert_eq!(names(&lister.list(&web)), ["a/web", "b/web"]);
    assert_eq!(names(&lister.namespace("a").list(&web)), ["a/web"]);
    assert_eq!(lister.list(&Selector::default()).len(), 3);

    let cases: [(Expression, &[&str]); 5] = [
        (Expression::NotEqual("app".into(), "web".into()), &["a/db"]),
        (
            Expression::In("app".into(), ["db".to_owned(), "web".to_owned()].into()),
            &["a/db", "a/web", "b/web"],
        ),
        (
            Expression::NotIn("app".into(), ["web".to_owned()].into()),
            &["a/db"],
        ),
        (Expression::Exists("tier".into()), &["a/web"]),
        (Expression::DoesNotExist("tier".into()), &["a/db", "b/web"]),
    ];
    for (expression, expected) in cases {
        let shown = expression.to_string();
        assert_eq!(names(&lister.list(&expression.into())), expected, "{shown}");
    }

    let got = lister.namespace("a").get("db").expect("cached");
    assert_eq!(got.metadata.name.as_deref(), Some("db"));
    let missing = lister.namespace("a").get("nope").expect_err("not cached");
    assert_eq!(missing.to_string(), "configmaps \"nope\" not found");
    let error: kube::Error = missing.into();
    match error {
        kube::Error::Api(status) => {
            assert_eq!(status.code, 404);
            assert!(status.is_not_found());
        }
        other => panic!("not an API error: {other:?}"),
    }
}

/// One step of the cache model test.
#[derive(Clone, Debug)]
enum Step {
    /// `insert` (always stores) or `apply` (skips the same resourceVersion).
    Store {
        namespace: u8,
        name: u8,
        version: u8,
        apply: bool,
    },
    Remove {
        namespace: u8,
        name: u8,
    },
    Relist(Vec<(u8, u8, u8)>),
}

/// An object whose labels follow from its name and version, so that, as on a real server,
/// one resourceVersion always means one content; the label sets overlap and move between
/// versions, some empty.
fn labelled(namespace: u8, name: u8, version: u8) -> ConfigMap {
    let labels: &[(&str, &str)] = match (name + version) % 4 {
        0 => &[],
        1 => &[("l1", "")],
        2 => &[("l1", ""), ("l2", "")],
        _ => &[("l3", ""), ("l0", "")],
    };
    config_map(
        &format!("ns{namespace}"),
        &format!("o{name}"),
        &version.to_string(),
        labels,
    )
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    prop_oneof![
        6 => (0u8..3, 0u8..5, 0u8..4, any::<bool>()).prop_map(
            |(namespace, name, version, apply)| Step::Store {
                namespace,
                name,
                version,
                apply
            }
        ),
        2 => (0u8..3, 0u8..5).prop_map(|(namespace, name)| Step::Remove { namespace, name }),
        1 => proptest::collection::vec((0u8..3, 0u8..5, 0u8..4), 0..8).prop_map(Step::Relist),
    ]
}

proptest::proptest! {
    /// Whatever sequence of stores, removes and relists, every index answers exactly what a
    /// scan of a plain map of the same objects answers, sorted by key; and `apply` reports a
    /// change exactly when the resourceVersion moved.
    #[test]
    fn indexes_always_agree_with_a_scan_of_the_objects(steps in proptest::collection::vec(step(), 1..40)) {
        let cache = Cache::<ConfigMap>::new();
        // A multi-valued index (labels, possibly none, possibly repeated values) added before
        // any object and one added halfway, built from what is cached then.
        let by_label = |cm: &ConfigMap| -> Vec<String> {
            cm.metadata.labels.iter().flatten().map(|(k, _)| k.clone()).collect()
        };
        cache.add_index("label", Arc::new(by_label)).expect("new index");
        let mut model: BTreeMap<String, ConfigMap> = BTreeMap::new();
        for (at, step) in steps.iter().enumerate() {
            if at == steps.len() / 2 {
                cache.add_index("label-late", Arc::new(by_label)).expect("new index");
            }
            match step.clone() {
                Step::Store { namespace, name, version, apply } => {
                    let object = labelled(namespace, name, version);
                    let key = format!("ns{namespace}/o{name}");
                    if apply {
                        let same = model.get(&key).is_some_and(|cached| {
                            cached.metadata.resource_version == object.metadata.resource_version
                        });
                        let change = cache.apply(object.clone());
                        proptest::prop_assert_eq!(change.is_none(), same);
                        if !same {
                            model.insert(key, object);
                        }
                    } else {
                        cache.insert(object.clone());
                        model.insert(key, object);
                    }
                }
                Step::Remove { namespace, name } => {
                    let key = format!("ns{namespace}/o{name}");
                    proptest::prop_assert_eq!(cache.remove(&key).is_some(), model.remove(&key).is_some());
                }
                Step::Relist(listed) => {
                    let objects: Vec<ConfigMap> = listed
                        .iter()
                        .map(|(namespace, name, version)| labelled(*namespace, *name, *version))
                        .collect();
                    cache.replace(objects.clone());
                    // The last of a key listed twice wins.
                    model = objects
                        .into_iter()
                        .map(|o| (format!("{}/{}", o.metadata.namespace.clone().unwrap_or_default(), o.metadata.name.clone().unwrap_or_default()), o))
                        .collect();
                }
            }
            let expected_keys: Vec<String> = model.keys().cloned().collect();
            proptest::prop_assert_eq!(cache.keys(), expected_keys);
            for namespace in 0..3u8 {
                let namespace = format!("ns{namespace}");
                let expected: Vec<String> = model
                    .iter()
                    .filter(|(_, o)| o.metadata.namespace.as_deref() == Some(namespace.as_str()))
                    .map(|(k, o)| format!("{k}@{}", o.metadata.resource_version.clone().unwrap_or_default()))
                    .collect();
                let found: Vec<String> = cache
                    .by_index(NAMESPACE_INDEX, &namespace)
                    .expect("namespace index")
                    .iter()
                    .map(|o| format!("{}@{}", names(std::slice::from_ref(o))[0], o.metadata.resource_version.clone().unwrap_or_default()))
                    .collect();
                proptest::prop_assert_eq!(found, expected);
            }
            let indexes: &[&str] = if at >= steps.len() / 2 { &["label", "label-late"] } else { &["label"] };
            for index in indexes {
                for label in 0..4u8 {
                    let label = format!("l{label}");
                    let expected: Vec<String> = model
                        .iter()
                        .filter(|(_, o)| o.metadata.labels.iter().flatten().any(|(k, _)| *k == label))
                        .map(|(k, o)| format!("{k}@{}", o.metadata.resource_version.clone().unwrap_or_default()))
                        .collect();
                    let found: Vec<String> = cache
                        .by_index(index, &label)
                        .expect("label index")
                        .iter()
                        .map(|o| format!("{}@{}", names(std::slice::from_ref(o))[0], o.metadata.resource_version.clone().unwrap_or_default()))
                        .collect();
                    proptest::prop_assert_eq!(found, expected);
                }
                let mut values: Vec<String> = model
                    .values()
                    .flat_map(|o| o.metadata.labels.iter().flatten().map(|(k, _)| k.clone()))
                    .collect();
                values.sort();
                values.dedup();
                proptest::prop_assert_eq!(cache.index_values(index).expect("label index"), values);
            }
        }
    }
}
