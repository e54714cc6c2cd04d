//! The generated code of the Kubernetes-shaped fixture does what it promises, on the shapes
//! that used to be resolved by their last name.

use std::collections::BTreeMap;

use kube_codegen_fixture_kube::apps::v1::{Deployment, DeploymentTemplate};
use kube_codegen_fixture_kube::batch::v1::{CronJobStatus, JobReference};
use kube_codegen_fixture_kube::core::v1::{Pod, PodTemplateSpec};
use kube_codegen_fixture_kube::custom::v1alpha1::{Blob, Page};
use kube_codegen_fixture_kube::meta::v1::{LabelSelector, ObjectMeta};
use kube_codegen_runtime::kube_core::Resource;

fn job(name: &str) -> JobReference {
    JobReference {
        name: name.to_owned(),
        uid: Some(format!("uid-{name}")),
    }
}

#[test]
fn the_trees_own_object_meta_is_copied_deeply() {
    let source = DeploymentTemplate {
        selector: Some(LabelSelector {
            match_labels: Some(BTreeMap::from([("app".to_owned(), "web".to_owned())])),
            match_expressions: Vec::new(),
        }),
        template: PodTemplateSpec {
            metadata: ObjectMeta {
                name: "web".to_owned(),
                labels: BTreeMap::from([("tier".to_owned(), "front".to_owned())]),
                finalizers: vec!["a".to_owned()],
                ..ObjectMeta::default()
            },
            spec: None,
        },
    };
    let mut copy = DeploymentTemplate::default();
    copy.clone_from(&source);
    assert_eq!(copy, source);
    copy.template.metadata.finalizers.push("b".to_owned());
    assert_eq!(source.template.metadata.finalizers, ["a"]);
}

#[test]
fn an_alias_of_a_map_is_copied_in_place() {
    let source = CronJobStatus {
        active: vec![job("a")],
        history: BTreeMap::from([("daily".to_owned(), vec![job("b"), job("c")])]),
    };
    let mut target = CronJobStatus {
        active: Vec::new(),
        history: BTreeMap::from([("daily".to_owned(), vec![job("x"), job("y"), job("z")])]),
    };
    let buffer = target.history["daily"].as_ptr();
    target.clone_from(&source);
    assert_eq!(target, source);
    assert_eq!(
        target.history["daily"].as_ptr(),
        buffer,
        "the vector under an existing key was reused, not rebuilt"
    );
}

#[test]
fn generics_and_tree_types_named_like_std_ones_copy() {
    let page = Page {
        items: vec!["a".to_owned()],
        index: BTreeMap::from([(1u32, 0usize)]),
        next: Some(Box::new(Page {
            items: vec!["b".to_owned()],
            index: BTreeMap::new(),
            next: None,
        })),
    };
    let mut copy = Page::default();
    copy.clone_from(&page);
    assert_eq!(copy, page);
    let blob = Blob::default();
    assert_eq!(blob.clone(), blob);
}

#[test]
fn kinds_register_with_their_group_and_serialize_their_api_version() {
    assert_eq!(Deployment::api_version(&()), "apps/v1");
    assert_eq!(Deployment::plural(&()), "deployments");
    assert_eq!(Pod::api_version(&()), "v1");
    let pod: Pod = serde_json::from_value(serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "args": [], "ports": [["http", 80]]}], "restartPolicy": "Never"},
    }))
    .expect("a pod");
    let json = serde_json::to_value(&pod).expect("serializes");
    assert_eq!(json["apiVersion"], "v1");
    assert_eq!(json["kind"], "Pod");
    assert_eq!(json["spec"]["containers"][0]["ports"][0][1], 80);
}

#[test]
fn a_kind_reads_only_its_own_type_meta() {
    use kube_codegen_fixture_kube::batch::v1::CronJob;
    let body = |type_meta: &str| {
        format!(
            r#"{{{type_meta}"metadata":{{"name":"nightly"}},"spec":{{"schedule":"@daily","concurrencyPolicy":"Allow"}}}}"#
        )
    };
    let own: CronJob = serde_json::from_str(&body(r#""apiVersion":"batch/v1","kind":"CronJob","#))
        .expect("its own apiVersion and kind");
    assert_eq!(own.metadata.name.as_deref(), Some("nightly"));
    let bare: CronJob = serde_json::from_str(&body("")).expect("no apiVersion or kind");
    assert_eq!(bare, own);

    let pod = serde_json::from_str::<CronJob>(&body(r#""apiVersion":"v1","kind":"Pod","#))
        .expect_err("a Pod is not a CronJob");
    assert!(
        pod.to_string()
            .contains("expected kind `CronJob` (batch/v1), found kind `Pod`"),
        "{pod}"
    );
    let other_version =
        serde_json::from_str::<CronJob>(&body(r#""apiVersion":"batch/v2","kind":"CronJob","#))
            .expect_err("another version");
    assert!(
        other_version.to_string().contains("found `batch/v2`"),
        "{other_version}"
    );
}
