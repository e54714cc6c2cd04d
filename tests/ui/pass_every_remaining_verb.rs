//! Every verb the markers leave, on every kind of the golden clientset, compiles.

use std::collections::BTreeMap;

use kube_codegen_golden::clients::v1::*;
use kube_codegen_golden::core::v1::Beacon;
use kube_codegen_golden_client::Clientset;
use kube_codegen_runtime::k8s_openapi::api::autoscaling::v1::Scale;
use kube_codegen_runtime::k8s_openapi::api::policy::v1::Eviction;
use kube_codegen_runtime::kube::api::{
    DeleteParams, ListParams, Patch, PatchParams, PostParams, WatchParams,
};

fn merge() -> Patch<BTreeMap<String, String>> {
    Patch::Merge(BTreeMap::new())
}

/// get, get_opt, list, watch.
macro_rules! reads {
    ($c:expr) => {{
        let _ = $c.get("n").await;
        let _ = $c.get_opt("n").await;
        let _ = $c.list(&ListParams::default()).await;
        let _ = $c.watch(&WatchParams::default(), "0").await;
    }};
}

/// create, update, delete, delete_collection, patch, apply.
macro_rules! writes {
    ($c:expr, $object:expr) => {{
        let _ = $c.create(&PostParams::default(), &$object).await;
        let _ = $c.update(&PostParams::default(), &$object).await;
        let _ = $c.delete("n", &DeleteParams::default()).await;
        let _ = $c
            .delete_collection(&DeleteParams::default(), &ListParams::default())
            .await;
        let _ = $c.patch("n", &PatchParams::default(), &merge()).await;
        let _ = $c.apply("n", &$object, "golden", false).await;
    }};
}

/// update_status, apply_status, patch_status.
macro_rules! status {
    ($c:expr, $object:expr) => {{
        let _ = $c.update_status(&PostParams::default(), &$object).await;
        let _ = $c.apply_status("n", &$object, "golden", true).await;
        let _ = $c
            .patch_status("n", &PatchParams::default(), &merge())
            .await;
    }};
}

/// list and watch across namespaces.
macro_rules! across {
    ($c:expr) => {{
        let _ = $c.list(&ListParams::default()).await;
        let _ = $c.watch(&WatchParams::default(), "").await;
    }};
}

async fn every_verb(cs: Clientset) {
    let v1 = cs.clients_v1();

    let widgets = v1.widgets("ns");
    reads!(widgets);
    writes!(widgets, Widget::default());
    status!(widgets, Widget::default());
    across!(v1.widgets_all_namespaces());

    let galaxies = v1.galaxies();
    reads!(galaxies);
    writes!(galaxies, Galaxy::default());
    status!(galaxies, Galaxy::default());

    let lamps = v1.lamps("ns");
    reads!(lamps);
    writes!(lamps, Lamp::default());
    across!(v1.lamps_all_namespaces());

    let policies = v1.policies("ns");
    reads!(policies);
    writes!(policies, Policy::default());
    across!(v1.policies_all_namespaces());

    let _: Result<Tombstone, _> = v1.tombstones("ns").get_epitaph("n").await;

    let archives = v1.archives("ns");
    reads!(archives);
    across!(v1.archives_all_namespaces());

    let ledgers = v1.ledgers("ns");
    let _ = ledgers.get("n").await;
    let _ = ledgers.get_opt("n").await;
    let _ = ledgers.list(&ListParams::default()).await;
    let _ = v1
        .ledgers_all_namespaces()
        .list(&ListParams::default())
        .await;

    let vaults = v1.vaults("ns");
    reads!(vaults);
    let _ = vaults
        .create(&PostParams::default(), &Vault::default())
        .await;
    let _ = vaults
        .update(&PostParams::default(), &Vault::default())
        .await;
    let _ = vaults.patch("n", &PatchParams::default(), &merge()).await;
    status!(vaults, Vault::default());
    across!(v1.vaults_all_namespaces());

    let mice = v1.mice("ns");
    reads!(mice);
    writes!(mice, Mouse::default());
    across!(v1.mice_all_namespaces());

    let fleets = v1.fleets("ns");
    reads!(fleets);
    writes!(fleets, Fleet::default());
    status!(fleets, Fleet::default());
    across!(v1.fleets_all_namespaces());
    let _: Result<Scale, _> = fleets.get_scale("n").await;
    let _: Result<Scale, _> = fleets
        .update_scale("n", &PostParams::default(), &Scale::default())
        .await;
    let _: Result<Scale, _> = fleets
        .patch_scale("n", &PatchParams::default(), &merge())
        .await;
    let _: Result<kube_codegen_runtime::k8s_openapi::apimachinery::pkg::apis::meta::v1::Status, _> =
        fleets
            .create_eviction("n", &PostParams::default(), &Eviction::default())
            .await;
    let _: Result<Fleet, _> = fleets.get_details("n").await;
    let _: Result<Fleet, _> = fleets
        .update_details("n", &PostParams::default(), &Fleet::default())
        .await;
    let _: Result<Fleet, _> = fleets
        .create_details("n", &PostParams::default(), &Fleet::default())
        .await;
    let _: Result<Fleet, _> = fleets
        .patch_details("n", &PatchParams::default(), &merge())
        .await;

    let gizmos = v1.gizmos();
    reads!(gizmos);
    writes!(gizmos, Gizmo::default());

    let probes = v1.probes();
    reads!(probes);
    writes!(probes, probes::Probe::default());

    let auditors = v1.auditors("ns");
    reads!(auditors);
    let _: Result<Report, _> = auditors.get_report("n").await;

    let core = cs.core_v1();
    let beacons = core.beacons("ns");
    reads!(beacons);
    writes!(beacons, Beacon::default());
    status!(beacons, Beacon::default());
    across!(core.beacons_all_namespaces());
}

fn main() {
    // Compiling is the test; nothing here talks to a server.
    let _ = every_verb;
}
