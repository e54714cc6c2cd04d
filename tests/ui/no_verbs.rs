//! `+genclient:noVerbs`: not even get, and no all-namespaces accessor.

use kube_codegen_golden_client::Clientset;

async fn get(cs: Clientset) {
    let _ = cs.clients_v1().tombstones("ns").get("n").await;
    let _ = cs.clients_v1().tombstones_all_namespaces();
}

fn main() {
    let _ = get;
}
