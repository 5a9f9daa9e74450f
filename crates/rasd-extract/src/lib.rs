//! rasd-extract (being written).
