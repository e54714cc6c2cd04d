//! One test per error a user can see.
//!
//! Each test builds a small crate in a temporary directory, runs the generators over it, and
//! checks the contract: a user error (never a panic or an internal error) with the exact message,
//! the file and `line:column`, a help text that says the fix, a rendering that quotes the
//! offending source line, and nothing written: no file created, changed or deleted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kube_codegen::normalize::HEADER;
use kube_codegen::{Diagnostic, Error, Options, Position};
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The version module most tests put their types in.
const V1: &str = "src/v1/mod.rs";

/// A correct version module's opening; bodies appended by [`v1`] start on line 8.
const PRELUDE: &str = "// +groupName=widgets.example.io\n\
                       // +k8s:deepcopy-gen=package\n\
                       \n\
                       #[rustfmt::skip]\n\
                       mod zz_generated;\n\
                       pub use zz_generated::*;\n\
                       \n";

/// A version module with `body` after the prelude.
fn v1(body: &str) -> String {
    format!("{PRELUDE}{body}")
}

/// A `+genclient` kind that is valid on its own, for tests to put markers above.
const KIND: &str =
    "pub struct Widget {\n    pub metadata: ObjectMeta,\n    pub spec: WidgetSpec,\n}\n";

/// A version module holding `markers` (one per line) above [`KIND`].
fn kind_with(markers: &str) -> String {
    v1(&format!("{markers}\n{KIND}"))
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("create the directory");
    }
    std::fs::write(&path, text).expect("write the file");
}

/// The manifest of the API crate most tests build.
const API_MANIFEST: &str = "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                            [dependencies]\nkube-codegen-runtime = \"0.1\"\n";

/// A crate with `files`, plus a `Cargo.toml` and (unless given) a `src/lib.rs`.
fn crate_with(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    write(dir.path(), "Cargo.toml", API_MANIFEST);
    if !files.iter().any(|(p, _)| *p == "src/lib.rs") {
        write(dir.path(), "src/lib.rs", "pub mod v1;\n");
    }
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    dir
}

/// Every file, directory and symlink under `dir`, with the files' bytes (a link's target);
/// not `target/`, where Cargo and kube-codegen keep their state (the run lock).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("read a directory") {
            let path = entry.expect("a directory entry").path();
            let rel = path
                .strip_prefix(root)
                .expect("inside the root")
                .to_path_buf();
            if rel == Path::new("target") {
                continue;
            }
            let kind = std::fs::symlink_metadata(&path)
                .expect("metadata")
                .file_type();
            if kind.is_symlink() {
                // The link itself, not what it points to (which may be a loop).
                let target = std::fs::read_link(&path).expect("read a link");
                out.insert(rel, target.into_os_string().into_encoded_bytes());
            } else if kind.is_dir() {
                out.insert(rel, Vec::new());
                walk(root, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).expect("read a file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// A failed run: its diagnostics, their rendering, and the tree (kept alive for inspection).
struct Failure {
    diagnostics: Vec<Diagnostic>,
    rendered: String,
    dir: TempDir,
}

impl Failure {
    fn text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).expect("read a source file")
    }

    fn only(&self) -> &Diagnostic {
        assert_eq!(
            self.diagnostics.len(),
            1,
            "expected exactly one error, got:\n{}",
            self.rendered
        );
        &self.diagnostics[0]
    }
}

/// Runs on an existing tree and expects user errors with nothing written.
fn run_fails(dir: TempDir) -> Failure {
    let before = snapshot(dir.path());
    let result = kube_codegen::run(&Options::new(dir.path()));
    let after = snapshot(dir.path());
    let err = match result {
        Ok(report) => panic!("expected errors; the run succeeded: {}", report.summary()),
        Err(e) => e,
    };
    let rendered = err.render();
    let Error::User(user) = err else {
        panic!("expected a user error, got an internal one: {rendered}");
    };
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "files were created or deleted despite errors:\n{rendered}"
    );
    for (path, bytes) in &before {
        assert!(
            after.get(path) == Some(bytes),
            "{} changed despite errors",
            path.display()
        );
    }
    assert!(
        rendered.ends_with("found; nothing was written\n"),
        "rendering lacks the summary line:\n{rendered}"
    );
    assert!(
        !user.diagnostics.is_empty(),
        "a user error without diagnostics"
    );
    Failure {
        diagnostics: user.diagnostics,
        rendered,
        dir,
    }
}

/// Builds a crate of `files`, runs, and expects user errors with nothing written.
fn fails(files: &[(&str, &str)]) -> Failure {
    run_fails(crate_with(files))
}

