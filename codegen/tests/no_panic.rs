//! Whatever the input, the model and the generators answer with output or located errors,
//! never a panic, a stack overflow or an internal error: marker soup, nesting deeper than any
//! parser's stack, bytes that are not UTF-8, and byte-order marks.

use std::path::{Path, PathBuf};

use kube_codegen::source::{SourceFile, SourceTree};
use kube_codegen::{Error, Options};
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

/// Lines that nest: too deep for the parser, or deep enough to reach the model's own limit.
fn deep_lines() -> Vec<String> {
    let nest = |open: &str, inner: &str, close: &str, n: usize| {
        format!("{}{inner}{}", open.repeat(n), close.repeat(n))
    };
    vec![
        format!(
            "pub struct Deep {{ pub a: {} }}",
            nest("Option<", "u8", ">", 1_500)
        ),
        format!(
            "pub struct Deep {{ pub a: {} }}",
            nest("(", "u8", ")", 20_000)
        ),
        format!(
            "pub struct Deep {{ pub a: {} }}",
            nest("Vec<", "u8", ">", 200)
        ),
        format!("pub const DEEP: u8 = {};", nest("(", "1", ")", 1_500)),
        format!("pub fn deep() {{ {} }}", nest("{", "", "}", 5_000)),
        format!(
            "pub struct Deep<T> where T: Into<{}> {{ pub t: T }}",
            nest("&'static ", "u8", "", 300)
        ),
    ]
}

/// Runs `f` with the stack a run has: the model and the formatter recurse per level of
/// nesting, and a test thread's 2 MiB is not what `kube_codegen::run` gives them.
fn on_run_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(kube_codegen::STACK_SIZE)
            .spawn_scoped(scope, f)
            .expect("spawn")
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn tree(lines: &[usize], other: &[usize]) -> SourceTree {
    let deep = deep_lines();
    let all: Vec<&str> = LINES
        .iter()
        .copied()
        .chain(deep.iter().map(String::as_str))
        .collect();
    let text = |picks: &[usize]| -> String {
        picks
            .iter()
            .map(|&i| all[i % all.len()])
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

/// The model and the generators over an in-memory tree: output, or errors in its files.
fn model_and_generate(lines: &[usize], other: &[usize]) -> Result<(), TestCaseError> {
    let tree = tree(lines, other);
    match kube_codegen::model::build(&tree) {
        Ok(model) => {
            // A valid model always generates.
            let planned =
                kube_codegen::generate::generate(&model, &kube_codegen::normalize::default_tags());
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
    Ok(())
}

/// How many lines there are to pick from, deep ones included.
fn line_count() -> usize {
    LINES.len() + deep_lines().len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_and_errors_are_located(
        lines in proptest::collection::vec(0usize..LINES.len(), 0..24),
        other in proptest::collection::vec(0usize..LINES.len(), 0..12),
    ) {
        on_run_stack(|| model_and_generate(&lines, &other))?;
    }
}

proptest! {
    // Deep lines take longer to measure and parse: fewer cases, each with at least one.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn deep_nesting_is_answered_not_a_crash(
        lines in proptest::collection::vec(0usize..LINES.len(), 0..12),
        deep in LINES.len()..line_count(),
        at in 0usize..12,
        other in proptest::collection::vec(0usize..line_count(), 0..4),
    ) {
        let mut lines = lines;
        lines.insert(at.min(lines.len()), deep);
        on_run_stack(|| model_and_generate(&lines, &other))?;
    }
}

/// A valid version module to damage.
const MODULE: &str = "// +groupName=widgets.example.io
// +k8s:deepcopy-gen=package

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

/// A spec.
pub struct Spec {
    pub name: String,
    pub items: Vec<Option<u8>>,
}
";

/// Writes a crate whose version module is `module` and runs codegen on it.
fn run_on(module: &[u8]) -> (tempfile::TempDir, Result<kube_codegen::Report, Error>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |rel: &str, bytes: &[u8]| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    };
    write(
        "Cargo.toml",
        b"[package]\nname = \"api\"\nversion = \"0.1.0\"\n\n[dependencies]\nkube-codegen-runtime = \"0.1\"\n",
    );
    write("src/lib.rs", b"pub mod v1;\n");
    write("src/v1/mod.rs", module);
    let result = kube_codegen::run(&Options::new(dir.path()));
    (dir, result)
}

/// What a run left: the generated file, or the rendered errors.
fn outcome(dir: &Path, result: &Result<kube_codegen::Report, Error>) -> Result<String, String> {
    match result {
        Ok(_) => {
            Ok(std::fs::read_to_string(dir.join("src/v1/zz_generated.rs")).expect("generated"))
        }
        Err(e) => Err(e.render()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Bytes spliced into a valid module: invalid UTF-8 is a user error at the first invalid
    /// byte with nothing written; anything else is a result or located errors, never an
    /// internal error. A leading BOM changes nothing at all.
    #[test]
    fn arbitrary_bytes_and_a_bom(
        at in 0usize..MODULE.len(),
        bytes in proptest::collection::vec(
            prop_oneof![Just(0xffu8), Just(0xc3), Just(0xed), Just(0xa0), Just(0x80), Just(b'<'), Just(b'('), Just(b'/'), Just(b'\n'), any::<u8>()],
            0..6,
        ),
        bom in any::<bool>(),
    ) {
        let mut module = MODULE.as_bytes().to_vec();
        module.splice(at..at, bytes.iter().copied());
        if bom {
            module.splice(0..0, "\u{feff}".bytes());
        }
        let (dir, result) = run_on(&module);
        let first_invalid = std::str::from_utf8(&module).err().map(|e| e.valid_up_to());
        match (&result, first_invalid) {
            (Err(Error::User(errors)), Some(offset)) => {
                let d = &errors.diagnostics[0];
                prop_assert_eq!(d.path.as_path(), Path::new("src/v1/mod.rs"));
                let expected = format!("at byte offset {offset}");
                prop_assert!(d.message.ends_with(&expected), "{}", d.message);
                prop_assert!(d.position.is_some());
            }
            (other, Some(_)) => prop_assert!(false, "invalid UTF-8 accepted: {other:?}"),
            (Err(Error::Internal(e)), None) => prop_assert!(false, "internal error: {e}"),
            (Err(Error::User(errors)), None) => {
                for d in &errors.diagnostics {
                    prop_assert!(!d.message.is_empty() && !d.path.as_os_str().is_empty(), "{d}");
                }
            }
            (Ok(_), None) => {}
        }
        if result.is_err() {
            prop_assert!(!dir.path().join("src/v1/zz_generated.rs").exists(), "written despite errors");
        }
        if bom && first_invalid.is_none() {
            let (plain_dir, plain) = run_on(&module[3..]);
            prop_assert_eq!(outcome(dir.path(), &result), outcome(plain_dir.path(), &plain));
        }
    }
}
