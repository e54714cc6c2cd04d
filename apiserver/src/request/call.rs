//! One resource request after routing: the definition it addresses, its cluster, namespace,
//! name, query and body, with the decoding and presentation rules every verb shares.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use serde_json::Value;

use super::negotiate::Output;
use super::protobuf;
use super::route::ClusterScope;
use super::selector::{FieldSelector, LabelSelector};
use crate::definition::ResourceDefinition;
use crate::meta::{self, CLUSTER_ANNOTATION};
use crate::status::ApiError;

/// A decoded resource request: what every verb's handler reads.
#[derive(Clone, Debug)]
pub(crate) struct Call {
    pub def: ResourceDefinition,
    pub cluster: ClusterScope,
    pub cluster_prefixed: bool,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub subresource: Option<String>,
    pub query: HashMap<String, String>,
    /// Lower-cased media type of the body, without parameters; empty when absent.
    pub content_type: String,
    /// The `User-Agent` header; empty when absent (kube-rs sends none).
    pub user_agent: String,
    pub body: Bytes,
    /// The representation negotiated from `Accept`.
    pub output: Output,
    /// Warnings the handling produced, sent as `Warning: 299` headers.
    pub warnings: Arc<Mutex<Vec<String>>>,
}

impl Call {
    pub(crate) fn param(&self, key: &str) -> Option<&str> {
        self.query.get(key).map(String::as_str)
    }

    pub(crate) fn flag(&self, key: &str) -> bool {
        matches!(self.param(key), Some("true") | Some("1"))
    }

    pub(crate) fn dry_run(&self) -> bool {
        self.param("dryRun").is_some_and(|v| v == "All")
    }

    /// Who a non-apply write is recorded as in managedFields: `fieldManager`, else the
    /// User-Agent's part before its first `/`, printable characters only, at most 128 bytes
    /// (kube-apiserver's `prefixFromUserAgent`: kubectl without `--field-manager` is
    /// `kubectl`, a client with no User-Agent an empty manager).
    pub(crate) fn manager(&self) -> String {
        match self.param("fieldManager").filter(|m| !m.is_empty()) {
            Some(manager) => manager.to_owned(),
            None => {
                let mut prefix = String::new();
                let agent = self.user_agent.split('/').next().unwrap_or("");
                for c in agent.chars().filter(|c| !c.is_control()) {
                    if prefix.len() + c.len_utf8() > 128 {
                        break;
                    }
                    prefix.push(c);
                }
                prefix
            }
        }
    }

    /// The label and field selectors of a list, watch or deletecollection.
    pub(crate) fn filter(&self) -> Result<Filter, ApiError> {
        let labels = LabelSelector::parse(self.param("labelSelector").unwrap_or(""))
            .map_err(|e| ApiError::bad_request(format!("unable to parse requirement: {e}")))?;
        let fields = FieldSelector::parse(self.param("fieldSelector").unwrap_or(""))
            .map_err(ApiError::bad_request)?;
        Ok(Filter { labels, fields })
    }

    /// The one cluster a write goes to; writes through `/clusters/*/` are refused.
    pub(crate) fn write_cluster(&self) -> Result<&str, ApiError> {
        match &self.cluster {
            ClusterScope::One(c) => Ok(c),
            ClusterScope::All => Err(ApiError::method_not_allowed()),
        }
    }

    /// The object as the client sees it: at the requested version and kind, and, when the
    /// request named a logical cluster, with the `kcp.io/cluster` annotation.
    pub(crate) fn present(&self, cluster: &str, stored: &Value) -> Value {
        let mut out = stored.clone();
        // Upstream defaults on read from storage too: objects stored before a default was
        // declared come out with it.
        crate::schema::default_on_read(&self.def, &mut out);
        if let Value::Object(map) = &mut out {
            map.insert(
                "apiVersion".to_owned(),
                Value::String(self.def.api_version()),
            );
            map.insert("kind".to_owned(), Value::String(self.def.kind.clone()));
        }
        if self.cluster_prefixed {
            meta::set_annotation(&mut out, CLUSTER_ANNOTATION, cluster);
        }
        out
    }

    /// Parses the body as JSON (or YAML, by content type) and requires an object.
    pub(crate) fn decode_body(&self) -> Result<Value, ApiError> {
        let value: Value = match self.content_type.as_str() {
            "" | "application/json" | "*/*" => serde_json::from_slice(&self.body).map_err(|e| {
                ApiError::bad_request(format!(
                    "the object provided is unrecognized (must be of type {}): couldn't get version/kind; json parse error: {e}",
                    self.def.kind
                ))
            })?,
            "application/yaml" | "application/apply-patch+yaml" => parse_yaml(&self.body)?,
            protobuf::MEDIA_TYPE if self.def.builtin => protobuf::decode(&self.body)?,
            other => {
                return Err(ApiError::unsupported_media_type(format!(
                    "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got {other})"
                )));
            }
        };
        if !value.is_object() {
            return Err(ApiError::bad_request(format!(
                "the object provided is unrecognized (must be of type {}): body is not a JSON object",
                self.def.kind
            )));
        }
        Ok(value)
    }

    /// The body's `apiVersion` and `kind` must be present and name this resource. A
    /// built-in kind's endpoint fills in what is missing, as upstream's typed decoding
    /// defaults them (the Python client sends neither).
    pub(crate) fn check_type(&self, obj: &mut Value) -> Result<(), ApiError> {
        if self.def.builtin
            && let Value::Object(map) = obj
        {
            for (key, value) in [
                ("apiVersion", self.def.api_version()),
                ("kind", self.def.kind.clone()),
            ] {
                if map
                    .get(key)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .is_empty()
                {
                    map.insert(key.to_owned(), Value::String(value));
                }
            }
        }
        let obj = &*obj;
        let api_version = meta::str_at(obj, "/apiVersion").unwrap_or("");
        let kind = meta::str_at(obj, "/kind").unwrap_or("");
        if kind.is_empty() {
            return Err(ApiError::bad_request(format!(
                "Object 'Kind' is missing in '{obj}'"
            )));
        }
        if api_version.is_empty() {
            return Err(ApiError::bad_request(format!(
                "Object 'apiVersion' is missing in '{obj}'"
            )));
        }
        let expected = self.def.api_version();
        if api_version != expected {
            return Err(ApiError::bad_request(format!(
                "the API version in the data ({api_version}) does not match the expected API version ({expected})"
            )));
        }
        if kind != self.def.kind {
            return Err(ApiError::bad_request(format!(
                "the kind in the data ({kind}) does not match the expected kind ({})",
                self.def.kind
            )));
        }
        Ok(())
    }
}

/// Label and field selectors: which objects a list, watch or deletecollection sees.
#[derive(Clone, Debug)]
pub(crate) struct Filter {
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Filter {
    pub(crate) fn matches(&self, obj: &Value) -> bool {
        self.labels.matches_object(obj) && self.fields.matches_object(obj)
    }
}

/// A `resourceVersion` parameter as a number.
pub(crate) fn parse_resource_version(raw: &str) -> Result<u64, ApiError> {
    raw.parse::<u64>()
        .map_err(|_| ApiError::bad_request(format!("invalid resource version: {raw}")))
}

pub(crate) fn parse_yaml(body: &[u8]) -> Result<Value, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| ApiError::bad_request(format!("body is not UTF-8: {e}")))?;
    // JSON is YAML, and the JSON parser gives better errors for the common case.
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Ok(v);
    }
    serde_saphyr::from_str::<Value>(text)
        .map_err(|e| ApiError::bad_request(format!("error converting YAML to JSON: {e}")))
}