/// 1-based line and character column of the `nth` (1-based) occurrence of `needle` in `text`.
fn locate(text: &str, needle: &str, nth: usize) -> Position {
    let (offset, _) = text
        .match_indices(needle)
        .nth(nth - 1)
        .unwrap_or_else(|| panic!("`{needle}` occurs fewer than {nth} times in:\n{text}"));
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// Checks one diagnostic: path, message, that it underlines exactly the `nth` occurrence of
/// `underlined` in the file, that the help contains `help`, and that the rendering shows
/// `path:line:col` and quotes the source line.
fn check(
    f: &Failure,
    d: &Diagnostic,
    path: &str,
    underlined: (&str, usize),
    message: &str,
    help: &str,
) {
    assert_eq!(d.path, Path::new(path), "path of: {d}");
    assert_eq!(d.message, message, "message at {}", d.location());
    let text = f.text(path);
    let at = locate(&text, underlined.0, underlined.1);
    assert_eq!(d.position, Some(at), "position of: {d}");
    assert_eq!(
        d.width,
        underlined.0.chars().count(),
        "underline width of: {d}"
    );
    let given = d
        .help
        .as_deref()
        .unwrap_or_else(|| panic!("no help for: {d}"));
    assert!(
        given.contains(help),
        "help `{given}` does not contain `{help}`"
    );
    let location = format!("--> {path}:{}:{}", at.line, at.column);
    assert!(
        f.rendered.contains(&location),
        "rendering lacks `{location}`:\n{}",
        f.rendered
    );
    let source_line = text
        .lines()
        .nth(at.line - 1)
        .expect("the line exists")
        .trim_end();
    let quoted = format!("{} | {source_line}\n", at.line);
    assert!(
        f.rendered.contains(&quoted),
        "rendering does not quote `{source_line}`:\n{}",
        f.rendered
    );
    assert!(
        f.rendered.contains(&format!("= help: {given}")),
        "rendering lacks the help"
    );
}

/// `files` fail with exactly one error, underlining the first `underlined` of `path`.
fn error(
    files: &[(&str, &str)],
    path: &str,
    underlined: &str,
    message: &str,
    help: &str,
) -> Failure {
    error_nth(files, path, (underlined, 1), message, help)
}

fn error_nth(
    files: &[(&str, &str)],
    path: &str,
    underlined: (&str, usize),
    message: &str,
    help: &str,
) -> Failure {
    let f = fails(files);
    let d = f.only().clone();
    check(&f, &d, path, underlined, message, help);
    f
}

/// A version module with `body` fails with one error, underlining `underlined` in it.
fn v1_error(body: &str, underlined: &str, message: &str, help: &str) -> Failure {
    error(&[(V1, &v1(body))], V1, underlined, message, help)
}

/// [`KIND`] with `markers` above it fails with one error, underlining `underlined`.
fn kind_error(markers: &str, underlined: &str, message: &str, help: &str) -> Failure {
    error(&[(V1, &kind_with(markers))], V1, underlined, message, help)
}

// ---------------------------------------------------------------------------------------------
// Marker names
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_genclient_marker_suggests_the_known_one() {
    kind_error(
        "// +genclient\n// +genclient:nonNamespace",
        "+genclient:nonNamespace",
        "unknown marker `+genclient:nonNamespace`",
        "did you mean `+genclient:nonNamespaced`?",
    );
}

#[test]
fn unknown_interfaces_marker_suggests_the_known_one() {
    kind_error(
        "// +k8s:deepcopy-gen:interface=Object",
        "+k8s:deepcopy-gen:interface=Object",
        "unknown marker `+k8s:deepcopy-gen:interface`",
        "did you mean `+k8s:deepcopy-gen:interfaces`?",
    );
}

#[test]
fn misspelled_group_name_is_reported_not_ignored() {
    let text = "// +groupname=widgets.example.io\n// +k8s:deepcopy-gen=package\n\n\
                #[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n\npub struct Spec {}\n";
    error(
        &[(V1, text)],
        V1,
        "+groupname=widgets.example.io",
        "unknown marker `+groupname`",
        "did you mean `+groupName`?",
    );
}

#[test]
fn misspelt_genclient_is_reported_not_ignored() {
    // An ignored `+genclient` would make the kind vanish from the clientset without a word.
    for misspelt in ["+genClient", "+gen-client", "+genclinet"] {
        let name = &misspelt[1..];
        kind_error(
            &format!("// {misspelt}"),
            misspelt,
            &format!("unknown marker `+{name}`"),
            "did you mean `+genclient`?",
        );
    }
    kind_error(
        "// +genclient\n// +gen-client:noStatus",
        "+gen-client:noStatus",
        "unknown marker `+gen-client:noStatus`",
        "did you mean `+genclient:noStatus`?",
    );
}

#[test]
fn package_markers_in_a_go_style_doc_file() {
    // Go's doc.go translated to a doc.rs: one error naming the file the markers belong in,
    // not "module `doc` is not a version", "generated module not declared" and "outside any
    // API package" for every type of the version.
    let doc = "// +groupName=widgets.example.io\n// +k8s:deepcopy-gen=package\n\n//! Package v1.\n";
    let types = "use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;\n\n\
                 // +genclient\npub struct Widget {\n    pub metadata: ObjectMeta,\n}\n";
    error(
        &[
            ("src/v1/doc.rs", doc),
            (V1, "mod doc;\nmod types;\npub use types::*;\n"),
            ("src/v1/types.rs", types),
        ],
        "src/v1/doc.rs",
        "+groupName=widgets.example.io",
        "package markers in `src/v1/doc.rs` configure no module: Rust has no `doc.go`",
        "move `+groupName=widgets.example.io` and `+k8s:deepcopy-gen=package` to the top of src/v1/mod.rs, the version module's own file",
    );
}

#[test]
fn unknown_k8s_marker_without_a_close_match() {
    kind_error(
        "// +k8s:openapi-gen=true",
        "+k8s:openapi-gen=true",
        "unknown marker `+k8s:openapi-gen`",
        "remove it, or see the marker table in README.md",
    );
}

// ---------------------------------------------------------------------------------------------
// Where markers stand
// ---------------------------------------------------------------------------------------------

#[test]
fn marker_after_code_on_the_same_line() {
    v1_error(
        "pub struct Widget { // +genclient\n    pub metadata: ObjectMeta,\n}\n",
        "+genclient",
        "`+genclient` must be on a comment line of its own",
        "move the marker to its own `//` line above the type",
    );
}

#[test]
fn marker_inside_a_struct_body_is_not_attached() {
    v1_error(
        "pub struct Widget {\n    // +genclient:nonNamespaced\n    pub metadata: ObjectMeta,\n}\n",
        "+genclient:nonNamespaced",
        "`+genclient:nonNamespaced` is not attached to a type",
        "type markers go in the comment lines directly above a struct or enum",
    );
}

#[test]
fn marker_inside_a_function_body_is_not_attached() {
    v1_error(
        "pub fn make() {\n    // +k8s:deepcopy-gen=true\n    struct Local;\n}\n",
        "+k8s:deepcopy-gen=true",
        "`+k8s:deepcopy-gen` is not attached to a type",
        "directly above a struct or enum",
    );
}

#[test]
fn type_marker_before_a_function() {
    v1_error(
        "// +genclient\npub fn widget() {}\n",
        "+genclient",
        "`+genclient` stands before a function, not a struct or enum",
        "put type markers directly above the struct or enum they are for",
    );
}

#[test]
fn type_marker_before_an_impl_block() {
    v1_error(
        "pub struct Widget {}\n\n// +k8s:deepcopy-gen=true\nimpl Widget {}\n",
        "+k8s:deepcopy-gen=true",
        "`+k8s:deepcopy-gen` stands before an impl block, not a struct or enum",
        "put type markers directly above the struct or enum they are for",
    );
}

#[test]
fn type_marker_before_a_use_declaration() {
    v1_error(
        "// +genclient\nuse std::fmt;\n\npub struct Widget {}\n",
        "+genclient",
        "`+genclient` stands before a use declaration, not a struct or enum",
        "put type markers directly above the struct or enum they are for",
    );
}

#[test]
fn type_marker_after_the_last_item() {
    v1_error(
        "pub struct Widget {}\n\n// +genclient\n",
        "+genclient",
        "`+genclient` is not followed by a type",
        "put type markers directly above the struct or enum they are for",
    );
}

#[test]
fn package_marker_below_the_first_item() {
    let text = "// +k8s:deepcopy-gen=package\n\n#[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n\n\
                use std::fmt;\n\n// +groupName=widgets.example.io\npub struct Spec {}\n";
    error(
        &[(V1, text)],
        V1,
        "+groupName=widgets.example.io",
        "package marker `+groupName` is in the wrong place",
        "move it above the first item of the version module's file",
    );
}

#[test]
fn package_marker_in_a_type_window() {
    v1_error(
        "pub struct Spec {}\n\n// +versionName=v1\npub struct Other {}\n",
        "+versionName=v1",
        "package marker `+versionName` is in the wrong place",
        "move it above the first item",
    );
}

#[test]
fn deepcopy_package_marker_above_a_later_type() {
    let text = v1("pub struct Spec {}\n\n// +k8s:deepcopy-gen=package\npub struct Other {}\n");
    error_nth(
        &[(V1, &text)],
        V1,
        ("+k8s:deepcopy-gen=package", 2),
        "package marker `+k8s:deepcopy-gen` is in the wrong place",
        "move it above the first item",
    );
}

#[test]
fn type_marker_in_a_file_outside_any_api_package() {
    let lib = "//! Not an API package.\n\n// +k8s:deepcopy-gen=true\npub struct Config {}\n";
    error(
        &[("src/lib.rs", lib)],
        "src/lib.rs",
        "+k8s:deepcopy-gen=true",
        "`+k8s:deepcopy-gen` is outside any API package",
        "add `// +groupName=<group>` (or `// +k8s:deepcopy-gen=package`) above the first item of the version module",
    );
}

#[test]
fn type_marker_in_a_sibling_of_a_version_module() {
    // `src/shared.rs` is not inside `src/v1/`: it belongs to no package.
    let shared = "// +genclient\npub struct Thing {\n    pub metadata: ObjectMeta,\n}\n";
    error(
        &[
            (V1, &v1("pub struct Spec {}\n")),
            ("src/lib.rs", "pub mod v1;\npub mod shared;\n"),
            ("src/shared.rs", shared),
        ],
        "src/shared.rs",
        "+genclient",
        "`+genclient` is outside any API package",
        "above the first item of the version module",
    );
}

// ---------------------------------------------------------------------------------------------
// Duplicates
// ---------------------------------------------------------------------------------------------

#[test]
fn duplicate_package_marker() {
    let text = "// +groupName=widgets.example.io\n// +groupName=gadgets.example.io\n\n\
                #[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n";
    error(
        &[(V1, text)],
        V1,
        "+groupName=gadgets.example.io",
        "duplicate marker `+groupName`",
        "keep one of them",
    );
}

#[test]
fn duplicate_type_marker() {
    let f = fails(&[(
        V1,
        &kind_with("// +genclient\n// +genclient:nonNamespaced\n// +genclient:nonNamespaced"),
    )]);
    let d = f.only().clone();
    check(
        &f,
        &d,
        V1,
        ("+genclient:nonNamespaced", 2),
        "duplicate marker `+genclient:nonNamespaced`",
        "keep one of them",
    );
}

// ---------------------------------------------------------------------------------------------
// Package markers' values and the version module
// ---------------------------------------------------------------------------------------------

#[test]
fn group_name_without_a_value() {
    let text = "// +groupName\n\n#[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n";
    error(
        &[(V1, text)],
        V1,
        "+groupName",
        "`+groupName` needs a value",
        "write it as `+groupName=example.com`",
    );
}

#[test]
fn invalid_group_name() {
    let text = "// +groupName=Widgets_Example.io\n\n#[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n";
    error(
        &[(V1, text)],
        V1,
        "+groupName=Widgets_Example.io",
        "`Widgets_Example.io` is not a valid API group name",
        "a group is a lower-case DNS subdomain",
    );
}

#[test]
fn invalid_version_name() {
    let text = "// +groupName=widgets.example.io\n// +versionName=version1\n\n\
                #[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n";
    error(
        &[(V1, text)],
        V1,
        "+versionName=version1",
        "`version1` is not a Kubernetes API version",
        "versions look like `v1`, `v2beta1` or `v1alpha3`",
    );
}

#[test]
fn invalid_group_go_name() {
    let text = "// +groupName=widgets.example.io\n// +groupGoName=9lives\n\n\
                #[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n";
    error(
        &[(V1, text)],
        V1,
        "+groupGoName=9lives",
        "`9lives` cannot name the group in Rust",
        "starting with a letter",
    );
}

#[test]
fn module_not_named_like_a_kubernetes_version() {
    let path = "src/version1/mod.rs";
    let text = "//! The first version.\n\n// +groupName=widgets.example.io\n\n\
                #[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n";
    error(
        &[(path, text), ("src/lib.rs", "pub mod version1;\n")],
        path,
        "+groupName=widgets.example.io",
        "module `version1` is not named like a Kubernetes API version",
        "rename the module (`v1`, `v1beta1`, `v1alpha1`…) or add `// +versionName=v1`",
    );
}

#[test]
fn missing_generated_module_declaration() {
    let text = "//! v1.\n\n// +groupName=widgets.example.io\n// +k8s:deepcopy-gen=package\n\n\
                pub struct Spec {}\n";
    error(
        &[(V1, text)],
        V1,
        "+groupName=widgets.example.io",
        "the generated module is not declared",
        "add this line to src/v1/mod.rs: `#[rustfmt::skip] mod zz_generated;`",
    );
}

#[test]
fn generated_module_without_rustfmt_skip() {
    let text = "// +groupName=widgets.example.io\n\npub mod zz_generated;\n";
    error(
        &[(V1, text)],
        V1,
        "mod",
        "`mod zz_generated;` lacks `#[rustfmt::skip]`",
        "write `#[rustfmt::skip] mod zz_generated;`",
    );
}

#[test]
fn inline_generated_module() {
    let text = "// +groupName=widgets.example.io\n\n#[rustfmt::skip]\nmod zz_generated {}\n";
    error(
        &[(V1, text)],
        V1,
        "mod",
        "`zz_generated` must be a file module",
        "declare it as `#[rustfmt::skip] mod zz_generated;`",
    );
}

// ---------------------------------------------------------------------------------------------
// Deep-copy markers
// ---------------------------------------------------------------------------------------------

#[test]
fn deepcopy_gen_on_a_type_must_be_true_or_false() {
    kind_error(
        "// +k8s:deepcopy-gen=maybe",
        "+k8s:deepcopy-gen=maybe",
        "invalid value `maybe` for `+k8s:deepcopy-gen`",
        "write `+k8s:deepcopy-gen=package` above the first item of the version module, or `=true`/`=false` above a type",
    );
}

#[test]
fn misspelt_deepcopy_package_value_is_a_value_error_not_a_placement_error() {
    for value in ["packages", "Package"] {
        let marker = format!("+k8s:deepcopy-gen={value}");
        let text = format!(
            "// +groupName=widgets.example.io\n// {marker}\n\n#[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n\npub struct Spec {{}}\n"
        );
        error(
            &[(V1, &text)],
            V1,
            &marker,
            &format!("invalid value `{value}` for `+k8s:deepcopy-gen`"),
            "did you mean `+k8s:deepcopy-gen=package`?",
        );
    }
}

#[test]
fn unsupported_deepcopy_interface() {
    kind_error(
        "// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Unstructured",
        "+k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Unstructured",
        "unsupported deep-copy interface `k8s.io/apimachinery/pkg/runtime.Unstructured`",
        "write `+k8s:deepcopy-gen:interfaces=Object`",
    );
}

#[test]
fn interfaces_on_a_type_opted_out_of_deep_copy() {
    kind_error(
        "// +k8s:deepcopy-gen=false\n// +k8s:deepcopy-gen:interfaces=Object",
        "+k8s:deepcopy-gen:interfaces=Object",
        "`+k8s:deepcopy-gen:interfaces` on a type opted out of deep copy",
        "remove `+k8s:deepcopy-gen=false`, or this marker",
    );
}

#[test]
fn interfaces_on_a_type_that_is_not_deep_copied() {
    let text = "// +groupName=widgets.example.io\n\n#[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n\n\
                // +k8s:deepcopy-gen:interfaces=Object\npub struct Widget {}\n";
    error(
        &[(V1, text)],
        V1,
        "+k8s:deepcopy-gen:interfaces=Object",
        "`Widget` is not deep-copied, so it cannot implement `Object`",
        "add `// +k8s:deepcopy-gen=true` above the type",
    );
}

// ---------------------------------------------------------------------------------------------
// Client markers
// ---------------------------------------------------------------------------------------------

#[test]
fn genclient_takes_no_value() {
    kind_error(
        "// +genclient=true\n// +genclient:nonNamespaced",
        "+genclient=true",
        "`+genclient` takes no value",
        "write `+genclient`",
    );
}

#[test]
fn no_status_without_genclient() {
    kind_error(
        "// +genclient:noStatus",
        "+genclient:noStatus",
        "`+genclient:noStatus` needs `+genclient` on the same type",
        "add `// +genclient` above the type, or remove this marker",
    );
}

#[test]
fn resource_name_without_genclient() {
    kind_error(
        "// +resourceName=widgets",
        "+resourceName=widgets",
        "`+resourceName` needs `+genclient` on the same type",
        "add `// +genclient` above the type",
    );
}

#[test]
fn invalid_resource_name() {
    kind_error(
        "// +genclient\n// +resourceName=Widgets",
        "+resourceName=Widgets",
        "`Widgets` is not a valid resource name",
        "a resource name is a lower-case DNS label such as `widgets`",
    );
}

#[test]
fn unknown_verb_suggests_the_closest() {
    kind_error(
        "// +genclient\n// +genclient:onlyVerbs=get,lsit",
        "+genclient:onlyVerbs=get,lsit",
        "unknown verb `lsit` in `+genclient:onlyVerbs`",
        "did you mean `list`?",
    );
}

#[test]
fn unknown_verb_without_a_close_match_lists_the_verbs() {
    kind_error(
        "// +genclient\n// +genclient:skipVerbs=frobnicate",
        "+genclient:skipVerbs=frobnicate",
        "unknown verb `frobnicate` in `+genclient:skipVerbs`",
        "verbs are: create, update, updateStatus, delete, deleteCollection, get, list, watch, patch, apply, applyStatus",
    );
}

#[test]
fn verb_in_both_only_verbs_and_skip_verbs() {
    kind_error(
        "// +genclient\n// +genclient:onlyVerbs=get,list\n// +genclient:skipVerbs=list",
        "+genclient:skipVerbs=list",
        "verb `list` is in both `+genclient:onlyVerbs` and `+genclient:skipVerbs`",
        "remove `list` from one of the two lists",
    );
}

#[test]
fn no_verbs_with_readonly() {
    kind_error(
        "// +genclient\n// +genclient:noVerbs\n// +genclient:readonly",
        "+genclient:readonly",
        "`+genclient:readonly` contradicts `+genclient:noVerbs`",
        "keep one of the two",
    );
}

#[test]
fn no_verbs_with_only_verbs() {
    kind_error(
        "// +genclient\n// +genclient:noVerbs\n// +genclient:onlyVerbs=get",
        "+genclient:onlyVerbs=get",
        "`+genclient:onlyVerbs` contradicts `+genclient:noVerbs`",
        "keep one of the two",
    );
}

#[test]
fn readonly_with_only_verbs() {
    kind_error(
        "// +genclient\n// +genclient:readonly\n// +genclient:onlyVerbs=get,list",
        "+genclient:onlyVerbs=get,list",
        "`+genclient:onlyVerbs` contradicts `+genclient:readonly`",
        "`readonly` means `onlyVerbs=get,list,watch`: keep one of the two",
    );
}

#[test]
fn update_status_on_a_type_without_status() {
    kind_error(
        "// +genclient\n// +genclient:onlyVerbs=get,updateStatus",
        "+genclient:onlyVerbs=get,updateStatus",
        "verb `updateStatus` on `Widget`, but it has no `status` field",
        "remove `updateStatus` from the list",
    );
}

#[test]
fn apply_status_with_no_status() {
    let text = v1(
        "// +genclient\n// +genclient:noStatus\n// +genclient:onlyVerbs=applyStatus\n\
         pub struct Widget {\n    pub metadata: ObjectMeta,\n    pub status: Status,\n}\n",
    );
    error(
        &[(V1, &text)],
        V1,
        "+genclient:onlyVerbs=applyStatus",
        "verb `applyStatus` on `Widget`, but `+genclient:noStatus`",
        "remove `applyStatus` from the list",
    );
}

// ---------------------------------------------------------------------------------------------
// `+genclient:method`
// ---------------------------------------------------------------------------------------------

/// [`KIND`] with `+genclient` and `+genclient:method=<value>` fails on the method marker.
fn method_error(value: &str, message: &str, help: &str) {
    let marker = format!("+genclient:method={value}");
    kind_error(
        &format!("// +genclient\n// {marker}"),
        &marker,
        message,
        help,
    );
}

#[test]
fn method_without_a_value() {
    kind_error(
        "// +genclient\n// +genclient:method",
        "+genclient:method",
        "`+genclient:method` needs a value",
        "write it as `+genclient:method=GetScale,verb=get,subresource=scale,result=",
    );
}

#[test]
fn method_without_a_name() {
    method_error(
        "verb=get,subresource=scale",
        "`+genclient:method` needs a method name first, found `verb=get`",
        "write `+genclient:method=GetScale,verb=get,subresource=scale,result=…`",
    );
}

#[test]
fn method_part_that_is_not_key_value() {
    method_error(
        "GetScale,get",
        "`get` in `+genclient:method` is not `key=value`",
        "the keys are verb, subresource, input and result",
    );
}

#[test]
fn method_with_an_unknown_key() {
    method_error(
        "GetScale,verb=get,kind=Scale",
        "unknown key `kind` in `+genclient:method`",
        "the keys are verb, subresource (a lower-case name), input and result",
    );
}

#[test]
fn method_with_an_invalid_subresource() {
    method_error(
        "GetScale,verb=get,subresource=Scale",
        "`Scale` is not a valid subresource name",
        "a subresource is a lower-case name such as `scale` or `status`",
    );
}

#[test]
fn method_with_a_verb_it_cannot_use() {
    method_error(
        "SetStatus,verb=updateStatus,subresource=status",
        "`updateStatus` is not a verb a custom method can use",
        "use one of: create, update, delete, get, list, watch, patch, apply",
    );
}

#[test]
fn method_with_an_unknown_verb() {
    method_error(
        "Frob,verb=frob",
        "`frob` is not a verb a custom method can use",
        "use one of: create, update, delete, get, list, watch, patch, apply",
    );
}

#[test]
fn method_without_a_verb() {
    method_error(
        "GetScale,subresource=scale",
        "`+genclient:method` needs `verb=`",
        "add `verb=get`",
    );
}

#[test]
fn method_without_a_subresource() {
    method_error(
        "GetScale,verb=get",
        "`+genclient:method` needs `subresource=`",
        "add e.g. `subresource=scale`",
    );
}

#[test]
fn method_with_a_verb_a_subresource_cannot_take() {
    method_error(
        "WatchScale,verb=watch,subresource=scale",
        "a custom method cannot `watch` a subresource",
        "use verb=get, create, update or patch",
    );
}

#[test]
fn method_input_with_get() {
    method_error(
        "GetScale,verb=get,subresource=scale,input=k8s.io/api/autoscaling/v1.Scale",
        "`input=` is only allowed with create, update and apply, not `get`",
        "remove `input=`",
    );
}

#[test]
fn method_result_with_delete() {
    method_error(
        "DeleteScale,verb=delete,subresource=scale,result=k8s.io/api/autoscaling/v1.Scale",
        "`result=` is not allowed with `delete`",
        "remove `result=`",
    );
}

#[test]
fn method_with_a_bad_type_path() {
    method_error(
        "GetScale,verb=get,subresource=scale,result=k8s.io/api/autoscaling/v1",
        "`k8s.io/api/autoscaling/v1` is not a type path",
        "name a Rust type by an absolute or `crate::` path",
    );
}

#[test]
fn method_with_a_relative_type_path() {
    method_error(
        "GetReport,verb=get,subresource=report,result=super::Report",
        "`super::Report` is not a type path",
        "name a Rust type by an absolute or `crate::` path",
    );
}

#[test]
fn method_named_like_a_verb() {
    method_error(
        "UpdateStatus,verb=update,subresource=status",
        "method `UpdateStatus` clashes with another method of the client",
        "give the custom method a name of its own",
    );
}

#[test]
fn two_methods_with_one_name() {
    let marker = "+genclient:method=GetScale,verb=get,subresource=scale";
    let f = fails(&[(
        V1,
        &kind_with(&format!("// +genclient\n// {marker}\n// {marker}")),
    )]);
    let d = f.only().clone();
    check(
        &f,
        &d,
        V1,
        (marker, 2),
        "method `GetScale` clashes with another method of the client",
        "give the custom method a name of its own",
    );
}

// ---------------------------------------------------------------------------------------------
// `+genclient` on types that cannot be kinds
// ---------------------------------------------------------------------------------------------

#[test]
fn genclient_on_an_enum() {
    v1_error(
        "// +genclient\npub enum Widget {\n    A,\n}\n",
        "+genclient",
        "`+genclient` type `Widget` must be a struct with named fields",
        "an API kind is a struct with `metadata`",
    );
}

#[test]
fn genclient_on_a_tuple_struct() {
    v1_error(
        "// +genclient\npub struct Widget(pub ObjectMeta);\n",
        "+genclient",
        "`+genclient` type `Widget` must be a struct with named fields",
        "an API kind is a struct with `metadata`",
    );
}

#[test]
fn genclient_on_a_generic_struct() {
    v1_error(
        "// +genclient\npub struct Widget<T> {\n    pub metadata: ObjectMeta,\n    pub spec: T,\n}\n",
        "+genclient",
        "`+genclient` type `Widget` cannot be generic",
        "an API kind is one concrete type",
    );
}

#[test]
fn genclient_without_metadata() {
    v1_error(
        "// +genclient\npub struct Widget {\n    pub spec: WidgetSpec,\n}\n",
        "+genclient",
        "`+genclient` type `Widget` has no `metadata` field",
        "add `pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta`",
    );
}

#[test]
fn genclient_metadata_that_is_not_object_meta() {
    let meta = "use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;\n\n";
    // (type, occurrence of it in the body to underline)
    for (ty, nth) in [
        ("Option<ObjectMeta>", 1),
        ("String", 2),
        ("own::ObjectMeta", 1),
    ] {
        let body = format!(
            "{meta}pub mod own {{\n    pub struct ObjectMeta {{\n        pub name: String,\n    }}\n}}\n\n\
             // +genclient\npub struct Widget {{\n    pub metadata: {ty},\n}}\n"
        );
        error_nth(
            &[(V1, &v1(&body))],
            V1,
            (ty, nth),
            &format!(
                "the `metadata` of `+genclient` type `Widget` is `{ty}`, not k8s-openapi's `ObjectMeta`"
            ),
            "write `pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta`",
        );
    }
}

#[test]
fn genclient_metadata_through_an_alias_and_kube_reexport_is_object_meta() {
    let body = "use kube::api::ObjectMeta as Meta;\npub type M = Meta;\n\n\
                // +genclient\npub struct Widget {\n    pub metadata: M,\n}\n";
    let dir = crate_with(&[(V1, &v1(body))]);
    kube_codegen::run(&Options::new(dir.path()))
        .expect("an alias of kube's ObjectMeta is accepted");
}

#[test]
fn genclient_kind_that_is_not_deep_copied() {
    let text = "// +groupName=widgets.example.io\n\n#[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n\n\
                // +genclient\npub struct Widget {\n    pub metadata: ObjectMeta,\n}\n";
    error(
        &[(V1, text)],
        V1,
        "+genclient",
        "`+genclient` type `Widget` is not deep-copied",
        "add `// +k8s:deepcopy-gen=package` above the first item of the version module",
    );
    kind_error(
        "// +genclient\n// +k8s:deepcopy-gen=false",
        "+genclient",
        "`+genclient` type `Widget` is not deep-copied",
        "clients, listers and caches clone kinds",
    );
}

#[test]
fn serde_attribute_on_a_kind_field() {
    v1_error(
        "// +genclient\npub struct Widget {\n    pub metadata: ObjectMeta,\n    #[serde(rename = \"size\")]\n    pub spec: u32,\n}\n",
        "#[serde(rename = \"size\")]",
        "`#[serde]` on field `spec` of `+genclient` kind `Widget`",
        "remove `#[serde(rename = \"size\")]`: a kind's JSON is generated",
    );
}

#[test]
fn two_kinds_of_one_group_version_with_the_same_plural() {
    let module =
        v1("mod more;\n\n// +genclient\npub struct Widget {\n    pub metadata: ObjectMeta,\n}\n");
    let more = "use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;\n\n\
                // +genclient\n// +resourceName=widgets\npub struct Gadget {\n    pub metadata: ObjectMeta,\n}\n";
    error(
        &[(V1, &module), ("src/v1/more.rs", more)],
        "src/v1/more.rs",
        "Gadget",
        "kinds `Widget` and `Gadget` of widgets.example.io/v1 share the resource name `widgets`",
        "give one of them its own with `// +resourceName=<plural>` (the other is declared in src/v1/mod.rs)",
    );
}

#[test]
fn union_under_package_opt_in() {
    v1_error(
        "#[repr(C)]\npub union Bits {\n    pub a: u32,\n    pub b: f32,\n}\n",
        "Bits",
        "union `Bits` cannot be deep-copied or served",
        "opt the union out with `// +k8s:deepcopy-gen=false`",
    );
}

#[test]
fn genclient_in_a_package_without_group_name() {
    let text = "// +k8s:deepcopy-gen=package\n\n#[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n\n\
                // +genclient\npub struct Widget {\n    pub metadata: ObjectMeta,\n}\n";
    error(
        &[(V1, text)],
        V1,
        "+genclient",
        "`Widget` has `+genclient` but the package has no `+groupName`",
        "add `// +groupName=<group>` above the first item of src/v1/mod.rs",
    );
}

#[test]
fn genclient_in_a_submodule_of_a_package_without_group_name() {
    let module = "// +k8s:deepcopy-gen=package\n\nmod types;\n\n#[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n";
    let types = "// +genclient\npub struct Widget {\n    pub metadata: ObjectMeta,\n}\n";
    error(
        &[(V1, module), ("src/v1/types.rs", types)],
        "src/v1/types.rs",
        "+genclient",
        "`Widget` has `+genclient` but the package has no `+groupName`",
        "add `// +groupName=<group>` above the first item of src/v1/mod.rs",
    );
}

// ---------------------------------------------------------------------------------------------
// Types that cannot be deep-copied
// ---------------------------------------------------------------------------------------------

/// A struct `Widget` with one field of type `ty` fails on `underlined`.
fn field_error(ty: &str, underlined: &str, message: &str, help: &str) {
    let generics = if ty.contains("'a") { "<'a>" } else { "" };
    v1_error(
        &format!("pub struct Widget{generics} {{\n    pub value: {ty},\n}}\n"),
        underlined,
        message,
        help,
    );
}

#[test]
fn reference_field() {
    field_error(
        "&'a str",
        "&",
        "field `value` of `Widget`: references cannot be deep-copied",
        "store an owned value instead (`String`, `Vec<T>`, `Box<T>`), or opt the type out with `// +k8s:deepcopy-gen=false`",
    );
}

#[test]
fn raw_pointer_field() {
    field_error(
        "*const u8",
        "*const u8",
        "field `value` of `Widget`: raw pointers cannot be deep-copied",
        "opt the type out with `// +k8s:deepcopy-gen=false`",
    );
}

const INTERIOR_HELP: &str =
    "store the plain value (a deep copy is a snapshot, and a lock or cell cannot be one)";

#[test]
fn cell_field() {
    field_error(
        "std::cell::Cell<u32>",
        "Cell",
        "field `value` of `Widget`: `Cell` has interior mutability and cannot be deep-copied",
        INTERIOR_HELP,
    );
}

#[test]
fn ref_cell_field() {
    field_error(
        "RefCell<Vec<String>>",
        "RefCell",
        "field `value` of `Widget`: `RefCell` has interior mutability and cannot be deep-copied",
        INTERIOR_HELP,
    );
}

#[test]
fn mutex_field() {
    field_error(
        "std::sync::Mutex<String>",
        "Mutex",
        "field `value` of `Widget`: `Mutex` has interior mutability and cannot be deep-copied",
        INTERIOR_HELP,
    );
}

#[test]
fn atomic_field() {
    field_error(
        "std::sync::atomic::AtomicU64",
        "AtomicU64",
        "field `value` of `Widget`: `AtomicU64` has interior mutability and cannot be deep-copied",
        INTERIOR_HELP,
    );
}

#[test]
fn arc_mutex_field() {
    field_error(
        "Arc<Mutex<Vec<u8>>>",
        "Mutex",
        "field `value` of `Widget`: `Mutex` has interior mutability and cannot be deep-copied",
        INTERIOR_HELP,
    );
}

#[test]
fn alias_of_an_interior_mutable_type() {
    // Written out, `Arc<Mutex<…>>` is an error; behind an alias declared in another module it
    // is the same type, and the same error, pointing at the alias where it is used.
    let aliases = "pub type Shared = std::sync::Arc<std::sync::Mutex<Vec<String>>>;\n";
    error_nth(
        &[
            (
                V1,
                &v1(
                    "mod aliases;\nuse aliases::Shared;\n\npub struct Widget {\n    pub value: Shared,\n}\n",
                ),
            ),
            ("src/v1/aliases.rs", aliases),
        ],
        V1,
        ("Shared", 2),
        "field `value` of `Widget`: `Shared` is an alias of a type that cannot be deep-copied: `Mutex` has interior mutability and cannot be deep-copied",
        INTERIOR_HELP,
    );
}

#[test]
fn field_of_a_tree_type_without_clone() {
    // `Plain` is the crate's own, outside the package and without `Clone`: the generated deep
    // copy of `Widget` would call `Plain::clone`, which does not exist.
    let lib = "pub mod v1;\npub mod plain;\n";
    error_nth(
        &[
            ("src/lib.rs", lib),
            ("src/plain.rs", "#[derive(Debug)]\npub struct Plain;\n"),
            (
                V1,
                &v1("pub struct Widget {\n    pub value: Vec<crate::plain::Plain>,\n}\n"),
            ),
        ],
        V1,
        ("Plain", 1),
        "field `value` of `Widget`: `Plain` does not implement `Clone`",
        "opt `Plain` in to deep copy (`// +k8s:deepcopy-gen=true` above it, or `// +k8s:deepcopy-gen=package` for its package), or derive `Clone` for it",
    );
}

#[test]
fn type_nested_too_deeply() {
    let depth = 130;
    let ty = format!("{}u8{}", "Option<".repeat(depth), ">".repeat(depth));
    let text = v1(&format!("pub struct Widget {{\n    pub value: {ty},\n}}\n"));
    // On the test harness's 2 MiB thread: the run parses on a thread of its own.
    let f = fails(&[(V1, &text)]);
    let d = f.only();
    assert_eq!(
        d.message, "field `value` of `Widget`: the type nests more than 128 levels deep",
        "{}",
        f.rendered
    );
    assert_eq!(d.position.map(|p| p.line), Some(9), "{}", f.rendered);
    assert!(
        d.help.as_deref().is_some_and(|h| h.contains("type alias")),
        "{d}"
    );
}

#[test]
fn file_nested_too_deeply_to_parse() {
    use kube_codegen::source::nesting::MAX_NESTING;
    for (open, close) in [("Option<", ">"), ("(", ")")] {
        let depth = 20_000;
        let ty = format!("{}u8{}", open.repeat(depth), close.repeat(depth));
        let text = v1(&format!("pub struct Widget {{\n    pub value: {ty},\n}}\n"));
        let f = fails(&[(V1, &text)]);
        let d = f.only();
        assert_eq!(
            d.message,
            format!(
                "this file nests more than {MAX_NESTING} levels deep here, deeper than kube-codegen can parse"
            )
        );
        // The struct's braces are the first level; the bracket that opens level
        // MAX_NESTING + 1 is the one pointed at.
        let column = "    pub value: ".len() + open.len() * (MAX_NESTING - 1) + open.len();
        assert_eq!(
            d.position,
            Some(Position { line: 9, column }),
            "{}",
            &f.rendered[..200]
        );
        assert!(
            d.help.as_deref().is_some_and(|h| h.contains("type alias")),
            "{d}"
        );
    }
}

#[test]
fn source_file_that_is_not_utf8() {
    // Two bad files (one outside any package): both reported, each at its first bad byte.
    let dir = crate_with(&[(V1, &v1("pub struct Widget {\n    pub name: String,\n}\n"))]);
    let mut types = b"pub struct A;\n// caf".to_vec();
    types.extend_from_slice(&[0xe9, b'\n']);
    std::fs::write(dir.path().join("src/v1/types.rs"), &types).expect("write");
    std::fs::write(dir.path().join("src/other.rs"), [0xff, 0xfe, b'x']).expect("write");
    let f = run_fails(dir);
    let located: Vec<(String, String)> = f
        .diagnostics
        .iter()
        .map(|d| (d.location(), d.message.clone()))
        .collect();
    assert_eq!(
        located,
        [
            (
                "src/other.rs:1:1".to_owned(),
                "this file is not valid UTF-8: invalid byte 0xff at byte offset 0".to_owned()
            ),
            (
                "src/v1/types.rs:2:7".to_owned(),
                "this file is not valid UTF-8: invalid byte 0xe9 at byte offset 20".to_owned()
            ),
        ],
        "{}",
        f.rendered
    );
    assert!(
        f.rendered.contains("2 | // caf\u{fffd}\n"),
        "{}",
        f.rendered
    );
    assert!(
        f.diagnostics[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("UTF-8")),
        "{}",
        f.rendered
    );
}

#[cfg(unix)]
#[test]
fn symlinks_that_loop_or_dangle() {
    let dir = crate_with(&[(V1, &v1("pub struct Widget {\n    pub name: String,\n}\n"))]);
    std::os::unix::fs::symlink("..", dir.path().join("src/v1/up")).expect("link");
    std::os::unix::fs::symlink("gone.rs", dir.path().join("src/v1/types.rs")).expect("link");
    // A dangling link that is not named like a source is none of our business.
    std::os::unix::fs::symlink("gone", dir.path().join("src/v1/notes.txt")).expect("link");
    let f = run_fails(dir);
    let located: Vec<(String, String)> = f
        .diagnostics
        .iter()
        .map(|d| (d.location(), d.message.clone()))
        .collect();
    assert_eq!(
        located,
        [
            (
                "src/v1/types.rs".to_owned(),
                "this symlink points to `gone.rs`, which does not exist".to_owned()
            ),
            (
                "src/v1/up".to_owned(),
                "this symlink loops back to `src`, a directory that contains it".to_owned()
            ),
        ],
        "{}",
        f.rendered
    );
    assert!(
        f.diagnostics.iter().all(|d| d.help.is_some()),
        "{}",
        f.rendered
    );
}

#[cfg(unix)]
#[test]
fn one_output_reached_twice_through_a_symlinked_directory() {
    let dir = crate_with(&[
        ("src/lib.rs", "pub mod v1;\npub mod v2;\n"),
        (V1, &v1("pub struct Widget {\n    pub name: String,\n}\n")),
    ]);
    std::os::unix::fs::symlink("v1", dir.path().join("src/v2")).expect("link");
    let f = run_fails(dir);
    let d = f.only();
    assert_eq!(d.location(), "src/v2/zz_generated.rs", "{}", f.rendered);
    assert_eq!(
        d.message,
        "this output is the same file as `src/v1/zz_generated.rs`: a directory on the way is a symlink"
    );
}

#[test]
fn trait_object_field() {
    field_error(
        "Box<dyn Fn() -> u32>",
        "dyn Fn() -> u32",
        "field `value` of `Widget`: trait objects cannot be deep-copied",
        "use a concrete type or an enum of the possibilities",
    );
}

#[test]
fn uncopyable_tuple_field_in_an_enum_variant() {
    v1_error(
        "pub enum Event {\n    Tick,\n    Counter(std::sync::atomic::AtomicU32),\n}\n",
        "AtomicU32",
        "a tuple field of `Event`: `AtomicU32` has interior mutability and cannot be deep-copied",
        INTERIOR_HELP,
    );
}

#[test]
fn union_opted_in_to_deep_copy() {
    let text = "// +groupName=widgets.example.io\n\n#[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n\n\
                // +k8s:deepcopy-gen=true\npub union Bits {\n    pub i: u32,\n    pub f: f32,\n}\n";
    error(
        &[(V1, text)],
        V1,
        "Bits",
        "union `Bits` cannot be deep-copied or served",
        "use a struct or an enum",
    );
}

#[test]
fn opted_in_type_that_derives_clone() {
    v1_error(
        "#[derive(Debug, Clone, PartialEq)]\npub struct Spec {\n    pub name: String,\n}\n",
        "Clone",
        "`Spec` derives `Clone`, but its deep copy is generated",
        "remove `Clone` from the derive list, or opt the type out with `// +k8s:deepcopy-gen=false`",
    );
}

#[test]
fn opted_in_type_that_derives_copy() {
    v1_error(
        "#[derive(Debug, Copy, PartialEq)]\npub struct Point {\n    pub x: i32,\n}\n",
        "Copy",
        "`Point` derives `Copy`, but its deep copy is generated",
        "remove `Copy` from the derive list",
    );
}

#[test]
fn opted_in_type_with_a_hand_written_clone() {
    v1_error(
        "pub struct Spec {\n    pub name: String,\n}\n\n\
         impl Clone for Spec {\n    fn clone(&self) -> Self {\n        Spec { name: self.name.clone() }\n    }\n}\n",
        "Spec",
        "`Spec` already implements `Clone`, but its deep copy is generated",
        "remove the hand-written `impl Clone`, or opt the type out with `// +k8s:deepcopy-gen=false`",
    );
}

// ---------------------------------------------------------------------------------------------
// Sources that do not parse
// ---------------------------------------------------------------------------------------------

#[test]
fn file_with_markers_that_does_not_parse() {
    let f = fails(&[(V1, &v1("pub struct Widget {\n    pub name: ,\n}\n"))]);
    let d = f.only().clone();
    assert_eq!(d.path, Path::new(V1));
    assert!(d.message.starts_with("cannot parse this file: "), "{d}");
    assert_eq!(
        d.position,
        Some(Position {
            line: 9,
            column: 15
        }),
        "{d}"
    );
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("fix the syntax error")),
        "{d}"
    );
    assert!(
        f.rendered.contains("--> src/v1/mod.rs:9:15\n"),
        "{}",
        f.rendered
    );
    assert!(
        f.rendered.contains("9 |     pub name: ,\n"),
        "{}",
        f.rendered
    );
}

