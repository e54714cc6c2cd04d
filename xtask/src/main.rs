//! `cargo xtask`: this repository's front end of kube-codegen: the library's command line
//! (`kube_codegen::cli`), run on this repository by default, plus `bench`.
//!
//! Exit codes: 0 success (and, with `--check`, up to date); 1 a user error or drift; 2 an
//! internal error (I/O failure, or a bug).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use kube_codegen::cli::{self, Invocation};

mod bench;

/// A generator run allocates millions of small token and syntax nodes; mimalloc serves them
/// in about half the time glibc's allocator takes (see `cargo xtask bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Kubernetes-style code generation for Rust API types"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// `codegen` and `normalize`, exactly as a user's xtask has them.
    #[command(flatten)]
    Generate(cli::Command),
    /// Time generation over a synthesized API tree and print the figures.
    Bench(bench::Args),
}

/// The repository this xtask belongs to: the default root wherever the binary is started from
/// (a user's xtask, built from a library that cannot know where it lives, uses the workspace
/// around the current directory instead; inside this repository the two are the same).
fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The library's help names its default (the workspace around the current directory); ours is
/// this repository.
fn command_line() -> clap::Command {
    Cli::command()
        .mut_subcommand("codegen", |c| {
            c.mut_arg("root", |a| {
                a.help("The workspace or package to scan [default: this repository]")
            })
        })
        .mut_subcommand("normalize", |c| {
            c.mut_arg("paths", |a| {
                a.help("Files or directories [default: this repository]")
            })
        })
}

fn main() -> ExitCode {
    let cli = match Cli::from_arg_matches(&command_line().get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match cli.command {
        Command::Generate(command) => cli::execute(
            command,
            &Invocation::new("cargo xtask").default_root(repo_root()),
        ),
        Command::Bench(args) => match bench::run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => cli::fail(&e),
        },
    }
}

#[cfg(test)]
mod tests {
    /// The README's allocator snippet is this xtask's own, which compiles.
    #[test]
    fn the_readme_shows_the_allocator_this_xtask_uses() {
        let readme = include_str!("../../README.md");
        let main = include_str!("main.rs");
        let (_, rest) = readme
            .split_once("```rust,ignore\n#[global_allocator]")
            .expect("the README shows the allocator snippet");
        let (snippet, _) = rest.split_once("```").expect("the snippet ends");
        let snippet = format!("#[global_allocator]{snippet}");
        assert!(
            main.contains(&snippet),
            "xtask/src/main.rs must hold:\n{snippet}"
        );
    }
}
