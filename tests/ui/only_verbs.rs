//! `+genclient:onlyVerbs=get,list`: no watch, in a namespace or across all of them, and so no
//! `api()` for `kube::runtime` either.

use kube_codegen_golden_client::Clientset;
use kube_codegen_runtime::kube::api::WatchParams;

async fn watch(cs: Clientset) {
    let _ = cs
        .clients_v1()
        .ledgers("ns")
        .watch(&WatchParams::default(), "0")
        .await;
    let _ = cs
        .clients_v1()
        .ledgers_all_namespaces()
        .watch(&WatchParams::default(), "0")
        .await;
    let _ = cs.clients_v1().ledgers("ns").api();
}

fn main() {
    let _ = watch;
}
