//! A table-driven JSON mapping for k8s-pb messages: [`message!`] lists, per message, each
//! field's JSON name, and every other field of the message as `unmapped`. The listing is
//! checked by the compiler (the struct is built and destructured without `..`, so a field
//! left out of both lists does not compile), and by value at run time: a protobuf body that
//! sets an unmapped field, or a JSON object with a key the table lacks, is an error naming
//! the field, never a silently dropped value.

use std::collections::BTreeMap;

use k8s_pb::apimachinery::pkg::api::resource::Quantity;
use k8s_pb::apimachinery::pkg::apis::meta::v1 as meta;
use k8s_pb::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::{Map, Value, json};

/// A message (or field value) both ways between its protobuf and its JSON form. The error is
/// the dotted path of the field that has no mapping (or the wrong JSON type).
pub(super) trait Wire: Sized {
    /// From JSON (`Null` for an absent key).
    fn read(v: &Value) -> Result<Self, String>;
    /// To JSON (`Null`, or an empty value, for one JSON omits).
    fn write(self) -> Result<Value, String>;
}

/// `key` prefixed to the path of an error within it.
pub(super) fn within(key: &str, path: String) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{key}.{path}")
    }
}

/// The object's members, refusing a key outside `known` that carries a value (an empty
/// `{}`, `[]` or `null` carries none, so dropping it loses nothing).
pub(super) fn fields<'a>(
    v: &'a Value,
    known: &[&str],
) -> Result<Option<&'a Map<String, Value>>, String> {
    match v {
        Value::Null => Ok(None),
        Value::Object(map) => {
            if let Some((key, _)) = map
                .iter()
                .find(|(k, v)| !known.contains(&k.as_str()) && !is_empty(v))
            {
                return Err(key.clone());
            }
            Ok(Some(map))
        }
        _ => Err(String::new()),
    }
}

/// The member `key` of `map` (`Null` when absent).
pub(super) fn member<'a>(map: Option<&'a Map<String, Value>>, key: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    map.and_then(|m| m.get(key)).unwrap_or(&NULL)
}

/// Whether an unmapped field is unset.
pub(super) fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Sets `key` as Go's `omitempty` would: not for an empty value, `0` or `false`, unless
/// `keep` (a pointer field in Go, whose zero is meaningful: `replicas: 0`).
pub(super) fn place(out: &mut Map<String, Value>, key: &str, value: Value, keep: bool) {
    let zero = value == json!(0) || value == json!(false);
    if !(is_empty(&value) || (zero && !keep)) {
        out.insert(key.to_owned(), value);
    }
}

/// `impl Wire` for a k8s-pb message: `rust_field: "jsonName"` (with `keep` when JSON shows
/// its zero), then `unmapped { fields }` for the rest (protobuf-only: an error when set).
macro_rules! message {
    ($ty:path { $($field:ident: $json:literal $($keep:ident)?),* $(,)? }
     $(unmapped { $($skip:ident),* $(,)? })?) => {
        impl $crate::request::protobuf::wire::Wire for $ty {
            fn read(v: &serde_json::Value) -> Result<Self, String> {
                use $crate::request::protobuf::wire as w;
                let map = w::fields(v, &[$($json),*])?;
                Ok(Self {
                    $($field: w::Wire::read(w::member(map, $json))
                        .map_err(|e| w::within($json, e))?,)*
                    $($($skip: Default::default(),)*)?
                })
            }
            fn write(self) -> Result<serde_json::Value, String> {
                use $crate::request::protobuf::wire as w;
                let Self { $($field,)* $($($skip,)*)? } = self;
                $($(if !w::is_default(&$skip) {
                    return Err(stringify!($skip).trim_start_matches("r#").to_owned());
                })*)?
                let mut out = serde_json::Map::new();
                $(w::place(
                    &mut out,
                    $json,
                    w::Wire::write($field).map_err(|e| w::within($json, e))?,
                    false $(|| stringify!($keep) == "keep")?,
                );)*
                Ok(serde_json::Value::Object(out))
            }
        }
    };
}
pub(super) use message;

impl Wire for String {
    fn read(v: &Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(String::new()),
            Value::String(s) => Ok(s.clone()),
            _ => Err(String::new()),
        }
    }
    fn write(self) -> Result<Value, String> {
        Ok(Value::String(self))
    }
}

