//! The golden deep copies behave: equal, independent, buffer-reusing.

use std::collections::{BTreeMap, HashMap};

use kube_codegen_golden::shapes::v1::*;
use kube_codegen_runtime::Object;

fn containers(seed: &str) -> Containers {
    Containers {
        plain: format!("{seed}-plain"),
        list: vec![format!("{seed}-a"), format!("{seed}-b")],
        maybe: Some(seed.to_owned()),
        boxed: Box::new(seed.to_owned()),
        sorted: BTreeMap::from([("k".to_owned(), vec![seed.to_owned()])]),
        hashed: HashMap::from([(
            "h".to_owned(),
            BTreeMap::from([("x".to_owned(), seed.to_owned())]),
        )]),
        list_of_maps: vec![BTreeMap::from([("m".to_owned(), seed.to_owned())])],
        maybe_map: Some(HashMap::from([("o".to_owned(), seed.to_owned())])),
        boxed_list_of_maps: Box::new(vec![BTreeMap::from([(
            "b".to_owned(),
            nested::Inner {
                value: seed.to_owned(),
            },
        )])]),
        pair: (seed.to_owned(), 1),
        pairs: vec![(
            seed.to_owned(),
            BTreeMap::from([("p".to_owned(), seed.to_owned())]),
        )],
        bytes: [1, 2, 3, 4],
        names: [seed.to_owned(), format!("{seed}!")],
        shared: "shared".into(),
        unit: (),
        inner: nested::Inner {
            value: seed.to_owned(),
        },
    }
}

#[test]
fn containers_copy_deeply() {
    let a = containers("a");
    let b = a.clone();
    assert_eq!(a, b);
    assert_ne!(a.hashed["h"]["x"].as_ptr(), b.hashed["h"]["x"].as_ptr());
    assert_ne!(
        a.boxed_list_of_maps[0]["b"].value.as_ptr(),
        b.boxed_list_of_maps[0]["b"].value.as_ptr()
    );
}

#[test]
fn clone_from_reuses_nested_buffers() {
    let mut dst = containers("destination-with-long-values");
    let ptrs = |c: &Containers| {
        [
            c.plain.as_ptr(),
            c.list[0].as_ptr(),
            c.boxed.as_ptr(),
            c.sorted["k"][0].as_ptr(),
            c.hashed["h"]["x"].as_ptr(),
            c.list_of_maps[0]["m"].as_ptr(),
            c.maybe_map
                .as_ref()
                .map_or(std::ptr::null(), |m| m["o"].as_ptr()),
            c.boxed_list_of_maps[0]["b"].value.as_ptr(),
            c.pair.0.as_ptr(),
            c.pairs[0].1["p"].as_ptr(),
            c.names[0].as_ptr(),
            c.inner.value.as_ptr(),
        ]
    };
    let before = ptrs(&dst);
    let src = containers("src");
    dst.clone_from(&src);
    assert_eq!(dst, src);
    assert_eq!(ptrs(&dst), before);
}

#[test]
fn generics_tuples_units_and_enums() {
    let p: Pair<u8> = Pair {
        keys: vec![1, 2],
        map: BTreeMap::from([(1, "one".to_owned())]),
    };
    assert_eq!(p.clone(), p);

    let t = Tuple("t".into(), 3, Some(Box::new(Tuple("u".into(), 4, None))));
    let mut u = Tuple(String::new(), 0, None);
    u.clone_from(&t);
    assert_eq!(u, t);
    assert_eq!(Unit.clone(), Unit);
    assert_eq!(Empty {}.clone(), Empty {});

    let named = Mixed::Named {
        r#type: "kind".into(),
        labels: BTreeMap::from([("a".into(), "b".into())]),
    };
    let mut m = Mixed::Nothing;
    m.clone_from(&named);
    assert_eq!(m, named);
    m.clone_from(&Mixed::Two(7, vec!["x".into()]));
    assert_eq!(m, Mixed::Two(7, vec!["x".into()]));
    let mut only = Only::It(String::with_capacity(32));
    let Only::It(s) = &only;
    let ptr = s.as_ptr();
    only.clone_from(&Only::It("y".into()));
    let Only::It(s) = &only;
    assert_eq!((s.as_str(), s.as_ptr()), ("y", ptr));

    // Unit variants share one arm of `clone_from`: the same variant stays, another replaces it.
    let mut phase = Phase::Pending;
    phase.clone_from(&Phase::Pending);
    assert_eq!(phase, Phase::Pending);
    for next in [Phase::Running, Phase::Done, Phase::Pending] {
        phase.clone_from(&next);
        assert_eq!(phase, next);
        assert_eq!(next.clone(), next);
    }
}

#[test]
fn erased_objects_and_opted_out_types() {
    let boxed: Box<dyn Object> = Box::new(Erased {
        items: vec!["a".to_owned()],
    });
    let copy = boxed.clone();
    let original = boxed
        .downcast_ref::<Erased<String>>()
        .expect("Erased<String>");
    let copied = copy
        .downcast_ref::<Erased<String>>()
        .expect("Erased<String>");
    assert_eq!(original, copied);
    assert_ne!(original.items[0].as_ptr(), copied.items[0].as_ptr());

    let h = Handle(std::sync::Arc::new("x".into()));
    assert!(
        std::sync::Arc::ptr_eq(&h.0, &h.clone().0),
        "opted out: shallow by choice"
    );
}
