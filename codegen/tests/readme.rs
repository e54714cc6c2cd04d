//! The README's xtask `main` is the one the `cli` module's doc test compiles.

use std::path::Path;

/// The first ```` ```no_run ```` block of the `cli` module's documentation.
fn doc_test_of_cli() -> String {
    let source =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli/mod.rs"))
            .expect("the cli module's source");
    let mut block = String::new();
    let mut inside = false;
    for line in source.lines().map_while(|l| l.strip_prefix("//!")) {
        let line = line.strip_prefix(' ').unwrap_or(line);
        match (inside, line) {
            (false, "```no_run") => inside = true,
            (true, "```") => return block,
            (true, _) => block += &format!("{line}\n"),
            _ => {}
        }
    }
    panic!("no ```no_run block in the cli module's documentation");
}

#[test]
fn the_readme_shows_the_main_the_doc_test_compiles() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // In the repository the README is the workspace's; `cargo package` copies it beside the
    // manifest.
    let readme = std::fs::read_to_string(manifest.join("../README.md"))
        .or_else(|_| std::fs::read_to_string(manifest.join("README.md")))
        .expect("the README");
    let main = doc_test_of_cli();
    assert!(
        main.contains("kube_codegen::cli::main()"),
        "the doc test is the three-line main: {main}"
    );
    assert!(
        readme.contains(&format!("```rust\n{main}```\n")),
        "the README's adoption section must show exactly:\n{main}"
    );
}
