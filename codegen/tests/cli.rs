//! The `kube-codegen` binary end to end, as an installed tool is run: on a temporary tree,
//! from inside it or naming it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kube_codegen(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kube-codegen"))
        .args(args)
        .current_dir(dir)
        // The run record goes to `<root>/target/` then, inside the temporary tree.
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("the kube-codegen binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const TYPES: &str = "\
// +groupName=apps.example.com
// +k8s:deepcopy-gen=package

#[rustfmt::skip]
mod zz_generated;
pub use zz_generated::*;

pub struct AppSpec {
    pub image: String,
}
";

/// A workspace whose member `api` has one API package, `api/src/apps/v1`.
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let module = root.join("api/src/apps/v1");
    std::fs::create_dir_all(&module).expect("create module dir");
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"api\"]\n"),
        (
            "api/Cargo.toml",
            "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nkube-codegen-runtime = \"0.1\"\n",
        ),
        ("api/src/lib.rs", "pub mod apps;\n"),
        ("api/src/apps/mod.rs", "pub mod v1;\n"),
        ("api/src/apps/v1/mod.rs", TYPES),
    ];
    for (path, contents) in files {
        std::fs::write(root.join(path), contents).expect("write the tree");
    }
    (dir, module)
}

#[test]
fn codegen_with_a_named_root_writes_then_checks() {
    let (dir, module) = workspace();
    let out = kube_codegen(&["codegen", "--root", "."], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("codegen: 1 written, 0 unchanged, 0 deleted in "),
        "{}",
        text(&out.stdout)
    );
    let generated = std::fs::read_to_string(module.join("zz_generated.rs")).expect("generated");
    assert!(generated.contains("impl Clone for AppSpec"), "{generated}");

    // A hand edit is drift: the diff on stdout, the fix naming this binary and the root.
    std::fs::write(
        module.join("zz_generated.rs"),
        format!("{generated}// edited by hand\n"),
    )
    .expect("tamper");
    let out = kube_codegen(&["codegen", "--root", ".", "--check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("\n-// edited by hand\n"),
        "{}",
        text(&out.stdout)
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("1 stale, 0 missing, 0 extra"), "{stderr}");
    assert!(
        stderr.contains("run `kube-codegen codegen --root .` and commit the result"),
        "{stderr}"
    );
}

#[test]
fn without_a_root_it_runs_on_the_workspace_around_the_current_directory() {
    let (dir, module) = workspace();
    // From deep inside a member: the workspace root's tree is scanned, not the member's.
    let out = kube_codegen(&["codegen", "--check"], &module);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("missing: api/src/apps/v1/zz_generated.rs"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains("run `kube-codegen codegen` and commit the result"),
        "{}",
        text(&out.stderr)
    );
    let out = kube_codegen(&["codegen"], &dir.path().join("api"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(module.join("zz_generated.rs").is_file());
    let out = kube_codegen(&["codegen", "--check"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).starts_with("codegen --check: 1 files up to date"));
}

#[test]
fn outside_any_workspace_without_a_root_is_an_error_naming_the_flag() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = kube_codegen(&["codegen"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error: no Cargo.toml here or in any parent directory"),
        "{stderr}"
    );
    assert!(stderr.contains("`--root DIR`"), "{stderr}");
}

#[test]
fn user_errors_exit_1_and_write_nothing() {
    let (dir, module) = workspace();
    std::fs::write(
        module.join("mod.rs"),
        TYPES.replace("pub struct", "// +genclient:nonNamespace\npub struct"),
    )
    .expect("write");
    let out = kube_codegen(&["codegen"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--> api/src/apps/v1/mod.rs:8:4"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!module.join("zz_generated.rs").exists());
}

#[test]
fn normalize_defaults_to_the_workspace_and_names_this_binary() {
    let (dir, _) = workspace();
    let generated = dir.path().join("api/src/gen.rs");
    std::fs::write(
        &generated,
        "// Code generated by cargo xtask codegen. DO NOT EDIT.\n// @generated\n#[cfg(not(ignore_autogenerated))]\npub fn f() {}\n",
    )
    .expect("write");
    let out = kube_codegen(&["normalize", "--check"], &dir.path().join("api/src"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("run `kube-codegen normalize` to fix them"),
        "{}",
        text(&out.stderr)
    );
    let out = kube_codegen(&["normalize"], &dir.path().join("api/src"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("rewrote 1"),
        "{}",
        text(&out.stdout)
    );
    let rewritten = std::fs::read_to_string(&generated).expect("read");
    assert!(!rewritten.contains("cfg"), "{rewritten}");
}

#[test]
fn a_bad_command_line_is_clap_s_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = kube_codegen(&["codegen", "--nope"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("Usage: kube-codegen codegen"),
        "{}",
        text(&out.stderr)
    );
}
