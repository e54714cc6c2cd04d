//! The schema's list and map types, for server-side apply.
