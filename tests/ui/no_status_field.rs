//! A kind without a `status` field has no status verbs.

use std::collections::BTreeMap;

use kube_codegen_golden::clients::v1::Policy;
use kube_codegen_golden_client::Clientset;
use kube_codegen_runtime::kube::api::{Patch, PatchParams, PostParams};

async fn status(cs: Clientset) {
    let policies = cs.clients_v1().policies("ns");
    let _ = policies
        .update_status(&PostParams::default(), &Policy::default())
        .await;
    let patch: Patch<BTreeMap<String, String>> = Patch::Merge(BTreeMap::new());
    let _ = policies
        .patch_status("n", &PatchParams::default(), &patch)
        .await;
}

fn main() {
    let _ = status;
}
