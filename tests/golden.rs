//! Golden files: the generator's output for the fixtures in `tests/golden/` must match the
//! checked-in files byte for byte (those files are also compiled by the fixture crate). After an
//! intended change, regenerate with `cargo xtask codegen` or `EXPECTORATE=overwrite cargo test`.

use std::path::Path;

#[test]
fn deepcopy_golden_outputs() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("golden");
    let tree = kube_codegen::source::read_tree(&fixtures).expect("read fixtures");
    let model = match kube_codegen::model::build(&tree) {
        Ok(model) => model,
        Err(errors) => panic!("fixtures are invalid: {errors:?}"),
    };
    let tags = kube_codegen::normalize::default_tags();
    let planned = kube_codegen::generate::generate(&model, &tags).expect("generate");
    assert!(!planned.is_empty(), "no fixture package found");
    for file in planned {
        expectorate::assert_contents(&file.path, &file.contents);
    }
}
