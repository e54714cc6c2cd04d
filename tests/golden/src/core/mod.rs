//! The core group (`+groupName=` empty): `apiVersion` is the bare version.

pub mod v1;
