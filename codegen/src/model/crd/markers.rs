//! The CRD generator's markers, with controller-gen's spellings: `+optional`, `+required`,
//! `+nullable`, `+listType=`, `+listMapKey=`, `+mapType=`, `+structType=` and the
//! `+kubebuilder:` family. They are read only for crates that ask for CRDs (`crds = "…"`);
//! elsewhere they belong to other tools and stay untouched.

use serde_json::{Number, Value};

use super::schema::ValidationRule;
use crate::model::marker::{Marker, closest};

/// One CRD marker, interpreted.
#[derive(Clone, Debug, PartialEq)]
pub enum CrdMarker {
    Optional,
    Required,
    Nullable,
    Validation(Validation),
    Default(Value),
    /// `+kubebuilder:validation:Schemaless`: no schema from the Rust type.
    Schemaless,
    PreserveUnknownFields,
    EmbeddedResource,
    IntOrString,
    /// `+kubebuilder:validation:Type=`.
    Type(String),
    ListType(String),
    ListMapKey(String),
    MapType(String),
    StructType(String),
    PrintColumn(PrintColumnMarker),
    SubresourceStatus,
    SubresourceScale(ScaleMarker),
    StorageVersion,
    /// `+kubebuilder:resource:shortName=…;…,categories=…;…`.
    Resource {
        short_names: Vec<String>,
        categories: Vec<String>,
    },
    /// `+kubebuilder:deprecatedversion[:warning="…"]`.
    DeprecatedVersion(Option<String>),
    /// Known to controller-gen, meaningless here (`+kubebuilder:object:root=true`).
    Ignored,
}

/// A value validation marker (`+kubebuilder:validation:<Name>=<value>`).
#[derive(Clone, Debug, PartialEq)]
pub enum Validation {
    Minimum(Number),
    Maximum(Number),
    ExclusiveMinimum(bool),
    ExclusiveMaximum(bool),
    MultipleOf(Number),
    MinLength(u64),
    MaxLength(u64),
    Pattern(String),
    Enum(Vec<Value>),
    Format(String),
    MinItems(u64),
    MaxItems(u64),
    UniqueItems(bool),
    MinProperties(u64),
    MaxProperties(u64),
    XValidation(ValidationRule),
}

/// `+kubebuilder:printcolumn:name=…,type=…,JSONPath=…[,description=…][,format=…][,priority=…]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintColumnMarker {
    pub name: String,
    pub type_: String,
    pub json_path: String,
    pub description: Option<String>,
    pub format: Option<String>,
    pub priority: Option<i32>,
}

/// `+kubebuilder:subresource:scale:specpath=…,statuspath=…[,selectorpath=…]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScaleMarker {
    pub spec_replicas_path: String,
    pub status_replicas_path: String,
    pub label_selector_path: Option<String>,
}

/// Names of the markers that take a `=value`, without their prefix's `+`.
const VALUE_MARKERS: &[&str] = &[
    "listType",
    "listMapKey",
    "mapType",
    "structType",
    "kubebuilder:default",
    "kubebuilder:validation:Minimum",
    "kubebuilder:validation:Maximum",
    "kubebuilder:validation:ExclusiveMinimum",
    "kubebuilder:validation:ExclusiveMaximum",
    "kubebuilder:validation:MultipleOf",
    "kubebuilder:validation:MinLength",
    "kubebuilder:validation:MaxLength",
    "kubebuilder:validation:Pattern",
    "kubebuilder:validation:Enum",
    "kubebuilder:validation:Format",
    "kubebuilder:validation:MinItems",
    "kubebuilder:validation:MaxItems",
    "kubebuilder:validation:UniqueItems",
    "kubebuilder:validation:MinProperties",
    "kubebuilder:validation:MaxProperties",
    "kubebuilder:validation:Type",
    "kubebuilder:object:root",
    "kubebuilder:object:generate",
];