#[test]
fn unmarked_file_of_a_package_that_does_not_parse() {
    let types = "pub struct Spec {\n    pub name: String\n    pub size: u32,\n}\n";
    let f = fails(&[(V1, &v1("mod types;\n")), ("src/v1/types.rs", types)]);
    let d = f.only().clone();
    assert_eq!(d.path, Path::new("src/v1/types.rs"));
    assert!(d.message.starts_with("cannot parse this file: "), "{d}");
    assert_eq!(d.position, Some(Position { line: 3, column: 5 }), "{d}");
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("lies in an API package")),
        "{d}"
    );
    assert!(
        f.rendered.contains("--> src/v1/types.rs:3:5\n"),
        "{}",
        f.rendered
    );
    assert!(
        f.rendered.contains("3 |     pub size: u32,\n"),
        "{}",
        f.rendered
    );
}

// ---------------------------------------------------------------------------------------------
// Output ownership and the root
// ---------------------------------------------------------------------------------------------

#[test]
fn refuses_to_overwrite_a_hand_written_zz_generated() {
    let mine = "//! My own code, not generated.\npub fn keep() {}\n";
    let gadgets = "// +groupName=gadgets.example.io\n// +k8s:deepcopy-gen=package\n\n\
                   #[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n\npub struct Spec {}\n";
    let f = fails(&[
        (V1, &v1("pub struct Spec {}\n")),
        ("src/v1/zz_generated.rs", mine),
        // A valid package whose output must not be written either.
        ("src/lib.rs", "pub mod v1;\npub mod gadgets;\n"),
        ("src/gadgets/mod.rs", "pub mod v1;\n"),
        ("src/gadgets/v1/mod.rs", gadgets),
    ]);
    let d = f.only();
    assert_eq!(d.path, Path::new("src/v1/zz_generated.rs"));
    assert_eq!(
        d.message,
        "refusing to overwrite a file that kube-codegen did not write"
    );
    assert_eq!(d.position, None, "about the file as a whole");
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("move the hand-written code to another file")),
        "{d}"
    );
    assert!(
        f.rendered.contains("--> src/v1/zz_generated.rs\n"),
        "{}",
        f.rendered
    );
    assert_eq!(f.text("src/v1/zz_generated.rs"), mine);
    assert!(!f.dir.path().join("src/gadgets/v1/zz_generated.rs").exists());
}

