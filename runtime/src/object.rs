use std::any::Any;
use std::fmt;

/// A type-erased, deep-copyable API object: the analogue of Go's `runtime.Object`.
///
/// Types marked `+k8s:deepcopy-gen:interfaces=Object` get a generated implementation that
/// deep-copies through their generated `Clone`. Code that stores objects of many kinds (caches,
/// fake clients, test servers) can hold `Box<dyn Object>`, copy them without knowing their type,
/// and downcast back with [`Object::as_any`].
pub trait Object: Any + Send + Sync {
    /// A deep copy of `self`, boxed (Go's `DeepCopyObject()`).
    fn deep_copy_object(&self) -> Box<dyn Object>;

    /// `self` as [`Any`], to downcast to the concrete type.
    fn as_any(&self) -> &dyn Any;

    /// The concrete type's name, for diagnostics.
    fn type_name(&self) -> &'static str {
        std::any::type_name_of_val(self)
    }
}

impl Clone for Box<dyn Object> {
    fn clone(&self) -> Self {
        self.deep_copy_object()
    }
}

impl fmt::Debug for dyn Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("dyn Object")
            .field("type", &self.type_name())
            .finish_non_exhaustive()
    }
}

impl dyn Object {
    /// Downcasts to the concrete type.
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        self.as_any().downcast_ref::<T>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Thing {
        names: Vec<String>,
    }

    // Written as generated code writes it.
    impl Clone for Thing {
        fn clone(&self) -> Self {
            Thing {
                names: self.names.clone(),
            }
        }
    }

    impl Object for Thing {
        fn deep_copy_object(&self) -> Box<dyn Object> {
            Box::new(self.clone())
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
    }

    #[test]
    fn boxed_objects_copy_deeply_and_downcast() {
        let original: Box<dyn Object> = Box::new(Thing {
            names: vec!["a".into()],
        });
        let copy = original.clone();
        let (a, b) = (
            original.downcast_ref::<Thing>().expect("a Thing"),
            copy.downcast_ref::<Thing>().expect("a Thing"),
        );
        assert_eq!(a, b);
        assert_ne!(
            a.names[0].as_ptr(),
            b.names[0].as_ptr(),
            "copy shares a buffer"
        );
        assert!(copy.downcast_ref::<String>().is_none());
        assert!(format!("{copy:?}").contains("Thing"));
    }
}
