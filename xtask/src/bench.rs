//! `cargo xtask bench`: generation speed and memory on a synthesized API tree.
//!
//! Figures are printed, never asserted: the machines are shared and noisy. Run it on a release
//! build for the numbers that matter: `cargo run --release -p xtask -- bench`.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use kube_codegen::Options;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of API types to synthesize; repeat to measure scaling (`--types 1000 --types 10000`).
    #[arg(long = "types", value_name = "N", default_values_t = vec![1000])]
    types: Vec<usize>,
    /// Types per version module.
    #[arg(long, default_value_t = 25)]
    per_package: usize,
    /// Timed repetitions of each phase (the best is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

pub fn run(args: &Args) -> Result<(), kube_codegen::Error> {
    if cfg!(debug_assertions) {
        println!(
            "note: this is a debug build; use `cargo run --release -p xtask -- bench` for real figures"
        );
    }
    println!(
        "{:>7} {:>9} {:>10} {:>11} {:>11} {:>19} {:>15}",
        "types",
        "packages",
        "cold (ms)",
        "no-op (ms)",
        "check (ms)",
        "check, no record",
        "µs/type (cold)"
    );
    for &n in &args.types {
        let dir = tempfile::tempdir().map_err(internal)?;
        let packages = synthesize(dir.path(), n, args.per_package.max(1)).map_err(internal)?;
        let options = Options::new(dir.path());
        let mut cold = Duration::MAX;
        let mut noop = Duration::MAX;
        let mut check = Duration::MAX;
        let mut uncached = Duration::MAX;
        for _ in 0..args.runs.max(1) {
            remove_outputs(dir.path()).map_err(internal)?;
            cold = cold.min(timed(|| kube_codegen::run(&options))?);
            noop = noop.min(timed(|| kube_codegen::run(&options))?);
            let check_options = options.clone().check(true);
            check = check.min(timed(|| kube_codegen::run(&check_options))?);
            // The same check without the previous run's record: a full read-model-generate.
            let root = dir.path().canonicalize().map_err(internal)?;
            std::fs::remove_file(kube_codegen::cache::record_path(&root)).map_err(internal)?;
            uncached = uncached.min(timed(|| kube_codegen::run(&check_options))?);
        }
        println!(
            "{n:>7} {packages:>9} {:>10.1} {:>11.1} {:>11.1} {:>19.1} {:>15.1}",
            ms(cold),
            ms(noop),
            ms(check),
            ms(uncached),
            cold.as_secs_f64() * 1e6 / n.max(1) as f64
        );
    }
    match peak_rss_mib() {
        Some(mib) => println!("peak resident memory of this process: {mib:.1} MiB"),
        None => println!("peak resident memory: not available on this platform"),
    }
    Ok(())
}

fn internal(e: std::io::Error) -> kube_codegen::Error {
    kube_codegen::Error::Internal(e.to_string())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn timed(
    f: impl FnOnce() -> Result<kube_codegen::Report, kube_codegen::Error>,
) -> Result<Duration, kube_codegen::Error> {
    let start = Instant::now();
    let report = f()?;
    if report.drifted() {
        return Err(kube_codegen::Error::Internal(
            "the synthesized tree drifted after generation".into(),
        ));
    }
    Ok(start.elapsed())
}

/// `VmHWM` from `/proc/self/status` (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn remove_outputs(root: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_name() == "zz_generated.rs" {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Writes a crate with `n` API types spread over version modules of `per_package` types, with
/// the field mix of real Kubernetes types. Returns the number of packages.
fn synthesize(root: &Path, n: usize, per_package: usize) -> std::io::Result<usize> {
    let src = root.join("src");
    std::fs::create_dir_all(&src)?;
    std::fs::write(
        root.join("Cargo.toml"),
        "[package]\nname = \"synthetic-api\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nkube-codegen-runtime = \"0.1\"\n",
    )?;
    let packages = n.div_ceil(per_package);
    let mut lib = String::new();
    for p in 0..packages {
        let group = format!("group{p}");
        writeln!(lib, "pub mod {group};").ok();
        let dir = src.join(&group);
        std::fs::create_dir_all(dir.join("v1"))?;
        std::fs::write(dir.join("mod.rs"), "pub mod v1;\n")?;
        let count = per_package.min(n - p * per_package);
        std::fs::write(dir.join("v1").join("mod.rs"), package_source(p, count))?;
    }
    std::fs::write(src.join("lib.rs"), lib)?;
    Ok(packages)
}

fn package_source(p: usize, count: usize) -> String {
    let mut s = format!(
        "// +groupName=group{p}.example.io\n// +k8s:deepcopy-gen=package\n\n\
         use std::collections::BTreeMap;\n\n\
         use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;\n\n\
         #[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n\n"
    );
    for t in 0..count {
        let next = (t + 1) % count.max(1);
        match t % 5 {
            // A kind: metadata, spec, status.
            0 => write!(
                s,
                "// +genclient\n/// Kind number {t}.\n#[derive(Debug, Default, PartialEq)]\n\
                 pub struct Type{t} {{\n    pub metadata: ObjectMeta,\n    pub spec: Type{next},\n\
                 \x20   pub status: Option<Type{next}>,\n}}\n\n"
            ),
            // An enum with data.
            1 => write!(
                s,
                "#[derive(Debug, PartialEq)]\npub enum Type{t} {{\n    Empty,\n    Named(String),\n\
                 \x20   Sized {{ min: i64, max: Option<i64> }},\n    Nested(Box<Type{next}>),\n}}\n\n"
            ),
            // A spec-like struct with the common field mix.
            _ => write!(
                s,
                "#[derive(Debug, Default, PartialEq)]\npub struct Type{t} {{\n    pub name: String,\n\
                 \x20   pub replicas: Option<i32>,\n    pub enabled: bool,\n    pub labels: BTreeMap<String, String>,\n\
                 \x20   pub args: Vec<String>,\n    pub children: Vec<Type{next}>,\n    pub weights: Vec<(String, u32)>,\n}}\n\n"
            ),
        }
        .ok();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthesized_trees_generate_cleanly() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        assert_eq!(synthesize(dir.path(), 30, 7)?, 5);
        let options = Options::new(dir.path());
        let report = kube_codegen::run(&options).map_err(|e| e.render())?;
        assert_eq!(report.changes.written.len(), 5);
        let check = kube_codegen::run(&options.check(true)).map_err(|e| e.render())?;
        assert!(!check.drifted());
        Ok(())
    }
}
