//! Applies validation markers to a schema node, refusing what Kubernetes would refuse (a
//! `Minimum` on a string, `uniqueItems`, a default the node does not accept, a list map
//! without keys) so that a CRD that is written is one the API server takes.

use serde_json::Value;

use super::markers::{CrdMarker, Validation};
use super::schema::Schema;

/// Why a marker cannot apply to a node: the message and what to do.
pub type Refusal = (String, String);

/// Applies one schema marker to `node` (the schema of `what`, e.g. `spec.replicas`).
/// Markers that are not about the node's schema (`+optional`, kind markers) are the caller's.
pub fn apply(node: &mut Schema, marker: &CrdMarker, name: &str, what: &str) -> Result<(), Refusal> {
    let wrong = |applies_to: &str, node: &Schema| {
        Err((
            format!(
                "`+{name}` applies to {applies_to}, but `{what}` is {}",
                node.describe()
            ),
            "move the marker to a field of that type, or remove it".to_owned(),
        ))
    };
    let numeric = node.is_type("integer") || node.is_type("number");
    let stringy = node.is_type("string") || node.int_or_string == Some(true);
    match marker {
        CrdMarker::Validation(v) => {
            match v {
                Validation::Minimum(n) | Validation::Maximum(n) | Validation::MultipleOf(n) => {
                    if !numeric {
                        return wrong("numbers", node);
                    }
                    match v {
                        Validation::Minimum(_) => node.minimum = Some(n.clone()),
                        Validation::Maximum(_) => node.maximum = Some(n.clone()),
                        _ => node.multiple_of = Some(n.clone()),
                    }
                }
                Validation::ExclusiveMinimum(b) | Validation::ExclusiveMaximum(b) => {
                    if !numeric {
                        return wrong("numbers", node);
                    }
                    let slot = if matches!(v, Validation::ExclusiveMinimum(_)) {
                        &mut node.exclusive_minimum
                    } else {
                        &mut node.exclusive_maximum
                    };
                    *slot = b.then_some(true);
                }
                Validation::MinLength(n) | Validation::MaxLength(n) => {
                    if !stringy {
                        return wrong("strings", node);
                    }
                    if matches!(v, Validation::MinLength(_)) {
                        node.min_length = Some(*n);
                    } else {
                        node.max_length = Some(*n);
                    }
                }
                Validation::Pattern(p) => {
                    if !stringy {
                        return wrong("strings", node);
                    }
                    node.pattern = Some(p.clone());
                }
                Validation::Format(f) => node.format = Some(f.clone()),
                Validation::MinItems(n) | Validation::MaxItems(n) => {
                    if !node.is_type("array") {
                        return wrong("arrays", node);
                    }
                    if matches!(v, Validation::MinItems(_)) {
                        node.min_items = Some(*n);
                    } else {
                        node.max_items = Some(*n);
                    }
                }
                Validation::UniqueItems(unique) => {
                    if !node.is_type("array") {
                        return wrong("arrays", node);
                    }
                    if *unique {
                        return Err((
                        format!("`{what}`: Kubernetes rejects `uniqueItems: true` in CRD schemas (its cost is quadratic)"),
                        "write `// +listType=set` instead: the API server then rejects duplicates".to_owned(),
                    ));
                    }
                }
                Validation::MinProperties(n) | Validation::MaxProperties(n) => {
                    if !node.is_type("object") {
                        return wrong("objects", node);
                    }
                    if matches!(v, Validation::MinProperties(_)) {
                        node.min_properties = Some(*n);
                    } else {
                        node.max_properties = Some(*n);
                    }
                }
                Validation::Enum(values) => {
                    for value in values {
                        if let Some(problem) = check_value(node, value) {
                            return Err((
                                format!(
                                    "`+{name}`: the value `{value}` is not allowed in `{what}`: {problem}"
                                ),
                                format!("list only values that are {}", node.describe()),
                            ));
                        }
                    }
                    node.enum_values = values.clone();
                }
                Validation::XValidation(rule) => {
                    for (what_text, text) in std::iter::once(("rule", &rule.rule)).chain(
                        rule.message_expression
                            .iter()
                            .map(|m| ("messageExpression", m)),
                    ) {
                        if let Err(e) = cel_parses(text) {
                            return Err((
                            format!("`+kubebuilder:validation:XValidation`: the {what_text} `{text}` is not CEL: {e}"),
                            "write a CEL expression over `self` (and `oldSelf` for transition rules), e.g. `rule=\"self.min <= self.max\"`".to_owned(),
                        ));
                        }
                    }
                    node.validations.push(rule.clone());
                }
            }
        }
        CrdMarker::Default(value) => {
            if let Some(problem) = check_value(node, value) {
                return Err((
                    format!(
                        "`+{name}`: the default `{value}` is not valid for `{what}`: {problem}"
                    ),
                    format!("write a default that is {}", node.describe()),
                ));
            }
            node.default = Some(value.clone());
        }
        CrdMarker::Nullable => node.nullable = Some(true),
        CrdMarker::PreserveUnknownFields => node.preserve_unknown_fields = Some(true),
        CrdMarker::EmbeddedResource => {
            if !node.is_type("object") {
                return wrong("objects", node);
            }
            node.embedded_resource = Some(true);
        }
        CrdMarker::IntOrString => {
            let description = node.description.take();
            *node = Schema {
                description,
                ..Schema::int_or_string()
            };
        }
        CrdMarker::Type(t) => node.type_ = Some(t.clone()),
        CrdMarker::ListType(t) => {
            if !node.is_type("array") {
                return wrong("arrays", node);
            }
            let items = node.items.as_deref().cloned().unwrap_or_default();
            if t == "set" && !items.is_scalar() && items.map_type.as_deref() != Some("atomic") {
                return Err((
                    format!("`{what}`: a `+listType=set` holds scalars, but its items are {}", items.describe()),
                    "use `+listType=map` with `+listMapKey=<field>` for a list of objects, or `+listType=atomic`".to_owned(),
                ));
            }
            if t == "map" && !items.is_type("object") {
                return Err((
                    format!(
                        "`{what}`: a `+listType=map` holds objects, but its items are {}",
                        items.describe()
                    ),
                    "use `+listType=set` for scalars, or `+listType=atomic`".to_owned(),
                ));
            }
            node.list_type = Some(t.clone());
        }
        CrdMarker::ListMapKey(key) => node.list_map_keys.push(key.clone()),
        CrdMarker::MapType(t) | CrdMarker::StructType(t) => {
            if !node.is_type("object") {
                return wrong("objects", node);
            }
            node.map_type = Some(t.clone());
        }
        _ => {}
    }
    Ok(())
}

