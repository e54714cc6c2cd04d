//! A kind deprecated at the workspace's target release (`kube-release = "1.28"`;
//! widgets.example.io/v1alpha1 is deprecated in 1.26): its generated client, informer and
//! lister accessors carry `#[deprecated]`, so callers are told the replacement. Denied here to
//! make the warning the test's error.
#![deny(deprecated)]

use widgets_client::{Clientset, InformerFactory};

fn use_alpha(cs: Clientset, informers: InformerFactory) {
    let _ = cs.widgets_v1alpha1().widgets("default");
    let _ = informers.widgets_v1alpha1().widgets().lister();
}

fn main() {
    let _ = use_alpha;
}
