//! `+genclient:noVerbs` without a custom method: the kind has no client accessor at all.

use kube_codegen_golden_client::Clientset;

fn shades(cs: Clientset) {
    let _ = cs.clients_v1().shades("ns");
}

fn main() {
    let _ = shades;
}