#[test]
fn root_that_does_not_exist() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path().join("no-such-dir");
    let err = kube_codegen::run(&Options::new(&root)).expect_err("the root is missing");
    let rendered = err.render();
    let Error::User(user) = err else {
        panic!("expected a user error: {rendered}");
    };
    assert_eq!(user.diagnostics.len(), 1, "{rendered}");
    let d = &user.diagnostics[0];
    assert_eq!(d.path, root);
    assert!(
        d.message.starts_with("cannot open the root directory: "),
        "{d}"
    );
    assert_eq!(d.position, None);
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("pass an existing directory")),
        "{d}"
    );
    assert!(
        rendered.contains(&format!("--> {}\n", root.display())),
        "{rendered}"
    );
    assert!(
        rendered.ends_with("1 problem found; nothing was written\n"),
        "{rendered}"
    );
    assert!(!root.exists(), "the root was created");
}

// ---------------------------------------------------------------------------------------------
// Several errors; valid input next to invalid input
// ---------------------------------------------------------------------------------------------

#[test]
fn errors_in_several_files_are_reported_together_in_order() {
    let widgets = v1(
        "// +genclient\n// +genclient:onlyVerbs=gett\npub struct Widget {\n    pub metadata: ObjectMeta,\n}\n\n\
         // +k8s:deepcopy-gen=maybe\npub struct Spec {}\n",
    );
    let gadgets = "// +groupName=gadgets.example.io\n// +versionName=one\n\n\
                   #[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n";
    let lib = "pub mod v1;\npub mod gadgets;\n\n// +genclient\npub struct Loose {}\n";
    let f = fails(&[
        ("src/v1/mod.rs", &widgets),
        ("src/gadgets/mod.rs", "pub mod v1;\n"),
        ("src/gadgets/v1/mod.rs", gadgets),
        ("src/lib.rs", lib),
    ]);
    let found: Vec<(String, String)> = f
        .diagnostics
        .iter()
        .map(|d| (d.location(), d.message.clone()))
        .collect();
    let expected = [
        (
            "src/gadgets/v1/mod.rs:2:4",
            "`one` is not a Kubernetes API version",
        ),
        ("src/lib.rs:4:4", "`+genclient` is outside any API package"),
        (
            "src/v1/mod.rs:9:4",
            "unknown verb `gett` in `+genclient:onlyVerbs`",
        ),
        (
            "src/v1/mod.rs:14:4",
            "invalid value `maybe` for `+k8s:deepcopy-gen`",
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(l, m)| ((*l).to_owned(), (*m).to_owned()))
        .collect();
    assert_eq!(found, expected, "{}", f.rendered);
    assert!(
        f.rendered
            .ends_with("4 problems found; nothing was written\n"),
        "{}",
        f.rendered
    );
    for (location, _) in &expected {
        assert!(
            f.rendered.contains(&format!("--> {location}\n")),
            "{}",
            f.rendered
        );
    }
}

#[test]
fn valid_packages_next_to_an_invalid_one_write_nothing() {
    let valid = "// +groupName=gadgets.example.io\n// +k8s:deepcopy-gen=package\n\n\
                 #[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n\npub struct Spec {\n    pub name: String,\n}\n";
    let stale = format!("{HEADER}\n//! Stale output of an older run.\n");
    let orphan = format!("{HEADER}\n//! Output of a package that no longer exists.\n");
    let f = fails(&[
        ("src/lib.rs", "pub mod v1;\npub mod gadgets;\n"),
        ("src/gadgets/mod.rs", "pub mod v1;\npub mod v1beta1;\n"),
        ("src/gadgets/v1/mod.rs", valid),
        ("src/gadgets/v1beta1/mod.rs", valid),
        ("src/gadgets/v1beta1/zz_generated.rs", &stale),
        ("src/old/v1/zz_generated.rs", &orphan),
        (V1, &kind_with("// +genclient\n// +genclient:nonNamespace")),
    ]);
    assert_eq!(f.only().location(), "src/v1/mod.rs:9:4", "{}", f.rendered);
    // `run_fails` compared every file before and after; spell out the ones that matter.
    assert!(!f.dir.path().join("src/gadgets/v1/zz_generated.rs").exists());
    assert_eq!(
        f.text("src/gadgets/v1beta1/zz_generated.rs"),
        stale,
        "stale output rewritten"
    );
    assert_eq!(
        f.text("src/old/v1/zz_generated.rs"),
        orphan,
        "orphaned output deleted"
    );
}

// ---------------------------------------------------------------------------------------------
// Regressions: locations and attachment that were wrong
// ---------------------------------------------------------------------------------------------

#[test]
fn escaped_backslash_char_literal_keeps_later_locations_right() {
    let body = "pub const SEP: char = '\\\\';\n\n// +genclient:nonNamespace\npub struct Spec {}\n";
    v1_error(
        body,
        "+genclient:nonNamespace",
        "unknown marker `+genclient:nonNamespace`",
        "did you mean `+genclient:nonNamespaced`?",
    );
}

#[test]
fn escaped_quote_char_literal_keeps_later_locations_right() {
    let body = "pub const Q: char = '\\'';\n\n// +genclient:nonNamespace\npub struct Spec {}\n";
    v1_error(
        body,
        "+genclient:nonNamespace",
        "unknown marker `+genclient:nonNamespace`",
        "did you mean `+genclient:nonNamespaced`?",
    );
}

#[test]
fn string_line_continuation_keeps_later_locations_right() {
    let body = "pub const TEXT: &str = \"one \\\n    two\";\n\n// +genclient:nonNamespace\npub struct Spec {}\n";
    v1_error(
        body,
        "+genclient:nonNamespace",
        "unknown marker `+genclient:nonNamespace`",
        "did you mean `+genclient:nonNamespaced`?",
    );
}

#[test]
fn marker_after_an_inline_module_attaches_to_the_next_type() {
    v1_error(
        "pub mod inner {\n    pub struct A {}\n}\n\n// +genclient:noStatus\npub struct B {}\n",
        "+genclient:noStatus",
        "`+genclient:noStatus` needs `+genclient` on the same type",
        "add `// +genclient` above the type",
    );
}

#[test]
fn marker_after_the_last_item_of_an_inline_module_is_not_followed_by_a_type() {
    v1_error(
        "pub mod inner {\n    pub struct A {}\n\n    // +genclient\n}\n\npub struct B {}\n",
        "+genclient",
        "`+genclient` is not followed by a type",
        "put type markers directly above the struct or enum they are for",
    );
}

#[test]
fn a_bad_marker_in_the_version_module_does_not_orphan_its_other_files() {
    let module = v1("mod types;\n\n// +k8s:deepcopy-gen=maybe\npub struct Spec {}\n");
    let types = "// +genclient\npub struct Widget {\n    pub metadata: ObjectMeta,\n}\n";
    error(
        &[(V1, &module), ("src/v1/types.rs", types)],
        V1,
        "+k8s:deepcopy-gen=maybe",
        "invalid value `maybe` for `+k8s:deepcopy-gen`",
        "`=true`/`=false` above a type",
    );
}

#[test]
fn a_misplaced_marker_in_the_version_module_does_not_orphan_its_other_files() {
    let module = v1("mod types;\n\n// +genclient\npub fn helper() {}\n");
    let types = "// +k8s:deepcopy-gen=false\npub struct Handle {}\n";
    error(
        &[(V1, &module), ("src/v1/types.rs", types)],
        V1,
        "+genclient",
        "`+genclient` stands before a function, not a struct or enum",
        "put type markers directly above the struct or enum they are for",
    );
}

#[test]
fn an_unparsable_version_module_does_not_orphan_its_other_files() {
    let module = v1("mod types;\n\npub struct Spec {\n    pub name: ,\n}\n");
    let types = "// +genclient\npub struct Widget {\n    pub metadata: ObjectMeta,\n}\n";
    let f = fails(&[(V1, &module), ("src/v1/types.rs", types)]);
    let d = f.only();
    assert_eq!(d.location(), "src/v1/mod.rs:11:15", "{}", f.rendered);
    assert!(d.message.starts_with("cannot parse this file: "), "{d}");
}

// ---------------------------------------------------------------------------------------------
// Found while writing these tests: lists, repeated keys, clones elsewhere, the root
// ---------------------------------------------------------------------------------------------

#[test]
fn empty_entry_in_a_verb_list() {
    kind_error(
        "// +genclient\n// +genclient:onlyVerbs=get,list,",
        "+genclient:onlyVerbs=get,list,",
        "empty verb in `+genclient:onlyVerbs`",
        "remove the extra comma",
    );
}

#[test]
fn method_with_a_repeated_key() {
    method_error(
        "GetScale,verb=get,verb=list",
        "`verb` is given twice in `+genclient:method`",
        "keep one `verb=`",
    );
}

#[test]
fn hand_written_clone_in_another_file_of_the_package() {
    let types = "use super::Spec;\n\nimpl Clone for Spec {\n    fn clone(&self) -> Self {\n        Spec {}\n    }\n}\n";
    error(
        &[
            (V1, &v1("mod imp;\n\npub struct Spec {}\n")),
            ("src/v1/imp.rs", types),
        ],
        V1,
        "Spec",
        "`Spec` already implements `Clone`, but its deep copy is generated",
        "remove the hand-written `impl Clone`",
    );
}

/// The root must be a directory. `lib.rs` (outside this test's remit) reports an internal
/// error ("creating …/Cargo.toml/target: Not a directory") instead of a user error.
#[test]
fn root_that_is_a_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path().join("Cargo.toml");
    std::fs::write(&root, "[package]\n").expect("write");
    let err = kube_codegen::run(&Options::new(&root)).expect_err("the root is a file");
    let rendered = err.render();
    let Error::User(user) = err else {
        panic!("expected a user error: {rendered}");
    };
    assert_eq!(user.diagnostics.len(), 1, "{rendered}");
    let d = &user.diagnostics[0];
    assert_eq!(d.path, root);
    assert!(
        d.help.as_deref().is_some_and(|h| h.contains("directory")),
        "{d}"
    );
    assert_eq!(std::fs::read_to_string(&root).expect("read"), "[package]\n");
}

