//! A real client against the HTTP server: kubectl create, get -o json, get -l, patch, delete, a
//! bounded `get --watch`, and server-side apply (`apply --server-side`). Skips (saying so) only
//! when no kubectl is on PATH; `.ci/run` installs one.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::*;
use futures::{StreamExt, TryStreamExt};
use kube::api::{PostParams, WatchEvent, WatchParams};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

fn find_kubectl() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("kubectl"))
        .find(|candidate| candidate.is_file())
}

struct Kubectl {
    binary: PathBuf,
    kubeconfig: PathBuf,
    cache: PathBuf,
}

impl Kubectl {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.binary);
        cmd.arg("--kubeconfig")
            .arg(&self.kubeconfig)
            .arg("--cache-dir")
            .arg(&self.cache)
            .args(args)
            .env_remove("KUBECONFIG")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        cmd
    }

    /// Runs to completion (hang guard 60 s); returns stdout, panicking with stderr on failure.
    async fn run(&self, args: &[&str]) -> String {
        let output = within(60, self.command(args).output())
            .await
            .expect("run kubectl");
        assert!(
            output.status.success(),
            "kubectl {args:?} failed: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    async fn fails(&self, args: &[&str]) -> String {
        let output = within(60, self.command(args).output())
            .await
            .expect("run kubectl");
        assert!(
            !output.status.success(),
            "kubectl {args:?} should have failed"
        );
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write manifest");
    path
}

/// A server over HTTP, a kubectl configured for it and a directory for manifests; `None`
/// (saying so) when there is no kubectl.
async fn setup(test: &str) -> Option<(Env, Kubectl, tempfile::TempDir)> {
    setup_with(test, server_builder().build()).await
}

/// [`setup`] with a server of the test's making.
async fn setup_with(
    test: &str,
    server: kube_codegen_apiserver::ApiServer,
) -> Option<(Env, Kubectl, tempfile::TempDir)> {
    let Some(binary) = find_kubectl() else {
        println!(
            "SKIPPED {test}: no kubectl on PATH (.ci/run installs Debian's kubernetes-client)"
        );
        return None;
    };
    let env = Env::with_server(server, Transport::Http).await;
    let http = env.http.as_ref().expect("http listener");
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = dir.path().join("kubeconfig");
    http.write_kubeconfig(&kubeconfig)
        .expect("write kubeconfig");
    let kubectl = Kubectl {
        binary,
        kubeconfig,
        cache: dir.path().join("cache"),
    };
    Some((env, kubectl, dir))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_drives_the_http_server() {
    let Some((_env, kubectl, dir)) = setup("kubectl_drives_the_http_server").await else {
        return;
    };

    let manifest = write(
        dir.path(),
        "widget.yaml",
        "apiVersion: widgets.example.io/v1\nkind: Widget\nmetadata:\n  name: w1\n  labels:\n    app: web\nspec:\n  size: 1\n",
    );
    let created = kubectl
        .run(&["create", "-f", &manifest.to_string_lossy()])
        .await;
    assert!(
        created.contains("widget.widgets.example.io/w1 created"),
        "{created}"
    );

    let json: Value =
        serde_json::from_str(&kubectl.run(&["get", "widgets", "-o", "json"]).await).expect("json");
    assert_eq!(json["items"][0]["metadata"]["name"], "w1");
    assert_eq!(json["items"][0]["spec"]["size"], 1);
    let single: Value =
        serde_json::from_str(&kubectl.run(&["get", "wd", "w1", "-o", "json"]).await).expect("json");
    assert_eq!(single["kind"], "Widget");

    let web = kubectl.run(&["get", "widgets", "-l", "app=web"]).await;
    assert!(web.lines().any(|l| l.starts_with("w1 ")), "{web}");
    let db = kubectl
        .run(&["get", "widgets", "-l", "app=db", "-o", "name"])
        .await;
    assert!(db.trim().is_empty(), "{db}");

    // Watch: wait for the initial ADDED, then change and delete, and see both events.
    let mut watch = kubectl
        .command(&[
            "get",
            "widgets",
            "--watch",
            "--output-watch-events",
            "--request-timeout=50s",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn kubectl --watch");
    let stdout = watch.stdout.take().expect("watch stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut seen = Vec::new();
    let mut wait_for = async |event: &str, seen: &mut Vec<String>| {
        for _ in 0..50 {
            let line = within(30, lines.next_line())
                .await
                .expect("read watch")
                .expect("watch ended early");
            let found = line.starts_with(event);
            seen.push(line);
            if found {
                return;
            }
        }
        panic!("no {event} in {seen:?}");
    };
    wait_for("ADDED", &mut seen).await;

    let patched = kubectl
        .run(&[
            "patch",
            "widget",
            "w1",
            "--type",
            "merge",
            "-p",
            r#"{"spec":{"size":2}}"#,
        ])
        .await;
    assert!(patched.contains("patched"), "{patched}");
    wait_for("MODIFIED", &mut seen).await;
    let json: Value =
        serde_json::from_str(&kubectl.run(&["get", "widget", "w1", "-o", "json"]).await)
            .expect("json");
    assert_eq!(json["spec"]["size"], 2);
    assert_eq!(json["metadata"]["generation"], 2);

    let deleted = kubectl.run(&["delete", "widget", "w1"]).await;
    assert!(deleted.contains("deleted"), "{deleted}");
    wait_for("DELETED", &mut seen).await;
    let _ = watch.kill().await;

    let missing = kubectl.fails(&["get", "widget", "w1"]).await;
    assert!(
        missing.contains("NotFound") || missing.contains("not found"),
        "{missing}"
    );
}

/// `kubectl get <widget> -o json --show-managed-fields`.
async fn get_widget(kubectl: &Kubectl, name: &str) -> Value {
    serde_json::from_str(
        &kubectl
            .run(&["get", "widget", name, "-o", "json", "--show-managed-fields"])
            .await,
    )
    .expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_server_side_apply_twice_changes_nothing() {
    let Some((env, kubectl, dir)) = setup("kubectl_server_side_apply_twice_changes_nothing").await
    else {
        return;
    };
    let manifest = write(
        dir.path(),
        "widget.yaml",
        "apiVersion: widgets.example.io/v1\nkind: Widget\nmetadata:\n  name: w1\n  labels:\n    app: web\nspec:\n  size: 1\n  nested:\n    color: red\n",
    );
    let manifest = manifest.to_string_lossy();
    let apply = ["apply", "--server-side", "-f", &manifest];
    let first = kubectl.run(&apply).await;
    assert!(
        first.contains("widget.widgets.example.io/w1 serverside-applied"),
        "{first}"
    );
    let applied = get_widget(&kubectl, "w1").await;
    let rv = applied["metadata"]["resourceVersion"]
        .as_str()
        .expect("resourceVersion")
        .to_owned();
    assert_eq!(
        applied["metadata"]["managedFields"][0]["manager"],
        "kubectl"
    );

    let api = widgets(&env.client, "default");
    let mut watch = api
        .watch(&WatchParams::default().timeout(30), &rv)
        .await
        .expect("watch")
        .boxed();
    // kubectl reports every server-side apply as `serverside-applied`, changed or not.
    let second = kubectl.run(&apply).await;
    assert!(
        second.contains("widget.widgets.example.io/w1 serverside-applied"),
        "{second}"
    );
    let again = get_widget(&kubectl, "w1").await;
    assert_eq!(
        again["metadata"]["resourceVersion"],
        json!(rv),
        "no new version"
    );
    assert_eq!(
        again["metadata"]["managedFields"],
        applied["metadata"]["managedFields"]
    );

    api.create(&PostParams::default(), &widget("marker", json!({})))
        .await
        .expect("create marker");
    loop {
        let event = within(10, watch.try_next())
            .await
            .expect("watch event")
            .expect("stream open");
        match event {
            WatchEvent::Bookmark(_) => continue,
            WatchEvent::Added(o) => {
                assert_eq!(o.metadata.name.as_deref(), Some("marker"));
                break;
            }
            other => panic!("the second apply sent an event: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_field_managers_share_finalizers() {
    let Some((_env, kubectl, dir)) = setup("kubectl_field_managers_share_finalizers").await else {
        return;
    };
    let manifest = |file: &str, finalizer: &str| {
        write(
            dir.path(),
            file,
            &format!(
                "apiVersion: widgets.example.io/v1\nkind: Widget\nmetadata:\n  name: w1\n  finalizers:\n  - {finalizer}\n"
            ),
        )
        .to_string_lossy()
        .into_owned()
    };
    let a = manifest("a.yaml", "a.example.io/x");
    let b = manifest("b.yaml", "b.example.io/y");
    kubectl
        .run(&["apply", "--server-side", "--field-manager=a", "-f", &a])
        .await;
    let applied = kubectl
        .run(&["apply", "--server-side", "--field-manager=b", "-f", &b])
        .await;
    assert!(applied.contains("serverside-applied"), "{applied}");
    let widget = get_widget(&kubectl, "w1").await;
    assert_eq!(
        widget["metadata"]["finalizers"],
        json!(["a.example.io/x", "b.example.io/y"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_patch_takes_over_an_applied_field() {
    let Some((_env, kubectl, dir)) = setup("kubectl_patch_takes_over_an_applied_field").await
    else {
        return;
    };
    let manifest = write(
        dir.path(),
        "widget.yaml",
        "apiVersion: widgets.example.io/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 1\n",
    );
    let manifest = manifest.to_string_lossy();
    kubectl
        .run(&["apply", "--server-side", "-f", &manifest])
        .await;
    kubectl
        .run(&[
            "patch",
            "widget",
            "w1",
            "--type",
            "merge",
            "-p",
            r#"{"spec":{"size":5}}"#,
        ])
        .await;
    let widget = get_widget(&kubectl, "w1").await;
    let patcher = widget["metadata"]["managedFields"]
        .as_array()
        .and_then(|entries| entries.iter().find(|e| e["manager"] == "kubectl-patch"))
        .cloned()
        .expect("kubectl-patch entry");
    assert_eq!(patcher["operation"], "Update");
    assert_eq!(patcher["fieldsV1"], json!({"f:spec": {"f:size": {}}}));

    let refused = kubectl
        .fails(&["apply", "--server-side", "-f", &manifest])
        .await;
    assert!(
        refused.contains(
            r#"Apply failed with 1 conflict: conflict with "kubectl-patch" using widgets.example.io/v1: .spec.size"#
        ),
        "{refused}"
    );
    let forced = kubectl
        .run(&[
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            &manifest,
        ])
        .await;
    assert!(forced.contains("serverside-applied"), "{forced}");
    assert_eq!(get_widget(&kubectl, "w1").await["spec"]["size"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_sees_metadata_validation_and_server_dry_run() {
    let Some((env, kubectl, dir)) =
        setup("kubectl_sees_metadata_validation_and_server_dry_run").await
    else {
        return;
    };
    let bad = write(
        dir.path(),
        "bad.yaml",
        "apiVersion: widgets.example.io/v1\nkind: Widget\nmetadata:\n  name: w1\n  labels:\n    app: \"-web\"\n  annotations:\n    \"no good\": x\n",
    );
    let refused = kubectl
        .fails(&["create", "-f", &bad.to_string_lossy()])
        .await;
    assert!(
        refused.contains(
            r#"metadata.labels: Invalid value: "-web": a valid label must be an empty string"#
        ) && refused.contains(
            r#"metadata.annotations: Invalid value: "no good": name part must consist of"#
        ),
        "{refused}"
    );
    let good = write(
        dir.path(),
        "good.yaml",
        "apiVersion: widgets.example.io/v1\nkind: Widget\nmetadata:\n  name: w2\n",
    );
    let dry = kubectl
        .run(&["create", "--dry-run=server", "-f", &good.to_string_lossy()])
        .await;
    assert!(dry.contains("created (server dry run)"), "{dry}");
    let api = widgets(&env.client, "default");
    assert!(
        api.get_opt("w2").await.expect("get").is_none(),
        "a dry run stored the object"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_version_tables_and_namespace_deletion() {
    let Some((env, kubectl, dir)) = setup("kubectl_version_tables_and_namespace_deletion").await
    else {
        return;
    };
    // The server reports the version kubectl is: no skew warning.
    let output = within(60, kubectl.command(&["version"]).output())
        .await
        .expect("run kubectl version");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("Server Version: v1.32."), "{stdout}");
    assert!(
        !stderr.contains("WARNING") && !stdout.contains("WARNING"),
        "{stdout}{stderr}"
    );

    // kubectl prints the server's Table: the definition's printer columns.
    env.server.register(
        kube_codegen_apiserver::ResourceDefinition::new(GROUP, "v1", "Sized", "sizeds")
            .with_printer_column(kube_codegen_apiserver::PrinterColumn::new(
                "Size",
                "integer",
                ".spec.size",
            ))
            .with_printer_column(kube_codegen_apiserver::PrinterColumn::new(
                "Age",
                "date",
                ".metadata.creationTimestamp",
            )),
    );
    let sized = write(
        dir.path(),
        "sized.yaml",
        "apiVersion: widgets.example.io/v1\nkind: Sized\nmetadata:\n  name: s1\nspec:\n  size: 7\n",
    );
    kubectl
        .run(&["create", "-f", &sized.to_string_lossy()])
        .await;
    let table = kubectl.run(&["get", "sizeds"]).await;
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
    assert_eq!(header, vec!["NAME", "SIZE", "AGE"], "{table}");
    let row: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
    assert_eq!(row.get(..2), Some(&["s1", "7"][..]), "{table}");

    // A namespace and its content deleted from one file: every item is reported deleted.
    let both = write(
        dir.path(),
        "team.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n---\napiVersion: widgets.example.io/v1\nkind: Widget\nmetadata:\n  name: w1\n  namespace: team\n",
    );
    let both = both.to_string_lossy();
    kubectl.run(&["create", "-f", &both]).await;
    let deleted = kubectl.run(&["delete", "-f", &both]).await;
    assert!(
        deleted.contains("namespace \"team\" deleted")
            && deleted.contains("widget.widgets.example.io \"w1\" deleted"),
        "{deleted}"
    );
    let gone = kubectl.fails(&["get", "namespace", "team"]).await;
    assert!(gone.contains("not found"), "{gone}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_creates_built_in_kinds_over_protobuf() {
    let server = server_builder()
        .builtin_kinds(kube_codegen_apiserver::BuiltinKind::ALL)
        .build();
    let Some((_env, kubectl, _dir)) =
        setup_with("kubectl_creates_built_in_kinds_over_protobuf", server).await
    else {
        return;
    };
    // kubectl's typed commands send (and ask for) protobuf for built-in kinds.
    let created = kubectl.run(&["create", "namespace", "x"]).await;
    assert!(created.contains("namespace/x created"), "{created}");
    let ns = kubectl.run(&["get", "namespace", "x"]).await;
    assert!(
        ns.lines()
            .any(|l| l.starts_with("x ") && l.contains("Active")),
        "{ns}"
    );
    let created = kubectl
        .run(&["create", "configmap", "c", "-n", "x", "--from-literal=a=b"])
        .await;
    assert!(created.contains("configmap/c created"), "{created}");
    let created = kubectl
        .run(&[
            "create",
            "secret",
            "generic",
            "s",
            "-n",
            "x",
            "--from-literal=k=v",
        ])
        .await;
    assert!(created.contains("secret/s created"), "{created}");
    let created = kubectl
        .run(&["create", "serviceaccount", "robot", "-n", "x"])
        .await;
    assert!(
        created.contains("serviceaccount/robot created"),
        "{created}"
    );

    let cm: Value = serde_json::from_str(
        &kubectl
            .run(&["get", "cm", "c", "-n", "x", "-o", "json"])
            .await,
    )
    .expect("json");
    assert_eq!(cm["data"], json!({"a": "b"}));
    let secret: Value = serde_json::from_str(
        &kubectl
            .run(&["get", "secret", "s", "-n", "x", "-o", "json"])
            .await,
    )
    .expect("json");
    assert_eq!(secret["data"], json!({"k": "dg=="}));
    assert_eq!(secret["type"], "Opaque");
    let listed = kubectl.run(&["get", "sa", "-n", "x", "-o", "name"]).await;
    assert_eq!(listed.trim(), "serviceaccount/robot");
    let refused = kubectl
        .fails(&["create", "configmap", "c", "-n", "x"])
        .await;
    assert!(
        refused.contains("AlreadyExists") || refused.contains("already exists"),
        "{refused}"
    );
}

/// kubectl's typed `create` (and `run`) for kinds mapped through the protobuf tables: what
/// kubectl sent over protobuf is what `get -o json` shows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_creates_services_deployments_and_pods_over_protobuf() {
    let server = server_builder()
        .builtin_kinds(kube_codegen_apiserver::BuiltinKind::ALL)
        .build();
    let Some((_env, kubectl, _dir)) = setup_with(
        "kubectl_creates_services_deployments_and_pods_over_protobuf",
        server,
    )
    .await
    else {
        return;
    };
    let get = |kind: &'static str, name: &'static str| {
        let kubectl = &kubectl;
        async move {
            let text = kubectl.run(&["get", kind, name, "-o", "json"]).await;
            serde_json::from_str::<Value>(&text).expect("json")
        }
    };

    let created = kubectl
        .run(&["create", "service", "clusterip", "web", "--tcp=80:8080"])
        .await;
    assert!(created.contains("service/web created"), "{created}");
    let svc = get("service", "web").await;
    assert_eq!(svc["spec"]["type"], "ClusterIP", "{svc}");
    assert_eq!(svc["spec"]["selector"], json!({"app": "web"}), "{svc}");
    assert_eq!(
        svc["spec"]["ports"],
        json!([{"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080}]),
        "{svc}"
    );
    assert_eq!(svc["metadata"]["labels"], json!({"app": "web"}), "{svc}");
    let created = kubectl
        .run(&[
            "create",
            "service",
            "nodeport",
            "np",
            "--tcp=443:https",
            "--node-port=30443",
        ])
        .await;
    assert!(created.contains("service/np created"), "{created}");
    let svc = get("service", "np").await;
    assert_eq!(svc["spec"]["type"], "NodePort", "{svc}");
    assert_eq!(svc["spec"]["ports"][0]["targetPort"], "https", "{svc}");
    assert_eq!(svc["spec"]["ports"][0]["nodePort"], 30443, "{svc}");

    let created = kubectl
        .run(&[
            "create",
            "deployment",
            "web",
            "--image=nginx:1.27",
            "--replicas=3",
            "--port=8080",
        ])
        .await;
    assert!(created.contains("deployment.apps/web created"), "{created}");
    let deploy = get("deployment", "web").await;
    assert_eq!(deploy["spec"]["replicas"], 3, "{deploy}");
    assert_eq!(
        deploy["spec"]["selector"],
        json!({"matchLabels": {"app": "web"}}),
        "{deploy}"
    );
    let template = &deploy["spec"]["template"];
    assert_eq!(
        template["metadata"]["labels"],
        json!({"app": "web"}),
        "{deploy}"
    );
    // Go's zero time (an empty message in protobuf) is no time, not 1970.
    assert!(
        template["metadata"].get("creationTimestamp").is_none(),
        "{deploy}"
    );
    assert_eq!(
        template["spec"]["containers"],
        json!([{"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 8080}]}]),
        "{deploy}"
    );
    assert!(deploy["metadata"]["uid"].is_string(), "{deploy}");
    // Zero replicas survive the trip (a pointer in Go, so not omitted).
    kubectl
        .run(&[
            "create",
            "deployment",
            "idle",
            "--image=nginx",
            "--replicas=0",
        ])
        .await;
    assert_eq!(get("deployment", "idle").await["spec"]["replicas"], 0);

    let created = kubectl
        .run(&[
            "run",
            "p",
            "--image=busybox",
            "--restart=Never",
            "--port=80",
            "--env=A=b",
            "--labels=tier=x",
        ])
        .await;
    assert!(created.contains("pod/p created"), "{created}");
    let pod = get("pod", "p").await;
    assert_eq!(pod["metadata"]["labels"], json!({"tier": "x"}), "{pod}");
    assert_eq!(pod["spec"]["restartPolicy"], "Never", "{pod}");
    let container = &pod["spec"]["containers"][0];
    assert_eq!(
        (&container["name"], &container["image"]),
        (&json!("p"), &json!("busybox")),
        "{pod}"
    );
    assert_eq!(container["ports"], json!([{"containerPort": 80}]), "{pod}");
    assert_eq!(
        container["env"],
        json!([{"name": "A", "value": "b"}]),
        "{pod}"
    );
}

/// kubectl against a server emulating 1.30: `get` of a deprecated version prints
/// kube-apiserver's warning; a removed version is absent from `api-versions` and not found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_prints_deprecation_warnings_and_misses_removed_versions() {
    use kube_codegen_runtime::ResourceInfo;
    use kube_codegen_runtime::lifecycle::{KubeRelease, Lifecycle, Replacement};
    let lifecycle = |introduced, deprecated, removed, replacement| Lifecycle {
        introduced: KubeRelease::new(1, introduced),
        deprecated: KubeRelease::new(1, deprecated),
        removed: KubeRelease::new(1, removed),
        replacement,
    };
    let beta = ResourceInfo {
        version: "v1beta1",
        lifecycle: Some(lifecycle(
            26,
            29,
            32,
            Some(Replacement {
                group: GROUP,
                version: "v1",
                kind: "Widget",
            }),
        )),
        ..WIDGET_V1
    };
    let alpha = ResourceInfo {
        version: "v1alpha1",
        lifecycle: Some(lifecycle(23, 26, 29, None)),
        ..WIDGET_V1
    };
    let server = kube_codegen_apiserver::ApiServer::builder()
        .register(&WIDGET_V1)
        .register(&beta)
        .register(&alpha)
        .emulated_release(KubeRelease::new(1, 30))
        .build();
    let test = "kubectl_prints_deprecation_warnings_and_misses_removed_versions";
    let Some((_env, kubectl, _dir)) = setup_with(test, server).await else {
        return;
    };
    let output = within(
        60,
        kubectl
            .command(&["get", "widgets.v1beta1.widgets.example.io", "-n", "default"])
            .output(),
    )
    .await
    .expect("run kubectl");
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Warning: widgets.example.io/v1beta1 Widget is deprecated in v1.29+, unavailable in v1.32+; use widgets.example.io/v1 Widget"),
        "{stderr}"
    );
    let versions = kubectl.run(&["api-versions"]).await;
    assert!(
        versions.lines().any(|l| l == "widgets.example.io/v1beta1"),
        "{versions}"
    );
    assert!(
        versions.lines().any(|l| l == "widgets.example.io/v1"),
        "{versions}"
    );
    assert!(
        !versions.contains("widgets.example.io/v1alpha1"),
        "{versions}"
    );
    let missing = kubectl
        .fails(&[
            "get",
            "widgets.v1alpha1.widgets.example.io",
            "-n",
            "default",
        ])
        .await;
    assert!(
        missing.contains("doesn't have a resource type")
            || missing.contains("the server could not find the requested resource"),
        "{missing}"
    );
}

const SPROCKET_CRD: &str = r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: sprockets.crd.example.io
spec:
  group: crd.example.io
  scope: Namespaced
  names:
    plural: sprockets
    singular: sprocket
    kind: Sprocket
    shortNames: [spr]
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Teeth
      type: integer
      jsonPath: .spec.teeth
    schema:
      openAPIV3Schema:
        type: object
        description: A Sprocket turns a chain.
        properties:
          spec:
            type: object
            description: The sprocket's desired shape.
            properties:
              teeth:
                type: integer
                description: How many teeth the sprocket has.
              finish:
                type: object
                description: The surface treatment.
                properties:
                  color:
                    type: string
                    description: Paint colour of the finish.
          status:
            type: object
            properties:
              turning:
                type: boolean
  - name: v1beta1
    served: true
    storage: false
    deprecated: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_applies_waits_for_explains_and_deletes_a_crd() {
    let Some((_env, kubectl, dir)) =
        setup("kubectl_applies_waits_for_explains_and_deletes_a_crd").await
    else {
        return;
    };
    let crds = dir.path().join("crds");
    std::fs::create_dir(&crds).expect("mkdir");
    write(&crds, "sprockets.yaml", SPROCKET_CRD);
    let applied = kubectl.run(&["apply", "-f", &crds.to_string_lossy()]).await;
    assert!(
        applied.contains(
            "customresourcedefinition.apiextensions.k8s.io/sprockets.crd.example.io created"
        ),
        "{applied}"
    );
    let again = kubectl.run(&["apply", "-f", &crds.to_string_lossy()]).await;
    assert!(again.contains("unchanged"), "{again}");
    let waited = kubectl
        .run(&[
            "wait",
            "--for",
            "condition=established",
            "--timeout=30s",
            "crd/sprockets.crd.example.io",
        ])
        .await;
    assert!(waited.contains("condition met"), "{waited}");
    let resources = kubectl
        .run(&["api-resources", "--api-group", "crd.example.io"])
        .await;
    assert!(
        resources
            .lines()
            .any(|l| l.starts_with("sprockets ") && l.contains("spr") && l.contains("Sprocket")),
        "{resources}"
    );
    let manifest = write(
        dir.path(),
        "sprocket.yaml",
        "apiVersion: crd.example.io/v1\nkind: Sprocket\nmetadata:\n  name: s1\nspec:\n  teeth: 42\n",
    );
    kubectl
        .run(&["create", "-f", &manifest.to_string_lossy()])
        .await;
    let table = kubectl.run(&["get", "sprockets"]).await;
    let header = table.lines().next().unwrap_or("");
    assert!(header.contains("TEETH"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("s1 ") && l.contains("42")),
        "{table}"
    );

    // The deprecated version warns with kube-apiserver's default text.
    let old = within(
        60,
        kubectl
            .command(&["get", "sprockets.v1beta1.crd.example.io", "s1"])
            .output(),
    )
    .await
    .expect("run kubectl");
    let stderr = String::from_utf8_lossy(&old.stderr);
    assert!(old.status.success(), "{stderr}");
    assert!(
        stderr.contains("Warning: crd.example.io/v1beta1 Sprocket is deprecated"),
        "{stderr}"
    );
    // explain reads the published OpenAPI v3 schema.
    let explained = kubectl.run(&["explain", "sprockets.spec"]).await;
    for expected in [
        "KIND:       Sprocket",
        "FIELD: spec <Object>",
        "The sprocket's desired shape.",
        "teeth\t<integer>",
        "How many teeth the sprocket has.",
        "finish\t<Object>",
    ] {
        assert!(explained.contains(expected), "{expected:?} in {explained}");
    }
    let recursive = kubectl
        .run(&["explain", "sprockets.spec", "--recursive"])
        .await;
    assert!(
        recursive
            .lines()
            .any(|l| l.trim_start().starts_with("color\t<string>")),
        "{recursive}"
    );
    let root = kubectl.run(&["explain", "sprockets"]).await;
    assert!(root.contains("A Sprocket turns a chain."), "{root}");
    assert!(root.contains("metadata\t<ObjectMeta>"), "{root}");
    let meta = kubectl.run(&["explain", "sprockets.metadata.labels"]).await;
    assert!(meta.contains("map[string]string"), "{meta}");
    // A kind registered without a schema is explained as the permissive object it is.
    let schemaless = kubectl.run(&["explain", "widgets"]).await;
    assert!(schemaless.contains("KIND:       Widget"), "{schemaless}");
    assert!(
        schemaless.contains("metadata\t<ObjectMeta>"),
        "{schemaless}"
    );
    // Client-side apply of a built-in kind still computes its strategic merge patch from
    // kubectl's compiled types (the published PATCH operations offer none).
    let ns = write(
        dir.path(),
        "ns.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: gears\n  labels:\n    a: one\n",
    );
    kubectl.run(&["apply", "-f", &ns.to_string_lossy()]).await;
    write(
        dir.path(),
        "ns.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: gears\n  labels:\n    a: two\n",
    );
    let configured = kubectl.run(&["apply", "-f", &ns.to_string_lossy()]).await;
    assert!(configured.contains("configured"), "{configured}");
    let label = kubectl
        .run(&["get", "ns", "gears", "-o", "jsonpath={.metadata.labels.a}"])
        .await;
    assert_eq!(label, "two");
    // Client-side apply of a custom resource still sends a merge patch the server takes.
    let reapplied = kubectl
        .run(&["apply", "-f", &manifest.to_string_lossy()])
        .await;
    assert!(reapplied.contains("configured"), "{reapplied}");
    let crds_listed = kubectl.run(&["get", "crd"]).await;
    assert!(
        crds_listed
            .lines()
            .any(|l| l.starts_with("sprockets.crd.example.io ")),
        "{crds_listed}"
    );

    let deleted = kubectl
        .run(&["delete", "crd", "sprockets.crd.example.io"])
        .await;
    assert!(deleted.contains("deleted"), "{deleted}");
    kubectl.fails(&["get", "sprockets"]).await;
    let resources = kubectl.run(&["api-resources"]).await;
    assert!(!resources.contains("sprockets"), "{resources}");

    // Server-side apply of the directory registers it again, and re-applying changes nothing.
    for _ in 0..2 {
        kubectl
            .run(&["apply", "--server-side", "-f", &crds.to_string_lossy()])
            .await;
    }
    kubectl
        .run(&[
            "wait",
            "--for",
            "condition=established",
            "--timeout=30s",
            "crd/sprockets.crd.example.io",
        ])
        .await;
    let listed = kubectl.run(&["get", "sprockets", "-o", "name"]).await;
    assert!(
        listed.trim().is_empty(),
        "objects went with the CRD: {listed}"
    );
    kubectl
        .run(&["create", "-f", &manifest.to_string_lossy()])
        .await;
    let got = kubectl
        .run(&["get", "spr", "s1", "-o", "jsonpath={.spec.teeth}"])
        .await;
    assert_eq!(got, "42");
}

/// A kind with a structural schema: kubectl sees upstream's answers to violations, unknown
/// fields and defaults, and its server-side applies merge conditions by `type`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_meets_the_schema() {
    let schema = json!({"type": "object", "properties": {
        "spec": {"type": "object", "properties": {
            "size": {"type": "integer", "minimum": 0},
            "mode": {"type": "string", "default": "fast"},
        }},
        "status": {"type": "object", "properties": {"conditions": {
            "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"],
            "items": {"type": "object", "properties": {
                "type": {"type": "string"}, "status": {"type": "string"}}}}}},
    }});
    let server = kube_codegen_apiserver::ApiServer::builder()
        .register(
            kube_codegen_apiserver::ResourceDefinition::new(GROUP, "v1", "Gizmo", "gizmos")
                .with_schema(schema),
        )
        .build();
    let Some((_env, kubectl, dir)) = setup_with("kubectl_meets_the_schema", server).await else {
        return;
    };
    let manifest = |name: &str, spec: &str| {
        write(
            dir.path(),
            &format!("{name}.yaml"),
            &format!("apiVersion: widgets.example.io/v1\nkind: Gizmo\nmetadata:\n  name: {name}\nspec:\n{spec}"),
        )
        .to_string_lossy()
        .into_owned()
    };
    let bad = manifest("bad", "  size: -1\n");
    let stderr = kubectl.fails(&["create", "-f", &bad]).await;
    assert!(
        // kubectl prints a 422 from its causes, as it does for kube-apiserver's.
        stderr.contains(r#"The Gizmo "bad" is invalid: spec.size: Invalid value: -1: spec.size in body should be greater than or equal to 0"#),
        "{stderr}"
    );

    let unknown = manifest("unknown", "  size: 1\n  foo: 1\n");
    // Strict is kubectl's default: the server's strict decoding error.
    for args in [
        &["create", "--validate=strict", "-f", &unknown][..],
        &["create", "-f", &unknown],
    ] {
        let stderr = kubectl.fails(args).await;
        assert!(
            stderr.contains(r#"Gizmo in version "v1" cannot be handled as a Gizmo: strict decoding error: unknown field "spec.foo""#),
            "{stderr}"
        );
    }
    let ignored = manifest("ignored", "  size: 1\n  foo: 1\n");
    let output = within(
        60,
        kubectl
            .command(&["create", "--validate=false", "-f", &ignored])
            .output(),
    )
    .await
    .expect("run kubectl");
    assert!(output.status.success());
    assert!(!String::from_utf8_lossy(&output.stderr).contains("Warning"));
    let output = within(
        60,
        kubectl
            .command(&["create", "--validate=warn", "-f", &unknown])
            .output(),
    )
    .await
    .expect("run kubectl");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains(r#"Warning: unknown field "spec.foo""#),
        "{stderr}"
    );

    let yaml = kubectl
        .run(&["get", "gizmos", "unknown", "-o", "yaml"])
        .await;
    assert!(yaml.contains("mode: fast"), "defaulted: {yaml}");
    assert!(!yaml.contains("foo"), "pruned: {yaml}");

    let condition = |type_: &str| {
        write(
            dir.path(),
            &format!("{type_}.yaml"),
            &format!("apiVersion: widgets.example.io/v1\nkind: Gizmo\nmetadata:\n  name: unknown\nstatus:\n  conditions:\n  - type: {type_}\n    status: \"True\"\n"),
        )
        .to_string_lossy()
        .into_owned()
    };
    for (manager, type_) in [("one", "Ready"), ("two", "Synced")] {
        kubectl
            .run(&[
                "apply",
                "--server-side",
                "--field-manager",
                manager,
                "-f",
                &condition(type_),
            ])
            .await;
    }
    let json = kubectl
        .run(&["get", "gizmos", "unknown", "-o", "json"])
        .await;
    let got: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        got["status"]["conditions"],
        json!([{"type": "Ready", "status": "True"}, {"type": "Synced", "status": "True"}])
    );
}

/// The repository's generated CRDs (`cargo xtask codegen` writes them) as a user meets them:
/// applied with kubectl, explained from the generated schemas and enforced: a value below its
/// `Minimum` is a 422 naming the field, an unknown field is refused with kubectl's default
/// strict validation and pruned without it, and `+kubebuilder:default`s show on `get`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_applies_and_is_held_to_the_generated_crds() {
    let server = kube_codegen_apiserver::ApiServer::builder().build();
    let Some((_env, kubectl, dir)) =
        setup_with("kubectl_applies_and_is_held_to_the_generated_crds", server).await
    else {
        return;
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the apiserver crate is in the repository")
        .to_path_buf();
    let repo = || repo.clone();
    let write =
        |dir: &Path, name: &str, text: &str| write(dir, name, text).to_string_lossy().into_owned();
    let widgets = repo().join("examples/widgets-api/crds");
    let gizmos = repo().join("tests/crd-markers/crds");
    let applied = kubectl
        .run(&[
            "apply",
            "-f",
            &widgets.to_string_lossy(),
            "-f",
            &gizmos.to_string_lossy(),
        ])
        .await;
    for name in [
        "widgets.widgets.example.io",
        "gadgets.widgets.example.io",
        "ships.fleet.example.io",
        "gizmos.markers.example.io",
    ] {
        assert!(
            applied.contains(&format!(
                "customresourcedefinition.apiextensions.k8s.io/{name} created"
            )),
            "{applied}"
        );
    }
    kubectl
        .run(&[
            "wait",
            "--for",
            "condition=established",
            "--timeout=30s",
            "crd/gizmos.markers.example.io",
        ])
        .await;
    // Server-side apply of the same files changes nothing either.
    kubectl
        .run(&["apply", "--server-side", "-f", &widgets.to_string_lossy()])
        .await;

    // explain reads the generated schemas, descriptions from the doc comments.
    let explained = kubectl.run(&["explain", "widgets.spec.parts"]).await;
    assert!(
        explained.contains("The widget's parts, one per name."),
        "{explained}"
    );
    assert!(explained.contains("count"), "{explained}");
    let explained = kubectl.run(&["explain", "gizmos.spec.replicas"]).await;
    assert!(explained.contains("How many gizmos run."), "{explained}");

    kubectl.run(&["create", "namespace", "crds"]).await;
    // A value below its `Minimum` is refused with kube-apiserver's wording.
    let bad = write(
        dir.path(),
        "bad.yaml",
        "apiVersion: markers.example.io/v1\nkind: Gizmo\nmetadata:\n  name: bad\n  namespace: crds\nspec:\n  replicas: -1\n  name: bad\n  phase: PENDING\n  tags: [a]\n  shape: {square: 1}\n  action: {type: nothing}\n  pair: [1, 2]\n",
    );
    let refused = kubectl.fails(&["create", "-f", &bad]).await;
    assert!(
        refused.contains("spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0"),
        "{refused}"
    );

    // An unknown field: refused with --validate=strict, pruned otherwise; defaults filled in.
    let good = write(
        dir.path(),
        "good.yaml",
        "apiVersion: markers.example.io/v1\nkind: Gizmo\nmetadata:\n  name: good\n  namespace: crds\nspec:\n  name: good\n  phase: PENDING\n  tags: [a]\n  shape: {square: 1}\n  action: {type: nothing}\n  pair: [1, 2]\n  colour: blue\n",
    );
    let strict = kubectl
        .fails(&["create", "--validate=strict", "-f", &good])
        .await;
    assert!(strict.contains("colour"), "{strict}");
    kubectl
        .run(&["create", "--validate=false", "-f", &good])
        .await;
    let stored = kubectl
        .run(&["get", "gizmo", "good", "-n", "crds", "-o", "json"])
        .await;
    let stored: Value = serde_json::from_str(&stored).expect("JSON");
    assert_eq!(
        stored.pointer("/spec/colour"),
        None,
        "unknown field kept: {stored}"
    );
    assert_eq!(
        stored.pointer("/spec/replicas"),
        Some(&json!(1)),
        "{stored}"
    );
    assert_eq!(
        stored.pointer("/spec/mode"),
        Some(&json!("Fast")),
        "{stored}"
    );

    // The printer columns of the generated CRD.
    let table = kubectl.run(&["get", "gizmos", "-n", "crds"]).await;
    assert!(
        table.lines().next().unwrap_or("").contains("REPLICAS"),
        "{table}"
    );
}
