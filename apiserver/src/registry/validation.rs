//! Validation of object metadata, worded as kube-apiserver's apimachinery validation words it.

use crate::status::FieldError;

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric())
}

/// RFC 1123 subdomain check (object names of custom resources), as a field error.
pub(crate) fn validate_subdomain(field: &str, name: &str) -> Option<FieldError> {
    let ok = !name.is_empty() && name.len() <= 253 && name.split('.').all(is_dns_label);
    (!ok).then(|| {
        FieldError::invalid(
            field,
            name,
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        )
    })
}

/// RFC 1123 label check (namespace names), as a field error.
pub(crate) fn validate_label(field: &str, name: &str) -> Option<FieldError> {
    (!is_dns_label(name)).then(|| {
        FieldError::invalid(
            field,
            name,
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_validated() {
        assert!(validate_subdomain("metadata.name", "a.b-c").is_none());
        assert!(validate_subdomain("metadata.name", "Upper").is_some());
        assert!(validate_label("metadata.name", "a.b").is_some());
    }
}
