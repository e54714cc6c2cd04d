//! A cluster-scoped kind has no all-namespaces accessor.

use kube_codegen_golden_client::Clientset;

fn across(cs: Clientset) {
    let _ = cs.clients_v1().galaxies_all_namespaces();
}

fn main() {
    let _ = across;
}
