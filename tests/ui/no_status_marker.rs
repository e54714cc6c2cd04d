//! `+genclient:noStatus` on a kind that has a `status` field: no status verbs.

use kube_codegen_golden::clients::v1::Lamp;
use kube_codegen_golden_client::Clientset;
use kube_codegen_runtime::kube::api::PostParams;

async fn status(cs: Clientset) {
    let lamps = cs.clients_v1().lamps("ns");
    let _ = lamps
        .update_status(&PostParams::default(), &Lamp::default())
        .await;
    let _ = lamps
        .apply_status("n", &Lamp::default(), "golden", false)
        .await;
}

fn main() {
    let _ = status;
}