/// Markers that take no value.
const FLAG_MARKERS: &[&str] = &[
    "optional",
    "required",
    "nullable",
    "kubebuilder:validation:Optional",
    "kubebuilder:validation:Required",
    "kubebuilder:validation:Schemaless",
    "kubebuilder:validation:XEmbeddedResource",
    "kubebuilder:validation:XIntOrString",
    "kubebuilder:pruning:PreserveUnknownFields",
    "kubebuilder:subresource:status",
    "kubebuilder:storageversion",
    "kubebuilder:deprecatedversion",
];

/// Markers whose arguments follow a `:` as `key=value,…`.
const ARG_MARKERS: &[&str] = &[
    "kubebuilder:printcolumn",
    "kubebuilder:subresource:scale",
    "kubebuilder:validation:XValidation",
    "kubebuilder:resource",
    "kubebuilder:deprecatedversion",
];

/// Unprefixed names of ours: a near miss (`+optinal`) is reported, other words are not ours.
const UNPREFIXED: &[&str] = &[
    "optional",
    "required",
    "nullable",
    "listType",
    "listMapKey",
    "mapType",
    "structType",
];

/// Every marker name, for did-you-mean.
fn all_names() -> Vec<&'static str> {
    VALUE_MARKERS
        .iter()
        .chain(FLAG_MARKERS)
        .chain(ARG_MARKERS)
        .copied()
        .collect()
}

/// Whether the CRD generator reads `m` (a marker of its family, or a near miss of one).
pub fn is_crd_marker(m: &Marker) -> bool {
    m.name.starts_with("kubebuilder:")
        || UNPREFIXED.contains(&m.name.as_str())
        || (!m.name.contains(':') && closest(&m.name, UNPREFIXED).is_some())
        || m.name.to_ascii_lowercase().starts_with("kubebuilder")
}

/// Why a marker could not be read: the message and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkerError {
    pub message: String,
    pub help: String,
}

fn error(message: impl Into<String>, help: impl Into<String>) -> MarkerError {
    MarkerError {
        message: message.into(),
        help: help.into(),
    }
}

/// Reads one CRD marker.
pub fn parse(m: &Marker) -> Result<CrdMarker, MarkerError> {
    let text = m.text.strip_prefix('+').unwrap_or(&m.text);
    for prefix in ARG_MARKERS {
        if let Some(args) = text.strip_prefix(prefix).and_then(|r| r.strip_prefix(':')) {
            return parse_args_marker(prefix, args);
        }
    }
    let name = m.name.as_str();
    if FLAG_MARKERS.contains(&name) {
        if m.value.is_some() {
            return Err(error(
                format!("`+{name}` takes no value"),
                format!("write `+{name}`"),
            ));
        }
        return Ok(match name {
            "optional" | "kubebuilder:validation:Optional" => CrdMarker::Optional,
            "required" | "kubebuilder:validation:Required" => CrdMarker::Required,
            "nullable" => CrdMarker::Nullable,
            "kubebuilder:validation:Schemaless" => CrdMarker::Schemaless,
            "kubebuilder:validation:XEmbeddedResource" => CrdMarker::EmbeddedResource,
            "kubebuilder:validation:XIntOrString" => CrdMarker::IntOrString,
            "kubebuilder:pruning:PreserveUnknownFields" => CrdMarker::PreserveUnknownFields,
            "kubebuilder:subresource:status" => CrdMarker::SubresourceStatus,
            "kubebuilder:storageversion" => CrdMarker::StorageVersion,
            _ => CrdMarker::DeprecatedVersion(None),
        });
    }
    if VALUE_MARKERS.contains(&name) {
        let Some(value) = m.value.as_deref() else {
            return Err(error(
                format!("`+{name}` needs a value"),
                format!("write `+{name}=<value>`"),
            ));
        };
        return parse_value_marker(name, value);
    }
    let help = match closest(name, &all_names()) {
        Some(near) => format!("did you mean `+{near}`?"),
        None => {
            "see the CRD marker table in README.md for what kube-codegen understands".to_owned()
        }
    };
    Err(error(format!("unknown CRD marker `+{name}`"), help))
}

