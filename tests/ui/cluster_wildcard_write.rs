//! Across every logical cluster a kind can only be listed and watched (as its markers allow):
//! a get or a write through the cluster-aware clientset's wildcard does not exist.

use kube_codegen_golden::clients::v1::Widget;
use kube_codegen_golden_client::ClusterClientset;
use kube_codegen_runtime::kube::api::{DeleteParams, PostParams, WatchParams};

async fn write_everywhere(cs: ClusterClientset) {
    let every = cs.clients_v1().widgets();
    let _ = every.create(&PostParams::default(), &Widget::default()).await;
    let _ = every.get("n").await;
    let _ = every.delete("n", &DeleteParams::default()).await;
    // `Ledger` keeps get and list only: no watch across clusters either.
    let _ = cs.clients_v1().ledgers().watch(&WatchParams::default(), "0").await;
}

fn main() {
    let _ = write_everywhere;
}
