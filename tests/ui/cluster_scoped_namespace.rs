//! A cluster-scoped kind's accessor takes no namespace.

use kube_codegen_golden_client::Clientset;

async fn namespaced(cs: Clientset) {
    let _ = cs.clients_v1().galaxies("ns").get("n").await;
}

fn main() {
    let _ = namespaced;
}
