//! `cargo test` fails when the checked-in generated code drifted from what the generators
//! produce: the same check as `cargo xtask codegen --check`, over this repository.

use std::path::Path;

#[test]
fn checked_in_generated_code_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package lives in the repository");
    let options = kube_codegen::Options::new(root).check(true);
    let report = match kube_codegen::run(&options) {
        Ok(report) => report,
        Err(e) => panic!("codegen failed on the repository:\n{}", e.render()),
    };
    let drift = report.drift.expect("a check run reports drift");
    assert!(
        drift.is_clean(),
        "generated code is out of date; run `cargo xtask codegen`\n{drift}"
    );
    assert!(
        drift.unchanged.len() >= 4,
        "expected the example packages to be generated, found {:?}",
        drift.unchanged
    );
}
