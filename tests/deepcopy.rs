//! Generated deep copies (examples/widgets-api) are independent of their source, and
//! `clone_from` keeps the destination's buffers all the way down.

use std::collections::HashMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube_codegen_runtime::Object;
use widgets_api::fleet::v1 as fleet;
use widgets_api::widgets::v1::{
    Color, Condition, ConditionStatus, Part, Quantity, Range, Widget, WidgetSpec, WidgetStatus,
};

fn widget(name: &str, labels: usize) -> Widget {
    Widget {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some("default".to_owned()),
            labels: Some(
                (0..labels)
                    .map(|i| (format!("k{i}"), format!("v{i}")))
                    .collect(),
            ),
            ..ObjectMeta::default()
        },
        spec: WidgetSpec {
            color: Color::Named {
                name: "teal".to_owned(),
                palette: Some("web".to_owned()),
            },
            size: Some(Quantity("2Gi".to_owned())),
            labels: (0..labels)
                .map(|i| (format!("l{i}"), format!("x{i}")))
                .collect(),
            parts: vec![Part {
                name: "gear".to_owned(),
                count: 3,
                attributes: HashMap::from([("finish".to_owned(), vec!["matte".to_owned()])]),
            }],
            replicas: Some(Range { min: 1, max: 5 }),
            inner: Some(Box::new(WidgetSpec {
                color: Color::Rgb(1, 2, 3),
                ..WidgetSpec::default()
            })),
        },
        status: Some(WidgetStatus {
            conditions: vec![Condition {
                r#type: "Ready".to_owned(),
                status: ConditionStatus::True,
                reason: Some("Built".to_owned()),
                message: None,
            }],
            observed_generation: Some(7),
        }),
    }
}

#[test]
fn clone_is_equal_and_independent() {
    let original = widget("a", 3);
    let mut copy = original.clone();
    assert_eq!(copy, original);

    // No buffer is shared at any depth.
    assert_ne!(
        copy.spec.parts[0].name.as_ptr(),
        original.spec.parts[0].name.as_ptr()
    );
    let inner_ptr = |w: &Widget| w.spec.inner.as_deref().map(|i| i as *const WidgetSpec);
    assert_ne!(inner_ptr(&copy), inner_ptr(&original));

    copy.spec.parts[0].attributes.insert("new".into(), vec![]);
    copy.spec.labels.clear();
    if let Color::Named { name, .. } = &mut copy.spec.color {
        name.push_str("-changed");
    }
    if let Some(status) = copy.status.as_mut() {
        status.conditions[0].r#type.push('!');
    }
    assert_eq!(
        original,
        widget("a", 3),
        "mutating the copy changed the original"
    );
}

#[test]
fn clone_from_reuses_destination_buffers_all_the_way_down() {
    let source = widget("source", 4);
    let mut dest = widget("dest-with-a-longer-name", 8);
    let before = (
        dest.spec.parts.as_ptr(),
        dest.spec.parts[0].name.as_ptr(),
        dest.spec.parts[0].attributes["finish"].as_ptr(),
        dest.spec.parts[0].attributes["finish"][0].as_ptr(),
        dest.spec.labels["l0"].as_ptr(),
        dest.spec.inner.as_deref().map(|i| i as *const WidgetSpec),
        dest.status
            .as_ref()
            .map(|s| s.conditions[0].r#type.as_ptr()),
        dest.spec.parts.capacity(),
    );
    dest.clone_from(&source);
    assert_eq!(dest, source);
    let after = (
        dest.spec.parts.as_ptr(),
        dest.spec.parts[0].name.as_ptr(),
        dest.spec.parts[0].attributes["finish"].as_ptr(),
        dest.spec.parts[0].attributes["finish"][0].as_ptr(),
        dest.spec.labels["l0"].as_ptr(),
        dest.spec.inner.as_deref().map(|i| i as *const WidgetSpec),
        dest.status
            .as_ref()
            .map(|s| s.conditions[0].r#type.as_ptr()),
        dest.spec.parts.capacity(),
    );
    assert_eq!(
        after, before,
        "clone_from reallocated a buffer it could reuse"
    );
    // Keys the source lacks are gone; keys it has are kept.
    assert_eq!(dest.spec.labels.len(), 4);
}

#[test]
fn clone_from_switches_enum_variants_and_keeps_same_variant_buffers() {
    let mut dest = Color::Named {
        name: String::with_capacity(64),
        palette: None,
    };
    let ptr = match &dest {
        Color::Named { name, .. } => name.as_ptr(),
        _ => unreachable!(),
    };
    dest.clone_from(&Color::Named {
        name: "navy".into(),
        palette: Some("x".into()),
    });
    match &dest {
        Color::Named { name, palette } => {
            assert_eq!((name.as_str(), palette.as_deref()), ("navy", Some("x")));
            assert_eq!(name.as_ptr(), ptr);
        }
        other => panic!("wrong variant {other:?}"),
    }
    dest.clone_from(&Color::Rgb(9, 8, 7));
    assert_eq!(dest, Color::Rgb(9, 8, 7));
    dest.clone_from(&Color::Green);
    assert_eq!(dest, Color::Green);
}

#[test]
fn tuple_fields_maps_and_opted_in_types_of_another_group() {
    let source = fleet::Ship {
        metadata: ObjectMeta::default(),
        spec: fleet::ShipSpec {
            replicas: 2,
            crew: vec![fleet::CrewMember {
                name: "ann".into(),
                role: "captain".into(),
            }],
            cargo: HashMap::from([("hold".to_owned(), fleet::Cargo::Bulk("grain".into()))]),
        },
        status: Some(fleet::ShipStatus {
            replicas: 2,
            position: Some((51.5, -0.1)),
        }),
    };
    let mut dest = source.clone();
    let cargo_ptr = match &dest.spec.cargo["hold"] {
        fleet::Cargo::Bulk(s) => s.as_ptr(),
        _ => unreachable!(),
    };
    let mut changed = source.clone();
    changed
        .spec
        .cargo
        .insert("hold".into(), fleet::Cargo::Bulk("corn".into()));
    dest.clone_from(&changed);
    assert_eq!(dest, changed);
    match &dest.spec.cargo["hold"] {
        fleet::Cargo::Bulk(s) => assert_eq!(s.as_ptr(), cargo_ptr, "map value reallocated"),
        _ => unreachable!(),
    }
}

#[test]
fn object_interface_copies_through_a_box() {
    let boxed: Box<dyn Object> = Box::new(widget("obj", 1));
    let copy = boxed.clone();
    let (a, b) = (
        boxed.downcast_ref::<Widget>().expect("a Widget"),
        copy.downcast_ref::<Widget>().expect("a Widget"),
    );
    assert_eq!(a, b);
    assert_ne!(a.spec.parts.as_ptr(), b.spec.parts.as_ptr());
    let ship: Box<dyn Object> = Box::new(fleet::Ship::default());
    assert!(ship.clone().downcast_ref::<fleet::Ship>().is_some());
}

#[test]
fn opted_out_and_unmarked_types_keep_their_own_clone() {
    // ControllerHandle opted out with `=false` and derives Clone: a shallow Arc copy.
    let handle = widgets_api::widgets::v1::ControllerHandle { shared: "x".into() };
    let copy = handle.clone();
    assert!(std::sync::Arc::ptr_eq(&handle.shared, &copy.shared));
    // Voyage has no marker in a package without `=package`: its derive stands.
    let v = fleet::Voyage::default();
    assert_eq!(v.clone(), v);
}
