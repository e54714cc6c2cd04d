//! What the generated (de)serialization of a kind needs at run time.

/// Checks the `apiVersion` and `kind` a kind's JSON carries against the kind's own. Either may be
/// absent (a body built by hand, as kube-apiserver accepts on typed URLs); a present one must
/// match, so a `Pod` is never read as a `Widget`.
pub fn check_type_meta<E: serde::de::Error>(
    api_version: Option<&str>,
    kind: Option<&str>,
    expected_api_version: &str,
    expected_kind: &str,
) -> Result<(), E> {
    if let Some(found) = kind
        && found != expected_kind
    {
        return Err(E::custom(format_args!(
            "expected kind `{expected_kind}` ({expected_api_version}), found kind `{found}`"
        )));
    }
    if let Some(found) = api_version
        && found != expected_api_version
    {
        return Err(E::custom(format_args!(
            "expected apiVersion `{expected_api_version}` for kind `{expected_kind}`, found `{found}`"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_type_meta;

    type Error = serde::de::value::Error;

    #[test]
    fn absent_or_matching_type_meta_is_accepted() {
        for (api_version, kind) in [
            (None, None),
            (Some("a.io/v1"), None),
            (None, Some("Widget")),
            (Some("a.io/v1"), Some("Widget")),
        ] {
            assert!(check_type_meta::<Error>(api_version, kind, "a.io/v1", "Widget").is_ok());
        }
    }

    #[test]
    fn another_kind_or_version_is_rejected_naming_both() {
        let e = check_type_meta::<Error>(Some("v1"), Some("Pod"), "a.io/v1", "Widget")
            .expect_err("a Pod is not a Widget");
        assert_eq!(
            e.to_string(),
            "expected kind `Widget` (a.io/v1), found kind `Pod`"
        );
        let e = check_type_meta::<Error>(Some("a.io/v2"), Some("Widget"), "a.io/v1", "Widget")
            .expect_err("another version");
        assert_eq!(
            e.to_string(),
            "expected apiVersion `a.io/v1` for kind `Widget`, found `a.io/v2`"
        );
    }
}
