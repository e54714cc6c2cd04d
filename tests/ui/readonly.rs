//! `+genclient:readonly` leaves get, list and watch: no writes, no status writes.

use std::collections::BTreeMap;

use kube_codegen_golden::clients::v1::Archive;
use kube_codegen_golden_client::Clientset;
use kube_codegen_runtime::kube::api::{DeleteParams, Patch, PatchParams, PostParams};

async fn writes(cs: Clientset) {
    let archives = cs.clients_v1().archives("ns");
    let patch: Patch<BTreeMap<String, String>> = Patch::Merge(BTreeMap::new());
    let _ = archives
        .create(&PostParams::default(), &Archive::default())
        .await;
    let _ = archives
        .update(&PostParams::default(), &Archive::default())
        .await;
    let _ = archives.delete("n", &DeleteParams::default()).await;
    let _ = archives.patch("n", &PatchParams::default(), &patch).await;
    let _ = archives
        .apply("n", &Archive::default(), "golden", false)
        .await;
    let _ = archives
        .update_status(&PostParams::default(), &Archive::default())
        .await;
}

fn main() {
    let _ = writes;
}
