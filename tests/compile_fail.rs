//! Removed verbs do not exist: each `ui/*.rs` calls something a `+genclient` marker took away
//! from the golden clientset (`golden/client/src/clientset.rs`) and must fail to compile with
//! exactly the error in its `.stderr` file; `ui/pass_*.rs` uses every verb that is left and must
//! compile and run. The cluster-aware clientset offers only list and watch across clusters
//! (`ui/cluster_wildcard_write.rs`), and accessors of a kind deprecated at the target release
//! warn (`ui/deprecated_accessor.rs`, denied there). Regenerate the expectations with
//! `TRYBUILD=overwrite` and review them.

#[test]
fn removed_verbs_do_not_compile() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass_*.rs");
    // Every other file (none of the compile-fail cases starts with `p`).
    t.compile_fail("ui/[!p]*.rs");
}
