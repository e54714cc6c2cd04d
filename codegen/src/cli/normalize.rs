//! `normalize`: untie generated files from build tags, or with `--check` show what would change.

use std::process::ExitCode;

use super::{Invocation, NormalizeArgs, fail};

pub(super) fn run(args: NormalizeArgs, invocation: &Invocation) -> ExitCode {
    let NormalizeArgs { check, tags, paths } = args;
    let paths = if paths.is_empty() {
        match invocation.root(None) {
            Ok(root) => vec![root],
            Err(e) => return fail(&e),
        }
    } else {
        paths
    };
    let report = match crate::normalize_paths(&paths, &tags, check) {
        Ok(report) => report,
        Err(e) => return fail(&e),
    };
    if check && !report.changed.is_empty() {
        for (_, diff) in &report.changed {
            print!("{diff}");
        }
        eprintln!(
            "error: {} file(s) carry build constraints on {}; run `{} normalize` to fix them",
            report.changed.len(),
            tags.join(", "),
            invocation.program
        );
        return ExitCode::from(1);
    }
    let verb = if check { "would rewrite" } else { "rewrote" };
    println!(
        "normalize: {} files examined, {verb} {}",
        report.examined,
        report.changed.len()
    );
    ExitCode::SUCCESS
}
