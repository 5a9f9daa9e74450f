//! rasd-store (being written).
