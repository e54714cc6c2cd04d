//! The loopback HTTP/1.1 listener (hyper) in front of the same service `kube::Client` uses
//! in-process.

use std::net::SocketAddr;
use std::path::Path;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};

use crate::kubeconfig;
use crate::server::ApiServer;

/// A running HTTP listener. Dropping it stops the listener and closes its connections.
#[derive(Debug)]
pub struct HttpServer {
    addr: SocketAddr,
    server: ApiServer,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl HttpServer {
    pub(crate) async fn start(server: ApiServer, addr: SocketAddr) -> std::io::Result<HttpServer> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (shutdown, mut stop) = oneshot::channel::<()>();
        let service = server.service();
        let header_timeout = server.options().header_read_timeout;
        let task = tokio::spawn(async move {
            // Connections live in the set so that stopping the listener also ends them.
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    _ = &mut stop => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _peer)) = accepted else { continue };
                        let service = service.clone();
                        connections.spawn(async move {
                            let handler = service_fn(move |request: hyper::Request<Incoming>| {
                                let service = service.clone();
                                async move { Ok::<_, std::convert::Infallible>(service.handle(request).await) }
                            });
                            // A client hanging up mid-request is its business, not an error here.
                            // Stalled clients are dropped: headers must arrive within the
                            // timeout (bodies are bounded by the service's own timeout).
                            let _ = http1::Builder::new()
                                .timer(TokioTimer::new())
                                .header_read_timeout(header_timeout)
                                .serve_connection(TokioIo::new(stream), handler)
                                .await;
                        });
                    }
                    Some(_) = connections.join_next(), if !connections.is_empty() => {}
                }
            }
        });
        Ok(HttpServer {
            addr,
            server,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// The bound address (the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The server behind the listener.
    pub fn api_server(&self) -> &ApiServer {
        &self.server
    }

    /// A kubeconfig pointing at this listener, with `default` as the namespace.
    pub fn kubeconfig(&self) -> String {
        kubeconfig::render(&self.url(), "default")
    }

    /// Writes [`HttpServer::kubeconfig`] to `path`.
    pub fn write_kubeconfig(&self, path: &Path) -> std::io::Result<()> {
        kubeconfig::write(path, &self.url(), "default")
    }

    /// A `kube::Config` for this listener (namespace `default`); adjust it before building a
    /// client, e.g. `default_retry = false` to see injected 429/503s instead of kube's retries.
    pub fn config(&self) -> kube::Config {
        self.config_for_path("")
            .unwrap_or_else(|_| kube::Config::new(http::Uri::from_static("http://127.0.0.1")))
    }

    /// The [`HttpServer::config`] of one logical cluster (`/clusters/<name>` URL prefix).
    pub fn cluster_config(&self, cluster: &str) -> kube::Result<kube::Config> {
        self.config_for_path(&format!("/clusters/{cluster}"))
    }

    /// A `kube::Client` that talks to this listener over HTTP, with kube's default settings
    /// (which retry 429, 503 and 504 by themselves).
    pub fn client(&self) -> kube::Result<kube::Client> {
        kube::Client::try_from(self.config())
    }

    /// A `kube::Client` for one logical cluster over HTTP.
    pub fn cluster_client(&self, cluster: &str) -> kube::Result<kube::Client> {
        kube::Client::try_from(self.cluster_config(cluster)?)
    }

    fn config_for_path(&self, path: &str) -> kube::Result<kube::Config> {
        let uri: http::Uri = format!("{}{path}", self.url())
            .parse()
            .map_err(|e: http::uri::InvalidUri| kube::Error::Service(Box::new(e)))?;
        let mut config = kube::Config::new(uri);
        config.default_namespace = "default".to_owned();
        Ok(config)
    }

    /// Stops accepting, closes open connections, and waits for the listener task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
