//! CRD manifests from files, for [`crate::ApiServerBuilder::crds_from_dir`]: every
//! `*.yaml`, `*.yml` and `*.json` file of a directory, YAML files possibly holding several
//! documents, each one checked as the server checks a CRD it is sent.

use std::fmt;
use std::path::{Path, PathBuf};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use serde_json::Value;

use super::validate;

/// Why CRD manifests could not be loaded: the file (when one is at fault), which document of
/// it (1-based, for multi-document YAML), and what is wrong.
#[derive(Debug)]
pub struct CrdError {
    path: Option<PathBuf>,
    document: Option<usize>,
    message: String,
}

impl CrdError {
    fn in_file(path: &Path, document: Option<usize>, message: impl Into<String>) -> Self {
        CrdError {
            path: Some(path.to_owned()),
            document,
            message: message.into(),
        }
    }

    /// `again` repeats the CRD `first` defined: the error is `again`'s file's.
    pub(crate) fn duplicate(name: &str, first: &LoadedCrd, again: &LoadedCrd) -> Self {
        CrdError {
            path: again.path.clone(),
            document: again.document,
            message: format!(
                "CustomResourceDefinition {name:?} is already defined by {}",
                first.origin
            ),
        }
    }

    /// The file at fault, if a file is.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The 1-based document of a multi-document file at fault, if one is.
    pub fn document(&self) -> Option<usize> {
        self.document
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CrdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}: ", path.display())?;
        }
        if let Some(document) = self.document {
            write!(f, "document {document}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for CrdError {}

/// One CRD checked for the server: its JSON form, and where it came from (for messages).
#[derive(Clone, Debug)]
pub(crate) struct LoadedCrd {
    pub object: Value,
    pub origin: String,
    /// The file and document it was read from, if any.
    pub path: Option<PathBuf>,
    pub document: Option<usize>,
}

/// The JSON form of a parsed CRD, checked as a create would check it.
pub(crate) fn from_typed(crd: &CustomResourceDefinition) -> Result<LoadedCrd, CrdError> {
    let object = serde_json::to_value(crd).map_err(|e| CrdError {
        path: None,
        document: None,
        message: e.to_string(),
    })?;
    let name = crd.metadata.name.clone().unwrap_or_default();
    check(object, &format!("CustomResourceDefinition {name:?}")).map_err(|message| CrdError {
        path: None,
        document: None,
        message,
    })
}

/// Every CRD in the directory's manifests, files in name order (not recursive).
pub(crate) fn from_dir(dir: &Path) -> Result<Vec<LoadedCrd>, CrdError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CrdError::in_file(dir, None, format!("cannot read the directory: {e}")))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry
            .map_err(|e| CrdError::in_file(dir, None, format!("cannot read the directory: {e}")))?;
        let path = entry.path();
        let manifest = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"));
        if manifest && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        out.extend(from_file(&path)?);
    }
    Ok(out)
}

/// The CRDs of one manifest file.
pub(crate) fn from_file(path: &Path) -> Result<Vec<LoadedCrd>, CrdError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CrdError::in_file(path, None, format!("cannot read the file: {e}")))?;
    let documents: Vec<Value> = if path.extension().is_some_and(|e| e == "json") {
        vec![
            serde_json::from_str(&text)
                .map_err(|e| CrdError::in_file(path, None, e.to_string()))?,
        ]
    } else {
        serde_saphyr::from_multiple(&text)
            .map_err(|e| CrdError::in_file(path, None, format!("invalid YAML: {e}")))?
    };
    let mut out = Vec::new();
    for (i, document) in documents.into_iter().enumerate() {
        if document.is_null() {
            continue;
        }
        let number = Some(i + 1);
        let origin = format!("{} (document {})", path.display(), i + 1);
        let mut loaded =
            check(document, &origin).map_err(|m| CrdError::in_file(path, number, m))?;
        loaded.path = Some(path.to_owned());
        loaded.document = number;
        out.push(loaded);
    }
    Ok(out)
}

/// `document` as the server would store it, or why the server would refuse it.
fn check(mut document: Value, origin: &str) -> Result<LoadedCrd, String> {
    let api_version = document
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = document.get("kind").and_then(Value::as_str).unwrap_or("");
    let expected = format!("{}/{}", super::GROUP, super::VERSION);
    if api_version != expected || kind != super::KIND {
        return Err(format!(
            "not a {expected} {} (apiVersion {api_version:?}, kind {kind:?})",
            super::KIND
        ));
    }
    validate::default(&mut document);
    let errors = validate::validate(&document);
    if !errors.is_empty() {
        let causes: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        return Err(format!(
            "invalid CustomResourceDefinition: {}",
            causes.join("; ")
        ));
    }
    if document
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .is_empty()
    {
        return Err("invalid CustomResourceDefinition: metadata.name: Required value".to_owned());
    }
    Ok(LoadedCrd {
        object: document,
        origin: origin.to_owned(),
        path: None,
        document: None,
    })
}
