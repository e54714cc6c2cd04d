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

/// The deep copies are built as syntax trees, not parsed: each must be the tree syn's parser
/// gives for the same tokens, or prettyplease could print it differently from what a
/// quoted-and-parsed generator printed. Printed, parsed and printed again, nothing changes.
#[test]
fn deep_copy_trees_are_the_trees_their_tokens_parse_to() {
    use quote::ToTokens;
    let mut checked = 0;
    for root in ["golden", "../examples"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(root)
            .canonicalize()
            .expect("fixture directory");
        let tree = kube_codegen::source::read_tree(&dir).expect("read fixtures");
        let model = kube_codegen::model::build(&tree).expect("fixtures are valid");
        for package in &model.packages {
            let items = kube_codegen::generate::deepcopy::DeepCopies::of(package)
                .generate()
                .expect("builds");
            checked += items.len();
            let built = syn::File {
                shebang: None,
                frontmatter: None,
                attrs: Vec::new(),
                items,
            };
            let parsed: syn::File =
                syn::parse2(built.to_token_stream()).expect("the tokens of a built tree parse");
            assert_eq!(
                prettyplease::unparse(&built),
                prettyplease::unparse(&parsed),
                "{}",
                package.output.display()
            );
            assert_eq!(built, parsed, "{}", package.output.display());
        }
    }
    assert!(checked > 20, "only {checked} deep-copy impls checked");
}
