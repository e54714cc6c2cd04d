//! Merging an applied configuration into the live object, and removing the fields an applier
//! gave up, by the list types of [`super::fieldset`]: maps merge key by key, sets and keyed
//! lists item by item, anything else is replaced by the configuration's value.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::fieldset::{Element, Path, atomic_map, item_elements};

/// `live` with `config` merged in (structured-merge-diff's `Merge`).
pub(crate) fn merge(live: &Value, config: &Value) -> Value {
    merge_at(live, config, &mut Vec::new())
}

fn merge_at(live: &Value, config: &Value, path: &mut Path) -> Value {
    match (live, config) {
        (Value::Object(l), Value::Object(c)) if !atomic_map(path) => {
            let mut out = l.clone();
            for (key, cv) in c {
                path.push(Element::Field(key.clone()));
                let merged = match l.get(key) {
                    Some(lv) => merge_at(lv, cv, path),
                    None => cv.clone(),
                };
                path.pop();
                out.insert(key.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(l), Value::Array(c)) => {
            match (item_elements(path, l), item_elements(path, c)) {
                (Some(le), Some(ce)) => Value::Array(merge_items(l, &le, c, &ce, path)),
                _ => config.clone(),
            }
        }
        _ => config.clone(),
    }
}

/// Merges two lists item by item in structured-merge-diff's order: items only the live list
/// has stay where they are, items both have follow the configuration's order, new items come
/// where the configuration puts them. Re-applying a configuration thus keeps the order.
fn merge_items(
    live: &[Value],
    live_elements: &[Element],
    config: &[Value],
    config_elements: &[Element],
    path: &mut Path,
) -> Vec<Value> {
    let live_by: BTreeMap<&Element, &Value> = live_elements.iter().zip(live).collect();
    let config_by: BTreeMap<&Element, &Value> = config_elements.iter().zip(config).collect();
    let mut shared = config_elements.iter().filter(|e| live_by.contains_key(e));
    let mut next_shared = shared.next();
    let mut merged: BTreeSet<&Element> = BTreeSet::new();
    let mut out = Vec::with_capacity(live.len().max(config.len()));
    let item = |element: &Element, config_item: &Value, path: &mut Path| {
        path.push(element.clone());
        let value = match live_by.get(element) {
            Some(live_item) => merge_at(live_item, config_item, path),
            None => config_item.clone(),
        };
        path.pop();
        value
    };
    let (mut li, mut ri) = (0, 0);
    while li < live.len() || ri < config.len() {
        if let (Some(le), Some(ce), Some(ci)) = (
            live_elements.get(li),
            config_elements.get(ri),
            config.get(ri),
        ) {
            if le == ce {
                merged.insert(le);
                out.push(item(le, ci, path));
                li += 1;
                ri += 1;
                next_shared = shared.next();
                continue;
            }
            if config_by.contains_key(le) && next_shared.is_some_and(|n| n != le) {
                // Shared, but another shared item comes first in the configuration.
                li += 1;
                continue;
            }
        }
        if let (Some(le), Some(li_value)) = (live_elements.get(li), live.get(li)) {
            if !config_by.contains_key(le) {
                out.push(li_value.clone());
                li += 1;
                continue;
            }
            if merged.contains(le) {
                li += 1;
                continue;
            }
        }
        if let (Some(ce), Some(ci)) = (config_elements.get(ri), config.get(ri)) {
            merged.insert(ce);
            out.push(item(ce, ci, path));
            ri += 1;
            if next_shared == Some(ce) {
                next_shared = shared.next();
            }
        } else {
            // Unreachable while both element lists match their lists; never loop forever.
            li += 1;
        }
    }
    out
}

fn position(items: &[Value], list_path: &[Element], element: &Element) -> Option<usize> {
    match element {
        Element::Index(i) => (*i < items.len()).then_some(*i),
        Element::Field(_) => None,
        _ => item_elements(list_path, items)?
            .iter()
            .position(|e| e == element),
    }
}

/// The value at `path`, if it is there.
pub(crate) fn get<'a>(obj: &'a Value, path: &[Element]) -> Option<&'a Value> {
    let mut current = obj;
    for (depth, element) in path.iter().enumerate() {
        current = match (current, element) {
            (Value::Object(map), Element::Field(f)) => map.get(f)?,
            (Value::Array(items), element) => {
                let walked = path.get(..depth).unwrap_or_default();
                items.get(position(items, walked, element)?)?
            }
            _ => return None,
        };
    }
    Some(current)
}

