// +k8s:deepcopy-gen=package

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

#[rustfmt::skip]
mod zz_generated;

pub mod nested {
    /// A type in an inline module: named through its path.
    #[derive(Debug, Default, PartialEq)]
    pub struct Inner {
        pub value: String,
    }
}

/// Every container the generator reuses buffers through, nested.
#[derive(Debug, Default, PartialEq)]
pub struct Containers {
    pub plain: String,
    pub list: Vec<String>,
    pub maybe: Option<String>,
    pub boxed: Box<String>,
    pub sorted: BTreeMap<String, Vec<String>>,
    pub hashed: HashMap<String, BTreeMap<String, String>>,
    pub list_of_maps: Vec<BTreeMap<String, String>>,
    pub maybe_map: Option<HashMap<String, String>>,
    pub boxed_list_of_maps: Box<Vec<BTreeMap<String, nested::Inner>>>,
    pub pair: (String, u32),
    pub pairs: Vec<(String, BTreeMap<String, String>)>,
    pub bytes: [u8; 4],
    pub names: [String; 2],
    pub shared: Arc<str>,
    pub unit: (),
    pub inner: nested::Inner,
}

/// Generic, with a where clause and a default type argument.
#[derive(Debug, Default, PartialEq)]
pub struct Pair<K, V = String>
where
    K: Ord,
{
    pub keys: Vec<K>,
    pub map: BTreeMap<K, V>,
}

#[derive(Debug, PartialEq)]
pub struct Tuple(pub String, pub i64, pub Option<Box<Tuple>>);

#[derive(Debug, PartialEq)]
pub struct Unit;

#[derive(Debug, PartialEq)]
pub struct Empty {}

/// An enum mixing every variant form, with a raw identifier.
#[derive(Debug, PartialEq)]
pub enum Mixed {
    Nothing,
    One(String),
    Two(u8, Vec<String>),
    Named {
        r#type: String,
        labels: BTreeMap<String, String>,
    },
}

/// A single variant: no fallback arm (it would be unreachable).
#[derive(Debug, PartialEq)]
pub enum Only {
    It(String),
}

/// Only unit variants: nothing to copy inside any of them.
#[derive(Debug, PartialEq)]
pub enum Phase {
    Pending,
    Running,
    Done,
}

/// No variants at all.
#[derive(Debug, PartialEq)]
pub enum Never {}

/// Opted in to the type-erased copy.
// +k8s:deepcopy-gen:interfaces=Object
#[derive(Debug, Default, PartialEq)]
pub struct Erased<T> {
    pub items: Vec<T>,
}

/// Opted out: keeps its own, shallow clone.
// +k8s:deepcopy-gen=false
#[derive(Clone, Debug)]
pub struct Handle(pub Arc<String>);
