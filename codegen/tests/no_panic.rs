//! Whatever the input, the model and the generators answer with output or located errors,
//! never a panic.

use std::path::{Path, PathBuf};

use kube_codegen::source::{SourceFile, SourceTree};
use proptest::prelude::*;

/// Lines a version module is made of, good and bad.
const LINES: &[&str] = &[
    "// +groupName=widgets.example.io",
    "// +groupName=",
    "// +groupName=Bad_Group",
    "// +versionName=v2",
    "// +k8s:deepcopy-gen=package",
    "// +k8s:deepcopy-gen=true",
    "// +k8s:deepcopy-gen=false",
    "// +k8s:deepcopy-gen:interfaces=Object",
    "// +genclient",
    "// +genclient:nonNamespaced",
    "// +genclient:noStatus",
    "// +genclient:noVerbs",
    "// +genclient:readonly",
    "// +genclient:onlyVerbs=get,list,",
    "// +genclient:skipVerbs=get,watch",
    "// +genclient:method=GetScale,verb=get,subresource=scale,result=k8s.io/api/autoscaling/v1.Scale",
    "// +genclient:method=X,verb=,input=",
    "// +resourceName=things",
    "// +optional",
    "/// +genclient",
    "//! +groupName=a.io",
    "#[rustfmt::skip]",
    "mod zz_generated;",
    "mod types;",
    "pub mod types;",
    "use std::collections::BTreeMap;",
    "type Shared = std::sync::Arc<std::sync::Mutex<u8>>;",
    "pub struct Aliased { pub s: Shared, pub m: Map }",
    "type Map = BTreeMap<String, Option<Vec<String>>>;",
    "pub struct ObjectMeta { pub name: String }",
    "use kube::api::ObjectMeta;",
    "pub use zz_generated::*;",
    "#[derive(Clone, Debug)]",
    "pub struct Widget { pub metadata: ObjectMeta, pub spec: Spec, pub status: Option<Status> }",
    "pub struct Spec { pub a: Vec<BTreeMap<String, (u8, [String; 2])>>, pub b: &'static str }",
    "pub struct Status(pub Option<Box<Status>>);",
    "pub enum E { A, B(u8), C { x: Cell<u8> } }",
    "pub enum Never {}",
    "pub struct G<T: Clone, const N: usize> where T: Default { pub t: [T; N] }",
    "pub union U { a: u8 }",
    "mod inner {",
    "}",
    "fn f() { // +genclient",
    "impl Clone for Spec { fn clone(&self) -> Self { todo!() } }",
    "struct Unterminated {",
    "\"// +genclient\"",
    "",
];

fn tree(lines: &[usize], other: &[usize]) -> SourceTree {
    let text = |picks: &[usize]| -> String {
        picks
            .iter()
            .map(|&i| LINES[i % LINES.len()])
            .collect::<Vec<_>>()
            .join("\n")
    };
    let root = PathBuf::from("/virtual");
    let file = |rel: &str, body: String| SourceFile::new(root.join(rel), PathBuf::from(rel), body);
    SourceTree {
        root: root.clone(),
        files: vec![
            file("src/lib.rs", "pub mod v1;\n".to_owned()),
            file("src/v1/mod.rs", text(lines)),
            file("src/v1/types.rs", text(other)),
        ],
        generated: Vec::new(),
        manifests: vec![(
            root.join("Cargo.toml"),
            "[package]\nname = \"api\"\nversion = \"0.1.0\"\n\n[dependencies]\nkube-codegen-runtime = \"0.1\"\n".to_owned(),
        )],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_and_errors_are_located(
        lines in proptest::collection::vec(0usize..LINES.len(), 0..24),
        other in proptest::collection::vec(0usize..LINES.len(), 0..12),
    ) {
        let tree = tree(&lines, &other);
        match kube_codegen::model::build(&tree) {
            Ok(model) => {
                // A valid model always generates.
                let planned = kube_codegen::generate::generate(&model, &kube_codegen::normalize::default_tags());
                prop_assert!(planned.is_ok(), "{:?}", planned.err());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert!(
                        e.path == Path::new("src/v1/mod.rs") || e.path == Path::new("src/v1/types.rs"),
                        "error about an unknown file: {e}"
                    );
                    prop_assert!(!e.message.is_empty());
                }
            }
        }
    }
}
