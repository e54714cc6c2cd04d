//! How to test your own controller against the in-memory API server.
//!
//! A toy controller marks every `Widget` ready (`status.ready = true`). The test starts the
//! server in-process, registers the kind, hands the controller a `kube::Client` for it, and
//! drives the scenario with `kube::Api`, exactly as it would against a real cluster.
//!
//! ```text
//! cargo run --example test_your_controller
//! ```

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use kube::api::{Api, ApiResource, DynamicObject, Patch, PatchParams, PostParams};
use kube::runtime::watcher;
use kube_codegen_apiserver::ApiServer;
use kube_codegen_runtime::ResourceInfo;
use serde_json::json;

/// What generated code provides for the kind: its entry in `RESOURCES` of its group-version.
fn widget_info() -> &'static ResourceInfo {
    widgets_api::widgets::v1::RESOURCES
        .iter()
        .find(|info| info.kind == "Widget")
        .expect("widgets.example.io/v1 generates Widget")
}

fn widget_resource() -> ApiResource {
    let info = widget_info();
    ApiResource {
        group: info.group.into(),
        version: info.version.into(),
        api_version: info.api_version(),
        kind: info.kind.into(),
        plural: info.plural.into(),
    }
}

/// The controller under test: it only sees a `kube::Client`.
async fn run_controller(client: kube::Client) -> Result<(), watcher::Error> {
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &widget_resource());
    let mut events = watcher(api, watcher::Config::default()).boxed();
    while let Some(event) = events.try_next().await? {
        if let watcher::Event::Apply(obj) | watcher::Event::InitApply(obj) = event {
            let ready = obj
                .data
                .pointer("/status/ready")
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            let (Some(ns), Some(name)) =
                (obj.metadata.namespace.clone(), obj.metadata.name.clone())
            else {
                continue;
            };
            if !ready {
                let api: Api<DynamicObject> =
                    Api::namespaced_with(client.clone(), &ns, &widget_resource());
                let patch = Patch::Merge(json!({"status": {"ready": true}}));
                if let Err(e) = api
                    .patch_status(&name, &PatchParams::default(), &patch)
                    .await
                {
                    eprintln!("controller: patching {ns}/{name}: {e}");
                }
            }
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A server that serves the kind.
    let server = ApiServer::builder().register(widget_info()).build();

    // 2. The controller gets an ordinary kube::Client (in-process, no sockets).
    let controller = tokio::spawn(run_controller(server.client()));

    // 3. The test drives it through kube::Api.
    let widgets: Api<DynamicObject> =
        Api::namespaced_with(server.client(), "default", &widget_resource());
    let w = DynamicObject::new("my-widget", &widget_resource()).data(json!({"spec": {"size": 3}}));
    widgets.create(&PostParams::default(), &w).await?;

    // 4. Wait (bounded) for the controller to do its job.
    let ready = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let current = widgets.get("my-widget").await?;
            if current.data.pointer("/status/ready") == Some(&json!(true)) {
                return Ok::<_, kube::Error>(current);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .map_err(|_| "controller did not mark the widget ready within 30s")??;

    println!(
        "controller marked {} ready at resourceVersion {}",
        ready.metadata.name.unwrap_or_default(),
        ready.metadata.resource_version.unwrap_or_default()
    );
    controller.abort();
    Ok(())
}
