//! Interchange formats (being written).
