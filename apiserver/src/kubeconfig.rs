//! Kubeconfig files that point clients (kubectl, kube-rs, client-go) at a running server.

use std::path::Path;

/// Name used for the cluster, user and context entries.
pub const CONTEXT_NAME: &str = "kube-codegen-apiserver";

/// A kubeconfig for a plain-HTTP, unauthenticated server at `server_url`
/// (`http://127.0.0.1:PORT`, optionally with a `/clusters/<name>` path for one logical cluster).
pub fn render(server_url: &str, namespace: &str) -> String {
    format!(
        "apiVersion: v1
kind: Config
clusters:
- name: {CONTEXT_NAME}
  cluster:
    server: {server_url}
users:
- name: {CONTEXT_NAME}
  user: {{}}
contexts:
- name: {CONTEXT_NAME}
  context:
    cluster: {CONTEXT_NAME}
    user: {CONTEXT_NAME}
    namespace: {namespace}
current-context: {CONTEXT_NAME}
preferences: {{}}
"
    )
}

/// Writes [`render`]'s output to `path`, creating parent directories.
pub fn write(path: &Path, server_url: &str, namespace: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, render(server_url, namespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubeconfig_parses_as_kube_kubeconfig() {
        let text = render("http://127.0.0.1:1234", "default");
        let parsed = kube::config::Kubeconfig::from_yaml(&text);
        let parsed = parsed.ok();
        assert_eq!(
            parsed
                .as_ref()
                .and_then(|k| k.current_context.clone())
                .as_deref(),
            Some(CONTEXT_NAME)
        );
        let server = parsed
            .and_then(|k| k.clusters.into_iter().next())
            .and_then(|c| c.cluster)
            .and_then(|c| c.server);
        assert_eq!(server.as_deref(), Some("http://127.0.0.1:1234"));
    }
}
