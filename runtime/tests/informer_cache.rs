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
