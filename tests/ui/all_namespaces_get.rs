//! The all-namespaces client lists and watches; it cannot get or write.

use kube_codegen_golden::clients::v1::Widget;
use kube_codegen_golden_client::Clientset;
use kube_codegen_runtime::kube::api::PostParams;

async fn get(cs: Clientset) {
    let all = cs.clients_v1().widgets_all_namespaces();
    let _ = all.get("n").await;
    let _ = all.create(&PostParams::default(), &Widget::default()).await;
}

fn main() {
    let _ = get;
}
