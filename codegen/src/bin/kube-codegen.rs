//! `kube-codegen`: the command line on its own, for those who prefer an installed tool to an
//! xtask (`cargo install --path codegen`, then `kube-codegen codegen --root .`).

/// A run allocates millions of small token and syntax nodes; mimalloc serves them faster than
/// the system allocator (see `cargo xtask bench`).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kube_codegen::cli::main_with(&kube_codegen::cli::Invocation::new("kube-codegen"))
}