fn parse_value_marker(name: &str, value: &str) -> Result<CrdMarker, MarkerError> {
    let short = name.rsplit(':').next().unwrap_or(name);
    let number = || {
        serde_json::from_str::<Number>(value).map_err(|_| {
            error(
                format!("`+{name}={value}`: `{value}` is not a number"),
                format!("write a number: `+{name}=0`"),
            )
        })
    };
    let count = || {
        value.parse::<u64>().map_err(|_| {
            error(
                format!("`+{name}={value}`: `{value}` is not a count"),
                format!("write a whole number of zero or more: `+{name}=1`"),
            )
        })
    };
    let boolean = || match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(error(
            format!("`+{name}={value}`: `{value}` is not `true` or `false`"),
            format!("write `+{name}=true`"),
        )),
    };
    let one_of = |allowed: &[&str]| -> Result<String, MarkerError> {
        if allowed.contains(&value) {
            Ok(value.to_owned())
        } else {
            let list = allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let help = match closest(value, allowed) {
                Some(near) => format!("did you mean `+{name}={near}`?"),
                None => format!("write one of {list}"),
            };
            Err(error(
                format!("`+{name}={value}`: `{value}` is not one of {list}"),
                help,
            ))
        }
    };
    Ok(match name {
        "listType" => CrdMarker::ListType(one_of(&["atomic", "set", "map"])?),
        "listMapKey" => {
            if value.is_empty() {
                return Err(error(
                    "`+listMapKey=` needs the JSON name of a key field",
                    "write `+listMapKey=type`",
                ));
            }
            CrdMarker::ListMapKey(value.to_owned())
        }
        "mapType" => CrdMarker::MapType(one_of(&["atomic", "granular"])?),
        "structType" => CrdMarker::StructType(one_of(&["atomic", "granular"])?),
        "kubebuilder:default" => CrdMarker::Default(literal(value)),
        "kubebuilder:validation:Type" => CrdMarker::Type(one_of(&[
            "string", "integer", "number", "boolean", "array", "object",
        ])?),
        "kubebuilder:object:root" | "kubebuilder:object:generate" => {
            boolean()?;
            CrdMarker::Ignored
        }
        _ => CrdMarker::Validation(match short {
            "Minimum" => Validation::Minimum(number()?),
            "Maximum" => Validation::Maximum(number()?),
            "ExclusiveMinimum" => Validation::ExclusiveMinimum(boolean()?),
            "ExclusiveMaximum" => Validation::ExclusiveMaximum(boolean()?),
            "MultipleOf" => Validation::MultipleOf(number()?),
            "MinLength" => Validation::MinLength(count()?),
            "MaxLength" => Validation::MaxLength(count()?),
            "Pattern" => {
                let pattern = unquote(value);
                if let Err(e) = regex::Regex::new(&pattern) {
                    return Err(error(
                        format!("`+{name}`: `{pattern}` is not a regular expression: {e}"),
                        "write an ECMA-262 regular expression that also compiles as RE2, e.g. `^[a-z]+$`",
                    ));
                }
                Validation::Pattern(pattern)
            }
            "Enum" => Validation::Enum(value.split(';').map(|v| literal(v.trim())).collect()),
            "Format" => Validation::Format(value.to_owned()),
            "MinItems" => Validation::MinItems(count()?),
            "MaxItems" => Validation::MaxItems(count()?),
            "UniqueItems" => Validation::UniqueItems(boolean()?),
            "MinProperties" => Validation::MinProperties(count()?),
            _ => Validation::MaxProperties(count()?),
        }),
    })
}

