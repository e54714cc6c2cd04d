//! What the cluster-aware clientset keeps: every verb of one logical cluster through
//! `cluster(path)` (the ordinary clientset), and list and watch across every cluster.

use kube_codegen_golden::clients::v1::Widget;
use kube_codegen_golden_client::ClusterClientset;
use kube_codegen_runtime::cluster::{ClusterPath, LogicalClusterExt};
use kube_codegen_runtime::kube::api::{ListParams, PostParams, WatchParams};

async fn use_clusters(cs: ClusterClientset) -> Result<(), Box<dyn std::error::Error>> {
    let path = ClusterPath::new("root:org:ws")?;
    let one = cs.cluster(&path).clients_v1().widgets("default");
    one.create(&PostParams::default(), &Widget::default()).await?;
    let every = cs.clients_v1().widgets();
    for widget in every.list(&ListParams::default()).await?.items {
        let _ = widget.logical_cluster();
    }
    let _ = every.watch(&WatchParams::default(), "0").await?;
    let _ = cs.clients_v1().ledgers().list(&ListParams::default()).await?;
    Ok(())
}

fn main() {
    let _ = use_clusters;
    assert!(ClusterPath::new("Not:Valid").is_err());
}