/// Removes the field, set item or keyed entry at `path`, if it is there.
pub(crate) fn remove(obj: &mut Value, path: &[Element]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = obj;
    for (depth, element) in parents.iter().enumerate() {
        let walked = parents.get(..depth).unwrap_or_default();
        let next = match current {
            Value::Object(map) => match element {
                Element::Field(f) => map.get_mut(f),
                _ => None,
            },
            Value::Array(items) => match position(items, walked, element) {
                Some(i) => items.get_mut(i),
                None => None,
            },
            _ => None,
        };
        match next {
            Some(next) => current = next,
            None => return,
        }
    }
    match (current, last) {
        (Value::Object(map), Element::Field(f)) => {
            map.remove(f);
        }
        (Value::Array(items), element) => {
            if let Some(i) = position(items, parents, element) {
                items.remove(i);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::fieldset::of_config;
    use super::*;
    use serde_json::json;

    #[test]
    fn sets_and_keyed_lists_merge_per_item() {
        let live = json!({"metadata": {
            "finalizers": ["a"],
            "ownerReferences": [{"uid": "1", "name": "one"}],
            "labels": {"x": "1"},
        }, "spec": {"ports": [1, 2]}});
        let config = json!({"metadata": {
            "finalizers": ["b"],
            "ownerReferences": [{"uid": "2", "name": "two"}, {"uid": "1", "controller": true}],
            "labels": {"y": "2"},
        }, "spec": {"ports": [3]}});
        let merged = merge(&live, &config);
        assert_eq!(merged["metadata"]["finalizers"], json!(["a", "b"]));
        assert_eq!(
            merged["metadata"]["ownerReferences"],
            json!([{"uid": "2", "name": "two"}, {"uid": "1", "name": "one", "controller": true}])
        );
        assert_eq!(merged["metadata"]["labels"], json!({"x": "1", "y": "2"}));
        assert_eq!(
            merged["spec"]["ports"],
            json!([3]),
            "other lists are atomic"
        );
    }

    #[test]
    fn re_merging_the_same_items_keeps_their_order() {
        let live = json!({"metadata": {"finalizers": ["x", "a", "y", "b"]}});
        let again = merge(&live, &json!({"metadata": {"finalizers": ["a", "b"]}}));
        assert_eq!(again, live);
        let reordered = merge(&live, &json!({"metadata": {"finalizers": ["b", "a"]}}));
        assert_eq!(
            reordered["metadata"]["finalizers"],
            json!(["x", "y", "b", "a"])
        );
    }

    #[test]
    fn remove_finds_set_items_and_keyed_entries() {
        let mut obj = json!({"metadata": {
            "finalizers": ["a", "b"],
            "ownerReferences": [{"uid": "1"}, {"uid": "2", "name": "n"}],
        }, "spec": {"a": 1}});
        let owned = of_config(&obj);
        for path in &owned {
            if path.len() == 3 && !matches!(path.get(2), Some(Element::Field(_))) {
                remove(&mut obj, path);
            }
        }
        let spec_a = [Element::Field("spec".into()), Element::Field("a".into())];
        assert_eq!(get(&obj, &spec_a), Some(&json!(1)));
        remove(&mut obj, &spec_a);
        assert_eq!(get(&obj, &spec_a), None);
        assert_eq!(
            obj,
            json!({"metadata": {"finalizers": [], "ownerReferences": []}, "spec": {}})
        );
    }
}