impl Wire for bool {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_bool().ok_or_else(String::new)
    }
    fn write(self) -> Result<Value, String> {
        Ok(json!(self))
    }
}

impl Wire for i32 {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .ok_or_else(String::new)
    }
    fn write(self) -> Result<Value, String> {
        Ok(json!(self))
    }
}

impl Wire for i64 {
    fn read(v: &Value) -> Result<Self, String> {
        v.as_i64().ok_or_else(String::new)
    }
    fn write(self) -> Result<Value, String> {
        Ok(json!(self))
    }
}

impl<T: Wire> Wire for Option<T> {
    fn read(v: &Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::read(v).map(Some),
        }
    }
    fn write(self) -> Result<Value, String> {
        self.map_or(Ok(Value::Null), T::write)
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn read(v: &Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(Vec::new()),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, e)| T::read(e).map_err(|p| within(&i.to_string(), p)))
                .collect(),
            _ => Err(String::new()),
        }
    }
    fn write(self) -> Result<Value, String> {
        self.into_iter()
            .map(T::write)
            .collect::<Result<_, _>>()
            .map(Value::Array)
    }
}

impl<T: Wire> Wire for BTreeMap<String, T> {
    fn read(v: &Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(BTreeMap::new()),
            Value::Object(m) => m
                .iter()
                .map(|(k, e)| T::read(e).map(|t| (k.clone(), t)).map_err(|p| within(k, p)))
                .collect(),
            _ => Err(String::new()),
        }
    }
    fn write(self) -> Result<Value, String> {
        self.into_iter()
            .map(|(k, t)| t.write().map(|v| (k, v)))
            .collect::<Result<_, _>>()
            .map(Value::Object)
    }
}

impl Wire for meta::ObjectMeta {
    fn read(v: &Value) -> Result<Self, String> {
        Ok(super::object_meta_from_json(&json!({ "metadata": v })))
    }
    fn write(self) -> Result<Value, String> {
        Ok(super::object_meta_to_json(self))
    }
}

impl Wire for meta::Time {
    fn read(v: &Value) -> Result<Self, String> {
        super::time_from_json(v.as_str()).ok_or_else(String::new)
    }
    fn write(self) -> Result<Value, String> {
        Ok(super::time_to_json(Some(self)))
    }
}

/// `MicroTime`: RFC 3339 with microseconds (`2024-05-01T10:00:00.000000Z`).
impl Wire for meta::MicroTime {
    fn read(v: &Value) -> Result<Self, String> {
        let t = super::time_from_json(v.as_str()).ok_or_else(String::new)?;
        Ok(meta::MicroTime {
            seconds: t.seconds,
            nanos: t.nanos,
        })
    }
    fn write(self) -> Result<Value, String> {
        let (seconds, nanos) = (self.seconds.unwrap_or(0), self.nanos.unwrap_or(0));
        if seconds == 0 && nanos == 0 {
            // Go's zero time marshals as an empty message.
            return Ok(Value::Null);
        }
        Ok(jiff::Timestamp::new(seconds, nanos)
            .map(|t| json!(t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()))
            .unwrap_or(Value::Null))
    }
}

impl Wire for Quantity {
    fn read(v: &Value) -> Result<Self, String> {
        let string = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err(String::new()),
        };
        Ok(Quantity {
            string: Some(string),
        })
    }
    fn write(self) -> Result<Value, String> {
        Ok(json!(self.string.unwrap_or_default()))
    }
}

/// `IntOrString`: `type` 0 is the integer, 1 the string.
impl Wire for IntOrString {
    fn read(v: &Value) -> Result<Self, String> {
        match v {
            Value::String(s) => Ok(IntOrString {
                r#type: Some(1),
                int_val: None,
                str_val: Some(s.clone()),
            }),
            v => Ok(IntOrString {
                r#type: Some(0),
                int_val: Some(i32::read(v)?),
                str_val: None,
            }),
        }
    }
    fn write(self) -> Result<Value, String> {
        Ok(if self.r#type == Some(1) {
            json!(self.str_val.unwrap_or_default())
        } else {
            json!(self.int_val.unwrap_or(0))
        })
    }
}

message!(meta::LabelSelector {
    match_labels: "matchLabels",
    match_expressions: "matchExpressions",
});
message!(meta::LabelSelectorRequirement {
    key: "key",
    operator: "operator",
    values: "values",
});