fn parse_args_marker(prefix: &str, args: &str) -> Result<CrdMarker, MarkerError> {
    let pairs = split_args(args).map_err(|e| {
        error(
            format!("`+{prefix}:`: {e}"),
            "write the arguments as `key=value` pairs separated by commas; quote values that hold commas",
        )
    })?;
    let keys: &[&str] = match prefix {
        "kubebuilder:printcolumn" => &[
            "name",
            "type",
            "JSONPath",
            "description",
            "format",
            "priority",
        ],
        "kubebuilder:subresource:scale" => &["specpath", "statuspath", "selectorpath"],
        "kubebuilder:validation:XValidation" => &[
            "rule",
            "message",
            "messageExpression",
            "reason",
            "fieldPath",
        ],
        "kubebuilder:resource" => &["shortName", "categories"],
        _ => &["warning"],
    };
    for (key, _) in &pairs {
        if !keys.contains(&key.as_str()) {
            let help = match closest(key, keys) {
                Some(near) => format!("did you mean `{near}=`?"),
                None => format!(
                    "`+{prefix}` takes {}",
                    keys.iter()
                        .map(|k| format!("`{k}=`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let help = if prefix == "kubebuilder:resource"
                && matches!(key.as_str(), "scope" | "path" | "singular")
            {
                "the scope comes from `+genclient:nonNamespaced`, the plural from `+resourceName=`; only `shortName=` and `categories=` are read here".to_owned()
            } else {
                help
            };
            return Err(error(format!("`+{prefix}` has no argument `{key}`"), help));
        }
    }
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let need = |key: &str| {
        get(key).ok_or_else(|| {
            error(
                format!("`+{prefix}` needs `{key}=`"),
                format!("add `{key}=<value>` to the marker"),
            )
        })
    };
    let list = |key: &str| -> Vec<String> {
        get(key)
            .map(|v| {
                v.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    Ok(match prefix {
        "kubebuilder:printcolumn" => {
            let type_ = need("type")?;
            let types = ["integer", "number", "string", "boolean", "date"];
            if !types.contains(&type_.as_str()) {
                return Err(error(
                    format!("printer column type `{type_}` is not one Kubernetes knows"),
                    "write `type=` as one of `integer`, `number`, `string`, `boolean`, `date`",
                ));
            }
            let priority = match get("priority") {
                None => None,
                Some(p) => Some(p.parse::<i32>().map_err(|_| {
                    error(
                        format!("printer column priority `{p}` is not a number"),
                        "write `priority=0` (shown by default) or `priority=1` (`-o wide`)",
                    )
                })?),
            };
            CrdMarker::PrintColumn(PrintColumnMarker {
                name: need("name")?,
                type_,
                json_path: need("JSONPath")?,
                description: get("description"),
                format: get("format"),
                priority,
            })
        }
        "kubebuilder:subresource:scale" => CrdMarker::SubresourceScale(ScaleMarker {
            spec_replicas_path: need("specpath")?,
            status_replicas_path: need("statuspath")?,
            label_selector_path: get("selectorpath"),
        }),
        "kubebuilder:validation:XValidation" => {
            CrdMarker::Validation(Validation::XValidation(ValidationRule {
                rule: need("rule")?,
                message: get("message"),
                message_expression: get("messageExpression"),
                reason: get("reason"),
                field_path: get("fieldPath"),
            }))
        }
        "kubebuilder:resource" => CrdMarker::Resource {
            short_names: list("shortName"),
            categories: list("categories"),
        },
        _ => CrdMarker::DeprecatedVersion(get("warning")),
    })
}

/// A marker value as JSON: JSON when it parses as JSON, else the text as a string (controller-gen
/// reads `+kubebuilder:default=red` as `"red"`).
fn literal(value: &str) -> Value {
    serde_json::from_str(value).unwrap_or_else(|_| Value::String(unquote(value)))
}

/// `"quoted"` or `` `raw` `` text without its quotes (Go's escapes undone), else as written.
fn unquote(value: &str) -> String {
    let v = value.trim();
    if let Some(raw) = v.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        return raw.to_owned();
    }
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        let mut out = String::new();
        let mut chars = v[1..v.len() - 1].chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(other) => out.push(other),
                    None => out.push('\\'),
                }
            } else {
                out.push(c);
            }
        }
        return out;
    }
    v.to_owned()
}

/// Splits `key=value,key="a, b",…` at commas outside quotes.
fn split_args(args: &str) -> Result<Vec<(String, String)>, String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in args.chars() {
        match quote {
            Some(q) => {
                current.push(c);
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '`' => {
                quote = Some(c);
                current.push(c);
            }
            None if c == ',' => parts.push(std::mem::take(&mut current)),
            None => current.push(c),
        }
    }
    if quote.is_some() {
        return Err("a quoted value is not closed".to_owned());
    }
    parts.push(current);
    let mut out = Vec::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((key, value)) = part.split_once('=') else {
            return Err(format!("`{part}` is not `key=value`"));
        };
        out.push((key.trim().to_owned(), unquote(value)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::LineComment;

    fn marker(text: &str) -> Marker {
        Marker::from_comment(&LineComment {
            line: 1,
            body_column: 3,
            body: format!(" {text}"),
            own_line: true,
        })
        .expect("a marker")
    }

    fn read(text: &str) -> Result<CrdMarker, MarkerError> {
        parse(&marker(text))
    }

    #[test]
    fn reads_values_and_flags() {
        assert_eq!(
            read("+kubebuilder:validation:Minimum=0"),
            Ok(CrdMarker::Validation(Validation::Minimum(Number::from(0))))
        );
        assert_eq!(read("+optional"), Ok(CrdMarker::Optional));
        assert_eq!(
            read("+kubebuilder:validation:Enum=Red;Green;3"),
            Ok(CrdMarker::Validation(Validation::Enum(vec![
                Value::from("Red"),
                Value::from("Green"),
                Value::from(3)
            ])))
        );
        assert_eq!(
            read("+kubebuilder:default={\"a\":1}"),
            Ok(CrdMarker::Default(serde_json::json!({"a": 1})))
        );
        assert_eq!(
            read("+kubebuilder:default=red"),
            Ok(CrdMarker::Default(Value::from("red")))
        );
    }

    #[test]
    fn reads_arguments_with_quotes_and_commas() {
        assert_eq!(
            read(
                r#"+kubebuilder:validation:XValidation:rule="self.min <= self.max",message="min, then max""#
            ),
            Ok(CrdMarker::Validation(Validation::XValidation(
                ValidationRule {
                    rule: "self.min <= self.max".to_owned(),
                    message: Some("min, then max".to_owned()),
                    ..ValidationRule::default()
                }
            )))
        );
        let Ok(CrdMarker::PrintColumn(c)) =
            read(r#"+kubebuilder:printcolumn:name="Color",type=string,JSONPath=".spec.color""#)
        else {
            panic!("a print column");
        };
        assert_eq!(
            (c.name.as_str(), c.type_.as_str(), c.json_path.as_str()),
            ("Color", "string", ".spec.color")
        );
    }

    #[test]
    fn near_misses_and_bad_values_say_what_to_write() {
        let e = read("+kubebuilder:validation:Minimun=1").expect_err("misspelt");
        assert_eq!(e.help, "did you mean `+kubebuilder:validation:Minimum`?");
        let e = read("+listType=sets").expect_err("bad value");
        assert_eq!(e.help, "did you mean `+listType=set`?");
        let e = read("+kubebuilder:validation:MinLength=-1").expect_err("negative");
        assert!(e.message.contains("not a count"), "{}", e.message);
        let e = read("+kubebuilder:printcolumn:name=A,type=str,JSONPath=.a").expect_err("type");
        assert!(e.message.contains("`str`"), "{}", e.message);
        let e = read("+kubebuilder:subresource:scale:specpath=.spec.replicas").expect_err("need");
        assert_eq!(
            e.message,
            "`+kubebuilder:subresource:scale` needs `statuspath=`"
        );
        let e = read("+kubebuilder:validation:Pattern=^(a$").expect_err("regex");
        assert!(
            e.message.contains("not a regular expression"),
            "{}",
            e.message
        );
        assert!(is_crd_marker(&marker("+optinal")));
        assert!(!is_crd_marker(&marker("+patchStrategy=merge")));
    }
}