/// Whether `text` parses as CEL (the API server would reject the CRD otherwise). The parser
/// is the `cel` crate's, the interpreter the in-memory API server evaluates rules with.
fn cel_parses(text: &str) -> Result<(), String> {
    // The parser is third-party code on user input: a panic in it is reported, not propagated.
    match std::panic::catch_unwind(|| cel::Program::compile(text).map(|_| ())) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e
            .to_string()
            .lines()
            .next()
            .unwrap_or("a syntax error")
            .to_owned()),
        Err(_) => Err("the CEL parser cannot read it".to_owned()),
    }
}

/// Checks what must hold once all of a node's markers are applied: bounds in order, list map
/// keys that exist and are always present.
pub fn check_node(node: &Schema, what: &str) -> Result<(), Refusal> {
    let order = |low: Option<u64>, high: Option<u64>, names: (&str, &str)| match (low, high) {
        (Some(l), Some(h)) if l > h => Err((
            format!("`{what}`: `{}={l}` is above `{}={h}`", names.0, names.1),
            "swap or correct the bounds".to_owned(),
        )),
        _ => Ok(()),
    };
    order(node.min_length, node.max_length, ("MinLength", "MaxLength"))?;
    order(node.min_items, node.max_items, ("MinItems", "MaxItems"))?;
    order(
        node.min_properties,
        node.max_properties,
        ("MinProperties", "MaxProperties"),
    )?;
    if let (Some(min), Some(max)) = (&node.minimum, &node.maximum)
        && min.as_f64() > max.as_f64()
    {
        return Err((
            format!("`{what}`: `Minimum={min}` is above `Maximum={max}`"),
            "swap or correct the bounds".to_owned(),
        ));
    }
    let is_map = node.list_type.as_deref() == Some("map");
    if !node.list_map_keys.is_empty() && !is_map {
        return Err((
            format!("`{what}` has `+listMapKey` but is not a `+listType=map`"),
            "add `// +listType=map`, or remove the `+listMapKey` markers".to_owned(),
        ));
    }
    if is_map {
        if node.list_map_keys.is_empty() {
            return Err((
                format!("`{what}` is a `+listType=map` without keys"),
                "add `// +listMapKey=<field>` naming the field that identifies an item (e.g. `type` for conditions)".to_owned(),
            ));
        }
        let items = node.items.as_deref().cloned().unwrap_or_default();
        for key in &node.list_map_keys {
            let Some(field) = items.properties.get(key) else {
                let fields: Vec<&str> = items.properties.keys().map(String::as_str).collect();
                return Err((
                    format!("`{what}`: the list map key `{key}` is not a field of its items"),
                    format!("name one of its items' JSON fields: {}", fields.join(", ")),
                ));
            };
            if !items.required.contains(key) && field.default.is_none() {
                return Err((
                    format!("`{what}`: the list map key `{key}` may be absent from an item"),
                    "Kubernetes needs list map keys to be required or defaulted: make the field non-optional, or give it a `+kubebuilder:default`".to_owned(),
                ));
            }
            if !field.is_scalar() {
                return Err((
                    format!(
                        "`{what}`: the list map key `{key}` is {}, not a scalar",
                        field.describe()
                    ),
                    "key the list by a string, integer or boolean field".to_owned(),
                ));
            }
        }
    }
    Ok(())
}