// ---------------------------------------------------------------------------------------------
// Registration, wire form and clientsets
// ---------------------------------------------------------------------------------------------

#[test]
fn registration_that_is_not_reexported() {
    let text = "// +groupName=widgets.example.io\n\n#[rustfmt::skip]\nmod zz_generated;\n";
    error(
        &[(V1, text)],
        V1,
        "mod",
        "the registration in `zz_generated` (`GROUP`, `VERSION`, `RESOURCES`) is not reachable",
        "add `pub use zz_generated::*;` after the declaration in src/v1/mod.rs",
    );
}

#[test]
fn genclient_kind_that_derives_serialize() {
    v1_error(
        "// +genclient\n#[derive(Debug, Serialize)]\npub struct Widget {\n    pub metadata: ObjectMeta,\n}\n",
        "Serialize",
        "`Widget` derives `Serialize`, but a `+genclient` kind's serialization is generated",
        "the generated impls add `apiVersion` and `kind`",
    );
}

const WITH_CLIENTSET: &str = "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                              [package.metadata.kube-codegen]\nclientset = \"client/src/clientset.rs\"\n";

#[test]
fn clientset_whose_module_is_not_declared() {
    error(
        &[
            ("Cargo.toml", WITH_CLIENTSET),
            (V1, &kind_with("// +genclient")),
            ("client/src/lib.rs", "pub mod other;\n"),
        ],
        "Cargo.toml",
        "\"client/src/clientset.rs\"",
        "the clientset module is not declared",
        "add `#[rustfmt::skip] pub mod clientset;` to client/src/lib.rs",
    );
}

#[test]
fn clientset_for_a_crate_without_kinds() {
    error(
        &[
            ("Cargo.toml", WITH_CLIENTSET),
            (V1, &v1("pub struct Spec {}\n")),
        ],
        "Cargo.toml",
        "\"client/src/clientset.rs\"",
        "`clientset` is configured, but crate `api` has no `+genclient` kinds",
        "mark the API kinds with `// +genclient`",
    );
}

