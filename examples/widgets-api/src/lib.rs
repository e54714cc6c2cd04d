//! Example API types (being written).
