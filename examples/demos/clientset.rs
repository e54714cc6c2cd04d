//! CRUD, status, patches (merge, JSON, server-side apply), the scale subresource and a watch,
//! all through the GENERATED typed clientset of `widgets-api` (`widgets_client::Clientset`).
//!
//! ```text
//! cargo run --example clientset                            # against the in-memory API server
//! cargo run --example clientset -- --kubeconfig PATH       # against a cluster (CRDs installed)
//! cargo run --example clientset -- --kubeconfig PATH --namespace demo
//! ```
//!
//! Every step is printed with what the server answered. The exit code is 0 only when every
//! step behaved as expected; otherwise 1, after printing what failed. Bad arguments exit 2.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use kube_codegen_demos::clientset_scenario::{self, Step, client_from_kubeconfig};
use kube_codegen_demos::example_kinds::example_server;
use widgets_client::Clientset;

const USAGE: &str = "usage: clientset [--kubeconfig PATH] [--namespace NS]\n  \
    --kubeconfig   run against the cluster of PATH's current context (default: an in-memory\n                 \
    API server in this process)\n  \
    --namespace    namespace for the namespaced kinds (default: the context's, or `default`)";

#[derive(Debug, Default)]
struct Args {
    kubeconfig: Option<PathBuf>,
    namespace: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or(format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--kubeconfig" => args.kubeconfig = Some(PathBuf::from(value()?)),
            "--namespace" | "-n" => args.namespace = Some(value()?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

/// A suffix that keeps one run's names apart from another's on a shared cluster.
fn run_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("{}-{nanos:x}", std::process::id())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };

    // Keep the in-memory server alive for the whole run.
    let (client, _server) = match &args.kubeconfig {
        Some(path) => match client_from_kubeconfig(path).await {
            Ok(client) => {
                println!("target: the cluster of {}", path.display());
                (client, None)
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        },
        None => {
            let server = example_server();
            println!("target: the in-memory API server (in-process)");
            (server.client(), Some(server))
        }
    };
    let namespace = args
        .namespace
        .unwrap_or_else(|| client.default_namespace().to_owned());
    let clientset = Clientset::new(client);

    let mut print = |step: &Step| println!("{step}");
    let report = clientset_scenario::run(&clientset, &namespace, &run_suffix(), &mut print).await;

    if report.passed() {
        println!("all {} steps behaved as expected", report.steps.len());
        ExitCode::SUCCESS
    } else {
        let passed = report.steps.iter().filter(|s| s.passed()).count();
        eprintln!("FAILED ({passed} step(s) behaved as expected before):");
        for step in report.failures() {
            eprintln!("  {step}");
        }
        ExitCode::FAILURE
    }
}