#[test]
fn clientset_setting_that_is_not_a_rust_file() {
    let manifest = WITH_CLIENTSET.replace("client/src/clientset.rs", "client/src/");
    error(
        &[("Cargo.toml", &manifest), (V1, &kind_with("// +genclient"))],
        "Cargo.toml",
        "\"client/src/\"",
        "`clientset = \"client/src/\"` does not name a `.rs` file",
        "name the module file to write",
    );
}

#[test]
fn unknown_kube_codegen_setting() {
    let manifest = WITH_CLIENTSET.replace("clientset =", "clientsets =");
    let f = fails(&[("Cargo.toml", &manifest), (V1, &kind_with("// +genclient"))]);
    let d = f.only();
    assert_eq!(d.location(), "Cargo.toml:7:1", "{}", f.rendered);
    assert!(d.message.contains("unknown field `clientsets`"), "{d}");
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("clientset = ")),
        "{d}"
    );
}

// ---------------------------------------------------------------------------------------------
// What generated code needs from the manifests
// ---------------------------------------------------------------------------------------------

const CLIENT_LIB: &str = "#[rustfmt::skip]\npub mod clientset;\n";

/// The API crate (with a clientset in `client/`), and a client crate with `dependencies`.
fn with_client_crate(dependencies: &str) -> Vec<(&'static str, String)> {
    let api = format!("{WITH_CLIENTSET}\n[dependencies]\nkube-codegen-runtime = \"0.1\"\n");
    let client = format!(
        "[package]\nname = \"api-client\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n{dependencies}"
    );
    vec![
        ("Cargo.toml", api),
        ("client/Cargo.toml", client),
        ("client/src/lib.rs", CLIENT_LIB.to_owned()),
        (V1, kind_with("// +genclient")),
    ]
}

fn borrowed<'a>(files: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    files.iter().map(|(p, t)| (*p, t.as_str())).collect()
}

#[test]
fn api_crate_without_the_runtime() {
    let manifest = "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nserde = \"1\"\n";
    error(
        &[("Cargo.toml", manifest), (V1, &v1("pub struct Spec {}\n"))],
        "Cargo.toml",
        "[dependencies]",
        "crate `api` does not depend on `kube-codegen-runtime`",
        "add `kube-codegen-runtime = \"0.1.0\"` under `[dependencies]` in Cargo.toml (the generated deep copies and registration use it)",
    );
}

#[test]
fn api_crate_that_renames_the_runtime() {
    let manifest = "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nrt = { package = \"kube-codegen-runtime\", version = \"0.1\" }\n";
    error(
        &[("Cargo.toml", manifest), (V1, &v1("pub struct Spec {}\n"))],
        "Cargo.toml",
        "{ package = \"kube-codegen-runtime\", version = \"0.1\" }",
        "`kube-codegen-runtime` is renamed to `rt`, but generated code names it `kube_codegen_runtime`",
        "depend on it under its own name",
    );
}

#[test]
fn client_crate_without_the_runtimes_client_feature() {
    let files = with_client_crate("api = { path = \"..\" }\nkube-codegen-runtime = \"0.1\"\n");
    error(
        &borrowed(&files),
        "client/Cargo.toml",
        "\"0.1\"",
        "crate `api_client` depends on `kube-codegen-runtime` without its `client` feature",
        "add `features = [\"client\"]` to this entry",
    );
}

#[test]
fn client_crate_without_the_api_crate() {
    let files = with_client_crate(
        "kube-codegen-runtime = { version = \"0.1\", features = [\"client\"] }\n",
    );
    error(
        &borrowed(&files),
        "client/Cargo.toml",
        "[dependencies]",
        "crate `api_client` does not depend on `api`",
        "add `api = { path = \"..\" }` under `[dependencies]` in client/Cargo.toml",
    );
}

#[test]
fn client_crate_with_complete_dependencies_through_the_workspace() {
    // `workspace = true` inherits the workspace entry's features; the crate's own add to them.
    let mut files =
        with_client_crate("api = { path = \"..\" }\nkube-codegen-runtime = { workspace = true }\n");
    files[0].1.push_str(
        "\n[workspace]\nmembers = [\"client\"]\n\n[workspace.dependencies]\nkube-codegen-runtime = { version = \"0.1\", features = [\"client\"] }\n",
    );
    let dir = crate_with(&borrowed(&files));
    kube_codegen::run(&Options::new(dir.path())).expect("the workspace entry has `client`");

    let mut files =
        with_client_crate("api = { path = \"..\" }\nkube-codegen-runtime = { workspace = true }\n");
    files[0].1.push_str(
        "\n[workspace]\nmembers = [\"client\"]\n\n[workspace.dependencies]\nkube-codegen-runtime = \"0.1\"\n",
    );
    error(
        &borrowed(&files),
        "client/Cargo.toml",
        "{ workspace = true }",
        "crate `api_client` depends on `kube-codegen-runtime` without its `client` feature",
        "add `features = [\"client\"]` to this entry",
    );
}

#[test]
fn clientset_inside_the_api_crate() {
    let manifest = format!("{WITH_CLIENTSET}\n[dependencies]\nkube-codegen-runtime = \"0.1\"\n");
    let lib = "pub mod v1;\npub mod client {\n    #[rustfmt::skip]\n    pub mod clientset;\n}\n";
    // The declaration check looks for `client/src/lib.rs`: give it one inside the API crate.
    error(
        &[
            ("Cargo.toml", &manifest),
            ("src/lib.rs", lib),
            ("client/src/lib.rs", CLIENT_LIB),
            (V1, &kind_with("// +genclient")),
        ],
        "Cargo.toml",
        "\"client/src/clientset.rs\"",
        "the clientset `client/src/clientset.rs` is inside crate `api` itself",
        "write it into a crate of its own that depends on `api`",
    );
}

// ---------------------------------------------------------------------------------------------
// The crate's module tree, not the file walk
// ---------------------------------------------------------------------------------------------

#[test]
fn version_module_that_no_mod_declaration_reaches() {
    // `src/lib.rs` declares only `v1`: `src/v2/` is not compiled, so generating for it would
    // write code that never builds (or is silently ignored).
    let v2 = v1("pub struct Spec {}\n");
    error(
        &[(V1, &v1("pub struct Spec {}\n")), ("src/v2/mod.rs", &v2)],
        "src/v2/mod.rs",
        "+groupName=widgets.example.io",
        "`src/v2/mod.rs` is not part of crate `api`: no `mod` declaration reaches it",
        "declare it with `pub mod v2;` in src/lib.rs, or remove its markers",
    );
}

#[test]
fn marked_file_that_no_mod_declaration_reaches() {
    let types = "// +genclient\npub struct Widget {\n    pub metadata: ObjectMeta,\n}\n";
    error(
        &[
            (V1, &v1("pub struct Spec {}\n")),
            ("src/v1/types.rs", types),
        ],
        "src/v1/types.rs",
        "+genclient",
        "`src/v1/types.rs` is not part of crate `api`: no `mod` declaration reaches it",
        "declare it with `pub mod types;` in src/v1/mod.rs (or src/v1.rs), or remove its markers",
    );
}

#[test]
fn version_module_outside_any_cargo_package() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    write(dir.path(), V1, &v1("pub struct Spec {}\n"));
    let f = run_fails(dir);
    let d = f.only();
    assert_eq!(d.location(), "src/v1/mod.rs:1:4", "{}", f.rendered);
    assert_eq!(
        d.message,
        "`src/v1/mod.rs` is not in a Cargo package of the tree"
    );
}

#[test]
fn module_with_two_files() {
    let lib = "pub mod a;\n";
    let f = fails(&[
        ("src/lib.rs", lib),
        ("src/a/mod.rs", "pub mod v1;\n"),
        ("src/a/v1.rs", &v1("pub struct Spec {}\n")),
        ("src/a/v1/mod.rs", &v1("pub struct Spec {}\n")),
    ]);
    let d = f.only();
    assert_eq!(d.location(), "src/a/mod.rs:1:9", "{}", f.rendered);
    assert_eq!(
        d.message,
        "module `v1` has two files: `src/a/v1.rs` and `src/a/v1/mod.rs`"
    );
    assert!(
        d.help.as_deref().is_some_and(|h| h.contains("E0761")),
        "{d}"
    );
}

#[test]
fn clientset_kind_behind_a_private_module() {
    let lib = "mod stable;\n";
    let f = fails(&[
        ("Cargo.toml", WITH_CLIENTSET),
        ("src/lib.rs", lib),
        ("src/stable/mod.rs", "pub mod v1;\n"),
        ("src/stable/v1/mod.rs", &kind_with("// +genclient")),
        (
            "client/src/lib.rs",
            "#[rustfmt::skip]\npub mod clientset;\n",
        ),
    ]);
    let d = f.only();
    assert_eq!(
        d.message,
        "the clientset cannot name `Widget` (in src/stable/v1/mod.rs): module `stable` is private",
        "{}",
        f.rendered
    );
    assert_eq!(d.path, Path::new("Cargo.toml"));
    assert!(
        d.help
            .as_deref()
            .is_some_and(|h| h.contains("make it `pub mod stable`")),
        "{d}"
    );
}

#[test]
fn group_without_a_rust_name() {
    let text = "// +groupName=1password.example.io\n\n#[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n";
    error(
        &[(V1, text)],
        V1,
        "+groupName=1password.example.io",
        "the group's Rust name `1password` is not an identifier",
        "name it with `// +groupGoName=<Name>`",
    );
}

#[test]
fn invalid_short_name() {
    kind_error(
        "// +genclient\n// +shortNames=wd,W_D",
        "+shortNames=wd,W_D",
        "`W_D` is not a valid short name",
        "short names are lower-case DNS labels",
    );
}

// ---------------------------------------------------------------------------------------------
// Informers
// ---------------------------------------------------------------------------------------------

const WITH_INFORMERS: &str = "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                              [package.metadata.kube-codegen]\nclientset = \"client/src/clientset.rs\"\n\
                              informers = \"client/src/informers.rs\"\n\n\
                              [dependencies]\nkube-codegen-runtime = \"0.1\"\n";
const CLIENT_LIB_WITH_INFORMERS: &str =
    "#[rustfmt::skip]\npub mod clientset;\n#[rustfmt::skip]\npub mod informers;\n";

/// The API crate with a clientset and informers in `client/`, whose crate has `dependencies`.
fn with_informers(dependencies: &str, markers: &str) -> Vec<(&'static str, String)> {
    let client = format!(
        "[package]\nname = \"api-client\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n{dependencies}"
    );
    vec![
        ("Cargo.toml", WITH_INFORMERS.to_owned()),
        ("client/Cargo.toml", client),
        ("client/src/lib.rs", CLIENT_LIB_WITH_INFORMERS.to_owned()),
        (V1, kind_with(markers)),
    ]
}

const INFORMER_DEPENDENCIES: &str = "api = { path = \"..\" }\nkube-codegen-runtime = { version = \"0.1\", features = [\"informer\"] }\n";

#[test]
fn informers_are_generated_when_the_client_crate_has_the_informer_feature() {
    let files = with_informers(INFORMER_DEPENDENCIES, "// +genclient");
    let dir = crate_with(&borrowed(&files));
    kube_codegen::run(&Options::new(dir.path())).expect("complete");
    let informers =
        std::fs::read_to_string(dir.path().join("client/src/informers.rs")).expect("written");
    assert!(
        informers.contains("pub struct InformerFactory"),
        "{informers}"
    );
}

#[test]
fn client_crate_without_the_runtimes_informer_feature() {
    let files = with_informers(
        "api = { path = \"..\" }\nkube-codegen-runtime = { version = \"0.1\", features = [\"client\"] }\n",
        "// +genclient",
    );
    error(
        &borrowed(&files),
        "client/Cargo.toml",
        "{ version = \"0.1\", features = [\"client\"] }",
        "crate `api_client` depends on `kube-codegen-runtime` without its `informer` feature",
        "add `features = [\"informer\"]` to this entry: the generated informers wrap its shared informers and listers",
    );
}

#[test]
fn client_crate_without_the_runtime_is_told_once_with_the_informer_feature() {
    let files = with_informers("api = { path = \"..\" }\n", "// +genclient");
    error(
        &borrowed(&files),
        "client/Cargo.toml",
        "[dependencies]",
        "crate `api_client` does not depend on `kube-codegen-runtime`",
        "add `kube-codegen-runtime = { version = \"0.1.0\", features = [\"informer\"] }` under `[dependencies]`",
    );
}

#[test]
fn informers_configured_for_kinds_that_cannot_be_watched() {
    let files = with_informers(
        INFORMER_DEPENDENCIES,
        "// +genclient\n// +genclient:onlyVerbs=get,list",
    );
    error(
        &borrowed(&files),
        "Cargo.toml",
        "\"client/src/informers.rs\"",
        "`informers` is configured, but crate `api` has no `+genclient` kinds with both the list and watch verbs",
        "remove the `informers` setting",
    );
}

