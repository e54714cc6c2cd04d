//! Shapes real API trees have besides kinds: generics with where-clauses, a tree-own type named
//! like a standard one, and tuple newtypes.

// +k8s:deepcopy-gen=package

#[rustfmt::skip]
mod zz_generated;

mod own {
    /// The tree's own `Vec`: not the standard one, so it is copied by its own (generated)
    /// `Clone`, not as a vector.
    #[derive(Debug, Default, PartialEq)]
    pub struct Vec(pub std::vec::Vec<u8>);
}

use std::collections::HashMap as Table;

/// Generic, with a where-clause.
#[derive(Debug, Default, PartialEq)]
pub struct Page<T, K>
where
    T: PartialEq,
    K: Ord,
{
    pub items: Vec<T>,
    pub index: std::collections::BTreeMap<K, usize>,
    pub next: Option<Box<Page<T, K>>>,
}

/// A field of the tree's own `Vec`, and a renamed `HashMap`.
#[derive(Debug, Default, PartialEq)]
pub struct Blob {
    pub bytes: own::Vec,
    pub by_name: Table<String, own::Vec>,
}

/// A tuple newtype over a foreign `Copy` type.
#[derive(Debug, Default, PartialEq)]
pub struct Timeout(pub std::time::Duration);

/// Data enum with tuple and struct variants.
#[derive(Debug, PartialEq)]
pub enum Source {
    Inline(String),
    Remote {
        url: String,
        headers: Table<String, String>,
    },
    Paged(Page<String, u32>),
    Empty,
}