/// Why `value` does not fit `node` (type, enum, bounds, unknown fields), if it does not.
pub fn check_value(node: &Schema, value: &Value) -> Option<String> {
    if !node.admits_type(value) {
        return Some(format!("it is not {}", node.describe()));
    }
    if !node.enum_values.is_empty() && !node.enum_values.contains(value) {
        return Some("it is not one of the enum's values".to_owned());
    }
    if let Some(n) = value.as_f64() {
        if node
            .minimum
            .as_ref()
            .and_then(serde_json::Number::as_f64)
            .is_some_and(|m| n < m)
        {
            return Some("it is below the minimum".to_owned());
        }
        if node
            .maximum
            .as_ref()
            .and_then(serde_json::Number::as_f64)
            .is_some_and(|m| n > m)
        {
            return Some("it is above the maximum".to_owned());
        }
    }
    if let Some(s) = value.as_str() {
        let len = s.chars().count() as u64;
        if node.min_length.is_some_and(|m| len < m) || node.max_length.is_some_and(|m| len > m) {
            return Some("its length is out of bounds".to_owned());
        }
    }
    match value {
        Value::Array(items) => {
            let schema = node.items.as_deref()?;
            items.iter().find_map(|v| check_value(schema, v))
        }
        Value::Object(fields) if node.preserve_unknown_fields != Some(true) => {
            for (key, v) in fields {
                let schema = match (node.properties.get(key), &node.additional_properties) {
                    (Some(s), _) => s,
                    (None, Some(s)) => s,
                    (None, None) if node.properties.is_empty() && node.type_.is_none() => continue,
                    (None, None) => return Some(format!("`{key}` is not a field")),
                };
                if let Some(problem) = check_value(schema, v) {
                    return Some(format!("`{key}`: {problem}"));
                }
            }
            node.required
                .iter()
                .find(|r| !fields.contains_key(*r))
                .map(|r| format!("it lacks the required field `{r}`"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::crd::markers::Validation;

    #[test]
    fn refuses_markers_on_the_wrong_type() {
        let mut node = Schema::typed("string");
        let err = apply(
            &mut node,
            &CrdMarker::Validation(Validation::Minimum(0.into())),
            "kubebuilder:validation:Minimum",
            "spec.color",
        )
        .expect_err("a string has no minimum");
        assert_eq!(
            err.0,
            "`+kubebuilder:validation:Minimum` applies to numbers, but `spec.color` is a string"
        );
    }

    proptest::proptest! {
        #[test]
        fn the_cel_parser_never_panics_on_marker_text(text in "[ -~]{0,40}") {
            // Called directly: a panic here would be caught and hidden by `cel_parses`.
            let _ = cel::Program::compile(&text);
        }
    }

    #[test]
    fn cel_rules_must_parse() {
        for good in [
            "self.min <= self.max",
            "has(self.a) || self.b.size() > 0",
            "self.all(x, x > 0)",
        ] {
            assert_eq!(cel_parses(good), Ok(()), "{good}");
        }
        for bad in [
            "self.min <=",
            "((",
            "",
            "self..a",
            "'unclosed",
            "\u{0}",
            "a ? b",
        ] {
            assert!(cel_parses(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn checks_defaults_and_list_maps() {
        let mut node = Schema {
            minimum: Some(0.into()),
            ..Schema::typed("integer")
        };
        let err = apply(
            &mut node,
            &CrdMarker::Default(Value::from(-1)),
            "kubebuilder:default",
            "spec.replicas",
        )
        .expect_err("below the minimum");
        assert!(err.0.contains("below the minimum"), "{}", err.0);
        let item = Schema {
            properties: [("type".to_owned(), Schema::typed("string"))].into(),
            ..Schema::typed("object")
        };
        let list = Schema {
            list_type: Some("map".to_owned()),
            list_map_keys: vec!["type".to_owned()],
            ..Schema::array(item)
        };
        let err = check_node(&list, "status.conditions").expect_err("optional key");
        assert!(err.0.contains("may be absent"), "{}", err.0);
    }
}