#[test]
fn informers_and_clientset_naming_one_file() {
    let manifest = WITH_INFORMERS.replace("client/src/informers.rs", "client/src/clientset.rs");
    let mut files = with_informers(INFORMER_DEPENDENCIES, "// +genclient");
    files[0].1 = manifest;
    error_nth(
        &borrowed(&files),
        "Cargo.toml",
        ("\"client/src/clientset.rs\"", 2),
        "`informers` names the same file as `clientset`",
        "give the informers a file of their own",
    );
}

#[test]
fn informers_module_that_is_not_declared() {
    let mut files = with_informers(INFORMER_DEPENDENCIES, "// +genclient");
    files[2].1 = CLIENT_LIB.to_owned();
    error(
        &borrowed(&files),
        "Cargo.toml",
        "\"client/src/informers.rs\"",
        "the informers module is not declared",
        "add `#[rustfmt::skip] pub mod informers;` to client/src/lib.rs",
    );
}

#[test]
fn kinds_whose_generated_listers_would_share_a_name() {
    // `Widget`'s namespace lister and the lister of a kind `WidgetNamespace` are both
    // `WidgetNamespaceLister`.
    let body = format!(
        "// +genclient\n{KIND}\n// +genclient\n// +genclient:nonNamespaced\n{}",
        KIND.replace("Widget", "WidgetNamespace")
    );
    let f = fails(&[(V1, &v1(&body))]);
    let d = f.only().clone();
    assert_eq!(
        d.message,
        "kinds `Widget` and `WidgetNamespace` would both generate a type `WidgetNamespaceLister`"
    );
    assert!(
        d.help
            .as_deref()
            .unwrap_or_default()
            .contains("rename one of them")
    );
}

// ---------------------------------------------------------------------------------------------
// Cluster-aware (kcp) files
// ---------------------------------------------------------------------------------------------

/// `with_informers`, plus `cluster-aware = true` and the cluster-aware modules declared.
fn cluster_aware(dependencies: &str) -> Vec<(&'static str, String)> {
    let mut files = with_informers(dependencies, "// +genclient");
    files[0].1 = WITH_INFORMERS.replace(
        "informers = \"client/src/informers.rs\"\n",
        "informers = \"client/src/informers.rs\"\ncluster-aware = true\n",
    );
    files[2].1 = format!(
        "{CLIENT_LIB_WITH_INFORMERS}#[rustfmt::skip]\npub mod cluster_clientset;\n#[rustfmt::skip]\npub mod cluster_informers;\n"
    );
    files
}

#[test]
fn cluster_aware_writes_both_siblings() {
    let files = cluster_aware(INFORMER_DEPENDENCIES);
    let dir = crate_with(&borrowed(&files));
    kube_codegen::run(&Options::new(dir.path())).expect("complete");
    let read = |rel: &str| std::fs::read_to_string(dir.path().join(rel)).expect("written");
    let clientset = read("client/src/cluster_clientset.rs");
    assert!(
        clientset
            .contains("pub fn cluster(&self, path: &ClusterPath) -> super::clientset::Clientset"),
        "{clientset}"
    );
    let informers = read("client/src/cluster_informers.rs");
    assert!(
        informers.contains("-> super::informers::InformerFactory"),
        "{informers}"
    );
}

#[test]
fn cluster_aware_without_a_clientset_or_informers() {
    let manifest = "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                    [package.metadata.kube-codegen]\ncluster-aware = true\n\n\
                    [dependencies]\nkube-codegen-runtime = \"0.1\"\n";
    error(
        &[("Cargo.toml", manifest), (V1, &kind_with("// +genclient"))],
        "Cargo.toml",
        "true",
        "`cluster-aware = true` without a `clientset` or `informers` to make cluster-aware",
        "add `clientset = ",
    );
}

#[test]
fn cluster_aware_that_is_not_a_boolean() {
    let mut files = cluster_aware(INFORMER_DEPENDENCIES);
    files[0].1 = files[0]
        .1
        .replace("cluster-aware = true", "cluster-aware = \"yes\"");
    let f = fails(&borrowed(&files));
    let d = f.only();
    assert!(
        d.message
            .starts_with("invalid `[package.metadata.kube-codegen]`"),
        "{d}"
    );
    assert!(d.message.contains("bool"), "{d}");
    assert_eq!(d.path, Path::new("Cargo.toml"));
}

#[test]
fn cluster_aware_modules_that_are_not_declared() {
    let mut files = cluster_aware(INFORMER_DEPENDENCIES);
    files[2].1 = CLIENT_LIB_WITH_INFORMERS.to_owned();
    let f = fails(&borrowed(&files));
    let messages: Vec<(&str, Option<&str>)> = f
        .diagnostics
        .iter()
        .map(|d| (d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "the cluster-aware clientset module is not declared",
                Some("add `#[rustfmt::skip] pub mod cluster_clientset;` to client/src/lib.rs")
            ),
            (
                "the cluster-aware informers module is not declared",
                Some("add `#[rustfmt::skip] pub mod cluster_informers;` to client/src/lib.rs")
            ),
        ]
    );
}

#[test]
fn cluster_aware_sibling_landing_on_another_generated_file() {
    // The cluster-aware clientset goes to `client/src/cluster_clientset.rs`, where the
    // informers are configured.
    let mut files = cluster_aware(INFORMER_DEPENDENCIES);
    files[0].1 = files[0]
        .1
        .replace("client/src/informers.rs", "client/src/cluster_clientset.rs");
    error(
        &borrowed(&files),
        "Cargo.toml",
        "true",
        "the cluster-aware clientset would be written to `cluster_clientset.rs`, the file of the informers",
        "`cluster-aware` writes `cluster_<name>.rs` beside the clientset and the informers",
    );
}

// ---------------------------------------------------------------------------------------------
// API lifecycle (`+k8s:prerelease-lifecycle-gen`) and the target release
// ---------------------------------------------------------------------------------------------

const BETA: &str = "src/v1beta1/mod.rs";

/// A `v1beta1` module with the lifecycle package marker, `markers` above [`KIND`].
fn beta_with(markers: &str) -> String {
    format!(
        "// +groupName=widgets.example.io\n// +k8s:deepcopy-gen=package\n// +k8s:prerelease-lifecycle-gen=true\n\n#[rustfmt::skip]\nmod zz_generated;\npub use zz_generated::*;\n\n{markers}\n{KIND}"
    )
}

fn beta_error(markers: &str, underlined: &str, message: &str, help: &str) -> Failure {
    let text = beta_with(markers);
    error(
        &[("src/lib.rs", "pub mod v1beta1;\n"), (BETA, &text)],
        BETA,
        underlined,
        message,
        help,
    )
}

#[test]
fn misspelt_lifecycle_marker_suggests_the_known_one() {
    beta_error(
        "// +genclient\n// +k8s:prerelease-lifecycle-gen:introduce=1.26",
        "+k8s:prerelease-lifecycle-gen:introduce=1.26",
        "unknown marker `+k8s:prerelease-lifecycle-gen:introduce`",
        "did you mean `+k8s:prerelease-lifecycle-gen:introduced`?",
    );
}

#[test]
fn prerelease_kind_without_introduced() {
    beta_error(
        "// +genclient",
        "+genclient",
        "`Widget` is in the prerelease version `v1beta1` but has no `+k8s:prerelease-lifecycle-gen:introduced`",
        "add `// +k8s:prerelease-lifecycle-gen:introduced=<release>`",
    );
}

#[test]
fn malformed_release() {
    beta_error(
        "// +genclient\n// +k8s:prerelease-lifecycle-gen:introduced=1.x",
        "+k8s:prerelease-lifecycle-gen:introduced=1.x",
        "`1.x` is not a Kubernetes release",
        "write the minor release as `<major>.<minor>`",
    );
}

#[test]
fn removed_before_deprecated() {
    beta_error(
        "// +genclient\n// +k8s:prerelease-lifecycle-gen:introduced=1.26\n// +k8s:prerelease-lifecycle-gen:removed=1.28",
        "+k8s:prerelease-lifecycle-gen:removed=1.28",
        "`Widget` is removed in 1.28, before it is deprecated in 1.29",
        "remove it in 1.29 or later",
    );
}

#[test]
fn deprecated_before_introduced() {
    beta_error(
        "// +genclient\n// +k8s:prerelease-lifecycle-gen:introduced=1.26\n// +k8s:prerelease-lifecycle-gen:deprecated=1.25",
        "+k8s:prerelease-lifecycle-gen:deprecated=1.25",
        "`Widget` is deprecated in 1.25, before it was introduced in 1.26",
        "deprecate it in the release it was introduced or later",
    );
}

#[test]
fn replacement_naming_a_kind_the_tree_lacks() {
    beta_error(
        "// +genclient\n// +k8s:prerelease-lifecycle-gen:introduced=1.26\n// +k8s:prerelease-lifecycle-gen:replacement=widgets.example.io,v1,Widget",
        "+k8s:prerelease-lifecycle-gen:replacement=widgets.example.io,v1,Widget",
        "the replacement widgets.example.io/v1 Widget is not a kind of this tree",
        "the group `widgets.example.io` serves widgets.example.io,v1beta1,Widget",
    );
}

#[test]
fn malformed_replacement() {
    beta_error(
        "// +genclient\n// +k8s:prerelease-lifecycle-gen:introduced=1.26\n// +k8s:prerelease-lifecycle-gen:replacement=widgets.example.io/v1/Widget",
        "+k8s:prerelease-lifecycle-gen:replacement=widgets.example.io/v1/Widget",
        "`widgets.example.io/v1/Widget` is not `<group>,<version>,<Kind>` (it has 1 part)",
        "write it as `+k8s:prerelease-lifecycle-gen:replacement=widgets.example.io,v1,Widget`",
    );
}

#[test]
fn lifecycle_markers_without_the_package_marker() {
    kind_error(
        "// +genclient\n// +k8s:prerelease-lifecycle-gen:introduced=1.26",
        "+k8s:prerelease-lifecycle-gen:introduced=1.26",
        "`+k8s:prerelease-lifecycle-gen:introduced` needs `+k8s:prerelease-lifecycle-gen=true` on the package",
        "add `// +k8s:prerelease-lifecycle-gen=true` above the first item of the version module",
    );
}

#[test]
fn lifecycle_markers_on_a_type_that_is_no_kind() {
    beta_error(
        "// +k8s:prerelease-lifecycle-gen:introduced=1.26",
        "+k8s:prerelease-lifecycle-gen:introduced=1.26",
        "`+k8s:prerelease-lifecycle-gen:introduced` needs `+genclient` on the same type",
        "",
    );
}

#[test]
fn malformed_workspace_kube_release() {
    let manifest = format!(
        "{API_MANIFEST}\n[workspace]\n\n[workspace.metadata.kube-codegen]\nkube-release = \"v1.32\"\n"
    );
    error(
        &[("Cargo.toml", &manifest), (V1, &kind_with("// +genclient"))],
        "Cargo.toml",
        "\"v1.32\"",
        "`v1.32` is not a Kubernetes release",
        "write the minor release as `kube-release = \"1.32\"`",
    );
}

#[test]
fn malformed_kube_release_flag() {
    let dir = crate_with(&[(V1, &kind_with("// +genclient"))]);
    let Err(Error::User(errors)) = kube_codegen::run(&Options::new(dir.path()).kube_release("1"))
    else {
        panic!("a user error");
    };
    assert_eq!(
        errors.diagnostics[0].message,
        "`1` is not a Kubernetes release"
    );
}

/// An API crate with a GA `v1` (no lifecycle needed) and a `v1beta1` deprecated in 1.29 and
/// removed in 1.32, a clientset and informers in `client/`.
fn lifecycle_tree() -> Vec<(&'static str, String)> {
    let mut files = with_informers(INFORMER_DEPENDENCIES, "// +genclient");
    files[0].1 = files[0]
        .1
        .replace("[dependencies]", "[workspace]\n\n[dependencies]");
    files.push(("src/lib.rs", "pub mod v1;\npub mod v1beta1;\n".to_owned()));
    files.push((
        BETA,
        beta_with(
            "// +genclient\n// +k8s:prerelease-lifecycle-gen:introduced=1.26\n// +k8s:prerelease-lifecycle-gen:replacement=widgets.example.io,v1,Widget",
        ),
    ));
    files
}

