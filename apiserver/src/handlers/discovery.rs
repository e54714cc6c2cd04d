//! Discovery documents: `/version`, `/api`, `/api/v1`, `/apis`, `/apis/<g>`, `/apis/<g>/<v>`,
//! in the legacy (non-aggregated) form every client falls back to.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    APIGroup, APIGroupList, APIResource, APIResourceList, APIVersions, GroupVersionForDiscovery,
};
use serde_json::{Value, json};

use crate::definition::ResourceDefinition;
use crate::registry::Kinds;

/// The Kubernetes version whose behaviour the server follows and reports at `/version`:
/// 1.32, the kubectl CI drives it with (kubectl warns when the server is more than one minor
/// version away). Messages and defaults are upstream 1.32's.
pub const KUBERNETES_VERSION: (&str, &str) = ("1", "32");

pub(crate) fn version() -> Value {
    let (major, minor) = KUBERNETES_VERSION;
    json!({
        "major": major,
        "minor": minor,
        "gitVersion": format!("v{major}.{minor}.0+kube-codegen-apiserver"),
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "1970-01-01T00:00:00Z",
        "goVersion": "none (Rust)",
        "compiler": "rustc",
        "platform": format!("{}/{}", std::env::consts::OS, std::env::consts::ARCH),
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn strings(items: &[String]) -> Option<Vec<String>> {
    (!items.is_empty()).then(|| items.to_vec())
}

fn verbs(list: &[&str]) -> Vec<String> {
    list.iter().map(|v| (*v).to_owned()).collect()
}

/// The resource entries of one definition: the resource, then its subresources.
fn entries(def: &ResourceDefinition) -> Vec<APIResource> {
    let is_namespace = def.group.is_empty() && def.plural == "namespaces";
    let main_verbs: &[&str] = if is_namespace {
        &[
            "create", "delete", "get", "list", "patch", "update", "watch",
        ]
    } else {
        &[
            "delete",
            "deletecollection",
            "get",
            "list",
            "patch",
            "create",
            "update",
            "watch",
        ]
    };
    let mut out = vec![APIResource {
        name: def.plural.clone(),
        singular_name: def.singular.clone(),
        namespaced: def.namespaced,
        kind: def.kind.clone(),
        verbs: verbs(main_verbs),
        short_names: strings(&def.short_names),
        categories: strings(&def.categories),
        ..APIResource::default()
    }];
    if is_namespace {
        out.push(APIResource {
            name: "namespaces/finalize".to_owned(),
            namespaced: false,
            kind: def.kind.clone(),
            verbs: verbs(&["update"]),
            ..APIResource::default()
        });
    }
    if def.status {
        out.push(APIResource {
            name: format!("{}/status", def.plural),
            namespaced: def.namespaced,
            kind: def.kind.clone(),
            verbs: verbs(&["get", "patch", "update"]),
            ..APIResource::default()
        });
    }
    if def.scale.is_some() {
        out.push(APIResource {
            name: format!("{}/scale", def.plural),
            namespaced: def.namespaced,
            group: Some("autoscaling".to_owned()),
            version: Some("v1".to_owned()),
            kind: "Scale".to_owned(),
            verbs: verbs(&["get", "patch", "update"]),
            ..APIResource::default()
        });
    }
    out
}

/// `/api`: the core group's versions.
pub(crate) fn core_group() -> Value {
    to_json(&APIVersions {
        server_address_by_client_cidrs: Vec::new(),
        versions: vec!["v1".to_owned()],
    })
}

/// `/api/<v>` and `/apis/<g>/<v>`; `None` when nothing is served there.
pub(crate) fn resource_list(registry: &Kinds, group: &str, version: &str) -> Option<Value> {
    let defs: Vec<&ResourceDefinition> = registry.in_group_version(group, version).collect();
    if defs.is_empty() {
        return None;
    }
    let group_version = if group.is_empty() {
        version.to_owned()
    } else {
        format!("{group}/{version}")
    };
    Some(to_json(&APIResourceList {
        group_version,
        resources: defs.into_iter().flat_map(entries).collect(),
    }))
}

fn api_group(registry: &Kinds, group: &str) -> Option<APIGroup> {
    let versions: Vec<GroupVersionForDiscovery> = registry
        .versions(group)
        .into_iter()
        .map(|v| GroupVersionForDiscovery {
            group_version: format!("{group}/{v}"),
            version: v,
        })
        .collect();
    let preferred = versions.first().cloned()?;
    Some(APIGroup {
        name: group.to_owned(),
        preferred_version: Some(preferred),
        server_address_by_client_cidrs: None,
        versions,
    })
}

/// `/apis`: every non-core group.
pub(crate) fn groups(registry: &Kinds) -> Value {
    to_json(&APIGroupList {
        groups: registry
            .groups()
            .iter()
            .filter_map(|g| api_group(registry, g))
            .collect(),
    })
}

/// `/apis/<g>`; `None` for an unknown group.
pub(crate) fn group(registry: &Kinds, group: &str) -> Option<Value> {
    api_group(registry, group).map(|g| to_json(&g))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::ScaleSpec;

    fn registry() -> Kinds {
        let mut r = Kinds::with_builtins();
        r.register(ResourceDefinition::new(
            "fleet.io", "v1beta1", "Ship", "ships",
        ));
        r.register(
            ResourceDefinition::new("fleet.io", "v1", "Ship", "ships")
                .with_status()
                .with_scale(ScaleSpec::default())
                .with_short_name("sh"),
        );
        r
    }

    #[test]
    fn group_prefers_the_ga_version() {
        let g = group(&registry(), "fleet.io").unwrap_or_default();
        assert_eq!(g["kind"], "APIGroup");
        assert_eq!(g["preferredVersion"]["version"], "v1");
        assert_eq!(g["versions"].as_array().map(Vec::len), Some(2));
        assert!(group(&registry(), "nope").is_none());
    }

    #[test]
    fn resource_list_reports_subresources_and_short_names() {
        let list = resource_list(&registry(), "fleet.io", "v1").unwrap_or_default();
        assert_eq!(list["kind"], "APIResourceList");
        assert_eq!(list["groupVersion"], "fleet.io/v1");
        let names: Vec<&str> = list["resources"]
            .as_array()
            .map(|a| a.iter().filter_map(|r| r["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, vec!["ships", "ships/status", "ships/scale"]);
        assert_eq!(list["resources"][0]["shortNames"][0], "sh");
        assert_eq!(list["resources"][2]["group"], "autoscaling");
        let core = resource_list(&registry(), "", "v1").unwrap_or_default();
        assert_eq!(core["resources"][0]["name"], "namespaces");
        assert_eq!(core["resources"][0]["namespaced"], false);
    }
}
