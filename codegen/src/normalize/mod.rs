//! Build-constraint normalization (being written).
