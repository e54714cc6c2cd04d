//! What kube-apiserver's strategies for built-in kinds do on every write that a test can
//! notice. Secrets: `stringData` is write-only, merged into `data` (base64), and `type`
//! defaults to `Opaque`. CustomResourceDefinitions: `names` and `conversion` defaults.

use k8s_openapi::ByteString;
use serde_json::{Value, json};

use crate::definition::ResourceDefinition;

/// Applies the kind's write-time defaults and conversions to an object being stored.
pub(crate) fn prepare(def: &ResourceDefinition, obj: &mut Value, creating: bool) {
    if crate::crd::is_crd_kind(def) {
        crate::crd::validate::default(obj);
        return;
    }
    if !def.builtin || !def.group.is_empty() || def.kind != "Secret" {
        return;
    }
    let Value::Object(map) = obj else { return };
    if let Some(Value::Object(plain)) = map.remove("stringData") {
        let data = map.entry("data").or_insert_with(|| json!({}));
        if let Value::Object(data) = data {
            for (key, value) in plain {
                if let Some(text) = value.as_str() {
                    let encoded = serde_json::to_value(ByteString(text.as_bytes().to_vec()))
                        .unwrap_or(Value::Null);
                    data.insert(key, encoded);
                }
            }
        }
    }
    if creating
        && map
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .is_empty()
    {
        map.insert("type".to_owned(), json!("Opaque"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::BuiltinKind;

    #[test]
    fn secrets_take_string_data_into_data() {
        let def = BuiltinKind::Secret.definition();
        let mut secret = json!({"stringData": {"k": "value"}, "data": {"a": "Yg=="}});
        prepare(&def, &mut secret, true);
        assert_eq!(
            secret,
            json!({"data": {"a": "Yg==", "k": "dmFsdWU="}, "type": "Opaque"})
        );
    }
}
