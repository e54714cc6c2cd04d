//! `+genclient:skipVerbs=delete,deleteCollection,apply`: those three are gone.

use kube_codegen_golden::clients::v1::Vault;
use kube_codegen_golden_client::Clientset;
use kube_codegen_runtime::kube::api::{DeleteParams, ListParams};

async fn skipped(cs: Clientset) {
    let vaults = cs.clients_v1().vaults("ns");
    let _ = vaults.delete("n", &DeleteParams::default()).await;
    let _ = vaults
        .delete_collection(&DeleteParams::default(), &ListParams::default())
        .await;
    let _ = vaults.apply("n", &Vault::default(), "golden", false).await;
}

fn main() {
    let _ = skipped;
}
