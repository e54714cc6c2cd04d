//! The typed clientset, listers and informers of `widgets-api`, ordinary and kcp
//! cluster-aware.
//!
//! `widgets-api/Cargo.toml` names the files' home:
//!
//! ```toml
//! [package.metadata.kube-codegen]
//! clientset = "../widgets-client/src/clientset.rs"
//! informers = "../widgets-client/src/informers.rs"
//! cluster-aware = true
//! ```
//!
//! and `cargo xtask codegen` writes them (`cluster-aware` adds `cluster_clientset.rs` and
//! `cluster_informers.rs` beside the others). The API crate itself stays client-free.
//!
//! The README's kcp snippet, compiled:
//!
//! ```no_run
//! # use std::time::Duration;
//! # use kube_codegen_runtime::kube::api::{ListParams, PostParams};
//! # use widgets_api::widgets::v1::Widget;
//! # async fn demo(client: kube_codegen_runtime::kube::Client) -> Result<(), Box<dyn std::error::Error>> {
//! # let (pp, lp, widget) = (PostParams::default(), ListParams::default(), Widget::default());
//! use kube_codegen_runtime::cluster::{ClusterPath, LogicalClusterExt};
//! use widgets_client::{ClusterClientset, ClusterInformerFactory};
//!
//! let clientset = ClusterClientset::new(client); // a client for the server's root
//! let ws = ClusterPath::new("root:org:ws")?;      // validated: a malformed path is an Err
//! // One logical cluster: exactly the ordinary Clientset, every verb.
//! clientset.cluster(&ws).widgets_v1().widgets("default").create(&pp, &widget).await?;
//! // Every cluster: list and watch only (a write across clusters does not compile).
//! for w in clientset.widgets_v1().widgets().list(&lp).await?.items {
//!     println!("{:?} in {:?}", w.metadata.name, w.logical_cluster());
//! }
//!
//! let informers = ClusterInformerFactory::new(&clientset);
//! let widgets = informers.widgets_v1().widgets(); // one watch across every cluster
//! informers.start();
//! informers.wait_for_cache_sync(Duration::from_secs(30)).await;
//! let w = widgets.lister().cluster(&ws).widgets("default").get("w1")?; // O(result)
//! // A cluster's view is the ordinary InformerFactory over the same caches (no second watch).
//! let one: widgets_client::InformerFactory = informers.cluster(&ws);
//! # let _ = (w, one);
//! # Ok(())
//! # }
//! ```

#[rustfmt::skip]
pub mod clientset;
#[rustfmt::skip]
pub mod informers;
#[rustfmt::skip]
pub mod cluster_clientset;
#[rustfmt::skip]
pub mod cluster_informers;

pub use clientset::Clientset;
pub use cluster_clientset::ClusterClientset;
pub use cluster_informers::ClusterInformerFactory;
pub use informers::InformerFactory;
