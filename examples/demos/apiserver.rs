//! Runs the in-memory API server on loopback HTTP, serving the example kinds until stopped.
//!
//! ```text
//! cargo run --example apiserver -- --listen 127.0.0.1:0 --kubeconfig /tmp/kubeconfig
//! kubectl --kubeconfig /tmp/kubeconfig get widgets
//! ```
//!
//! The example kinds carry their generated CRDs, so their schemas are enforced. `--crds DIR`
//! (repeatable) also serves the CustomResourceDefinitions of a directory of YAML files, as
//! `kubectl apply -f DIR` would.
//!
//! Port 0 picks a free port. The bound address is printed and the kubeconfig written before
//! the server starts serving; Ctrl-C stops it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use kube_codegen_demos::example_kinds::example_server_builder;

const USAGE: &str = "usage: apiserver [--listen ADDR:PORT] [--kubeconfig PATH] [--crds DIR]...\n  \
    --listen       address to bind (default 127.0.0.1:0; port 0 picks a free port)\n  \
    --kubeconfig   write a kubeconfig for the server to PATH\n  \
    --crds         also serve the CustomResourceDefinitions in DIR's YAML files";

struct Args {
    listen: SocketAddr,
    kubeconfig: Option<PathBuf>,
    crds: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        kubeconfig: None,
        crds: Vec::new(),
    };
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
            "--listen" => {
                let raw = value()?;
                args.listen = raw.parse().map_err(|e| format!("--listen {raw}: {e}"))?;
            }
            "--kubeconfig" => args.kubeconfig = Some(PathBuf::from(value()?)),
            "--crds" => args.crds.push(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
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
    let mut builder = example_server_builder();
    for dir in &args.crds {
        builder = match builder.crds_from_dir(dir) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: --crds {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        };
    }
    let server = builder.build();
    let http = match server.serve_http(args.listen).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    println!("listening on {}", http.url());
    if let Some(path) = &args.kubeconfig {
        if let Err(e) = http.write_kubeconfig(path) {
            eprintln!("error: cannot write kubeconfig {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("kubeconfig written to {}", path.display());
    }
    for def in server.definitions() {
        println!("serving {}/{} {}", def.api_version(), def.plural, def.kind);
    }
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("error: waiting for Ctrl-C: {e}");
    }
    http.shutdown().await;
    ExitCode::SUCCESS
}