fn generate_for(dir: &TempDir, release: Option<&str>) -> kube_codegen::Report {
    let mut options = Options::new(dir.path());
    options.kube_release = release.map(str::to_owned);
    kube_codegen::run(&options).expect("complete")
}

#[test]
fn a_target_release_leaves_removed_versions_out_and_brings_them_back_when_lowered() {
    let files = lifecycle_tree();
    let dir = crate_with(&borrowed(&files));
    let read = |rel: &str| std::fs::read_to_string(dir.path().join(rel)).expect("generated");

    // Before its removal: served, deprecated from 1.29 on.
    let report = generate_for(&dir, Some("1.31"));
    assert!(report.left_out.is_empty(), "{:?}", report.left_out);
    let registration = read("src/v1beta1/zz_generated.rs");
    assert!(registration.contains("kind: \"Widget\""), "{registration}");
    assert!(
        registration.contains("impl ::kube_codegen_runtime::lifecycle::ApiLifecycle for Widget")
    );
    assert!(
        registration.contains("KubeRelease::new(1, 32)"),
        "removed defaults to 1.29 + 3"
    );
    let clientset = read("client/src/clientset.rs");
    assert!(
        clientset.contains("pub fn v1beta1_widgets")
            || clientset.contains("pub mod widgets_v1beta1"),
        "{clientset}"
    );
    assert!(
        clientset.contains("note = \"widgets.example.io/v1beta1 Widget is deprecated in 1.29, use widgets.example.io/v1 Widget\""),
        "{clientset}"
    );
    assert!(read("client/src/informers.rs").contains("pub mod widgets_v1beta1"));

    // At its removal: left out of registration, clientset and informers; the type and its
    // deep copy and lifecycle stay.
    let report = generate_for(&dir, Some("1.32"));
    assert_eq!(
        report.left_out,
        ["left out widgets.example.io/v1beta1 Widget: removed in 1.32"]
    );
    let registration = read("src/v1beta1/zz_generated.rs");
    assert!(
        registration
            .contains("pub const RESOURCES: &[::kube_codegen_runtime::ResourceInfo] = &[];"),
        "{registration}"
    );
    assert!(registration.contains("impl Clone for Widget"));
    assert!(registration.contains("ApiLifecycle for Widget"));
    assert!(!read("client/src/clientset.rs").contains("widgets_v1beta1"));
    assert!(!read("client/src/informers.rs").contains("widgets_v1beta1"));
    assert!(read("client/src/clientset.rs").contains("pub mod widgets_v1"));
    // Reported again by the next run (not answered from the record without it).
    assert_eq!(generate_for(&dir, Some("1.32")).left_out.len(), 1);

    // Lowered again (or no target at all): back, and without a deprecation.
    generate_for(&dir, Some("1.28"));
    let clientset = read("client/src/clientset.rs");
    assert!(clientset.contains("pub mod widgets_v1beta1"));
    assert!(!clientset.contains("#[deprecated"), "{clientset}");
    generate_for(&dir, None);
    assert!(read("client/src/clientset.rs").contains("pub mod widgets_v1beta1"));
    assert!(read("src/v1beta1/zz_generated.rs").contains("kind: \"Widget\""));
}

#[test]
fn the_workspace_target_release_applies_and_the_flag_overrides_it() {
    let mut files = lifecycle_tree();
    files[0].1 = files[0].1.replace(
        "[workspace]\n",
        "[workspace]\n\n[workspace.metadata.kube-codegen]\nkube-release = \"1.32\"\n",
    );
    let dir = crate_with(&borrowed(&files));
    assert_eq!(generate_for(&dir, None).left_out.len(), 1);
    assert!(generate_for(&dir, Some("1.30")).left_out.is_empty());
}

// ---------------------------------------------------------------------------------------------
// CustomResourceDefinitions (`crds = "crds/"`)
// ---------------------------------------------------------------------------------------------

/// The API crate's manifest asking for CRDs.
fn crd_manifest(setting: &str) -> String {
    format!("{API_MANIFEST}\n[package.metadata.kube-codegen]\ncrds = \"{setting}\"\n")
}

/// A version module with a `+genclient` kind whose spec has `fields` (and `extra` items).
fn crd_module(fields: &str, extra: &str) -> String {
    v1(&format!(
        "use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;\n\
         use serde::{{Deserialize, Serialize}};\n\
         \n\
         // +genclient\n\
         pub struct Widget {{\n    pub metadata: ObjectMeta,\n    pub spec: WidgetSpec,\n}}\n\
         \n\
         #[derive(Serialize, Deserialize)]\n\
         #[serde(rename_all = \"camelCase\")]\n\
         pub struct WidgetSpec {{\n{fields}}}\n{extra}"
    ))
}

/// A spec with `fields` fails with one error, underlining `underlined` in the version module.
fn crd_error(fields: &str, underlined: &str, message: &str, help: &str) -> Failure {
    let manifest = crd_manifest("crds/");
    let module = crd_module(fields, "");
    error(
        &[("Cargo.toml", &manifest), (V1, &module)],
        V1,
        underlined,
        message,
        help,
    )
}

#[test]
fn crd_misspelt_marker_suggests_the_known_one() {
    crd_error(
        "    // +kubebuilder:validation:Minimun=0\n    pub replicas: i32,\n",
        "+kubebuilder:validation:Minimun=0",
        "unknown CRD marker `+kubebuilder:validation:Minimun`",
        "did you mean `+kubebuilder:validation:Minimum`?",
    );
}

#[test]
fn crd_marker_on_the_wrong_type() {
    crd_error(
        "    // +kubebuilder:validation:Minimum=0\n    pub name: String,\n",
        "+kubebuilder:validation:Minimum=0",
        "`+kubebuilder:validation:Minimum` applies to numbers, but `spec.name` is a string",
        "move the marker to a field of that type",
    );
}

#[test]
fn crd_recursive_type() {
    crd_error(
        "    #[serde(default)]\n    pub inner: Option<Box<WidgetSpec>>,\n",
        "inner",
        "`spec.inner` makes the schema recursive (WidgetSpec → WidgetSpec): structural schemas cannot recurse",
        "+kubebuilder:validation:Schemaless",
    );
}

#[test]
fn crd_unique_items_is_refused_as_kubernetes_refuses_it() {
    crd_error(
        "    // +kubebuilder:validation:UniqueItems=true\n    pub tags: Vec<String>,\n",
        "+kubebuilder:validation:UniqueItems=true",
        "`spec.tags`: Kubernetes rejects `uniqueItems: true` in CRD schemas (its cost is quadratic)",
        "+listType=set",
    );
}

#[test]
fn crd_list_map_without_keys() {
    crd_error(
        "    // +listType=map\n    pub parts: Vec<Part>,\n}\n#[derive(Serialize, Deserialize)]\npub struct Part {\n    pub name: String,\n",
        "+listType=map",
        "`spec.parts` is a `+listType=map` without keys",
        "+listMapKey=<field>",
    );
}

#[test]
fn crd_optional_field_that_serde_requires() {
    crd_error(
        "    // +optional\n    pub size: i32,\n",
        "size",
        "`spec.size` is marked `+optional`, but serde cannot read an object without it",
        "#[serde(default)]",
    );
}

#[test]
fn crd_type_without_a_known_schema() {
    crd_error(
        "    pub pod: k8s_openapi::api::core::v1::PodSpec,\n",
        "pod",
        "`spec.pod`: no schema is known for `k8s_openapi::api::core::v1::PodSpec`",
        "+kubebuilder:pruning:PreserveUnknownFields",
    );
}

#[test]
fn crd_default_the_field_does_not_accept() {
    crd_error(
        "    // +kubebuilder:validation:Minimum=1\n    // +kubebuilder:default=0\n    #[serde(default)]\n    pub replicas: i32,\n",
        "+kubebuilder:default=0",
        "`+kubebuilder:default`: the default `0` is not valid for `spec.replicas`: it is below the minimum",
        "write a default that is an integer",
    );
}

#[test]
fn crd_schemaless_field_without_a_type_is_not_structural() {
    crd_error(
        "    // +kubebuilder:validation:Schemaless\n    pub blob: String,\n",
        "blob",
        "the schema of `spec.blob` is not structural: it has no type",
        "+kubebuilder:pruning:PreserveUnknownFields",
    );
}

#[test]
fn crd_setting_that_is_not_a_directory() {
    let manifest = crd_manifest("crds.yaml");
    let module = crd_module("    pub name: String,\n", "");
    error(
        &[("Cargo.toml", &manifest), (V1, &module)],
        "Cargo.toml",
        "\"crds.yaml\"",
        "`crds = \"crds.yaml\"` does not name a directory",
        "crds = \"crds/\"",
    );
}

#[test]
fn crd_storage_version_must_be_chosen() {
    let manifest = crd_manifest("crds/");
    let lib = "pub mod v1;\npub mod v2;\n";
    let module = crd_module("    pub name: String,\n", "");
    let f = fails(&[
        ("Cargo.toml", &manifest),
        ("src/lib.rs", lib),
        (V1, &module),
        ("src/v2/mod.rs", &module),
    ]);
    let d = f.only().clone();
    check(
        &f,
        &d,
        "src/v2/mod.rs",
        ("Widget", 1),
        "`Widget` of widgets.example.io has 2 versions (v2, v1) and none is marked as the storage version",
        "+kubebuilder:storageversion",
    );
}

#[test]
fn crds_are_written_and_stale_ones_deleted() {
    let manifest = crd_manifest("crds/");
    let module = crd_module("    pub name: String,\n", "");
    let dir = crate_with(&[("Cargo.toml", &manifest), (V1, &module)]);
    kube_codegen::run(&Options::new(dir.path())).expect("a valid crate");
    let crd = dir.path().join("crds/widgets.example.io_widgets.yaml");
    let text = std::fs::read_to_string(&crd).expect("the CRD is written");
    assert!(
        text.starts_with(kube_codegen::normalize::YAML_HEADER),
        "{text}"
    );
    assert!(text.contains("name: widgets.widgets.example.io"), "{text}");
    // Without the setting, the CRD is the tool's own stale output: deleted.
    write(dir.path(), "Cargo.toml", API_MANIFEST);
    let report = kube_codegen::run(&Options::new(dir.path())).expect("a valid crate");
    assert!(!crd.exists(), "stale CRD kept: {}", report.summary());
}

#[test]
fn crd_marker_above_something_else() {
    let manifest = crd_manifest("crds/");
    let module = crd_module(
        "    pub name: String,\n",
        "\n// +kubebuilder:validation:Minimum=0\npub fn helper() {}\n",
    );
    error(
        &[("Cargo.toml", &manifest), (V1, &module)],
        V1,
        "+kubebuilder:validation:Minimum=0",
        "`+kubebuilder:validation:Minimum` is not above a type or a field",
        "directly above the struct, enum or field",
    );
}

#[test]
fn crd_generic_type_that_grows_without_end() {
    crd_error(
        "    pub tree: Tree<u8>,\n}\n#[derive(Serialize, Deserialize)]\npub struct Tree<T> {\n    pub value: T,\n    #[serde(default)]\n    pub children: Vec<Tree<Vec<T>>>,\n",
        "children",
        "`spec.tree.children.children.children.children.children.children.children.children.children.children.children.children.children.children.children.children` makes the schema recursive (`Tree` holds itself with ever larger generic arguments): structural schemas cannot recurse",
        "break the cycle",
    );
}

#[test]
fn crd_printer_column_of_a_field_that_does_not_exist() {
    let manifest = crd_manifest("crds/");
    let module = crd_module("    pub name: String,\n", "").replace(
        "// +genclient\n",
        "// +genclient\n// +kubebuilder:printcolumn:name=Size,type=integer,JSONPath=.spec.size\n",
    );
    error(
        &[("Cargo.toml", &manifest), (V1, &module)],
        V1,
        "+kubebuilder:printcolumn:name=Size,type=integer,JSONPath=.spec.size",
        "printer column `Size`: `.spec.size` is not a field of `Widget`",
        "e.g. `.spec.size`",
    );
}

#[test]
fn crd_cel_rule_that_does_not_parse() {
    crd_error(
        "    // +kubebuilder:validation:XValidation:rule=\"self.min <=\",message=\"m\"\n    pub range: std::collections::BTreeMap<String, i32>,\n",
        "+kubebuilder:validation:XValidation:rule=\"self.min <=\",message=\"m\"",
        "`+kubebuilder:validation:XValidation`: the rule `self.min <=` is not CEL: ERROR: <input>:1:12: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",
        "write a CEL expression over `self`",
    );
}
