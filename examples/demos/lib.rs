//! Example programs live beside this file as `[[example]]` targets.

pub mod example_kinds;
