//! `kube-codegen`: the command line on its own, for those who prefer an installed tool to an
//! xtask (`cargo install --path codegen`, then `kube-codegen codegen --root .`).

fn main() -> std::process::ExitCode {
    kube_codegen::cli::main_with(&kube_codegen::cli::Invocation::new("kube-codegen"))
}
