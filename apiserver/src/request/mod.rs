//! The request layer: an HTTP request decoded into what the handlers read (route, parameters,
//! media types, body). It knows nothing of handlers, the registry or storage.

mod call;
mod decode;
mod negotiate;
mod protobuf;
mod route;
mod selector;

pub(crate) use call::{Call, Filter, parse_resource_version, parse_yaml};
pub(crate) use decode::{Decoded, decode, verb};
pub(crate) use negotiate::{MetaVersion, Offer, Output, negotiate};
pub(crate) use protobuf::{
    MEDIA_TYPE as PROTOBUF, encode as encode_protobuf, supports as protobuf_supports,
};
pub use route::DEFAULT_CLUSTER;
pub(crate) use route::{ClusterScope, Target};
pub use selector::{FieldSelector, LabelSelector};
