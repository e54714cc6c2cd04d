//! Content negotiation: which representation the `Accept` header asks for, and whether this
//! request can have it. kube-apiserver serves an object as itself (JSON, YAML, protobuf), as a
//! `meta.k8s.io` `Table` (what `kubectl get` prints), or as `PartialObjectMetadata` /
//! `PartialObjectMetadataList` (metadata only: metadata informers, kube's
//! `Api::list_metadata` and `metadata_watcher`). What no listed type can produce is 406.

use crate::faults::Verb;
use crate::status::ApiError;

/// The `meta.k8s.io` version a Table or partial metadata is served in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MetaVersion {
    V1,
    V1beta1,
}

impl MetaVersion {
    pub(crate) fn api_version(self) -> &'static str {
        match self {
            MetaVersion::V1 => "meta.k8s.io/v1",
            MetaVersion::V1beta1 => "meta.k8s.io/v1beta1",
        }
    }
}

/// How a response is rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Output {
    Json,
    Yaml,
    Protobuf,
    Table(MetaVersion),
    /// One object's metadata (get, and each event of a watch).
    PartialObjectMetadata(MetaVersion),
    /// A list's items' metadata.
    PartialObjectMetadataList(MetaVersion),
}

/// One entry of an `Accept` header.
#[derive(Clone, Debug, PartialEq)]
struct MediaRange {
    /// `type/subtype`, lower-cased.
    media_type: String,
    params: Vec<(String, String)>,
    quality: f32,
}

impl MediaRange {
    fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn parse_accept(header: &str) -> Vec<MediaRange> {
    let mut ranges: Vec<MediaRange> = header
        .split(',')
        .filter_map(|entry| {
            let mut parts = entry.split(';');
            let media_type = parts.next()?.trim().to_ascii_lowercase();
            if media_type.is_empty() {
                return None;
            }
            let mut params = Vec::new();
            let mut quality = 1.0;
            for param in parts {
                let Some((k, v)) = param.split_once('=') else {
                    continue;
                };
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().trim_matches('"'));
                if k == "q" {
                    quality = v.parse().unwrap_or(0.0);
                } else {
                    params.push((k, v.to_owned()));
                }
            }
            Some(MediaRange {
                media_type,
                params,
                quality,
            })
        })
        .collect();
    // Highest quality first; equal qualities keep the client's order (a stable sort).
    ranges.sort_by(|a, b| b.quality.total_cmp(&a.quality));
    ranges.retain(|r| r.quality > 0.0);
    ranges
}

/// What the server can produce for this request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Offer {
    pub verb: Verb,
    /// Protobuf is served for built-in kinds only (custom resources have no protobuf form).
    pub protobuf: bool,
}

impl Offer {
    fn media_types(&self) -> String {
        let mut types = vec!["application/json", "application/yaml"];
        if self.protobuf {
            types.push("application/vnd.kubernetes.protobuf");
        }
        types.join(", ")
    }

    fn output_for(&self, range: &MediaRange) -> Option<Output> {
        let reads = matches!(self.verb, Verb::Get | Verb::List | Verb::Watch);
        match range.media_type.as_str() {
            "*/*" | "application/*" => Some(Output::Json),
            "application/json" => match range.param("as") {
                None => Some(Output::Json),
                Some(kind) if reads => {
                    let version = match (range.param("g"), range.param("v")) {
                        (Some("meta.k8s.io"), Some("v1")) => MetaVersion::V1,
                        (Some("meta.k8s.io"), Some("v1beta1")) => MetaVersion::V1beta1,
                        _ => return None,
                    };
                    match (kind, self.verb) {
                        ("Table", _) => Some(Output::Table(version)),
                        ("PartialObjectMetadata", Verb::Get | Verb::Watch) => {
                            Some(Output::PartialObjectMetadata(version))
                        }
                        ("PartialObjectMetadataList", Verb::List) => {
                            Some(Output::PartialObjectMetadataList(version))
                        }
                        _ => None,
                    }
                }
                Some(_) => None,
            },
            // YAML has no framing for a stream of events.
            "application/yaml" if self.verb != Verb::Watch => {
                range.param("as").is_none().then_some(Output::Yaml)
            }
            "application/vnd.kubernetes.protobuf" if self.protobuf => {
                range.param("as").is_none().then_some(Output::Protobuf)
            }
            _ => None,
        }
    }
}

/// The output for an `Accept` header (empty: JSON), or 406.
pub(crate) fn negotiate(accept: &str, offer: Offer) -> Result<Output, ApiError> {
    if accept.trim().is_empty() {
        return Ok(Output::Json);
    }
    parse_accept(accept)
        .iter()
        .find_map(|range| offer.output_for(range))
        .ok_or_else(|| ApiError::not_acceptable(&offer.media_types()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: Offer = Offer {
        verb: Verb::Get,
        protobuf: false,
    };

    #[test]
    fn kubectl_get_gets_a_table() {
        let kubectl = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        assert_eq!(
            negotiate(kubectl, GET).ok(),
            Some(Output::Table(MetaVersion::V1))
        );
        let create = Offer {
            verb: Verb::Create,
            protobuf: false,
        };
        assert_eq!(negotiate(kubectl, create).ok(), Some(Output::Json));
    }

    #[test]
    fn partial_metadata_and_fallbacks() {
        let list = Offer {
            verb: Verb::List,
            protobuf: false,
        };
        let metadata_list = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
        assert_eq!(
            negotiate(metadata_list, list).ok(),
            Some(Output::PartialObjectMetadataList(MetaVersion::V1))
        );
        // A list cannot be one object's metadata, and nothing else was offered.
        let single = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
        assert_eq!(negotiate(single, list).map_err(|e| e.code), Err(406));
        assert_eq!(negotiate("", GET).ok(), Some(Output::Json));
        assert_eq!(negotiate("*/*", GET).ok(), Some(Output::Json));
        assert_eq!(
            negotiate("application/xml, application/yaml;q=0.5", GET).ok(),
            Some(Output::Yaml)
        );
        let refused = negotiate("application/xml", GET).err();
        assert_eq!(
            refused.map(|e| e.message),
            Some(
                "only the following media types are accepted: application/json, application/yaml"
                    .to_owned()
            )
        );
        let proto = "application/vnd.kubernetes.protobuf, application/json";
        assert_eq!(negotiate(proto, GET).ok(), Some(Output::Json));
        let builtin = Offer {
            verb: Verb::Get,
            protobuf: true,
        };
        assert_eq!(negotiate(proto, builtin).ok(), Some(Output::Protobuf));
    }
}
