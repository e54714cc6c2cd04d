//! `codegen`: generate, or with `--check` compare, and say what happened.

use std::process::ExitCode;

use super::{CodegenArgs, Invocation, fail};
use crate::Options;

pub(super) fn run(args: CodegenArgs, invocation: &Invocation) -> ExitCode {
    let named_root = args.root.is_some();
    let root = match invocation.root(args.root) {
        Ok(root) => root,
        Err(e) => return fail(&e),
    };
    let mut options = Options::new(root).check(args.check);
    options.tags = args.tags;
    options.kube_release = args.kube_release;
    let report = match crate::run(&options) {
        Ok(report) => report,
        Err(e) => return fail(&e),
    };
    for line in &report.left_out {
        println!("{line}");
    }
    if let Some(drift) = report.drift.as_ref().filter(|d| !d.is_clean()) {
        print!("{drift}");
        // The fix is the same command without `--check`, from the same place.
        let program = &invocation.program;
        let fix = if named_root {
            format!("{program} codegen --root {}", options.root.display())
        } else {
            format!("{program} codegen")
        };
        eprintln!("{}", report.summary());
        eprintln!("error: generated code is out of date; run `{fix}` and commit the result");
        return ExitCode::from(1);
    }
    println!("{}", report.summary());
    ExitCode::SUCCESS
}
